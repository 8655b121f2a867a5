// The leaderboard (several models on one split, one set of fitted steps and the same
// folds), the monitor rows models report live snapshots on, and the recipe's search and
// comparison settings in its JSON.
#include <QtTest>

#include <cmath>
#include <mutex>
#include <set>
#include <sstream>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/prep/transformers.hpp"
#include "stepwise/workflow/runner.hpp"
#include "workflow/cross_validate.hpp"
#include "workflow/run_stages.hpp"

using namespace stepwise;

namespace {

workflow::Recipe titanicRecipe()
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.data = data::parseDataLocation("builtin:titanic");
    recipe.prep.dropColumns = {"alive"};
    recipe.model.name = "logistic_regression";
    recipe.compareWith = {{"random_forest", {{"n_estimators", "20"}, {"max_depth", "4"}}},
                          {"random_forest", {{"n_estimators", "20"}}}};
    recipe.seed = 4;
    return recipe;
}

workflow::RunResult run(const workflow::Recipe& recipe, const data::Table& table, core::TaskObserver* observer = nullptr)
{
    core::TaskControl control(observer);
    return workflow::runRecipe(recipe, table, nullptr, control);
}

// The same recipe with `model` as its own and nothing to compare.
workflow::Recipe alone(workflow::Recipe recipe, const workflow::ModelChoice& model)
{
    recipe.model = model;
    recipe.compareWith.clear();
    return recipe;
}

class SourceRecorder : public core::TaskObserver {
public:
    void onProgress(double, const std::string&) override {}
    void onSnapshot(const core::TrainingSnapshot& snapshot) override
    {
        sources.insert(snapshot.source);
        if (snapshot.stepName == "fold")
            foldSources.insert(snapshot.source);
    }
    std::set<std::string> sources;
    std::set<std::string> foldSources;
};

const workflow::LeaderboardEntry& entryOf(const workflow::RunResult& result, const workflow::ModelChoice& model)
{
    for (const auto& entry : result.leaderboard)
        if (entry.model == model)
            return entry;
    throw std::runtime_error("no leaderboard entry for " + model.name);
}

} // namespace

class TestLeaderboard : public QObject {
    Q_OBJECT
private slots:
    void everyModelIsScoredAsIfItRanAlone()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const workflow::Recipe recipe = titanicRecipe();
        SourceRecorder recorder;
        const workflow::RunResult result = run(recipe, table, &recorder);
        QCOMPARE(result.leaderboard.size(), std::size_t(3));
        QCOMPARE(result.leaderboardMetric, std::string("accuracy"));
        QCOMPARE(result.leaderboardRankedOn, std::string("test rows"));
        QCOMPARE(std::count_if(result.leaderboard.begin(), result.leaderboard.end(),
                               [](const auto& entry) { return entry.kept; }),
                 std::ptrdiff_t(1));
        // The run's own fields stay the kept model's.
        const workflow::LeaderboardEntry& kept = entryOf(result, recipe.model);
        QVERIFY(kept.kept);
        QCOMPARE(kept.pipeline.get(), result.pipeline.get());
        QCOMPARE(result.pipeline->model().name(), std::string("logistic_regression"));
        QCOMPARE(kept.classification->accuracy, result.classification->accuracy);

