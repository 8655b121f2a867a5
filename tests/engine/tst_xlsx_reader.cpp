// xlsx reading: every cell type (shared, rich-text and inline strings, numbers, booleans,
// errors, date formats in both date systems), sheet choice, blank rows and nameless
// columns, missing markers, progress and cancel, and every kind of bad workbook.
// Fixtures: tests/reference/readers_fixtures.py.
#include <QtTest>

#include <fstream>

#include <zip.h>

#include "engine/reader_test_support.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/data/xlsx_reader.hpp"

using namespace stepwise;
using namespace stepwise::data;
using namespace readers_test;

namespace {

const std::vector<std::string> kDefaultMarkers = {"", "NA", "N/A", "NaN", "null", "?"};

Table read(const std::string& name, const std::string& sheet = {},
           const std::vector<std::string>& markers = kDefaultMarkers)
{
    return readXlsxFile(fixture(name), sheet, markers);
}

// A minimal workbook with one sheet of `rows` numeric rows, written with libzip.
void writeLargeWorkbook(const std::string& path, int rows)
{
    std::string sheet = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c>"
                        "<c r=\"B1\" t=\"inlineStr\"><is><t>y</t></is></c></row>";
    for (int r = 2; r <= rows + 1; ++r) {
        const std::string n = std::to_string(r);
        sheet.append("<row r=\"").append(n).append("\"><c r=\"A").append(n).append("\"><v>").append(n);
        sheet.append("</v></c><c r=\"B").append(n).append("\"><v>").append(std::to_string(r % 7)).append(".5</v></c></row>");
    }
    sheet.append("</sheetData></worksheet>");
    const std::string workbook =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
        "<sheet name=\"big\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    const std::string rels =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/></Relationships>";
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY(zip != nullptr);
    const auto add = [&](const char* name, const std::string& text) {
        zip_source_t* source = zip_source_buffer(zip, text.data(), text.size(), 0);
        QVERIFY(zip_file_add(zip, name, source, ZIP_FL_OVERWRITE) >= 0);
    };
    add("xl/workbook.xml", workbook);
    add("xl/_rels/workbook.xml.rels", rels);
    add("xl/worksheets/sheet1.xml", sheet);
    QCOMPARE(zip_close(zip), 0);
}

class CancelAt : public core::TaskObserver {
public:
    CancelAt(core::TaskControl*& control, double at) : m_control(control), m_at(at) {}
    void onProgress(double fraction, const std::string&) override
    {
        if (fraction >= m_at)
            m_control->cancel();
    }

private:
    core::TaskControl*& m_control;
    double m_at;
};

} // namespace

class TestXlsxReader : public QObject {
    Q_OBJECT
private slots:
    void listsWorksheetsOnly()
    {
        QCOMPARE(xlsxSheetNames(fixture("types.xlsx")),
                 (std::vector<std::string>{"people", "gaps", "empty", "dupes"}));
        // The chart sheet comes first in the workbook but holds no cells.
        QCOMPARE(xlsxSheetNames(fixture("handmade.xlsx")), (std::vector<std::string>{"Data & more"}));
    }

