// Data sources: parsing "builtin:NAME" vs file paths, descriptions, and loading each kind.
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "stepwise/core/errors.hpp"
#include "engine/reader_test_support.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"

using namespace stepwise;
using namespace stepwise::data;

class TestDataSource : public QObject {
    Q_OBJECT
private slots:
    void parsesLocations()
    {
        const DataSource builtin = parseDataLocation("builtin:iris");
        QCOMPARE(builtin.kind, DataSourceKind::Builtin);
        QCOMPARE(builtin.location, std::string("iris"));
        QCOMPARE(builtin.describe(), std::string("builtin:iris"));
        const DataSource file = parseDataLocation("/data/my builtin:file.csv");
        QCOMPARE(file.kind, DataSourceKind::File);
        QCOMPARE(file.location, std::string("/data/my builtin:file.csv"));
        QCOMPARE(file.describe(), std::string("/data/my builtin:file.csv"));
    }

    void describesGenerators()
    {
        DataSource source;
        source.kind = DataSourceKind::Generated;
        source.generator.samples = 1000;
        source.generator.weights = {0.9};
        source.generator.seed = 42;
        QCOMPARE(source.describe(),
                 std::string("make_classification(samples=1000, features=20, informative=2, redundant=2, "
                             "repeated=0, classes=2, clusters_per_class=2, weights=[0.9], flip_y=0.01, "
                             "class_sep=1, hypercube=true, shift=0, scale=1, shuffle=true, seed=42)"));
        const Table t = loadTable(source);
        QCOMPARE(t.rowCount(), std::size_t(1000));
        QCOMPARE(t.columnCount(), std::size_t(21));
    }

    void loadsBuiltinAndFiles()
    {
        QCOMPARE(loadTable(parseDataLocation("builtin:titanic")).rowCount(), std::size_t(891));
        QVERIFY_THROWS_EXCEPTION(core::DataError, loadTable(parseDataLocation("builtin:nope")));
        QTemporaryDir dir;
        for (const char* name : {"a.csv", "b.TSV", "c.txt"}) {
            const std::string path = dir.filePath(name).toStdString();
            std::ofstream(path) << (std::string(name) == "b.TSV" ? "x\ty\n1\t2\n" : "x,y\n1,2\n");
            const Table t = loadTable(parseDataLocation(path));
            QCOMPARE(t.columnCount(), std::size_t(2));
            QCOMPARE(t.rowCount(), std::size_t(1));
        }
    }

    void formatsFollowTheExtension()
    {
        QCOMPARE(fileFormatOf("a.csv"), FileFormat::Csv);
        QCOMPARE(fileFormatOf("b.TSV"), FileFormat::Csv);
        QCOMPARE(fileFormatOf("c.txt"), FileFormat::Csv);
        QCOMPARE(fileFormatOf("/x/y.XLSX"), FileFormat::Xlsx);
        for (const char* name : {"d.sqlite", "e.sqlite3", "f.db"})
            QCOMPARE(fileFormatOf(name), FileFormat::Sqlite);
        for (const char* name : {"g.json", "h.jsonl", "i.ndjson"})
            QCOMPARE(fileFormatOf(name), FileFormat::Json);
        for (const std::string path : {"/tmp/data.parquet", "/tmp/data"}) {
            const core::DataError error = readers_test::expectDataError(
                [&] { loadTable(parseDataLocation(path)); }, {".csv, .tsv, .txt, .xlsx, .json", ".sqlite"});
            QCOMPARE(error.location().source, path);
        }
        readers_test::expectDataError([] { fileFormatOf("old.xls"); }, {"old .xls", "save it as .xlsx"});
        readers_test::expectDataError([] { loadTable(parseDataLocation("/no/such/file.csv")); },
                                      {"/no/such/file.csv", "cannot open"});
    }

    void describesWhatIsRead()
    {
        DataSource source = parseDataLocation("sales.xlsx");
        source.read.sheet = "Q3";
        QCOMPARE(source.describe(), std::string("sales.xlsx [Q3]"));
        source = parseDataLocation("shop.db");
        source.read.table = "orders";
        QCOMPARE(source.describe(), std::string("shop.db [orders]"));
        source.read.query = "SELECT 1";
        QCOMPARE(source.describe(), std::string("shop.db [SELECT 1]"));
        QCOMPARE(textEncodingFromString("latin-1"), std::optional(TextEncoding::Latin1));
        QCOMPARE(std::string(toString(TextEncoding::Utf8)), std::string("utf-8"));
        QVERIFY(!textEncodingFromString("utf8"));
    }

