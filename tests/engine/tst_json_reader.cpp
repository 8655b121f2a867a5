// JSON reading: arrays of records and JSON Lines, value types → kinds, absent keys,
// nested values, missing markers, and the line/column of every kind of bad input.
// Fixtures: tests/reference/readers_fixtures.py.
#include <QtTest>

#include <fstream>

#include "engine/reader_test_support.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/data/json_reader.hpp"

using namespace stepwise;
using namespace stepwise::data;
using namespace readers_test;

namespace {

const std::vector<std::string> kDefaultMarkers = {"", "NA", "N/A", "NaN", "null", "?"};

Table parse(std::string_view text, const std::vector<std::string>& markers = kDefaultMarkers)
{
    return parseJson(text, "test.json", markers);
}

/// Expects a DataError at (line, column) of "test.json" whose message holds `words`.
void expectAt(std::string_view text, std::size_t line, std::size_t column, const std::vector<std::string>& words)
{
    const core::DataError error = expectDataError([&] { parse(text); }, words);
    QCOMPARE(error.location().source, std::string("test.json"));
    QCOMPARE(error.location().line, line);
    QCOMPARE(error.location().column, column);
}

void checkRecordsTable(const Table& t)
{
    QCOMPARE(t.columnNames(),
             (std::vector<std::string>{"id", "score", "name", "active", "tags", "note", "big", "extra"}));
    QCOMPARE(t.rowCount(), std::size_t(3));
    QCOMPARE(kindOf(t.column("id")), std::string("integer"));
    QVERIFY(numbersAre(t.column("id"), {1, 2, 3}));
    QCOMPARE(kindOf(t.column("score")), std::string("numeric"));
    QVERIFY(numbersAre(t.column("score"), {1.5, 2, kNaN}));
    QCOMPARE(textsOf(t.column("name")), (std::vector<std::string>{"Ada", "Grace", "Ada"}));
    QCOMPARE(kindOf(t.column("active")), std::string("boolean"));
    QVERIFY(numbersAre(t.column("active"), {1, 0, 1}));
    // Nested values keep their JSON text; null and absent keys are missing.
    QCOMPARE(textsOf(t.column("tags")), (std::vector<std::string>{"[\"x\",\"y\"]", "<missing>", "<missing>"}));
    QCOMPARE(textsOf(t.column("extra")), (std::vector<std::string>{"<missing>", "{\"k\":1}", "<missing>"}));
    QCOMPARE(textsOf(t.column("note")), (std::vector<std::string>{"<missing>", "<missing>", "ok"}));
    // 1.0 and 3e0 are written as fractions/exponents: numeric, not integer.
    QCOMPARE(kindOf(t.column("big")), std::string("numeric"));
    QVERIFY(numbersAre(t.column("big"), {1, 2, 3}));
}

} // namespace

class TestJsonReader : public QObject {
    Q_OBJECT
private slots:
    void readsArraysAndLinesAlike()
    {
        checkRecordsTable(readJsonFile(fixture("records.json"), kDefaultMarkers));
        checkRecordsTable(readJsonFile(fixture("records.jsonl"), kDefaultMarkers));
    }

    void detectsTheLayoutFromTheFirstByte()
    {
        const std::string bom = "\xEF\xBB\xBF";
        QCOMPARE(parse(bom + "  \n[{\"a\": 1}, {\"a\": 2}]").rowCount(), std::size_t(2));
        QCOMPARE(parse("{\"a\": 1}\r\n\r\n{\"a\": 2}\r\n").rowCount(), std::size_t(2));
        // .jsonl files are lines whatever they start with.
        QTemporaryDir dir;
        const std::string lines = dir.filePath("x.JSONL").toStdString();
        std::ofstream(lines) << "[1, 2]\n";
        const auto error = expectDataError([&] { readJsonFile(lines, kDefaultMarkers); },
                                           {"expected a record {…}, got an array"});
        QCOMPARE(error.location().line, std::size_t(1));
        const std::string ndjson = dir.filePath("y.ndjson").toStdString();
        std::ofstream(ndjson) << "{\"a\": true}\n{\"a\": false}\n";
        QCOMPARE(kindOf(readJsonFile(ndjson, kDefaultMarkers).column("a")), std::string("boolean"));
    }

