// Logistic regression against scikit-learn 1.2.1 (LogisticRegression, lbfgs, l2), and
// the L-BFGS solver on its own. Reference values: tests/reference/models_reference.py.
#include <QtTest>

#include <cmath>
#include <cstdlib>

#include "engine/model_fixtures.hpp"
#include "models/lbfgs.hpp"
#include "models/logistic_regression.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"

using namespace stepwise;

namespace {

std::unique_ptr<models::LogisticRegression> makeModel(const std::map<std::string, std::string>& params)
{
    auto model = models::createModel("logistic_regression", core::TaskType::Classification, params);
    return std::unique_ptr<models::LogisticRegression>(static_cast<models::LogisticRegression*>(model.release()));
}

std::map<std::string, std::string> paramsFrom(const nlohmann::json& params)
{
    std::map<std::string, std::string> result;
    for (const auto& [name, value] : params.items()) {
        if (value.is_boolean())
            result[name] = value.get<bool>() ? "true" : "false";
        else
            result[name] = value.dump();
    }
    return result;
}

double logLoss(const Eigen::MatrixXd& proba, const Eigen::VectorXd& y)
{
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i)
        sum -= std::log(proba(i, static_cast<Eigen::Index>(y(i))));
    return sum / static_cast<double>(y.size());
}

} // namespace

