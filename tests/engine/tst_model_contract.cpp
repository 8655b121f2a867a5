// The contract every registered model keeps, run over every registry entry and task:
// shapes, NotFitted, monotone progress with snapshots, cancel (from the observer and from
// another thread within a second), save → load → identical predictions, bad input, and
// same seed ⇒ same model for 1 and 2 threads. Classifiers without probabilities (linear
// SVM) are checked through predict and their decision scores instead.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <thread>

#include <omp.h>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "engine/test_timing.hpp"
#include "engine/model_fixtures.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/models/registry.hpp"

using namespace stepwise;
using test::loadFromString;
using test::saveToString;
using core::TaskType;

Q_DECLARE_METATYPE(stepwise::core::TaskType)

namespace {

// Rows of standard-normal features; classes from noisy linear scores, or a noisy linear
// target for regression.
models::Dataset syntheticData(TaskType task, Eigen::Index rows, Eigen::Index features, int classes,
                              std::uint64_t seed)
{
    core::RandomSource random(seed);
    models::Dataset data;
    data.x.resize(rows, features);
    for (Eigen::Index c = 0; c < features; ++c)
        for (Eigen::Index r = 0; r < rows; ++r)
            data.x(r, c) = random.normal();
    for (Eigen::Index c = 0; c < features; ++c)
        data.featureNames.push_back(std::string("f").append(std::to_string(c)));
    const int vectors = task == TaskType::Classification ? classes : 1;
    Eigen::MatrixXd weights(features, vectors);
    for (Eigen::Index i = 0; i < weights.size(); ++i)
        weights.data()[i] = random.normal();
    const Eigen::MatrixXd scores = data.x * weights;
    data.y.resize(rows);
    for (Eigen::Index r = 0; r < rows; ++r) {
        if (task == TaskType::Regression) {
            data.y(r) = 3.0 + scores(r, 0) + 0.5 * random.normal();
        } else {
            Eigen::Index best = 0;
            for (Eigen::Index k = 1; k < vectors; ++k)
                if (scores(r, k) + random.normal() > scores(r, best))
                    best = k;
            data.y(r) = static_cast<double>(best);
        }
    }
    data.classCount = task == TaskType::Classification ? classes : 0;
    data.seed = seed;
    return data;
}

// Smaller forests keep the contract suite quick; the semantics are the same.
std::map<std::string, std::string> quickParams(const std::string& model)
{
    if (model == "random_forest")
        return {{"n_estimators", "12"}};
    // The default alpha=1 zeroes most of the synthetic weights (each is about N(0, 1)).
    if (model == "lasso")
        return {{"alpha", "0.1"}};
    return {};
}

// What a classifier outputs per class: probabilities, or for one without them its
// decision scores (the model's own scale).
Eigen::MatrixXd classOutput(const models::Model& model, const Eigen::MatrixXd& x)
{
    return model.hasProbabilities() ? model.predictProba(x) : model.decisionScores(x);
}

struct Recorder : core::TaskObserver {
    std::vector<double> fractions;
    std::vector<std::string> stages;
    std::vector<core::TrainingSnapshot> snapshots;
    core::TaskControl* cancelOnFirstProgress = nullptr;

    void onProgress(double fraction, const std::string& stage) override
    {
        fractions.push_back(fraction);
        stages.push_back(stage);
        if (cancelOnFirstProgress)
            cancelOnFirstProgress->cancel();
    }
    void onSnapshot(const core::TrainingSnapshot& snapshot) override { snapshots.push_back(snapshot); }
};

template <class Exception, class Call>
std::string messageOf(Call&& call)
{
    try {
        call();
    } catch (const Exception& error) {
        return error.what();
    }
    return "(no exception)";
}

} // namespace

class TestModelContract : public QObject {
    Q_OBJECT

    // One row per registered model and task; classification both binary and 3-class.
    void addModelRows()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<TaskType>("task");
        QTest::addColumn<int>("classes");
        for (const models::ModelInfo& info : models::modelRegistry()) {
            for (const TaskType task : info.tasks) {
                if (task == TaskType::Classification) {
                    QTest::addRow("%s/binary", info.name.c_str()) << QString::fromStdString(info.name) << task << 2;
                    QTest::addRow("%s/3-class", info.name.c_str()) << QString::fromStdString(info.name) << task << 3;
                } else {
                    QTest::addRow("%s/regression", info.name.c_str()) << QString::fromStdString(info.name) << task << 0;
                }
            }
        }
    }

