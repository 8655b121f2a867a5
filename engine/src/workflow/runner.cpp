#include "stepwise/workflow/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>

#include "features/category_codes.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/split.hpp"
#include "stepwise/prep/transformers.hpp"

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

std::string plural(std::size_t count, const char* noun)
{
    std::string text = std::to_string(count);
    text.push_back(' ');
    text.append(noun);
    if (count != 1)
        text.push_back('s');
    return text;
}

// The columns that feed the model: everything but the target, the dropped ones and free
// text (one-hot encoding a column of sentences would only memorise rows).
std::vector<std::string> featureColumns(const Recipe& recipe, const data::Table& data,
                                        std::vector<std::string>& warnings)
{
    for (const std::string& name : recipe.prep.dropColumns)
        if (!data.hasColumn(name))
            throw core::InvalidParameter("the columns to drop include '" + name +
                                         "', which the data does not have — check the spelling");
    std::vector<std::string> names;
    for (const std::string& name : data.columnNames()) {
        const auto& drop = recipe.prep.dropColumns;
        if (name == recipe.problem.target || std::find(drop.begin(), drop.end(), name) != drop.end())
            continue;
        if (data.column(name).kind() == data::ColumnKind::Text) {
            warnings.push_back("column '" + name +
                               "' is free text and is left out of the features — set its type to categorical "
                               "to use it anyway");
            continue;
        }
        names.push_back(name);
    }
    if (names.empty())
        throw core::DataError("no feature columns are left besides the target '" + recipe.problem.target +
                              "' — keep at least one column as input");
    return names;
}

const data::Column& targetColumn(const Recipe& recipe, const data::Table& data, const char* which)
{
    if (recipe.problem.target.empty())
        throw core::InvalidParameter("no target column is set — choose the column to predict");
    if (!data.hasColumn(recipe.problem.target)) {
        std::string names;
        for (const std::string& name : data.columnNames()) {
            names.append(names.empty() ? "" : ", ");
            names.append(name);
        }
        throw core::DataError(std::string("the ") + which + " has no target column '" + recipe.problem.target +
                              "' — choose one of its columns: " + names);
    }
    const data::Column& target = data.column(recipe.problem.target);
    if (recipe.problem.task == core::TaskType::Regression && !target.isNumeric())
        throw core::DataError("the target '" + target.name() + "' holds text (e.g. '" +
                              target.levels().front() +
                              "'), but regression predicts numbers — choose classification or a numeric target");
    return target;
}

