// Model analysis: learning and validation curves against scikit-learn's learning_curve /
// validation_curve, permutation importance against permutation_importance, numpy's legacy
// RandomState (tests/reference/model_analysis_reference.py →
// tests/data/reference/model_analysis.json); thread-count independence, progress, cancel
// and the errors.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <optional>
#include <tuple>

#include <nlohmann/json.hpp>

#include "engine/test_timing.hpp"
#include "core/numpy_random.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/threads.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/workflow/model_analysis.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
using nlohmann::json;
using Params = std::map<std::string, std::string>;

namespace {

json reference()
{
    std::ifstream in(STEPWISE_TEST_DATA_DIR "/reference/model_analysis.json");
    if (!in)
        return {};
    return json::parse(in);
}

// The dataset with a column "t" = the row number, which the reference recipes split by
// (and drop from the features): their training rows are the file's first rows, as the
// reference script takes them.
data::Table withRowTime(const std::string& dataset)
{
    data::Table table = data::loadBuiltinDataset(dataset);
    std::vector<double> time(table.rowCount());
    for (std::size_t row = 0; row < time.size(); ++row)
        time[row] = static_cast<double>(row);
    table.addColumn(data::Column::numeric("t", time));
    return table;
}

// The recipe of a reference case: its model and metric, split by "t", with the case's
// folds (time-series folds are the default when splitting by time, so they are left unset).
workflow::Recipe referenceRecipe(const json& ref)
{
    workflow::Recipe recipe;
    recipe.problem.task =
        ref["task"] == "classification" ? core::TaskType::Classification : core::TaskType::Regression;
    recipe.problem.target = ref["target"].get<std::string>();
    const std::string metric = ref["metric"].get<std::string>();
    if (metric != "accuracy" && metric != "r2")
        recipe.problem.success =
            evaluation::parseSuccessCriterion(metric + (metric == "rmse" || metric == "log_loss" ? "<=1" : ">=0.5"),
                                              recipe.problem.task);
    recipe.prep.dropColumns = {"t"};
    recipe.prep.timeColumn = "t";
    recipe.model.name = ref["model"].get<std::string>();
    recipe.model.params = ref["params"].get<Params>();
    const std::string strategy = ref.value("strategy", std::string());
    if (!strategy.empty() && strategy.rfind("timeseries", 0) != 0)
        recipe.crossValidation = evaluation::parseCvSpec(strategy);
    return recipe;
}

// Tolerances, relative to max(1, |value|): Gaussian naive Bayes and ridge are closed
// forms that agree with scikit-learn to rounding (1e-9 leaves room for the summation order
// of a few hundred rows); accuracy counts rows, so it must agree exactly (logistic
// regression's lbfgs agrees to ~1e-6 in the probabilities, far from any 0.5 here).
double toleranceOf(const std::string& metric) { return metric == "accuracy" ? 1e-12 : 1e-9; }

bool close(double ours, double theirs, double tolerance)
{
    return std::abs(ours - theirs) <= tolerance * std::max(1.0, std::abs(theirs));
}

double meanOf(const std::vector<double>& values)
{
    double sum = 0.0;
    for (double v : values)
        sum += v;
    return sum / static_cast<double>(values.size());
}

double stdOf(const std::vector<double>& values)
{
    const double mean = meanOf(values);
    double squares = 0.0;
    for (double v : values)
        squares += (v - mean) * (v - mean);
    return std::sqrt(squares / static_cast<double>(values.size()));
}

// Largest difference of a point's scores from the reference's, checked within tolerance;
// the mean and std against the reference's scores.
// Compares every point of a curve with the reference's per-fold train and test scores
// (`r["train_scores"][i]`, `r["test_scores"][i]`) and their mean and std; `where[i]`
// names point i in failure messages. Returns the largest score difference.
double comparePoints(const std::vector<workflow::CurvePoint>& points, const json& r, double tolerance,
                     const std::vector<std::string>& where)
{
    const auto scoreText = [](double value) { return QByteArray::number(value, 'g', 17).toStdString(); };
    double largest = 0.0;
    [&] {
        QCOMPARE(where.size(), points.size());
        for (std::size_t i = 0; i < points.size(); ++i) {
            const workflow::CurvePoint& point = points[i];
            const auto train = r["train_scores"][i].get<std::vector<double>>();
            const auto test = r["test_scores"][i].get<std::vector<double>>();
            QCOMPARE(point.trainScores.size(), train.size());
            QCOMPARE(point.testScores.size(), test.size());
            for (std::size_t f = 0; f < train.size(); ++f) {
                largest = std::max({largest, std::abs(point.trainScores[f] - train[f]),
                                    std::abs(point.testScores[f] - test[f])});
                QVERIFY2(close(point.trainScores[f], train[f], tolerance),
                         (where[i] + " train fold " + std::to_string(f) + ": " + scoreText(point.trainScores[f]) +
                          " vs " + scoreText(train[f]))
                             .c_str());
                QVERIFY2(close(point.testScores[f], test[f], tolerance),
                         (where[i] + " test fold " + std::to_string(f) + ": " + scoreText(point.testScores[f]) +
                          " vs " + scoreText(test[f]))
                             .c_str());
            }
            QVERIFY2(close(point.trainMean, meanOf(train), tolerance), where[i].c_str());
            QVERIFY2(close(point.testMean, meanOf(test), tolerance), where[i].c_str());
            QVERIFY2(close(point.trainStd, stdOf(train), tolerance), where[i].c_str());
            QVERIFY2(close(point.testStd, stdOf(test), tolerance), where[i].c_str());
        }
    }();
    return largest;
}

// The message of the exception of type E `work` throws ("" when it throws none).
template <typename E, typename Work>
std::string messageOf(Work&& work)
{
    try {
        work();
    } catch (const E& error) {
        return error.what();
    }
    return {};
}

bool mentions(const std::string& message, std::initializer_list<const char*> parts)
{
    if (message.empty())
        return false;
    for (const char* part : parts)
        if (message.find(part) == std::string::npos)
            return false;
    return true;
}

// Records progress; cancels once the progress passes `cancelAt`.
class Recorder : public core::TaskObserver {
public:
    void onProgress(double fraction, const std::string& stage) override
    {
        monotone = monotone && fraction >= last;
        last = fraction;
        if (!stage.empty())
            stages.push_back(stage);
        if (control && !cancelledAt && fraction >= cancelAt) {
            cancelledAt = std::chrono::steady_clock::now();
            control->cancel();
        }
    }

