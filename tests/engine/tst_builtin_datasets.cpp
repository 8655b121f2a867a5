// Bundled datasets: each loads from the compiled-in copy with the shape and class balance
// that resources/datasets/README.md documents, and the list describes them.
#include <QtTest>

#include <map>

#include "data/embedded_datasets.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/csv_reader.hpp"

using namespace stepwise;
using namespace stepwise::data;

namespace {

/// Counts of each target value, keyed by its text.
std::map<std::string, std::size_t> valueCounts(const Column& column)
{
    std::map<std::string, std::size_t> counts;
    for (std::size_t row = 0; row < column.size(); ++row)
        ++counts[column.textAt(row)];
    return counts;
}

} // namespace

class TestBuiltinDatasets : public QObject {
    Q_OBJECT
private slots:
    void listIsCompleteAndSorted()
    {
        const auto& list = builtinDatasets();
        std::vector<std::string> names;
        for (const auto& dataset : list) {
            names.push_back(dataset.name);
            QVERIFY2(dataset.task == "classification" || dataset.task == "regression", dataset.name.c_str());
            QVERIFY2(dataset.description.find("UCI") != std::string::npos ||
                         dataset.description.find("via") != std::string::npos,
                     dataset.name.c_str());
        }
        QCOMPARE(names, (std::vector<std::string>{"breast_cancer", "diabetes", "iris", "mpg", "tips", "titanic",
                                                  "wine"}));
        // Every bundled CSV is listed, and nothing else.
        std::vector<std::string> embedded;
        for (const auto& file : embedded::files())
            embedded.push_back(file.name);
        QCOMPARE(embedded, names);
    }

    void eachLoadsWithTheDocumentedShape_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("columns");
        QTest::addColumn<int>("missing");
        // From the table in resources/datasets/README.md.
        QTest::newRow("iris") << "iris" << 150 << 5 << 0;
        QTest::newRow("wine") << "wine" << 178 << 14 << 0;
        QTest::newRow("breast_cancer") << "breast_cancer" << 569 << 31 << 0;
        QTest::newRow("titanic") << "titanic" << 891 << 15 << 177 + 688 + 2 + 2;
        QTest::newRow("tips") << "tips" << 244 << 7 << 0;
        QTest::newRow("diabetes") << "diabetes" << 442 << 11 << 0;
        QTest::newRow("mpg") << "mpg" << 398 << 9 << 6;
    }

    void eachLoadsWithTheDocumentedShape()
    {
        QFETCH(QString, name);
        QFETCH(int, rows);
        QFETCH(int, columns);
        QFETCH(int, missing);
        const Table t = loadBuiltinDataset(name.toStdString());
        QCOMPARE(t.rowCount(), std::size_t(rows));
        QCOMPARE(t.columnCount(), std::size_t(columns));
        QCOMPARE(t.missingCount(), std::size_t(missing));
        const auto& list = builtinDatasets();
        const auto entry = std::find_if(list.begin(), list.end(),
                                        [&](const BuiltinDataset& d) { return d.name == name.toStdString(); });
        QVERIFY(entry != list.end());
        QVERIFY(t.hasColumn(entry->target));
        // The compiled-in copy is the file in resources/datasets.
        const Table file = readCsvFile(STEPWISE_DATASETS_DIR "/" + name.toStdString() + ".csv");
        QCOMPARE(file.columnNames(), t.columnNames());
        for (std::size_t c = 0; c < t.columnCount(); ++c)
            for (std::size_t row = 0; row < t.rowCount(); ++row)
                QCOMPARE(t.column(c).textAt(row), file.column(c).textAt(row));
    }

    void targetsAndTypes()
    {
        const Table iris = loadBuiltinDataset("iris");
        QCOMPARE(valueCounts(iris.column("species")),
                 (std::map<std::string, std::size_t>{{"setosa", 50}, {"versicolor", 50}, {"virginica", 50}}));
        const Table wine = loadBuiltinDataset("wine");
        QCOMPARE(valueCounts(wine.column("target")),
                 (std::map<std::string, std::size_t>{{"0", 59}, {"1", 71}, {"2", 48}}));
        QVERIFY(wine.hasColumn("od280/od315_of_diluted_wines"));
        const Table cancer = loadBuiltinDataset("breast_cancer");
        QCOMPARE(valueCounts(cancer.column("target")), (std::map<std::string, std::size_t>{{"0", 212}, {"1", 357}}));
        QVERIFY(cancer.hasColumn("mean radius"));
        const Table titanic = loadBuiltinDataset("titanic");
        QCOMPARE(valueCounts(titanic.column("survived")), (std::map<std::string, std::size_t>{{"0", 549}, {"1", 342}}));
        const Table tips = loadBuiltinDataset("tips");
        for (const char* categorical : {"sex", "smoker", "day", "time"})
            QVERIFY(tips.column(categorical).isCategorical());
        QVERIFY(tips.column("tip").isNumeric());
        const Table mpg = loadBuiltinDataset("mpg");
        QCOMPARE(mpg.column("horsepower").missingCount(), std::size_t(6));
        QVERIFY(mpg.column("origin").isCategorical());
        QVERIFY(loadBuiltinDataset("diabetes").column("sex").isNumeric());
    }

    void unknownNameListsTheNames()
    {
        try {
            loadBuiltinDataset("titanik");
            QFAIL("no error");
        } catch (const core::DataError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("'titanik'") != std::string::npos, message.c_str());
            QVERIFY2(message.find("breast_cancer, diabetes, iris, mpg, tips, titanic, wine") != std::string::npos,
                     message.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestBuiltinDatasets)
#include "tst_builtin_datasets.moc"
