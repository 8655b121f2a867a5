#include "stepwise/workflow/scoring.hpp"

#include <algorithm>
#include <optional>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {
namespace {

// Rows predicted per chunk: big enough that the per-chunk overhead is negligible, small
// enough that progress and cancel come several times a second on large files.
constexpr std::size_t kChunkRows = 4096;

// Categories listed in a message before "…": enough to recognise the column.
constexpr std::size_t kListedLevels = 8;

std::string rowText(std::size_t row) { return "row " + std::to_string(row + 1); }

std::string rowsText(std::size_t count) { return count == 1 ? std::string("1 row") : std::to_string(count) + " rows"; }

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// The categories sorted, as the encoders order them, the first kListedLevels of them.
std::string levelList(std::vector<std::string> levels)
{
    std::sort(levels.begin(), levels.end());
    std::string text;
    for (std::size_t i = 0; i < levels.size() && i < kListedLevels; ++i) {
        if (i > 0)
            text.append(", ");
        text.append(levels[i]);
    }
    if (levels.size() > kListedLevels)
        text.append(", …");
    return text;
}

std::optional<Recipe> recipeOf(const FittedPipeline& pipeline)
{
    if (pipeline.metadata().recipeJson.empty())
        return std::nullopt;
    try {
        return recipeFromJson(pipeline.metadata().recipeJson);
    } catch (const core::Error&) {
        return std::nullopt;
    }
}

// The enabled encode step that acts on `column` (its own list, or every categorical
// column when it names none), if the recipe has one.
std::optional<prep::StepSpec> encoderOf(const std::optional<Recipe>& recipe, const std::string& column)
{
    if (!recipe)
        return std::nullopt;
    for (const prep::StepSpec& step : pipelineSteps(*recipe)) {
        if (!step.enabled || step.kind != "encode")
            continue;
        if (step.columns.empty() || std::find(step.columns.begin(), step.columns.end(), column) != step.columns.end())
            return step;
    }
    return std::nullopt;
}

// True when every row is transformed on its own, so predicting in chunks gives the same
// result as predicting the whole table: forward/backward filling reads neighbouring rows.
bool rowsIndependent(const std::optional<Recipe>& recipe)
{
    if (!recipe)
        return false;
    for (const prep::StepSpec& step : pipelineSteps(*recipe)) {
        if (!step.enabled || step.kind != "impute")
            continue;
        for (const char* key : {"numeric", "categorical"}) {
            const auto it = step.params.find(key);
            if (it != step.params.end() && (it->second == "ffill" || it->second == "bfill"))
                return false;
        }
    }
    return true;
}

// A one-row table in the input schema: the value of `column` from `row`, every other
// input column from its first present value, so the pipeline's verdict on the row is
// about this one value only.
data::Table probeRow(const std::vector<std::pair<std::string, data::Column>>& conformed,
                                    const std::string& column, std::size_t row)
{
    data::Table probe;
    for (const auto& [name, values] : conformed) {
        std::size_t pick = row;
        if (name != column) {
            pick = 0;
            while (pick < values.size() && values.isMissing(pick))
                ++pick;
            if (pick == values.size())
                pick = row;
        }
        probe.addColumn(values.selectRows({pick}));
    }
    return probe;
}

// Whether the pipeline scores the probe row; the reason when it refuses.
std::optional<std::string> refusal(const FittedPipeline& pipeline, const data::Table& probe)
{
    try {
        pipeline.predict(probe);
        return std::nullopt;
    } catch (const core::DataError& error) {
        return error.problem();
    }
}

// The offending values of a text column that cannot be read as `kind`, level by level.
struct BadValues {
    std::size_t count = 0;
    std::size_t firstRow = 0;
    std::string example;
};

std::optional<BadValues> unreadableValues(const data::Column& column, data::ColumnKind kind)
{
    const auto& levels = column.levels();
    std::vector<bool> bad(levels.size(), false);
    for (std::size_t i = 0; i < levels.size(); ++i) {
        try {
            data::convertColumn(data::Column::categorical(column.name(), {0}, {levels[i]}), kind);
        } catch (const core::DataError&) {
            bad[i] = true;
        }
    }
    std::optional<BadValues> found;
    const auto& codes = column.codes();
    for (std::size_t row = 0; row < codes.size(); ++row) {
        if (codes[row] < 0 || !bad[static_cast<std::size_t>(codes[row])])
            continue;
        if (!found)
            found = BadValues{0, row, levels[static_cast<std::size_t>(codes[row])]};
        ++found->count;
    }
    return found;
}

std::string expectedValue(data::ColumnKind kind)
{
    switch (kind) {
    case data::ColumnKind::Integer: return "whole numbers";
    case data::ColumnKind::Boolean: return "true/false values";
    case data::ColumnKind::Datetime: return "dates (e.g. 2024-03-01)";
    default: return "numbers";
    }
}

SchemaIssue wrongType(const InputColumn& input, const data::Column& column, const BadValues& bad)
{
    SchemaIssue issue;
    issue.kind = SchemaIssue::Kind::WrongType;
    issue.column = input.name;
    issue.blocking = true;
    issue.count = bad.count;
    issue.firstRow = bad.firstRow;
    issue.example = bad.example;
    std::string& m = issue.message;
    m = "column " + quoted(column.name()) + ", " + rowText(bad.firstRow) + ": " + quoted(bad.example) +
        " is not one of the " + expectedValue(input.kind) + " the model was trained on (" + data::toString(input.kind) +
        " column; " + rowsText(bad.count) + " like this) — correct the values or leave them empty";
    return issue;
}

SchemaIssue unseenCategory(const InputColumn& input, const data::Column& column,
                           const std::vector<std::pair<std::string, data::Column>>& conformed,
                           const FittedPipeline& pipeline, const std::optional<Recipe>& recipe)
{
    SchemaIssue issue;
    issue.kind = SchemaIssue::Kind::UnseenCategory;
    issue.column = input.name;
    std::vector<bool> known(column.levels().size(), false);
    for (std::size_t i = 0; i < column.levels().size(); ++i)
        known[i] = std::find(input.levels.begin(), input.levels.end(), column.levels()[i]) != input.levels.end();
    std::vector<std::string> unseen;
    for (std::size_t row = 0; row < column.size(); ++row) {
        const std::int32_t code = column.codes()[row];
        if (code < 0 || known[static_cast<std::size_t>(code)])
            continue;
        const std::string& level = column.levels()[static_cast<std::size_t>(code)];
        if (issue.count == 0) {
            issue.firstRow = row;
            issue.example = level;
        }
        if (std::find(unseen.begin(), unseen.end(), level) == unseen.end())
            unseen.push_back(level);
        ++issue.count;
    }
    std::string& m = issue.message;
    m = "column " + quoted(input.name) + ", " + rowText(issue.firstRow) + ": category " + quoted(issue.example);
    if (unseen.size() > 1)
        m.append(" (and " + std::to_string(unseen.size() - 1) + " other new " +
                 (unseen.size() == 2 ? "category" : "categories") + ": " +
                 levelList(std::vector<std::string>(unseen.begin() + 1, unseen.end())) + ")");
    m.append(" was not seen in training (known: " + levelList(input.levels) + "; " + rowsText(issue.count) +
             " affected)");
    const std::optional<std::string> refused = refusal(pipeline, probeRow(conformed, input.name, issue.firstRow));
    issue.blocking = refused.has_value();
    if (issue.blocking) {
        m.append(" and the pipeline refuses unknown categories (" + *refused +
                 ") — replace it by a known category, or retrain with the encode step's unknown=ignore");
        return issue;
    }
    const auto encoder = encoderOf(recipe, input.name);
    const bool ordinal = encoder && encoder->params.count("method") && encoder->params.at("method") == "ordinal";
    if (!encoder)
        m.append("; the pipeline scores such rows without knowing the category");
    else if (ordinal)
        m.append("; the ordinal encoding gives it the code -1, below every known category");
    else
        m.append("; the one-hot encoding gives it 0 in every one of the column's category columns, as if it were "
                 "none of the known ones");
    m.append(" — the predictions for these rows are guesses from the other columns; map the value onto a known "
             "category if it means one, or retrain with rows that have it");
    return issue;
}

SchemaIssue missingValues(const InputColumn& input, const data::Column& column,
                          const std::vector<std::pair<std::string, data::Column>>& conformed,
                          const FittedPipeline& pipeline)
{
    SchemaIssue issue;
    issue.kind = SchemaIssue::Kind::MissingValues;
    issue.column = input.name;
    for (std::size_t row = 0; row < column.size(); ++row)
        if (column.isMissing(row)) {
            if (issue.count == 0)
                issue.firstRow = row;
            ++issue.count;
        }
    const std::optional<std::string> refused = refusal(pipeline, probeRow(conformed, input.name, issue.firstRow));
    issue.blocking = refused.has_value();
    std::string& m = issue.message;
    m = "column " + quoted(input.name) + ", " + rowText(issue.firstRow) + ": no value (" + rowsText(issue.count) +
        " with missing values)";
    m.append(" and no step of the pipeline fills missing values in this column — fill them in, drop those rows, "
             "or retrain with a 'Fill missing values' step");
    return issue;
}

} // namespace