// Rows usable for training or evaluation: the target is present and, when rows with
// missing values are dropped, every feature is present too.
std::vector<std::size_t> usableRows(const Recipe& recipe, const data::Table& data,
                                    const std::vector<std::string>& features, const char* which,
                                    std::vector<std::string>& warnings)
{
    const data::Column& target = data.column(recipe.problem.target);
    std::vector<std::size_t> rows;
    std::size_t missingTarget = 0, missingFeature = 0;
    std::vector<const data::Column*> featureColumnsPtr;
    for (const auto& name : features)
        featureColumnsPtr.push_back(&data.column(name));
    for (std::size_t row = 0; row < data.rowCount(); ++row) {
        if (target.isMissing(row)) {
            ++missingTarget;
            continue;
        }
        if (recipe.prep.dropMissingRows &&
            std::any_of(featureColumnsPtr.begin(), featureColumnsPtr.end(),
                        [row](const data::Column* c) { return c->isMissing(row); })) {
            ++missingFeature;
            continue;
        }
        rows.push_back(row);
    }
    if (missingTarget > 0)
        warnings.push_back(plural(missingTarget, "row") + " of the " + which + " have no value in the target '" +
                           target.name() + "' and were left out");
    if (missingFeature > 0)
        warnings.push_back(plural(missingFeature, "row") + " of the " + which +
                           " with missing values were dropped, as the recipe asks");
    if (rows.empty())
        throw core::DataError(std::string("no rows of the ") + which +
                              " are left to use — the target or the features are missing everywhere");
    return rows;
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

models::Dataset toDataset(const data::Table& transformed, std::uint64_t seed)
{
    models::Dataset dataset;
    dataset.x.resize(static_cast<Eigen::Index>(transformed.rowCount()),
                     static_cast<Eigen::Index>(transformed.columnCount()));
    for (std::size_t c = 0; c < transformed.columnCount(); ++c) {
        const data::Column& column = transformed.column(c);
        if (!column.isNumeric())
            throw core::DataError("column '" + column.name() + "' is still categorical after the feature steps");
        for (std::size_t r = 0; r < column.size(); ++r) {
            const double value = column.values()[r];
            if (!std::isfinite(value))
                throw core::DataError("column '" + column.name() + "' has a missing or infinite value in training row " +
                                      std::to_string(r) + " after the prep steps — choose an imputation strategy");
            dataset.x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = value;
        }
        dataset.featureNames.push_back(column.name());
    }
    dataset.seed = seed;
    return dataset;
}

bool hasColumnOfType(const data::Table& table, data::ColumnType type)
{
    return std::any_of(table.columns().begin(), table.columns().end(),
                       [type](const data::Column& c) { return c.type() == type; });
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
    const auto prepStart = Clock::now();

    // Fail on a bad model name or parameter before any work is done.
    std::unique_ptr<models::Model> model =
        models::createModel(recipe.model.name, recipe.problem.task, recipe.model.params);

    const data::Column& target = targetColumn(recipe, data, "data");
    const std::vector<std::string> features = featureColumns(recipe, data, result.warnings);
    TargetClasses classes;
    if (classification) {
        classes = encodeClasses(target);
        if (classes.labels.size() < 2)
            throw core::DataError("the target '" + target.name() + "' has only " +
                                  (classes.labels.empty() ? std::string("missing values")
                                                          : "one class ('" + classes.labels.front() + "')") +
                                  " — a classifier needs at least two classes");
        if (target.isNumeric() && classes.labels.size() > 50)
            result.warnings.push_back("the target '" + target.name() + "' has " +
                                      std::to_string(classes.labels.size()) +
                                      " distinct numbers — if it is a quantity, choose regression");
    }

    std::vector<std::size_t> usable = usableRows(recipe, data, features, "data", result.warnings);
    const data::Table featureTable = data.selectColumns(features);

    std::vector<std::size_t> trainRows;
    const data::Table* evaluated = testData ? testData : &data;
    std::vector<int> evaluatedClass = classes.rowClass;
    if (testData) {
        trainRows = usable;
        targetColumn(recipe, *testData, "test data");
        for (const auto& name : features)
            if (!testData->hasColumn(name))
                throw core::DataError("the test data has no column '" + name + "', which the training data has");
        result.testRows = usableRows(recipe, *testData, features, "test data", result.warnings);
        if (classification) {
            // Map the test labels onto the training classes by their text.
            const data::Column& testTarget = testData->column(recipe.problem.target);
            evaluatedClass.assign(testData->rowCount(), -1);
            for (std::size_t row : result.testRows) {
                const std::string label = testTarget.textAt(row);
                const auto it = std::find(classes.labels.begin(), classes.labels.end(), label);
                if (it == classes.labels.end())
                    throw core::DataError("the test data's target has the class '" + label + "' (row " +
                                          std::to_string(row) + "), which the training data does not have");
                evaluatedClass[row] = static_cast<int>(it - classes.labels.begin());
            }
        }
    } else {
        std::vector<int> strata;
        if (classification && recipe.prep.stratify)
            for (std::size_t row : usable)
                strata.push_back(classes.rowClass[row]);
        const prep::SplitIndices split = prep::trainTestSplit(usable.size(), recipe.prep.testSize, recipe.seed,
                                                              strata.empty() ? nullptr : &strata);
        for (std::size_t i : split.train)
            trainRows.push_back(usable[i]);
        for (std::size_t i : split.test)
            result.testRows.push_back(usable[i]);
    }
    result.trainRowCount = trainRows.size();

    // Every transformer is fitted on the training rows only, then applied.
    data::Table train = featureTable.selectRows(trainRows);
    std::vector<InputColumn> inputs = inputSchema(train);
    std::vector<std::unique_ptr<prep::Transformer>> steps;
    if (!recipe.prep.dropMissingRows)
        steps.push_back(prep::makeImputer(recipe.prep.imputation));
    // The scaler comes before the encoder so it sees only the numeric inputs, never the
    // indicator or code columns the encoder adds.
    if (hasColumnOfType(train, data::ColumnType::Numeric))
        if (auto scaler = prep::makeScaler(recipe.features.scaling))
            steps.push_back(std::move(scaler));
    if (hasColumnOfType(train, data::ColumnType::Categorical))
        steps.push_back(prep::makeEncoder(recipe.features.encoding));
    core::TaskControl prepControl = control.subRange(0.0, 0.05);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        prepControl.progress(static_cast<double>(i) / static_cast<double>(steps.size()), "fitting " + steps[i]->kind());
        steps[i]->fit(train, prepControl);
        train = steps[i]->transform(train);
    }

    models::Dataset dataset = toDataset(train, recipe.seed);
    dataset.y.resize(static_cast<Eigen::Index>(trainRows.size()));
    for (std::size_t i = 0; i < trainRows.size(); ++i)
        dataset.y(static_cast<Eigen::Index>(i)) =
            classification ? classes.rowClass[trainRows[i]] : target.values()[trainRows[i]];
    dataset.classCount = classification ? static_cast<int>(classes.labels.size()) : 0;
    dataset.classNames = classes.labels;
    result.timings.prepSeconds = secondsSince(prepStart);

    const auto fitStart = Clock::now();
    core::TaskControl fitControl = control.subRange(0.05, 0.95);
    fitControl.progress(0.0, "training " + recipe.model.name);
    result.fit = model->fit(dataset, fitControl);
    result.timings.fitSeconds = secondsSince(fitStart);

    PipelineMetadata metadata{core::kVersion, utcNow(), recipeToJson(recipe), trainRows.size()};
    auto pipeline = std::make_shared<FittedPipeline>(recipe.problem.task, recipe.problem.target, std::move(inputs),
                                                     classes.labels, std::move(steps), dataset.featureNames,
                                                     std::move(model), !recipe.prep.dropMissingRows,
                                                     std::move(metadata));

    control.progress(0.95, "evaluating on the test rows");
    const auto predictStart = Clock::now();
    const data::Table evaluatedFeatures = evaluated->selectColumns(features).selectRows(result.testRows);
    result.testPredictions = pipeline->predict(evaluatedFeatures);
    result.timings.predictSeconds = secondsSince(predictStart);

    const data::Column& evaluatedTarget = evaluated->column(recipe.problem.target);
    if (classification) {
        for (std::size_t row : result.testRows)
            result.testActualClass.push_back(evaluatedClass[row]);
        result.classification =
            evaluation::classificationMetrics(result.testActualClass, result.testPredictions.classIndex,
                                              result.testPredictions.proba, static_cast<int>(classes.labels.size()));
        if (!result.classification->rocAuc)
            result.warnings.push_back("ROC-AUC is undefined: some class has no rows in the test set");
    } else {
        result.testActualValue.resize(static_cast<Eigen::Index>(result.testRows.size()));
        for (std::size_t i = 0; i < result.testRows.size(); ++i)
            result.testActualValue(static_cast<Eigen::Index>(i)) = evaluatedTarget.values()[result.testRows[i]];
        result.regression = evaluation::regressionMetrics(result.testActualValue, result.testPredictions.values);
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
