// Hyper-parameter search: candidates in scikit-learn's ParameterGrid order, random draws,
// the errors, and grid searches against GridSearchCV (tests/reference/search_reference.py
// → tests/data/search_reference.json); thread-count independence, progress, fold
// snapshots and cancel.
#include <QtTest>

#include <chrono>
#include <cmath>
#include <fstream>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/threads.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
using nlohmann::json;
using Params = std::map<std::string, std::string>;
using Candidates = std::vector<Params>;
using ParamSet = std::set<Params>;

namespace {

const std::vector<core::ParamSpec>& tableOf(const std::string& model) { return models::findModel(model).params; }

workflow::SearchSpec spaceOf(workflow::SearchKind kind, std::map<std::string, std::vector<std::string>> space,
                             int iterations = 10)
{
    workflow::SearchSpec spec;
    spec.kind = kind;
    spec.space = std::move(space);
    spec.iterations = iterations;
    return spec;
}

Candidates candidatesOf(const workflow::SearchSpec& spec, const std::string& model, std::uint64_t seed = 1,
                        const std::map<std::string, std::string>& base = {})
{
    return workflow::searchCandidates(spec, tableOf(model), base, model, seed);
}

// The message of the InvalidParameter `work` throws ("" when it throws none).
template <typename Work>
std::string invalidMessage(Work&& work)
{
    try {
        work();
    } catch (const core::InvalidParameter& error) {
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

json reference()
{
    std::ifstream in(STEPWISE_TEST_DATA_DIR "/search_reference.json");
    if (!in)
        return {};
    return json::parse(in);
}

// Records progress, stages and snapshots; cancels the run at the first fold snapshot
// when asked to.
class Recorder : public core::TaskObserver {
public:
    void onProgress(double fraction, const std::string& stage) override
    {
        monotone = monotone && fraction >= last;
        last = fraction;
        stages.insert(stage);
    }
    void onSnapshot(const core::TrainingSnapshot& snapshot) override
    {
        snapshots.push_back(snapshot);
        if (cancelOnFold && snapshot.stepName == "fold" && !cancelledAt) {
            cancelledAt = std::chrono::steady_clock::now();
            control->cancel();
        }
    }

    core::TaskControl* control = nullptr;
    bool cancelOnFold = false;
    std::optional<std::chrono::steady_clock::time_point> cancelledAt;
    double last = 0.0;
    bool monotone = true;
    std::set<std::string> stages;
    std::vector<core::TrainingSnapshot> snapshots;
};

workflow::Recipe forestSearchRecipe()
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.data = data::parseDataLocation("builtin:titanic");
    recipe.prep.dropColumns = {"alive"};
    recipe.model.name = "random_forest";
    recipe.model.params = {{"n_estimators", "15"}};
    recipe.search = spaceOf(workflow::SearchKind::Grid, {{"max_depth", {"3", "none"}}, {"min_samples_leaf", {"1", "4"}}});
    recipe.crossValidation = evaluation::parseCvSpec("stratified:3");
    recipe.seed = 9;
    return recipe;
}

} // namespace

class TestSearch : public QObject {
    Q_OBJECT
private slots:
    void candidatesFollowParameterGridOrder()
    {
        const json ref = reference();
        QVERIFY2(!ref.is_null(), "run tests/reference/search_reference.py");
        for (const json& grid : ref["grids"]) {
            const auto space = grid["space"].get<std::map<std::string, std::vector<std::string>>>();
            const std::string model = space.count("n_estimators") ? "random_forest" : "logistic_regression";
            const Candidates ours = candidatesOf(spaceOf(workflow::SearchKind::Grid, space), model);
            const Candidates theirs = grid["candidates"].get<Candidates>();
            QCOMPARE(ours.size(), theirs.size());
            for (std::size_t i = 0; i < ours.size(); ++i)
                QVERIFY2(ours[i] == theirs[i], ("candidate " + std::to_string(i) + " of " + model).c_str());
        }
    }

    void candidatesCarryTheFixedParameters()
    {
        const auto spec = spaceOf(workflow::SearchKind::Grid, {{"max_depth", {"5.0", "none"}}});
        const Candidates candidates =
            candidatesOf(spec, "random_forest", 1, {{"n_estimators", "30"}, {"max_depth", "2"}});
        QCOMPARE(candidates.size(), std::size_t(2));
        QCOMPARE(candidates[0].at("n_estimators"), std::string("30"));
        QCOMPARE(candidates[0].at("max_depth"), std::string("5"));  // canonical, searched value wins
        QCOMPARE(candidates[1].at("max_depth"), std::string("none"));
        QCOMPARE(candidates[0].size(), std::size_t(2));
    }

