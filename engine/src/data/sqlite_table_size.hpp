#pragma once
// The size of an SQLite table or query result, known before reading it (for the load
// estimate).

#include <cstddef>
#include <cstdint>
#include <string>

namespace stepwise::data {

/// Rows and columns a read will produce.
struct SqliteTableSize {
    std::uint64_t rows = 0;   ///< COUNT(*) of a table; 0 for a view or query (counting would run it)
    std::size_t columns = 0;
    bool counted = false;     ///< whether `rows` was counted (a table) or is unknown (a view or query)
};

/// The size of `table` (or of the result of `query`), chosen as `readSqliteFile` chooses
/// it; throws `DataError` as it does.
SqliteTableSize sqliteTableSize(const std::string& path, const std::string& table, const std::string& query);

} // namespace stepwise::data
