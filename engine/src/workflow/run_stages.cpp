#include "workflow/run_stages.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/errors.hpp"
#include "stepwise/prep/split.hpp"

namespace stepwise::workflow {
namespace {

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
        throw core::DataError("the target '" + target.name() + "' holds text" +
                              (target.levels().empty() ? std::string() : " (e.g. '" + target.levels().front() + "')") +
                              ", but regression predicts numbers — choose classification or a numeric target");
    return target;
}

// Rows of `table` that survive every enabled BeforeSplit step and have a target.
std::vector<std::size_t> filteredRows(const Recipe& recipe, const data::Table& table, const char* which,
                                      PreparedData& prepared, bool countIt, core::TaskControl& control,
                                      const StepObserver& observe)
{
    const data::Column& target = table.column(recipe.problem.target);
    std::vector<std::size_t> rows;
    for (std::size_t row = 0; row < table.rowCount(); ++row)
        if (!target.isMissing(row))
            rows.push_back(row);
    if (rows.size() < table.rowCount())
        prepared.warnings.push_back(plural(table.rowCount() - rows.size(), "row") + " of the " + which +
                                    " have no value in the target '" + target.name() + "' and were left out");
    if (countIt)
        prepared.rowsBeforeFilters = rows.size();
    // Filters see the feature columns and the target: a dropped ID column would make
    // every row unique. The copy is made only when there is a filter.
    std::optional<data::Table> scoped;
    const std::vector<prep::StepSpec> steps = pipelineSteps(recipe);
    for (std::size_t index = 0; index < steps.size(); ++index) {
        const prep::StepSpec& spec = steps[index];
        if (!spec.enabled)
            continue;
        const prep::StepInfo& info = prep::findStep(spec.kind);
        if (info.phase != prep::StepPhase::BeforeSplit)
            continue;
        if (!scoped) {
            std::vector<std::string> scope = prepared.features;
            scope.push_back(recipe.problem.target);
            scoped = table.selectColumns(scope);
        }
        runStep(index, spec, [&] {
            const auto filter = info.makeRowFilter(spec.columns, prep::resolveStepParams(spec));
            const data::Table current = scoped->selectRows(rows);
            const std::vector<std::size_t> kept = filter->keptRows(current, control);
            if (observe) {
                const data::Table after = current.selectRows(kept);
                observe({index, filter->describe(), &current, &after});
            }
            if (kept.size() < rows.size())
                prepared.warnings.push_back(plural(rows.size() - kept.size(), "row") + " of the " + which +
                                            " were dropped by the step '" + filter->describe() + "'");
            std::vector<std::size_t> next;
            next.reserve(kept.size());
            for (std::size_t i : kept)
                next.push_back(rows[i]);
            rows = std::move(next);
        });
    }
    if (rows.empty())
        throw core::DataError(std::string("no rows of the ") + which +
                              " are left to use — the target is missing everywhere or the row filters dropped "
                              "every row");
    return rows;
}

// Splits `usable` (indices into the data) by position into two parts of `share` for the
// second; time-ordered by `times` when given, else random (stratified by `strata`).
prep::SplitIndices splitPart(std::size_t count, double share, const std::vector<double>* times,
                             std::uint64_t seed, const std::vector<int>* strata)
{
    if (times)
        return prep::timeOrderedSplit(*times, share);
    return prep::trainTestSplit(count, share, seed, strata);
}

} // namespace

void requireRowsPerClass(const std::vector<int>& rowClasses, const std::vector<std::string>& labels,
                         std::size_t needed, const std::string& target, const std::string& why)
{
    std::vector<std::size_t> counts(labels.size(), 0);
    for (int c : rowClasses)
        if (c >= 0 && static_cast<std::size_t>(c) < counts.size())
            ++counts[static_cast<std::size_t>(c)];
    for (std::size_t c = 0; c < counts.size(); ++c)
        if (counts[c] > 0 && counts[c] < needed)
            throw core::DataError("class '" + labels[c] + "' of the target '" + target + "' has only " +
                                  plural(counts[c], "row") + " — " + why);
}