    core::TaskControl* control = nullptr;
    double cancelAt = 2.0;
    std::optional<std::chrono::steady_clock::time_point> cancelledAt;
    double last = 0.0;
    bool monotone = true;
    std::vector<std::string> stages;
};

workflow::Recipe titanicRecipe()
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.prep.dropColumns = {"alive"};
    recipe.model.name = "random_forest";
    recipe.model.params = {{"n_estimators", "12"}, {"max_depth", "6"}};
    recipe.seed = 5;
    return recipe;
}

// Runs `work` with `threads` threads, restoring the thread count afterwards.
template <typename Work>
auto withThreads(int threads, Work&& work)
{
    const int before = core::threadCount();
    core::setThreadCount(threads);
    auto result = work();
    core::setThreadCount(before);
    return result;
}

// Seconds from the cancel to the Cancelled exception of `work`, which `recorder` cancels.
template <typename Work>
double secondsToStop(Recorder& recorder, Work&& work)
{
    bool cancelled = false;
    try {
        work();
    } catch (const core::Cancelled&) {
        cancelled = true;
    }
    const auto end = std::chrono::steady_clock::now();
    if (!cancelled || !recorder.cancelledAt)
        return std::numeric_limits<double>::infinity();
    return std::chrono::duration<double>(end - *recorder.cancelledAt).count();
}

} // namespace

class TestModelAnalysis : public QObject {
    Q_OBJECT
private slots:
    void numpyRandomStateMatchesNumpy()
    {
        const json ref = reference();
        QVERIFY2(!ref.is_null(), "run tests/reference/model_analysis_reference.py");
        int checked = 0;
        for (const json& c : ref["numpy"]) {
            const auto seed = c["seed"].get<std::uint32_t>();
            core::NumpyRandomState draws(seed);
            for (const json& expected : c["uint32"])
                QCOMPARE(draws.nextUint32(), expected.get<std::uint32_t>());
            QCOMPARE(core::NumpyRandomState(seed).randint(std::uint64_t(1) << 31), c["randint_2_31"].get<std::int64_t>());
            for (const auto& [n, rounds] : c["shuffles"].items()) {
                core::NumpyRandomState random(seed);
                std::vector<std::size_t> order(std::stoul(n));
                std::iota(order.begin(), order.end(), std::size_t{0});
                for (const json& round : rounds) {
                    random.shuffle(order);
                    QVERIFY2(order == round.get<std::vector<std::size_t>>(),
                             ("seed " + std::to_string(seed) + ", n " + n).c_str());
                    ++checked;
                }
            }
        }
        QCOMPARE(checked, 4 * 6 * 3);
    }

