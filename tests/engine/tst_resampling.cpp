// Class balancing: the resample step against imbalanced-learn 0.10 (RandomOverSampler,
// RandomUnderSampler, SMOTE with sampling_strategy="auto"), and class_weight="balanced"
// of logistic regression and random forest against scikit-learn 1.2.1. Reference values:
// tests/reference/resampling_reference.py. Our random streams differ from NumPy's, so
// resampled rows are checked by their counts and by what they must be (copies of rows
// of their class, points on segments to sklearn's nearest neighbours), not one by one.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/model_fixtures.hpp"
#include "models/logistic_regression.hpp"
#include "models/random_forest.hpp"
#include "prep/nearest_neighbours.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/threads.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/pipeline_preview.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
using nlohmann::json;

namespace {

const json& reference()
{
    static const json data = [] {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/resampling_reference.json");
        if (!in)
            qFatal("cannot open resampling_reference.json — run tests/reference/resampling_reference.py");
        return json::parse(in);
    }();
    return data;
}

// A reference data set as training rows: columns f0, f1, … and the class of each row.
prep::LabelledRows rowsOf(const json& set)
{
    prep::LabelledRows rows;
    const json& x = set["x"];
    const std::size_t features = x[0].size();
    for (std::size_t j = 0; j < features; ++j) {
        std::vector<double> values;
        for (const json& row : x)
            values.push_back(row[j].get<double>());
        std::string name = "f";
        name.append(std::to_string(j));
        rows.table.addColumn(data::Column::numeric(std::move(name), std::move(values)));
    }
    rows.target.task = core::TaskType::Classification;
    rows.target.classCount = set["classes"].get<int>();
    for (const json& label : set["y"])
        rows.target.values.push_back(label.get<double>());
    return rows;
}

std::unique_ptr<prep::Sampler> makeSampler(const std::map<std::string, std::string>& params)
{
    const prep::StepSpec spec{"resample", true, {}, params};
    return prep::findStep("resample").makeSampler({}, prep::resolveStepParams(spec));
}

prep::LabelledRows resample(const prep::LabelledRows& rows, const std::map<std::string, std::string>& params,
                            std::uint64_t seed = 1)
{
    core::TaskControl control;
    return makeSampler(params)->apply(rows, seed, control);
}

std::vector<int> classCounts(const prep::TrainingTarget& target)
{
    std::vector<int> counts(static_cast<std::size_t>(target.classCount), 0);
    for (double value : target.values)
        ++counts[static_cast<std::size_t>(value)];
    return counts;
}

std::vector<double> rowValues(const data::Table& table, std::size_t row)
{
    std::vector<double> values;
    for (const data::Column& column : table.columns())
        values.push_back(column.values()[row]);
    return values;
}

bool sameRows(const prep::LabelledRows& a, const prep::LabelledRows& b)
{
    if (a.table.rowCount() != b.table.rowCount() || a.target.values != b.target.values)
        return false;
    for (std::size_t j = 0; j < a.table.columnCount(); ++j)
        if (a.table.column(j).values() != b.table.column(j).values())
            return false;
    return true;
}

std::string describe(const std::vector<int>& counts)
{
    std::string text;
    for (int count : counts)
        text.append(text.empty() ? "" : ", ").append(std::to_string(count));
    return text;
}

template <class Work>
std::string dataErrorOf(Work&& work)
{
    try {
        work();
    } catch (const core::DataError& error) {
        return error.what();
    }
    return "no DataError";
}

// A logistic regression or forest from the registry, for the class_weight checks.
template <class Model>
std::unique_ptr<Model> makeModel(const char* name, core::TaskType task, const std::map<std::string, std::string>& params)
{
    auto model = models::createModel(name, task, params);
    return std::unique_ptr<Model>(static_cast<Model*>(model.release()));
}

models::Dataset datasetOf(const json& set)
{
    const prep::LabelledRows rows = rowsOf(set);
    models::Dataset data;
    data.x.resize(static_cast<Eigen::Index>(rows.table.rowCount()), static_cast<Eigen::Index>(rows.table.columnCount()));
    for (std::size_t j = 0; j < rows.table.columnCount(); ++j)
        for (std::size_t i = 0; i < rows.table.rowCount(); ++i)
            data.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows.table.column(j).values()[i];
    data.y = Eigen::Map<const Eigen::VectorXd>(rows.target.values.data(), static_cast<Eigen::Index>(rows.target.values.size()));
    data.classCount = rows.target.classCount;
    for (std::size_t j = 0; j < rows.table.columnCount(); ++j)
        data.featureNames.push_back(rows.table.column(j).name());
    return data;
}

double minorityRecall(const Eigen::VectorXd& predicted, const Eigen::VectorXd& actual, int minority)
{
    int hits = 0, total = 0;
    for (Eigen::Index i = 0; i < actual.size(); ++i) {
        if (static_cast<int>(actual(i)) != minority)
            continue;
        ++total;
        hits += static_cast<int>(predicted(i)) == minority ? 1 : 0;
    }
    return static_cast<double>(hits) / total;
}

// Cancels the task at the first progress report past `at`, and checks that progress
// never goes back.
class CancellingObserver : public core::TaskObserver {
public:
    CancellingObserver(core::TaskControl*& control, double at) : m_control(control), m_at(at) {}
    void onProgress(double fraction, const std::string&) override
    {
        monotone = monotone && fraction >= last;
        last = fraction;
        ++reports;
        if (fraction > m_at && m_control)
            m_control->cancel();
    }
    bool monotone = true;
    double last = 0.0;
    int reports = 0;

private:
    core::TaskControl*& m_control;
    double m_at;
};

} // namespace

