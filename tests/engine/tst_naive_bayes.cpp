// Gaussian naive Bayes against scikit-learn 1.2.1's GaussianNB: theta_, var_, epsilon_,
// class_prior_ and the (log-)probabilities within 1e-10 relative, identical predictions, on
// iris (standard-scaled) and on raw wine and breast cancer, whose feature variances span
// eight orders of magnitude. Reference values: tests/reference/neighbours_reference.py.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>

#include "engine/model_fixtures.hpp"
#include "models/naive_bayes.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"

using namespace stepwise;
using core::TaskType;

namespace {

nlohmann::json loadNeighboursReference()
{
    std::ifstream in(test::referencePath("neighbours_reference.json"));
    if (!in)
        throw std::runtime_error("missing neighbours_reference.json — run tests/reference/neighbours_reference.py");
    return nlohmann::json::parse(in);
}

std::unique_ptr<models::GaussianNaiveBayes> makeBayes(const std::map<std::string, std::string>& params = {})
{
    auto model = models::createModel("naive_bayes", TaskType::Classification, params);
    return std::unique_ptr<models::GaussianNaiveBayes>(static_cast<models::GaussianNaiveBayes*>(model.release()));
}

// |a - b| <= tolerance · max(|a|, |b|), entry by entry; `floor` is the magnitude below
// which two values count as equal (probabilities that underflow differently).
bool close(double ours, double theirs, double tolerance, double floor = 0.0)
{
    if (ours == theirs)
        return true;
    const double scale = std::max(std::abs(ours), std::abs(theirs));
    return scale <= floor || std::abs(ours - theirs) <= tolerance * scale;
}

QString firstDifference(const Eigen::MatrixXd& ours, const nlohmann::json& theirs, double tolerance, double floor = 0.0)
{
    for (Eigen::Index r = 0; r < ours.rows(); ++r)
        for (Eigen::Index c = 0; c < ours.cols(); ++c) {
            const double expected = theirs.is_array() && theirs[static_cast<std::size_t>(r)].is_array()
                                        ? theirs[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)].get<double>()
                                        : theirs[static_cast<std::size_t>(r)].get<double>();
            if (!close(ours(r, c), expected, tolerance, floor))
                return QString("[%1, %2]: %3 vs %4").arg(r).arg(c).arg(ours(r, c), 0, 'g', 17).arg(expected, 0, 'g', 17);
        }
    return {};
}

} // namespace

class TestNaiveBayes : public QObject {
    Q_OBJECT
private slots:
    void matchesScikitLearn_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<int>("classes");
        QTest::newRow("iris") << "iris" << 3;
        QTest::newRow("wine_raw") << "wine_raw" << 3;
        QTest::newRow("breast_cancer_raw") << "breast_cancer_raw" << 2;
    }
    void matchesScikitLearn()
    {
        QFETCH(QString, dataset);
        QFETCH(int, classes);
        const auto expected = loadNeighboursReference()["naive_bayes"][dataset.toStdString()];
        const models::Dataset train =
            test::loadCsvDataset(test::referencePath("neighbours_" + dataset.toStdString() + "_train.csv"), classes);
        const models::Dataset testRows =
            test::loadCsvDataset(test::referencePath("neighbours_" + dataset.toStdString() + "_test.csv"), classes);
        auto bayes = makeBayes();
        core::TaskControl control;
        const models::FitReport report = bayes->fit(train, control);
        QCOMPARE(report.curve.size(), std::size_t(1));
        QVERIFY(bayes->featureImportances().size() == 0);

        QVERIFY(close(bayes->epsilon(), expected["epsilon"].get<double>(), 1e-10));
        QString difference = firstDifference(bayes->means(), expected["theta"], 1e-10);
        QVERIFY2(difference.isEmpty(), qPrintable("theta_ " + difference));
        difference = firstDifference(bayes->variances(), expected["var"], 1e-10);
        QVERIFY2(difference.isEmpty(), qPrintable("var_ " + difference));
        difference = firstDifference(Eigen::MatrixXd(bayes->priors()), expected["class_prior"], 1e-10);
        QVERIFY2(difference.isEmpty(), qPrintable("class_prior_ " + difference));

        // Log-probabilities of hundreds in magnitude: 1e-10 of their size. Probabilities
        // below 1e-290 may underflow on one side only.
        difference = firstDifference(bayes->predictLogProba(testRows.x), expected["log_proba"], 1e-10);
        QVERIFY2(difference.isEmpty(), qPrintable("log proba " + difference));
        difference = firstDifference(bayes->predictProba(testRows.x), expected["proba"], 1e-10, 1e-290);
        QVERIFY2(difference.isEmpty(), qPrintable("proba " + difference));
        const Eigen::VectorXd predicted = bayes->predict(testRows.x);
        for (Eigen::Index r = 0; r < predicted.size(); ++r)
            QCOMPARE(predicted(r), expected["predict"][static_cast<std::size_t>(r)].get<double>());
    }

    void classWithoutRowsGetsNoProbability()
    {
        models::Dataset data =
            test::loadCsvDataset(test::referencePath("neighbours_iris_train.csv"), 4); // class 3 never occurs
        auto bayes = makeBayes();
        core::TaskControl control;
        bayes->fit(data, control);
        QCOMPARE(bayes->classCount(), 4);
        QCOMPARE(bayes->priors()(3), 0.0);
        const Eigen::MatrixXd proba = bayes->predictProba(data.x);
        QVERIFY((proba.col(3).array() == 0.0).all());
        QVERIFY(((proba.rowwise().sum().array() - 1.0).abs() < 1e-12).all());
        QVERIFY(std::isinf(bayes->predictLogProba(data.x.topRows(1))(0, 3)));
    }

    void smoothingScalesWithTheWidestVariance()
    {
        models::Dataset data;
        data.x.resize(4, 2);
        data.x << 0, 1, 0, 1, 2, 1, 2, 1; // the second feature is constant
        data.y.resize(4);
        data.y << 0, 0, 1, 1;
        data.classCount = 2;
        auto bayes = makeBayes({{"var_smoothing", "0.01"}});
        core::TaskControl control;
        bayes->fit(data, control);
        QCOMPARE(bayes->epsilon(), 0.01 * 1.0); // np.var of 0, 2, 0, 2 is 1
        QCOMPARE(bayes->variances()(0, 1), 0.01);
        QCOMPARE(bayes->means()(1, 0), 2.0);

        models::Dataset constant = data;
        constant.x.col(0).setConstant(3.0);
        try {
            makeBayes()->fit(constant, control);
            QFAIL("fit accepted rows without any varying feature");
        } catch (const core::DataError& error) {
            QVERIFY2(std::string(error.what()).find("every feature is constant") != std::string::npos, error.what());
        }
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, makeBayes({{"var_smoothing", "0"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 models::createModel("naive_bayes", TaskType::Regression, {}));
    }
};

QTEST_GUILESS_MAIN(TestNaiveBayes)
#include "tst_naive_bayes.moc"
