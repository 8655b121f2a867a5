// Synthetic generators: the structure of scikit-learn's make_classification,
// make_regression and make_blobs (shapes, class sizes, linear structure, separability,
// noise levels) and the same parameter validation. Our random source differs from
// NumPy's, so values are checked by property, and class sizes (which do not depend on
// the random numbers) exactly against scikit-learn.
#include <QtTest>

#include <fstream>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/synthetic.hpp"

using namespace stepwise;
using namespace stepwise::data;

namespace {

Eigen::MatrixXd features(const Table& t)
{
    const auto n = static_cast<Eigen::Index>(t.rowCount());
    Eigen::MatrixXd x(n, static_cast<Eigen::Index>(t.columnCount() - 1));
    for (std::size_t c = 0; c + 1 < t.columnCount(); ++c)
        for (Eigen::Index i = 0; i < n; ++i)
            x(i, static_cast<Eigen::Index>(c)) = t.column(c).values()[static_cast<std::size_t>(i)];
    return x;
}

Eigen::VectorXd target(const Table& t)
{
    const auto& y = t.column("target").values();
    return Eigen::Map<const Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
}

std::vector<int> classCounts(const Table& t, int classes)
{
    std::vector<int> counts(static_cast<std::size_t>(classes), 0);
    for (double y : t.column("target").values()) {
        if (y < 0 || y >= classes || y != std::floor(y))
            return {};
        ++counts[static_cast<std::size_t>(y)];
    }
    return counts;
}

/// Relative residual of least-squares fitting `y` from the columns of `x`.
double relativeResidual(const Eigen::MatrixXd& x, const Eigen::VectorXd& y)
{
    const Eigen::VectorXd coef = x.colPivHouseholderQr().solve(y);
    return (x * coef - y).norm() / y.norm();
}

bool sameTable(const Table& a, const Table& b)
{
    if (a.columnNames() != b.columnNames() || a.rowCount() != b.rowCount())
        return false;
    for (std::size_t c = 0; c < a.columnCount(); ++c)
        if (a.column(c).values() != b.column(c).values())
            return false;
    return true;
}

template <typename Spec, typename Generate>
void expectInvalid(const Spec& spec, Generate generate, const std::vector<std::string>& words)
{
    try {
        generate(spec);
    } catch (const core::InvalidParameter& error) {
        const std::string message = error.what();
        for (const auto& word : words)
            QVERIFY2(message.find(word) != std::string::npos, (message + " (expected '" + word + "')").c_str());
        return;
    }
    QFAIL(("no InvalidParameter for " + words.front()).c_str());
}

} // namespace

class TestSynthetic : public QObject {
    Q_OBJECT
private slots:
    void classificationShape()
    {
        const Table t = makeClassification({});
        QCOMPARE(t.rowCount(), std::size_t(100));
        QCOMPARE(t.columnCount(), std::size_t(21));
        QCOMPARE(t.column(0).name(), std::string("feature_0"));
        QCOMPARE(t.column(19).name(), std::string("feature_19"));
        QCOMPARE(t.column(20).name(), std::string("target"));
        for (const auto& column : t.columns())
            QVERIFY(column.isNumeric() && column.missingCount() == 0);
        QCOMPARE(classCounts(t, 2).size(), std::size_t(2));
    }

    void seedsAreReproducible()
    {
        ClassificationSpec spec;
        spec.seed = 7;
        QVERIFY(sameTable(makeClassification(spec), makeClassification(spec)));
        ClassificationSpec other = spec;
        other.seed = 8;
        QVERIFY(!sameTable(makeClassification(spec), makeClassification(other)));

        RegressionSpec regression;
        regression.seed = 3;
        QVERIFY(sameTable(makeRegression(regression), makeRegression(regression)));
        RegressionSpec regression2 = regression;
        regression2.seed = 4;
        QVERIFY(!sameTable(makeRegression(regression), makeRegression(regression2)));

        BlobsSpec blobs;
        blobs.seed = 5;
        QVERIFY(sameTable(makeBlobs(blobs), makeBlobs(blobs)));
        BlobsSpec blobs2 = blobs;
        blobs2.seed = 6;
        QVERIFY(!sameTable(makeBlobs(blobs), makeBlobs(blobs2)));
    }

