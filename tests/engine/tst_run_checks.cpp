// What a run checks beyond the test score: the training score, the estimate check
// (overfitting, a test score that disagrees with the estimate), the single-row latency
// and its budget; and a saved pipeline scored on new labelled data.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/workflow/model_analysis.hpp"
#include "stepwise/workflow/pipeline_evaluation.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

workflow::RunResult run(const workflow::Recipe& recipe, const data::Table& table, const data::Table* test = nullptr)
{
    core::TaskControl control;
    return workflow::runRecipe(recipe, table, test, control);
}

// Two informative features, 30 % of the labels flipped at random: no model can do much
// better than 0.7 on held-out rows, while an unlimited tree memorises every training row.
data::Table noisyClassification()
{
    data::ClassificationSpec spec;
    spec.samples = 600;
    spec.features = 6;
    spec.informative = 2;
    spec.redundant = 0;
    spec.flipY = 0.6;
    spec.seed = 3;
    return data::makeClassification(spec);
}

// Well separated classes a linear model fits well, with little noise.
data::Table cleanClassification()
{
    data::ClassificationSpec spec;
    spec.samples = 600;
    spec.features = 5;
    spec.informative = 3;
    spec.redundant = 0;
    spec.clustersPerClass = 1;
    spec.classSep = 2.0;
    spec.flipY = 0.0;
    spec.seed = 4;
    return data::makeClassification(spec);
}

workflow::Recipe generatedRecipe(const std::string& model, const std::string& cv = "stratified:5")
{
    workflow::Recipe recipe;
    recipe.problem.target = "target";
    recipe.model.name = model;
    recipe.seed = 7;
    if (!cv.empty())
        recipe.crossValidation = evaluation::parseCvSpec(cv);
    return recipe;
}

bool anyStartsWith(const std::vector<std::string>& texts, const std::string& prefix)
{
    return std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t.rfind(prefix, 0) == 0; });
}

// Records every stage text and progress value the run reports.
class StageRecorder : public core::TaskObserver {
public:
    void onProgress(double fraction, const std::string& stage) override
    {
        std::lock_guard lock(m_mutex);
        fractions.push_back(fraction);
        stages.push_back(stage);
    }
    std::vector<double> fractions;
    std::vector<std::string> stages;

private:
    std::mutex m_mutex;
};

std::vector<std::size_t> allRows(const data::Table& table)
{
    std::vector<std::size_t> rows(table.rowCount());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = i;
    return rows;
}

} // namespace

class TestRunChecks : public QObject {
    Q_OBJECT
private slots:
    void deepTreeOnNoisyDataIsCalledOverfitting()
    {
        const data::Table table = noisyClassification();
        const workflow::RunResult result = run(generatedRecipe("decision_tree"), table);
        const workflow::EstimateCheck& check = result.estimateCheck;
        QCOMPARE(check.metric, std::string("accuracy"));
        // An unlimited tree on continuous features reproduces every training row.
        QVERIFY(result.trainClassification.has_value());
        QCOMPARE(result.trainClassification->accuracy, 1.0);
        QCOMPARE(check.train.value(), 1.0);
        QCOMPARE(check.test.value(), result.classification->accuracy);
        QCOMPARE(check.estimateSource, std::string("cross-validation"));
        QCOMPARE(check.estimate.value(), result.crossValidation->mean);
        QCOMPARE(check.estimateSpread, result.crossValidation->std);
        QVERIFY2(check.test.value() < 0.85, std::to_string(*check.test).c_str());
        QVERIFY(anyStartsWith(check.warnings, "Overfitting: accuracy is 1.000 on the training rows but "));
        // The sentence carries the numbers and what to do.
        const std::string& warning = check.warnings.front();
        char test[16];
        std::snprintf(test, sizeof test, "%.3f", *check.test);
        QVERIFY2(warning.find(std::string(test) + " on the test rows") != std::string::npos, warning.c_str());
        QVERIFY2(warning.find("by cross-validation") != std::string::npos, warning.c_str());
        QVERIFY2(warning.find("simpler model") != std::string::npos, warning.c_str());
        QVERIFY2(warning.find("more data") != std::string::npos, warning.c_str());
        QVERIFY2(warning.find("regularisation") != std::string::npos, warning.c_str());
    }

