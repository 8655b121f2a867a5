// Linear regression against scikit-learn 1.2.1's LinearRegression (reference values:
// tests/reference/models_reference.py) and on exact, rank-deficient problems.
#include <QtTest>

#include <cmath>

#include "engine/model_fixtures.hpp"
#include "models/linear_regression.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/models/registry.hpp"

using namespace stepwise;

namespace {

std::unique_ptr<models::LinearRegression> makeModel(const std::map<std::string, std::string>& params)
{
    auto model = models::createModel("linear_regression", core::TaskType::Regression, params);
    return std::unique_ptr<models::LinearRegression>(static_cast<models::LinearRegression*>(model.release()));
}

} // namespace

class TestLinearRegression : public QObject {
    Q_OBJECT
private slots:
    void matchesScikitLearn()
    {
        const auto expected = test::loadReference()["linear_regression"];
        const models::Dataset train = test::loadFixture("rf_regression_train", 0);
        const models::Dataset testRows = test::loadFixture("rf_regression_test", 0);
        auto model = makeModel({});
        core::TaskControl control;
        const models::FitReport report = model->fit(train, control);
        QCOMPARE(report.iterations, 1);
        QCOMPARE(report.curve.size(), std::size_t(1));
        QCOMPARE(report.curve.front().metricName, std::string("training R²"));
        // A well-conditioned least-squares problem: QR and LAPACK's SVD-based gelsd agree
        // to a few units in the 15th digit; 1e-8 relative leaves room for any platform.
        for (Eigen::Index j = 0; j < model->coefficients().size(); ++j) {
            const double reference = expected["coef"][static_cast<std::size_t>(j)].get<double>();
            QVERIFY2(std::abs(model->coefficients()(j) - reference) <= 1e-8 * std::abs(reference),
                     (std::to_string(model->coefficients()(j)) + " vs " + std::to_string(reference)).c_str());
        }
        const double intercept = expected["intercept"].get<double>();
        QVERIFY(std::abs(model->intercept() - intercept) <= 1e-8 * std::max(1.0, std::abs(intercept)));
        const Eigen::VectorXd predicted = model->predict(testRows.x);
        const double r2 = 1.0 - (predicted - testRows.y).squaredNorm() /
                                    (testRows.y.array() - testRows.y.mean()).square().sum();
        QVERIFY(std::abs(r2 - expected["test_r2"].get<double>()) <= 1e-10);
    }

    void duplicatedColumnsGetTheMinimumNormSolution()
    {
        // y = 2·a + 1 with a feature duplicated: every split of the 2 between the copies
        // fits exactly; the minimum-norm one (scikit-learn's) gives 1 to each.
        core::RandomSource random(3);
        models::Dataset data;
        data.x.resize(50, 3);
        data.y.resize(50);
        for (Eigen::Index r = 0; r < 50; ++r) {
            const double a = random.normal();
            data.x(r, 0) = a;
            data.x(r, 1) = random.normal();
            data.x(r, 2) = a;
            data.y(r) = 2.0 * a + 1.0;
        }
        auto model = makeModel({});
        core::TaskControl control;
        const models::FitReport report = model->fit(data, control);
        QCOMPARE(model->rank(), Eigen::Index(2));
        QVERIFY(std::abs(model->coefficients()(0) - 1.0) < 1e-12);
        QVERIFY(std::abs(model->coefficients()(1)) < 1e-12);
        QVERIFY(std::abs(model->coefficients()(2) - 1.0) < 1e-12);
        QVERIFY(std::abs(model->intercept() - 1.0) < 1e-12);
        QVERIFY2(report.message.find("linearly dependent (rank 2 of 3)") != std::string::npos, report.message.c_str());
        QVERIFY(std::abs(report.curve.front().value - 1.0) < 1e-12);
    }

    void withoutInterceptTheFitPassesThroughTheOrigin()
    {
        models::Dataset data;
        data.x.resize(4, 1);
        data.x << 1, 2, 3, 4;
        data.y.resize(4);
        data.y << 4, 5, 6, 7; // y = x + 3, so without intercept the slope absorbs it
        auto withIntercept = makeModel({});
        auto throughOrigin = makeModel({{"fit_intercept", "false"}});
        core::TaskControl control;
        withIntercept->fit(data, control);
        throughOrigin->fit(data, control);
        QVERIFY(std::abs(withIntercept->coefficients()(0) - 1.0) < 1e-12);
        QVERIFY(std::abs(withIntercept->intercept() - 3.0) < 1e-12);
        QCOMPARE(throughOrigin->intercept(), 0.0);
        // Least squares through the origin: Σxy / Σx² = 60 / 30.
        QVERIFY(std::abs(throughOrigin->coefficients()(0) - 2.0) < 1e-12);
    }
};

QTEST_GUILESS_MAIN(TestLinearRegression)
#include "tst_linear_regression.moc"
