// CSV reading: quoting, line endings, BOM, encodings, delimiter sniffing, missing markers,
// decimal and thousands separators, type inference, TSV, progress and cancel, the exact
// line/column of every kind of malformed input, and parallel chunked reads giving exactly
// the serial result.
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/core/threads.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/synthetic.hpp"

#include "data/csv_chunking.hpp"

using namespace stepwise;
using namespace stepwise::data;

namespace {

Table parse(std::string_view text, const CsvOptions& options = {})
{
    return parseCsv(text, "test.csv", options);
}

/// Parses `text`, expecting a DataError at (line, column) whose message contains every
/// one of `words`.
void expectError(std::string_view text, std::size_t line, std::size_t column, const std::vector<std::string>& words)
{
    try {
        parse(text);
    } catch (const core::DataError& error) {
        const std::string message = error.what();
        QVERIFY2(error.location().source == "test.csv", message.c_str());
        QVERIFY2(error.location().line == line,
                 (message + " (expected line " + std::to_string(line) + ")").c_str());
        QVERIFY2(error.location().column == column,
                 (message + " (expected column " + std::to_string(column) + ")").c_str());
        for (const auto& word : words)
            QVERIFY2(message.find(word) != std::string::npos, (message + " (expected '" + word + "')").c_str());
        return;
    }
    QFAIL("no DataError thrown");
}

void writeFile(const QString& path, std::string_view text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

struct RecordingObserver : core::TaskObserver {
    std::vector<double> fractions;
    std::vector<std::string> stages;
    void onProgress(double fraction, const std::string& stage) override
    {
        fractions.push_back(fraction);
        stages.push_back(stage);
    }
};

/// The kind's name: QCOMPARE would hand toString(ColumnKind)'s static text to delete[].
std::string kindOf(const Column& column) { return toString(column.kind()); }

/// Chunk size and thread count for one read, restored afterwards.
class ReadSettings {
public:
    ReadSettings(std::size_t chunkBytes, int threads) : m_threads(core::threadCount())
    {
        csv_chunking::setChunkBytes(chunkBytes);
        core::setThreadCount(threads);
    }
    ~ReadSettings()
    {
        csv_chunking::setChunkBytes(0);
        csv_chunking::setBufferLimit(0);
        csv_chunking::setAvailableMemory(0);
        core::setThreadCount(m_threads);
    }
    ReadSettings(const ReadSettings&) = delete;
    ReadSettings& operator=(const ReadSettings&) = delete;

private:
    int m_threads;
};

/// The whole text as one chunk on one thread: the serial parse.
Table parseSerially(std::string_view text, const CsvOptions& options = {})
{
    const ReadSettings serial(std::size_t(1) << 30, 1);
    return parse(text, options);
}

/// Identical tables: names, kinds, numbers bit for bit (NaN = NaN), codes and levels.
void compareTables(const Table& actual, const Table& expected)
{
    QCOMPARE(actual.columnNames(), expected.columnNames());
    QCOMPARE(actual.rowCount(), expected.rowCount());
    for (std::size_t i = 0; i < expected.columnCount(); ++i) {
        const Column& a = actual.column(i);
        const Column& e = expected.column(i);
        QVERIFY2(a.kind() == e.kind(), (e.name() + ": " + toString(a.kind()) + " vs " + toString(e.kind())).c_str());
        if (e.isNumeric()) {
            QCOMPARE(a.values().size(), e.values().size());
            QVERIFY2(std::memcmp(a.values().data(), e.values().data(), e.values().size() * sizeof(double)) == 0,
                     e.name().c_str());
        } else {
            QCOMPARE(a.levels(), e.levels());
            QCOMPARE(a.codes(), e.codes());
        }
    }
}

/// The DataError `text` gives, or an empty message when it parses.
std::string errorOf(std::string_view text, const CsvOptions& options = {})
{
    try {
        parse(text, options);
    } catch (const core::DataError& error) {
        return error.what();
    }
    return {};
}

/// A messy CSV of `rows` records: numbers in every syntax, missing markers, quoted text
/// with delimiters, doubled quotes and line breaks, CRLF on some lines, blank lines, a
/// column that turns to text late (every earlier chunk must then be re-read for its
/// original texts), one that turns from integers to decimals late, and a sparse text one.
std::string messyCsv(std::size_t rows)
{
    std::mt19937_64 random(20240301);
    std::string text = "id,x,name,code,late,flag,sparse\n";
    char number[64];
    for (std::size_t row = 0; row < rows; ++row) {
        const char* end = row % 3 == 0 ? "\r\n" : "\n";
        text.append(std::to_string(row)).push_back(',');
        switch (random() % 7) {
        case 0: text.append("NA"); break;
        case 1: text.append(std::to_string(random() % 1000)); break;
        case 2: text.append("-1.5e").append(std::to_string(random() % 5)); break;
        case 3: text.append("\"").append(std::to_string(random() % 77)).append("\""); break;
        case 4: text.append(" .25 "); break;
        case 5: text.append(""); break;
        default:
            std::snprintf(number, sizeof number, "%.6f", static_cast<double>(random() % 2000000) / 1000.0 - 1000.0);
            text.append(number);
        }
        text.push_back(',');
        switch (random() % 6) {
        case 0: text.append("\"Smith, J\""); break;
        case 1: text.append("\"two\nlines ").append(std::to_string(random() % 40)).append("\""); break;
        case 2: text.append("\"say \"\"hi\"\"\r\nthen\""); break;
        case 3: text.append("plain ").append(std::to_string(random() % 25)); break;
        case 4: text.append("\"\""); break;
        default: text.append("N/A");
        }
        text.push_back(',');
        if (row > rows * 7 / 10 && random() % 40 == 0)
            text.append("A").append(std::to_string(random() % 9));
        else
            text.append(random() % 2 == 0 ? "007" : std::to_string(random() % 100));
        text.push_back(',');
        text.append(row == rows * 9 / 10 ? "2.5" : std::to_string(random() % 50));
        text.push_back(',');
        text.append(random() % 2 == 0 ? "True" : "False");
        text.push_back(',');
        if (random() % 30 == 0)
            text.append("\"note ").append(std::to_string(random() % 3)).append("\"");
        text.append(end);
        if (random() % 400 == 0)
            text.append(end);
    }
    return text;
}

/// Cancels its task at the third progress report.
struct CancellingObserver : core::TaskObserver {
    core::TaskControl* control = nullptr;
    int reports = 0;
    void onProgress(double, const std::string&) override
    {
        if (++reports == 3)
            control->cancel();
    }
};

} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT
private slots:
    void infersNumericAndCategoricalColumns()
    {
        const Table t = parse("a,b,c\n1,2.5,x\n3,-4e2,y\n-0.5,+7,x\n");
        QCOMPARE(t.rowCount(), std::size_t(3));
        QCOMPARE(t.columnNames(), (std::vector<std::string>{"a", "b", "c"}));
        QVERIFY(t.column("a").isNumeric());
        QCOMPARE(t.column("a").values(), (std::vector<double>{1, 3, -0.5}));
        QCOMPARE(t.column("b").values(), (std::vector<double>{2.5, -400, 7}));
        QVERIFY(t.column("c").isCategorical());
        QCOMPARE(t.column("c").levels(), (std::vector<std::string>{"x", "y"}));
        QCOMPARE(t.column("c").codes(), (std::vector<std::int32_t>{0, 1, 0}));
    }