    void wellFittedLogisticRegressionRaisesNoWarning()
    {
        const data::Table table = cleanClassification();
        const workflow::RunResult result = run(generatedRecipe("logistic_regression"), table);
        const workflow::EstimateCheck& check = result.estimateCheck;
        QVERIFY(check.train && check.estimate && check.test);
        QVERIFY2(std::abs(*check.train - *check.test) < 0.1 && *check.test > 0.9,
                 (std::to_string(*check.train) + " / " + std::to_string(*check.test)).c_str());
        QVERIFY2(check.warnings.empty(), check.warnings.empty() ? "" : check.warnings.front().c_str());
    }

    void validationRowsAreTheEstimateWithoutCrossValidation()
    {
        const data::Table table = noisyClassification();
        workflow::Recipe recipe = generatedRecipe("decision_tree", "");
        recipe.prep.validationSize = 0.2;
        const workflow::RunResult result = run(recipe, table);
        const workflow::EstimateCheck& check = result.estimateCheck;
        QCOMPARE(check.estimateSource, std::string("validation rows"));
        QCOMPARE(check.estimate.value(), result.validationClassification->accuracy);
        QCOMPARE(check.estimateSpread, 0.0);
        QVERIFY(anyStartsWith(check.warnings, "Overfitting: "));
        QVERIFY(check.warnings.front().find("on the validation rows") != std::string::npos);

        // Neither cross-validation nor validation rows: no estimate, the train–test gap alone.
        const workflow::RunResult plain = run(generatedRecipe("decision_tree", ""), table);
        QVERIFY(!plain.estimateCheck.estimate.has_value());
        QVERIFY(plain.estimateCheck.estimateSource.empty());
        QVERIFY(anyStartsWith(plain.estimateCheck.warnings, "Overfitting: "));
    }

