#include "stepwise/workflow/audit.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/profile.hpp"
#include "workflow/run_stages.hpp"

namespace stepwise::workflow {
namespace {

// A feature whose value alone gets this share of the target right is suspicious.
constexpr double kNearPerfectAccuracy = 0.98;

std::string quoted(const std::string& name) { return "'" + name + "'"; }

std::uint64_t cellKey(const data::Column& column, std::size_t row)
{
    if (column.isCategorical())
        return static_cast<std::uint64_t>(static_cast<std::uint32_t>(column.codes()[row]));
    const double value = column.values()[row];
    if (std::isnan(value))
        return 0x7ff8000000000001ULL;  // every NaN is one value
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

// Share of rows whose target equals the most common target among the rows with the same
// value of `column` — how well the column alone predicts a class target.
double majorityAccuracy(const data::Column& column, const std::vector<int>& rowClass, std::size_t& distinct)
{
    std::unordered_map<std::uint64_t, std::unordered_map<int, std::size_t>> counts;
    std::size_t rows = 0;
    for (std::size_t row = 0; row < column.size(); ++row) {
        if (rowClass[row] < 0 || column.isMissing(row))
            continue;
        ++counts[cellKey(column, row)][rowClass[row]];
        ++rows;
    }
    distinct = counts.size();
    if (rows == 0)
        return 0.0;
    std::size_t right = 0;
    for (const auto& [value, classes] : counts) {
        std::size_t best = 0;
        for (const auto& [label, count] : classes)
            best = std::max(best, count);
        right += best;
    }
    return static_cast<double>(right) / static_cast<double>(rows);
}

std::size_t distinctPresent(const data::Column& column)
{
    std::unordered_set<std::uint64_t> values;
    for (std::size_t row = 0; row < column.size(); ++row)
        if (!column.isMissing(row))
            values.insert(cellKey(column, row));
    return values.size();
}

// Column-level findings from the data profile (constant, ID-like, target leaks) and the
// near-perfect predictors the exact leak check misses.
void auditColumns(const Recipe& recipe, const data::Table& data, const std::vector<std::string>& features,
                  const TargetClasses* classes, std::vector<AuditFinding>& findings, core::TaskControl& control)
{
    std::vector<std::string> columns = features;
    const bool hasTarget = data.hasColumn(recipe.problem.target);
    if (hasTarget)
        columns.push_back(recipe.problem.target);
    const data::Table scoped = data.selectColumns(columns);
    control.progress(0.1, "auditing the columns");
    const data::DataProfile profile =
        data::profileTable(scoped, hasTarget ? std::optional<std::string>(recipe.problem.target) : std::nullopt);
    std::vector<std::string> leaking;
    for (const data::DataFlag& flag : profile.flags) {
        if (flag.column == recipe.problem.target)
            continue;
        AuditFinding finding;
        finding.columns = {flag.column};
        if (flag.kind == "constant") {
            finding.severity = AuditSeverity::Info;
            finding.kind = "constant";
            finding.message = flag.message;
            finding.fix = "Drop the column on the Features step.";
        } else if (flag.kind == "id_like") {
            finding.severity = AuditSeverity::Warning;
            finding.kind = "id_like";
            finding.message = flag.message;
            finding.fix = "Drop the column on the Features step; an identifier says nothing about new rows.";
        } else if (flag.kind == "target_leak") {
            const data::Column& column = scoped.column(flag.column);
            const data::Column& target = scoped.column(recipe.problem.target);
            const bool oneToOne = column.kind() != data::ColumnKind::Numeric &&
                                  distinctPresent(column) == distinctPresent(target);
            finding.severity = AuditSeverity::Leak;
            finding.kind = oneToOne ? "target_derived" : "near_perfect_predictor";
            finding.message =
                oneToOne ? "column " + quoted(flag.column) + " takes exactly one value per value of the target " +
                               quoted(recipe.problem.target) +
                               " — it is the target written another way (derived from the outcome), so it would "
                               "not be known when predicting. A model using it scores perfectly in the test and "
                               "fails on real rows."
                         : flag.message;
            finding.fix = "Drop " + quoted(flag.column) + " on the Features step.";
            leaking.push_back(flag.column);
        } else {
            continue;  // high cardinality is the Data page's concern
        }
        findings.push_back(std::move(finding));
    }
    if (!classes || !hasTarget)
        return;
    // A column that gets almost every class right on its own, short of the exact rule.
    for (std::size_t i = 0; i < features.size(); ++i) {
        control.progress(0.3 + 0.3 * static_cast<double>(i) / static_cast<double>(features.size()), "auditing the columns");
        const std::string& name = features[i];
        if (std::find(leaking.begin(), leaking.end(), name) != leaking.end())
            continue;
        const data::Column& column = scoped.column(name);
        const bool discrete = column.isCategorical() || column.kind() == data::ColumnKind::Integer ||
                              column.kind() == data::ColumnKind::Boolean;
        if (!discrete)
            continue;
        std::size_t distinct = 0;
        const double accuracy = majorityAccuracy(column, classes->rowClass, distinct);
        // Many values with few rows each fit any target; that is the ID-like check's case.
        const std::size_t present = column.size() - column.missingCount();
        if (distinct < 2 || 2 * distinct > present || accuracy < kNearPerfectAccuracy)
            continue;
        AuditFinding finding;
        finding.severity = AuditSeverity::Warning;
        finding.kind = "near_perfect_predictor";
        finding.columns = {name};
        finding.message = "column " + quoted(name) + " alone gets " +
                          data::formatNumber(std::round(accuracy * 1000.0) / 10.0) + "% of the target " +
                          quoted(recipe.problem.target) +
                          " right — check that its value is known before the outcome; if it is recorded after, "
                          "it leaks the answer.";
        finding.fix = "If it is only known after the outcome, drop it on the Features step.";
        findings.push_back(std::move(finding));
    }
}

// Numeric columns that look standardised over all rows before they reached Stepwise.
void auditPrescaled(const data::Table& data, const std::vector<std::string>& features,
                    std::vector<AuditFinding>& findings)
{
    std::vector<std::string> scaled;
    for (const std::string& name : features) {
        const data::Column& column = data.column(name);
        if (column.kind() != data::ColumnKind::Numeric)
            continue;
        double sum = 0.0, squares = 0.0;
        std::size_t n = 0;
        for (double value : column.values())
            if (!std::isnan(value)) {
                sum += value;
                ++n;
            }
        if (n < 20)
            continue;
        const double mean = sum / static_cast<double>(n);
        for (double value : column.values())
            if (!std::isnan(value))
                squares += (value - mean) * (value - mean);
        const double populationStd = std::sqrt(squares / static_cast<double>(n));
        const double sampleStd = std::sqrt(squares / static_cast<double>(n - 1));
        const bool unitStd = std::abs(populationStd - 1.0) < 1e-6 || std::abs(sampleStd - 1.0) < 1e-6;
        if (std::abs(mean) < 1e-6 && unitStd)
            scaled.push_back(name);
    }
    if (scaled.empty())
        return;
    std::string list;
    for (const std::string& name : scaled)
        list.append(list.empty() ? "" : ", ").append(quoted(name));
    AuditFinding finding;
    finding.severity = AuditSeverity::Leak;
    finding.kind = "prescaled";
    finding.columns = scaled;
    finding.message = "column" + std::string(scaled.size() > 1 ? "s " : " ") + list +
                      " have mean 0 and standard deviation 1 over all rows — they look scaled on the whole file "
                      "before it reached Stepwise, so the test rows' mean and spread leaked into the training "
                      "data.";
    finding.fix = "Load the unscaled data and let a 'Scale numbers' step learn the scale from the training rows.";
    findings.push_back(std::move(finding));
}

// Exact copies of training rows among the test rows make the test score an overestimate.
void auditDuplicatesAcrossSplit(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                                std::vector<AuditFinding>& findings)
{
    std::vector<std::string> columns = prepared.features;
    columns.push_back(recipe.problem.target);
    std::vector<const data::Column*> compared;
    for (const std::string& name : columns)
        compared.push_back(&data.column(name));
    const auto rowHash = [&](std::size_t row) {
        std::uint64_t hash = 1469598103934665603ULL;
        for (const data::Column* column : compared)
            hash = (hash ^ cellKey(*column, row)) * 1099511628211ULL;
        return hash;
    };
    const auto sameRow = [&](std::size_t a, std::size_t b) {
        return std::all_of(compared.begin(), compared.end(), [&](const data::Column* column) {
            // Codes of one column compare directly; numbers by value with NaN equal to NaN.
            return cellKey(*column, a) == cellKey(*column, b);
        });
    };
    std::unordered_multimap<std::uint64_t, std::size_t> trainByHash;
    trainByHash.reserve(prepared.train.size());
    for (std::size_t row : prepared.train)
        trainByHash.emplace(rowHash(row), row);
    std::size_t copies = 0;
    for (std::size_t row : prepared.test) {
        const auto [first, last] = trainByHash.equal_range(rowHash(row));
        if (std::any_of(first, last, [&](const auto& entry) { return sameRow(entry.second, row); }))
            ++copies;
    }
    if (copies == 0)
        return;
    AuditFinding finding;
    finding.severity = AuditSeverity::Warning;
    finding.kind = "duplicates_across_split";
    finding.message = std::to_string(copies) + " of the " + std::to_string(prepared.test.size()) +
                      " test rows are exact copies of training rows — the model has seen their answers, so the "
                      "test score is too optimistic.";
    finding.fix = "Add a 'Drop duplicate rows' step on the Prep step; it runs before the split.";
    findings.push_back(std::move(finding));
}

// A date column with a random split lets the model learn from the future it is tested on.
void auditTimeOrder(const Recipe& recipe, const data::Table& data, const std::vector<std::string>& features,
                    std::vector<AuditFinding>& findings)
{
    if (!recipe.prep.timeColumn.empty())
        return;
    std::vector<std::string> dates;
    for (const std::string& name : features)
        if (data.column(name).kind() == data::ColumnKind::Datetime)
            dates.push_back(name);
    const auto steps = pipelineSteps(recipe);
    const bool fillsAlongRows = std::any_of(steps.begin(), steps.end(), [](const prep::StepSpec& step) {
        if (!step.enabled || step.kind != "impute")
            return false;
        for (const char* key : {"numeric", "categorical"}) {
            const auto it = step.params.find(key);
            if (it != step.params.end() && (it->second == "ffill" || it->second == "bfill"))
                return true;
        }
        return false;
    });
    if (dates.empty() && !fillsAlongRows)
        return;
    AuditFinding finding;
    finding.severity = AuditSeverity::Warning;
    finding.kind = "random_split_of_time_data";
    finding.columns = dates;
    if (!dates.empty())
        finding.message = "the data has the date column " + quoted(dates.front()) +
                          " but is split at random — if the rows are a sequence in time, the model learns from "
                          "rows later than the ones it is tested on, which it never can in use.";
    else
        finding.message = "forward/backward fill assumes the rows are in time order, but the split is random — "
                          "neighbouring rows end up on both sides of the split and fill each other.";
    finding.fix = "Choose 'time-ordered by' a date column on the Prep step (the newest rows become the test).";
    findings.push_back(std::move(finding));
}

// Ordinal codes in alphabetical order invent an order nominal categories do not have.
void auditOrdinalEncoding(const Recipe& recipe, const data::Table& data, const std::vector<std::string>& features,
                          std::vector<AuditFinding>& findings)
{
    for (const prep::StepSpec& step : recipe.features.steps) {
        const auto method = step.params.find("method");
        if (!step.enabled || step.kind != "encode" || method == step.params.end() || method->second != "ordinal")
            continue;
        const auto order = step.params.find("order");
        if (order != step.params.end() && !order->second.empty())
            continue;
        std::vector<std::string> nominal;
        for (const std::string& name : step.columns.empty() ? features : step.columns) {
            if (!data.hasColumn(name))
                continue;
            const data::Column& column = data.column(name);
            if (column.isCategorical() && distinctPresent(column) > 2)
                nominal.push_back(name);
        }
        if (nominal.empty())
            continue;
        AuditFinding finding;
        finding.severity = AuditSeverity::Warning;
        finding.kind = "ordinal_on_nominal";
        finding.columns = nominal;
        finding.message = "ordinal encoding numbers the categories of " + quoted(nominal.front()) +
                          (nominal.size() > 1 ? " and " + std::to_string(nominal.size() - 1) + " more" : std::string()) +
                          " alphabetically, which tells the model that e.g. the second category lies between the "
                          "first and the third — true for sizes or grades, false for names, colours or ports.";
        finding.fix = "Use one-hot encoding for categories without an order, or give the order explicitly.";
        findings.push_back(std::move(finding));
    }
}

} // namespace

const char* toString(AuditSeverity severity)
{
    switch (severity) {
    case AuditSeverity::Info: return "info";
    case AuditSeverity::Warning: return "warning";
    case AuditSeverity::Leak: return "leak";
    }
    return "warning";
}

std::vector<AuditFinding> auditRecipe(const Recipe& recipe, const data::Table& data, core::TaskControl& control)
{
    std::vector<AuditFinding> findings;
    std::vector<std::string> features;
    for (const std::string& name : data.columnNames()) {
        const auto& drop = recipe.prep.dropColumns;
        if (name != recipe.problem.target && std::find(drop.begin(), drop.end(), name) == drop.end() &&
            data.column(name).kind() != data::ColumnKind::Text)
            features.push_back(name);
    }
    // The split-based checks need a recipe that runs; column checks do not.
    std::optional<PreparedData> prepared;
    try {
        core::TaskControl prepareControl = control.subRange(0.6, 0.9);
        prepared = prepareData(recipe, data, nullptr, prepareControl);
    } catch (const core::DataError&) {
    } catch (const core::InvalidParameter&) {
    }
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    core::TaskControl columnControl = control.subRange(0.0, 0.6);
    auditColumns(recipe, data, features, prepared && classification ? &prepared->classes : nullptr, findings,
                 columnControl);
    auditPrescaled(data, features, findings);
    if (prepared)
        auditDuplicatesAcrossSplit(recipe, data, *prepared, findings);
    auditTimeOrder(recipe, data, features, findings);
    auditOrdinalEncoding(recipe, data, features, findings);
    std::stable_sort(findings.begin(), findings.end(),
                     [](const AuditFinding& a, const AuditFinding& b) { return a.severity > b.severity; });
    control.progress(1.0);
    return findings;
}

} // namespace stepwise::workflow