bool SchemaCheck::canScore() const
{
    return std::none_of(issues.begin(), issues.end(), [](const SchemaIssue& issue) { return issue.blocking; });
}

SchemaCheck checkSchema(const FittedPipeline& pipeline, const data::Table& table)
{
    SchemaCheck check;
    // Each input column as `transform` will see it, when it converts; the probes below
    // run the real pipeline on single rows of it.
    std::vector<std::pair<std::string, data::Column>> conformed;
    std::vector<const InputColumn*> convertedInputs;
    bool complete = true;
    for (const InputColumn& input : pipeline.inputColumns()) {
        if (!table.hasColumn(input.name)) {
            SchemaIssue issue;
            issue.kind = SchemaIssue::Kind::MissingColumn;
            issue.column = input.name;
            issue.message = "the data has no column " + quoted(input.name) + ", which the model was trained on (" +
                            data::toString(input.kind) + ") — add it; empty values are allowed where the pipeline "
                            "fills them";
            check.issues.push_back(std::move(issue));
            complete = false;
            continue;
        }
        const data::Column& column = table.column(input.name);
        const bool sameStorage = data::storageOf(input.kind) == column.type();
        if (sameStorage && column.isNumeric()) {
            conformed.emplace_back(input.name, column);
            convertedInputs.push_back(&input);
            continue;
        }
        try {
            conformed.emplace_back(input.name, data::convertColumn(column, input.kind));
            convertedInputs.push_back(&input);
        } catch (const core::DataError& error) {
            complete = false;
            if (const auto bad = unreadableValues(column, input.kind)) {
                check.issues.push_back(wrongType(input, column, *bad));
            } else {
                SchemaIssue issue;
                issue.kind = SchemaIssue::Kind::WrongType;
                issue.column = input.name;
                issue.message = error.problem();
                check.issues.push_back(std::move(issue));
            }
        }
    }

    const std::optional<Recipe> recipe = recipeOf(pipeline);
    for (std::size_t i = 0; i < conformed.size(); ++i) {
        const InputColumn& input = *convertedInputs[i];
        const data::Column& column = conformed[i].second;
        // Probing needs every input column; with one absent or unreadable, only what
        // can be said without the pipeline is said.
        if (column.missingCount() > 0 && complete) {
            // Gaps the pipeline fills are what it was built for, not an issue.
            SchemaIssue issue = missingValues(input, column, conformed, pipeline);
            if (issue.blocking)
                check.issues.push_back(std::move(issue));
        }
        if (column.isCategorical() && !input.levels.empty() && complete) {
            SchemaIssue issue = unseenCategory(input, column, conformed, pipeline, recipe);
            if (issue.count > 0)
                check.issues.push_back(std::move(issue));
        }
    }

    for (const std::string& name : table.columnNames()) {
        const auto& inputs = pipeline.inputColumns();
        if (name == pipeline.target() ||
            std::any_of(inputs.begin(), inputs.end(), [&](const InputColumn& input) { return input.name == name; }))
            continue;
        SchemaIssue issue;
        issue.kind = SchemaIssue::Kind::ExtraColumn;
        issue.column = name;
        issue.blocking = false;
        issue.message = "column " + quoted(name) + " is not used by the model and is ignored";
        check.issues.push_back(std::move(issue));
    }
    return check;
}

