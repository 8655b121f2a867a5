#include "stepwise/prep/row_checks.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>

#include "prep/fitted_columns.hpp"
#include "prep/outlier_bounds.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::prep {
namespace {

constexpr std::size_t kRowsPerReport = 65536;

/// Each column's values as 64-bit keys that are equal exactly when pandas calls the
/// values equal: NaN equals NaN, −0 equals 0, and categories compare by their text.
std::vector<std::vector<std::uint64_t>> rowKeys(const data::Table& table, const std::vector<std::string>& names)
{
    std::vector<std::vector<std::uint64_t>> keys;
    keys.reserve(names.size());
    for (const std::string& name : names) {
        const data::Column& column = table.column(name);
        std::vector<std::uint64_t> key(column.size());
        if (column.isNumeric()) {
            const std::uint64_t missing = std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN());
            for (std::size_t row = 0; row < key.size(); ++row) {
                const double value = column.values()[row];
                key[row] = std::isnan(value) ? missing : std::bit_cast<std::uint64_t>(value == 0.0 ? 0.0 : value);
            }
        } else {
            // Two levels with the same text are one value, so codes map to the first of them.
            const auto& levels = column.levels();
            std::unordered_map<std::string, std::uint64_t> firstCode;
            std::vector<std::uint64_t> canonical(levels.size());
            for (std::size_t level = 0; level < levels.size(); ++level)
                canonical[level] = firstCode.try_emplace(levels[level], level).first->second;
            for (std::size_t row = 0; row < key.size(); ++row) {
                const std::int32_t code = column.codes()[row];
                key[row] = code == data::Column::kMissingCode ? std::numeric_limits<std::uint64_t>::max()
                                                              : canonical[static_cast<std::size_t>(code)];
            }
        }
        keys.push_back(std::move(key));
    }
    return keys;
}

/// The value at quantile `q` of `values` (no NaN, reordered in place) with numpy's default
/// "linear" method, the interpolation written as numpy writes it so the results agree to
/// the last bit.
double linearQuantile(std::vector<double>& values, double q)
{
    const std::size_t count = values.size();
    const double position = static_cast<double>(count - 1) * q;
    const auto below = static_cast<std::size_t>(std::floor(position));
    if (below >= count - 1)
        return *std::max_element(values.begin(), values.end());
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(below), values.end());
    const double a = values[below];
    const double b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(below) + 1, values.end());
    const double gamma = position - static_cast<double>(below);
    const double difference = b - a;
    return gamma >= 0.5 ? b - difference * (1.0 - gamma) : a + difference * gamma;
}

/// The bounds of `rule` over the present values of `column`; NaN bounds when it has none.
std::pair<double, double> boundsOf(const data::Column& column, OutlierRule rule, double factor)
{
    std::vector<double> present;
    present.reserve(column.size());
    for (double value : column.values())
        if (!std::isnan(value))
            present.push_back(value);
    if (present.empty()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan};
    }
    if (rule == OutlierRule::Iqr) {
        const double q1 = linearQuantile(present, 0.25);
        const double q3 = linearQuantile(present, 0.75);
        const double iqr = q3 - q1;
        return {q1 - factor * iqr, q3 + factor * iqr};
    }
    // An infinity would make the mean and the spread infinite and both bounds NaN, so
    // nothing would count as an outlier; measured on the finite values, an infinity is
    // the outlier it is (the IQR rule, on quartiles, needs no such care).
    std::erase_if(present, [](double value) { return std::isinf(value); });
    if (present.empty()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan};
    }
    double sum = 0.0;
    for (double value : present)
        sum += value;
    const double mean = sum / static_cast<double>(present.size());
    double squares = 0.0;
    for (double value : present)
        squares += (value - mean) * (value - mean);
    // Population standard deviation (ddof = 0), as scipy.stats.zscore.
    const double deviation = std::sqrt(squares / static_cast<double>(present.size()));
    return {mean - factor * deviation, mean + factor * deviation};
}

} // namespace

