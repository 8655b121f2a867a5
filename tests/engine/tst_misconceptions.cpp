// Misconception detection: each detector fires on the mistake, says what was seen with the
// session's numbers, and stays quiet once the mistake is undone; the metric guide and the
// interpretability check answer per case.
#include <QtTest>

#include <algorithm>
#include <string>
#include <vector>

#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/misconceptions.hpp"

using namespace stepwise;

namespace {

data::Table titanic() { return data::loadTable(data::parseDataLocation("builtin:titanic")); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

workflow::Recipe titanicRecipe()
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.model.name = "decision_tree";
    return recipe;
}

} // namespace

class TestMisconceptions : public QObject {
    Q_OBJECT

private slots:
    void auditFindingsBecomeMisconceptions()
    {
        std::vector<workflow::AuditFinding> findings(4);
        findings[0].kind = "prescaled";
        findings[0].columns = {"age", "fare"};
        findings[1].kind = "constant";
        findings[2].kind = "ordinal_on_nominal";
        findings[2].columns = {"embarked"};
        findings[3].kind = "duplicates_across_split";
        findings[3].message = "12 of the 179 test rows are exact copies of training rows";
        findings[3].fix = "Add a 'Drop duplicate rows' step";
        const auto found = workflow::misconceptionsFromAudit(findings);
        QCOMPARE(found.size(), std::size_t(3));
        QCOMPARE(found[0].kind, std::string("scaling_before_splitting"));
        QVERIFY(contains(found[0].seen, "'age', 'fare'"));
        QVERIFY(contains(found[0].fix, "training rows only"));
        QCOMPARE(found[1].kind, std::string("label_encoding_nominal"));
        QVERIFY(contains(found[1].seen, "'embarked'"));
        QVERIFY(contains(found[1].fix, "one-hot"));
        QCOMPARE(found[2].kind, std::string("testing_on_training_data"));
        QVERIFY(contains(found[2].seen, "12 of the 179"));
        for (const auto& item : found)
            QVERIFY(!item.seen.empty() && !item.why.empty() && !item.fix.empty());
        QVERIFY(workflow::misconceptionsFromAudit({findings[1]}).empty());
    }

    void accuracyOnAnImbalancedTarget()
    {
        // 90 / 10: the majority baseline scores 90 % accuracy.
        const auto item = workflow::accuracyOnImbalancedTarget("accuracy", {90, 10}, {"no", "yes"});
        QVERIFY(item);
        QCOMPARE(item->kind, std::string("accuracy_on_imbalanced"));
        QVERIFY2(contains(item->seen, "('yes') is only 10 %"), item->seen.c_str());
        QVERIFY2(contains(item->why, "90 %"), item->why.c_str());
        // Another metric, or a smallest class of exactly 20 %, is fine.
        QVERIFY(!workflow::accuracyOnImbalancedTarget("f1_macro", {90, 10}));
        QVERIFY(!workflow::accuracyOnImbalancedTarget("accuracy", {80, 20}));
        QVERIFY(workflow::accuracyOnImbalancedTarget("accuracy", {81, 19}));
        QVERIFY(workflow::accuracyOnImbalancedTarget("accuracy", {50, 45, 5}));
        // No class counts (no data loaded, a regression) says nothing.
        QVERIFY(!workflow::accuracyOnImbalancedTarget("accuracy", {}));
        // Titanic's 38 % survivors are not imbalanced in this sense.
        QVERIFY(!workflow::accuracyOnImbalancedTarget("accuracy", {549, 342}));
    }

    void testingOnTrainingData()
    {
        workflow::TestDataFacts facts;
        facts.rows = 891;
        QVERIFY(!workflow::testingOnTrainingData(facts));
        facts.testSize = 0.0;
        auto item = workflow::testingOnTrainingData(facts);
        QVERIFY(item);
        QCOMPARE(item->kind, std::string("testing_on_training_data"));
        QVERIFY(contains(item->seen, "no test row"));
        facts.testSize = 0.2;
        facts.overlappingRows = 7;
        item = workflow::testingOnTrainingData(facts);
        QVERIFY(item && contains(item->seen, "7 test rows"));

        workflow::TestDataFacts file;
        file.separateTestData = true;
        file.trainSha256 = "ab12cd34ef567890aa";
        file.testSha256 = "ff00";
        file.testRows = 100;
        QVERIFY(!workflow::testingOnTrainingData(file));
        file.testSha256 = file.trainSha256;
        item = workflow::testingOnTrainingData(file);
        QVERIFY(item && contains(item->seen, "SHA-256 ab12cd34ef56"));
        file.testSha256 = "ff00";
        file.overlappingRows = 100;
        item = workflow::testingOnTrainingData(file);
        QVERIFY(item && contains(item->seen, "Every one of the 100"));
        file.overlappingRows = 30;
        item = workflow::testingOnTrainingData(file);
        QVERIFY(item && contains(item->seen, "30 of the 100"));
    }

