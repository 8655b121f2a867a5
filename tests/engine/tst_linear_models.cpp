// Ridge, lasso and the linear SVM against scikit-learn 1.2.1 (Ridge, Lasso, LinearSVC with
// the hinge loss, LinearSVR). Reference values: tests/reference/linear_reference.py.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include <omp.h>

#include "engine/test_timing.hpp"
#include "engine/model_fixtures.hpp"
#include "models/lasso.hpp"
#include "models/linear_svm.hpp"
#include "models/ridge.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/models/registry.hpp"

using namespace stepwise;
using test::matrixFrom;
using test::vectorFrom;
using core::TaskType;

Q_DECLARE_METATYPE(stepwise::core::TaskType)

namespace {

template <class Concrete>
std::unique_ptr<Concrete> make(const std::string& name, TaskType task, const std::map<std::string, std::string>& params)
{
    auto model = models::createModel(name, task, params);
    return std::unique_ptr<Concrete>(static_cast<Concrete*>(model.release()));
}

nlohmann::json linearReference()
{
    std::ifstream in(test::referencePath("linear_reference.json"));
    if (!in)
        throw std::runtime_error("missing linear_reference.json — run tests/reference/linear_reference.py");
    return nlohmann::json::parse(in);
}

std::map<std::string, std::string> paramsFrom(const nlohmann::json& params)
{
    std::map<std::string, std::string> result;
    for (const auto& [name, value] : params.items()) {
        if (value.is_boolean())
            result[name] = value.get<bool>() ? "true" : "false";
        else if (value.is_string())
            result[name] = value.get<std::string>();
        else
            result[name] = value.dump();
    }
    return result;
}

// Largest |a − b| / max(1, |b|).
double relativeError(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b)
{
    return ((a - b).array().abs() / b.array().abs().max(1.0)).maxCoeff();
}

double rSquared(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted)
{
    return 1.0 - (actual - predicted).squaredNorm() / (actual.array() - actual.mean()).square().sum();
}

double accuracy(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted)
{
    return (actual.array() == predicted.array()).cast<double>().mean();
}

struct Split {
    models::Dataset train;
    models::Dataset test;
};

Split loadSplit(const nlohmann::json& expected, int classes)
{
    const std::string dataset = expected["dataset"].get<std::string>();
    return {test::loadFixture(dataset + "_train", classes), test::loadFixture(dataset + "_test", classes)};
}

// Rows of standard-normal features and a noisy linear target (classes from its sign).
// `shared` adds a common factor to every feature: strongly correlated features make the
// coordinate-descent solvers slow to converge.
models::Dataset largeData(Eigen::Index rows, Eigen::Index features, bool classification, std::uint64_t seed,
                          double shared = 0.0)
{
    core::RandomSource random(seed);
    models::Dataset data;
    data.x.resize(rows, features);
    for (Eigen::Index i = 0; i < data.x.size(); ++i)
        data.x.data()[i] = random.normal();
    for (Eigen::Index r = 0; r < rows; ++r)
        data.x.row(r).array() += shared * random.normal();
    Eigen::VectorXd weights(features);
    for (Eigen::Index j = 0; j < features; ++j)
        weights(j) = random.normal();
    data.y = data.x * weights;
    for (Eigen::Index r = 0; r < rows; ++r)
        data.y(r) += 2.0 * random.normal();
    if (classification) {
        data.y = (data.y.array() > 0.0).cast<double>().matrix();
        data.classCount = 2;
    }
    return data;
}

} // namespace