private slots:
    void registryListsModelsInDisplayOrder()
    {
        const auto& registry = models::modelRegistry();
        // Every model of the CLI contract, in display order.
        const std::vector<std::string> expected = {"logistic_regression", "random_forest", "linear_regression",
                                                   "decision_tree", "gradient_boosting", "ridge", "lasso",
                                                   "linear_svm", "knn", "naive_bayes"};
        std::vector<std::string> names;
        for (const auto& info : registry)
            names.push_back(info.name);
        QCOMPARE(names, expected);
        for (const auto& info : registry) {
            QVERIFY(!info.displayName.empty() && !info.description.empty() && !info.tasks.empty());
            std::set<std::string> names;
            for (const auto& spec : info.params) {
                QVERIFY2(!spec.help.empty(), spec.name.c_str());
                QVERIFY2(names.insert(spec.name).second, spec.name.c_str());
            }
            // Every default passes its own validation.
            const core::ParamValues defaults = core::resolveParams(info.params, {}, info.name);
            QCOMPARE(defaults.all().size(), info.params.size());
        }
    }

    void registryRejectsBadRequests()
    {
        const std::string unknown =
            messageOf<core::InvalidParameter>([] { models::findModel("gradient_descent"); });
        QVERIFY2(unknown.find("logistic_regression, random_forest, linear_regression") != std::string::npos,
                 unknown.c_str());
        const std::string wrongTask = messageOf<core::InvalidParameter>(
            [] { models::createModel("logistic_regression", TaskType::Regression, {}); });
        QVERIFY2(wrongTask.find("logistic_regression does not do regression — use one of: random_forest, "
                                "linear_regression") != std::string::npos,
                 wrongTask.c_str());
        const std::string linearTask = messageOf<core::InvalidParameter>(
            [] { models::createModel("linear_regression", TaskType::Classification, {}); });
        QVERIFY2(linearTask.find("logistic_regression, random_forest") != std::string::npos, linearTask.c_str());
        const std::string badValue = messageOf<core::InvalidParameter>(
            [] { models::createModel("random_forest", TaskType::Classification, {{"n_estimators", "0"}}); });
        QVERIFY2(badValue.find("n_estimators=0") != std::string::npos && badValue.find("[1, 10000]") != std::string::npos,
                 badValue.c_str());
        const std::string badC = messageOf<core::InvalidParameter>(
            [] { models::createModel("logistic_regression", TaskType::Classification, {{"C", "0"}}); });
        QVERIFY2(badC.find("(0, 1e+12]") != std::string::npos, badC.c_str());
        const std::string unknownParam = messageOf<core::InvalidParameter>(
            [] { models::createModel("linear_regression", TaskType::Regression, {{"alpha", "1"}}); });
        QVERIFY2(unknownParam.find("no parameter 'alpha'") != std::string::npos, unknownParam.c_str());
    }

    void shapesAndNotFitted_data() { addModelRows(); }
    void shapesAndNotFitted()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        QFETCH(int, classes);
        auto fresh = models::createModel(model.toStdString(), task, quickParams(model.toStdString()));
        QCOMPARE(fresh->name(), model.toStdString());
        QCOMPARE(fresh->task(), task);
        QVERIFY(!fresh->isFitted());
        const models::Dataset data = syntheticData(task, 300, 5, classes, 1);
        const bool probabilities = fresh->hasProbabilities();
        if (task == TaskType::Regression)
            QVERIFY(!probabilities);
        QVERIFY_THROWS_EXCEPTION(core::NotFitted, fresh->predict(data.x));
        if (probabilities)
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, fresh->predictProba(data.x));
        else if (task == TaskType::Classification)
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, fresh->decisionScores(data.x));
        QCOMPARE(fresh->featureImportances().size(), Eigen::Index(0));

        core::TaskControl control;
        const models::FitReport report = fresh->fit(data, control);
        QVERIFY(fresh->isFitted());
        QVERIFY(report.iterations >= 1);
        QVERIFY(!report.curve.empty());
        const Eigen::MatrixXd rows = data.x.topRows(17);
        const Eigen::VectorXd predicted = fresh->predict(rows);
        QCOMPARE(predicted.size(), Eigen::Index(17));
        // Importances: none, or one finite non-negative value per feature.
        const Eigen::VectorXd importances = fresh->featureImportances();
        QVERIFY(importances.size() == 0 || importances.size() == data.x.cols());
        QVERIFY(importances.allFinite() && (importances.array() >= 0.0).all());
        // Decision scores, where a model has them: one column for two classes (the score
        // of class 1) or regression, one per class otherwise.
        bool hasScores = true;
        Eigen::MatrixXd scores;
        try {
            scores = fresh->decisionScores(rows);
        } catch (const core::InvalidParameter&) {
            hasScores = false;
        }
        if (task == TaskType::Classification && !probabilities)
            QVERIFY2(hasScores, "a classifier without probabilities must give decision scores");
        if (hasScores) {
            QCOMPARE(scores.rows(), Eigen::Index(17));
            QCOMPARE(scores.cols(), Eigen::Index(classes > 2 ? classes : 1));
            QVERIFY(scores.allFinite());
        }
        if (task == TaskType::Classification) {
            QCOMPARE(fresh->classCount(), classes);
            if (probabilities) {
                const Eigen::MatrixXd proba = fresh->predictProba(rows);
                QCOMPARE(proba.rows(), Eigen::Index(17));
                QCOMPARE(proba.cols(), Eigen::Index(classes));
                QVERIFY(((proba.rowwise().sum().array() - 1.0).abs() < 1e-12).all());
                QVERIFY((proba.array() >= 0.0).all());
                for (Eigen::Index r = 0; r < rows.rows(); ++r) {
                    Eigen::Index best = 0;
                    proba.row(r).maxCoeff(&best); // first maximum, as predict promises
                    QCOMPARE(predicted(r), static_cast<double>(best));
                }
            } else {
                QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, fresh->predictProba(rows));
                // predict follows the scores: class 1 where the score is positive, else the
                // first largest score.
                for (Eigen::Index r = 0; r < rows.rows(); ++r) {
                    Eigen::Index best = 0;
                    if (classes == 2)
                        best = scores(r, 0) > 0.0 ? 1 : 0;
                    else
                        scores.row(r).maxCoeff(&best);
                    QCOMPARE(predicted(r), static_cast<double>(best));
                }
            }
            // Better than guessing on its own training rows.
            const double accuracy = (fresh->predict(data.x).array() == data.y.array()).cast<double>().mean();
            QVERIFY2(accuracy > 1.0 / classes + 0.2, std::to_string(accuracy).c_str());
        } else {
            QCOMPARE(fresh->classCount(), 0);
            QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, fresh->predictProba(rows));
            const Eigen::VectorXd all = fresh->predict(data.x);
            const double r2 = 1.0 - (all - data.y).squaredNorm() / (data.y.array() - data.y.mean()).square().sum();
            QVERIFY2(r2 > 0.5, std::to_string(r2).c_str());
        }
    }

    void progressIsMonotoneWithSnapshots_data() { addModelRows(); }
    void progressIsMonotoneWithSnapshots()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        QFETCH(int, classes);
        auto fresh = models::createModel(model.toStdString(), task, quickParams(model.toStdString()));
        const models::Dataset data = syntheticData(task, 400, 6, classes, 2);
        Recorder recorder;
        core::TaskControl control(&recorder);
        const models::FitReport report = fresh->fit(data, control);
        QVERIFY(!recorder.fractions.empty());
        for (std::size_t i = 1; i < recorder.fractions.size(); ++i)
            QVERIFY(recorder.fractions[i] >= recorder.fractions[i - 1]);
        QCOMPARE(recorder.fractions.back(), 1.0);
        QVERIFY(!recorder.snapshots.empty());
        QCOMPARE(report.curve.size(), recorder.snapshots.size());
        for (const core::TrainingSnapshot& snapshot : recorder.snapshots) {
            QVERIFY(snapshot.step >= 1 && snapshot.step <= snapshot.totalSteps);
            QVERIFY(!snapshot.metricName.empty() && !snapshot.measuredOn.empty() && !snapshot.stepName.empty());
            QVERIFY(std::isfinite(snapshot.value));
            QCOMPARE(snapshot.confusion.size(), std::size_t(task == TaskType::Classification ? classes : 0));
        }
    }

    void cancelFromObserverThrows_data() { addModelRows(); }
    void cancelFromObserverThrows()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        QFETCH(int, classes);
        auto fresh = models::createModel(model.toStdString(), task, quickParams(model.toStdString()));
        const models::Dataset data = syntheticData(task, 400, 6, classes, 3);
        Recorder recorder;
        core::TaskControl control(&recorder);
        recorder.cancelOnFirstProgress = &control;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, fresh->fit(data, control));
        QVERIFY(!fresh->isFitted());
    }

    void cancelFromAnotherThreadWithinASecond_data()
    {
        QTest::addColumn<TaskType>("task");
        QTest::addColumn<QString>("trees");
        QTest::addColumn<QString>("maxFeatures");
        QTest::addColumn<QString>("maxBins");
        QTest::newRow("forest classification") << TaskType::Classification << "100" << "auto" << "255";
        QTest::newRow("forest regression") << TaskType::Regression << "100" << "auto" << "255";
        // One slow tree: cancel must be noticed inside the tree, not only between trees.
        QTest::newRow("one slow tree") << TaskType::Classification << "1" << "all" << "none";
        // Binned trees: in the binning or inside a tree, whichever runs at the time.
        QTest::newRow("ten binned trees") << TaskType::Classification << "10" << "all" << "255";
    }
    void cancelFromAnotherThreadWithinASecond()
    {
        QFETCH(TaskType, task);
        QFETCH(QString, trees);
        QFETCH(QString, maxFeatures);
        QFETCH(QString, maxBins);
        const models::Dataset data = syntheticData(task, 200000, 20, 2, 4);
        auto forest = models::createModel("random_forest", task,
                                          {{"n_estimators", trees.toStdString()},
                                           {"max_features", maxFeatures.toStdString()},
                                           {"max_bins", maxBins.toStdString()}});
        const test::CancelOutcome outcome = test::fitAndCancel(*forest, data, std::chrono::milliseconds(400));
        QVERIFY2(!outcome.finished, "the fit finished before it could be cancelled — make the problem bigger");
        QVERIFY(outcome.cancelled);
        // A correctness requirement (cancel is honoured within a second), not a speed goal.
        const double latency = outcome.latency;
        QVERIFY2(latency < 1.0 * test::timeScale(), std::to_string(latency).c_str());
        qInfo("cancel latency %.4f s", latency);
        QVERIFY(!forest->isFitted());
    }

    void saveLoadGivesIdenticalPredictions_data() { addModelRows(); }
    void saveLoadGivesIdenticalPredictions()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        QFETCH(int, classes);
        std::map<std::string, std::string> params = quickParams(model.toStdString());
        if (model == "random_forest" || model == "decision_tree")
            params["max_depth"] = "8";
        else if (model == "logistic_regression")
            params["C"] = "0.5";
        else if (model == "gradient_boosting")
            params["max_depth"] = "3";
        else if (model == "knn")
            params["weights"] = "distance";
        else if (model == "naive_bayes")
            params["var_smoothing"] = "1e-6";
        else
            params["fit_intercept"] = "false";
        auto fitted = models::createModel(model.toStdString(), task, params);
        const models::Dataset data = syntheticData(task, 300, 5, classes, 5);
        core::TaskControl control;
        fitted->fit(data, control);
        const std::string bytes = saveToString(*fitted);

        // The reader builds a default model and lets the archive restore the parameters.
        auto restored = models::createModel(model.toStdString(), task, {});
        loadFromString(*restored, bytes);
        QVERIFY(restored->isFitted());
        QVERIFY(restored->params().all() == fitted->params().all());
        QCOMPARE(restored->classCount(), fitted->classCount());
        QVERIFY(restored->predict(data.x) == fitted->predict(data.x));
        QCOMPARE(restored->hasProbabilities(), fitted->hasProbabilities());
        if (task == TaskType::Classification)
            QVERIFY(classOutput(*restored, data.x) == classOutput(*fitted, data.x));
        QVERIFY(restored->featureImportances() == fitted->featureImportances());

        // An unfitted model round-trips as unfitted.
        auto unfitted = models::createModel(model.toStdString(), task, params);
        auto reloaded = models::createModel(model.toStdString(), task, {});
        loadFromString(*reloaded, saveToString(*unfitted));
        QVERIFY(!reloaded->isFitted());
        QVERIFY_THROWS_EXCEPTION(core::NotFitted, reloaded->predict(data.x));

        // A truncated file is an ArchiveError, and leaves the model unfitted.
        auto damaged = models::createModel(model.toStdString(), task, {});
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, loadFromString(*damaged, bytes.substr(0, bytes.size() * 2 / 3)));
        QVERIFY(!damaged->isFitted());
    }

    void badInputIsADataError_data() { addModelRows(); }
    void badInputIsADataError()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        QFETCH(int, classes);
        const auto make = [&] { return models::createModel(model.toStdString(), task, quickParams(model.toStdString())); };
        core::TaskControl control;
        const models::Dataset good = syntheticData(task, 120, 4, classes, 6);

        models::Dataset empty = good;
        empty.x.resize(0, 4);
        empty.y.resize(0);
        QVERIFY_THROWS_EXCEPTION(core::DataError, make()->fit(empty, control));

        models::Dataset withNaN = good;
        withNaN.x(7, 2) = std::numeric_limits<double>::quiet_NaN();
        const std::string nanMessage = messageOf<core::DataError>([&] { make()->fit(withNaN, control); });
        QVERIFY2(nanMessage.find("'f2'") != std::string::npos && nanMessage.find("row 8") != std::string::npos,
                 nanMessage.c_str());
        models::Dataset withInf = good;
        withInf.x(0, 0) = std::numeric_limits<double>::infinity();
        QVERIFY_THROWS_EXCEPTION(core::DataError, make()->fit(withInf, control));

        if (task == TaskType::Classification) {
            models::Dataset oneClass = good;
            oneClass.y.setConstant(1.0);
            oneClass.classNames = {"no", "yes", "maybe"};
            oneClass.classNames.resize(static_cast<std::size_t>(classes));
            const std::string message = messageOf<core::DataError>([&] { make()->fit(oneClass, control); });
            QVERIFY2(message.find("the target has a single class 'yes' in the training rows — ") != std::string::npos,
                     message.c_str());
            models::Dataset outOfRange = good;
            outOfRange.y(3) = classes;
            QVERIFY_THROWS_EXCEPTION(core::DataError, make()->fit(outOfRange, control));
            models::Dataset fractional = good;
            fractional.y(3) = 0.5;
            QVERIFY_THROWS_EXCEPTION(core::DataError, make()->fit(fractional, control));
        } else {
            models::Dataset badTarget = good;
            badTarget.y(4) = std::numeric_limits<double>::quiet_NaN();
            QVERIFY_THROWS_EXCEPTION(core::DataError, make()->fit(badTarget, control));
        }

        auto fitted = make();
        fitted->fit(good, control);
        const Eigen::MatrixXd narrow = good.x.leftCols(3);
        QVERIFY_THROWS_EXCEPTION(core::DataError, fitted->predict(narrow));
        Eigen::MatrixXd missing = good.x.topRows(3);
        missing(1, 1) = std::numeric_limits<double>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(core::DataError, fitted->predict(missing));
        // A fit that throws leaves the model as it was.
        const Eigen::VectorXd before = fitted->predict(good.x);
        QVERIFY_THROWS_EXCEPTION(core::DataError, fitted->fit(withNaN, control));
        QVERIFY(fitted->isFitted());
        QVERIFY(fitted->predict(good.x) == before);
    }

    void sameSeedSameModelForAnyThreadCount_data() { addModelRows(); }
    void sameSeedSameModelForAnyThreadCount()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        QFETCH(int, classes);
        const models::Dataset data = syntheticData(task, 600, 8, classes, 7);
        const int previousThreads = omp_get_max_threads();
        const auto fitWithThreads = [&](int threads, std::uint64_t seed) {
            omp_set_num_threads(threads);
            auto fresh = models::createModel(model.toStdString(), task, quickParams(model.toStdString()));
            models::Dataset seeded = data;
            seeded.seed = seed;
            core::TaskControl control;
            fresh->fit(seeded, control);
            Eigen::MatrixXd output = task == TaskType::Classification ? classOutput(*fresh, data.x)
                                                                       : Eigen::MatrixXd(fresh->predict(data.x));
            return output;
        };
        const Eigen::MatrixXd oneThread = fitWithThreads(1, 11);
        const Eigen::MatrixXd twoThreads = fitWithThreads(2, 11);
        omp_set_num_threads(previousThreads);
        QVERIFY(oneThread == twoThreads);
        if (model == "random_forest") {
            // The seed does matter for a forest.
            const Eigen::MatrixXd otherSeed = fitWithThreads(2, 12);
            omp_set_num_threads(previousThreads);
            QVERIFY(oneThread != otherSeed);
        }
    }
};

QTEST_GUILESS_MAIN(TestModelContract)
#include "tst_model_contract.moc"