DuplicateReport findDuplicates(const data::Table& table, const std::vector<std::string>& columns,
                               core::TaskControl& control)
{
    const std::vector<std::string> names = columnsInScope(table, columns, ColumnScope::Any, "duplicate check");
    const std::vector<std::vector<std::uint64_t>> keys = rowKeys(table, names);
    const auto hashRow = [&keys](std::size_t row) {
        std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
        for (const auto& key : keys) {
            hash ^= key[row] + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
        }
        return static_cast<std::size_t>(hash);
    };
    const auto sameRow = [&keys](std::size_t a, std::size_t b) {
        return std::all_of(keys.begin(), keys.end(), [a, b](const auto& key) { return key[a] == key[b]; });
    };
    std::unordered_map<std::size_t, std::size_t, decltype(hashRow), decltype(sameRow)> firstOf(
        table.rowCount(), hashRow, sameRow);

    DuplicateReport report;
    std::vector<bool> repeated(table.rowCount(), false);
    for (std::size_t row = 0; row < table.rowCount(); ++row) {
        if (row % kRowsPerReport == 0)
            control.progress(static_cast<double>(row) / static_cast<double>(table.rowCount()),
                             "looking for duplicate rows");
        const auto [it, inserted] = firstOf.try_emplace(row, row);
        if (inserted)
            continue;
        report.repeats.push_back(row);
        report.firstOccurrence.push_back(it->second);
        if (!repeated[it->second]) {
            repeated[it->second] = true;
            ++report.groups;
        }
    }
    control.progress(1.0);
    return report;
}

OutlierReport findOutliers(const data::Table& table, const std::vector<std::string>& columns, OutlierRule rule,
                           double factor, core::TaskControl& control)
{
    if (!(factor > 0.0) || !std::isfinite(factor)) {
        std::string message = "the outlier factor ";
        message.append(data::formatNumber(factor));
        message.append(" is not allowed — use a positive number, e.g. 1.5 for the IQR rule or 3 for z-scores");
        throw core::InvalidParameter(message);
    }
    std::vector<std::string> names = columnsInScope(table, columns, ColumnScope::Numeric, "outlier check");
    // Unasked, 0/1 flags are left alone: with few ones the quartiles (or a small standard
    // deviation) would make every 1 an "outlier" and clipping would erase the flag.
    if (columns.empty())
        std::erase_if(names, [&table](const std::string& name) {
            return table.column(name).kind() == data::ColumnKind::Boolean;
        });
    OutlierReport report;
    for (std::size_t index = 0; index < names.size(); ++index) {
        control.progress(0.8 * static_cast<double>(index) / static_cast<double>(names.size()),
                         "looking for outliers");
        const data::Column& column = table.column(names[index]);
        ColumnOutliers found;
        found.column = column.name();
        std::tie(found.lower, found.upper) = boundsOf(column, rule, factor);
        for (double value : column.values()) {
            if (value < found.lower)
                ++found.below;
            else if (value > found.upper)
                ++found.above;
        }
        report.columns.push_back(std::move(found));
    }
    const std::vector<bool> rows = rowsWithOutliers(table, report, control);
    report.rowsAffected = static_cast<std::size_t>(std::count(rows.begin(), rows.end(), true));
    control.progress(1.0);
    return report;
}

std::vector<bool> rowsWithOutliers(const data::Table& table, const OutlierReport& report, core::TaskControl& control)
{
    std::vector<bool> rows(table.rowCount(), false);
    for (const ColumnOutliers& bounds : report.columns) {
        control.checkCancelled();
        const std::vector<double>& values = table.column(bounds.column).values();
        for (std::size_t row = 0; row < values.size(); ++row)
            if (isOutside(values[row], bounds.lower, bounds.upper))
                rows[row] = true;
    }
    return rows;
}

std::string describeOutlierRule(OutlierRule rule, double factor)
{
    std::string text;
    if (rule == OutlierRule::Iqr) {
        text = "the IQR fences (";
        text.append(data::formatNumber(factor));
        text.append(" × IQR beyond the quartiles)");
    } else {
        text = "mean ± ";
        text.append(data::formatNumber(factor));
        text.append(" standard deviations");
    }
    return text;
}

} // namespace stepwise::prep
