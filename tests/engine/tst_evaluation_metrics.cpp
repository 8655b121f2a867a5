// Every metric of the Evaluation step against scikit-learn 1.2.1
// (tests/reference/evaluation_metrics_reference.py), on model predictions from the
// bundled datasets and on edge cases; the metric table behind --success; the report JSON.
//
// Absent (nullopt / NaN) ⇔ null in the fixture, where the script writes null for:
// roc_auc* when roc_auc_score raises ValueError (a class missing from y_true) or there
// are no probabilities; average_precision wherever ROC AUC is null (scikit-learn only
// warns there and scores the class without positives 0, which is not a score);
// log_loss and brier without probabilities; cohen_kappa where scikit-learn returns NaN
// (the engine's NaN); r2 where r2_score returns NaN (one row).
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/io/report.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
using nlohmann::json;

namespace {

// The bar: 1e-9, relative to the magnitude when that exceeds 1 (MAPE with a zero
// actual value is ~4.5e14).
constexpr double kTolerance = 1e-9;

// Largest deviation seen per metric, printed at the end for the record.
std::map<std::string, double>& deviations()
{
    static std::map<std::string, double> seen;
    return seen;
}

bool close(const std::string& name, double actual, double expected)
{
    const double scale = std::max(1.0, std::abs(expected));
    const double deviation = std::abs(actual - expected) / scale;
    double& largest = deviations()[name];
    largest = std::max(largest, deviation);
    return deviation <= kTolerance;
}

const json& reference()
{
    static const json data = [] {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/reference/evaluation_metrics.json");
        if (!in)
            qFatal("cannot open evaluation_metrics.json — run tests/reference/evaluation_metrics_reference.py");
        return json::parse(in);
    }();
    return data;
}

Eigen::MatrixXd matrixOf(const json& rows)
{
    if (rows.empty())
        return {};
    Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < rows[r].size(); ++c)
            matrix(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c].get<double>();
    return matrix;
}

Eigen::VectorXd vectorOf(const json& values)
{
    Eigen::VectorXd vector(static_cast<Eigen::Index>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
        vector[static_cast<Eigen::Index>(i)] = values[i].get<double>();
    return vector;
}

#define CHECK_METRIC(name, actual, expected)                                                                       \
    QVERIFY2(close((name), (actual), (expected)), qPrintable(QString("%1 = %2, scikit-learn %3")                    \
                                                                  .arg(QString::fromStdString(name))              \
                                                                  .arg((actual), 0, 'g', 17)                      \
                                                                  .arg((expected), 0, 'g', 17)))

// A value that may be undefined: NaN and absent both mean "null in the fixture".
#define CHECK_MAYBE(name, value, expected)                                                                         \
    do {                                                                                                           \
        const std::optional<double> maybe_ = (value);                                                              \
        const bool defined_ = maybe_.has_value() && !std::isnan(*maybe_);                                          \
        QVERIFY2(defined_ == !(expected).is_null(),                                                                \
                 qPrintable(QString("%1: engine %2, scikit-learn %3")                                              \
                                .arg(QString::fromStdString(name))                                                 \
                                .arg(defined_ ? "defined" : "undefined")                                           \
                                .arg((expected).is_null() ? "undefined" : "defined")));                            \
        if (defined_)                                                                                              \
            CHECK_METRIC(name, *maybe_, (expected).get<double>());                                                 \
    } while (false)

std::vector<std::string> namesOf(core::TaskType task)
{
    std::vector<std::string> names;
    for (const auto& info : evaluation::metricsFor(task))
        names.push_back(info.name);
    return names;
}

} // namespace

class TestEvaluationMetrics : public QObject {
    Q_OBJECT
private slots:
    void cleanupTestCase()
    {
        for (const auto& [name, deviation] : deviations())
            qInfo("largest deviation from scikit-learn, %s: %.3g", name.c_str(), deviation);
    }

