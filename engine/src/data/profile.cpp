#include "stepwise/data/profile.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"

#include "data/quoting.hpp"

namespace stepwise::data {
namespace {

/// pandas' (NumPy's "linear") quantile of sorted values.
double quantile(const std::vector<double>& sorted, double p)
{
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto low = static_cast<std::size_t>(std::floor(h));
    if (low + 1 >= sorted.size())
        return sorted.back();
    const double t = h - static_cast<double>(low);
    return sorted[low] + t * (sorted[low + 1] - sorted[low]);
}

void profileNumeric(const Column& column, ColumnProfile& profile)
{
    std::vector<double> present;
    present.reserve(column.size());
    for (double v : column.values())
        if (!std::isnan(v))
            present.push_back(v);
    if (present.empty())
        return;
    std::sort(present.begin(), present.end());
    profile.unique = 1;
    for (std::size_t i = 1; i < present.size(); ++i)
        if (present[i] != present[i - 1])
            ++profile.unique;

    double sum = 0.0;
    for (double v : present)
        sum += v;
    const double n = static_cast<double>(present.size());
    const double mean = sum / n;
    profile.mean = mean;
    if (present.size() > 1) {
        double squares = 0.0;
        for (double v : present)
            squares += (v - mean) * (v - mean);
        profile.std = std::sqrt(squares / (n - 1.0));
    }
    if (column.kind() == ColumnKind::Boolean) {
        // pandas describes booleans by their counts; the mean is the share of True.
        profile.std.reset();
        const auto trues = static_cast<std::size_t>(std::count(present.begin(), present.end(), 1.0));
        const std::size_t falses = present.size() - trues;
        if (trues > 0)
            profile.top.emplace_back("True", trues);
        if (falses > 0)
            profile.top.emplace_back("False", falses);
        if (falses > trues)
            std::swap(profile.top.front(), profile.top.back());
        return;
    }
    if (column.kind() == ColumnKind::Datetime)
        profile.std.reset();
    profile.min = present.front();
    profile.q1 = quantile(present, 0.25);
    profile.median = quantile(present, 0.5);
    profile.q3 = quantile(present, 0.75);
    profile.max = present.back();
}

void profileCategorical(const Column& column, ColumnProfile& profile)
{
    const auto& levels = column.levels();
    std::vector<std::size_t> counts(levels.size(), 0);
    std::vector<std::size_t> firstRow(levels.size(), column.size());
    for (std::size_t row = 0; row < column.size(); ++row) {
        const std::int32_t code = column.codes()[row];
        if (code == Column::kMissingCode)
            continue;
        const auto level = static_cast<std::size_t>(code);
        if (counts[level]++ == 0)
            firstRow[level] = row;
    }
    std::vector<std::size_t> seen;
    for (std::size_t level = 0; level < levels.size(); ++level)
        if (counts[level] > 0)
            seen.push_back(level);
    profile.unique = seen.size();
    std::sort(seen.begin(), seen.end(), [&](std::size_t a, std::size_t b) {
        return counts[a] != counts[b] ? counts[a] > counts[b] : firstRow[a] < firstRow[b];
    });
    for (std::size_t i = 0; i < seen.size() && i < 5; ++i)
        profile.top.emplace_back(levels[seen[i]], counts[seen[i]]);
}

/// A hashable key for a present value: the category code or the number's bits
/// (with -0 folded onto 0).
std::uint64_t valueKey(const Column& column, std::size_t row)
{
    if (column.isCategorical())
        return static_cast<std::uint64_t>(column.codes()[row]);
    double v = column.values()[row];
    if (v == 0.0)
        v = 0.0;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
}

/// True when every value of `feature` goes with a single value of `target` (on rows
/// where both are present) and the feature repeats its values (≤ 50% unique), so the
/// mapping is not just one row per value.
bool determines(const Column& feature, const Column& target)
{
    std::unordered_map<std::uint64_t, std::uint64_t> targetOf;
    std::size_t rows = 0;
    for (std::size_t row = 0; row < feature.size(); ++row) {
        if (feature.isMissing(row) || target.isMissing(row))
            continue;
        ++rows;
        const auto [it, inserted] = targetOf.try_emplace(valueKey(feature, row), valueKey(target, row));
        if (!inserted && it->second != valueKey(target, row))
            return false;
    }
    return targetOf.size() >= 2 && 2 * targetOf.size() <= rows;
}

/// Pearson correlation over rows where both are present; NaN when undefined.
double correlation(const Column& a, const Column& b)
{
    double sa = 0, sb = 0;
    std::size_t n = 0;
    for (std::size_t row = 0; row < a.size(); ++row) {
        const double x = a.values()[row], y = b.values()[row];
        if (std::isnan(x) || std::isnan(y))
            continue;
        sa += x;
        sb += y;
        ++n;
    }
    if (n < 3)
        return std::nan("");
    const double ma = sa / static_cast<double>(n), mb = sb / static_cast<double>(n);
    double saa = 0, sbb = 0, sab = 0;
    for (std::size_t row = 0; row < a.size(); ++row) {
        const double x = a.values()[row], y = b.values()[row];
        if (std::isnan(x) || std::isnan(y))
            continue;
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
        sab += (x - ma) * (y - mb);
    }
    if (saa <= 0.0 || sbb <= 0.0)
        return std::nan("");
    return sab / std::sqrt(saa * sbb);
}

std::string firstPresentText(const Column& column)
{
    for (std::size_t row = 0; row < column.size(); ++row)
        if (!column.isMissing(row))
            return column.textAt(row);
    return {};
}

void flagColumn(const Table& table, std::size_t index, const ColumnProfile& profile, const Column* target,
                std::vector<DataFlag>& flags)
{
    const Column& column = table.column(index);
    const std::string name = inQuotes(column.name());
    const std::size_t rows = table.rowCount();
    const std::size_t present = rows - profile.missing;
    if (rows == 0)
        return;  // a header without rows: nothing to judge yet
    if (profile.unique == 0) {
        flags.push_back({column.name(), "constant",
                         name + " is missing on every row — it carries no information; drop it"});
        return;
    }
    if (profile.unique == 1) {
        flags.push_back({column.name(), "constant",
                         name + " has the same value (" + firstPresentText(column) +
                             ") on every row that has one — it cannot help a model; drop it"});
        return;
    }
    if (target == &column)
        return;

    // Whole numbers count as discrete even in a Numeric column (e.g. built in code).
    const bool discrete = column.isCategorical() || column.kind() == ColumnKind::Integer ||
                          std::all_of(column.values().begin(), column.values().end(),
                                      [](double v) { return std::isnan(v) || v == std::floor(v); });
    const bool idLike = discrete && rows >= 20 && profile.missing == 0 && profile.unique == rows;
    if (idLike)
        flags.push_back({column.name(), "id_like",
                         name + " has a different value on every one of the " + std::to_string(rows) +
                             " rows — it looks like an identifier; drop it from the features, a model would "
                             "only memorise it"});
    if (!idLike && column.isCategorical() && profile.unique > 50 && 2 * profile.unique > present)
        flags.push_back({column.name(), "high_cardinality",
                         name + " has " + std::to_string(profile.unique) + " different values in " +
                             std::to_string(present) +
                             " rows — too many categories to learn from; drop it, or group the rare values "
                             "into 'other' before encoding"});
    if (target == nullptr)
        return;
    const std::string targetName = inQuotes(target->name());
    if (discrete && determines(column, *target)) {
        flags.push_back({column.name(), "target_leak",
                         name + " determines " + targetName +
                             " exactly on every row — it is probably the target in disguise; drop it from the "
                             "features"});
        return;
    }
    if (column.isNumeric() && target->isNumeric()) {
        const double r = correlation(column, *target);
        if (std::abs(r) >= 0.99) {
            std::string rounded = formatNumber(std::round(r * 1000.0) / 1000.0);
            flags.push_back({column.name(), "target_leak",
                             name + " is almost perfectly correlated with " + targetName + " (r = " + rounded +
                                 ") — it probably leaks the target; drop it from the features unless its value "
                                 "is really known before the outcome"});
        }
    }
}

} // namespace

std::string formatProfileValue(const ColumnProfile& profile, double value)
{
    return profile.kind == toString(ColumnKind::Datetime) ? formatDatetime(value) : formatNumber(value);
}

DataProfile profileTable(const Table& table, const std::optional<std::string>& target)
{
    const Column* targetColumn = target ? &table.column(*target) : nullptr;
    DataProfile profile;
    profile.rows = table.rowCount();
    // Columns are independent: one thread each (sorting and hashing dominate).
    const auto columns = static_cast<std::ptrdiff_t>(table.columnCount());
    profile.columns.resize(table.columnCount());
#pragma omp parallel for schedule(dynamic)
    for (std::ptrdiff_t index = 0; index < columns; ++index) {
        const Column& column = table.column(static_cast<std::size_t>(index));
        ColumnProfile& summary = profile.columns[static_cast<std::size_t>(index)];
        summary.name = column.name();
        summary.kind = toString(column.kind());
        summary.missing = column.missingCount();
        if (column.isNumeric())
            profileNumeric(column, summary);
        else
            profileCategorical(column, summary);
    }
    // A target with fewer than two values cannot be leaked (everything "determines" it).
    if (targetColumn) {
        const ColumnProfile& targetProfile = profile.columns[*table.indexOf(*target)];
        if (targetProfile.unique < 2) {
            flagColumn(table, *table.indexOf(*target), targetProfile, nullptr, profile.flags);
            targetColumn = nullptr;
        }
    }
    std::vector<std::vector<DataFlag>> flagsOf(table.columnCount());
#pragma omp parallel for schedule(dynamic)
    for (std::ptrdiff_t index = 0; index < columns; ++index) {
        const auto i = static_cast<std::size_t>(index);
        if (target && !targetColumn && table.column(i).name() == *target)
            continue;
        flagColumn(table, i, profile.columns[i], targetColumn, flagsOf[i]);
    }
    for (auto& flags : flagsOf)
        profile.flags.insert(profile.flags.end(), flags.begin(), flags.end());
    return profile;
}

} // namespace stepwise::data
