#include "stepwise/workflow/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>

#include "features/category_codes.hpp"
#include "workflow/run_stages.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/models/registry.hpp"

namespace stepwise::workflow {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
}

std::vector<InputColumn> inputSchema(const data::Table& train)
{
    std::vector<InputColumn> inputs;
    for (const data::Column& column : train.columns()) {
        InputColumn input{column.name(), column.kind(), {}};
        if (column.isCategorical())
            input.levels = column.levels();
        inputs.push_back(std::move(input));
    }
    return inputs;
}

models::Dataset toDataset(const prep::LabelledRows& train, std::uint64_t seed)
{
    if (const auto problem = modelReadinessProblem(train.table))
        throw core::DataError(*problem);
    models::Dataset dataset;
    const data::Table& table = train.table;
    dataset.x.resize(static_cast<Eigen::Index>(table.rowCount()), static_cast<Eigen::Index>(table.columnCount()));
    for (std::size_t c = 0; c < table.columnCount(); ++c) {
        const data::Column& column = table.column(c);
        for (std::size_t r = 0; r < column.size(); ++r)
            dataset.x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = column.values()[r];
        dataset.featureNames.push_back(column.name());
    }
    dataset.y = Eigen::Map<const Eigen::VectorXd>(train.target.values.data(),
                                                  static_cast<Eigen::Index>(train.target.values.size()));
    dataset.classCount = train.target.classCount;
    dataset.seed = seed;
    return dataset;
}

// False when the recipe drops rows with gaps and fills none, so the pipeline refuses
// rows with a missing value up front, with a message that says why.
bool pipelineImputes(const Recipe& recipe)
{
    const auto steps = pipelineSteps(recipe);
    const auto enabled = [&](const char* kind) {
        return std::any_of(steps.begin(), steps.end(),
                           [&](const prep::StepSpec& step) { return step.enabled && step.kind == kind; });
    };
    return enabled("impute") || !enabled("drop_missing_rows");
}

// Actual classes of `rows` of `table`: the data's own encoding, or for separate test
// data, its labels mapped onto the training classes by their text.
std::vector<int> actualClasses(const Recipe& recipe, const data::Table& table, bool separate,
                               const TargetClasses& classes, const std::vector<std::size_t>& rows)
{
    std::vector<int> actual;
    actual.reserve(rows.size());
    const data::Column& target = table.column(recipe.problem.target);
    for (std::size_t row : rows) {
        if (!separate) {
            actual.push_back(classes.rowClass[row]);
            continue;
        }
        const std::string label = target.textAt(row);
        const auto it = std::find(classes.labels.begin(), classes.labels.end(), label);
        if (it == classes.labels.end())
            throw core::DataError("the test data's target has the class '" + label + "' (row " + std::to_string(row) +
                                  "), which the training data does not have");
        actual.push_back(static_cast<int>(it - classes.labels.begin()));
    }
    return actual;
}

Eigen::VectorXd actualValues(const Recipe& recipe, const data::Table& table, const std::vector<std::size_t>& rows)
{
    Eigen::VectorXd values(static_cast<Eigen::Index>(rows.size()));
    const data::Column& target = table.column(recipe.problem.target);
    for (std::size_t i = 0; i < rows.size(); ++i)
        values(static_cast<Eigen::Index>(i)) = target.values()[rows[i]];
    return values;
}