    void aTestSetUnlikeTheTrainingDataDisagreesWithTheEstimate()
    {
        // The same features with every label inverted: cross-validation says ~0.97, the
        // separate test data says the opposite.
        const data::Table table = cleanClassification();
        data::Table inverted;
        for (const data::Column& column : table.columns()) {
            if (column.name() != "target") {
                inverted.addColumn(column);
                continue;
            }
            std::vector<double> flipped = column.values();
            for (double& value : flipped)
                value = 1.0 - value;
            inverted.addColumn(data::Column::numeric("target", flipped));
        }
        const workflow::RunResult result = run(generatedRecipe("logistic_regression"), table, &inverted);
        const auto& warnings = result.estimateCheck.warnings;
        QVERIFY(anyStartsWith(warnings, "Overfitting: "));
        QVERIFY(anyStartsWith(warnings, "The test score disagrees with the estimate: accuracy is "));
        QVERIFY(std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
            return w.find("separate test data differs from the training data") != std::string::npos;
        }));
    }

    void errorMetricsUseTheRatioRule()
    {
        // rmse (lower is better): a deep regression tree on noisy targets has a training
        // error far below its held-out errors (more than 1.5 × smaller); a linear model on
        // a linear target does not.
        data::RegressionSpec spec;
        spec.samples = 400;
        spec.features = 5;
        spec.informative = 3;
        spec.noise = 20.0;
        spec.seed = 8;
        const data::Table table = data::makeRegression(spec);
        workflow::Recipe tree = generatedRecipe("decision_tree", "kfold:5");
        tree.problem.task = core::TaskType::Regression;
        tree.problem.success = evaluation::parseSuccessCriterion("rmse<=10", core::TaskType::Regression);
        tree.model.params = {{"min_samples_leaf", "3"}};
        const workflow::RunResult deep = run(tree, table);
        const workflow::EstimateCheck& deepCheck = deep.estimateCheck;
        QCOMPARE(deepCheck.metric, std::string("rmse"));
        QVERIFY(deep.trainRegression.has_value());
        // Not zero, so the rule's ratio is what is tested: about 26 against about 54.
        QVERIFY(deepCheck.train.value() > 10.0);
        QVERIFY(*deepCheck.test > 1.5 * *deepCheck.train && *deepCheck.test < 3.0 * *deepCheck.train);
        QCOMPARE(deepCheck.warnings.size(), std::size_t(1));
        char train[32];
        std::snprintf(train, sizeof train, "%.4g", *deepCheck.train);  // errors print 4 significant digits
        QVERIFY2(anyStartsWith(deepCheck.warnings, std::string("Overfitting: rmse is ") + train +
                                                       " on the training rows but "),
                 deepCheck.warnings.front().c_str());

        workflow::Recipe linear = tree;
        linear.model = {"linear_regression", {}};
        const workflow::RunResult fitted = run(linear, table);
        const workflow::EstimateCheck& check = fitted.estimateCheck;
        QVERIFY(check.train && check.estimate && check.test);
        QVERIFY2(check.warnings.empty(), check.warnings.empty() ? "" : check.warnings.front().c_str());
        // The training score is the pipeline's prediction of the training rows.
        QCOMPARE(*check.train, fitted.trainRegression->rmse);
        QVERIFY(std::abs(fitted.trainRegression->rmse - 20.0) < 3.0);
    }

    void latencyIsMeasuredAndOrdered()
    {
        const data::Table titanic = data::loadBuiltinDataset("titanic");
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.prep.dropColumns = {"alive"};
        recipe.model.name = "random_forest";
        recipe.model.params = {{"n_estimators", "20"}};
        StageRecorder recorder;
        core::TaskControl control(&recorder);
        const workflow::RunResult result = workflow::runRecipe(recipe, titanic, nullptr, control);
        const workflow::LatencyMeasurement& latency = result.latency;
        QVERIFY(latency.samples >= 20 && latency.samples <= 179);
        QVERIFY(latency.medianMs > 0.0);
        QVERIFY(latency.medianMs <= latency.p99Ms);
        QVERIFY(latency.p99Ms <= latency.maxMs);
        QVERIFY(result.timings.latencySeconds > 0.0);
        QVERIFY(!result.latencyVerdict.has_value());
        QVERIFY(std::find(recorder.stages.begin(), recorder.stages.end(), "measuring latency") != recorder.stages.end());
        QVERIFY(std::is_sorted(recorder.fractions.begin(), recorder.fractions.end()));
        QCOMPARE(recorder.fractions.back(), 1.0);
    }

    void latencyBudgetIsJudgedOnTheP99()
    {
        const data::Table iris = data::loadBuiltinDataset("iris");
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.model.name = "knn";
        recipe.problem.maxLatencyMs = 1e-6;
        const workflow::RunResult tight = run(recipe, iris);
        QVERIFY(tight.latencyVerdict.has_value());
        QCOMPARE(tight.latencyVerdict->budgetMs, 1e-6);
        QCOMPARE(tight.latencyVerdict->measuredMs, tight.latency.p99Ms);
        QVERIFY(!tight.latencyVerdict->passed);
        // Every one of the 30 test rows is a sample: fewer than 200, and far within the time.
        QCOMPARE(tight.latency.samples, std::size_t(30));

        recipe.problem.maxLatencyMs = 1e6;
        const workflow::RunResult loose = run(recipe, iris);
        QVERIFY(loose.latencyVerdict->passed);
        QCOMPARE(loose.latencyVerdict->budgetMs, 1e6);
    }

    void measureLatencyFollowsItsLimits()
    {
        const data::Table iris = data::loadBuiltinDataset("iris");
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.model.name = "logistic_regression";
        const workflow::RunResult result = run(recipe, iris);
        const workflow::FittedPipeline& pipeline = *result.pipeline;
        core::TaskControl control;
        const std::vector<std::size_t> rows = allRows(iris);
        QCOMPARE(workflow::measureLatency(pipeline, iris, rows, control, 7).samples, std::size_t(7));
        // No time at all: stops as soon as 20 are timed.
        QCOMPARE(workflow::measureLatency(pipeline, iris, rows, control, 200, 0.0).samples, std::size_t(20));
        QCOMPARE(workflow::measureLatency(pipeline, iris, {4}, control).samples, std::size_t(1));
        QVERIFY_THROWS_EXCEPTION(core::DataError, workflow::measureLatency(pipeline, iris, {}, control));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, workflow::measureLatency(pipeline, iris, {150}, control));
        core::TaskControl cancelled;
        cancelled.cancel();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, workflow::measureLatency(pipeline, iris, rows, cancelled));
    }

    void latencyBudgetRoundTripsThroughRecipeJson()
    {
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        const std::string plain = workflow::recipeToJson(recipe);
        QVERIFY(plain.find("max_latency_ms") == std::string::npos);  // older recipes look as before
        QVERIFY(!workflow::recipeFromJson(plain).problem.maxLatencyMs.has_value());

        recipe.problem.maxLatencyMs = 12.5;
        const std::string json = workflow::recipeToJson(recipe);
        QVERIFY(json.find("\"max_latency_ms\": 12.5") != std::string::npos);
        const workflow::Recipe back = workflow::recipeFromJson(json);
        QCOMPARE(back.problem.maxLatencyMs.value(), 12.5);
        QCOMPARE(workflow::recipeToJson(back), json);

        std::string negative = json;
        negative.replace(negative.find("12.5"), 4, "-3");
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, workflow::recipeFromJson(negative));
        std::string text = json;
        text.replace(text.find("12.5"), 4, "\"x\"");
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, workflow::recipeFromJson(text));
    }

    void aSavedPipelineScoresNewDataAsTheRunScoredItsTestRows()
    {
        const data::Table titanic = data::loadBuiltinDataset("titanic");
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.problem.success = evaluation::SuccessCriterion{"f1_macro", true, 0.7};
        recipe.problem.maxLatencyMs = 1e6;
        recipe.prep.dropColumns = {"alive"};
        recipe.model.name = "logistic_regression";
        const workflow::RunResult result = run(recipe, titanic);
        const data::Table test = titanic.selectRows(result.testRows);
        core::TaskControl control;
        const workflow::PipelineEvaluation evaluation = workflow::evaluatePipeline(*result.pipeline, test, control);
        QCOMPARE(evaluation.rows, allRows(test));
        QCOMPARE(evaluation.skippedRows, std::size_t(0));
        QCOMPARE(evaluation.actualClass, result.testActualClass);
        QCOMPARE(evaluation.predictions.classIndex, result.testPredictions.classIndex);
        QCOMPARE(evaluation.classification->accuracy, result.classification->accuracy);
        QCOMPARE(evaluation.classification->f1Macro, result.classification->f1Macro);
        QCOMPARE(evaluation.classification->logLoss.value(), result.classification->logLoss.value());
        QCOMPARE(evaluation.classification->confusion, result.classification->confusion);
        QVERIFY(evaluation.verdict.has_value());
        QCOMPARE(evaluation.verdict->value.value(), result.verdict->value.value());
        QCOMPARE(evaluation.verdict->passed, result.verdict->passed);
        QVERIFY(evaluation.latencyVerdict && evaluation.latencyVerdict->passed);
        QVERIFY(evaluation.latency.medianMs > 0.0 && evaluation.latency.medianMs <= evaluation.latency.p99Ms &&
                evaluation.latency.p99Ms <= evaluation.latency.maxMs);
        QVERIFY(evaluation.warnings.empty());
    }

    void evaluationSkipsUnlabelledRowsAndRefusesForeignData()
    {
        const data::Table iris = data::loadBuiltinDataset("iris");
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.model.name = "naive_bayes";
        const workflow::RunResult result = run(recipe, iris);
        const workflow::FittedPipeline& pipeline = *result.pipeline;
        core::TaskControl control;

        // Two rows without a species: scored are the others, with a warning.
        data::Table gaps;
        for (const data::Column& column : iris.columns()) {
            if (column.name() != "species") {
                gaps.addColumn(column);
                continue;
            }
            std::vector<std::string> texts;
            std::vector<bool> missing;
            for (std::size_t row = 0; row < column.size(); ++row) {
                missing.push_back(row == 3 || row == 77);
                texts.push_back(missing.back() ? std::string() : column.textAt(row));
            }
            gaps.addColumn(data::Column::categoricalFromText("species", texts, missing));
        }
        const workflow::PipelineEvaluation scored = workflow::evaluatePipeline(pipeline, gaps, control);
        QCOMPARE(scored.rows.size(), std::size_t(148));
        QCOMPARE(scored.skippedRows, std::size_t(2));
        QVERIFY(std::find(scored.rows.begin(), scored.rows.end(), std::size_t(77)) == scored.rows.end());
        QVERIFY(anyStartsWith(scored.warnings, "2 of 150 rows have no value in the target column 'species'"));
        QVERIFY(!scored.verdict.has_value());
        QVERIFY(!scored.latencyVerdict.has_value());

        // No target column at all.
        try {
            workflow::evaluatePipeline(pipeline, iris.withoutColumns({"species"}), control);
            QFAIL("expected DataError");
        } catch (const core::DataError& error) {
            QVERIFY2(std::string(error.what()).find("'species'") != std::string::npos, error.what());
        }
        // A class the model never saw.
        std::vector<std::string> texts;
        for (std::size_t row = 0; row < iris.rowCount(); ++row)
            texts.push_back(row == 5 ? "orchid" : iris.column("species").textAt(row));
        data::Table foreign = iris.withoutColumns({"species"});
        foreign.addColumn(
            data::Column::categoricalFromText("species", texts, std::vector<bool>(texts.size(), false)));
        try {
            workflow::evaluatePipeline(pipeline, foreign, control);
            QFAIL("expected DataError");
        } catch (const core::DataError& error) {
            QVERIFY2(std::string(error.what()).find("'orchid' (row 5)") != std::string::npos, error.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestRunChecks)
#include "tst_run_checks.moc"
