#include "stepwise/data/table.hpp"

#include <algorithm>

#include "stepwise/core/errors.hpp"

namespace stepwise::data {

void Table::addColumn(Column column)
{
    if (hasColumn(column.name()))
        throw core::DataError("the table already has a column named '" + column.name() +
                              "' — column names must be unique");
    if (!m_columns.empty() && column.size() != m_rows)
        throw core::DataError("column '" + column.name() + "' has " + std::to_string(column.size()) +
                              " rows, the table has " + std::to_string(m_rows));
    m_rows = column.size();
    m_columns.push_back(std::move(column));
}

void Table::replaceColumn(Column column)
{
    auto index = indexOf(column.name());
    if (!index)
        throw core::DataError("the table has no column named '" + column.name() + "'");
    if (column.size() != m_rows)
        throw core::DataError("column '" + column.name() + "' has " + std::to_string(column.size()) +
                              " rows, the table has " + std::to_string(m_rows));
    m_columns[*index] = std::move(column);
}

const Column& Table::column(std::string_view name) const
{
    if (auto index = indexOf(name))
        return m_columns[*index];
    std::string names;
    for (const auto& column : m_columns)
        names += (names.empty() ? "" : ", ") + column.name();
    throw core::DataError("there is no column named '" + std::string(name) + "' — the columns are: " + names);
}

std::optional<std::size_t> Table::indexOf(std::string_view name) const
{
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].name() == name)
            return i;
    return std::nullopt;
}

std::vector<std::string> Table::columnNames() const
{
    std::vector<std::string> names;
    names.reserve(m_columns.size());
    for (const auto& column : m_columns)
        names.push_back(column.name());
    return names;
}

std::size_t Table::missingCount() const
{
    std::size_t total = 0;
    for (const auto& column : m_columns)
        total += column.missingCount();
    return total;
}

Table Table::selectRows(const std::vector<std::size_t>& rows) const
{
    Table result;
    for (const auto& column : m_columns)
        result.addColumn(column.selectRows(rows));
    result.m_rows = rows.size();
    return result;
}

Table Table::withoutColumns(const std::vector<std::string>& names) const
{
    Table result;
    for (const auto& column : m_columns)
        if (std::find(names.begin(), names.end(), column.name()) == names.end())
            result.addColumn(column);
    result.m_rows = m_rows;
    return result;
}

Table Table::selectColumns(const std::vector<std::string>& names) const
{
    Table result;
    for (const auto& name : names)
        result.addColumn(column(name));
    result.m_rows = m_rows;
    return result;
}

} // namespace stepwise::data