    void overlappingRowsCompareByLabel()
    {
        const data::Table all = titanic();
        std::vector<std::size_t> first, last;
        for (std::size_t row = 0; row < 600; ++row)
            first.push_back(row);
        for (std::size_t row = 600; row < all.rowCount(); ++row)
            last.push_back(row);
        // A copy of the data overlaps in every row; the test part of a split in only its
        // duplicates, the same count the audit's hashing finds.
        QCOMPARE(workflow::countOverlappingRows(all, all), all.rowCount());
        const data::Table train = all.selectRows(first);
        const data::Table test = all.selectRows(last);
        const std::size_t across = workflow::countOverlappingRows(train, test);
        QVERIFY(across < test.rowCount());
        // The same rows re-read in another column order (codes differ per table) still match.
        std::vector<std::string> reversed = test.columnNames();
        std::reverse(reversed.begin(), reversed.end());
        QCOMPARE(workflow::countOverlappingRows(train, test.selectColumns(reversed)), across);
        QCOMPARE(workflow::countOverlappingRows(train, train.selectRows({5, 6, 7})), std::size_t(3));
        // Brute force over a slice checks the count.
        std::size_t brute = 0;
        for (std::size_t t = 0; t < test.rowCount(); ++t) {
            for (std::size_t r = 0; r < train.rowCount(); ++r) {
                bool same = true;
                for (const auto& name : test.columnNames())
                    if (train.column(name).textAt(r) != test.column(name).textAt(t)) {
                        same = false;
                        break;
                    }
                if (same) {
                    ++brute;
                    break;
                }
            }
        }
        QCOMPARE(across, brute);
        // No shared column: nothing can overlap.
        QCOMPARE(workflow::countOverlappingRows(train.selectColumns({"age"}), test.selectColumns({"fare"})),
                 std::size_t(0));
    }

    void tuningOnTheTestSet()
    {
        workflow::Recipe recipe = titanicRecipe();
        std::vector<workflow::TuningRun> history{workflow::tuningRunFor(recipe)};
        for (int depth = 2; depth <= 4; ++depth) {
            QVERIFY(!workflow::tuningOnTestSet(history));
            recipe.model.params["max_depth"] = std::to_string(depth);
            history.push_back(workflow::tuningRunFor(recipe));
        }
        // Three retrains changing only max_depth after seeing the test score.
        auto item = workflow::tuningOnTestSet(history);
        QVERIFY(item);
        QCOMPARE(item->kind, std::string("tuning_on_test_set"));
        QVERIFY(contains(item->why, "choosing hyper-parameters by the test score"));
        QVERIFY(contains(item->fix, "cross-validation or a validation set"));
        QVERIFY(contains(item->seen, "3 times"));

        // Judging parts (objective, success) do not break the streak.
        recipe.problem.objective = "who survives";
        recipe.model.params["max_depth"] = "5";
        history.push_back(workflow::tuningRunFor(recipe));
        QVERIFY(workflow::tuningOnTestSet(history) && contains(workflow::tuningOnTestSet(history)->seen, "4 times"));

        // Turning on cross-validation ends it.
        auto validated = history;
        recipe.crossValidation = evaluation::CvSpec{};
        validated.push_back(workflow::tuningRunFor(recipe));
        QVERIFY(!workflow::tuningOnTestSet(validated));
        // A validation set too.
        recipe.crossValidation.reset();
        recipe.prep.validationSize = 0.2;
        auto withValidation = history;
        withValidation.push_back(workflow::tuningRunFor(recipe));
        QVERIFY(!workflow::tuningOnTestSet(withValidation));
        recipe.prep.validationSize = 0.0;

        // Changing something else (the steps) is not tuning hyper-parameters.
        auto otherChange = history;
        recipe.features.steps.pop_back();
        recipe.model.params["max_depth"] = "6";
        otherChange.push_back(workflow::tuningRunFor(recipe));
        QVERIFY(!workflow::tuningOnTestSet(otherChange));

        // Retraining with the same hyper-parameters is not tuning either.
        auto same = history;
        same.push_back(same.back());
        QVERIFY(!workflow::tuningOnTestSet(same));

        // Runs whose test score was not seen do not count.
        auto unseen = history;
        unseen[1].testScoreSeen = false;  // the streak is 3 → 4, 2 → 3: two retrains
        QVERIFY(!workflow::tuningOnTestSet(unseen));
        QVERIFY(workflow::tuningOnTestSet(unseen, 1));
    }

