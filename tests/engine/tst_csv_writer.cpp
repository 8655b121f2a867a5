// CSV writing: RFC 4180 quoting, exact write → read round trips, and atomic file
// replacement that leaves the old file alone on any failure.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/io/atomic_file.hpp"

using namespace stepwise;
using namespace stepwise::data;

namespace {

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::vector<std::string> filesIn(const QString& dir)
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.toStdString()))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// Same names, types, levels, codes, and bit-identical numbers (NaN equal to NaN).
void compareTables(const Table& actual, const Table& expected)
{
    QCOMPARE(actual.columnNames(), expected.columnNames());
    QCOMPARE(actual.rowCount(), expected.rowCount());
    for (std::size_t c = 0; c < expected.columnCount(); ++c) {
        const Column& a = actual.column(c);
        const Column& e = expected.column(c);
        QCOMPARE(a.type(), e.type());
        if (e.isNumeric()) {
            for (std::size_t row = 0; row < e.size(); ++row) {
                const double x = a.values()[row], y = e.values()[row];
                QVERIFY2((std::isnan(x) && std::isnan(y)) || std::memcmp(&x, &y, sizeof x) == 0,
                         (e.name() + " row " + std::to_string(row)).c_str());
            }
        } else {
            QCOMPARE(a.levels(), e.levels());
            QCOMPARE(a.codes(), e.codes());
        }
    }
}

Table roundTrip(const Table& table, char delimiter = ',')
{
    std::ostringstream out;
    writeCsv(table, out, delimiter);
    CsvOptions options;
    options.delimiter = delimiter;
    return parseCsv(out.str(), "round-trip", options);
}

Table trickyTable()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Table t;
    t.addColumn(Column::numeric("x", {0.1, -3, 1e-7, nan, 1.7976931348623157e308, 5e-324, -0.0, 123456789.125}));
    t.addColumn(Column::categorical(
        "text, with \"quotes\"", {0, 1, 2, 3, 4, 5, 6, 7},
        {"plain", "a,b", "say \"hi\"", "two\nlines", "crlf\r\nline", " padded ", "NA", "ünïcödé"}));
    t.addColumn(Column::categorical("mixed", {0, 1, 0, 2, -1, 1, 0, 0}, {"007", "1.0", "x"}));
    t.addColumn(Column::numeric("empty", std::vector<double>(8, nan)));
    return t;
}

} // namespace

class TestCsvWriter : public QObject {
    Q_OBJECT
private slots:
    void quotesOnlyWhenNeeded()
    {
        QCOMPARE(csvField("plain"), std::string("plain"));
        QCOMPARE(csvField("inner space"), std::string("inner space"));
        QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
        QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        QCOMPARE(csvField("two\nlines"), std::string("\"two\nlines\""));
        QCOMPARE(csvField("cr\r"), std::string("\"cr\r\""));
        QCOMPARE(csvField(" lead"), std::string("\" lead\""));
        QCOMPARE(csvField("NA"), std::string("\"NA\""));
        QCOMPARE(csvField("a,b", '\t'), std::string("a,b"));
        QCOMPARE(csvField("a\tb", '\t'), std::string("\"a\tb\""));
        QCOMPARE(csvField(""), std::string(""));
    }

    void writesHeaderRowsAndMissingAsEmpty()
    {
        Table t;
        t.addColumn(Column::numeric("n", {1, std::nan(""), 0.25}));
        t.addColumn(Column::categorical("c", {0, 1, -1}, {"a", "b,c"}));
        std::ostringstream out;
        writeCsv(t, out);
        QCOMPARE(out.str(), std::string("n,c\n1,a\n,\"b,c\"\n0.25,\n"));

        // With one column a missing value would be a blank line, which readers skip.
        Table single;
        single.addColumn(Column::numeric("v", {1, std::nan(""), 2}));
        std::ostringstream one;
        writeCsv(single, one);
        QCOMPARE(one.str(), std::string("v\n1\n\"\"\n2\n"));
        compareTables(roundTrip(single), single);
    }