    void classSizesMatchScikitLearn()
    {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/synthetic_reference.json");
        QVERIFY(in.good());
        const auto reference = nlohmann::json::parse(in);
        for (const auto& c : reference["make_classification"]) {
            const auto& p = c["params"];
            ClassificationSpec spec;
            spec.samples = p["n_samples"];
            spec.classes = p["n_classes"];
            spec.clustersPerClass = p["n_clusters_per_class"];
            spec.informative = p["n_informative"];
            spec.features = 10;
            spec.redundant = 2;
            spec.flipY = 0.0;
            if (!p["weights"].is_null())
                spec.weights = p["weights"].get<std::vector<double>>();
            QCOMPARE(classCounts(makeClassification(spec), spec.classes), c["class_counts"].get<std::vector<int>>());
        }
        for (const auto& c : reference["make_blobs"]) {
            BlobsSpec spec;
            spec.samples = c["params"]["n_samples"];
            spec.centers = c["params"]["centers"];
            QCOMPARE(classCounts(makeBlobs(spec), spec.centers), c["class_counts"].get<std::vector<int>>());
        }
    }

    void featureStructure()
    {
        ClassificationSpec spec;
        spec.samples = 400;
        spec.features = 9;
        spec.informative = 3;
        spec.redundant = 2;
        spec.repeated = 2;
        spec.shuffle = false;
        spec.seed = 11;
        const Eigen::MatrixXd x = features(makeClassification(spec));
        const Eigen::MatrixXd informative = x.leftCols(3);
        // Redundant columns are exact linear combinations of the informative ones…
        for (int j = 3; j < 5; ++j)
            QVERIFY2(relativeResidual(informative, x.col(j)) < 1e-12, std::to_string(j).c_str());
        // …repeated ones are copies of informative or redundant columns…
        for (int j = 5; j < 7; ++j) {
            bool copy = false;
            for (int k = 0; k < 5; ++k)
                copy = copy || x.col(j) == x.col(k);
            QVERIFY(copy);
        }
        // …and the noise columns are not explained by the informative ones.
        for (int j = 7; j < 9; ++j)
            QVERIFY(relativeResidual(informative, x.col(j)) > 0.9);
        // Shuffled, the features are permuted: the rank is informative + noise columns.
        spec.shuffle = true;
        const Eigen::MatrixXd shuffled = features(makeClassification(spec));
        Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(shuffled);
        qr.setThreshold(1e-10);
        QCOMPARE(qr.rank(), Eigen::Index(3 + 2));
    }

    void shiftAndScale()
    {
        ClassificationSpec spec;
        spec.samples = 2000;
        spec.features = 4;
        spec.informative = 2;
        spec.redundant = 0;
        spec.shuffle = false;
        spec.shift = 100.0;
        spec.scale = 0.5;
        const Eigen::MatrixXd x = features(makeClassification(spec));
        // Noise columns are N(0,1) before the shift and scale: mean 50, std 0.5 after.
        for (int j = 2; j < 4; ++j) {
            const double mean = x.col(j).mean();
            const double sd = std::sqrt((x.col(j).array() - mean).square().sum() / (x.rows() - 1));
            QVERIFY2(std::abs(mean - 50.0) < 0.1, std::to_string(mean).c_str());
            QVERIFY2(std::abs(sd - 0.5) < 0.05, std::to_string(sd).c_str());
        }
    }

    void wellSeparatedClassesAreSeparable()
    {
        for (bool hypercube : {true, false}) {
            ClassificationSpec spec;
            spec.samples = 600;
            spec.features = 6;
            spec.informative = 3;
            spec.redundant = 1;
            spec.classes = 3;
            spec.clustersPerClass = 1;
            spec.flipY = 0.0;
            spec.classSep = 6.0;
            spec.hypercube = hypercube;
            spec.seed = 21;
            const Table t = makeClassification(spec);
            const Eigen::MatrixXd x = features(t);
            const Eigen::VectorXd y = target(t);
            Eigen::MatrixXd centroids = Eigen::MatrixXd::Zero(3, x.cols());
            Eigen::Vector3d counts = Eigen::Vector3d::Zero();
            for (Eigen::Index i = 0; i < x.rows(); ++i) {
                centroids.row(static_cast<Eigen::Index>(y(i))) += x.row(i);
                counts(static_cast<Eigen::Index>(y(i))) += 1;
            }
            for (int k = 0; k < 3; ++k)
                centroids.row(k) /= counts(k);
            int correct = 0;
            for (Eigen::Index i = 0; i < x.rows(); ++i) {
                Eigen::Index nearest = 0;
                (centroids.rowwise() - x.row(i)).rowwise().squaredNorm().minCoeff(&nearest);
                correct += nearest == static_cast<Eigen::Index>(y(i));
            }
            const double accuracy = correct / static_cast<double>(x.rows());
            // Random polytope vertices can land close together, so only the hypercube case
            // is held to the 95% bar; the polytope one must still be far above chance.
            QVERIFY2(accuracy > (hypercube ? 0.95 : 0.6), std::to_string(accuracy).c_str());
        }
    }

