#pragma once
/// \file
/// \brief Which table rows a view shows and in what order: stable sorting by one column
/// and substring filtering, as index vectors over an untouched table.

#include <cstdint>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::ui {

/// \brief Row numbers of a table (32 bits: a view shows at most 2³¹ rows).
using RowIndex = std::vector<std::uint32_t>;

/// \brief `rows` stably sorted by `column`: numbers by value, categories by their names
/// in natural order ("item 2" before "item 10", case-insensitive); missing values last
/// in both directions; equal values keep their order in `rows`. Checks `control` for
/// cancel while it sorts.
RowIndex sortRows(const data::Table& table, RowIndex rows, std::size_t column, bool descending,
                  core::TaskControl& control);

/// \brief The rows, in table order, whose display text (`Column::textAt`) contains
/// `needle` ignoring ASCII case, in `column` or, with `column < 0`, in any column. An
/// empty needle keeps every row. Reports progress per column.
RowIndex filterRows(const data::Table& table, const std::string& needle, int column, core::TaskControl& control);

} // namespace stepwise::ui
