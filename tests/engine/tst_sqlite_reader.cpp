// SQLite reading: storage classes → kinds, tables and views, queries (read-only only),
// table choice, identifier quoting, missing markers, progress and cancel, and every kind
// of bad database. Fixtures: tests/reference/readers_fixtures.py.
#include <QtTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sqlite3.h>

#include "engine/test_timing.hpp"
#include "engine/reader_test_support.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/data/sqlite_reader.hpp"

using namespace stepwise;
using namespace stepwise::data;
using namespace readers_test;

namespace {

const std::vector<std::string> kDefaultMarkers = {"", "NA", "N/A", "NaN", "null", "?"};

Table read(const std::string& name, const std::string& table, const std::string& query = {},
           const std::vector<std::string>& markers = kDefaultMarkers)
{
    return readSqliteFile(fixture(name), table, query, markers);
}

void writeLargeDatabase(const std::string& path, int rows)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string sql = "CREATE TABLE t (i INTEGER, x REAL, s TEXT);"
                      "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ";
    sql.append(std::to_string(rows));
    sql.append(") INSERT INTO t SELECT k, k / 4.0, 'v' || (k % 3) FROM n;");
    QCOMPARE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

class CancelAt : public core::TaskObserver {
public:
    explicit CancelAt(double at) : m_at(at) {}
    core::TaskControl* control = nullptr;
    void onProgress(double fraction, const std::string&) override
    {
        if (fraction >= m_at)
            control->cancel();
    }

private:
    double m_at;
};

} // namespace

class TestSqliteReader : public QObject {
    Q_OBJECT
private slots:
    void listsTablesAndViews()
    {
        QCOMPARE(sqliteTableNames(fixture("shop.sqlite")),
                 (std::vector<std::string>{"adults", "files", "odd \"name\"", "people"}));
    }

    void storageClassesBecomeKinds()
    {
        const Table t = read("shop.sqlite", "people");
        QCOMPARE(t.columnNames(), (std::vector<std::string>{"id", "score", "name", "joined", "weight", "note"}));
        QCOMPARE(t.rowCount(), std::size_t(4));
        QCOMPARE(kindOf(t.column("id")), std::string("integer"));
        QVERIFY(numbersAre(t.column("id"), {1, 2, 3, 4}));
        QCOMPARE(kindOf(t.column("score")), std::string("numeric"));
        QVERIFY(numbersAre(t.column("score"), {1.5, kNaN, 3.25, 2}));
        // REAL values that happen to be whole stay numeric (pandas: float64).
        QCOMPARE(kindOf(t.column("weight")), std::string("numeric"));
        QVERIFY(numbersAre(t.column("weight"), {60, 55, 70, kNaN}));
        QCOMPARE(textsOf(t.column("name")), (std::vector<std::string>{"Ada", "Grace", "<missing>", "Ada"}));
        // TEXT is inferred like CSV text: these are dates.
        QCOMPARE(kindOf(t.column("joined")), std::string("datetime"));
        QVERIFY(numbersAre(t.column("joined"), {1709251200, 946598400, 0, kNaN}));
        // 'NA' and '' are missing markers; NULL is missing anyway.
        QCOMPARE(textsOf(t.column("note")), (std::vector<std::string>{"<missing>", "ok", "fine", "<missing>"}));
        const Table literal = read("shop.sqlite", "people", {}, {});
        QCOMPARE(textsOf(literal.column("note")), (std::vector<std::string>{"NA", "ok", "fine", ""}));
    }