    void roundTripIsExact()
    {
        const Table t = trickyTable();
        compareTables(roundTrip(t), t);
        compareTables(roundTrip(t, '\t'), t);
        compareTables(roundTrip(t, ';'), t);
    }

    void roundTripOfTitanic()
    {
        const Table titanic = readCsvFile(STEPWISE_DATASETS_DIR "/titanic.csv");
        compareTables(roundTrip(titanic), titanic);
    }

    void writeCsvFileUsesTabForTsv()
    {
        QTemporaryDir dir;
        const Table t = trickyTable();
        const std::string tsv = dir.filePath("out.tsv").toStdString();
        writeCsvFile(t, tsv);
        QVERIFY(readAll(tsv).find("x\t") == 0);
        compareTables(readCsvFile(tsv), t);
        const std::string csv = dir.filePath("out.csv").toStdString();
        writeCsvFile(t, csv);
        compareTables(readCsvFile(csv), t);
        QCOMPARE(filesIn(dir.path()), (std::vector<std::string>{"out.csv", "out.tsv"}));
    }

    void atomicWriteReplacesAndKeepsPermissions()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.bin").toStdString();
        writeText(path, "old");
        ::chmod(path.c_str(), 0640);
        io::writeFileAtomically(path, [](std::ostream& out) { out.write("new\0\r\n", 6); }, true);
        QCOMPARE(readAll(path), std::string("new\0\r\n", 6));
        struct stat info {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0640));
        QCOMPARE(filesIn(dir.path()), (std::vector<std::string>{"model.bin"}));
    }

    void failingCallbackLeavesOldFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("data.csv").toStdString();
        writeText(path, "a,b\n1,2\n");
        try {
            io::writeFileAtomically(path, [](std::ostream& out) {
                out << std::string(100000, 'x');
                throw core::Cancelled();
            });
            QFAIL("no exception");
        } catch (const core::Cancelled&) {
        }
        QCOMPARE(readAll(path), std::string("a,b\n1,2\n"));
        QCOMPARE(filesIn(dir.path()), (std::vector<std::string>{"data.csv"}));
    }

    void unwritableTargetsThrowNamingThePath()
    {
        QTemporaryDir dir;
        // The target is a folder: the rename fails, the folder stays.
        const std::string folder = dir.filePath("sub").toStdString();
        std::filesystem::create_directory(folder);
        writeText(folder + "/keep.txt", "keep");
        try {
            writeCsvFile(Table(), folder);
            QFAIL("no exception");
        } catch (const core::Error& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("cannot write " + folder) == 0, message.c_str());
            QVERIFY2(message.find("Is a directory") != std::string::npos, message.c_str());
        }
        QCOMPARE(readAll(folder + "/keep.txt"), std::string("keep"));
        QCOMPARE(filesIn(dir.path()), (std::vector<std::string>{"sub"}));

        // The folder does not exist.
        const std::string missing = dir.filePath("no/such/dir/out.csv").toStdString();
        try {
            writeCsvFile(Table(), missing);
            QFAIL("no exception");
        } catch (const core::Error& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("cannot write " + missing) == 0, message.c_str());
            QVERIFY2(message.find("No such file or directory") != std::string::npos, message.c_str());
        }
    }

    void readOnlyFolderLeavesOldFile()
    {
        if (::geteuid() == 0)
            QSKIP("root can write into read-only folders");
        QTemporaryDir dir;
        const std::string path = dir.filePath("data.csv").toStdString();
        writeText(path, "old");
        ::chmod(dir.path().toStdString().c_str(), 0555);
        bool threw = false;
        try {
            writeCsvFile(Table(), path);
        } catch (const core::Error& error) {
            threw = std::string(error.what()).find("cannot write " + path) == 0;
        }
        ::chmod(dir.path().toStdString().c_str(), 0755);
        QVERIFY(threw);
        QCOMPARE(readAll(path), std::string("old"));
    }
};

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "tst_csv_writer.moc"