Predictions scoreTable(const FittedPipeline& pipeline, const data::Table& table, core::TaskControl& control)
{
    const SchemaCheck check = checkSchema(pipeline, table);
    if (!check.canScore()) {
        std::string message = "the data does not fit the model:";
        for (const SchemaIssue& issue : check.issues)
            if (issue.blocking)
                message.append("\n").append(issue.message);
        throw core::DataError(message);
    }
    control.progress(0.0, "predicting");
    const std::size_t rows = table.rowCount();
    const std::size_t chunk = rowsIndependent(recipeOf(pipeline)) ? kChunkRows : std::max<std::size_t>(rows, 1);
    if (rows <= chunk) {
        Predictions all = pipeline.predict(table);
        control.progress(1.0);
        return all;
    }
    Predictions result;
    result.task = pipeline.task();
    const bool classification = pipeline.task() == core::TaskType::Classification;
    if (classification)
        result.classIndex.reserve(rows);
    else
        result.values.resize(static_cast<Eigen::Index>(rows));
    std::vector<std::size_t> indices;
    for (std::size_t start = 0; start < rows; start += chunk) {
        const std::size_t end = std::min(rows, start + chunk);
        indices.resize(end - start);
        for (std::size_t row = start; row < end; ++row)
            indices[row - start] = row;
        const Predictions part = pipeline.predict(table.selectRows(indices));
        const auto at = static_cast<Eigen::Index>(start);
        const auto count = static_cast<Eigen::Index>(end - start);
        if (classification) {
            result.classIndex.insert(result.classIndex.end(), part.classIndex.begin(), part.classIndex.end());
            if (part.proba.size() > 0) {
                if (result.proba.size() == 0)
                    result.proba.resize(static_cast<Eigen::Index>(rows), part.proba.cols());
                result.proba.middleRows(at, count) = part.proba;
            }
        } else {
            result.values.segment(at, count) = part.values;
        }
        control.progress(static_cast<double>(end) / static_cast<double>(rows));
    }
    return result;
}

} // namespace stepwise::workflow