class TestLogisticRegression : public QObject {
    Q_OBJECT
private slots:
    void matchesScikitLearn_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<int>("classes");
        QTest::newRow("breast_cancer binary") << "breast_cancer" << "breast_cancer" << 2;
        QTest::newRow("breast_cancer C=0.05 no intercept") << "breast_cancer" << "breast_cancer_c0.05_no_intercept" << 2;
        QTest::newRow("iris multinomial") << "iris" << "iris" << 3;
    }

    void matchesScikitLearn()
    {
        QFETCH(QString, dataset);
        QFETCH(QString, reference);
        QFETCH(int, classes);
        const auto expected = test::loadReference()["logistic_regression"][reference.toStdString()];
        const models::Dataset train = test::loadFixture(dataset.toStdString() + "_train", classes);
        const models::Dataset testRows = test::loadFixture(dataset.toStdString() + "_test", classes);

        auto model = makeModel(paramsFrom(expected["params"]));
        core::TaskControl control;
        const models::FitReport report = model->fit(train, control);
        QVERIFY2(report.converged, report.message.c_str());
        // Our L-BFGS follows SciPy's L-BFGS-B step for step, so it stops at (nearly) the
        // same iteration; a difference of one or two comes from rounding near the stop.
        QVERIFY2(std::abs(report.iterations - expected["n_iter"].get<int>()) <= 2,
                 (std::to_string(report.iterations) + " vs " + expected["n_iter"].dump()).c_str());

        // Both solvers stop at a relative loss change of 2.2e-9 or max|gradient| <= 1e-4,
        // not at the exact optimum; the weights agree to 1e-3 (absolute, or relative for
        // large weights) and the probabilities to 1e-4.
        const auto& coef = expected["coef"];
        QCOMPARE(model->coefficients().rows(), static_cast<Eigen::Index>(coef.size()));
        QCOMPARE(model->coefficients().cols(), train.x.cols());
        for (Eigen::Index k = 0; k < model->coefficients().rows(); ++k) {
            for (Eigen::Index j = 0; j < model->coefficients().cols(); ++j) {
                const double reference = coef[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)].get<double>();
                const double ours = model->coefficients()(k, j);
                QVERIFY2(std::abs(ours - reference) <= 1e-3 * std::max(1.0, std::abs(reference)),
                         (std::to_string(ours) + " vs " + std::to_string(reference)).c_str());
            }
            const double intercept = expected["intercept"][static_cast<std::size_t>(k)].get<double>();
            QVERIFY(std::abs(model->intercepts()(k) - intercept) <= 1e-3 * std::max(1.0, std::abs(intercept)));
        }

        const Eigen::MatrixXd proba = model->predictProba(testRows.x);
        const auto& referenceProba = expected["test_proba"];
        QCOMPARE(proba.rows(), static_cast<Eigen::Index>(referenceProba.size()));
        double worst = 0.0;
        for (Eigen::Index i = 0; i < proba.rows(); ++i)
            for (Eigen::Index k = 0; k < proba.cols(); ++k)
                worst = std::max(worst, std::abs(proba(i, k) - referenceProba[static_cast<std::size_t>(i)]
                                                                              [static_cast<std::size_t>(k)]
                                                                                  .get<double>()));
        QVERIFY2(worst <= 1e-4, std::to_string(worst).c_str());

        const Eigen::VectorXd predicted = model->predict(testRows.x);
        const double accuracy = (predicted.array() == testRows.y.array()).cast<double>().mean();
        QCOMPARE(accuracy, expected["test_accuracy"].get<double>());
        QVERIFY(std::abs(logLoss(proba, testRows.y) - expected["test_log_loss"].get<double>()) <= 1e-4);
    }

    void reportsOneSnapshotPerIteration()
    {
        const models::Dataset train = test::loadFixture("iris_train", 3);
        auto model = makeModel({});
        core::TaskControl control;
        const models::FitReport report = model->fit(train, control);
        QCOMPARE(static_cast<int>(report.curve.size()), report.iterations);
        double previousLoss = std::log(3.0) + 1e-12; // the loss at the all-zero start
        for (std::size_t i = 0; i < report.curve.size(); ++i) {
            const core::TrainingSnapshot& snapshot = report.curve[i];
            QCOMPARE(snapshot.step, static_cast<int>(i) + 1);
            QCOMPARE(snapshot.totalSteps, 100);
            QCOMPARE(snapshot.metricName, std::string("training loss"));
            QCOMPARE(snapshot.measuredOn, std::string("training rows"));
            // The penalised objective falls every iteration; the data part nearly so.
            QVERIFY(snapshot.value < previousLoss + 1e-3);
            previousLoss = snapshot.value;
            std::int64_t total = 0;
            for (const auto& row : snapshot.confusion)
                for (const std::int64_t count : row)
                    total += count;
            QCOMPARE(total, static_cast<std::int64_t>(train.x.rows()));
        }
    }

    void iterationLimitIsReportedNotThrown()
    {
        const models::Dataset train = test::loadFixture("breast_cancer_train", 2);
        auto model = makeModel({{"max_iter", "3"}});
        core::TaskControl control;
        const models::FitReport report = model->fit(train, control);
        QVERIFY(!report.converged);
        QCOMPARE(report.iterations, 3);
        QVERIFY2(report.message.find("did not converge in max_iter=3 iterations") != std::string::npos,
                 report.message.c_str());
        QVERIFY(report.message.find("raise max_iter") != std::string::npos);
        QVERIFY(model->isFitted());
    }

    void lbfgsMinimisesRosenbrock()
    {
        // A classic ill-conditioned test: minimum 0 at (1, …, 1).
        const auto rosenbrock = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
            double f = 0.0;
            g.setZero();
            for (Eigen::Index i = 0; i + 1 < x.size(); ++i) {
                const double a = x(i + 1) - x(i) * x(i);
                const double b = 1.0 - x(i);
                f += 100.0 * a * a + b * b;
                g(i) += -400.0 * x(i) * a - 2.0 * b;
                g(i + 1) += 200.0 * a;
            }
            return f;
        };
        models::LbfgsSettings settings;
        settings.gradientTolerance = 1e-8;
        settings.relativeReduction = 0.0;
        Eigen::VectorXd start(6);
        start << -1.2, 1.0, -1.2, 1.0, -1.2, 1.0;
        int observed = 0;
        const models::LbfgsResult result =
            models::minimizeLbfgs(rosenbrock, start, settings, [&](int iteration, const Eigen::VectorXd&, double) {
                QCOMPARE(iteration, ++observed);
            });
        QCOMPARE(result.stop, models::LbfgsStop::GradientSmall);
        QCOMPARE(observed, result.iterations);
        QVERIFY((result.x.array() - 1.0).abs().maxCoeff() < 1e-6);
        QVERIFY(result.value < 1e-12);
    }

    void lbfgsStopsAtIterationLimit()
    {
        const auto quadratic = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
            Eigen::VectorXd scale = Eigen::VectorXd::LinSpaced(x.size(), 1.0, 1000.0);
            g = scale.cwiseProduct(x);
            return 0.5 * x.dot(g);
        };
        models::LbfgsSettings settings;
        settings.maxIterations = 2;
        settings.gradientTolerance = 1e-12;
        settings.relativeReduction = 0.0;
        const models::LbfgsResult result =
            models::minimizeLbfgs(quadratic, Eigen::VectorXd::Ones(50), settings, nullptr);
        QCOMPARE(result.stop, models::LbfgsStop::IterationLimit);
        QCOMPARE(result.iterations, 2);
    }

    void separableDataStaysFinite()
    {
        // Perfectly separable rows with almost no penalty: the weights grow until the
        // loss stops falling; the result must stay finite and classify every row.
        models::Dataset data;
        data.x.resize(6, 1);
        data.x << -3, -2, -1, 1, 2, 3;
        data.y.resize(6);
        data.y << 0, 0, 0, 1, 1, 1;
        data.classCount = 2;
        auto model = makeModel({{"C", "1e12"}, {"max_iter", "1000"}});
        core::TaskControl control;
        model->fit(data, control);
        QVERIFY(model->coefficients().allFinite());
        QVERIFY(model->predictProba(data.x).allFinite());
        QCOMPARE(model->predict(data.x), data.y);
    }
};

QTEST_GUILESS_MAIN(TestLogisticRegression)
#include "tst_logistic_regression.moc"