    void valuesAndKeys()
    {
        const Table t = parse(R"([{"a": 1, "a": 2, "u": 4294967296, "s": "NA", "m": "x"},
                                  {"u": 1, "s": "b", "m": 2, "": 5}])");
        // A repeated key: the last value counts (as in Python's json).
        QVERIFY(numbersAre(t.column("a"), {2, kNaN}));
        QCOMPARE(kindOf(t.column("u")), std::string("integer"));
        QCOMPARE(t.column("u").values()[0], 4294967296.0);
        QCOMPARE(textsOf(t.column("s")), (std::vector<std::string>{"<missing>", "b"}));
        // Text and numbers in one column keep their text (pandas: object).
        QCOMPARE(kindOf(t.column("m")), std::string("categorical"));
        QCOMPARE(textsOf(t.column("m")), (std::vector<std::string>{"x", "2"}));
        // An empty key is named like an empty CSV header field.
        QCOMPARE(t.columnNames().back(), std::string("column_5"));
        const Table literal = parse(R"([{"s": "NA"}, {"s": ""}])", {});
        QCOMPARE(textsOf(literal.column("s")), (std::vector<std::string>{"NA", ""}));
        // Nested values keep their nesting.
        const Table nested = parse(R"([{"n": {"a": [1, {"b": null}], "c": "ü"}}])");
        QCOMPARE(textsOf(nested.column("n")), (std::vector<std::string>{"{\"a\":[1,{\"b\":null}],\"c\":\"ü\"}"}));
    }

    void badInputNamesLineAndColumn()
    {
        auto error = expectDataError([] { readJsonFile(fixture("truncated.json"), kDefaultMarkers); },
                                     {"invalid JSON", "unexpected end of input"});
        QCOMPARE(error.location().line, std::size_t(3));
        QCOMPARE(error.location().column, std::size_t(16));
        error = expectDataError([] { readJsonFile(fixture("not_records.json"), kDefaultMarkers); },
                                {"expected a record {…}, got a number"});
        QCOMPARE(error.location().line, std::size_t(4));
        QCOMPARE(error.location().column, std::size_t(3));
        error = expectDataError([] { readJsonFile(fixture("bad_line.jsonl"), kDefaultMarkers); },
                                {"invalid JSON", "unexpected ','"});
        QCOMPARE(error.location().line, std::size_t(3));
        QCOMPARE(error.location().column, std::size_t(9));

        // Columns count characters: "ü" is one.
        expectAt("[{\"ä\": 1},\n {\"b\": \"ü\"}, 7]", 2, 14, {"got a number"});
        expectAt("[{\"a\": 1}, \"text\"]", 1, 12, {"got a string"});
        expectAt("[{\"a\": 1}, [1]]", 1, 12, {"got an array"});
        expectAt("[null]", 1, 2, {"got null"});
        expectAt("{\"a\": 1}\n  42\n", 2, 3, {"got a number"});
        expectAt("{\"a\": 1}\n{\"a\": 2,\n\"b\": 3}\n", 2, 9, {"every record must be complete on its own line"});
        expectAt("[{\"a\": tru}]", 1, 8, {"invalid literal"});
        expectAt("[{\"a\": \"\xff\"}]", 1, 8, {"invalid JSON"});
        expectAt("[{\"a\": 1}] [", 1, 12, {"invalid JSON"});
        expectAt("42", 1, 1, {"not a table in JSON"});
        const std::string deep = std::string(300, '[') + std::string(300, ']');
        expectAt("[{\"a\": 1},\n {\"b\": " + deep + "}]", 2, 2, {"nested more than 256 levels"});
        expectAt("{\"a\": 1}\n  {\"b\": " + deep + "}\n", 2, 3, {"nested more than 256 levels"});
        const std::string fine = std::string(200, '[') + std::string(200, ']');
        QCOMPARE(parse("[{\"b\": " + fine + "}]").column("b").textAt(0), fine);
        expectDataError([] { parse(" \n\t"); }, {"the file is empty"});
        expectDataError([] { parse("[]"); }, {"no records"});
        expectDataError([] { parse("\n\n"); }, {"the file is empty"});
        expectDataError([] { readJsonFile(fixture("no_such.json"), kDefaultMarkers); }, {"cannot open"});
    }

    void reportsProgressAndHonoursCancel()
    {
        std::string text = "[";
        for (int i = 0; i < 100000; ++i) {
            if (i > 0)
                text.append(",\n");
            text.append("{\"i\": ").append(std::to_string(i)).append(", \"s\": \"v").append(std::to_string(i % 5));
            text.append("\"}");
        }
        text.append("]");
        ProgressRecorder recorder;
        core::TaskControl control(&recorder);
        const Table t = parseJson(text, "big.json", kDefaultMarkers, &control);
        QCOMPARE(t.rowCount(), std::size_t(100000));
        QCOMPARE(t.column("i").values().back(), 99999.0);
        QVERIFY2(recorder.fractions.size() >= 20, std::to_string(recorder.fractions.size()).c_str());
        QCOMPARE(recorder.fractions.back(), 1.0);
        // Progress follows the bytes parsed.
        QVERIFY(std::any_of(recorder.fractions.begin(), recorder.fractions.end(),
                            [](double f) { return f > 0.4 && f < 0.6; }));
        // The stage says how many bytes and rows are read.
        char total[16];
        std::snprintf(total, sizeof total, "%.1f", static_cast<double>(text.size()) / 1e6);
        QCOMPARE(recorder.stages.back(),
                 std::string("Reading big.json — ") + total + " of " + total + " MB, 100 k rows");
        QVERIFY(std::any_of(recorder.stages.begin(), recorder.stages.end(), [](const std::string& stage) {
            return stage.find(" MB, 45 k rows") != std::string::npos || stage.find(" MB, 49 k rows") != std::string::npos;
        }));
        core::TaskControl cancelled;
        cancelled.cancel();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, parseJson(text, "big.json", kDefaultMarkers, &cancelled));
    }
};

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_json_reader.moc"