    void flipYRandomisesLabels()
    {
        ClassificationSpec spec;
        spec.samples = 4000;
        spec.features = 4;
        spec.informative = 2;
        spec.redundant = 0;
        spec.clustersPerClass = 1;
        spec.classSep = 10.0;
        spec.shuffle = false;
        spec.flipY = 0.0;
        const Eigen::VectorXd clean = target(makeClassification(spec));
        spec.flipY = 0.5;
        const Eigen::VectorXd flipped = target(makeClassification(spec));
        // Half the labels are redrawn uniformly over 2 classes: ~25% end up different.
        const double changed = (clean.array() != flipped.array()).cast<double>().mean();
        QVERIFY2(changed > 0.2 && changed < 0.3, std::to_string(changed).c_str());
    }

    void classificationValidation()
    {
        auto make = [](const ClassificationSpec& s) { return makeClassification(s); };
        ClassificationSpec s;
        s.informative = 10;
        s.redundant = 8;
        s.repeated = 3;
        expectInvalid(s, make, {"features", "informative + redundant + repeated = 21", "20"});
        s = {};
        s.classes = 3;
        s.clustersPerClass = 2;
        s.informative = 2;
        expectInvalid(s, make, {"informative: 2", "6 clusters", "2^informative"});
        s = {};
        s.weights = {0.2, 0.3, 0.5};
        expectInvalid(s, make, {"weights", "3 values", "(2)", "(1)"});
        s = {};
        s.classes = 3;
        s.informative = 3;
        s.weights = {0.7, 0.6};
        expectInvalid(s, make, {"weights", "sum 1.3"});
        s = {};
        s.weights = {-0.1, 1.1};
        expectInvalid(s, make, {"weights", "-0.1", "[0, 1]"});
        s = {};
        s.samples = 0;
        expectInvalid(s, make, {"samples: 0", "≥ 1"});
        s = {};
        s.classes = 1;
        expectInvalid(s, make, {"classes: 1", "≥ 2"});
        s = {};
        s.flipY = 1.5;
        expectInvalid(s, make, {"flip_y: 1.5", "[0, 1]"});
        s = {};
        s.classSep = 0.0;
        expectInvalid(s, make, {"class_sep: 0", "> 0"});
        s = {};
        s.scale = -1.0;
        expectInvalid(s, make, {"scale: -1", "> 0"});
        s = {};
        s.redundant = -1;
        expectInvalid(s, make, {"redundant: -1", "≥ 0"});
        // The boundary itself is fine: 2 classes × 2 clusters = 4 = 2^2 corners.
        s = {};
        s.features = 4;
        s.redundant = 0;
        QCOMPARE(makeClassification(s).columnCount(), std::size_t(5));
        // More than 30 informative features (random leading bits) works too.
        s = {};
        s.features = 40;
        s.informative = 35;
        s.redundant = 0;
        s.classes = 5;
        QCOMPARE(makeClassification(s).columnCount(), std::size_t(41));
    }