    void randomSearchOverListsDrawsDistinctGridPoints()
    {
        const auto space = std::map<std::string, std::vector<std::string>>{
            {"n_estimators", {"10", "20", "30"}}, {"max_depth", {"2", "4", "none"}}, {"bootstrap", {"true", "false"}}};
        const Candidates drawn = candidatesOf(spaceOf(workflow::SearchKind::Random, space, 12), "random_forest", 7);
        QCOMPARE(drawn.size(), std::size_t(12));
        QCOMPARE(ParamSet(drawn.begin(), drawn.end()).size(), std::size_t(12));
        const Candidates grid = candidatesOf(spaceOf(workflow::SearchKind::Grid, space), "random_forest");
        for (const auto& candidate : drawn)
            QVERIFY(std::find(grid.begin(), grid.end(), candidate) != grid.end());
        // Same seed, same draws; another seed, another order.
        QVERIFY(drawn == candidatesOf(spaceOf(workflow::SearchKind::Random, space, 12), "random_forest", 7));
        QVERIFY(drawn != candidatesOf(spaceOf(workflow::SearchKind::Random, space, 12), "random_forest", 8));
        // More draws than grid points: every point once, in random order (ParameterSampler).
        const Candidates all = candidatesOf(spaceOf(workflow::SearchKind::Random, space, 50), "random_forest", 7);
        QCOMPARE(all.size(), grid.size());
        QCOMPARE(ParamSet(all.begin(), all.end()),
                 ParamSet(grid.begin(), grid.end()));
        QVERIFY(all != grid);
    }

    void randomSearchDrawsFromDistributions()
    {
        workflow::SearchSpec spec = workflow::parseSearchKind("random:400");
        workflow::addSearchValues(spec, "C=loguniform(0.001, 1000)");
        workflow::addSearchValues(spec, "tol=uniform(0.0001,0.01)");
        workflow::addSearchValues(spec, "max_iter=randint(50,60)");
        workflow::addSearchValues(spec, "class_weight=none,balanced");
        const Candidates drawn = candidatesOf(spec, "logistic_regression", 3);
        QCOMPARE(drawn.size(), std::size_t(400));
        int belowOne = 0;
        std::set<std::string> iterations, weights;
        for (const auto& candidate : drawn) {
            const double c = std::stod(candidate.at("C"));
            QVERIFY(c >= 0.001 && c <= 1000.0);
            belowOne += c < 1.0 ? 1 : 0;
            const double tol = std::stod(candidate.at("tol"));
            QVERIFY(tol >= 0.0001 && tol <= 0.01);
            iterations.insert(candidate.at("max_iter"));
            weights.insert(candidate.at("class_weight"));
            // Every drawn value is one the model accepts.
            models::createModel("logistic_regression", core::TaskType::Classification, candidate);
        }
        // Log-uniform over six decades: half the draws below 1 (binomial sd 10).
        QVERIFY2(belowOne > 150 && belowOne < 250, std::to_string(belowOne).c_str());
        QCOMPARE(iterations.size(), std::size_t(10));  // 50..59
        QVERIFY(!iterations.count("60"));
        QCOMPARE(weights.size(), std::size_t(2));
        QVERIFY(drawn == candidatesOf(spec, "logistic_regression", 3));
    }

    void kindsAndValuesParseAndPrint()
    {
        QCOMPARE(workflow::searchKindText(workflow::parseSearchKind("grid")), std::string("grid"));
        const workflow::SearchSpec random = workflow::parseSearchKind("random:25");
        QCOMPARE(random.kind, workflow::SearchKind::Random);
        QCOMPARE(random.iterations, 25);
        QCOMPARE(workflow::searchKindText(random), std::string("random:25"));
        workflow::SearchSpec spec;
        workflow::addSearchValues(spec, " max_depth = 5, 10 ,none");
        QCOMPARE(spec.space.at("max_depth"), (std::vector<std::string>{"5", "10", "none"}));
        QCOMPARE(workflow::searchValuesText("max_depth", spec.space.at("max_depth")), std::string("max_depth=5,10,none"));
        workflow::addSearchValues(spec, "C=loguniform(1e-3, 1e3)");
        QCOMPARE(spec.space.at("C"), (std::vector<std::string>{"loguniform(1e-3,1e3)"}));
    }