// Fits the steps and a fresh model on each fold's training rows and scores the fold's
// test rows, so nothing of a fold's test rows reaches what is scored on them.
CrossValidationResult crossValidate(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                                    core::TaskControl& control)
{
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    std::vector<std::size_t> rows = prepared.train;
    if (!recipe.prep.timeColumn.empty()) {
        const std::vector<double>& time = data.column(recipe.prep.timeColumn).values();
        std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
    }
    std::vector<int> rowClasses;
    if (classification)
        for (std::size_t row : rows)
            rowClasses.push_back(prepared.classes.rowClass[row]);
    const evaluation::CvSpec& spec = *recipe.crossValidation;
    const std::vector<evaluation::Fold> folds =
        evaluation::makeFolds(spec, rows.size(), classification ? &rowClasses : nullptr);

    CrossValidationResult result;
    result.strategy = evaluation::toString(spec);
    result.metric = recipe.problem.success ? recipe.problem.success->metric : classification ? "accuracy" : "r2";
    const data::Table features = data.selectColumns(prepared.features);
    const auto pick = [&](const std::vector<std::size_t>& positions) {
        std::vector<std::size_t> picked;
        picked.reserve(positions.size());
        for (std::size_t i : positions)
            picked.push_back(rows[i]);
        return picked;
    };
    for (std::size_t f = 0; f < folds.size(); ++f) {
        const double from = static_cast<double>(f) / static_cast<double>(folds.size());
        core::TaskControl foldControl = control.subRange(from, from + 1.0 / static_cast<double>(folds.size()));
        foldControl.progress(0.0, "cross-validation fold " + std::to_string(f + 1) + " of " +
                                      std::to_string(folds.size()));
        const std::vector<std::size_t> trainRows = pick(folds[f].train);
        const std::vector<std::size_t> testRows = pick(folds[f].test);
        prep::LabelledRows train{features.selectRows(trainRows), trainingTarget(recipe, data, prepared, trainRows)};
        std::vector<InputColumn> inputs = inputSchema(train.table);
        core::TaskControl stepControl = foldControl.subRange(0.0, 0.1);
        FittedSteps fitted = fitSteps(pipelineSteps(recipe), std::move(train), recipe.seed, stepControl);
        models::Dataset dataset = toDataset(fitted.train, recipe.seed);
        dataset.classNames = prepared.classes.labels;
        std::unique_ptr<models::Model> model =
            models::createModel(recipe.model.name, recipe.problem.task, recipe.model.params);
        core::TaskControl fitControl = foldControl.subRange(0.1, 1.0);
        model->fit(dataset, fitControl);
        const FittedPipeline pipeline(recipe.problem.task, recipe.problem.target, std::move(inputs),
                                      prepared.classes.labels, std::move(fitted.transformers), dataset.featureNames,
                                      std::move(model), pipelineImputes(recipe), {});
        const Predictions predictions = pipeline.predict(features.selectRows(testRows));
        std::optional<double> score;
        if (classification)
            score = evaluation::metricValue(
                evaluation::classificationMetrics(actualClasses(recipe, data, false, prepared.classes, testRows),
                                                  predictions.classIndex, predictions.proba,
                                                  static_cast<int>(prepared.classes.labels.size())),
                result.metric);
        else
            score = evaluation::metricValue(
                evaluation::regressionMetrics(actualValues(recipe, data, testRows), predictions.values), result.metric);
        if (!score)
            throw core::DataError(result.metric + " cannot be computed on cross-validation fold " +
                                  std::to_string(f + 1) + " (" + std::to_string(testRows.size()) +
                                  " rows, not every class present) — use fewer folds or another metric");
        result.scores.push_back(*score);
    }
    double sum = 0.0;
    for (double score : result.scores)
        sum += score;
    result.mean = sum / static_cast<double>(result.scores.size());
    double squares = 0.0;
    for (double score : result.scores)
        squares += (score - result.mean) * (score - result.mean);
    result.std = std::sqrt(squares / static_cast<double>(result.scores.size()));
    return result;
}

} // namespace

TargetClasses encodeClasses(const data::Column& target)
{
    TargetClasses classes;
    classes.rowClass.assign(target.size(), -1);
    if (target.isNumeric()) {
        std::vector<double> unique;
        for (double value : target.values())
            if (!std::isnan(value))
                unique.push_back(value);
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        for (double value : unique)
            classes.labels.push_back(data::formatNumber(value));
        for (std::size_t row = 0; row < target.size(); ++row) {
            const double value = target.values()[row];
            if (!std::isnan(value))
                classes.rowClass[row] =
                    static_cast<int>(std::lower_bound(unique.begin(), unique.end(), value) - unique.begin());
        }
        return classes;
    }
    // Levels that occur, sorted by text (scikit-learn's LabelEncoder order), as the
    // encoders order categories.
    classes.labels = features::sortedPresentLevels(target);
    const std::vector<std::int32_t> classOfCode = features::categoryOfEachLevel(target, classes.labels);
    for (std::size_t row = 0; row < target.size(); ++row) {
        const std::int32_t code = target.codes()[row];
        if (code >= 0)
            classes.rowClass[row] = classOfCode[static_cast<std::size_t>(code)];
    }
    return classes;
}

