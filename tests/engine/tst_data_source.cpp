// Data sources: parsing "builtin:NAME" vs file paths, descriptions, and loading each kind.
#include <QtTest>

#include <fstream>

#include "stepwise/core/errors.hpp"
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

    void rejectsOtherFormats()
    {
        for (const std::string path : {"/tmp/data.xlsx", "/tmp/data.parquet", "/tmp/data"}) {
            try {
                loadTable(parseDataLocation(path));
                QFAIL("no error");
            } catch (const core::DataError& error) {
                QCOMPARE(std::string(error.what()),
                         path + ": Stepwise reads .csv and .tsv files in this version — save the data as CSV");
                QCOMPARE(error.location().source, path);
            }
        }
        try {
            loadTable(parseDataLocation("/no/such/file.csv"));
            QFAIL("no error");
        } catch (const core::DataError& error) {
            QVERIFY(std::string(error.what()).find("cannot open /no/such/file.csv") == 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestDataSource)
#include "tst_data_source.moc"