    void badSearchesNameWhatIsWrong()
    {
        for (const char* kind : {"grids", "random:0", "random:10001", "random:x", "random:", ""})
            QVERIFY2(mentions(invalidMessage([&] { workflow::parseSearchKind(kind); }), {"grid or random:N"}), kind);
        workflow::SearchSpec spec;
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "max_depth"); }), {"KEY=V1,V2"}));
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "=1,2"); }), {"KEY=V1,V2"}));
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "max_depth=1,,2"); }), {"empty value"}));
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "C=normal(0,1)"); }), {"not a distribution"}));
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "C=loguniform(0,1)"); }), {"0 < A < B"}));
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "C=uniform(2,1)"); }), {"uniform(A,B)"}));
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "C=1,uniform(1,2)"); }), {"stands alone"}));
        workflow::addSearchValues(spec, "max_depth=1,2");
        QVERIFY(mentions(invalidMessage([&] { workflow::addSearchValues(spec, "max_depth=3"); }), {"once"}));

        using workflow::SearchKind;
        const auto grid = [](std::map<std::string, std::vector<std::string>> space) {
            return spaceOf(SearchKind::Grid, std::move(space));
        };
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(grid({}), "random_forest"); }), {"no parameters"}));
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(grid({{"depth", {"1"}}}), "random_forest"); }),
                         {"depth", "max_depth"}));
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(grid({{"n_estimators", {"50", "0"}}}), "random_forest"); }),
                         {"n_estimators=0", "[1, 10000]"}));
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(grid({{"max_depth", {}}}), "random_forest"); }),
                         {"no values", "max_depth"}));
        std::map<std::string, std::vector<std::string>> big;
        for (const char* name : {"n_estimators", "max_depth", "min_samples_leaf", "min_samples_split"})
            big[name] = {"2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"};
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(grid(big), "random_forest"); }), {"14641", "10,000"}));
        QCOMPARE(candidatesOf(spaceOf(SearchKind::Random, big, 30), "random_forest").size(), std::size_t(30));
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(grid({{"C", {"loguniform(0.1,1)"}}}), "logistic_regression"); }),
                         {"grid search", "random search"}));
        const auto random = [](std::map<std::string, std::vector<std::string>> space) {
            return spaceOf(SearchKind::Random, std::move(space));
        };
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(random({{"C", {"uniform(-1,1)"}}}), "logistic_regression"); }),
                         {"C", "-1"}));
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(random({{"max_depth", {"uniform(1,5)"}}}), "random_forest"); }),
                         {"randint"}));
        QVERIFY(mentions(invalidMessage([&] {
                             candidatesOf(random({{"class_weight", {"randint(1,5)"}}}), "logistic_regression");
                         }),
                         {"class_weight", "list its values"}));
        QVERIFY(mentions(invalidMessage([&] { candidatesOf(spaceOf(SearchKind::Random, {{"C", {"1"}}}, 0), "logistic_regression"); }),
                         {"between 1 and 10000"}));
        // A bad fixed parameter fails too, before anything is tried.
        QVERIFY(mentions(invalidMessage([&] {
                             candidatesOf(grid({{"max_depth", {"2"}}}), "random_forest", 1, {{"n_estimators", "-3"}});
                         }),
                         {"n_estimators"}));
    }

    void gridSearchMatchesGridSearchCV()
    {
        const json ref = reference();
        QVERIFY2(!ref.is_null(), "run tests/reference/search_reference.py");
        int checked = 0;
        for (const json& r : ref["searches"]) {
            const std::string metric = r["metric"].get<std::string>();
            const bool classification = r["model"] == "logistic_regression";
            workflow::Recipe recipe;
            recipe.problem.task = classification ? core::TaskType::Classification : core::TaskType::Regression;
            recipe.problem.target = r["target"].get<std::string>();
            recipe.model.name = r["model"].get<std::string>();
            recipe.model.params = r["base"].get<Params>();
            workflow::SearchSpec spec;
            spec.space = r["grid"].get<std::map<std::string, std::vector<std::string>>>();
            spec.scoring = metric;
            recipe.search = spec;
            // The whole data set trains (and is scored again as "test" data), as
            // GridSearchCV.fit(X, y) sees it; the folds are scikit-learn's cv=5 default.
            const data::Table table = data::loadBuiltinDataset(r["dataset"].get<std::string>());
            core::TaskControl control;
            const workflow::RunResult result = workflow::runRecipe(recipe, table, &table, control);
            QVERIFY(result.search.has_value());
            const workflow::SearchResult& search = *result.search;
            QCOMPARE(search.strategy, r["strategy"].get<std::string>());
            QCOMPARE(search.metric, metric);
            QCOMPARE(search.kind, std::string("grid"));
            // Accuracy counts rows, so the predictions must agree exactly; log loss and the
            // regression metrics agree to the solvers' precision (lbfgs stops at a gradient
            // of 1e-4: 1e-6; closed-form least squares agrees to rounding: 1e-10).
            const double tolerance = metric == "accuracy" ? 1e-12 : metric == "log_loss" ? 1e-6 : 1e-10;
            const json& expected = r["candidates"];
            double largest = 0.0;
            QCOMPARE(search.candidates.size(), expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                const workflow::SearchCandidate& ours = search.candidates[i];
                const json& theirs = expected[i];
                const std::string where = recipe.model.name + " " + metric + " candidate " + std::to_string(i);
                QVERIFY2(ours.params == theirs["params"].get<Params>(), where.c_str());
                const auto scores = theirs["scores"].get<std::vector<double>>();
                QCOMPARE(ours.foldScores.size(), scores.size());
                for (std::size_t f = 0; f < scores.size(); ++f)
                    largest = std::max(largest, std::abs(ours.foldScores[f] - scores[f]));
                for (std::size_t f = 0; f < scores.size(); ++f)
                    QVERIFY2(std::abs(ours.foldScores[f] - scores[f]) <= tolerance * std::max(1.0, std::abs(scores[f])),
                             (where + " fold " + std::to_string(f) + ": " + std::to_string(ours.foldScores[f]) +
                              " vs " + std::to_string(scores[f]))
                                 .c_str());
                QVERIFY2(std::abs(ours.mean - theirs["mean"].get<double>()) <=
                             tolerance * std::max(1.0, std::abs(ours.mean)),
                         where.c_str());
                QVERIFY2(std::abs(ours.std - theirs["std"].get<double>()) <= tolerance * std::max(1.0, ours.mean),
                         where.c_str());
                QVERIFY2(ours.rank == theirs["rank"].get<int>(),
                         (where + ": rank " + std::to_string(ours.rank)).c_str());
                QVERIFY(ours.fitSeconds > 0.0);
            }
            qInfo("%s %s: largest fold score difference %.3g", recipe.model.name.c_str(), metric.c_str(), largest);
            QCOMPARE(search.best, r["best_index"].get<std::size_t>());
            QVERIFY(search.candidates[search.best].params == r["best_params"].get<Params>());
            QVERIFY(std::abs(search.candidates[search.best].mean - r["best_score"].get<double>()) <=
                    tolerance * std::max(1.0, std::abs(r["best_score"].get<double>())));
            // The kept model is refitted with the best parameters on all training rows.
            std::map<std::string, std::string> best = recipe.model.params;
            for (const auto& [name, value] : search.candidates[search.best].params)
                best[name] = value;
            QVERIFY(search.bestParams == best);
            for (const auto& [name, value] : best)
                QCOMPARE(result.pipeline->model().params().text(name), value);
            ++checked;
        }
        QCOMPARE(checked, 4);
    }

    void resultsDoNotDependOnTheThreadCount()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const int threads = core::threadCount();
        core::setThreadCount(1);
        core::TaskControl one;
        const workflow::RunResult single = workflow::runRecipe(forestSearchRecipe(), table, nullptr, one);
        core::setThreadCount(std::max(2, threads));
        core::TaskControl many;
        const workflow::RunResult parallel = workflow::runRecipe(forestSearchRecipe(), table, nullptr, many);
        core::setThreadCount(threads);
        QCOMPARE(single.search->candidates.size(), std::size_t(4));
        for (std::size_t i = 0; i < 4; ++i) {
            QVERIFY(single.search->candidates[i].foldScores == parallel.search->candidates[i].foldScores);
            QCOMPARE(single.search->candidates[i].rank, parallel.search->candidates[i].rank);
        }
        QCOMPARE(single.search->best, parallel.search->best);
        QVERIFY(single.testPredictions.proba == parallel.testPredictions.proba);
        QVERIFY(single.crossValidation->scores == parallel.crossValidation->scores);
        // The recipe's cross-validation of the kept model is the best candidate's own.
        QVERIFY(single.crossValidation->scores == single.search->candidates[single.search->best].foldScores);
    }

    void progressCoversEveryFitAndFoldsAreSnapshots()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        Recorder recorder;
        core::TaskControl control(&recorder);
        const workflow::RunResult result = workflow::runRecipe(forestSearchRecipe(), table, nullptr, control);
        QVERIFY(recorder.monotone);
        QCOMPARE(recorder.last, 1.0);
        QVERIFY(std::any_of(recorder.stages.begin(), recorder.stages.end(), [](const std::string& stage) {
            return stage.find("search — random_forest #4, fold 3 of 3") == 0;
        }));
        std::map<std::string, std::vector<double>> folds;
        for (const core::TrainingSnapshot& s : recorder.snapshots) {
            if (s.stepName != "fold")
                continue;
            QCOMPARE(s.measuredOn, std::string("cross-validation fold"));
            QCOMPARE(s.metricName, std::string("accuracy"));
            QCOMPARE(s.totalSteps, 3);
            folds[s.source].resize(3);
            folds[s.source][static_cast<std::size_t>(s.step - 1)] = s.value;
        }
        QCOMPARE(folds.size(), std::size_t(4));  // the candidates; the kept model's CV is the best one's
        for (std::size_t i = 0; i < 4; ++i)
            QVERIFY(folds.at("random_forest #" + std::to_string(i + 1)) == result.search->candidates[i].foldScores);
    }

    void cancelStopsTheSearchWithinASecond()
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
        recipe.search = spaceOf(workflow::SearchKind::Grid, {{"n_estimators", {"100", "150", "200"}},
                                                              {"min_samples_leaf", {"1", "2", "3", "4"}}});
        Recorder recorder;
        core::TaskControl control(&recorder);
        recorder.control = &control;
        recorder.cancelOnFold = true;
        const auto start = std::chrono::steady_clock::now();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, workflow::runRecipe(recipe, table, nullptr, control));
        const auto end = std::chrono::steady_clock::now();
        QVERIFY(recorder.cancelledAt.has_value());
        const double afterCancel = std::chrono::duration<double>(end - *recorder.cancelledAt).count();
        const double before = std::chrono::duration<double>(*recorder.cancelledAt - start).count();
        qInfo("first fold after %.2f s, stopped %.3f s after the cancel", before, afterCancel);
        QVERIFY2(afterCancel < 1.0, std::to_string(afterCancel).c_str());
    }

    void defaultFoldsFollowTheTaskAndTheSplit()
    {
        data::Table table = data::loadBuiltinDataset("titanic");
        std::vector<double> boarded(table.rowCount());
        for (std::size_t row = 0; row < boarded.size(); ++row)
            boarded[row] = 1000.0 * static_cast<double>((row * 37) % table.rowCount());
        table.addColumn(data::Column::numeric("boarded", boarded, data::ColumnKind::Datetime));
        workflow::Recipe recipe = forestSearchRecipe();
        recipe.crossValidation.reset();
        recipe.search->space = {{"max_depth", {"2", "3"}}};
        core::TaskControl control;
        QCOMPARE(workflow::runRecipe(recipe, table, nullptr, control).search->strategy, std::string("stratified:5"));
        recipe.prep.timeColumn = "boarded";
        recipe.prep.stratify = false;
        QCOMPARE(workflow::runRecipe(recipe, table, nullptr, control).search->strategy, std::string("timeseries:5"));
        workflow::Recipe regression;
        regression.problem.task = core::TaskType::Regression;
        regression.problem.target = "tip";
        regression.model.name = "linear_regression";
        regression.search = spaceOf(workflow::SearchKind::Grid, {{"fit_intercept", {"true", "false"}}});
        const workflow::RunResult result = workflow::runRecipe(regression, data::loadBuiltinDataset("tips"), nullptr, control);
        QCOMPARE(result.search->strategy, std::string("kfold:5"));
        QCOMPARE(result.search->metric, std::string("r2"));
        QVERIFY(!result.crossValidation);
    }

    void badScoringAndComparedModelsFailBeforeTraining()
    {
        const data::Table table = data::loadBuiltinDataset("iris");
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.model.name = "logistic_regression";
        recipe.search = spaceOf(workflow::SearchKind::Grid, {{"C", {"0.1", "1"}}});
        recipe.search->scoring = "rmse";
        core::TaskControl control;
        QVERIFY(mentions(invalidMessage([&] { workflow::runRecipe(recipe, table, nullptr, control); }),
                         {"scoring 'rmse'", "accuracy"}));
        recipe.search->scoring.clear();
        recipe.compareWith = {{"random_forest", {{"trees", "3"}}}};
        QVERIFY(mentions(invalidMessage([&] { workflow::runRecipe(recipe, table, nullptr, control); }), {"trees"}));
        recipe.compareWith = {{"linear_regression", {}}};
        QVERIFY(mentions(invalidMessage([&] { workflow::runRecipe(recipe, table, nullptr, control); }),
                         {"linear_regression", "classification"}));
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
