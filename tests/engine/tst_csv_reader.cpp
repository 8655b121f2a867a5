// CSV reading: quoting, line endings, BOM, missing markers, type inference, TSV, progress
// and cancel, and the exact line/column of every kind of malformed input.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <sstream>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/synthetic.hpp"

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
        QCOMPARE(observer.stages.back(), std::string("reading big.csv"));

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
        QCOMPARE(toString(t.column("survived").kind()), toString(ColumnKind::Integer));
        QCOMPARE(toString(t.column("age").kind()), toString(ColumnKind::Numeric));
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