PreparedData prepareData(const Recipe& recipe, const data::Table& data, const data::Table* testData,
                         core::TaskControl& control, const StepObserver& observe)
{
    PreparedData prepared;
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    const data::Column& target = targetColumn(recipe, data, "data");
    prepared.features = featureColumns(recipe, data, prepared.warnings);
    if (data.rowCount() == 0)
        throw core::DataError("the data has no rows, only the columns — load data with rows to learn from");
    if (classification) {
        prepared.classes = encodeClasses(target);
        if (prepared.classes.labels.size() > static_cast<std::size_t>(models::kMaxClassCount))
            throw core::DataError("the target '" + target.name() + "' has " +
                                  std::to_string(prepared.classes.labels.size()) + " classes, more than the " +
                                  std::to_string(models::kMaxClassCount) +
                                  " a classifier takes — group the rare classes into one, or choose regression "
                                  "if the target is a quantity");
        if (prepared.classes.labels.size() < 2)
            throw core::DataError("the target '" + target.name() + "' has only " +
                                  (prepared.classes.labels.empty()
                                       ? std::string("missing values")
                                       : "one class ('" + prepared.classes.labels.front() + "')") +
                                  " — a classifier needs at least two classes");
        if (target.isNumeric() && prepared.classes.labels.size() > 50)
            prepared.warnings.push_back("the target '" + target.name() + "' has " +
                                        std::to_string(prepared.classes.labels.size()) +
                                        " distinct numbers — if it is a quantity, choose regression");
    }
    const std::vector<std::size_t> usable = filteredRows(recipe, data, "data", prepared, true, control, observe);
    prepared.rowsAfterFilters = usable.size();

    if (testData) {
        targetColumn(recipe, *testData, "test data");
        for (const auto& name : prepared.features)
            if (!testData->hasColumn(name))
                throw core::DataError("the test data has no column '" + name + "', which the training data has");
        prepared.test = filteredRows(recipe, *testData, "test data", prepared, false, control, {});
        if (recipe.prep.validationSize <= 0.0) {
            prepared.train = usable;
            return prepared;
        }
    }

    std::vector<double> times;
    if (!recipe.prep.timeColumn.empty()) {
        if (!data.hasColumn(recipe.prep.timeColumn))
            throw core::InvalidParameter("the time column '" + recipe.prep.timeColumn +
                                         "' for the time-ordered split is not in the data — choose one of its columns");
        const data::Column& time = data.column(recipe.prep.timeColumn);
        if (!time.isNumeric())
            throw core::DataError("the time column '" + time.name() +
                                  "' is categorical — a time-ordered split needs dates or numbers; change its type");
        for (std::size_t row : usable)
            times.push_back(time.values()[row]);
    }
    const bool byTime = !times.empty();
    const auto strataOf = [&](const std::vector<std::size_t>& rows) {
        std::vector<int> strata;
        if (classification && recipe.prep.stratify && !byTime) {
            for (std::size_t row : rows)
                strata.push_back(prepared.classes.rowClass[row]);
            requireRowsPerClass(strata, prepared.classes.labels, 2, recipe.problem.target,
                                "a stratified split needs at least 2 rows per class; turn stratification off or "
                                "collect more rows of it");
        }
        return strata;
    };
    const auto pick = [](const std::vector<std::size_t>& from, const std::vector<std::size_t>& positions) {
        std::vector<std::size_t> rows;
        rows.reserve(positions.size());
        for (std::size_t i : positions)
            rows.push_back(from[i]);
        return rows;
    };

    std::vector<std::size_t> rest = usable;
    std::vector<double> restTimes = times;
    if (!testData) {
        const std::vector<int> strata = strataOf(usable);
        const prep::SplitIndices split = splitPart(usable.size(), recipe.prep.testSize, byTime ? &times : nullptr,
                                                   recipe.seed, strata.empty() ? nullptr : &strata);
        rest = pick(usable, split.train);
        prepared.test = pick(usable, split.test);
        restTimes.clear();
        if (byTime)
            for (std::size_t i : split.train)
                restTimes.push_back(times[i]);
    }
    if (recipe.prep.validationSize > 0.0) {
        const double testShare = testData ? 0.0 : recipe.prep.testSize;
        if (recipe.prep.validationSize + testShare >= 1.0)
            throw core::InvalidParameter("validation_size + test_size = " +
                                         data::formatNumber(recipe.prep.validationSize + testShare) +
                                         " leaves no training rows — keep their sum below 1");
        // The validation share is of all usable rows, as the test share is.
        const double share = recipe.prep.validationSize / (1.0 - testShare);
        const std::vector<int> strata = strataOf(rest);
        const prep::SplitIndices split = splitPart(rest.size(), share, byTime ? &restTimes : nullptr,
                                                   recipe.seed + 1, strata.empty() ? nullptr : &strata);
        prepared.train = pick(rest, split.train);
        prepared.validation = pick(rest, split.test);
    } else {
        prepared.train = std::move(rest);
    }
    return prepared;
}

prep::TrainingTarget trainingTarget(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                                    const std::vector<std::size_t>& rows)
{
    prep::TrainingTarget target;
    target.task = recipe.problem.task;
    target.values.reserve(rows.size());
    const data::Column& column = data.column(recipe.problem.target);
    if (target.task == core::TaskType::Classification) {
        target.classCount = static_cast<int>(prepared.classes.labels.size());
        for (std::size_t row : rows)
            target.values.push_back(prepared.classes.rowClass[row]);
    } else {
        for (std::size_t row : rows)
            target.values.push_back(column.values()[row]);
    }
    return target;
}

