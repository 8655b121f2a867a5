// Metrics against scikit-learn 1.2.1 (tests/reference/metrics_reference.py), the
// classification report byte for byte, and success criteria.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/evaluation/success.hpp"

using namespace stepwise;
using nlohmann::json;

namespace {

// scikit-learn builds ROC AUC from trapezoids and sums with NumPy's pairwise reductions;
// the engine uses rank sums and plain loops. Both are exact up to a few ulps, so 1e-12
// (relative to the magnitude, at least 1) catches every real difference.
constexpr double kTolerance = 1e-12;

bool close(double actual, double expected)
{
    return std::abs(actual - expected) <= kTolerance * std::max(1.0, std::abs(expected));
}

const json& reference()
{
    static const json data = [] {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/metrics_reference.json");
        if (!in)
            qFatal("cannot open metrics_reference.json — run tests/reference/metrics_reference.py");
        return json::parse(in);
    }();
    return data;
}

Eigen::MatrixXd matrixOf(const json& rows)
{
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

#define CHECK_CLOSE(actual, expected)                                                                              \
    QVERIFY2(close((actual), (expected)), qPrintable(QString("%1 = %2, scikit-learn %3")                              \
                                                         .arg(#actual)                                               \
                                                         .arg((actual), 0, 'g', 17)                                  \
                                                         .arg((expected), 0, 'g', 17)))

std::string messageOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const std::exception& error) {
        return error.what();
    }
    return {};
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
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
        const auto metrics = evaluation::classificationMetrics(data["actual"].get<std::vector<int>>(),
                                                               data["predicted"].get<std::vector<int>>(),
                                                               matrixOf(data["proba"]), data["class_count"].get<int>());
        CHECK_CLOSE(metrics.accuracy, expected["accuracy"].get<double>());
        CHECK_CLOSE(metrics.precisionMacro, expected["precision_macro"].get<double>());
        CHECK_CLOSE(metrics.recallMacro, expected["recall_macro"].get<double>());
        CHECK_CLOSE(metrics.f1Macro, expected["f1_macro"].get<double>());
        CHECK_CLOSE(metrics.precisionWeighted, expected["precision_weighted"].get<double>());
        CHECK_CLOSE(metrics.recallWeighted, expected["recall_weighted"].get<double>());
        CHECK_CLOSE(metrics.f1Weighted, expected["f1_weighted"].get<double>());
        QVERIFY(metrics.logLoss.has_value());
        CHECK_CLOSE(*metrics.logLoss, expected["log_loss"].get<double>());
        QCOMPARE(metrics.rocAuc.has_value(), !expected["roc_auc"].is_null());
        if (metrics.rocAuc)
            CHECK_CLOSE(*metrics.rocAuc, expected["roc_auc"].get<double>());

        const json& perClass = expected["per_class"];
        QCOMPARE(metrics.perClass.size(), perClass.size());
        for (std::size_t c = 0; c < perClass.size(); ++c) {
            CHECK_CLOSE(metrics.perClass[c].precision, perClass[c]["precision"].get<double>());
            CHECK_CLOSE(metrics.perClass[c].recall, perClass[c]["recall"].get<double>());
            CHECK_CLOSE(metrics.perClass[c].f1, perClass[c]["f1"].get<double>());
            QCOMPARE(metrics.perClass[c].support, perClass[c]["support"].get<std::size_t>());
        }
        QCOMPARE(metrics.confusion, expected["confusion"].get<evaluation::ConfusionMatrix>());
        QCOMPARE(evaluation::confusionMatrix(data["actual"].get<std::vector<int>>(),
                                             data["predicted"].get<std::vector<int>>(), data["class_count"].get<int>()),
                 metrics.confusion);

        const std::string report = evaluation::classificationReport(
            metrics, data["class_names"].get<std::vector<std::string>>(), expected["report_digits"].get<int>());
        QCOMPARE(report, expected["report"].get<std::string>());
    }

    void logLossClipsAtMachineEpsilon()
    {
        // A certain, wrong prediction costs −log(eps) with scikit-learn 1.2's eps="auto"
        // (float64 machine epsilon), not −log(1e-15).
        const auto metrics = evaluation::classificationMetrics({0}, {1}, Eigen::MatrixXd{{0.0, 1.0}}, 2);
        const double eps = std::numeric_limits<double>::epsilon();
        CHECK_CLOSE(*metrics.logLoss, -std::log(eps / (eps + 1.0 - eps)));
        QVERIFY(*metrics.logLoss > 36.0);
    }

    void noProbabilitiesMeansNoAucOrLogLoss()
    {
        const auto metrics = evaluation::classificationMetrics({0, 1, 1, 0}, {0, 1, 0, 0}, Eigen::MatrixXd(), 2);
        QVERIFY(!metrics.rocAuc.has_value());
        QVERIFY(!metrics.logLoss.has_value());
        QCOMPARE(metrics.accuracy, 0.75);
    }

