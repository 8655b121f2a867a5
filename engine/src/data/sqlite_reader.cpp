#include "stepwise/data/sqlite_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <unordered_map>

#include <sqlite3.h>

#include "data/read_progress.hpp"
#include "data/sqlite_table_size.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"

#include "data/quoting.hpp"

namespace stepwise::data {
namespace {

// Rows between progress reports, and virtual-machine steps between cancel checks while
// one step runs long (a sort or a join before the first row).
constexpr std::size_t kRowsPerReport = 4096;
constexpr int kOpsPerCancelCheck = 100000;

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw core::DataError(problem, {path, 0, 0});
}

// "name" with inner quotes doubled: any table name is safe inside SQL.
std::string quoteIdentifier(const std::string& name)
{
    std::string quoted = "\"";
    for (char c : name) {
        quoted.push_back(c);
        if (c == '"')
            quoted.push_back('"');
    }
    quoted.push_back('"');
    return quoted;
}

struct DatabaseCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

class Database {
public:
    explicit Database(const std::string& path) : m_path(path)
    {
        std::error_code error;
        const auto status = std::filesystem::status(path, error);
        if (error || !std::filesystem::exists(status))
            fail(path, "cannot open the file: it does not exist — check the path");
        if (std::filesystem::is_directory(status))
            fail(path, "is a directory, not an SQLite database — give the path of the database file");
        // SQLite would treat an empty file as a new, empty database.
        if (std::filesystem::file_size(path, error) == 0 && !error)
            fail(path, "the file is empty (0 bytes), not an SQLite database — check that it is the right file");
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
        m_db.reset(db);
        if (rc != SQLITE_OK)
            fail(path, std::string("cannot open the database: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
                           " — check the file and its permissions");
        sqlite3_extended_result_codes(db, 1);
        // The file may come from anywhere: no schema-defined functions with side
        // effects, and SQLite's guards against deliberately corrupted databases.
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    }

    sqlite3* handle() const { return m_db.get(); }
    const std::string& path() const { return m_path; }

    /// Prepares one statement; errors name `what` ("the query", "table 'x'").
    Statement prepare(const std::string& sql, const std::string& what, bool userQuery = false) const
    {
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v2(handle(), sql.c_str(), static_cast<int>(sql.size()), &raw, &tail);
        Statement statement(raw);
        if (rc != SQLITE_OK)
            throwError(rc, what);
        if (!statement)
            fail(m_path, what + " is empty — write a SELECT statement");
        if (userQuery && tail != nullptr && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos)
            fail(m_path, what + " holds more than one statement — give a single SELECT");
        return statement;
    }

    [[noreturn]] void throwError(int rc, const std::string& what) const
    {
        const int primary = rc & 0xFF;
        if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
            fail(m_path, "is not an SQLite database, or it is damaged (" + std::string(sqlite3_errstr(rc)) +
                             ") — check that it is the right file");
        if (primary == SQLITE_INTERRUPT)
            throw core::Cancelled();
        fail(m_path, "cannot read " + what + ": " + sqlite3_errmsg(handle()) + " — check the table name or query");
    }

    std::vector<std::string> tableNames() const
    {
        const Statement statement = prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND "
                                            "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                                            "the list of tables");
        std::vector<std::string> names;
        int rc = 0;
        while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW)
            if (const unsigned char* name = sqlite3_column_text(statement.get(), 0))  // NULL in a damaged schema
                names.emplace_back(reinterpret_cast<const char*>(name));
        if (rc != SQLITE_DONE)
            throwError(rc, "the list of tables");
        return names;
    }