    void classificationMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("caseName");
        for (const auto& [name, value] : reference()["classification"].items())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void classificationMatchesScikitLearn()
    {
        QFETCH(QString, caseName);
        const json& data = reference()["classification"][caseName.toStdString()];
        const json& expected = data["expected"];
        const auto m = evaluation::classificationMetrics(data["actual"].get<std::vector<int>>(),
                                                         data["predicted"].get<std::vector<int>>(),
                                                         matrixOf(data["proba"]), data["class_count"].get<int>());
        // Every metric of the table behind --success, looked up by its report name, so a
        // metric added there without a reference value fails here.
        for (const std::string& name : namesOf(core::TaskType::Classification)) {
            QVERIFY2(expected.contains(name), name.c_str());
            CHECK_MAYBE(name, evaluation::metricValue(m, name), expected[name]);
        }
        // Single-label rows: the pooled counts are the same for precision and recall.
        QCOMPARE(m.precisionMicro, m.recallMicro);

        const json& perClass = expected["per_class"];
        QCOMPARE(m.perClass.size(), perClass.size());
        for (std::size_t c = 0; c < perClass.size(); ++c) {
            CHECK_METRIC("per_class.precision", m.perClass[c].precision, perClass[c]["precision"].get<double>());
            CHECK_METRIC("per_class.recall", m.perClass[c].recall, perClass[c]["recall"].get<double>());
            CHECK_METRIC("per_class.f1", m.perClass[c].f1, perClass[c]["f1"].get<double>());
            CHECK_METRIC("per_class.specificity", m.perClass[c].specificity,
                         perClass[c]["specificity"].get<double>());
            QCOMPARE(m.perClass[c].support, perClass[c]["support"].get<std::size_t>());
        }
        QCOMPARE(m.confusion, expected["confusion"].get<evaluation::ConfusionMatrix>());
        QCOMPARE(evaluation::classificationReport(m, data["class_names"].get<std::vector<std::string>>()),
                 expected["report"].get<std::string>());

        if (data["class_count"].get<int>() == 2 && m.rocAuc) {
            // Binary: every AUC variant is the one binary AUC, bit for bit.
            QCOMPARE(*m.rocAucOvrWeighted, *m.rocAuc);
            QCOMPARE(*m.rocAucOvo, *m.rocAuc);
            QCOMPARE(*m.rocAucOvoWeighted, *m.rocAuc);
        }
    }

    void averagePrecisionIsTheStepSum()
    {
        // Scores 0.9 (positive), 0.8 (negative), 0.7 (positive): recall ½ at precision 1,
        // then recall 1 at precision ⅔ → ½·1 + ½·⅔ = 5/6. The trapezoidal area (which
        // interpolates between the points) would be larger.
        const Eigen::MatrixXd proba{{0.1, 0.9}, {0.2, 0.8}, {0.3, 0.7}, {0.9, 0.1}};
        const auto metrics = evaluation::classificationMetrics({1, 0, 1, 0}, {1, 1, 1, 0}, proba, 2);
        QVERIFY(metrics.averagePrecision.has_value());
        QVERIFY(std::abs(*metrics.averagePrecision - 5.0 / 6.0) < 1e-15);
        // Tied scores enter together: both rows at 0.5 → precision ½ at recall 1.
        const Eigen::MatrixXd tied{{0.5, 0.5}, {0.5, 0.5}};
        QCOMPARE(*evaluation::classificationMetrics({0, 1}, {0, 0}, tied, 2).averagePrecision, 0.5);
    }