    void interpretability()
    {
        workflow::ModelChoice forest{"random_forest", {}};
        workflow::ModelChoice boosting{"gradient_boosting", {}};
        workflow::ModelChoice knn{"knn", {}};
        workflow::ModelChoice logistic{"logistic_regression", {}};
        workflow::ModelChoice deepTree{"decision_tree", {}};
        workflow::ModelChoice shallowTree{"decision_tree", {{"max_depth", "3"}}};
        for (const auto& model : {forest, boosting, knn, deepTree}) {
            QVERIFY(!workflow::isInterpretableModel(model));
            const auto item = workflow::interpretabilityConflict(workflow::Interpretability::Required, model);
            QVERIFY(item);
            QCOMPARE(item->kind, std::string("black_box_when_interpretability_required"));
            QVERIFY(contains(item->seen, model.name));
            QVERIFY(!workflow::interpretabilityConflict(workflow::Interpretability::Preferred, model));
        }
        for (const auto& model : {logistic, shallowTree}) {
            QVERIFY(workflow::isInterpretableModel(model));
            QVERIFY(!workflow::interpretabilityConflict(workflow::Interpretability::Required, model));
        }
        QVERIFY(!workflow::isInterpretableModel({"decision_tree", {{"max_depth", "5"}}}));
        QVERIFY(!workflow::isInterpretableModel({"decision_tree", {{"max_depth", "deep"}}}));
    }

    void metricGuide()
    {
        using workflow::MistakeCost;
        const auto cls = core::TaskType::Classification;
        auto advice = workflow::recommendMetric(cls, {549, 342}, MistakeCost::Equal);
        QCOMPARE(advice.metric, std::string("accuracy"));
        QVERIFY2(contains(advice.reason, "38.4 %"), advice.reason.c_str());
        advice = workflow::recommendMetric(cls, {900, 100}, MistakeCost::Equal);
        QCOMPARE(advice.metric, std::string("f1_macro"));
        QVERIFY(contains(advice.reason, "imbalanced") && contains(advice.reason, "10 %"));
        QCOMPARE(workflow::recommendMetric(cls, {900, 100}, MistakeCost::MissedPositives).metric,
                 std::string("recall_macro"));
        QCOMPARE(workflow::recommendMetric(cls, {549, 342}, MistakeCost::FalseAlarms).metric,
                 std::string("precision_macro"));
        advice = workflow::recommendMetric(cls, {}, MistakeCost::Equal);
        QCOMPARE(advice.metric, std::string("accuracy"));
        QVERIFY(contains(advice.reason, "unknown"));
        const auto reg = core::TaskType::Regression;
        QCOMPARE(workflow::recommendMetric(reg, {}, MistakeCost::LargeErrors).metric, std::string("rmse"));
        QCOMPARE(workflow::recommendMetric(reg, {}, MistakeCost::Equal).metric, std::string("mae"));
        QCOMPARE(workflow::recommendMetric(reg, {}, MistakeCost::MissedPositives).metric, std::string("mae"));
        // Every recommendation is a metric the task reports.
        for (auto task : {cls, reg})
            for (auto cost : {MistakeCost::Equal, MistakeCost::MissedPositives, MistakeCost::FalseAlarms,
                              MistakeCost::LargeErrors})
                for (const std::vector<std::size_t>& counts :
                     {std::vector<std::size_t>{}, std::vector<std::size_t>{5, 95}, std::vector<std::size_t>{50, 50}}) {
                    const auto name = workflow::recommendMetric(task, counts, cost).metric;
                    const auto& metrics = evaluation::metricsFor(task);
                    QVERIFY2(std::any_of(metrics.begin(), metrics.end(),
                                         [&](const evaluation::MetricInfo& m) { return m.name == name; }),
                             name.c_str());
                }
    }
};

QTEST_APPLESS_MAIN(TestMisconceptions)
#include "tst_misconceptions.moc"