    void numberSyntax()
    {
        const Table t = parse("n\n.5\n5.\n+1e3\n-1.25E-2\n 42 \n\"3\"\n");
        QVERIFY(t.column("n").isNumeric());
        QCOMPARE(t.column("n").values(), (std::vector<double>{0.5, 5, 1000, -0.0125, 42, 3}));
        // inf / nan / hex / thousands separators are text, so these columns are categorical.
        for (const char* text : {"v\n1\ninf\n", "v\n1\n-inf\n", "v\n1\nnan\n", "v\n1\nInfinity\n", "v\n1\n0x10\n",
                                 "v\n1\n\"1,000\"\n", "v\n1\n1e\n", "v\n1\n--1\n", "v\n1\n+-1\n", "v\n1\n1 2\n"})
            QVERIFY2(parse(text).column("v").isCategorical(), text);
    }

    void columnTurningCategoricalKeepsOriginalTexts()
    {
        const Table t = parse("v\n007\n1.0\n\nabc\n007\n");
        const Column& v = t.column("v");
        QVERIFY(v.isCategorical());
        QCOMPARE(v.levels(), (std::vector<std::string>{"007", "1.0", "abc"}));
        QCOMPARE(v.codes(), (std::vector<std::int32_t>{0, 1, 2, 0}));
        // A missing value before the switch stays missing.
        const Table u = parse("v,w\n1,a\nNA,b\nx,c\n");
        QCOMPARE(u.column("v").codes(), (std::vector<std::int32_t>{0, -1, 1}));
        QCOMPARE(u.column("v").levels(), (std::vector<std::string>{"1", "x"}));
    }

    void quotedFields()
    {
        const std::string text = "name,note,n\n"
                                 "\"Smith, J\",\"said \"\"hi\"\"\nthen left\",1\n"
                                 "\"plain\",\"\"\"\",\"2\"\n"
                                 "  \"spaced\"  ,x,3\n";
        const Table t = parse(text);
        QCOMPARE(t.rowCount(), std::size_t(3));
        QCOMPARE(t.column("name").textAt(0), std::string("Smith, J"));
        QCOMPARE(t.column("note").textAt(0), std::string("said \"hi\"\nthen left"));
        QCOMPARE(t.column("note").textAt(1), std::string("\""));
        QCOMPARE(t.column("name").textAt(2), std::string("spaced"));
        QVERIFY(t.column("n").isNumeric());
        QCOMPARE(t.column("n").values(), (std::vector<double>{1, 2, 3}));
        // Doubled quotes and embedded delimiters in the header too.
        const Table h = parse("\"a,b\",\"say \"\"x\"\"\"\n1,2\n");
        QCOMPARE(h.columnNames(), (std::vector<std::string>{"a,b", "say \"x\""}));
    }

    void lineEndingsAndBom()
    {
        const Table crlf = parse("a,b\r\n1,x\r\n2,\"y\r\nz\"\r\n");
        QCOMPARE(crlf.rowCount(), std::size_t(2));
        QCOMPARE(crlf.column("b").textAt(0), std::string("x"));
        QCOMPARE(crlf.column("b").textAt(1), std::string("y\r\nz"));
        const Table bom = parse("\xEF\xBB\xBF" "a,b\n1,2\n");
        QCOMPARE(bom.columnNames(), (std::vector<std::string>{"a", "b"}));
        const Table noFinalNewline = parse("a,b\n1,2\n3,4");
        QCOMPARE(noFinalNewline.rowCount(), std::size_t(2));
        const Table blankLines = parse("\n\na,b\n\n1,2\r\n\r\n3,4\n\n");
        QCOMPARE(blankLines.rowCount(), std::size_t(2));
        QCOMPARE(blankLines.column("b").values(), (std::vector<double>{2, 4}));
        const Table oldMac = parse("a,b\r1,2\r3,4\r");
        QCOMPARE(oldMac.rowCount(), std::size_t(2));
    }