    void binaryAucUndefinedWithOneClass()
    {
        const Eigen::MatrixXd proba{{0.8, 0.2}, {0.4, 0.6}, {0.5, 0.5}};
        const auto metrics = evaluation::classificationMetrics({0, 0, 0}, {0, 1, 0}, proba, 2);
        QVERIFY(!metrics.rocAuc.has_value());
        QVERIFY(metrics.logLoss.has_value());
    }

    void rocAucRankSumWithTies()
    {
        // Pairs (positive, negative): 0.5 vs 0.5 tie → ½, 0.5 vs 0.1 → 1, 0.9 vs 0.5 → 1,
        // 0.9 vs 0.1 → 1: 3.5 of 4.
        const auto auc = evaluation::rocAuc({true, false, true, false}, {0.5, 0.5, 0.9, 0.1});
        QVERIFY(auc.has_value());
        QCOMPARE(*auc, 0.875);
        QCOMPARE(*evaluation::rocAuc({true, true, false}, {0.3, 0.3, 0.3}), 0.5);
        QVERIFY(!evaluation::rocAuc({true, true}, {0.1, 0.2}).has_value());
        QVERIFY(!evaluation::rocAuc({false}, {0.1}).has_value());
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, evaluation::rocAuc({true, false}, {0.1}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::rocAuc({true, false}, {0.1, std::numeric_limits<double>::quiet_NaN()}));
    }

