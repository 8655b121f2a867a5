#include "stepwise/data/column.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <unordered_map>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"

namespace stepwise::data {

const char* toString(ColumnType type) { return type == ColumnType::Numeric ? "numeric" : "categorical"; }

namespace {
constexpr std::array<std::pair<ColumnKind, const char*>, 6> kKindNames = {{
    {ColumnKind::Numeric, "numeric"},
    {ColumnKind::Integer, "integer"},
    {ColumnKind::Boolean, "boolean"},
    {ColumnKind::Datetime, "datetime"},
    {ColumnKind::Categorical, "categorical"},
    {ColumnKind::Text, "text"},
}};
} // namespace

const char* toString(ColumnKind kind)
{
    for (const auto& [k, name] : kKindNames)
        if (k == kind)
            return name;
    return "numeric";
}

std::optional<ColumnKind> columnKindFromString(std::string_view text)
{
    for (const auto& [k, name] : kKindNames)
        if (text == name)
            return k;
    return std::nullopt;
}

ColumnType storageOf(ColumnKind kind)
{
    return kind == ColumnKind::Categorical || kind == ColumnKind::Text ? ColumnType::Categorical
                                                                        : ColumnType::Numeric;
}

std::string formatNumber(double value)
{
    if (std::isnan(value))
        return {};
    std::array<char, 32> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), ec == std::errc() ? end : buffer.data());
}

Column Column::numeric(std::string name, std::vector<double> values, ColumnKind kind)
{
    if (storageOf(kind) != ColumnType::Numeric)
        throw std::invalid_argument(std::string("Column::numeric: kind '") + toString(kind) +
                                    "' is not stored as numbers");
    Column column;
    column.m_kind = kind;
    column.m_name = std::move(name);
    column.m_type = ColumnType::Numeric;
    column.m_values = std::move(values);
    return column;
}

Column Column::categorical(std::string name, std::vector<std::int32_t> codes, std::vector<std::string> levels,
                           ColumnKind kind)
{
    if (storageOf(kind) != ColumnType::Categorical)
        throw std::invalid_argument(std::string("Column::categorical: kind '") + toString(kind) +
                                    "' is not stored as categories");
    for (std::int32_t code : codes)
        if (code < kMissingCode || code >= static_cast<std::int32_t>(levels.size()))
            throw core::DataError("column '" + name + "': category code " + std::to_string(code) +
                                  " has no level");
    Column column;
    column.m_name = std::move(name);
    column.m_type = ColumnType::Categorical;
    column.m_kind = kind;
    column.m_codes = std::move(codes);
    column.m_levels = std::move(levels);
    return column;
}

Column Column::categoricalFromText(std::string name, const std::vector<std::string>& values,
                                   const std::vector<bool>& missing)
{
    std::vector<std::int32_t> codes(values.size(), kMissingCode);
    std::vector<std::string> levels;
    std::unordered_map<std::string, std::int32_t> codeOf;
    for (std::size_t row = 0; row < values.size(); ++row) {
        if (row < missing.size() && missing[row])
            continue;
        auto [it, inserted] = codeOf.try_emplace(values[row], static_cast<std::int32_t>(levels.size()));
        if (inserted)
            levels.push_back(values[row]);
        codes[row] = it->second;
    }
    return categorical(std::move(name), std::move(codes), std::move(levels));
}

std::size_t Column::size() const { return isNumeric() ? m_values.size() : m_codes.size(); }

bool Column::isMissing(std::size_t row) const
{
    return isNumeric() ? std::isnan(m_values[row]) : m_codes[row] == kMissingCode;
}

std::size_t Column::missingCount() const
{
    if (isNumeric())
        return static_cast<std::size_t>(
            std::count_if(m_values.begin(), m_values.end(), [](double v) { return std::isnan(v); }));
    return static_cast<std::size_t>(std::count(m_codes.begin(), m_codes.end(), kMissingCode));
}

std::string Column::textAt(std::size_t row) const
{
    if (isNumeric()) {
        const double value = m_values[row];
        if (std::isnan(value))
            return {};
        if (m_kind == ColumnKind::Boolean)
            return value != 0.0 ? "True" : "False";
        if (m_kind == ColumnKind::Datetime)
            return formatDatetime(value);
        return formatNumber(value);
    }
    const std::int32_t code = m_codes[row];
    return code == kMissingCode ? std::string() : m_levels[static_cast<std::size_t>(code)];
}

Column Column::selectRows(const std::vector<std::size_t>& rows) const
{
    Column result;
    result.m_name = m_name;
    result.m_type = m_type;
    result.m_kind = m_kind;
    result.m_levels = m_levels;
    if (isNumeric()) {
        result.m_values.reserve(rows.size());
        for (std::size_t row : rows)
            result.m_values.push_back(m_values.at(row));
    } else {
        result.m_codes.reserve(rows.size());
        for (std::size_t row : rows)
            result.m_codes.push_back(m_codes.at(row));
    }
    return result;
}

Column Column::renamed(std::string name) const
{
    Column result = *this;
    result.m_name = std::move(name);
    return result;
}

Column Column::asCategorical() const
{
    if (isCategorical())
        return *this;
    std::vector<std::string> texts(m_values.size());
    std::vector<bool> missing(m_values.size());
    for (std::size_t row = 0; row < m_values.size(); ++row) {
        missing[row] = std::isnan(m_values[row]);
        texts[row] = textAt(row);
    }
    return categoricalFromText(m_name, texts, missing);
}

} // namespace stepwise::data
