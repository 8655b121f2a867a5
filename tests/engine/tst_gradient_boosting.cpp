// Gradient boosting against scikit-learn 1.2.1 (HistGradientBoostingClassifier /
// Regressor), reference values from tests/reference/boosting_reference.py. Without early
// stopping the algorithm is the same: bin edges and every tree's leaf count must match
// exactly, probabilities, raw scores and regression predictions to 1e-9 (measured: equal
// bit for bit for two classes and regression; for three classes raw scores within 2e-15
// and probabilities within 4e-16, because numpy's vectorised log and exp, used in the
// multinomial baseline, round the last bit differently from the C library's). With early
// stopping on held-out rows the split is drawn
// from our seed, not numpy's, so iteration counts (within 35 %) and scores (within half a
// point) are compared as means over five seeds.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include <omp.h>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <nlohmann/json.hpp>

#include "engine/test_timing.hpp"
#include "engine/model_fixtures.hpp"
#include "models/feature_bins.hpp"
#include "models/gradient_boosting.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"

using namespace stepwise;
using test::loadFromString;
using test::saveToString;
using core::TaskType;

namespace {

// The generator of boosting_reference.py: integer hashing and IEEE arithmetic in the same
// order, so both sides build bit-identical data.
std::uint64_t splitmix64(std::uint64_t value)
{
    std::uint64_t z = value + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double uniform(std::uint64_t seed, std::uint64_t row, std::uint64_t slot)
{
    return static_cast<double>(splitmix64((seed << 40) + row * 64 + slot) >> 11) * 0x1p-53;
}

models::Dataset synthetic(const std::string& kind, Eigen::Index rows, std::uint64_t seed)
{
    models::Dataset data;
    data.x.resize(rows, 8);
    data.y.resize(rows);
    for (Eigen::Index r = 0; r < rows; ++r) {
        const auto row = static_cast<std::uint64_t>(r);
        double x[8];
        for (int j = 0; j < 6; ++j)
            x[j] = ((uniform(seed, row, 3 * j) + uniform(seed, row, 3 * j + 1)) + uniform(seed, row, 3 * j + 2)) - 1.5;
        x[6] = std::floor(uniform(seed, row, 18) * 40.0) / 8.0;
        x[7] = std::floor(uniform(seed, row, 19) * 5.0);
        const double noise = (uniform(seed, row, 20) - 0.5) * 2.0;
        const double score =
            ((((x[0] + (2.0 * x[1]) * x[2]) - x[3] * x[3]) + 0.5 * x[4]) + (0.25 * x[6] - 0.3 * x[7])) + noise;
        for (int j = 0; j < 8; ++j)
            data.x(r, j) = x[j];
        if (kind == "binary") {
            data.y(r) = score > 0.0 ? 1.0 : 0.0;
        } else if (kind == "multiclass") {
            const double s0 = score;
            const double s1 = (x[3] - x[4] * x[0]) + (uniform(seed, row, 21) - 0.5) * 2.0;
            const double s2 = ((0.5 * (x[1] + x[5])) + 0.2 * x[7]) + (uniform(seed, row, 22) - 0.5) * 2.0;
            data.y(r) = (s1 > s0 && s1 >= s2) ? 1.0 : ((s2 > s0 && s2 > s1) ? 2.0 : 0.0);
        } else {
            data.y(r) = 3.0 * score + (x[5] * x[5]) * 2.0;
        }
    }
    for (int j = 0; j < 8; ++j)
        data.featureNames.push_back(std::string("x").append(std::to_string(j)));
    data.classCount = kind == "binary" ? 2 : (kind == "multiclass" ? 3 : 0);
    return data;
}

const nlohmann::json& reference()
{
    static const nlohmann::json json = [] {
        std::ifstream in(test::referencePath("boosting_reference.json"));
        if (!in)
            throw std::runtime_error("missing boosting_reference.json — run tests/reference/boosting_reference.py");
        return nlohmann::json::parse(in);
    }();
    return json;
}

std::map<std::string, std::string> paramsOf(const nlohmann::json& params)
{
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : params.items()) {
        if (value.is_null())
            out[key] = "none";
        else if (value.is_boolean())
            out[key] = value.get<bool>() ? "true" : "false";
        else
            out[key] = value.dump();
    }
    return out;
}

std::unique_ptr<models::GradientBoosting> makeBoosting(TaskType task, const std::map<std::string, std::string>& params)
{
    auto model = models::createModel("gradient_boosting", task, params);
    return std::unique_ptr<models::GradientBoosting>(static_cast<models::GradientBoosting*>(model.release()));
}

TaskType taskOf(const std::string& kind) { return kind == "regression" ? TaskType::Regression : TaskType::Classification; }

Eigen::MatrixXd matrixOf(const nlohmann::json& rows)
{
    Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
    for (Eigen::Index r = 0; r < out.rows(); ++r)
        for (Eigen::Index c = 0; c < out.cols(); ++c)
            out(r, c) = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)].get<double>();
    return out;
}