RunResult runRecipe(const Recipe& recipe, const data::Table& data, const data::Table* testData,
                    core::TaskControl& control)
{
    RunResult result;
    result.separateTestData = testData != nullptr;
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    control.progress(0.0, "preparing data");

    // Fail on a bad model name or parameter before any work is done.
    std::unique_ptr<models::Model> model =
        models::createModel(recipe.model.name, recipe.problem.task, recipe.model.params);

    const auto auditStart = Clock::now();
    core::TaskControl auditControl = control.subRange(0.0, 0.02);
    result.audit = auditRecipe(recipe, data, auditControl);
    result.timings.auditSeconds = secondsSince(auditStart);
    const auto prepStart = Clock::now();
    core::TaskControl prepControl = control.subRange(0.02, 0.05);
    PreparedData prepared = prepareData(recipe, data, testData, prepControl);
    result.warnings = std::move(prepared.warnings);
    result.testRows = prepared.test;
    result.validationRows = prepared.validation;
    result.trainRowCount = prepared.train.size();

    // Every step is fitted on the training rows only, then applied to the others.
    const data::Table featureTable = data.selectColumns(prepared.features);
    prep::LabelledRows train{featureTable.selectRows(prepared.train),
                             trainingTarget(recipe, data, prepared, prepared.train)};
    std::vector<InputColumn> inputs = inputSchema(train.table);
    FittedSteps fitted = fitSteps(pipelineSteps(recipe), std::move(train), recipe.seed, prepControl);
    result.trainingOnlySteps = std::move(fitted.trainingOnly);
    models::Dataset dataset = toDataset(fitted.train, recipe.seed);
    dataset.classNames = prepared.classes.labels;
    result.trainRowCount = fitted.train.table.rowCount();
    result.timings.prepSeconds = secondsSince(prepStart);

    double fitFrom = 0.05;
    if (recipe.crossValidation) {
        core::TaskControl cvControl = control.subRange(0.05, 0.5);
        result.crossValidation = crossValidate(recipe, data, prepared, cvControl);
        fitFrom = 0.5;
    }

    const auto fitStart = Clock::now();
    core::TaskControl fitControl = control.subRange(fitFrom, 0.95);
    fitControl.progress(0.0, "training " + recipe.model.name);
    result.fit = model->fit(dataset, fitControl);
    result.timings.fitSeconds = secondsSince(fitStart);

    PipelineMetadata metadata{core::kVersion, utcNow(), recipeToJson(recipe), result.trainRowCount};
    auto pipeline = std::make_shared<FittedPipeline>(recipe.problem.task, recipe.problem.target, std::move(inputs),
                                                     prepared.classes.labels, std::move(fitted.transformers),
                                                     dataset.featureNames, std::move(model), pipelineImputes(recipe),
                                                     std::move(metadata));

    control.progress(0.95, "evaluating on the test rows");
    const auto predictStart = Clock::now();
    const data::Table* evaluated = testData ? testData : &data;
    result.testPredictions = pipeline->predict(evaluated->selectColumns(prepared.features).selectRows(result.testRows));
    result.timings.predictSeconds = secondsSince(predictStart);
    if (!result.validationRows.empty())
        result.validationPredictions = pipeline->predict(featureTable.selectRows(result.validationRows));

    const int classCount = static_cast<int>(prepared.classes.labels.size());
    if (classification) {
        result.testActualClass =
            actualClasses(recipe, *evaluated, testData != nullptr, prepared.classes, result.testRows);
        result.classification = evaluation::classificationMetrics(
            result.testActualClass, result.testPredictions.classIndex, result.testPredictions.proba, classCount);
        if (!result.classification->rocAuc)
            result.warnings.push_back("ROC-AUC is undefined: some class has no rows in the test set");
        if (!result.validationRows.empty())
            result.validationClassification = evaluation::classificationMetrics(
                actualClasses(recipe, data, false, prepared.classes, result.validationRows),
                result.validationPredictions.classIndex, result.validationPredictions.proba, classCount);
    } else {
        result.testActualValue = actualValues(recipe, *evaluated, result.testRows);
        result.regression = evaluation::regressionMetrics(result.testActualValue, result.testPredictions.values);
        if (!result.validationRows.empty())
            result.validationRegression = evaluation::regressionMetrics(
                actualValues(recipe, data, result.validationRows), result.validationPredictions.values);
    }

    if (const auto& criterion = recipe.problem.success) {
        const std::optional<double> value = classification ? evaluation::metricValue(*result.classification, criterion->metric)
                                                           : evaluation::metricValue(*result.regression, criterion->metric);
        result.verdict = evaluation::judge(*criterion, value);
    }
    if (!result.fit.converged)
        result.warnings.push_back(result.fit.message);
    result.pipeline = std::move(pipeline);
    control.progress(1.0, "done");
    return result;
}

} // namespace stepwise::workflow