    void rankingMetricsNeedProbabilitiesAndEveryClass()
    {
        const auto noProba = evaluation::classificationMetrics({0, 1, 2, 1}, {0, 1, 1, 1}, Eigen::MatrixXd(), 3);
        for (const auto& value : {noProba.rocAuc, noProba.rocAucOvrWeighted, noProba.rocAucOvo,
                                  noProba.rocAucOvoWeighted, noProba.averagePrecision, noProba.logLoss,
                                  noProba.brier})
            QVERIFY(!value.has_value());
        // Class 2 missing from the actual labels: rankings undefined, losses still defined.
        const Eigen::MatrixXd proba = Eigen::MatrixXd::Constant(4, 3, 1.0 / 3.0);
        const auto missing = evaluation::classificationMetrics({0, 1, 0, 1}, {0, 1, 2, 1}, proba, 3);
        for (const auto& value :
             {missing.rocAuc, missing.rocAucOvrWeighted, missing.rocAucOvo, missing.rocAucOvoWeighted,
              missing.averagePrecision})
            QVERIFY(!value.has_value());
        QVERIFY(missing.logLoss.has_value());
        QVERIFY(missing.brier.has_value());
        const Eigen::MatrixXd withNaN{{0.5, std::numeric_limits<double>::quiet_NaN()}, {0.5, 0.5}};
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::classificationMetrics({0, 1}, {0, 1}, withNaN, 2));
    }

    void regressionMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("caseName");
        for (const auto& [name, value] : reference()["regression"].items())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void regressionMatchesScikitLearn()
    {
        QFETCH(QString, caseName);
        const json& data = reference()["regression"][caseName.toStdString()];
        const json& expected = data["expected"];
        const auto m = evaluation::regressionMetrics(vectorOf(data["actual"]), vectorOf(data["predicted"]));
        for (const std::string& name : namesOf(core::TaskType::Regression)) {
            QVERIFY2(expected.contains(name), name.c_str());
            CHECK_MAYBE(name, evaluation::metricValue(m, name), expected[name]);
        }
    }

    void medianOfNaNErrorsIsNaN()
    {
        const Eigen::VectorXd actual{{1.0, std::numeric_limits<double>::quiet_NaN(), 3.0}};
        QVERIFY(std::isnan(evaluation::regressionMetrics(actual, Eigen::VectorXd::Zero(3)).medianAe));
    }

    void newMetricsAreListedAfterTheExistingOnes()
    {
        QCOMPARE(namesOf(core::TaskType::Classification),
                 (std::vector<std::string>{"accuracy", "precision_macro", "recall_macro", "f1_macro", "f1_weighted",
                                           "roc_auc", "log_loss", "balanced_accuracy", "precision_weighted",
                                           "recall_weighted", "precision_micro", "recall_micro", "f1_micro",
                                           "specificity_macro", "mcc", "cohen_kappa", "roc_auc_ovr_weighted",
                                           "roc_auc_ovo", "roc_auc_ovo_weighted", "average_precision", "brier"}));
        QCOMPARE(namesOf(core::TaskType::Regression),
                 (std::vector<std::string>{"r2", "rmse", "mae", "mse", "median_ae", "explained_variance", "mape"}));
        for (const auto task : {core::TaskType::Classification, core::TaskType::Regression})
            for (const auto& info : evaluation::metricsFor(task)) {
                QVERIFY2(!info.displayName.empty(), info.name.c_str());
                QVERIFY2(info.help.size() > 20 && info.help.back() == '.', info.name.c_str());
                const bool error = info.name == "log_loss" || info.name == "brier" || info.name == "rmse" ||
                                   info.name == "mae" || info.name == "mse" || info.name == "median_ae" ||
                                   info.name == "mape";
                QCOMPARE(info.higherIsBetter, !error);
            }
    }

    void successCriteriaUseTheNewMetrics()
    {
        const auto metrics = evaluation::classificationMetrics(
            {0, 1, 1, 0, 1}, {0, 1, 1, 0, 0}, Eigen::MatrixXd{{0.8, 0.2}, {0.3, 0.7}, {0.4, 0.6}, {0.6, 0.4},
                                                              {0.55, 0.45}},
            2);
        const auto mcc = evaluation::parseSuccessCriterion("MCC >= 0.5", core::TaskType::Classification);
        QCOMPARE(mcc.metric, std::string("mcc"));
        const auto verdict = evaluation::judge(mcc, evaluation::metricValue(metrics, mcc.metric));
        QCOMPARE(*verdict.value, metrics.matthews);
        QVERIFY(verdict.passed);  // TP 2, TN 2, FP 0, FN 1: MCC = 4 / √(2·3·2·3) = ⅔
        const auto brier = evaluation::parseSuccessCriterion("brier<=0.1", core::TaskType::Classification);
        QVERIFY(!evaluation::judge(brier, evaluation::metricValue(metrics, brier.metric)).passed);
        const auto mape = evaluation::parseSuccessCriterion("mape<=0.2", core::TaskType::Regression);
        QVERIFY(!mape.atLeast);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::parseSuccessCriterion("mape<=0.2", core::TaskType::Classification));
    }

    void reportJsonCarriesTheProblemStatement()
    {
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.problem.objective = "name the iris species from its measurements";
        recipe.problem.success = evaluation::parseSuccessCriterion("f1_macro>=0.9", core::TaskType::Classification);
        recipe.problem.maxLatencyMs = 5.0;
        recipe.problem.interpretability = workflow::Interpretability::Required;
        recipe.problem.retraining = workflow::RetrainingCadence::Monthly;
        recipe.data = data::parseDataLocation("builtin:iris");
        recipe.model.name = "logistic_regression";
        core::TaskControl control;
        const workflow::RunResult result = workflow::runRecipe(recipe, data::loadTable(recipe.data), nullptr, control);
        const json report = json::parse(io::reportJson(recipe, result));
        QVERIFY(report.contains("problem"));
        QCOMPARE(report["problem"], json::parse(workflow::problemToJson(recipe.problem)));
        QCOMPARE(report["problem"]["objective"].get<std::string>(), recipe.problem.objective);
        QCOMPARE(report["problem"]["interpretability"].get<std::string>(), std::string("required"));
        QCOMPARE(report["problem"]["retraining"].get<std::string>(), std::string("monthly"));
        // The keys that were there before are unchanged.
        QCOMPARE(report["target"].get<std::string>(), std::string("species"));
        QVERIFY(report["success"].is_object());
    }

    void reportJsonHasEveryMetric()
    {
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.data = data::parseDataLocation("builtin:iris");
        recipe.model.name = "logistic_regression";
        recipe.seed = 3;
        core::TaskControl control;
        const workflow::RunResult result = workflow::runRecipe(recipe, data::loadTable(recipe.data), nullptr, control);
        const json report = json::parse(io::reportJson(recipe, result));
        const auto& m = *result.classification;
        // The keys CLI.md promises, then exactly one key per metric of the table.
        for (const char* name : {"accuracy", "precision_macro", "recall_macro", "f1_macro", "precision_weighted",
                                 "recall_weighted", "f1_weighted", "roc_auc", "log_loss"})
            QVERIFY2(report["metrics"].contains(name), name);
        QCOMPARE(report["metrics"].size(), namesOf(core::TaskType::Classification).size());
        for (const std::string& name : namesOf(core::TaskType::Classification)) {
            QVERIFY2(report["metrics"][name].is_number(), name.c_str());
            QCOMPARE(report["metrics"][name].get<double>(), *evaluation::metricValue(m, name));
        }
        QCOMPARE(report["per_class"]["virginica"]["specificity"].get<double>(), m.perClass[2].specificity);
        QCOMPARE(report["classification_report"].get<std::string>(),
                 evaluation::classificationReport(m, result.pipeline->classes()));

        workflow::Recipe regression;
        regression.problem.target = "target";
        regression.problem.task = core::TaskType::Regression;
        regression.data = data::parseDataLocation("builtin:diabetes");
        regression.model.name = "linear_regression";
        const workflow::RunResult fitted =
            workflow::runRecipe(regression, data::loadTable(regression.data), nullptr, control);
        const json regressionReport = json::parse(io::reportJson(regression, fitted));
        QCOMPARE(regressionReport["metrics"].size(), namesOf(core::TaskType::Regression).size());
        for (const std::string& name : namesOf(core::TaskType::Regression))
            QCOMPARE(regressionReport["metrics"][name].get<double>(), *evaluation::metricValue(*fitted.regression, name));
        QVERIFY(!regressionReport.contains("classification_report"));
    }

    void reportJsonWritesUndefinedAsNull()
    {
        // One class everywhere: Cohen's kappa is NaN and every ranking metric absent.
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.data = data::parseDataLocation("builtin:iris");
        recipe.model.name = "logistic_regression";
        core::TaskControl control;
        const data::Table iris = data::loadTable(recipe.data);
        workflow::RunResult result = workflow::runRecipe(recipe, iris, nullptr, control);
        const std::size_t rows = result.testRows.size();
        const Eigen::MatrixXd proba = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(rows), 3, 1.0 / 3.0);
        result.classification = evaluation::classificationMetrics(std::vector<int>(rows, 1), std::vector<int>(rows, 1),
                                                                  proba, 3);
        const json report = json::parse(io::reportJson(recipe, result));
        for (const char* name : {"cohen_kappa", "roc_auc", "roc_auc_ovo", "roc_auc_ovo_weighted",
                                 "roc_auc_ovr_weighted", "average_precision"})
            QVERIFY2(report["metrics"][name].is_null(), name);
        QCOMPARE(report["metrics"]["mcc"].get<double>(), 0.0);
        QVERIFY(report["metrics"]["brier"].is_number());
    }
};

QTEST_GUILESS_MAIN(TestEvaluationMetrics)
#include "tst_evaluation_metrics.moc"