    void loadsEveryFormatWithItsOptions()
    {
        DataSource xlsx = parseDataLocation(readers_test::fixture("types.xlsx"));
        xlsx.read.sheet = "gaps";
        QCOMPARE(loadTable(xlsx).columnCount(), std::size_t(4));
        DataSource sqlite = parseDataLocation(readers_test::fixture("shop.sqlite"));
        sqlite.read.table = "people";
        sqlite.read.csv.missingMarkers = {"ok"};  // markers apply to every format
        const Table people = loadTable(sqlite);
        QCOMPARE(readers_test::textsOf(people.column("note")),
                 (std::vector<std::string>{"NA", "<missing>", "fine", ""}));
        sqlite.read.table.clear();
        sqlite.read.query = "SELECT name FROM people";
        QCOMPARE(loadTable(sqlite).columnCount(), std::size_t(1));
        DataSource json = parseDataLocation(readers_test::fixture("records.jsonl"));
        json.read.columnKinds = {{"id", ColumnKind::Categorical}, {"score", ColumnKind::Text}};
        const Table records = loadTable(json);
        QCOMPARE(readers_test::kindOf(records.column("id")), std::string("categorical"));
        QCOMPARE(readers_test::kindOf(records.column("score")), std::string("text"));
        // Overrides apply to builtin data too, and name the source when they fail.
        DataSource builtin = parseDataLocation("builtin:titanic");
        builtin.read.columnKinds = {{"pclass", ColumnKind::Categorical}};
        QCOMPARE(readers_test::kindOf(loadTable(builtin).column("pclass")), std::string("categorical"));
        builtin.read.columnKinds = {{"sex", ColumnKind::Numeric}};
        readers_test::expectDataError([&] { loadTable(builtin); }, {"builtin:titanic", "sex"});
    }

    void everyBuiltinDatasetLoads()
    {
        for (const auto& dataset : builtinDatasets()) {
            const Table t = loadTable(parseDataLocation("builtin:" + dataset.name));
            QVERIFY2(t.rowCount() > 100 && t.hasColumn(dataset.target), dataset.name.c_str());
        }
        QCOMPARE(builtinDatasets().size(), std::size_t(7));
    }

    void estimatesLoadsBeforeReading()
    {
        QTemporaryDir dir;
        // Large enough that the estimate scales a 256 KB sample up to the file (rows of
        // one width, so the sample is representative).
        const std::string path = dir.filePath("big.csv").toStdString();
        {
            std::ofstream out(path);
            out << "a;b;c;d\n";
            for (int i = 0; i < 40000; ++i)
                out << 100000 + i << ';' << 100000 + i << ".5;x" << i % 7 << ';' << (i % 3 ? "1.25" : "    ") << '\n';
        }
        const LoadEstimate csv = estimateLoad(parseDataLocation(path));
        QCOMPARE(csv.columns, std::size_t(4));
        QVERIFY2(csv.estimatedRows > 38000 && csv.estimatedRows < 42000, std::to_string(csv.estimatedRows).c_str());
        QCOMPARE(csv.fileBytes, std::uint64_t(std::filesystem::file_size(path)));
        QVERIFY(csv.estimatedBytes >= csv.estimatedRows * csv.columns * 8);
        QVERIFY(csv.availableBytes > 0);
        QVERIFY(!csv.tooLarge());

        const LoadEstimate xlsx = estimateLoad(parseDataLocation(readers_test::fixture("types.xlsx")));
        QCOMPARE(xlsx.estimatedRows, std::uint64_t(4));  // from the sheet's declared range A1:I5
        QCOMPARE(xlsx.columns, std::size_t(9));
        DataSource people = parseDataLocation(readers_test::fixture("shop.sqlite"));
        people.read.table = "people";
        const LoadEstimate sqlite = estimateLoad(people);
        QCOMPARE(sqlite.estimatedRows, std::uint64_t(4));
        QCOMPARE(sqlite.columns, std::size_t(6));
        QVERIFY(sqlite.rowsKnown);
        // A view's or query's rows are not counted (that would run it): unknown, not 0.
        people.read.table = "adults";
        const LoadEstimate view = estimateLoad(people);
        QVERIFY(!view.rowsKnown);
        QCOMPARE(view.columns, std::size_t(2));
        people.read.table.clear();
        people.read.query = "SELECT id FROM people";
        QVERIFY(!estimateLoad(people).rowsKnown);
        QVERIFY(csv.rowsKnown);
        const LoadEstimate json = estimateLoad(parseDataLocation(readers_test::fixture("records.json")));
        QCOMPARE(json.estimatedRows, std::uint64_t(3));
        QVERIFY(json.columns >= 6 && json.columns <= 8);
        const LoadEstimate builtin = estimateLoad(parseDataLocation("builtin:iris"));
        QCOMPARE(builtin.estimatedRows, std::uint64_t(150));
        QCOMPARE(builtin.fileBytes, std::uint64_t(0));

        LoadEstimate huge;
        huge.estimatedBytes = 3'100'000'000;
        huge.availableBytes = 1'200'000'000;
        QVERIFY(huge.tooLarge());
        huge.availableBytes = 0;  // unknown: never refuse
        QVERIFY(!huge.tooLarge());
        // Estimating reads the workbook's structure, so bad files fail here already.
        readers_test::expectDataError([] { estimateLoad(parseDataLocation(readers_test::fixture("not_a_zip.xlsx"))); },
                                      {"not a zip archive"});
    }
};

QTEST_GUILESS_MAIN(TestDataSource)
#include "tst_data_source.moc"