class TestResampling : public QObject {
    Q_OBJECT
private slots:
    void theStepIsRegistered()
    {
        const prep::StepInfo& info = prep::findStep("resample");
        QCOMPARE(info.phase, prep::StepPhase::TrainingOnly);
        QCOMPARE(info.scope, prep::ColumnScope::None);
        QCOMPARE(info.stage, prep::StepStage::Prep);
        QVERIFY(info.makeSampler);
        QVERIFY(makeSampler({})->runsLast());
        QCOMPARE(prep::resolveStepParams({"resample", true, {}, {}}).text("method"), std::string("over"));
        QCOMPARE(prep::resolveStepParams({"resample", true, {}, {}}).integer("k_neighbors"), 5LL);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 prep::resolveStepParams({"resample", true, {}, {{"method", "tomek"}}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 prep::resolveStepParams({"resample", true, {}, {{"k_neighbors", "0"}}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 prep::resolveStepParams({"resample", true, {}, {{"k_neighbors", "101"}}}));
        QVERIFY(makeSampler({{"method", "smote"}, {"k_neighbors", "3"}})->describe().find("3 nearest neighbours") !=
                std::string::npos);
    }

    void classCountsMatchImbalancedLearn_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("k");
        for (const char* set : {"binary", "three_class"}) {
            QTest::addRow("%s over", set) << set << "over" << "5";
            QTest::addRow("%s under", set) << set << "under" << "5";
            QTest::addRow("%s smote k=5", set) << set << "smote" << "5";
            QTest::addRow("%s smote k=3", set) << set << "smote" << "3";
        }
    }

    void classCountsMatchImbalancedLearn()
    {
        QFETCH(QString, set);
        QFETCH(QString, method);
        QFETCH(QString, k);
        const json& expected = reference()[set.toStdString()];
        const prep::LabelledRows rows = rowsOf(expected);
        QCOMPARE(describe(classCounts(rows.target)), describe(expected["counts"].get<std::vector<int>>()));
        const prep::LabelledRows out = resample(rows, {{"method", method.toStdString()}, {"k_neighbors", k.toStdString()}});
        const json& counts = method == "smote" ? expected["smote"][k.toStdString()]["counts"]
                                               : expected[method.toStdString() + "_counts"];
        QCOMPARE(describe(classCounts(out.target)), describe(counts.get<std::vector<int>>()));
        QCOMPARE(out.table.rowCount(), out.target.values.size());
        QCOMPARE(out.table.columnNames(), rows.table.columnNames());
    }

    void randomSamplersKeepRowsOfTheirClass_data()
    {
        QTest::addColumn<QString>("set");
        QTest::newRow("binary") << "binary";
        QTest::newRow("three_class") << "three_class";
    }

    void randomSamplersKeepRowsOfTheirClass()
    {
        QFETCH(QString, set);
        const prep::LabelledRows rows = rowsOf(reference()[set.toStdString()]);
        std::map<std::vector<double>, double> classOfRow;
        for (std::size_t i = 0; i < rows.table.rowCount(); ++i)
            classOfRow[rowValues(rows.table, i)] = rows.target.values[i];
        QCOMPARE(classOfRow.size(), rows.table.rowCount()); // no duplicate rows in the data

        // Oversampling: the original rows first and unchanged, then copies of rows of the
        // same class, drawn with replacement (so some minority rows repeat).
        const prep::LabelledRows over = resample(rows, {{"method", "over"}});
        std::map<std::vector<double>, int> drawn;
        for (std::size_t i = 0; i < over.table.rowCount(); ++i) {
            const std::vector<double> values = rowValues(over.table, i);
            if (i < rows.table.rowCount()) {
                QCOMPARE(values, rowValues(rows.table, i));
                QCOMPARE(over.target.values[i], rows.target.values[i]);
                continue;
            }
            QVERIFY(classOfRow.count(values) == 1);
            QCOMPARE(over.target.values[i], classOfRow[values]);
            ++drawn[values];
        }
        QVERIFY(std::any_of(drawn.begin(), drawn.end(), [](const auto& entry) { return entry.second > 1; }));

        // Undersampling: distinct original rows in their original order, each with its class.
        const prep::LabelledRows under = resample(rows, {{"method", "under"}});
        std::size_t next = 0;
        for (std::size_t i = 0; i < under.table.rowCount(); ++i) {
            const std::vector<double> values = rowValues(under.table, i);
            while (next < rows.table.rowCount() && rowValues(rows.table, next) != values)
                ++next;
            QVERIFY2(next < rows.table.rowCount(), "an undersampled row is not an original row in order");
            QCOMPARE(under.target.values[i], rows.target.values[next]);
            ++next;
        }
    }

    void ourNeighboursAreScikitLearns_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<int>("k");
        QTest::newRow("binary k=5") << "binary" << 5;
        QTest::newRow("three_class k=5") << "three_class" << 5;
        QTest::newRow("three_class k=3") << "three_class" << 3;
    }

    void ourNeighboursAreScikitLearns()
    {
        QFETCH(QString, set);
        QFETCH(int, k);
        const json& expected = reference()[set.toStdString()];
        const prep::LabelledRows rows = rowsOf(expected);
        const json& lists = expected["smote"][std::to_string(k)]["neighbours"];
        // Group the reference rows by class, then compare class by class.
        std::map<int, std::vector<std::size_t>> members;
        for (const auto& [row, neighbours] : lists.items())
            members[static_cast<int>(rows.target.values[std::stoul(row)])].push_back(std::stoul(row));
        QVERIFY(!members.empty());
        for (auto& [label, indices] : members) {
            std::sort(indices.begin(), indices.end());
            Eigen::MatrixXd x(static_cast<Eigen::Index>(indices.size()), static_cast<Eigen::Index>(rows.table.columnCount()));
            for (std::size_t i = 0; i < indices.size(); ++i)
                for (std::size_t j = 0; j < rows.table.columnCount(); ++j)
                    x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows.table.column(j).values()[indices[i]];
            core::TaskControl control;
            const std::vector<std::uint32_t> ours = prep::nearestNeighbours(x, k, control);
            for (std::size_t i = 0; i < indices.size(); ++i) {
                const json& theirs = lists[std::to_string(indices[i])];
                for (int j = 0; j < k; ++j)
                    QCOMPARE(indices[ours[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(j)]],
                             theirs[static_cast<std::size_t>(j)].get<std::size_t>());
            }
        }
    }

    void smoteRowsLieOnNeighbourSegments_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<int>("k");
        QTest::newRow("binary k=5") << "binary" << 5;
        QTest::newRow("three_class k=3") << "three_class" << 3;
    }