FittedSteps fitSteps(const std::vector<prep::StepSpec>& steps, prep::LabelledRows train, std::uint64_t seed,
                     core::TaskControl& control, const StepObserver& observe)
{
    FittedSteps fitted;
    std::vector<std::pair<std::size_t, std::unique_ptr<prep::Sampler>>> lastSamplers;
    const auto runSampler = [&](std::size_t index, const prep::Sampler& sampler, core::TaskControl& stepControl) {
        prep::LabelledRows next = sampler.apply(train, seed + index, stepControl);
        fitted.trainingOnly.push_back(sampler.describe() + " (" + std::to_string(train.table.rowCount()) + " → " +
                                      std::to_string(next.table.rowCount()) + " training rows)");
        if (observe)
            observe({index, sampler.describe(), &train.table, &next.table});
        train = std::move(next);
    };
    for (std::size_t index = 0; index < steps.size(); ++index) {
        const prep::StepSpec& spec = steps[index];
        if (!spec.enabled)
            continue;
        const prep::StepInfo& info = prep::findStep(spec.kind);
        const double from = static_cast<double>(index) / static_cast<double>(steps.size());
        core::TaskControl stepControl = control.subRange(from, from + 1.0 / static_cast<double>(steps.size()));
        stepControl.progress(0.0, "fitting the step '" + info.displayName + "'");
        runStep(index, spec, [&] {
            const core::ParamValues params = prep::resolveStepParams(spec);
            switch (info.phase) {
            case prep::StepPhase::BeforeSplit:
                break;
            case prep::StepPhase::Fitted: {
                std::unique_ptr<prep::Transformer> transformer = info.makeTransformer(spec.columns, params);
                transformer->fit(train.table, train.target, stepControl);
                prep::LabelledRows next{transformer->transform(train.table), train.target};
                if (observe)
                    observe({index, transformer->describe(), &train.table, &next.table});
                train = std::move(next);
                fitted.transformers.push_back(std::move(transformer));
                break;
            }
            case prep::StepPhase::TrainingOnly: {
                std::unique_ptr<prep::Sampler> sampler = info.makeSampler(spec.columns, params);
                if (sampler->runsLast())
                    lastSamplers.emplace_back(index, std::move(sampler));
                else
                    runSampler(index, *sampler, stepControl);
                break;
            }
            }
        });
    }
    // Not a structured binding: clang 14 (the fuzz preset) cannot capture one in a lambda.
    for (auto& last : lastSamplers) {
        const std::size_t position = last.first;
        const prep::Sampler& sampler = *last.second;
        runStep(position, steps[position], [&] { runSampler(position, sampler, control); });
    }
    fitted.train = std::move(train);
    control.progress(1.0);
    return fitted;
}

std::optional<std::string> modelReadinessProblem(const data::Table& table)
{
    if (table.columnCount() == 0)
        return std::string("no columns are left after the steps — a model needs at least one input; remove the "
                           "step that drops them all");
    for (const data::Column& column : table.columns()) {
        if (!column.isNumeric())
            return "column '" + column.name() +
                   "' is still categorical after the last step — models need numbers: add an 'Encode categories' "
                   "step for it";
        std::size_t missing = 0, infinite = 0;
        for (double value : column.values()) {
            if (std::isnan(value))
                ++missing;
            else if (std::isinf(value))
                ++infinite;
        }
        if (missing > 0)
            return "column '" + column.name() + "' still has " + plural(missing, "missing value") +
                   " in the training rows after the last step — add a 'Fill missing values' step that covers it, "
                   "or drop those rows";
        if (infinite > 0)
            return "column '" + column.name() + "' has " + plural(infinite, "infinite value") +
                   " in the training rows after the last step — check the formula or transformation that makes it";
    }
    return std::nullopt;
}

Eigen::MatrixXd modelMatrix(const data::Table& current)
{
    Eigen::MatrixXd x(static_cast<Eigen::Index>(current.rowCount()), static_cast<Eigen::Index>(current.columnCount()));
    for (std::size_t c = 0; c < current.columnCount(); ++c) {
        const data::Column& column = current.column(c);
        if (!column.isNumeric())
            throw core::DataError("column '" + column.name() + "' is still categorical after the feature steps");
        for (std::size_t r = 0; r < column.size(); ++r) {
            const double value = column.values()[r];
            if (!std::isfinite(value))
                throw core::DataError("row " + std::to_string(r) + ", column '" + column.name() +
                                      "' is not a finite number after the feature steps — check the input value");
            x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = value;
        }
    }
    return x;
}

} // namespace stepwise::workflow