    /// True for a view: counting its rows would run its query, so it is not counted.
    bool isView(const std::string& name) const
    {
        const Statement statement =
            prepare("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?1", "the list of tables");
        sqlite3_bind_text(statement.get(), 1, name.c_str(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
        const int rc = sqlite3_step(statement.get());
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            throwError(rc, "the list of tables");
        return rc == SQLITE_ROW;
    }

    /// The table to read when the caller named none, or checks that `table` exists.
    std::string chooseTable(const std::string& table) const
    {
        const std::vector<std::string> names = tableNames();
        if (table.empty()) {
            if (names.size() == 1)
                return names.front();
            if (names.empty())
                fail(m_path, "the database has no tables — check that it is the right file");
            fail(m_path, "the database has " + std::to_string(names.size()) +
                             " tables — choose one with --table: " + joinQuoted(names));
        }
        if (std::find(names.begin(), names.end(), table) == names.end()) {
            // SQLite matches names case-insensitively; accept that too.
            for (const auto& name : names)
                if (sqlite3_stricmp(name.c_str(), table.c_str()) == 0)
                    return name;
            fail(m_path, "the database has no table " + inQuotes(table) + " — its tables are: " +
                             (names.empty() ? std::string("(none)") : joinQuoted(names)));
        }
        return table;
    }

private:
    std::string m_path;
    std::unique_ptr<sqlite3, DatabaseCloser> m_db;
};

int onProgress(void* control)
{
    return static_cast<core::TaskControl*>(control)->isCancelled() ? 1 : 0;
}

std::uint64_t countRows(const Database& db, const std::string& table)
{
    const Statement statement = db.prepare("SELECT COUNT(*) FROM " + quoteIdentifier(table), "table " + inQuotes(table));
    const int rc = sqlite3_step(statement.get());
    if (rc != SQLITE_ROW)
        db.throwError(rc, "table " + inQuotes(table));
    return static_cast<std::uint64_t>(std::max<sqlite3_int64>(0, sqlite3_column_int64(statement.get(), 0)));
}

std::vector<std::string> headerNames(const Database& db, sqlite3_stmt* statement)
{
    const int count = sqlite3_column_count(statement);
    std::vector<std::string> names;
    std::unordered_map<std::string, int> seen;
    for (int i = 0; i < count; ++i) {
        const char* name = sqlite3_column_name(statement, i);
        names.emplace_back(name != nullptr && *name != '\0' ? name : "column_" + std::to_string(i + 1));
        const auto [it, inserted] = seen.emplace(names.back(), i);
        if (!inserted)
            fail(db.path(), "result columns " + std::to_string(it->second + 1) + " and " + std::to_string(i + 1) +
                                " are both named " + inQuotes(names.back()) +
                                " — column names must be unique; rename one with AS");
    }
    return names;
}

} // namespace

std::vector<std::string> sqliteTableNames(const std::string& path)
{
    return Database(path).tableNames();
}

Table readSqliteFile(const std::string& path, const std::string& table, const std::string& query,
                     const std::vector<std::string>& missingMarkers, core::TaskControl* control)
{
    const Database db(path);
    std::string what;
    std::string sql;
    std::uint64_t expectedRows = 0;
    if (!query.empty()) {
        what = "the query";
        sql = query;
    } else {
        const std::string name = db.chooseTable(table);
        what = "table " + inQuotes(name);
        sql = "SELECT * FROM " + quoteIdentifier(name);
        expectedRows = db.isView(name) ? 0 : countRows(db, name);
    }
    // "Reading table 'people' of shop.db — 12 k of 40 k rows" (a view or query has no
    // count before it has run).
    std::string stage = "Reading ";
    stage.append(query.empty() ? what : std::string("the query result")).append(" of ").append(progressName(path));
    stage.append(" — ");
    const auto stageAt = [&stage, expectedRows](std::uint64_t rows) {
        return stage + (expectedRows > 0 ? progressRowsOf(rows, expectedRows) : progressRows(rows));
    };
    if (control) {
        control->progress(0.0, stageAt(0));
        sqlite3_progress_handler(db.handle(), kOpsPerCancelCheck, &onProgress, control);
    }

    const Statement statement = db.prepare(sql, what, !query.empty());
    if (!query.empty() && !sqlite3_stmt_readonly(statement.get()))
        fail(path, "only SELECT queries are allowed — the query would change the database");
    const int columnCount = sqlite3_column_count(statement.get());
    if (columnCount == 0)
        fail(path, what + " returns no columns — write a SELECT statement");
    const std::vector<std::string> names = headerNames(db, statement.get());
    std::vector<CellColumnBuilder> builders;
    builders.reserve(names.size());
    for (const auto& name : names)
        builders.emplace_back(name);

    std::size_t rows = 0;
    int rc = 0;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        for (int i = 0; i < columnCount; ++i) {
            CellColumnBuilder& builder = builders[static_cast<std::size_t>(i)];
            switch (sqlite3_column_type(statement.get(), i)) {
            case SQLITE_INTEGER:
                builder.addNumber(static_cast<double>(sqlite3_column_int64(statement.get(), i)), true);
                break;
            case SQLITE_FLOAT:
                builder.addNumber(sqlite3_column_double(statement.get(), i), false);
                break;
            case SQLITE_TEXT: {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), i));
                const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement.get(), i));
                const std::string_view value(text, size);
                if (std::find(missingMarkers.begin(), missingMarkers.end(), value) != missingMarkers.end())
                    builder.addMissing();
                else
                    builder.addText(value);
                break;
            }
            case SQLITE_NULL:
                builder.addMissing();
                break;
            default:
                fail(path, "column " + inQuotes(names[static_cast<std::size_t>(i)]) + " of " + what +
                               " holds binary data (BLOB) in row " + std::to_string(rows + 1) +
                               " — leave it out of the query, or CAST it to TEXT");
            }
        }
        ++rows;
        if (control && rows % kRowsPerReport == 0) {
            const double fraction =
                expectedRows > 0 ? std::min(1.0, static_cast<double>(rows) / static_cast<double>(expectedRows)) : 0.0;
            control->progress(0.95 * fraction, stageAt(rows));
        }
    }
    if (rc != SQLITE_DONE)
        db.throwError(rc, what);

    Table result;
    for (auto& builder : builders)
        result.addColumn(builder.finish());
    if (control)
        control->progress(1.0, stageAt(rows));
    return result;
}

SqliteTableSize sqliteTableSize(const std::string& path, const std::string& table, const std::string& query)
{
    const Database db(path);
    SqliteTableSize size;
    if (!query.empty()) {
        const Statement statement = db.prepare(query, "the query", true);
        size.columns = static_cast<std::size_t>(sqlite3_column_count(statement.get()));
        return size;
    }
    const std::string name = db.chooseTable(table);
    const Statement statement = db.prepare("SELECT * FROM " + quoteIdentifier(name), "table " + inQuotes(name));
    size.columns = static_cast<std::size_t>(sqlite3_column_count(statement.get()));
    size.counted = !db.isView(name);
    size.rows = size.counted ? countRows(db, name) : 0;
    return size;
}

} // namespace stepwise::data