    void smoteRowsLieOnNeighbourSegments()
    {
        QFETCH(QString, set);
        QFETCH(int, k);
        const json& expected = reference()[set.toStdString()];
        const prep::LabelledRows rows = rowsOf(expected);
        const json& lists = expected["smote"][std::to_string(k)]["neighbours"];
        const prep::LabelledRows out = resample(rows, {{"method", "smote"}, {"k_neighbors", std::to_string(k)}});
        const std::size_t n = rows.table.rowCount();
        for (std::size_t i = 0; i < n; ++i) {
            QCOMPARE(rowValues(out.table, i), rowValues(rows.table, i));
            QCOMPARE(out.target.values[i], rows.target.values[i]);
        }
        std::set<std::size_t> basesUsed;
        std::set<double> steps;
        for (std::size_t i = n; i < out.table.rowCount(); ++i) {
            const std::vector<double> point = rowValues(out.table, i);
            bool found = false;
            for (const auto& [rowText, neighbours] : lists.items()) {
                const std::size_t base = std::stoul(rowText);
                if (rows.target.values[base] != out.target.values[i])
                    continue;
                const std::vector<double> from = rowValues(rows.table, base);
                for (const json& neighbour : neighbours) {
                    const std::vector<double> to = rowValues(rows.table, neighbour.get<std::size_t>());
                    // The step u from the first coordinate that moves, then every coordinate.
                    double direction2 = 0.0, along = 0.0;
                    for (std::size_t j = 0; j < point.size(); ++j) {
                        direction2 += (to[j] - from[j]) * (to[j] - from[j]);
                        along += (point[j] - from[j]) * (to[j] - from[j]);
                    }
                    const double u = along / direction2;
                    if (u < -1e-12 || u >= 1.0 + 1e-12)
                        continue;
                    bool onSegment = true;
                    for (std::size_t j = 0; j < point.size() && onSegment; ++j)
                        onSegment = std::abs(from[j] + u * (to[j] - from[j]) - point[j]) <= 1e-9;
                    if (onSegment) {
                        found = true;
                        basesUsed.insert(base);
                        steps.insert(std::round(u * 10.0));
                        break;
                    }
                }
                if (found)
                    break;
            }
            QVERIFY2(found, ("synthetic row " + std::to_string(i) + " is on no segment to a nearest neighbour").c_str());
        }
        // Bases and steps are spread: uniform draws use about 1 − 1/e of the rows of a
        // class topped up by its own size (more when topped up by more), so at least half
        // must serve as a base; u covers [0, 1) (tenths 0..9, or 10 from rounding).
        QVERIFY2(basesUsed.size() * 2 >= lists.size(),
                 (std::to_string(basesUsed.size()) + " of " + std::to_string(lists.size())).c_str());
        QVERIFY(steps.size() >= 10);
    }