    void learningCurveMatchesScikitLearn()
    {
        const json ref = reference();
        QVERIFY2(!ref.is_null(), "run tests/reference/model_analysis_reference.py");
        QCOMPARE(ref["learning_curves"].size(), std::size_t(2));
        for (const json& r : ref["learning_curves"]) {
            const workflow::Recipe recipe = referenceRecipe(r);
            const data::Table table = withRowTime(r["dataset"].get<std::string>());
            core::TaskControl control;
            const workflow::LearningCurve curve =
                workflow::learningCurve(recipe, table, control, r["fractions"].get<std::vector<double>>());
            QCOMPARE(curve.metric, r["metric"].get<std::string>());
            QCOMPARE(curve.strategy, r["strategy"].get<std::string>());
            QVERIFY(curve.trainSizes == r["train_sizes"].get<std::vector<std::size_t>>());
            QCOMPARE(curve.points.size(), curve.trainSizes.size());
            std::vector<std::string> where;
            for (std::size_t size : curve.trainSizes)
                where.push_back(r["dataset"].get<std::string>() + " size " + std::to_string(size));
            const double largest = comparePoints(curve.points, r, toleranceOf(curve.metric), where);
            if (QTest::currentTestFailed())
                return;
            qInfo("learning curve %s %s %s: largest score difference %.3g", r["dataset"].get<std::string>().c_str(),
                  recipe.model.name.c_str(), curve.metric.c_str(), largest);
        }
    }

    void validationCurveMatchesScikitLearn()
    {
        const json ref = reference();
        QVERIFY2(!ref.is_null(), "run tests/reference/model_analysis_reference.py");
        QCOMPARE(ref["validation_curves"].size(), std::size_t(2));
        for (const json& r : ref["validation_curves"]) {
            const workflow::Recipe recipe = referenceRecipe(r);
            const data::Table table = withRowTime(r["dataset"].get<std::string>());
            const auto values = r["values"].get<std::vector<std::string>>();
            core::TaskControl control;
            const workflow::ValidationCurve curve =
                workflow::validationCurve(recipe, table, r["param"].get<std::string>(), values, control);
            QCOMPARE(curve.metric, r["metric"].get<std::string>());
            QCOMPARE(curve.strategy, r["strategy"].get<std::string>());
            QCOMPARE(curve.param, r["param"].get<std::string>());
            QVERIFY(curve.values == values);
            QCOMPARE(curve.points.size(), values.size());
            std::vector<std::string> where;
            for (const std::string& value : values)
                where.push_back(recipe.model.name + " " + curve.param + "=" + value);
            const double largest = comparePoints(curve.points, r, toleranceOf(curve.metric), where);
            if (QTest::currentTestFailed())
                return;
            qInfo("validation curve %s %s %s: largest score difference %.3g", r["dataset"].get<std::string>().c_str(),
                  recipe.model.name.c_str(), curve.metric.c_str(), largest);
        }
    }