        std::vector<workflow::ModelChoice> all = {recipe.model};
        all.insert(all.end(), recipe.compareWith.begin(), recipe.compareWith.end());
        for (const workflow::ModelChoice& model : all) {
            const workflow::RunResult own = run(alone(recipe, model), table);
            const workflow::LeaderboardEntry& entry = entryOf(result, model);
            QCOMPARE(entry.classification->accuracy, own.classification->accuracy);
            QCOMPARE(*entry.classification->logLoss, *own.classification->logLoss);
            QVERIFY(!entry.crossValidation && !entry.validationScore);
            QVERIFY(entry.fitSeconds > 0.0);
            // Each entry's pipeline is complete: it predicts raw rows as the model alone does.
            const data::Table some = table.selectRows({0, 1, 2, 3, 4, 5});
            QVERIFY(entry.pipeline->predict(some).proba.isApprox(own.pipeline->predict(some).proba, 1e-12));
            QCOMPARE(entry.pipeline->steps().size(), own.pipeline->steps().size());
        }
        for (std::size_t i = 1; i < result.leaderboard.size(); ++i)
            QVERIFY(result.leaderboard[i - 1].classification->accuracy >= result.leaderboard[i].classification->accuracy);
        // Snapshots say which model they come from; two of one kind are numbered.
        QVERIFY(recorder.sources.count("logistic_regression"));
        QVERIFY(recorder.sources.count("random_forest (1)"));
        QVERIFY(recorder.sources.count("random_forest (2)"));
        QVERIFY(!recorder.sources.count(""));
    }

    void crossValidationRanksTheBoard()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        workflow::Recipe recipe = titanicRecipe();
        recipe.crossValidation = evaluation::parseCvSpec("stratified:4");
        recipe.problem.success = evaluation::SuccessCriterion{"log_loss", false, 0.6};
        SourceRecorder recorder;
        const workflow::RunResult result = run(recipe, table, &recorder);
        QCOMPARE(result.leaderboardRankedOn, std::string("cross-validation"));
        QCOMPARE(result.leaderboardMetric, std::string("log_loss"));
        for (const workflow::LeaderboardEntry& entry : result.leaderboard) {
            const workflow::RunResult own = run(alone(recipe, entry.model), table);
            QVERIFY(entry.crossValidation.has_value());
            QVERIFY(entry.crossValidation->scores == own.crossValidation->scores);
            QCOMPARE(entry.crossValidation->metric, std::string("log_loss"));
        }
        // Lower log loss is better: ascending.
        for (std::size_t i = 1; i < result.leaderboard.size(); ++i)
            QVERIFY(result.leaderboard[i - 1].crossValidation->mean <= result.leaderboard[i].crossValidation->mean);
        QVERIFY(result.crossValidation->scores == entryOf(result, recipe.model).crossValidation->scores);
        QCOMPARE(recorder.foldSources,
                 (std::set<std::string>{"logistic_regression", "random_forest (1)", "random_forest (2)"}));
    }

    void validationRowsRankTheBoardWithoutCrossValidation()
    {
        const data::Table table = data::loadBuiltinDataset("tips");
        workflow::Recipe recipe;
        recipe.problem.task = core::TaskType::Regression;
        recipe.problem.target = "tip";
        recipe.problem.success = evaluation::SuccessCriterion{"rmse", false, 1.5};
        recipe.prep.validationSize = 0.25;
        recipe.model = {"random_forest", {{"n_estimators", "30"}}};
        recipe.compareWith = {{"linear_regression", {}}};
        const workflow::RunResult result = run(recipe, table);
        QCOMPARE(result.leaderboardRankedOn, std::string("validation rows"));
        QCOMPARE(result.leaderboardMetric, std::string("rmse"));
        QCOMPARE(result.leaderboard.size(), std::size_t(2));
        QVERIFY(*result.leaderboard[0].validationScore <= *result.leaderboard[1].validationScore);
        for (const workflow::LeaderboardEntry& entry : result.leaderboard) {
            const workflow::RunResult own = run(alone(recipe, entry.model), table);
            QCOMPARE(*entry.validationScore, own.validationRegression->rmse);
            QCOMPARE(entry.regression->rmse, own.regression->rmse);
        }
    }

    void searchedModelJoinsTheBoardWithItsBestParameters()
    {
        const data::Table table = data::loadBuiltinDataset("iris");
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.model = {"logistic_regression", {{"max_iter", "500"}}};
        workflow::SearchSpec search;
        search.space = {{"C", {"0.01", "1", "100"}}};
        recipe.search = search;
        recipe.compareWith = {{"random_forest", {{"n_estimators", "10"}}}};
        const workflow::RunResult result = run(recipe, table);
        const workflow::LeaderboardEntry& kept = *std::find_if(
            result.leaderboard.begin(), result.leaderboard.end(), [](const auto& entry) { return entry.kept; });
        QVERIFY(kept.model.params == result.search->bestParams);
        QCOMPARE(kept.model.params.at("max_iter"), std::string("500"));
    }

    void monitorRowsAreTheValidationRowsThroughTheFittedSteps()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        workflow::Recipe recipe = titanicRecipe();
        recipe.compareWith.clear();
        recipe.prep.validationSize = 0.2;
        const workflow::RunResult result = run(recipe, table);

        core::TaskControl control;
        const workflow::PreparedData prepared = workflow::prepareData(recipe, table, nullptr, control);
        QVERIFY(prepared.validation == result.validationRows);
        const data::Table features = table.selectColumns(prepared.features);
        models::Dataset dataset;
        std::vector<std::unique_ptr<prep::Transformer>> steps;
        for (const auto& step : result.pipeline->steps()) {
            // The run's own fitted steps, copied through their archives.
            std::stringstream buffer;
            {
                core::OutputArchive out(buffer);
                step->save(out);
            }
            core::InputArchive in(buffer);
            auto copy = prep::makeTransformerForLoading(step->kind());
            copy->load(in);
            steps.push_back(std::move(copy));
        }
        workflow::setMonitorRows(dataset, steps, features, recipe, table, prepared);
        const Eigen::MatrixXd expected = result.pipeline->transform(features.selectRows(result.validationRows));
        QCOMPARE(dataset.monitorX.rows(), Eigen::Index(result.validationRows.size()));
        QVERIFY(dataset.monitorX == expected);
        for (std::size_t i = 0; i < result.validationRows.size(); ++i)
            QCOMPARE(dataset.monitorY(Eigen::Index(i)), table.column("survived").values()[result.validationRows[i]]);

        recipe.prep.validationSize = 0.0;
        const workflow::PreparedData without = workflow::prepareData(recipe, table, nullptr, control);
        workflow::setMonitorRows(dataset, steps, features, recipe, table, without);
        QCOMPARE(dataset.monitorX.size(), Eigen::Index(0));
        QCOMPARE(dataset.monitorY.size(), Eigen::Index(0));
    }

    void searchAndComparisonsRoundTripInTheRecipe()
    {
        workflow::Recipe recipe = titanicRecipe();
        workflow::SearchSpec search = workflow::parseSearchKind("random:15");
        workflow::addSearchValues(search, "C=loguniform(0.01,100)");
        workflow::addSearchValues(search, "class_weight=none,balanced");
        search.scoring = "f1_macro";
        recipe.search = search;
        const workflow::Recipe back = workflow::recipeFromJson(workflow::recipeToJson(recipe));
        QVERIFY(back.compareWith == recipe.compareWith);
        QVERIFY(back.search == recipe.search);
        QCOMPARE(workflow::recipeToJson(back), workflow::recipeToJson(recipe));

        const workflow::Recipe plain = workflow::recipeFromJson(workflow::recipeToJson(workflow::Recipe{}));
        QVERIFY(plain.compareWith.empty());
        QVERIFY(!plain.search);

        // Recipes written before the leaderboard and the search have neither key.
        const std::string old = R"({"problem": {"task": "classification", "objective": "", "target": "survived",
            "success": null}, "data": {"kind": "builtin", "location": "titanic"},
            "prep": {"drop_columns": [], "test_size": 0.2, "stratify": true, "steps": []},
            "features": {"steps": []}, "model": {"name": "random_forest", "params": {}},
            "cross_validation": null, "seed": 1})";
        const workflow::Recipe older = workflow::recipeFromJson(old);
        QVERIFY(older.compareWith.empty());
        QVERIFY(!older.search);

        std::string bad = workflow::recipeToJson(recipe);
        bad.replace(bad.find("random:15"), 9, "random:0");
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, workflow::recipeFromJson(bad));
    }
};

QTEST_GUILESS_MAIN(TestLeaderboard)
#include "tst_leaderboard.moc"