    void seedDecidesTheRows_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("over") << "over";
        QTest::newRow("under") << "under";
        QTest::newRow("smote") << "smote";
    }

    void seedDecidesTheRows()
    {
        QFETCH(QString, method);
        const prep::LabelledRows rows = rowsOf(reference()["three_class"]);
        const std::map<std::string, std::string> params{{"method", method.toStdString()}};
        const prep::LabelledRows a = resample(rows, params, 7);
        const prep::LabelledRows b = resample(rows, params, 7);
        const prep::LabelledRows c = resample(rows, params, 8);
        QVERIFY(sameRows(a, b));
        QVERIFY(!sameRows(a, c));
        QCOMPARE(classCounts(a.target), classCounts(c.target));
    }

    void threadCountDoesNotChangeSmote()
    {
        // Large enough that the neighbour search spans many blocks and chunks.
        data::ClassificationSpec spec;
        spec.samples = 6000;
        spec.features = 8;
        spec.informative = 4;
        spec.weights = {0.7, 0.3};
        spec.seed = 3;
        const data::Table table = data::makeClassification(spec);
        prep::LabelledRows rows;
        rows.table = table.withoutColumns({"target"});
        rows.target.classCount = 2;
        rows.target.values = table.column("target").values();
        const int threads = core::threadCount();
        core::setThreadCount(1);
        const prep::LabelledRows one = resample(rows, {{"method", "smote"}}, 3);
        core::setThreadCount(std::max(2, threads));
        const prep::LabelledRows many = resample(rows, {{"method", "smote"}}, 3);
        core::setThreadCount(threads);
        QVERIFY(sameRows(one, many));
        QVERIFY(one.table.rowCount() > table.rowCount());
    }

    void cancelStopsTheNeighbourSearch()
    {
        data::ClassificationSpec spec;
        spec.samples = 8000;
        spec.features = 10;
        spec.weights = {0.5, 0.5};
        spec.flipY = 0.0;
        spec.seed = 4;
        const data::Table table = data::makeClassification(spec);
        prep::LabelledRows rows;
        rows.table = table.withoutColumns({"target"});
        rows.target.classCount = 2;
        rows.target.values = table.column("target").values();
        // Make class 1 the minority of about 4000 rows.
        for (std::size_t i = 0; i < 500; ++i)
            rows.target.values[i] = 0.0;
        core::TaskControl* target = nullptr;
        CancellingObserver observer(target, 0.0);
        core::TaskControl control(&observer);
        target = &control;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, makeSampler({{"method", "smote"}})->apply(rows, 1, control));
        QVERIFY(observer.monotone);
        QVERIFY(observer.reports >= 3);
        // Cancelled during the neighbour search, before any synthetic row was made.
        QVERIFY(observer.last > 0.0 && observer.last < 0.9);
    }

    void unusableInputGivesClearErrors()
    {
        prep::LabelledRows rows = rowsOf(reference()["binary"]);

        prep::LabelledRows regression = rows;
        regression.target.task = core::TaskType::Regression;
        regression.target.classCount = 0;
        QVERIFY(dataErrorOf([&] { resample(regression, {{"method", "over"}}); }).find("regression") !=
                std::string::npos);

        prep::LabelledRows categorical = rows;
        categorical.table.addColumn(data::Column::categoricalFromText(
            "colour", std::vector<std::string>(rows.table.rowCount(), "red"), std::vector<bool>(rows.table.rowCount(), false)));
        const std::string encode = dataErrorOf([&] { resample(categorical, {{"method", "smote"}}); });
        QVERIFY2(encode.find("'colour'") != std::string::npos && encode.find("Encode categories") != std::string::npos,
                 encode.c_str());
        // Random over- and undersampling copy rows, so categories are fine there.
        QCOMPARE(classCounts(resample(categorical, {{"method", "over"}}).target), (std::vector<int>{540, 540}));

        prep::LabelledRows missing = rows;
        std::vector<double> values = missing.table.column(2).values();
        values[17] = std::numeric_limits<double>::quiet_NaN();
        missing.table.replaceColumn(data::Column::numeric("f2", values));
        const std::string gap = dataErrorOf([&] { resample(missing, {{"method", "smote"}}); });
        QVERIFY2(gap.find("missing value") != std::string::npos && gap.find("row 18") != std::string::npos, gap.c_str());

        // 4 rows of class 1: k_neighbors=5 needs 6.
        std::vector<std::size_t> few;
        int minority = 0;
        for (std::size_t i = 0; i < rows.table.rowCount(); ++i)
            if (rows.target.values[i] == 0.0 || minority++ < 4)
                few.push_back(i);
        prep::LabelledRows small{rows.table.selectRows(few), rows.target};
        small.target.values.clear();
        for (std::size_t i : few)
            small.target.values.push_back(rows.target.values[i]);
        const std::string tooFew = dataErrorOf([&] { resample(small, {{"method", "smote"}}); });
        QVERIFY2(tooFew.find("only 4 training rows") != std::string::npos &&
                     tooFew.find("lower k_neighbors to 3 or less") != std::string::npos,
                 tooFew.c_str());
        QCOMPARE(classCounts(resample(small, {{"method", "smote"}, {"k_neighbors", "3"}}).target),
                 (std::vector<int>{540, 540}));

        prep::LabelledRows single = small;
        std::fill(single.target.values.begin(), single.target.values.end(), 0.0);
        QVERIFY(dataErrorOf([&] { resample(single, {{"method", "under"}}); }).find("only one class") !=
                std::string::npos);
    }

    void evaluationRowsAreNeverResampled()
    {
        const data::Table titanic = data::loadBuiltinDataset("titanic");
        workflow::Recipe plain;
        plain.problem.target = "survived";
        plain.prep.dropColumns = {"alive"};
        plain.model.name = "logistic_regression";
        plain.seed = 9;
        workflow::Recipe balanced = plain;
        // Listed first, it still runs last: on the encoded, scaled numbers.
        balanced.prep.steps.insert(balanced.prep.steps.begin(), {"resample", true, {}, {{"method", "smote"}}});
        core::TaskControl control;
        const workflow::RunResult before = workflow::runRecipe(plain, titanic, nullptr, control);
        const workflow::RunResult after = workflow::runRecipe(balanced, titanic, nullptr, control);
        QCOMPARE(after.testRows, before.testRows);
        QCOMPARE(after.testPredictions.classIndex.size(), before.testPredictions.classIndex.size());
        // 891 rows, 20% test stratified: 712 training rows, 439 of them class 0.
        QCOMPARE(before.trainRowCount, std::size_t(712));
        QCOMPARE(after.trainRowCount, std::size_t(2 * 439));
        // The model saw balanced classes: it predicts survival more often.
        const auto survivors = [](const workflow::RunResult& result) {
            return std::count(result.testPredictions.classIndex.begin(), result.testPredictions.classIndex.end(), 1);
        };
        QVERIFY(survivors(after) > survivors(before));

        // The preview shows the step at its place in the list, having run on the training rows.
        const workflow::PipelinePreview preview = workflow::previewPipeline(balanced, titanic, std::nullopt, control);
        QVERIFY2(preview.problem.empty(), preview.problem.c_str());
        QVERIFY(preview.steps.front().ran);
        QCOMPARE(preview.steps.front().rowsBefore, std::size_t(712));
        QCOMPARE(preview.steps.front().rowsAfter, std::size_t(2 * 439));
        QCOMPARE(preview.testRows, std::size_t(179));
    }

    void logisticRegressionBalancedMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("set");
        QTest::newRow("binary 540/60") << "binary";
        QTest::newRow("multinomial 300/150/50") << "three_class";
        QTest::newRow("breast_cancer") << "breast_cancer";
    }

    void logisticRegressionBalancedMatchesScikitLearn()
    {
        QFETCH(QString, set);
        const json& expected = reference()["logistic_balanced"][set.toStdString()];
        const models::Dataset train = set == "breast_cancer" ? test::loadFixture("breast_cancer_train", 2)
                                                             : datasetOf(reference()[set.toStdString()]);
        auto model = makeModel<models::LogisticRegression>("logistic_regression", core::TaskType::Classification,
                                                           {{"class_weight", "balanced"}});
        core::TaskControl control;
        const models::FitReport report = model->fit(train, control);
        QVERIFY2(report.converged, report.message.c_str());
        QVERIFY2(std::abs(report.iterations - expected["n_iter"].get<int>()) <= 2,
                 (std::to_string(report.iterations) + " vs " + expected["n_iter"].dump()).c_str());
        // The tolerances of tst_logistic_regression: both solvers stop near, not at, the optimum.
        const json& coef = expected["coef"];
        QCOMPARE(model->coefficients().rows(), static_cast<Eigen::Index>(coef.size()));
        for (Eigen::Index k = 0; k < model->coefficients().rows(); ++k) {
            for (Eigen::Index j = 0; j < model->coefficients().cols(); ++j) {
                const double theirs = coef[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)].get<double>();
                const double ours = model->coefficients()(k, j);
                QVERIFY2(std::abs(ours - theirs) <= 1e-3 * std::max(1.0, std::abs(theirs)),
                         (std::to_string(ours) + " vs " + std::to_string(theirs)).c_str());
            }
            const double intercept = expected["intercept"][static_cast<std::size_t>(k)].get<double>();
            QVERIFY(std::abs(model->intercepts()(k) - intercept) <= 1e-3 * std::max(1.0, std::abs(intercept)));
        }
        if (expected.contains("test_proba")) {
            const models::Dataset testRows = test::loadFixture("breast_cancer_test", 2);
            const Eigen::MatrixXd proba = model->predictProba(testRows.x);
            double worst = 0.0;
            for (Eigen::Index i = 0; i < proba.rows(); ++i)
                for (Eigen::Index k = 0; k < proba.cols(); ++k)
                    worst = std::max(worst, std::abs(proba(i, k) - expected["test_proba"][static_cast<std::size_t>(i)]
                                                                             [static_cast<std::size_t>(k)]
                                                                                 .get<double>()));
            QVERIFY2(worst <= 1e-4, std::to_string(worst).c_str());
        }
        // Weighting raises the recall of the smallest class on the training rows as it
        // does in scikit-learn (the same rows, give or take one near the boundary).
        Eigen::VectorXi counts = Eigen::VectorXi::Zero(train.classCount);
        for (Eigen::Index i = 0; i < train.y.size(); ++i)
            ++counts(static_cast<Eigen::Index>(train.y(i)));
        Eigen::Index minority = 0;
        counts.minCoeff(&minority);
        const double recall = minorityRecall(model->predict(train.x), train.y, static_cast<int>(minority));
        QVERIFY2(std::abs(recall - expected["train_minority_recall"].get<double>()) * counts(minority) <= 1.0 + 1e-9,
                 std::to_string(recall).c_str());
        auto plainModel = makeModel<models::LogisticRegression>("logistic_regression", core::TaskType::Classification, {});
        plainModel->fit(train, control);
        const double plainRecall = minorityRecall(plainModel->predict(train.x), train.y, static_cast<int>(minority));
        QVERIFY(std::abs(plainRecall - expected["train_minority_recall_unweighted"].get<double>()) * counts(minority) <=
                1.0 + 1e-9);
        QVERIFY(recall >= plainRecall);
    }

    void forestTreeMatchesScikitLearnExactly_data()
    {
        QTest::addColumn<QString>("weight");
        QTest::newRow("none") << "none";
        QTest::newRow("balanced") << "balanced";
    }

    void forestTreeMatchesScikitLearnExactly()
    {
        QFETCH(QString, weight);
        const json& example = reference()["tree"];
        const json& expected = example[weight.toStdString()];
        models::Dataset data;
        data.x.resize(12, 2);
        data.y.resize(12);
        for (Eigen::Index i = 0; i < 12; ++i) {
            data.x(i, 0) = example["x"][static_cast<std::size_t>(i)][0].get<double>();
            data.x(i, 1) = example["x"][static_cast<std::size_t>(i)][1].get<double>();
            data.y(i) = example["y"][static_cast<std::size_t>(i)].get<double>();
        }
        data.classCount = 2;
        auto forest = makeModel<models::RandomForest>("random_forest", core::TaskType::Classification,
                                                      {{"n_estimators", "1"},
                                                       {"bootstrap", "false"},
                                                       {"max_depth", "2"},
                                                       {"max_features", "all"},
                                                       {"max_bins", "none"}, // scikit-learn's exact splitter
                                                       {"class_weight", weight.toStdString()}});
        core::TaskControl control;
        forest->fit(data, control);
        const models::DecisionTree& tree = forest->trees().front();
        QCOMPARE(tree.nodeCount(), expected["feature"].size());
        // The same nodes in the same (depth-first) order, the same thresholds, and leaves
        // with scikit-learn's weighted class shares.
        for (std::size_t node = 0; node < tree.nodeCount(); ++node) {
            const int feature = expected["feature"][node].get<int>();
            const models::DecisionTree::Node& ours = tree.nodes()[node];
            if (feature < 0) {
                QCOMPARE(ours.feature, -1);
                const double* values = tree.leafValues(ours.left);
                for (int k = 0; k < 2; ++k)
                    QVERIFY(std::abs(values[k] - expected["leaf_proba"][node][static_cast<std::size_t>(k)].get<double>()) <=
                            1e-15);
            } else {
                QCOMPARE(ours.feature, feature);
                QCOMPARE(ours.threshold, expected["threshold"][node].get<double>());
            }
        }
        // Importances are the weighted impurity decreases Σ W·gini − W_L·gini_L − W_R·gini_R,
        // normalised: agreeing to 1e-12 means the weighted impurities agree.
        for (Eigen::Index j = 0; j < 2; ++j)
            QVERIFY2(std::abs(forest->featureImportances()(j) -
                              expected["feature_importances"][static_cast<std::size_t>(j)].get<double>()) <= 1e-12,
                     std::to_string(forest->featureImportances()(j)).c_str());
    }

    void forestBalancedRaisesMinorityRecallAsScikitLearn()
    {
        const json& expected = reference()["forest"];
        models::Dataset train = test::loadFixture("rf_imbalanced_train", 2);
        const models::Dataset testRows = test::loadFixture("rf_imbalanced_test", 2);
        std::map<std::string, double> recall, accuracy;
        for (const std::string weight : {"none", "balanced"}) {
            for (std::uint64_t seed = 0; seed < 5; ++seed) {
                auto forest = makeModel<models::RandomForest>(
                    "random_forest", core::TaskType::Classification,
                    {{"n_estimators", "100"}, {"max_depth", "4"}, {"class_weight", weight}});
                train.seed = seed;
                core::TaskControl control;
                forest->fit(train, control);
                const Eigen::VectorXd predicted = forest->predict(testRows.x);
                recall[weight] += minorityRecall(predicted, testRows.y, 1) / 5.0;
                accuracy[weight] += (predicted.array() == testRows.y.array()).cast<double>().mean() / 5.0;
            }
            // Five forests each: scikit-learn's seeds spread the minority recall by about
            // 0.017 (standard error of the mean 0.008), the accuracy by less.
            const double theirRecall = expected[weight]["mean_minority_recall"].get<double>();
            const double theirAccuracy = expected[weight]["mean_accuracy"].get<double>();
            QVERIFY2(std::abs(recall[weight] - theirRecall) <= 0.04,
                     (weight + ": recall " + std::to_string(recall[weight]) + " vs " + std::to_string(theirRecall)).c_str());
            QVERIFY2(std::abs(accuracy[weight] - theirAccuracy) <= 0.01,
                     (weight + ": accuracy " + std::to_string(accuracy[weight]) + " vs " + std::to_string(theirAccuracy))
                         .c_str());
        }
        QVERIFY(recall["balanced"] > recall["none"] + 0.2);
    }

    void classWeightIsForClassificationOnly()
    {
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 models::createModel("random_forest", core::TaskType::Regression,
                                                     {{"class_weight", "balanced"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 models::createModel("logistic_regression", core::TaskType::Classification,
                                                     {{"class_weight", "auto"}}));
        QVERIFY(models::createModel("random_forest", core::TaskType::Regression, {{"class_weight", "none"}}));
    }
};

QTEST_GUILESS_MAIN(TestResampling)
#include "tst_resampling.moc"