    void permutationImportanceMatchesScikitLearn()
    {
        const json ref = reference();
        QVERIFY2(!ref.is_null(), "run tests/reference/model_analysis_reference.py");
        QCOMPARE(ref["permutation_importances"].size(), std::size_t(2));
        for (const json& r : ref["permutation_importances"]) {
            const workflow::Recipe recipe = referenceRecipe(r);
            const data::Table table = withRowTime(r["dataset"].get<std::string>());
            core::TaskControl control;
            const workflow::RunResult run = workflow::runRecipe(recipe, table, nullptr, control);
            // The test rows are the reference's: the rows after its training rows.
            const auto trainRows = r["train_rows"].get<std::size_t>();
            QCOMPARE(run.testRows.size(), table.rowCount() - trainRows);
            QCOMPARE(run.testRows.front(), trainRows);
            const std::string metric = r["metric"].get<std::string>();
            const workflow::PermutationImportance importance = workflow::permutationImportance(
                *run.pipeline, table, run.testRows, metric, r["repeats"].get<int>(), r["seed"].get<std::uint64_t>(),
                control);
            QCOMPARE(importance.metric, metric);
            QVERIFY(importance.columns == r["columns"].get<std::vector<std::string>>());
            // Linear regression is closed-form (1e-9); accuracy counts rows (exact).
            const double tolerance = toleranceOf(metric);
            QVERIFY2(close(importance.baseline, r["baseline"].get<double>(), tolerance),
                     std::to_string(importance.baseline).c_str());
            double largest = 0.0;
            QCOMPARE(importance.drops.size(), importance.columns.size());
            for (std::size_t c = 0; c < importance.columns.size(); ++c) {
                const auto drops = r["drops"][c].get<std::vector<double>>();
                QCOMPARE(importance.drops[c].size(), drops.size());
                for (std::size_t k = 0; k < drops.size(); ++k) {
                    largest = std::max(largest, std::abs(importance.drops[c][k] - drops[k]));
                    QVERIFY2(close(importance.drops[c][k], drops[k], tolerance),
                             (importance.columns[c] + " repeat " + std::to_string(k) + ": " +
                              std::to_string(importance.drops[c][k]) + " vs " + std::to_string(drops[k]))
                                 .c_str());
                }
                QVERIFY(close(importance.mean[c], r["mean"][c].get<double>(), tolerance));
                QVERIFY(close(importance.std[c], r["std"][c].get<double>(), tolerance));
            }
            qInfo("permutation importance %s %s: largest drop difference %.3g", r["dataset"].get<std::string>().c_str(),
                  metric.c_str(), largest);
        }
    }

    void defaultsFollowTheRecipe()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        Recorder recorder;
        core::TaskControl control(&recorder);
        const workflow::LearningCurve curve = workflow::learningCurve(titanicRecipe(), table, control);
        QCOMPARE(curve.metric, std::string("accuracy"));
        QCOMPARE(curve.strategy, std::string("stratified:5"));
        // 712 training rows, the first fold trains on 569 of them: np.linspace(0.1, 1, 5) × 569.
        QVERIFY(curve.trainSizes == (std::vector<std::size_t>{56, 184, 312, 440, 569}));
        for (const workflow::CurvePoint& point : curve.points) {
            QCOMPARE(point.testScores.size(), std::size_t(5));
            for (std::size_t f = 0; f < 5; ++f)
                QVERIFY(point.trainScores[f] > 0.5 && point.trainScores[f] <= 1.0 && point.testScores[f] > 0.5);
        }
        // A depth-6 forest fits its few training rows better than held-out rows.
        QVERIFY(curve.points.front().trainMean > curve.points.front().testMean);
        QVERIFY(recorder.monotone);
        QCOMPARE(recorder.last, 1.0);
        QVERIFY(std::any_of(recorder.stages.begin(), recorder.stages.end(), [](const std::string& stage) {
            return stage == "learning curve — fold 5 of 5, first 569 training rows";
        }));

