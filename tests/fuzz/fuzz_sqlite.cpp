// libFuzzer target: SQLite input, two ways by the input's start:
//  - "SQLite format 3": a database file — what Stepwise does with whatever tables,
//    column types and values a (possibly corrupt) database holds;
//  - anything else: the text of a query (the --query / data page's SQL box) run against
//    a small database made here with every column kind (integer, real, text, dates,
//    missing markers, a BLOB) and a view: statement checks (one read-only statement),
//    result typing and errors. A query that runs on is cancelled after a second, as a
//    user would (the reader's cancel path).
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <sqlite3.h>

#include "fuzz_target.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/sqlite_reader.hpp"

namespace {

const std::string& queryDatabase()
{
    static const std::string path = [] {
        std::string name = "/tmp/stepwise-fuzz-query-XXXXXX.sqlite";
        const int fd = mkstemps(name.data(), 7);
        if (fd < 0)
            std::abort();
        ::close(fd);
        sqlite3* db = nullptr;
        if (sqlite3_open(name.c_str(), &db) != SQLITE_OK)
            std::abort();
        const char* schema =
            "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, height REAL, born TEXT, city TEXT, photo BLOB);"
            "INSERT INTO people VALUES (1, 'Ada', 1.65, '1815-12-10', 'London', NULL),"
            " (2, 'Alan', 1.78, '1912-06-23', 'NA', NULL), (3, NULL, NULL, '', 'Wilmslow', x'00ff'),"
            " (4, 'Grace', 1.6e0, '1906-12-09T00:00:00', 'New York', NULL), (5, '42', -0.0, 'not a date', '', NULL);"
            "CREATE TABLE sales(person INTEGER, amount REAL, note TEXT);"
            "INSERT INTO sales VALUES (1, 10.5, 'first'), (1, 3, NULL), (2, 1e308, 'big'), (4, -7, '1,5');"
            "CREATE VIEW totals AS SELECT person, SUM(amount) AS total FROM sales GROUP BY person;";
        if (sqlite3_exec(db, schema, nullptr, nullptr, nullptr) != SQLITE_OK)
            std::abort();
        sqlite3_close(db);
        std::atexit([] { ::unlink(queryDatabase().c_str()); });
        return name;
    }();
    return path;
}

// Cancels `control` after `limit` unless stopped first.
class Watchdog {
public:
    Watchdog(stepwise::core::TaskControl& control, std::chrono::milliseconds limit)
        : m_thread([this, &control, limit] {
              std::unique_lock lock(m_mutex);
              if (!m_done.wait_for(lock, limit, [this] { return m_stopped; }))
                  control.cancel();
          })
    {
    }
    ~Watchdog()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stopped = true;
        }
        m_done.notify_one();
        m_thread.join();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    std::mutex m_mutex;
    std::condition_variable m_done;
    bool m_stopped = false;
    std::thread m_thread;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (input.substr(0, 15) != "SQLite format 3") {
        const std::string query(input);
        core::TaskControl control;
        const Watchdog watchdog(control, std::chrono::milliseconds(1000));
        fuzz::expectCleanOutcome([&] { data::readSqliteFile(queryDatabase(), "", query, {"", "NA"}, &control); });
        return 0;
    }
    const fuzz::TemporaryFile file(data, size, ".sqlite");
    fuzz::expectCleanOutcome([&] {
        for (const auto& table : data::sqliteTableNames(file.path()))
            data::readSqliteFile(file.path(), table, {}, {"", "NA"});
    });
    return 0;
}