class TestLinearModels : public QObject {
    Q_OBJECT
private slots:
    void ridgeMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::newRow("diabetes alpha=1") << "diabetes";
        QTest::newRow("diabetes alpha=10, no intercept") << "diabetes_alpha10_no_intercept";
        QTest::newRow("more features than rows (kernel form)") << "wide";
    }

    void ridgeMatchesScikitLearn()
    {
        QFETCH(QString, reference);
        const auto expected = linearReference()["ridge"][reference.toStdString()];
        const Split split = loadSplit(expected, 0);
        auto model = make<models::Ridge>("ridge", TaskType::Regression, paramsFrom(expected["params"]));
        core::TaskControl control;
        const models::FitReport report = model->fit(split.train, control);
        QVERIFY(report.converged);
        QVERIFY2(report.message.empty(), report.message.c_str());
        // A closed form on both sides (Cholesky of the same system): only rounding differs.
        const double coefError = relativeError(model->coefficients(), vectorFrom(expected["coef"]));
        const double interceptError = std::abs(model->intercept() - expected["intercept"].get<double>());
        const Eigen::VectorXd predicted = model->predict(split.test.x);
        const double predictionError = relativeError(predicted, vectorFrom(expected["test_prediction"]));
        qInfo("max error coef %.2e intercept %.2e prediction %.2e", coefError, interceptError, predictionError);
        QVERIFY2(coefError <= 1e-9, std::to_string(coefError).c_str());
        QVERIFY2(interceptError <= 1e-9 * std::max(1.0, std::abs(expected["intercept"].get<double>())),
                 std::to_string(interceptError).c_str());
        QVERIFY2(predictionError <= 1e-9, std::to_string(predictionError).c_str());
        QVERIFY(std::abs(rSquared(split.test.y, predicted) - expected["test_r2"].get<double>()) <= 1e-9);
        QVERIFY(model->featureImportances() == model->coefficients().cwiseAbs());
    }

    void ridgeWithoutPenaltyOnDependentFeatures()
    {
        // alpha=0 and a duplicated column: XᵀX is singular, and the fallback gives the
        // least-squares solution of smallest norm (the weight split evenly).
        models::Dataset data = largeData(200, 3, false, 8);
        data.x.conservativeResize(Eigen::NoChange, 4);
        data.x.col(3) = data.x.col(0);
        auto model = make<models::Ridge>("ridge", TaskType::Regression, {{"alpha", "0"}});
        core::TaskControl control;
        const models::FitReport report = model->fit(data, control);
        QVERIFY2(report.message.find("linearly dependent") != std::string::npos, report.message.c_str());
        QVERIFY(std::abs(model->coefficients()(0) - model->coefficients()(3)) < 1e-9);
        auto linear = models::createModel("linear_regression", TaskType::Regression, {});
        linear->fit(data, control);
        QVERIFY((model->predict(data.x) - linear->predict(data.x)).cwiseAbs().maxCoeff() < 1e-9);
        // A small alpha is solved directly and lands next to it.
        auto penalised = make<models::Ridge>("ridge", TaskType::Regression, {{"alpha", "1e-8"}});
        QVERIFY(penalised->fit(data, control).message.empty());
        QVERIFY((penalised->predict(data.x) - linear->predict(data.x)).cwiseAbs().maxCoeff() < 1e-6);
    }

    void ridgeDoesNotDependOnThreadCount()
    {
        // Enough rows for many chunks of the normal equations, each summed on its own
        // and added in chunk order.
        const models::Dataset data = largeData(200000, 10, false, 10, 0.5);
        const int previous = omp_get_max_threads();
        Eigen::VectorXd coefficients[2];
        Eigen::VectorXd predictions[2];
        for (int threads = 1; threads <= 2; ++threads) {
            omp_set_num_threads(threads);
            auto model = make<models::Ridge>("ridge", TaskType::Regression, {});
            core::TaskControl control;
            model->fit(data, control);
            coefficients[threads - 1] = model->coefficients();
            predictions[threads - 1] = model->predict(data.x);
        }
        omp_set_num_threads(previous);
        QVERIFY(coefficients[0] == coefficients[1]);
        QVERIFY(predictions[0] == predictions[1]);
    }

    void lassoMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::newRow("diabetes alpha=0.1") << "diabetes";
        QTest::newRow("diabetes alpha=2, no intercept") << "diabetes_alpha2_no_intercept";
        QTest::newRow("sparse, tol=1e-6") << "sparse";
        QTest::newRow("stopped after 3 sweeps") << "sparse_three_sweeps";
    }

    void lassoMatchesScikitLearn()
    {
        QFETCH(QString, reference);
        const auto expected = linearReference()["lasso"][reference.toStdString()];
        const Split split = loadSplit(expected, 0);
        auto model = make<models::Lasso>("lasso", TaskType::Regression, paramsFrom(expected["params"]));
        core::TaskControl control;
        const models::FitReport report = model->fit(split.train, control);
        // The same cyclic sweeps and the same stopping rule: the same sweep count, and
        // weights equal up to rounding (the sums run in another order than BLAS's).
        QCOMPARE(report.iterations, expected["n_iter"].get<int>());
        const int maxIter = static_cast<int>(model->params().integer("max_iter"));
        QCOMPARE(report.converged, report.iterations < maxIter);
        if (!report.converged)
            QVERIFY2(report.message.find("did not converge in max_iter=3 sweeps") != std::string::npos,
                     report.message.c_str());
        const Eigen::VectorXd coef = vectorFrom(expected["coef"]);
        const double coefError = relativeError(model->coefficients(), coef);
        const double interceptError = std::abs(model->intercept() - expected["intercept"].get<double>());
        const double gapError = std::abs(model->dualGap() - expected["dual_gap"].get<double>());
        qInfo("%d sweeps; max error coef %.2e intercept %.2e dual gap %.2e (gap %.3e)", report.iterations,
              coefError, interceptError, gapError, model->dualGap());
        QVERIFY2(coefError <= 1e-9, std::to_string(coefError).c_str());
        QVERIFY2(interceptError <= 1e-9 * std::max(1.0, std::abs(expected["intercept"].get<double>())),
                 std::to_string(interceptError).c_str());
        QVERIFY2(gapError <= 1e-6 * std::max(1.0, expected["dual_gap"].get<double>()), std::to_string(gapError).c_str());
        // Exact zeros where scikit-learn has them.
        for (Eigen::Index j = 0; j < coef.size(); ++j)
            QCOMPARE(model->coefficients()(j) == 0.0, coef(j) == 0.0);
        const Eigen::VectorXd predicted = model->predict(split.test.x);
        QVERIFY(relativeError(predicted, vectorFrom(expected["test_prediction"])) <= 1e-9);
        QVERIFY(std::abs(rSquared(split.test.y, predicted) - expected["test_r2"].get<double>()) <= 1e-9);
        QCOMPARE(static_cast<int>(report.curve.size()), report.iterations);
        QCOMPARE(report.curve.back().metricName, std::string("training R²"));
    }

    void linearSvcMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<int>("classes");
        QTest::addColumn<double>("tolerance");
        // LinearSVC and ours visit the rows in different random orders; both run to a
        // dual tolerance of 1e-8, which pins the (unique) weights: the measured
        // differences are 0.5–2.5e-9 (weights) and up to 5e-9 (scores).
        QTest::newRow("breast_cancer C=1") << "breast_cancer" << 2 << 1e-7;
        QTest::newRow("wine one-vs-rest C=0.5") << "wine_ovr" << 3 << 1e-7;
        QTest::newRow("imbalanced, balanced weights") << "imbalanced_balanced" << 2 << 1e-7;
        QTest::newRow("breast_cancer, no intercept") << "breast_cancer_no_intercept" << 2 << 1e-7;
    }

    void linearSvcMatchesScikitLearn()
    {
        QFETCH(QString, reference);
        QFETCH(int, classes);
        QFETCH(double, tolerance);
        const auto expected = linearReference()["linear_svc"][reference.toStdString()];
        const Split split = loadSplit(expected, classes);
        auto model = make<models::LinearSvm>("linear_svm", TaskType::Classification, paramsFrom(expected["params"]));
        core::TaskControl control;
        const models::FitReport report = model->fit(split.train, control);
        QVERIFY2(report.converged, report.message.c_str());
        const double coefError = relativeError(model->coefficients(), matrixFrom(expected["coef"]));
        const double interceptError = relativeError(model->intercepts(), vectorFrom(expected["intercept"]));
        const Eigen::MatrixXd decision = model->decisionScores(split.test.x);
        const double decisionError = relativeError(decision, matrixFrom(expected["test_decision"]));
        qInfo("%d passes (scikit-learn %d); max error coef %.2e intercept %.2e decision %.2e", report.iterations,
              expected["n_iter"].get<int>(), coefError, interceptError, decisionError);
        QVERIFY2(coefError <= tolerance, std::to_string(coefError).c_str());
        QVERIFY2(interceptError <= tolerance, std::to_string(interceptError).c_str());
        QVERIFY2(decisionError <= 10 * tolerance, std::to_string(decisionError).c_str());
        QCOMPARE(model->predict(split.test.x), vectorFrom(expected["test_prediction"]));
        QCOMPARE(accuracy(split.test.y, model->predict(split.test.x)), expected["test_accuracy"].get<double>());
        QCOMPARE(model->featureImportances(), Eigen::VectorXd(model->coefficients().cwiseAbs().colwise().sum().transpose()));
    }

    void linearSvcWithDefaults()
    {
        // At the default tol=1e-4 both stop early, each after its own shuffle: the weights
        // agree to about 1e-5 (measured 7e-6), the test accuracy within a row.
        const auto expected = linearReference()["linear_svc"]["breast_cancer_defaults"];
        const Split split = loadSplit(expected, 2);
        auto model = make<models::LinearSvm>("linear_svm", TaskType::Classification, {});
        core::TaskControl control;
        const models::FitReport report = model->fit(split.train, control);
        QVERIFY2(report.converged, report.message.c_str());
        const double coefError = relativeError(model->coefficients(), matrixFrom(expected["coef"]));
        const double accuracyError =
            std::abs(accuracy(split.test.y, model->predict(split.test.x)) - expected["test_accuracy"].get<double>());
        qInfo("%d passes (scikit-learn %d); max error coef %.2e, accuracy %.4f", report.iterations,
              expected["n_iter"].get<int>(), coefError, accuracyError);
        QVERIFY2(coefError <= 1e-4, std::to_string(coefError).c_str());
        QVERIFY(accuracyError <= 1.0 / static_cast<double>(split.test.x.rows()) + 1e-12);
    }

    void linearSvrMatchesScikitLearn()
    {
        const auto expected = linearReference()["linear_svr"]["diabetes"];
        const Split split = loadSplit(expected, 0);
        auto model = make<models::LinearSvm>("linear_svm", TaskType::Regression, paramsFrom(expected["params"]));
        core::TaskControl control;
        const models::FitReport report = model->fit(split.train, control);
        QVERIFY2(report.converged, report.message.c_str());
        const double coefError =
            relativeError(model->coefficients(), Eigen::MatrixXd(vectorFrom(expected["coef"]).transpose()));
        const double interceptError = std::abs(model->intercepts()(0) - expected["intercept"].get<double>());
        const Eigen::VectorXd predicted = model->predict(split.test.x);
        const double predictionError = relativeError(predicted, vectorFrom(expected["test_prediction"]));
        qInfo("%d passes; max error coef %.2e intercept %.2e prediction %.2e", report.iterations, coefError,
              interceptError, predictionError);
        // Both stop once the summed violation falls below 1e-8 of the first pass's, each
        // after its own shuffle: measured 4e-6 (weights), 5e-7 (predictions).
        QVERIFY2(coefError <= 5e-5, std::to_string(coefError).c_str());
        QVERIFY2(interceptError <= 5e-5 * std::abs(expected["intercept"].get<double>()),
                 std::to_string(interceptError).c_str());
        QVERIFY2(predictionError <= 1e-5, std::to_string(predictionError).c_str());
        QVERIFY(std::abs(rSquared(split.test.y, predicted) - expected["test_r2"].get<double>()) <= 1e-5);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, model->decisionScores(split.test.x));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, model->predictProba(split.test.x));
    }

    void linearSvmHasScoresNotProbabilities()
    {
        const models::Dataset train = test::loadFixture("breast_cancer_train", 2);
        auto model = models::createModel("linear_svm", TaskType::Classification, {});
        QVERIFY(!model->hasProbabilities());
        core::TaskControl control;
        model->fit(train, control);
        QVERIFY(!model->hasProbabilities());
        try {
            model->predictProba(train.x);
            QFAIL("predictProba must throw");
        } catch (const core::InvalidParameter& error) {
            QVERIFY2(std::string(error.what()).find("decision scores") != std::string::npos, error.what());
        }
        const Eigen::MatrixXd scores = model->decisionScores(train.x);
        QCOMPARE(scores.cols(), Eigen::Index(1));
        QCOMPARE(model->predict(train.x), Eigen::VectorXd((scores.array() > 0.0).cast<double>().matrix()));
    }

    void linearSvmSeedChangesOrderNotOptimum()
    {
        // The seed shuffles the rows; the converged weights do not depend on it.
        const auto expected = linearReference()["linear_svc"]["wine_ovr"];
        models::Dataset train = loadSplit(expected, 3).train;
        const auto fitWith = [&](std::uint64_t seed) {
            train.seed = seed;
            auto model = make<models::LinearSvm>("linear_svm", TaskType::Classification,
                                                 paramsFrom(expected["params"]));
            core::TaskControl control;
            model->fit(train, control);
            return Eigen::MatrixXd(model->coefficients());
        };
        const Eigen::MatrixXd first = fitWith(1);
        QVERIFY(fitWith(1) == first);
        const Eigen::MatrixXd other = fitWith(2);
        QVERIFY(other != first);
        QVERIFY(relativeError(other, first) <= 1e-7);
    }

    void cancelFromAnotherThreadWithinASecond_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<TaskType>("task");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("value");
        // Each would run for many seconds on these rows; cancel must stop it within one.
        QTest::newRow("logistic l1") << "logistic_regression" << TaskType::Classification << "penalty" << "l1";
        QTest::newRow("lasso") << "lasso" << TaskType::Regression << "alpha" << "1e-6";
        QTest::newRow("svm") << "linear_svm" << TaskType::Classification << "C" << "100";
        QTest::newRow("svr") << "linear_svm" << TaskType::Regression << "C" << "100";
    }

    void cancelFromAnotherThreadWithinASecond()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        QFETCH(QString, param);
        QFETCH(QString, value);
        const models::Dataset data = largeData(300000, 40, task == TaskType::Classification, 9, 3.0);
        const std::map<std::string, std::string> params = {
            {param.toStdString(), value.toStdString()}, {"tol", "1e-12"}, {"max_iter", "100000"}};
        auto fitted = models::createModel(model.toStdString(), task, params);
        const test::CancelOutcome outcome = test::fitAndCancel(*fitted, data, std::chrono::milliseconds(300));
        QVERIFY2(!outcome.finished, "the fit finished before it could be cancelled — make the problem bigger");
        QVERIFY(outcome.cancelled);
        const double latency = outcome.latency;
        QVERIFY2(latency < 1.0 * test::timeScale(), std::to_string(latency).c_str());
        qInfo("cancel latency %.4f s", latency);
        QVERIFY(!fitted->isFitted());
    }
};

QTEST_GUILESS_MAIN(TestLinearModels)
#include "tst_linear_models.moc"