        // The recipe's cross-validation and success metric when it has them.
        workflow::Recipe recipe = titanicRecipe();
        recipe.crossValidation = evaluation::parseCvSpec("kfold:3");
        recipe.problem.success = evaluation::parseSuccessCriterion("f1_macro>=0.7", recipe.problem.task);
        const workflow::ValidationCurve depth =
            workflow::validationCurve(recipe, table, "max_depth", {"2", "none"}, control);
        QCOMPARE(depth.strategy, std::string("kfold:3"));
        QCOMPARE(depth.metric, std::string("f1_macro"));
        QCOMPARE(depth.points.size(), std::size_t(2));
        QCOMPARE(depth.points[0].trainScores.size(), std::size_t(3));
        // Unlimited depth fits the training rows (nearly) perfectly, depth 2 does not.
        QVERIFY(depth.points[1].trainMean > depth.points[0].trainMean + 0.05);
    }

    void trainScoresAreOnTheRowsBeforeResampling()
    {
        // A fully grown tree fits the rows it trained on; undersampling leaves majority rows
        // out of its training, and the train score counts them as scikit-learn's
        // score(X_train) would (the resampler being a step of the imbalanced-learn pipeline).
        const data::Table table = data::loadBuiltinDataset("titanic");
        workflow::Recipe recipe = titanicRecipe();
        recipe.model = {"decision_tree", {}};
        core::TaskControl control;
        const workflow::ValidationCurve plain =
            workflow::validationCurve(recipe, table, "min_samples_leaf", {"1"}, control);
        recipe.prep.steps.push_back({"resample", true, {}, {{"method", "under"}}});
        const workflow::ValidationCurve resampled =
            workflow::validationCurve(recipe, table, "min_samples_leaf", {"1"}, control);
        qInfo("train accuracy %.4f, undersampled %.4f; test %.4f, undersampled %.4f", plain.points[0].trainMean,
              resampled.points[0].trainMean, plain.points[0].testMean, resampled.points[0].testMean);
        QVERIFY(plain.points[0].trainMean > 0.95);
        QVERIFY(resampled.points[0].trainMean < plain.points[0].trainMean - 0.03);
    }

    void trainingSubsetsWithOneClassFail()
    {
        // Iris is sorted by species: the first tenth of each fold's training rows is all setosa.
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.model.name = "logistic_regression";
        core::TaskControl control;
        QVERIFY(mentions(messageOf<core::DataError>([&] {
                             workflow::learningCurve(recipe, data::loadBuiltinDataset("iris"), control);
                         }),
                         {"single class", "setosa"}));
    }

    void resultsDoNotDependOnTheThreadCount()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const auto analyse = [&] {
            core::TaskControl control;
            workflow::LearningCurve learning =
                workflow::learningCurve(titanicRecipe(), table, control, {0.3, 0.6, 1.0});
            workflow::ValidationCurve validation =
                workflow::validationCurve(titanicRecipe(), table, "min_samples_leaf", {"1", "5"}, control);
            const workflow::RunResult run = workflow::runRecipe(titanicRecipe(), table, nullptr, control);
            workflow::PermutationImportance importance =
                workflow::permutationImportance(*run.pipeline, table, run.testRows, "log_loss", 4, 11, control);
            return std::make_tuple(learning, validation, importance);
        };
        const auto one = withThreads(1, analyse);
        const auto two = withThreads(2, analyse);
        const auto& [learningOne, validationOne, importanceOne] = one;
        const auto& [learningTwo, validationTwo, importanceTwo] = two;
        for (std::size_t i = 0; i < learningOne.points.size(); ++i) {
            QVERIFY(learningOne.points[i].trainScores == learningTwo.points[i].trainScores);
            QVERIFY(learningOne.points[i].testScores == learningTwo.points[i].testScores);
        }
        for (std::size_t i = 0; i < validationOne.points.size(); ++i) {
            QVERIFY(validationOne.points[i].trainScores == validationTwo.points[i].trainScores);
            QVERIFY(validationOne.points[i].testScores == validationTwo.points[i].testScores);
        }
        QCOMPARE(validationOne.points.size(), std::size_t(2));
        QVERIFY(importanceOne.drops == importanceTwo.drops);
        QCOMPARE(importanceOne.baseline, importanceTwo.baseline);
        // Another seed shuffles differently.
        core::TaskControl control;
        const workflow::RunResult run = workflow::runRecipe(titanicRecipe(), table, nullptr, control);
        QVERIFY(workflow::permutationImportance(*run.pipeline, table, run.testRows, "log_loss", 4, 12, control).drops !=
                importanceOne.drops);
    }

    void cancelStopsWithinASecond()
    {
        data::ClassificationSpec generated;
        generated.samples = 6000;
        generated.features = 12;
        generated.informative = 6;
        generated.seed = 3;
        const data::Table table = data::makeClassification(generated);
        workflow::Recipe recipe;
        recipe.problem.target = "target";
        recipe.model.name = "random_forest";
        recipe.model.params = {{"n_estimators", "150"}};
        {
            Recorder recorder;
            core::TaskControl control(&recorder);
            recorder.control = &control;
            // Halfway: the steps of every fold are fitted, the forests are growing.
            recorder.cancelAt = 0.5;
            const auto start = std::chrono::steady_clock::now();
            const double seconds = secondsToStop(
                recorder, [&] { workflow::validationCurve(recipe, table, "min_samples_leaf", {"1", "3"}, control); });
            qInfo("validation curve stopped %.3f s after the cancel (%.2f s in)", seconds,
                  std::chrono::duration<double>(*recorder.cancelledAt - start).count());
            QVERIFY2(seconds < 1.0 * test::timeScale(), std::to_string(seconds).c_str());
        }
        {
            Recorder recorder;
            core::TaskControl control(&recorder);
            recorder.control = &control;
            recorder.cancelAt = 0.5;
            const auto start = std::chrono::steady_clock::now();
            const double seconds = secondsToStop(recorder, [&] { workflow::learningCurve(recipe, table, control); });
            qInfo("learning curve stopped %.3f s after the cancel (%.2f s in)", seconds,
                  std::chrono::duration<double>(*recorder.cancelledAt - start).count());
            QVERIFY2(seconds < 1.0 * test::timeScale(), std::to_string(seconds).c_str());
        }
        {
            core::TaskControl control;
            recipe.model.params = {{"n_estimators", "100"}};
            const workflow::RunResult run = workflow::runRecipe(recipe, table, nullptr, control);
            Recorder recorder;
            core::TaskControl analysis(&recorder);
            recorder.control = &analysis;
            recorder.cancelAt = 0.05;
            const auto start = std::chrono::steady_clock::now();
            const double seconds = secondsToStop(recorder, [&] {
                workflow::permutationImportance(*run.pipeline, table, run.testRows, "accuracy", 50, 1, analysis);
            });
            qInfo("permutation importance stopped %.3f s after the cancel (%.2f s in)", seconds,
                  std::chrono::duration<double>(*recorder.cancelledAt - start).count());
            QVERIFY2(seconds < 1.0 * test::timeScale(), std::to_string(seconds).c_str());
        }
    }

    void badArgumentsNameWhatIsWrong()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const workflow::Recipe recipe = titanicRecipe();
        core::TaskControl control;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (const std::vector<double>& fractions : std::vector<std::vector<double>>{
                 {}, {0.0, 0.5}, {0.5, 1.2}, {0.6, 0.3}, {0.5, 0.5}, {nan}, {-0.1}}) {
            const std::string message = messageOf<core::InvalidParameter>(
                [&] { workflow::learningCurve(recipe, table, control, fractions); });
            QVERIFY2(mentions(message, {"fractions", "(0, 1]", "ascending"}), message.c_str());
        }
        QVERIFY(mentions(messageOf<core::InvalidParameter>(
                             [&] { workflow::validationCurve(recipe, table, "depth", {"1"}, control); }),
                         {"'depth'", "random_forest", "max_depth", "n_estimators"}));
        QVERIFY(mentions(messageOf<core::InvalidParameter>(
                             [&] { workflow::validationCurve(recipe, table, "max_depth", {}, control); }),
                         {"max_depth", "no values"}));
        QVERIFY(mentions(messageOf<core::InvalidParameter>(
                             [&] { workflow::validationCurve(recipe, table, "n_estimators", {"10", "0"}, control); }),
                         {"n_estimators"}));
        workflow::Recipe badModel = recipe;
        badModel.model.params.emplace("trees", "3");
        QVERIFY(mentions(messageOf<core::InvalidParameter>([&] { workflow::learningCurve(badModel, table, control); }),
                         {"trees"}));

        workflow::Recipe small = recipe;
        small.model.params = {{"n_estimators", "3"}};
        const workflow::RunResult run = workflow::runRecipe(small, table, nullptr, control);
        const auto importance = [&](const std::vector<std::size_t>& rows, const std::string& metric, int repeats,
                                    std::uint64_t seed) {
            workflow::permutationImportance(*run.pipeline, table, rows, metric, repeats, seed, control);
        };
        const std::vector<std::size_t>& rows = run.testRows;
        for (int repeats : {0, 101})
            QVERIFY(mentions(messageOf<core::InvalidParameter>([&] { importance(rows, "accuracy", repeats, 1); }),
                             {"repeats", "[1, 100]"}));
        QVERIFY(mentions(messageOf<core::InvalidParameter>([&] { importance(rows, "accuracy", 2, 1ull << 32); }),
                         {"seed=4294967296", "[0, 4294967295]"}));
        QVERIFY(mentions(messageOf<core::InvalidParameter>([&] { importance(rows, "rmse", 2, 1); }),
                         {"'rmse'", "accuracy"}));
        QVERIFY(mentions(messageOf<core::InvalidParameter>([&] { importance({table.rowCount()}, "accuracy", 2, 1); }),
                         {"row 891", "891 rows"}));
        QVERIFY(mentions(messageOf<core::DataError>([&] { importance({}, "accuracy", 2, 1); }), {"no rows"}));
        // The largest seed numpy takes is fine.
        importance(rows, "accuracy", 1, 0xFFFFFFFFu);
    }
};

QTEST_GUILESS_MAIN(TestModelAnalysis)
#include "tst_model_analysis.moc"