    void unquotedFieldsAreTrimmed()
    {
        const Table t = parse(" a , b \n 1 , x y \n2,\ty\t\n");
        QCOMPARE(t.columnNames(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(t.column("b").levels(), (std::vector<std::string>{"x y", "y"}));
        QCOMPARE(t.column("a").values(), (std::vector<double>{1, 2}));
    }

    void missingMarkers()
    {
        const Table t = parse("a,b\n1,x\nNA,N/A\n,null\nNaN,?\n  ,\"\"\n");
        const Column& a = t.column("a");
        QVERIFY(a.isNumeric());
        QCOMPARE(a.missingCount(), std::size_t(4));
        QCOMPARE(a.values()[0], 1.0);
        const Column& b = t.column("b");
        QVERIFY(b.isCategorical());
        QCOMPARE(b.missingCount(), std::size_t(4));
        QCOMPARE(b.levels(), (std::vector<std::string>{"x"}));

        // Quoted text is literal: a category really called "NA" stays a category.
        const Table quoted = parse("v\n\"NA\"\nx\n");
        QCOMPARE(quoted.column("v").missingCount(), std::size_t(0));
        QCOMPARE(quoted.column("v").levels(), (std::vector<std::string>{"NA", "x"}));

        // Markers are exact: "na" and "None" are not in the default list.
        QCOMPARE(parse("v\nna\nNone\n").column("v").missingCount(), std::size_t(0));

        CsvOptions custom;
        custom.missingMarkers = {"-", "missing"};
        const Table c = parse("a,b\n-,missing\n2,NA\n", custom);
        QCOMPARE(c.column("a").missingCount(), std::size_t(1));
        QVERIFY(c.column("a").isNumeric());
        QCOMPARE(c.column("b").missingCount(), std::size_t(1));
        QCOMPARE(c.column("b").levels(), (std::vector<std::string>{"NA"}));
        // A quoted empty field is missing even when "" is not a marker.
        QCOMPARE(parse("a,b\n\"\",1\n", custom).column("a").missingCount(), std::size_t(1));
        // An all-missing column is numeric (all NaN), as in pandas.
        const Table allMissing = parse("a,b\n,1\nNA,2\n");
        QVERIFY(allMissing.column("a").isNumeric());
        QCOMPARE(allMissing.column("a").missingCount(), std::size_t(2));
    }

    void headerOnlyAndEmptyNames()
    {
        const Table t = parse("a,b,c\n");
        QCOMPARE(t.rowCount(), std::size_t(0));
        QCOMPARE(t.columnCount(), std::size_t(3));
        const Table unnamed = parse("a,,c,\n1,2,3,4\n");
        QCOMPARE(unnamed.columnNames(), (std::vector<std::string>{"a", "column_2", "c", "column_4"}));
    }

    void otherDelimiters()
    {
        CsvOptions semicolon;
        semicolon.delimiter = ';';
        const Table t = parse("a;b\n1,5;x\n", semicolon);
        QCOMPARE(t.column("a").textAt(0), std::string("1,5"));
        CsvOptions tab;
        tab.delimiter = '\t';
        const Table u = parse("a\tb\n 1\t x \n", tab);
        QCOMPARE(u.column("a").values(), (std::vector<double>{1}));
        QCOMPARE(u.column("b").levels(), (std::vector<std::string>{"x"}));
        CsvOptions quote;
        quote.delimiter = '"';
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, parse("a\n", quote));
    }

    void readsTsvFilesByExtension()
    {
        QTemporaryDir dir;
        const QString tsv = dir.filePath("data.tsv");
        writeFile(tsv, "a\tb c\n1\tx,y\n2\tz\n");
        const Table t = readCsvFile(tsv.toStdString());
        QCOMPARE(t.columnNames(), (std::vector<std::string>{"a", "b c"}));
        QCOMPARE(t.column("b c").levels(), (std::vector<std::string>{"x,y", "z"}));
        // An explicit delimiter wins over the extension.
        CsvOptions comma;
        comma.delimiter = ';';
        QCOMPARE(readCsvFile(tsv.toStdString(), comma).columnCount(), std::size_t(1));
        const QString csv = dir.filePath("DATA.CSV");
        writeFile(csv, "a,b\n1,2\n");
        QCOMPARE(readCsvFile(csv.toStdString()).columnCount(), std::size_t(2));
        const QString upperTsv = dir.filePath("x.TSV");
        writeFile(upperTsv, "a\tb\n1\t2\n");
        QCOMPARE(readCsvFile(upperTsv.toStdString()).columnCount(), std::size_t(2));
    }

    void unreadableFiles()
    {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("nope.csv").toStdString();
        try {
            readCsvFile(missing);
            QFAIL("no error");
        } catch (const core::DataError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("cannot open " + missing + ": No such file or directory") != std::string::npos,
                     message.c_str());
        }
        try {
            readCsvFile(dir.path().toStdString());
            QFAIL("no error");
        } catch (const core::DataError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("cannot open " + dir.path().toStdString()) != std::string::npos, message.c_str());
            QVERIFY2(message.find("folder") != std::string::npos, message.c_str());
        }
        // The file name is the source of parse errors.
        const QString bad = dir.filePath("bad.csv");
        writeFile(bad, "a,b\n1,2,3\n");
        try {
            readCsvFile(bad.toStdString());
            QFAIL("no error");
        } catch (const core::DataError& error) {
            QCOMPARE(error.location().source, bad.toStdString());
            QCOMPARE(error.location().line, std::size_t(2));
        }
    }

    void emptyFile()
    {
        for (const char* text : {"", "\n\n", "\xEF\xBB\xBF", "  \r\n \n"}) {
            try {
                parse(text);
                QFAIL("no error");
            } catch (const core::DataError& error) {
                const std::string message = error.what();
                QVERIFY2(message.rfind("test.csv: the file is empty — ", 0) == 0, message.c_str());
            }
        }
    }

    void raggedRows()
    {
        // One field too many: the location is where the extra field starts.
        expectError("a,b\n1,2\n3,4,5\n", 3, 5, {"line 3 has 3 fields but the header has 2", "column 5"});
        expectError("a,b\n1,2,3,4\n", 2, 5, {"line 2 has 4 fields but the header has 2", "column 5"});
        // One too few: the location is the line end.
        expectError("a,b,c\n1,2,3\n1,2\n", 3, 4, {"line 3 has 2 fields but the header has 3", "ends early", "column 4"});
        expectError("a,b,c\n1\r\n", 2, 2, {"line 2 has 1 field but the header has 3"});
        expectError("a,b\n1,2\n3", 3, 2, {"line 3 has 1 field but the header has 2"});
        // After a quoted field spanning lines, the physical line and its column count.
        expectError("a,b\n\"x\ny\",2,3\n", 3, 6, {"line 3 has 3 fields"});
        // Columns count characters, not bytes.
        expectError("a,b\n\xC3\xBC,\xC3\xA9,x\n", 2, 5, {"3 fields", "column 5"});
    }

    void quotingErrors()
    {
        expectError("a,b\n1,\"abc\n2,3\n", 2, 3, {"never closed", "closing quote"});
        expectError("a,b\n1,2\n\"x,y\n", 3, 1, {"never closed"});
        expectError("a,b\n1,ab\"c\n", 2, 5, {"quote (\") inside an unquoted field", "double the quotes"});
        expectError("a,b\n1,\"ab\"c\n", 2, 7, {"after the closing quote"});
        expectError("a,b\"\n", 1, 4, {"inside an unquoted field"});
    }

    void headerErrors()
    {
        expectError("a,b,a\n1,2,3\n", 1, 5, {"columns 1 and 3 are both named 'a'", "rename one"});
        expectError("x,,column_2\n", 1, 4, {"columns 2 and 3 are both named 'column_2'"});
        expectError("1,2,3\n4,5,6\n", 1, 1,
                    {"line 1 looks like data, not a header — add a header row naming the columns"});
        expectError("\n\n0.5,-2\n", 3, 1, {"line 3 looks like data, not a header"});
        // Some numeric names are fine as long as not all are.
        QCOMPARE(parse("2019,2020,region\n1,2,x\n").columnCount(), std::size_t(3));
    }

    void progressAndCancel()
    {
        // ~2 MB: several progress reports, monotone, ending at 1, with the stage text.
        std::string text = "a,b\n";
        while (text.size() < 2'200'000)
            text += "12345.678,abcdefgh\n";
        RecordingObserver observer;
        core::TaskControl control(&observer);
        parseCsv(text, "big.csv", {}, &control);
        QVERIFY(observer.fractions.size() >= 3);
        QVERIFY(std::is_sorted(observer.fractions.begin(), observer.fractions.end()));
        QCOMPARE(observer.fractions.back(), 1.0);
        // "Reading big.csv — 2.2 of 2.2 MB, 116 k rows": bytes and rows so far.
        const std::string& stage = observer.stages.back();
        QVERIFY2(stage.rfind("Reading big.csv — 2.2 of 2.2 MB, ", 0) == 0, stage.c_str());
        QVERIFY2(stage.size() > 7 && stage.compare(stage.size() - 7, 7, " k rows") == 0, stage.c_str());

        core::TaskControl cancelled;
        cancelled.cancel();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, parseCsv(text, "big.csv", {}, &cancelled));
    }

    void readsTitanic()
    {
        const Table t = readCsvFile(STEPWISE_DATASETS_DIR "/titanic.csv");
        QCOMPARE(t.rowCount(), std::size_t(891));
        QCOMPARE(t.columnCount(), std::size_t(15));
        QCOMPARE(t.column("age").missingCount(), std::size_t(177));
        QCOMPARE(t.column("deck").missingCount(), std::size_t(688));
        QCOMPARE(t.column("embarked").missingCount(), std::size_t(2));
        QCOMPARE(t.column("embark_town").missingCount(), std::size_t(2));
        QCOMPARE(t.missingCount(), std::size_t(177 + 688 + 2 + 2));
        for (const char* numeric : {"survived", "pclass", "age", "sibsp", "parch", "fare"})
            QVERIFY2(t.column(numeric).isNumeric(), numeric);
        for (const char* categorical : {"sex", "embarked", "class", "who", "deck", "alive"})
            QVERIFY2(t.column(categorical).kind() == ColumnKind::Categorical, categorical);
        for (const char* boolean : {"adult_male", "alone"})  // True/False, as pandas reads bool
            QVERIFY2(t.column(boolean).kind() == ColumnKind::Boolean, boolean);
        QCOMPARE(kindOf(t.column("survived")), std::string("integer"));
        QCOMPARE(kindOf(t.column("age")), std::string("numeric"));
        QCOMPARE(t.column("alone").textAt(0), std::string("False"));
        QCOMPARE(t.column("fare").values()[1], 71.2833);
        QCOMPARE(t.column("sex").levels(), (std::vector<std::string>{"male", "female"}));
        // tips.csv quotes its header and text fields.
        const Table tips = readCsvFile(STEPWISE_DATASETS_DIR "/tips.csv");
        QCOMPARE(tips.columnNames(),
                 (std::vector<std::string>{"total_bill", "tip", "sex", "smoker", "day", "time", "size"}));
        QVERIFY(tips.column("size").isNumeric());
        QCOMPARE(tips.column("day").levels().size(), std::size_t(4));
    }

    void sniffsTheDelimiter()
    {
        QCOMPARE(sniffDelimiter("a,b,c\n1,2,3\n"), ',');
        QCOMPARE(sniffDelimiter("a;b;c\n1;2;3\n"), ';');
        QCOMPARE(sniffDelimiter("a\tb\tc\n1\t2\t3\n"), '\t');
        QCOMPARE(sniffDelimiter("a|b|c\n1|2|3\n"), '|');
        // Delimiters inside quotes do not count, including across a quoted line break.
        QCOMPARE(sniffDelimiter("\"x;y;z\",b\n\"1;2\n;3\",4\n"), ',');
        // Decimal commas make ',' inconsistent; ';' splits every line the same way.
        QCOMPARE(sniffDelimiter("a;b\n1,5;2,25\n3,5;4\n"), ';');
        // One column (or nothing consistent): ','.
        QCOMPARE(sniffDelimiter("a\n1\n2\n"), ',');
        QCOMPARE(sniffDelimiter(""), ',');
        // A BOM and CRLF line ends do not disturb it; only the first 20 records are looked at.
        std::string tabs = "\xEF\xBB\xBF" "a\tb\r\n";
        for (int i = 0; i < 30; ++i)
            tabs += "1\t2\r\n";
        for (int i = 0; i < 100; ++i)
            tabs += "1,2,3\r\n";
        QCOMPARE(sniffDelimiter(tabs), '\t');

        // parseCsv sniffs when no delimiter is given.
        const Table pipes = parse("a|b\n1|x,y\n2|z\n");
        QCOMPARE(pipes.columnNames(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(pipes.column("b").levels(), (std::vector<std::string>{"x,y", "z"}));
        const Table semicolons = parse("a;b\n1;2\n");
        QCOMPARE(semicolons.columnCount(), std::size_t(2));
        const Table tabbed = parse("a\tb c\n1\tx\n");
        QCOMPARE(tabbed.columnNames(), (std::vector<std::string>{"a", "b c"}));
    }

    void quotingEdgeCases()
    {
        const Table t = parse("a,b,c\n\"\",\"x\"\"\",\"x,\"\n\"\"\"\"\"\",\"\n\",\"\r\n\"\n");
        QCOMPARE(t.rowCount(), std::size_t(2));
        QVERIFY(t.column("a").isMissing(0));
        QCOMPARE(t.column("b").textAt(0), std::string("x\""));
        QCOMPARE(t.column("c").textAt(0), std::string("x,"));
        QCOMPARE(t.column("a").textAt(1), std::string("\"\""));
        QCOMPARE(t.column("b").textAt(1), std::string("\n"));
        QCOMPARE(t.column("c").textAt(1), std::string("\r\n"));
        // A quoted header name may hold a line break; later lines count it.
        const Table h = parse("\"first\nname\",b\n1,2\n");
        QCOMPARE(h.columnNames(), (std::vector<std::string>{"first\nname", "b"}));
        expectError("\"first\nname\",b\n1,2,3\n", 3, 5, {"line 3 has 3 fields"});
        // Spaces around a quoted field are not part of it; inside they are.
        const Table spaced = parse("a,b\n  \" x \"  ,1\n");
        QCOMPARE(spaced.column("a").textAt(0), std::string(" x "));
        // A record that is one quoted empty field in a one-column file is a missing value,
        // not a blank line.
        const Table single = parse("v\n1\n\"\"\n2\n");
        QCOMPARE(single.rowCount(), std::size_t(3));
        QCOMPARE(single.column("v").missingCount(), std::size_t(1));
    }

    void encodings()
    {
        // Auto: not valid UTF-8, so the whole file is Latin-1 (header included).
        const Table latin = parse("Stra\xdf" "e,n\nZ\xfcrich,1\nBern,2\n");
        QCOMPARE(latin.columnNames(), (std::vector<std::string>{"Stra\xC3\x9F" "e", "n"}));
        QCOMPARE(latin.column(0).levels(), (std::vector<std::string>{"Z\xC3\xBCrich", "Bern"}));
        // Valid UTF-8 stays as it is, with or without a BOM.
        const Table utf8 = parse("\xEF\xBB\xBF" "city\nZ\xC3\xBCrich\n");
        QCOMPARE(utf8.columnNames(), (std::vector<std::string>{"city"}));
        QCOMPARE(utf8.column("city").levels(), (std::vector<std::string>{"Z\xC3\xBCrich"}));
        // Latin-1 on request, even for bytes that happen to be valid UTF-8.
        CsvOptions latin1;
        latin1.encoding = TextEncoding::Latin1;
        QCOMPARE(parse("city\nZ\xC3\xBCrich\n", latin1).column("city").levels(),
                 (std::vector<std::string>{"Z\xC3\x83\xC2\xBCrich"}));
        // Strict UTF-8: the first bad byte, by line and character column.
        CsvOptions strict;
        strict.encoding = TextEncoding::Utf8;
        try {
            parse("a,b\n\xC3\xA9,1\n2,Z\xfcrich\n", strict);
            QFAIL("no error");
        } catch (const core::DataError& error) {
            const std::string message = error.what();
            QCOMPARE(error.location().line, std::size_t(3));
            QCOMPARE(error.location().column, std::size_t(4));
            QVERIFY2(message.find("byte 0xFC is not valid UTF-8") != std::string::npos, message.c_str());
            QVERIFY2(message.find("Latin-1") != std::string::npos, message.c_str());
        }
        // Overlong forms, surrogates and truncated sequences are not UTF-8 either.
        for (const char* bad : {"v\n\xC0\xAF\n", "v\n\xED\xA0\x80\n", "v\nx\xE2\x82\n", "v\n\xF5\x80\x80\x80\n"})
            QVERIFY2(errorOf(bad, strict).find("is not valid UTF-8") != std::string::npos, bad);
        // Error columns count Latin-1 characters as one byte each.
        expectError("a,b\n\xfc\xfc,x,y\n", 2, 6, {"line 2 has 3 fields"});
    }

    void binaryFilesAreRefused()
    {
        const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0", 20);
        const std::string message = errorOf(png);
        QVERIFY2(message.find("test.csv:3:1: this looks like a binary file, not text") == 0, message.c_str());
        // A NUL byte far into a text file: its place is reported.
        std::string text = "a,b\n";
        for (int i = 0; i < 20000; ++i)
            text += "1,2\n";
        text += std::string("3,\0\n", 4);
        try {
            parse(text);
            QFAIL("no error");
        } catch (const core::DataError& error) {
            QCOMPARE(error.location().line, std::size_t(20002));
            QCOMPARE(error.location().column, std::size_t(3));
            QVERIFY(std::string(error.what()).find("binary file") != std::string::npos);
        }
    }

    void decimalAndThousandsSeparators()
    {
        CsvOptions comma;
        comma.decimal = ',';
        const Table european = parse("a;b\n1,5;2\n-0,25;3\n,5;4\n", comma); // ';' sniffed: ',' is the decimal
        QCOMPARE(european.column("a").values(), (std::vector<double>{1.5, -0.25, 0.5}));
        QCOMPARE(kindOf(european.column("b")), std::string("integer"));
        QCOMPARE(kindOf(parse("v\n1.5\n", comma).column("v")), std::string("categorical"));

        comma.delimiter = ',';
        try {
            parse("a,b\n", comma);
            QFAIL("no error");
        } catch (const core::InvalidParameter& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("decimal") != std::string::npos && message.find("delimiter") != std::string::npos,
                     message.c_str());
        }
        CsvOptions badDecimal;
        badDecimal.decimal = ';';
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, parse("a\n1\n", badDecimal));
        CsvOptions sameSeparators;
        sameSeparators.thousands = '.';
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, parse("a\n1\n", sameSeparators));
        CsvOptions digitSeparator;
        digitSeparator.thousands = '1';
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, parse("a\n1\n", digitSeparator));

        CsvOptions thousands;
        thousands.thousands = ',';
        const Table grouped = parse("a,b\n\"1,234,567.5\",x\n\"-1,234\",y\n12,z\n", thousands);
        QCOMPARE(grouped.column("a").values(), (std::vector<double>{1234567.5, -1234, 12}));
        QCOMPARE(kindOf(grouped.column("a")), std::string("numeric"));
        // Grouping must be 1-3 digits, then groups of exactly 3, before the decimal point.
        for (const char* text : {"v\n\"1,23\"\n", "v\n\"1234,567\"\n", "v\n\",123\"\n", "v\n\"1,234.5,6\"\n",
                                 "v\n\"1,,234\"\n", "v\n\"1,234,\"\n"})
            QVERIFY2(parse(text, thousands).column("v").kind() == ColumnKind::Categorical, text);
        QCOMPARE(kindOf(parse("v\n\"1,234\"\n\"56\"\n", thousands).column("v")), std::string("integer"));

        CsvOptions german;
        german.decimal = ',';
        german.thousands = '.';
        const Table g = parse("v;w\n1.234,5;1.234.567\n2,0;12\n", german);
        QCOMPARE(g.column("v").values(), (std::vector<double>{1234.5, 2.0}));
        QCOMPARE(g.column("w").values(), (std::vector<double>{1234567, 12}));
        QCOMPARE(kindOf(g.column("w")), std::string("integer"));
        CsvOptions spaces;
        spaces.thousands = ' ';
        QCOMPARE(parse("v\n1 234\n5\n", spaces).column("v").values(), (std::vector<double>{1234, 5}));
    }

    void integerSyntax()
    {
        const Table t = parse("a,b,c,d,e,f\n1,1.0,1e3,007,-3,+4\n2,2,3,8,NA,5.\n");
        QCOMPARE(kindOf(t.column("a")), std::string("integer"));
        QCOMPARE(kindOf(t.column("b")), std::string("numeric")); // 1.0 is written as a decimal
        QCOMPARE(kindOf(t.column("c")), std::string("numeric")); // and 1e3 with an exponent
        QCOMPARE(kindOf(t.column("d")), std::string("integer"));
        QCOMPARE(t.column("d").values(), (std::vector<double>{7, 8}));
        QCOMPARE(kindOf(t.column("e")), std::string("integer")); // missing values keep it integer
        QCOMPARE(kindOf(t.column("f")), std::string("numeric"));
        // Quoted, spaced and long integers are integers too; the slow path agrees.
        const Table u = parse("a,b\n\"12\", 34 \n1234567890123456,5\n");
        QCOMPARE(kindOf(u.column("a")), std::string("integer"));
        QCOMPARE(u.column("a").values()[1], 1234567890123456.0);
        QCOMPARE(kindOf(u.column("b")), std::string("integer"));
    }

    void numbersAreCorrectlyRounded()
    {
        // The plain-decimal fast path must give fast_float's correctly rounded doubles.
        const char* texts[] = {"0.1", "0.3", "-2.675", "9007199254740993", "9007199254740992.5", "1.7976931348623157",
                               "123456789012345678", "0.000000000000000000001", "4.35", "8.41", "-0.0", "5e-324"};
        std::string csv = "v\n";
        for (const char* text : texts)
            csv.append(text).push_back('\n');
        const Table t = parse(csv);
        for (std::size_t i = 0; i < std::size(texts); ++i) {
            const double expected = std::strtod(texts[i], nullptr);
            const double actual = t.column("v").values()[i];
            QVERIFY2(std::memcmp(&actual, &expected, sizeof expected) == 0, texts[i]);
        }
        QVERIFY(std::signbit(t.column("v").values()[10]));
    }

    void headerOnlyGivesTextColumns()
    {
        for (const char* text : {"a,b\n", "a,b", "a,b\r\n\r\n\n"}) {
            const Table t = parse(text);
            QCOMPARE(t.rowCount(), std::size_t(0));
            QCOMPARE(t.columnNames(), (std::vector<std::string>{"a", "b"}));
            QCOMPARE(kindOf(t.column("a")), std::string("categorical")); // pandas: object
        }
    }

    void parallelChunksGiveTheSerialResult()
    {
        const std::string text = messyCsv(30000);
        QVERIFY(text.size() > 1'000'000);
        const Table serial = parseSerially(text);
        QCOMPARE(serial.rowCount(), std::size_t(30000));
        QCOMPARE(kindOf(serial.column("code")), std::string("categorical")); // text appears only late
        QVERIFY(std::find(serial.column("code").levels().begin(), serial.column("code").levels().end(), "007") !=
                serial.column("code").levels().end());
        QCOMPARE(kindOf(serial.column("late")), std::string("numeric"));
        QCOMPARE(kindOf(serial.column("id")), std::string("integer"));
        QCOMPARE(kindOf(serial.column("flag")), std::string("boolean"));
        QVERIFY(serial.column("sparse").missingCount() > 25000);
        // Chunks of 97 bytes cut through quoted line breaks, CRLF pairs and blank lines.
        for (const std::size_t chunk : {std::size_t(97), std::size_t(4096), std::size_t(100'000)}) {
            for (const int threads : {1, 2}) {
                const ReadSettings settings(chunk, threads);
                compareTables(parse(text), serial);
            }
        }
        // The same through a memory-mapped file whose pages are given back as it goes.
        QTemporaryDir dir;
        const QString path = dir.filePath("messy.csv");
        writeFile(path, text);
        const ReadSettings settings(8192, 2);
        compareTables(readCsvFile(path.toStdString()), serial);
    }

    void errorsInTheMiddleOfAChunkedFile()
    {
        // Every record spans two physical lines (a quoted line break), so line numbers must
        // count the breaks inside quotes of every chunk before.
        std::string text = "a,b,c\n";
        std::size_t line = 2;
        std::size_t raggedLine = 0, quoteLine = 0, nulLine = 0;
        for (int record = 0; record < 12000; ++record) {
            if (record == 5000) {
                raggedLine = line;
                text += "1,2,3,4\n";
                line += 1;
                continue;
            }
            if (record == 9000) {
                quoteLine = line;
                text += "1,x\"y,3\n";
                line += 1;
                continue;
            }
            if (record == 11000) {
                nulLine = line;
                text += std::string("1,\0,3\n", 6);
                line += 1;
                continue;
            }
            text += std::to_string(record) + ",\"two\nlines\"," + std::to_string(record % 7) + "\n";
            line += 2;
        }
        const std::string serial = [&] {
            const ReadSettings settings(std::size_t(1) << 30, 1);
            return errorOf(text);
        }();
        QVERIFY2(serial.find("test.csv:" + std::to_string(raggedLine) + ":7: line " + std::to_string(raggedLine) +
                             " has 4 fields but the header has 3") == 0,
                 serial.c_str());
        for (const std::size_t chunk : {std::size_t(61), std::size_t(1000), std::size_t(65536)}) {
            for (const int threads : {1, 2}) {
                const ReadSettings settings(chunk, threads);
                QCOMPARE(errorOf(text), serial);
            }
        }
        // Without the first error the next one in file order is reported, whatever chunk
        // finds it first.
        std::string rest = text;
        rest.replace(rest.find("1,2,3,4\n"), 8, "1,2,3\n\n");
        for (const int threads : {1, 2}) {
            const ReadSettings settings(200, threads);
            const std::string message = errorOf(rest);
            QVERIFY2(message.find("test.csv:" + std::to_string(quoteLine + 1) + ":4: a quote (\")") == 0,
                     message.c_str());
        }
        rest.replace(rest.find("1,x\"y,3\n"), 8, "1,xy,3\n\n");
        for (const int threads : {1, 2}) {
            const ReadSettings settings(200, threads);
            const std::string message = errorOf(rest);
            QVERIFY2(message.find("test.csv:" + std::to_string(nulLine + 2) + ":3: this looks like a binary file") ==
                         0,
                     message.c_str());
        }
        // An unterminated quote swallows the rest of the file; it is reported where it opens.
        std::string open = messyCsv(3000);
        const std::size_t at = open.size() / 2;
        const std::size_t lineStart = open.find('\n', at) + 1;
        open.insert(lineStart, "\"");
        const std::string expected = [&] {
            const ReadSettings settings(std::size_t(1) << 30, 1);
            return errorOf(open);
        }();
        QVERIFY2(!expected.empty(), "no error for an unterminated quote");
        for (const int threads : {1, 2}) {
            const ReadSettings settings(500, threads);
            QCOMPARE(errorOf(open), expected);
        }
    }

    void outOfMemoryIsADataError()
    {
        const std::string text = messyCsv(2000);
        const ReadSettings settings(4096, 2);
        csv_chunking::setBufferLimit(1);
        const std::string message = errorOf(text);
        QVERIFY2(message.find("not enough memory to load test.csv (0.1 MB) — ") == 0, message.c_str());
        csv_chunking::setBufferLimit(0);
        QVERIFY(errorOf(text).empty());
        // Columns that cannot fit in the memory available are refused before parsing.
        csv_chunking::setAvailableMemory(10'000);
        const std::string refused = errorOf(text);
        csv_chunking::setAvailableMemory(0);
        const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); // + 1 - header
        QVERIFY2(refused.find("not enough memory to load test.csv (0.1 MB) — its columns need about 0.2 MB (" +
                              std::to_string(lines) + " lines × 7 columns) and 0.0 MB is available; close other") == 0,
                 refused.c_str());
    }

    void progressOfAChunkedRead()
    {
        const std::string text = messyCsv(20000);
        const ReadSettings settings(16 * 1024, 2);
        RecordingObserver observer;
        core::TaskControl control(&observer);
        const Table t = parseCsv(text, "dir/messy.csv", {}, &control);
        QVERIFY(observer.fractions.size() >= 3);
        QVERIFY(std::is_sorted(observer.fractions.begin(), observer.fractions.end()));
        QCOMPARE(observer.fractions.back(), 1.0);
        QCOMPARE(observer.stages.front(), std::string("Checking messy.csv — 0.0 of 0.7 MB"));
        QCOMPARE(observer.stages.back(), std::string("Reading messy.csv — 0.7 of 0.7 MB, 20 k rows"));
        QVERIFY(std::find_if(observer.stages.begin(), observer.stages.end(), [](const std::string& stage) {
                    return stage.rfind("Reading messy.csv — 0.", 0) == 0 && stage.find(" of 0.7 MB, ") != std::string::npos;
                }) != observer.stages.end());

        // Cancelled in the middle: Cancelled, not a partial table.
        CancellingObserver canceller;
        core::TaskControl cancellable(&canceller);
        canceller.control = &cancellable;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, parseCsv(text, "messy.csv", {}, &cancellable));
    }

    /// Fixtures and pandas' reading of them from tests/reference/csv_pandas.py: same
    /// shape, names, dtypes (int64 ↔ integer, float64 ↔ numeric or integer with gaps,
    /// bool ↔ boolean, object ↔ categorical/text/datetime), missing counts and values.
    void matchesPandas()
    {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/csv_pandas_reference.json");
        QVERIFY(in);
        const auto reference = nlohmann::json::parse(in);
        QVERIFY(reference["fixtures"].size() >= 5);
        for (const auto& fixture : reference["fixtures"]) {
            const std::string file = fixture["file"];
            const std::string path = STEPWISE_TEST_DATA_DIR "/csv/" + file;
            std::ifstream raw(path, std::ios::binary);
            const std::string text((std::istreambuf_iterator<char>(raw)), std::istreambuf_iterator<char>());
            QCOMPARE(std::string(1, sniffDelimiter(text)), fixture["delimiter"].get<std::string>());
            CsvOptions options;
            options.decimal = fixture["decimal"].get<std::string>()[0];
            const std::string thousands = fixture["thousands"];
            options.thousands = thousands.empty() ? 0 : thousands[0];
            const Table t = readCsvFile(path, options);
            QCOMPARE(t.rowCount(), fixture["rows"].get<std::size_t>());
            QCOMPARE(t.columnCount(), fixture["columns"].size());
            for (std::size_t i = 0; i < t.columnCount(); ++i) {
                const auto& expected = fixture["columns"][i];
                const Column& column = t.column(i);
                const std::string where = file + " " + column.name();
                QCOMPARE(column.name(), expected["name"].get<std::string>());
                QVERIFY2(column.missingCount() == expected["missing"].get<std::size_t>(), where.c_str());
                const std::string dtype = expected["dtype"];
                const ColumnKind kind = column.kind();
                const bool kindMatches =
                    (dtype == "int64" && kind == ColumnKind::Integer) ||
                    (dtype == "float64" &&
                     (kind == ColumnKind::Numeric || (kind == ColumnKind::Integer && column.missingCount() > 0))) ||
                    (dtype == "bool" && kind == ColumnKind::Boolean) ||
                    (dtype == "object" && (kind == ColumnKind::Categorical || kind == ColumnKind::Text ||
                                           kind == ColumnKind::Datetime));
                QVERIFY2(kindMatches, (where + ": pandas " + dtype + ", ours " + kindOf(column)).c_str());
                for (std::size_t row = 0; row < t.rowCount(); ++row) {
                    const auto& value = expected["values"][row];
                    const std::string at = where + " row " + std::to_string(row);
                    QVERIFY2(value.is_null() == column.isMissing(row), at.c_str());
                    if (value.is_null())
                        continue;
                    if (value.is_boolean()) {
                        QVERIFY2(column.values()[row] == (value.get<bool>() ? 1.0 : 0.0), at.c_str());
                    } else if (value.is_number()) {
                        const double theirs = value.get<double>();
                        const double ours = column.values()[row];
                        QVERIFY2(std::fabs(ours - theirs) <= 1e-15 * std::fabs(theirs), at.c_str());
                    } else if (kind == ColumnKind::Datetime) {
                        QVERIFY2(parseDatetime(value.get<std::string>()) == column.values()[row], at.c_str());
                    } else {
                        QCOMPARE(column.textAt(row), value.get<std::string>());
                    }
                }
            }
        }
    }

    /// Speed of a 100,000 × 20 numeric CSV (plus target); printed, not asserted.
    void parseSpeed()
    {
        ClassificationSpec spec;
        spec.samples = 100'000;
        spec.features = 20;
        std::ostringstream out;
        writeCsv(makeClassification(spec), out);
        const std::string text = out.str();
        QElapsedTimer timer;
        timer.start();
        const Table t = parseCsv(text, "bench.csv");
        const double seconds = static_cast<double>(timer.nsecsElapsed()) * 1e-9;
        QCOMPARE(t.rowCount(), std::size_t(100'000));
        QCOMPARE(t.columnCount(), std::size_t(21));
        qInfo("parsed %.1f MB (100000 x 21 numeric) in %.3f s: %.0f MB/s",
              static_cast<double>(text.size()) / 1e6, seconds, static_cast<double>(text.size()) / 1e6 / seconds);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csv_reader.moc"