    void readsViewsQuotedNamesAndTheOnlyTable()
    {
        const Table view = read("shop.sqlite", "adults");
        QVERIFY(numbersAre(view.column("id"), {2, 3, 4}));
        const Table odd = read("shop.sqlite", "odd \"name\"");
        QCOMPARE(textsOf(odd.column("y")), (std::vector<std::string>{"seven"}));
        // SQLite names are case-insensitive.
        QCOMPARE(read("shop.sqlite", "PEOPLE").rowCount(), std::size_t(4));
        const Table only = read("single.db", "");
        QCOMPARE(only.columnNames(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(only.rowCount(), std::size_t(2));
    }

    void readsQueries()
    {
        const Table t = read("shop.sqlite", "", "SELECT id * 2 AS twice, upper(name) AS shout, 1.0 * id AS real_id "
                                                "FROM people WHERE id <= 2 ORDER BY id DESC;");
        QCOMPARE(t.columnNames(), (std::vector<std::string>{"twice", "shout", "real_id"}));
        QVERIFY(numbersAre(t.column("twice"), {4, 2}));
        QCOMPARE(kindOf(t.column("twice")), std::string("integer"));
        QCOMPARE(textsOf(t.column("shout")), (std::vector<std::string>{"GRACE", "ADA"}));
        QCOMPARE(kindOf(t.column("real_id")), std::string("numeric"));
        // An empty result keeps its columns.
        const Table none = read("shop.sqlite", "", "SELECT id, name FROM people WHERE id > 100");
        QCOMPARE(none.columnCount(), std::size_t(2));
        QCOMPARE(none.rowCount(), std::size_t(0));
    }

    void refusesWritesAndBadQueries()
    {
        const std::string path = fixture("shop.sqlite");
        const auto before = std::filesystem::last_write_time(path);
        expectDataError([] { read("shop.sqlite", "", "DELETE FROM people"); }, {"only SELECT queries"});
        expectDataError([] { read("shop.sqlite", "", "SELECT 1; DROP TABLE people"); }, {"more than one statement"});
        expectDataError([] { read("shop.sqlite", "", "SELEC id FROM people"); }, {"cannot read the query", "SELEC"});
        expectDataError([] { read("shop.sqlite", "", "SELECT id, id FROM people"); },
                        {"result columns 1 and 2 are both named 'id'", "AS"});
        QCOMPARE(read("shop.sqlite", "people").rowCount(), std::size_t(4));
        QVERIFY(std::filesystem::last_write_time(path) == before);
    }

    void badDatabasesAndTablesAreDataErrors()
    {
        auto error = expectDataError([] { read("shop.sqlite", "person"); },
                                     {"no table 'person'", "'adults', 'files', 'odd \"name\"', 'people'"});
        QCOMPARE(error.location().source, fixture("shop.sqlite"));
        expectDataError([] { read("shop.sqlite", ""); }, {"4 tables", "--table", "'people'"});
        expectDataError([] { read("shop.sqlite", "files"); }, {"column 'content'", "BLOB", "row 1"});
        expectDataError([] { read("not_a_db.db", "t"); }, {"not an SQLite database"});
        expectDataError([] { sqliteTableNames(fixture("not_a_db.db")); }, {"not an SQLite database"});
        expectDataError([] { read("no_such.db", "t"); }, {"does not exist"});
        QTemporaryDir dir;
        const std::string empty = dir.filePath("empty.db").toStdString();
        std::ofstream(empty).close();
        expectDataError([&] { readSqliteFile(empty, "t", "", kDefaultMarkers); }, {"empty (0 bytes)"});
        // Reading never creates or changes a file.
        QCOMPARE(std::filesystem::file_size(empty), std::uintmax_t(0));
        QVERIFY(!std::filesystem::exists(fixture("no_such.db")));
    }

    void reportsProgressAndHonoursCancel()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("big.db").toStdString();
        writeLargeDatabase(path, 50000);
        ProgressRecorder recorder;
        core::TaskControl control(&recorder);
        const Table t = readSqliteFile(path, "t", "", kDefaultMarkers, &control);
        QCOMPARE(t.rowCount(), std::size_t(50000));
        QCOMPARE(t.column("x").values()[3], 1.0);
        QCOMPARE(textsOf(t.column("s"))[0], std::string("v1"));
        QVERIFY2(recorder.fractions.size() >= 10, std::to_string(recorder.fractions.size()).c_str());
        QCOMPARE(recorder.fractions.back(), 1.0);
        // Row progress follows COUNT(*): halfway through the rows is about halfway.
        QVERIFY(std::any_of(recorder.fractions.begin(), recorder.fractions.end(),
                            [](double f) { return f > 0.4 && f < 0.6; }));
        // The stage says how many rows of how many, and names the file, not its folder.
        QVERIFY(std::find(recorder.stages.begin(), recorder.stages.end(),
                          "Reading table 't' of big.db — 20 k of 50 k rows") != recorder.stages.end());
        QCOMPARE(recorder.stages.back(), std::string("Reading table 't' of big.db — 50 k of 50 k rows"));

        CancelAt cancelAt(0.3);
        core::TaskControl cancelling(&cancelAt);
        cancelAt.control = &cancelling;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, readSqliteFile(path, "t", "", kDefaultMarkers, &cancelling));
        // A query that works for minutes before its first row (a sorted cross join of
        // 2.5e9 rows) stops within a second of the cancel.
        core::TaskControl control3;
        std::exception_ptr thrown;
        const auto start = std::chrono::steady_clock::now();
        std::thread reader([&] {
            try {
                readSqliteFile(path, "", "SELECT a.i FROM t a, t b ORDER BY a.x * b.x + a.i LIMIT 1", kDefaultMarkers,
                               &control3);
            } catch (...) {
                thrown = std::current_exception();
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        control3.cancel();
        reader.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY(thrown);
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, std::rethrow_exception(thrown));
        QVERIFY2(seconds < 1.5 * test::timeScale(), std::to_string(seconds).c_str());
    }
};

QTEST_GUILESS_MAIN(TestSqliteReader)
#include "tst_sqlite_reader.moc"