double accuracy(const Eigen::VectorXd& predicted, const Eigen::VectorXd& actual)
{
    return (predicted.array() == actual.array()).cast<double>().mean();
}

double rSquared(const Eigen::VectorXd& predicted, const Eigen::VectorXd& actual)
{
    return 1.0 - (predicted - actual).squaredNorm() / (actual.array() - actual.mean()).square().sum();
}

struct Pair {
    models::Dataset train;
    models::Dataset test;
    std::string kind;
};

// The data of a reference case, by the case's name.
Pair dataFor(const std::string& name)
{
    if (name == "breast_cancer")
        return {test::loadFixture("breast_cancer_train", 2), test::loadFixture("breast_cancer_test", 2), "binary"};
    if (name == "iris")
        return {test::loadFixture("iris_train", 3), test::loadFixture("iris_test", 3), "multiclass"};
    const bool large = name.rfind("large_", 0) == 0;
    std::string kind = large ? name.substr(6) : name.substr(0, name.find('_'));
    return {synthetic(kind, large ? 20000 : 1200, large ? 3 : 1), synthetic(kind, large ? 5000 : 400, large ? 4 : 2),
            kind};
}

struct Recorder : core::TaskObserver {
    std::vector<core::TrainingSnapshot> snapshots;
    void onProgress(double, const std::string&) override {}
    void onSnapshot(const core::TrainingSnapshot& snapshot) override { snapshots.push_back(snapshot); }
};

} // namespace

class TestGradientBoosting : public QObject {
    Q_OBJECT
private slots:
    void generatorMatchesTheReferenceScript()
    {
        const auto& check = reference()["generator_check"];
        const models::Dataset binary = synthetic("binary", 1200, 1);
        for (int j = 0; j < 8; ++j)
            QVERIFY(binary.x(0, j) == check["first_row"][static_cast<std::size_t>(j)].get<double>());
        QVERIFY(std::abs(binary.x.sum() - check["x_sum"].get<double>()) < 1e-9);
        QCOMPARE(static_cast<int>(binary.y.sum()), check["binary_positives"].get<int>());
        const models::Dataset multiclass = synthetic("multiclass", 1200, 1);
        for (int k = 0; k < 3; ++k)
            QCOMPARE(static_cast<int>((multiclass.y.array() == k).count()),
                     check["multiclass_counts"][static_cast<std::size_t>(k)].get<int>());
        QVERIFY(std::abs(synthetic("regression", 1200, 1).y.sum() - check["regression_sum"].get<double>()) < 1e-9);
    }

