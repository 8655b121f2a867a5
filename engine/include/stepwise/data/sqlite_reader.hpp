#pragma once
/// \file
/// \brief SQLite reading (libsqlite3, opened read-only): a whole table or the result of
/// a query. INTEGER/REAL values are numbers, TEXT is inferred like CSV text, NULL is
/// missing; BLOB columns are refused with a clear error.

#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief User tables and views, sorted by name. Throws `DataError` for a file that is
/// not an SQLite database.
std::vector<std::string> sqliteTableNames(const std::string& path);

/// \brief Reads `table` (quoted as an identifier), or, when `query` is not empty, the
/// rows of that single read-only statement. With both empty, the only table of a
/// one-table database; otherwise `DataError` listing the tables. TEXT values equal to
/// one of `missingMarkers` are missing, as in CSV.
Table readSqliteFile(const std::string& path, const std::string& table, const std::string& query,
                     const std::vector<std::string>& missingMarkers, core::TaskControl* control = nullptr);

} // namespace stepwise::data