    void regressionIsLinearWithInformativeWeights()
    {
        RegressionSpec spec;
        spec.samples = 300;
        spec.features = 12;
        spec.informative = 5;
        spec.bias = 3.5;
        spec.seed = 2;
        const Table t = makeRegression(spec);
        QCOMPARE(t.columnCount(), std::size_t(13));
        QCOMPARE(t.column(12).name(), std::string("target"));
        Eigen::MatrixXd design(300, 13);
        design << features(t), Eigen::VectorXd::Ones(300);
        const Eigen::VectorXd y = target(t);
        const Eigen::VectorXd coef = design.colPivHouseholderQr().solve(y);
        QVERIFY((design * coef - y).norm() / y.norm() < 1e-12);
        QVERIFY(std::abs(coef(12) - 3.5) < 1e-9);
        int nonZero = 0;
        for (int j = 0; j < 12; ++j) {
            if (std::abs(coef(j)) > 1e-9) {
                ++nonZero;
                QVERIFY(coef(j) > 0.0 && coef(j) < 100.0);
            }
        }
        QCOMPARE(nonZero, 5);
        // Features are standard normal.
        const Eigen::MatrixXd x = features(t);
        QVERIFY(std::abs(x.mean()) < 0.05);

        // Noise: the residual of the true linear fit has the requested std.
        spec.samples = 5000;
        spec.noise = 10.0;
        const Table noisy = makeRegression(spec);
        Eigen::MatrixXd d2(5000, 13);
        d2 << features(noisy), Eigen::VectorXd::Ones(5000);
        const Eigen::VectorXd y2 = target(noisy);
        const Eigen::VectorXd residual = d2 * d2.colPivHouseholderQr().solve(y2) - y2;
        const double sd = std::sqrt(residual.squaredNorm() / (5000 - 13));
        QVERIFY2(std::abs(sd - 10.0) < 0.5, std::to_string(sd).c_str());

        // More informative than features: all of them are.
        RegressionSpec small;
        small.samples = 50;
        small.features = 3;
        small.informative = 10;
        small.shuffle = false;
        const Table s = makeRegression(small);
        const Eigen::VectorXd w = features(s).colPivHouseholderQr().solve(target(s));
        QVERIFY((w.array().abs() > 1e-9).all());

        auto make = [](const RegressionSpec& r) { return makeRegression(r); };
        RegressionSpec bad;
        bad.samples = 0;
        expectInvalid(bad, make, {"samples: 0", "≥ 1"});
        bad = {};
        bad.noise = -1.0;
        expectInvalid(bad, make, {"noise: -1", "≥ 0"});
        bad = {};
        bad.informative = -2;
        expectInvalid(bad, make, {"informative: -2", "≥ 0"});
    }

    void blobsHaveRequestedSpread()
    {
        BlobsSpec spec;
        spec.samples = 6000;
        spec.features = 3;
        spec.centers = 4;
        spec.clusterStd = 2.5;
        spec.seed = 9;
        const Table t = makeBlobs(spec);
        QCOMPARE(t.columnCount(), std::size_t(4));
        QCOMPARE(classCounts(t, 4), (std::vector<int>{1500, 1500, 1500, 1500}));
        const Eigen::MatrixXd x = features(t);
        const Eigen::VectorXd y = target(t);
        for (int k = 0; k < 4; ++k) {
            std::vector<Eigen::Index> rows;
            for (Eigen::Index i = 0; i < x.rows(); ++i)
                if (y(i) == k)
                    rows.push_back(i);
            const Eigen::MatrixXd cluster = x(rows, Eigen::all);
            const Eigen::RowVectorXd mean = cluster.colwise().mean();
            QVERIFY((mean.array().abs() < 10.0 + 0.3).all());
            for (Eigen::Index j = 0; j < x.cols(); ++j) {
                const double sd =
                    std::sqrt((cluster.col(j).array() - mean(j)).square().sum() / (cluster.rows() - 1));
                QVERIFY2(std::abs(sd - 2.5) < 0.15, std::to_string(sd).c_str());
            }
        }
        // Unshuffled, the rows come cluster by cluster.
        spec.shuffle = false;
        const Eigen::VectorXd ordered = target(makeBlobs(spec));
        QVERIFY(std::is_sorted(ordered.data(), ordered.data() + ordered.size()));

        auto make = [](const BlobsSpec& b) { return makeBlobs(b); };
        BlobsSpec bad;
        bad.centers = 0;
        expectInvalid(bad, make, {"centers: 0", "≥ 1"});
        bad = {};
        bad.clusterStd = -1.0;
        expectInvalid(bad, make, {"cluster_std: -1", "≥ 0"});
        bad = {};
        bad.boxMin = 5.0;
        bad.boxMax = 5.0;
        expectInvalid(bad, make, {"center_box: (5, 5)", "min < max"});
    }
};

QTEST_GUILESS_MAIN(TestSynthetic)
#include "tst_synthetic.moc"