    void badClassificationInputs()
    {
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::classificationMetrics({0, 1}, {0}, Eigen::MatrixXd(), 2));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::classificationMetrics({0, 2}, {0, 1}, Eigen::MatrixXd(), 2));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::classificationMetrics({0, 1}, {0, 1}, Eigen::MatrixXd::Zero(2, 3), 2));
        QVERIFY_THROWS_EXCEPTION(core::DataError, evaluation::classificationMetrics({}, {}, Eigen::MatrixXd(), 2));
        const auto metrics = evaluation::classificationMetrics({0, 1}, {0, 1}, Eigen::MatrixXd(), 2);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, evaluation::classificationReport(metrics, {"only one"}));
        QVERIFY(messageOf([] { evaluation::classificationMetrics({0, 5}, {0, 1}, Eigen::MatrixXd(), 3); })
                    .find("class index 5") != std::string::npos);
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
        const auto metrics = evaluation::regressionMetrics(vectorOf(data["actual"]), vectorOf(data["predicted"]));
        CHECK_CLOSE(metrics.mse, expected["mse"].get<double>());
        CHECK_CLOSE(metrics.rmse, expected["rmse"].get<double>());
        CHECK_CLOSE(metrics.mae, expected["mae"].get<double>());
        CHECK_CLOSE(metrics.r2, expected["r2"].get<double>());
    }

    void regressionEdgeCases()
    {
        QVERIFY(std::isnan(evaluation::regressionMetrics(Eigen::VectorXd::Constant(1, 2.0),
                                                         Eigen::VectorXd::Constant(1, 3.0))
                               .r2));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::regressionMetrics(Eigen::VectorXd::Zero(3), Eigen::VectorXd::Zero(2)));
        QVERIFY_THROWS_EXCEPTION(core::DataError,
                                 evaluation::regressionMetrics(Eigen::VectorXd(), Eigen::VectorXd()));
    }

    void metricListsAndHelp()
    {
        const auto& classification = evaluation::metricsFor(core::TaskType::Classification);
        std::vector<std::string> names;
        for (const auto& info : classification) {
            names.push_back(info.name);
            QVERIFY(!info.displayName.empty());
            QVERIFY(info.help.size() > 20 && info.help.back() == '.');
            QCOMPARE(info.higherIsBetter, info.name != "log_loss" && info.name != "brier");
        }
        // The original metrics stay first and in order; tst_evaluation_metrics checks the rest.
        names.resize(7);
        QCOMPARE(names, (std::vector<std::string>{"accuracy", "precision_macro", "recall_macro", "f1_macro",
                                                  "f1_weighted", "roc_auc", "log_loss"}));
        names.clear();
        for (const auto& info : evaluation::metricsFor(core::TaskType::Regression)) {
            names.push_back(info.name);
            QCOMPARE(info.higherIsBetter, info.name == "r2" || info.name == "explained_variance");
        }
        names.resize(4);
        QCOMPARE(names, (std::vector<std::string>{"r2", "rmse", "mae", "mse"}));
    }

    void parsesSuccessCriteria()
    {
        auto criterion = evaluation::parseSuccessCriterion("f1_macro>=0.85", core::TaskType::Classification);
        QCOMPARE(criterion.metric, std::string("f1_macro"));
        QVERIFY(criterion.atLeast);
        QCOMPARE(criterion.threshold, 0.85);
        QCOMPARE(criterion.toString(), std::string("f1_macro>=0.85"));

        criterion = evaluation::parseSuccessCriterion("  rmse <= 3 ", core::TaskType::Regression);
        QCOMPARE(criterion.metric, std::string("rmse"));
        QVERIFY(!criterion.atLeast);
        QCOMPARE(criterion.threshold, 3.0);
        QCOMPARE(criterion.toString(), std::string("rmse<=3"));

        // An unusual direction is the user's choice, not an error.
        criterion = evaluation::parseSuccessCriterion("log_loss>=0.2", core::TaskType::Classification);
        QVERIFY(criterion.atLeast);
        QCOMPARE(evaluation::parseSuccessCriterion("ROC_AUC>=0.9", core::TaskType::Classification).metric,
                 std::string("roc_auc"));
        QCOMPARE(evaluation::parseSuccessCriterion("r2>=-0.5", core::TaskType::Regression).threshold, -0.5);
    }

    void rejectsBadCriteria()
    {
        const std::string unknown =
            messageOf([] { evaluation::parseSuccessCriterion("rmse<=3", core::TaskType::Classification); });
        QCOMPARE(unknown, std::string("metric 'rmse' is not a classification metric — use one of: accuracy, "
                                      "precision_macro, recall_macro, f1_macro, f1_weighted, roc_auc, log_loss, "
                                      "balanced_accuracy, precision_weighted, recall_weighted, precision_micro, "
                                      "recall_micro, f1_micro, specificity_macro, mcc, cohen_kappa, "
                                      "roc_auc_ovr_weighted, roc_auc_ovo, roc_auc_ovo_weighted, average_precision, "
                                      "brier"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::parseSuccessCriterion("f1_macro>0.8", core::TaskType::Classification));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::parseSuccessCriterion("accuracy>=abc", core::TaskType::Classification));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::parseSuccessCriterion("accuracy>=", core::TaskType::Classification));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::parseSuccessCriterion("accuracy>=0.8x", core::TaskType::Classification));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::parseSuccessCriterion("accuracy>=inf", core::TaskType::Classification));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 evaluation::parseSuccessCriterion(">=0.8", core::TaskType::Classification));
    }

    void metricValuesByName()
    {
        const auto metrics = evaluation::classificationMetrics({0, 1, 1, 0}, {0, 1, 0, 0},
                                                               Eigen::MatrixXd{{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.7, 0.3}}, 2);
        QCOMPARE(*evaluation::metricValue(metrics, "accuracy"), 0.75);
        QCOMPARE(*evaluation::metricValue(metrics, "f1_macro"), metrics.f1Macro);
        QCOMPARE(*evaluation::metricValue(metrics, "f1_weighted"), metrics.f1Weighted);
        QCOMPARE(*evaluation::metricValue(metrics, "precision_macro"), metrics.precisionMacro);
        QCOMPARE(*evaluation::metricValue(metrics, "recall_macro"), metrics.recallMacro);
        QCOMPARE(*evaluation::metricValue(metrics, "roc_auc"), 1.0);
        QCOMPARE(*evaluation::metricValue(metrics, "log_loss"), *metrics.logLoss);
        const auto noProba = evaluation::classificationMetrics({0, 1}, {0, 1}, Eigen::MatrixXd(), 2);
        QVERIFY(!evaluation::metricValue(noProba, "roc_auc").has_value());
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, evaluation::metricValue(metrics, "r2"));

        evaluation::RegressionMetrics regression;
        regression.r2 = 0.5;
        regression.rmse = 2.0;
        regression.mae = 1.5;
        regression.mse = 4.0;
        QCOMPARE(*evaluation::metricValue(regression, "r2"), 0.5);
        QCOMPARE(*evaluation::metricValue(regression, "rmse"), 2.0);
        QCOMPARE(*evaluation::metricValue(regression, "mae"), 1.5);
        QCOMPARE(*evaluation::metricValue(regression, "mse"), 4.0);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, evaluation::metricValue(regression, "accuracy"));
    }

    void judgesVerdicts()
    {
        const auto atLeast = evaluation::parseSuccessCriterion("f1_macro>=0.85", core::TaskType::Classification);
        QVERIFY(evaluation::judge(atLeast, 0.85).passed);
        QVERIFY(evaluation::judge(atLeast, 0.9).passed);
        QVERIFY(!evaluation::judge(atLeast, 0.8499).passed);
        QVERIFY(!evaluation::judge(atLeast, std::nullopt).passed);
        QVERIFY(!evaluation::judge(atLeast, std::numeric_limits<double>::quiet_NaN()).passed);
        const auto verdict = evaluation::judge(atLeast, 0.9);
        QCOMPARE(verdict.criterion.toString(), std::string("f1_macro>=0.85"));
        QCOMPARE(*verdict.value, 0.9);

        const auto atMost = evaluation::parseSuccessCriterion("rmse<=3", core::TaskType::Regression);
        QVERIFY(evaluation::judge(atMost, 3.0).passed);
        QVERIFY(evaluation::judge(atMost, 2.5).passed);
        QVERIFY(!evaluation::judge(atMost, 3.01).passed);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