    void readsEveryCellType()
    {
        const Table t = read("types.xlsx");  // the first sheet
        QCOMPARE(t.columnNames(), (std::vector<std::string>{"id", "score", "name", "active", "joined", "when", "note",
                                                            "mixed", "ratio"}));
        QCOMPARE(t.rowCount(), std::size_t(4));
        QCOMPARE(kindOf(t.column("id")), std::string("integer"));
        QVERIFY(numbersAre(t.column("id"), {1, 2, 3, 4}));
        // 2 is stored as "2" but 1.5 makes the column fractional, as pandas reads it.
        QCOMPARE(kindOf(t.column("score")), std::string("numeric"));
        QVERIFY(numbersAre(t.column("score"), {1.5, 2, 3.25, kNaN}));
        // "Edsger" is three rich-text runs plus a phonetic guide that is not part of it.
        QCOMPARE(kindOf(t.column("name")), std::string("categorical"));
        QCOMPARE(textsOf(t.column("name")), (std::vector<std::string>{"Ada", "Grace", "Edsger", "Ada"}));
        QCOMPARE(kindOf(t.column("active")), std::string("boolean"));
        QVERIFY(numbersAre(t.column("active"), {1, 0, 1, kNaN}));
        // yyyy-mm-dd dates, and 1900-01-01 (serial 1, before Excel's phantom 1900-02-29).
        QCOMPARE(kindOf(t.column("joined")), std::string("datetime"));
        QVERIFY(numbersAre(t.column("joined"), {1709251200, 946598400, -2208988800, kNaN}));
        // A custom format with quoted text around date parts is still a date format.
        QCOMPARE(kindOf(t.column("when")), std::string("datetime"));
        QVERIFY(numbersAre(t.column("when"), {1709300730, 946684800, 21600, kNaN}));
        QCOMPARE(t.column("when").textAt(0), std::string("2024-03-01 13:45:30"));
        // "NA" is a missing marker; #N/A is an error cell: both missing, as in pandas.
        QCOMPARE(textsOf(t.column("note")),
                 (std::vector<std::string>{"<missing>", "<missing>", "ok", "<missing>"}));
        // Numbers, text and booleans in one column keep their text (pandas: object).
        QCOMPARE(kindOf(t.column("mixed")), std::string("categorical"));
        QCOMPARE(textsOf(t.column("mixed")), (std::vector<std::string>{"1", "two", "True", "<missing>"}));
        // [Red]0.00" dm": the d and m are inside brackets and quotes, so not a date.
        QCOMPARE(kindOf(t.column("ratio")), std::string("numeric"));
        QVERIFY(numbersAre(t.column("ratio"), {0.5, 2, 3, 4}));
    }

    void missingMarkersAreTheCallersList()
    {
        const Table t = read("types.xlsx", "people", {"ok"});
        QCOMPARE(textsOf(t.column("note")), (std::vector<std::string>{"NA", "<missing>", "<missing>", "<missing>"}));
    }

    void choosesSheetsAndKeepsInnerBlankRows()
    {
        const Table t = read("types.xlsx", "gaps");
        // A value under no header gets a column_N name, as an empty CSV header field.
        QCOMPARE(t.columnNames(), (std::vector<std::string>{"a", "column_2", "c", "column_4"}));
        QCOMPARE(t.rowCount(), std::size_t(4));
        QVERIFY(numbersAre(t.column("a"), {1, kNaN, 2, kNaN}));
        QVERIFY(numbersAre(t.column("c"), {3, kNaN, kNaN, 5}));
        QCOMPARE(textsOf(t.column("column_4")),
                 (std::vector<std::string>{"<missing>", "<missing>", "beyond", "<missing>"}));
    }

    void readsBothDateSystems()
    {
        const Table t = read("dates1904.xlsx");
        QCOMPARE(kindOf(t.column("day")), std::string("datetime"));
        QVERIFY(numbersAre(t.column("day"), {1709251200, -2082758400}));
        QCOMPARE(t.column("day").textAt(0), std::string("2024-03-01"));
    }

    void readsOtherWritersPackages()
    {
        // Prefixed namespaces, rows and cells without references, an absolute part
        // target with "..", inline rich strings, formula strings, ISO dates (t="d"),
        // _x000D_ escapes, an empty shared string, a date style from a custom format.
        const Table t = read("handmade.xlsx", "Data & more");
        QCOMPARE(t.columnNames(),
                 (std::vector<std::string>{"label", "when", "duration", "calc", "flag", "stamp"}));
        QCOMPARE(t.rowCount(), std::size_t(3));
        QCOMPARE(textsOf(t.column("label")), (std::vector<std::string>{"line\rbreak", "<missing>", "<missing>"}));
        QCOMPARE(kindOf(t.column("when")), std::string("datetime"));
        // Serial 61 is 1900-03-01; the formatted but empty B4 is missing.
        QVERIFY(numbersAre(t.column("when"), {1709251200, -2203891200, kNaN}));
        QCOMPARE(kindOf(t.column("duration")), std::string("numeric"));
        QVERIFY(numbersAre(t.column("duration"), {1.5, 3, -2}));
        QCOMPARE(textsOf(t.column("calc")), (std::vector<std::string>{"text!", "<missing>", "<missing>"}));
        QCOMPARE(kindOf(t.column("flag")), std::string("boolean"));
        QVERIFY(numbersAre(t.column("flag"), {1, 0, kNaN}));
        QCOMPARE(kindOf(t.column("stamp")), std::string("datetime"));
        QVERIFY(numbersAre(t.column("stamp"), {1709289000, 1709289000, kNaN}));
    }

