#pragma once
/// \file
/// \brief A column-typed table: the engine's in-memory data set.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/data/column.hpp"

namespace stepwise::data {

/// \brief Equal-length named columns. Cheap to move; copies copy the data.
class Table {
public:
    Table() = default;

    /// \brief Appends a column; throws `DataError` on a duplicate name or a length that
    /// differs from the other columns.
    void addColumn(Column column);
    /// \brief Replaces the column of the same name (same length), or throws `DataError`.
    void replaceColumn(Column column);

    std::size_t rowCount() const { return m_rows; }
    std::size_t columnCount() const { return m_columns.size(); }
    const Column& column(std::size_t index) const { return m_columns.at(index); }
    /// \brief The named column; throws `DataError` listing the columns it has.
    const Column& column(std::string_view name) const;
    /// \brief Index of the named column, if present.
    std::optional<std::size_t> indexOf(std::string_view name) const;
    bool hasColumn(std::string_view name) const { return indexOf(name).has_value(); }
    std::vector<std::string> columnNames() const;
    const std::vector<Column>& columns() const { return m_columns; }

    /// \brief Total missing values over all columns.
    std::size_t missingCount() const;
    /// \brief A table with only the given rows, in that order.
    Table selectRows(const std::vector<std::size_t>& rows) const;
    /// \brief A table without the named columns (names not present are ignored).
    Table withoutColumns(const std::vector<std::string>& names) const;
    /// \brief A table with only the named columns, in the given order; throws `DataError`
    /// for a name it does not have.
    Table selectColumns(const std::vector<std::string>& names) const;

private:
    std::vector<Column> m_columns;
    std::size_t m_rows = 0;
};

} // namespace stepwise::data