    // _BinMapper.bin_thresholds_, bit for bit (numpy's midpoint percentile and linspace).
    void binEdgesAreScikitLearns_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("maxBins");
        QTest::newRow("synthetic, 255 bins") << "synthetic_255" << 255;
        QTest::newRow("synthetic, 16 bins") << "synthetic_16" << 16;
        QTest::newRow("breast cancer, 255 bins") << "breast_cancer_255" << 255;
        QTest::newRow("breast cancer, 7 bins") << "breast_cancer_7" << 7;
        QTest::newRow("511 rows, 255 bins") << "synthetic_511_rows_255" << 255;
    }
    void binEdgesAreScikitLearns()
    {
        QFETCH(QString, name);
        QFETCH(int, maxBins);
        Eigen::MatrixXd x;
        if (name.startsWith("breast_cancer"))
            x = test::loadFixture("breast_cancer_train", 2).x;
        else if (name.startsWith("synthetic_511"))
            x = synthetic("regression", 511, 5).x;
        else
            x = synthetic("binary", 1200, 1).x;
        const auto edges = models::findBinThresholds(x, maxBins);
        const auto& expected = reference()["bin_thresholds"][name.toStdString()];
        // The reference may hold the first features only.
        QVERIFY(expected.size() >= std::min<std::size_t>(edges.size(), 10) && expected.size() <= edges.size());
        for (std::size_t f = 0; f < expected.size(); ++f) {
            QCOMPARE(edges[f].size(), expected[f].size());
            for (std::size_t b = 0; b < edges[f].size(); ++b)
                QVERIFY2(edges[f][b] == expected[f][b].get<double>(),
                         qPrintable(QString("feature %1 edge %2: %3 vs %4")
                                        .arg(f)
                                        .arg(b)
                                        .arg(edges[f][b], 0, 'g', 17)
                                        .arg(expected[f][b].get<double>(), 0, 'g', 17)));
        }
        // A value goes to the number of edges below it; equal goes left.
        const models::BinnedFeatures binned = models::binFeatures(x, edges);
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            for (int f = 0; f < binned.features; ++f) {
                const int code = binned.code(f, static_cast<std::size_t>(r));
                const auto& e = edges[static_cast<std::size_t>(f)];
                QVERIFY(code == static_cast<int>(e.size()) || x(r, f) <= e[static_cast<std::size_t>(code)]);
                QVERIFY(code == 0 || x(r, f) > e[static_cast<std::size_t>(code) - 1]);
            }
    }

    // Same algorithm, same numbers: iteration count, leaves of every tree, baseline and
    // the test-row outputs.
    void fitsAsScikitLearnWithoutEarlyStopping_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& [name, unused] : reference()["exact"].items())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
    void fitsAsScikitLearnWithoutEarlyStopping()
    {
        QFETCH(QString, name);
        const auto& expected = reference()["exact"][name.toStdString()];
        Pair data = dataFor(name.toStdString());
        const TaskType task = taskOf(data.kind);
        auto model = makeBoosting(task, paramsOf(expected["params"]));
        core::TaskControl control;
        const models::FitReport report = model->fit(data.train, control);
        QCOMPARE(model->iterationCount(), expected["n_iter"].get<int>());
        QCOMPARE(report.iterations, model->iterationCount());

        const auto& leaves = expected["leaves"];
        const int perIteration = model->treesPerIteration();
        QCOMPARE(static_cast<std::size_t>(perIteration), leaves[0].size());
        int firstDifferent = -1;
        for (std::size_t t = 0; t < model->trees().size() && firstDifferent < 0; ++t)
            if (model->trees()[t].leafCount() !=
                leaves[t / static_cast<std::size_t>(perIteration)][t % static_cast<std::size_t>(perIteration)].get<int>())
                firstDifferent = static_cast<int>(t);
        QVERIFY2(firstDifferent < 0, qPrintable(QString("tree %1 has another leaf count").arg(firstDifferent)));
        for (int k = 0; k < perIteration; ++k)
            QVERIFY(std::abs(model->baseline()[static_cast<std::size_t>(k)] -
                             expected["baseline"][static_cast<std::size_t>(k)].get<double>()) < 1e-14);

        const auto keep = static_cast<Eigen::Index>(
            (task == TaskType::Regression ? expected["test_prediction"] : expected["test_proba"]).size());
        const Eigen::MatrixXd rows = data.test.x.topRows(keep);
        if (task == TaskType::Regression) {
            const Eigen::VectorXd predicted = model->predict(rows);
            Eigen::VectorXd reference(keep);
            for (Eigen::Index r = 0; r < keep; ++r)
                reference(r) = expected["test_prediction"][static_cast<std::size_t>(r)].get<double>();
            const double difference = (predicted - reference).cwiseAbs().maxCoeff();
            qInfo("%s: max |prediction difference| %.3g", qPrintable(name), difference);
            QVERIFY2(difference < 1e-9, std::to_string(difference).c_str());
            const double r2 = rSquared(model->predict(data.test.x), data.test.y);
            QVERIFY(std::abs(r2 - expected["test_r2"].get<double>()) < 1e-9);
            QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, model->decisionScores(rows));
        } else {
            const Eigen::MatrixXd proba = model->predictProba(rows);
            const double probaDifference = (proba - matrixOf(expected["test_proba"])).cwiseAbs().maxCoeff();
            const double rawDifference =
                (model->decisionScores(rows) - matrixOf(expected["test_decision"])).cwiseAbs().maxCoeff();
            qInfo("%s: max |probability difference| %.3g, max |raw difference| %.3g", qPrintable(name),
                  probaDifference, rawDifference);
            QVERIFY2(probaDifference < 1e-9, std::to_string(probaDifference).c_str());
            QVERIFY2(rawDifference < 1e-9, std::to_string(rawDifference).c_str());
            const double ours = accuracy(model->predict(data.test.x), data.test.y);
            QCOMPARE(ours, expected["test_accuracy"].get<double>());
        }
    }

    // Early stopping on the training loss draws nothing at random: same losses, same stop.
    void stopsOnTheTrainingLossAsScikitLearn()
    {
        const auto& expected = reference()["stopping_on_training_loss"];
        auto model = makeBoosting(TaskType::Classification, {{"early_stopping", "true"},
                                                             {"validation_fraction", "none"},
                                                             {"n_iter_no_change", "5"},
                                                             {"tol", "0.001"},
                                                             {"max_iter", "300"}});
        core::TaskControl control;
        const models::FitReport report = model->fit(synthetic("binary", 1200, 1), control);
        QCOMPARE(model->iterationCount(), expected["n_iter"].get<int>());
        const auto& losses = expected["train_loss"];
        QCOMPARE(model->stoppingLosses().size(), losses.size());
        for (std::size_t i = 0; i < losses.size(); ++i)
            QVERIFY(std::abs(model->stoppingLosses()[i] - losses[i].get<double>()) < 1e-12);
        QVERIFY2(report.message.find("stopped early after") != std::string::npos, report.message.c_str());
        // The snapshots carry the same training loss, one per iteration.
        QCOMPARE(report.curve.size(), static_cast<std::size_t>(model->iterationCount()));
        QVERIFY(std::abs(report.curve.back().value - losses.back().get<double>()) < 1e-12);
    }

    // Held-out rows come from our seed, not numpy's: compared over five seeds each.
    void stopsOnValidationLossLikeScikitLearn_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("binary") << "binary";
        QTest::newRow("multiclass") << "multiclass";
        QTest::newRow("regression") << "regression";
    }
    void stopsOnValidationLossLikeScikitLearn()
    {
        QFETCH(QString, kind);
        const auto& expected = reference()["stopping_on_validation"][kind.toStdString()];
        models::Dataset train = synthetic(kind.toStdString(), 20000, 3);
        const models::Dataset test = synthetic(kind.toStdString(), 5000, 4);
        const TaskType task = taskOf(kind.toStdString());
        double meanIterations = 0.0;
        double meanScore = 0.0;
        for (std::uint64_t seed = 0; seed < 5; ++seed) {
            // early_stopping=auto: on, since there are more than 10,000 rows.
            auto model = makeBoosting(task, {{"max_iter", "500"}});
            train.seed = seed;
            core::TaskControl control;
            model->fit(train, control);
            QVERIFY(model->iterationCount() < 500);
            QCOMPARE(model->stoppingLosses().size(), static_cast<std::size_t>(model->iterationCount()) + 1);
            meanIterations += model->iterationCount() / 5.0;
            const Eigen::VectorXd predicted = model->predict(test.x);
            meanScore += (task == TaskType::Regression ? rSquared(predicted, test.y) : accuracy(predicted, test.y)) / 5.0;
        }
        const double sklearnIterations = expected["mean_n_iter"].get<double>();
        const double sklearnScore = expected["mean_score"].get<double>();
        qInfo("%s: mean iterations %.1f (scikit-learn %.1f), mean score %.4f (scikit-learn %.4f)", qPrintable(kind),
              meanIterations, sklearnIterations, meanScore, sklearnScore);
        QVERIFY2(std::abs(meanIterations - sklearnIterations) <= 0.35 * sklearnIterations,
                 std::to_string(meanIterations).c_str());
        QVERIFY2(std::abs(meanScore - sklearnScore) <= 0.005, std::to_string(meanScore).c_str());
    }

    void liveSnapshotsFollowTheMonitorRows()
    {
        models::Dataset train = synthetic("multiclass", 3000, 7);
        const models::Dataset monitor = synthetic("multiclass", 600, 8);
        train.monitorX = monitor.x;
        train.monitorY = monitor.y;
        auto model = makeBoosting(TaskType::Classification, {{"max_iter", "30"}});
        Recorder recorder;
        core::TaskControl control(&recorder);
        const models::FitReport report = model->fit(train, control);
        QCOMPARE(recorder.snapshots.size(), std::size_t(60));
        QCOMPARE(report.curve.size(), std::size_t(60));
        for (std::size_t i = 0; i < recorder.snapshots.size(); i += 2) {
            const auto& loss = recorder.snapshots[i];
            const auto& validation = recorder.snapshots[i + 1];
            QCOMPARE(loss.metricName, std::string("training loss"));
            QCOMPARE(loss.measuredOn, std::string("training rows"));
            QCOMPARE(validation.metricName, std::string("validation accuracy"));
            QCOMPARE(validation.measuredOn, std::string("validation rows"));
            QCOMPARE(loss.step, static_cast<int>(i / 2) + 1);
            QCOMPARE(validation.step, loss.step);
            QCOMPARE(validation.confusion.size(), std::size_t(3));
            if (i > 0)
                QVERIFY(loss.value < recorder.snapshots[i - 2].value);
        }
        // The incrementally updated monitor predictions agree with predict() at the end.
        const double last = recorder.snapshots.back().value;
        QCOMPARE(last, accuracy(model->predict(monitor.x), monitor.y));

        train = synthetic("regression", 3000, 7);
        const models::Dataset regressionMonitor = synthetic("regression", 600, 8);
        train.monitorX = regressionMonitor.x;
        train.monitorY = regressionMonitor.y;
        auto regression = makeBoosting(TaskType::Regression, {{"max_iter", "10"}});
        Recorder regressionRecorder;
        core::TaskControl regressionControl(&regressionRecorder);
        regression->fit(train, regressionControl);
        QCOMPARE(regressionRecorder.snapshots.back().metricName, std::string("validation R²"));
        QVERIFY(std::abs(regressionRecorder.snapshots.back().value -
                         rSquared(regression->predict(regressionMonitor.x), regressionMonitor.y)) < 1e-12);
    }

    void importancesSumToOneAndFavourTheSignal()
    {
        auto model = makeBoosting(TaskType::Classification, {});
        core::TaskControl control;
        model->fit(synthetic("binary", 1200, 1), control);
        const Eigen::VectorXd importances = model->featureImportances();
        QCOMPARE(importances.size(), Eigen::Index(8));
        QVERIFY(std::abs(importances.sum() - 1.0) < 1e-12);
        QVERIFY((importances.array() >= 0.0).all());
        // x1 and x2 carry the product term, x5 is unused by the target.
        QVERIFY(importances(1) > importances(5) && importances(2) > importances(5));
    }

    // The contract suite fits small data; this one is big enough for the parallel
    // histogram, partition and prediction paths.
    void sameModelForOneAndTwoThreadsOnLargeData()
    {
        const models::Dataset data = synthetic("multiclass", 70000, 9);
        const int previous = omp_get_max_threads();
        const auto fitWith = [&](int threads) {
            omp_set_num_threads(threads);
            auto model = makeBoosting(TaskType::Classification, {{"max_iter", "8"}, {"early_stopping", "true"}});
            core::TaskControl control;
            model->fit(data, control);
            return model;
        };
        const auto one = fitWith(1);
        const auto two = fitWith(2);
        omp_set_num_threads(previous);
        QVERIFY(saveToString(*one) == saveToString(*two));
        QVERIFY(one->predictProba(data.x) == two->predictProba(data.x));
    }

    void cancelFromAnotherThreadWithinASecond()
    {
        const models::Dataset data = synthetic("binary", 400000, 10);
        auto model = makeBoosting(TaskType::Classification, {{"max_iter", "1000"}, {"early_stopping", "false"}});
        const test::CancelOutcome outcome = test::fitAndCancel(*model, data, std::chrono::milliseconds(1500));
        QVERIFY2(!outcome.finished, "the fit finished before it could be cancelled — make the problem bigger");
        QVERIFY(outcome.cancelled);
        const double latency = outcome.latency;
        qInfo("cancel latency %.4f s", latency);
        QVERIFY2(latency < 1.0 * test::timeScale(), std::to_string(latency).c_str());
        QVERIFY(!model->isFitted());
    }

    void badParametersAndDataAreClearErrors()
    {
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 models::createModel("gradient_boosting", TaskType::Regression,
                                                     {{"validation_fraction", "1"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 models::createModel("gradient_boosting", TaskType::Regression, {{"max_bins", "256"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, models::createModel("gradient_boosting", TaskType::Regression,
                                                                             {{"learning_rate", "0"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, models::createModel("gradient_boosting", TaskType::Regression,
                                                                             {{"max_leaf_nodes", "1"}}));
        // A class with one row cannot be stratified into the early-stopping split.
        models::Dataset data = synthetic("binary", 200, 11);
        data.y.setZero();
        data.y(17) = 1.0;
        auto model = makeBoosting(TaskType::Classification, {{"early_stopping", "true"}});
        core::TaskControl control;
        QVERIFY_THROWS_EXCEPTION(core::DataError, model->fit(data, control));
        auto withoutSplit = makeBoosting(TaskType::Classification,
                                         {{"early_stopping", "true"}, {"validation_fraction", "none"}});
        withoutSplit->fit(data, control);
        QVERIFY(withoutSplit->isFitted());
        // Validation rows whose target is not a class of the training target.
        models::Dataset monitored = synthetic("binary", 200, 12);
        monitored.monitorX = monitored.x.topRows(10);
        monitored.monitorY = Eigen::VectorXd::Constant(10, 2.0);
        QVERIFY_THROWS_EXCEPTION(core::DataError, makeBoosting(TaskType::Classification, {})->fit(monitored, control));
        monitored.monitorY = Eigen::VectorXd::Zero(9);
        QVERIFY_THROWS_EXCEPTION(core::DataError, makeBoosting(TaskType::Classification, {})->fit(monitored, control));
    }
};

QTEST_GUILESS_MAIN(TestGradientBoosting)
#include "tst_gradient_boosting.moc"