    void reportsProgressAndHonoursCancel()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("big.xlsx").toStdString();
        writeLargeWorkbook(path, 100000);
        ProgressRecorder recorder;
        core::TaskControl control(&recorder);
        const Table t = readXlsxFile(path, "", kDefaultMarkers, &control);
        QCOMPARE(t.rowCount(), std::size_t(100000));
        QCOMPARE(kindOf(t.column("x")), std::string("integer"));
        QCOMPARE(t.column("x").values().back(), 100001.0);
        QCOMPARE(t.column("y").values()[5], 0.5);  // row 7: 7 % 7 = 0
        QVERIFY2(recorder.fractions.size() > 20, std::to_string(recorder.fractions.size()).c_str());
        QCOMPARE(recorder.fractions.back(), 1.0);
        QCOMPARE(recorder.stages.back(), std::string("Reading sheet 'big' of big.xlsx — 100 k rows"));
        QVERIFY(std::any_of(recorder.stages.begin(), recorder.stages.end(), [](const std::string& stage) {
            return stage.find(" k rows") != std::string::npos && stage.find(" 100 k rows") == std::string::npos;
        }));

        core::TaskControl* cancelling = nullptr;
        CancelAt cancelAt(cancelling, 0.5);
        core::TaskControl control2(&cancelAt);
        cancelling = &control2;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, readXlsxFile(path, "", kDefaultMarkers, &control2));
    }

    void badWorkbooksAreDataErrorsNamingTheFile()
    {
        QTemporaryDir dir;
        const std::string empty = dir.filePath("empty.xlsx").toStdString();
        std::ofstream(empty).close();
        auto error = expectDataError([&] { readXlsxFile(empty, "", kDefaultMarkers); }, {"empty (0 bytes)"});
        QCOMPARE(error.location().source, empty);
        expectDataError([&] { xlsxSheetNames(empty); }, {"empty (0 bytes)"});

        error = expectDataError([] { read("not_a_zip.xlsx"); }, {"not a zip archive", "save it as .xlsx"});
        QCOMPARE(error.location().source, fixture("not_a_zip.xlsx"));
        expectDataError([] { read("no_workbook.xlsx"); }, {"not an Excel workbook", "xl/workbook.xml"});
        // The part and the line where the XML breaks.
        expectDataError([] { read("corrupt_sheet.xlsx", "Data & more"); },
                        {"xl/worksheets/one.xml line 9", "mismatched tag", "damaged"});
        expectDataError([] { read("bomb.xlsx", "Data & more"); }, {"zip bomb", "67 MB"});
        expectDataError([] { read("types.xlsx", "People "); },
                        {"no sheet named 'People '", "'people', 'gaps', 'empty', 'dupes'"});
        expectDataError([] { read("types.xlsx", "empty"); }, {"sheet 'empty' is empty"});
        expectDataError([] { read("types.xlsx", "dupes"); }, {"dupes!A1 and C1", "both named 'x'"});
        expectDataError([] { read("no_such_file.xlsx"); }, {"does not exist"});
        expectDataError([&] { readXlsxFile(dir.path().toStdString(), "", kDefaultMarkers); }, {"is a directory"});
    }

    void oleFilesAreNamedForWhatTheyAre()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("old.xlsx").toStdString();
        std::ofstream(path, std::ios::binary) << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)
                                              << std::string(600, '\0');
        expectDataError([&] { readXlsxFile(path, "", kDefaultMarkers); }, {"password-protected", "old .xls"});
    }
};

QTEST_GUILESS_MAIN(TestXlsxReader)
#include "tst_xlsx_reader.moc"
