// Correlations against pandas DataFrame.corr(), histograms against numpy.histogram and
// category counts against pandas value_counts(), on every bundled dataset and on edge
// cases (from tests/reference/distribution_reference.py).
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/correlation.hpp"
#include "stepwise/data/distribution.hpp"

using namespace stepwise;
using namespace stepwise::data;

namespace {

constexpr double kCorrelationTolerance = 1e-12;
// Edges are first + i * step in both; the only freedom is the last ulp of the step.
constexpr double kEdgeTolerance = 1e-12;

const nlohmann::json& reference()
{
    static const nlohmann::json json = [] {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/distribution_reference.json");
        return nlohmann::json::parse(in);
    }();
    return json;
}

double numberOrNan(const nlohmann::json& value)
{
    if (value.is_null())
        return std::numeric_limits<double>::quiet_NaN();
    if (value.is_string())
        return value.get<std::string>() == "inf" ? std::numeric_limits<double>::infinity()
                                                 : -std::numeric_limits<double>::infinity();
    return value.get<double>();
}

std::vector<double> numbers(const nlohmann::json& array)
{
    std::vector<double> values;
    for (const auto& v : array)
        values.push_back(numberOrNan(v));
    return values;
}

void compareCorrelation(const CorrelationMatrix& actual, const nlohmann::json& expected, const std::string& where)
{
    QCOMPARE(actual.columns, expected["columns"].get<std::vector<std::string>>());
    const std::size_t k = actual.size();
    QCOMPARE(actual.values.size(), k * k);
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = 0; j < k; ++j) {
            const double want = numberOrNan(expected["values"][i][j]);
            const double got = actual.at(i, j);
            const std::string cell = where + " " + actual.columns[i] + "/" + actual.columns[j] + ": " +
                                     std::to_string(got) + " vs " + std::to_string(want);
            if (std::isnan(want)) {
                QVERIFY2(std::isnan(got), cell.c_str());
            } else {
                QVERIFY2(std::abs(got - want) <= kCorrelationTolerance, cell.c_str());
                QCOMPARE(got, actual.at(j, i));
            }
        }
    }
}

void compareHistogram(const Histogram& actual, const nlohmann::json& expected, const std::string& where)
{
    const auto edges = expected["edges"].get<std::vector<double>>();
    const auto counts = expected["counts"].get<std::vector<std::size_t>>();
    QVERIFY2(actual.counts.size() == counts.size(),
             (where + ": " + std::to_string(actual.counts.size()) + " bins vs " + std::to_string(counts.size())).c_str());
    QCOMPARE(actual.edges.size(), edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i)
        QVERIFY2(std::abs(actual.edges[i] - edges[i]) <= kEdgeTolerance * std::max(1.0, std::abs(edges[i])),
                 (where + " edge " + std::to_string(i)).c_str());
    QVERIFY2(actual.counts == counts, where.c_str());
}

} // namespace

class TestDistribution : public QObject {
    Q_OBJECT
private slots:
    void datasets_data()
    {
        QTest::addColumn<QString>("dataset");
        for (const auto& [name, value] : reference()["datasets"].items())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void datasets()
    {
        QFETCH(QString, dataset);
        const std::string name = dataset.toStdString();
        const auto& expected = reference()["datasets"][name];
        const Table table = loadBuiltinDataset(name);

        compareCorrelation(correlationMatrix(table), expected["correlation"], name);

        for (const auto& [column, results] : expected["histograms"].items()) {
            const auto& values = table.column(column).values();
            for (const auto& result : results) {
                const auto bins = result["bins"].get<std::size_t>();
                compareHistogram(histogram(values, bins), result, name + "." + column + " bins=" + std::to_string(bins));
                if (bins == 0)
                    QCOMPARE(autoBinCount(values), result["counts"].size());
            }
        }

        for (const auto& [column, expectedCounts] : expected["categories"].items()) {
            const Column& data = table.column(column);
            const CategoryCounts all = categoryCounts(data, 0);
            const auto want = expectedCounts["counts"].get<std::map<std::string, std::size_t>>();
            QCOMPARE(all.top.size(), want.size());
            QCOMPARE(all.other, std::size_t(0));
            QCOMPARE(all.missing, expectedCounts["missing"].get<std::size_t>());
            for (std::size_t i = 0; i < all.top.size(); ++i) {
                const auto& [label, count] = all.top[i];
                QVERIFY2(want.count(label), (name + "." + column + ": unexpected " + label).c_str());
                QCOMPARE(count, want.at(label));
                if (i > 0)
                    QVERIFY(all.top[i - 1].second >= count);
            }
            const CategoryCounts three = categoryCounts(data, 3);
            QCOMPARE(three.top.size(), std::min<std::size_t>(3, want.size()));
            std::size_t total = three.other;
            for (std::size_t i = 0; i < three.top.size(); ++i) {
                QCOMPARE(three.top[i], all.top[i]);
                total += three.top[i].second;
            }
            QCOMPARE(total + three.missing, table.rowCount());
            QCOMPARE(three.otherDistinct, all.top.size() - three.top.size());
        }
    }

    void correlationEdgeCases()
    {
        const auto& expected = reference()["edge_cases"]["correlation"];
        Table table;
        for (const auto& name : expected["columns"].get<std::vector<std::string>>())
            table.addColumn(Column::numeric(name, numbers(expected["table"][name])));
        table.addColumn(Column::categoricalFromText("text", std::vector<std::string>(8, "x"), std::vector<bool>(8, false)));
        const CorrelationMatrix matrix = correlationMatrix(table);
        compareCorrelation(matrix, expected, "edge cases");
        // Rows where both are present: a and b share 6, `single` has one value.
        QCOMPARE(matrix.observationsAt(0, 1), std::size_t(6));
        QCOMPARE(matrix.observationsAt(3, 3), std::size_t(1));
        QCOMPARE(matrix.observationsAt(0, 0), std::size_t(7));
    }

    void histogramEdgeCases()
    {
        for (const auto& [name, entry] : reference()["edge_cases"]["histograms"].items()) {
            const std::vector<double> values = numbers(entry["values"]);
            for (const auto& result : entry["results"])
                compareHistogram(histogram(values, result["bins"].get<std::size_t>()), result,
                                 name + " bins=" + std::to_string(result["bins"].get<std::size_t>()));
        }
        const Histogram mixed = histogram({1.0, std::nan(""), std::numeric_limits<double>::infinity(), 2.0});
        QCOMPARE(mixed.missing, std::size_t(1));
        QCOMPARE(mixed.infinite, std::size_t(1));
        const Histogram empty = histogram({std::nan("")});
        QCOMPARE(empty.counts, std::vector<std::size_t>{0});
        QCOMPARE(empty.edges, (std::vector<double>{0.0, 1.0}));
    }

    void categoryCountsOfNumbers()
    {
        const Column column = Column::numeric("n", {2, 1, 2, std::nan(""), 3, 1, 2, 4});
        const CategoryCounts counts = categoryCounts(column, 2);
        QCOMPARE(counts.top, (std::vector<std::pair<std::string, std::size_t>>{{"2", 3}, {"1", 2}}));
        QCOMPARE(counts.other, std::size_t(2));
        QCOMPARE(counts.otherDistinct, std::size_t(2));
        QCOMPARE(counts.missing, std::size_t(1));
        // Ties keep the order of first appearance.
        const Column ties = Column::categoricalFromText("c", {"b", "a", "a", "b", "c"}, std::vector<bool>(5, false));
        const CategoryCounts tied = categoryCounts(ties, 0);
        QCOMPARE(tied.top, (std::vector<std::pair<std::string, std::size_t>>{{"b", 2}, {"a", 2}, {"c", 1}}));
    }

    void plotShapes()
    {
        const Table titanic = loadBuiltinDataset("titanic");
        // A few whole numbers: one bar per value, in value order.
        const ColumnDistribution pclass = columnDistribution(titanic.column("pclass"));
        QCOMPARE(pclass.shape, ColumnDistribution::Shape::Counts);
        QVERIFY(pclass.countsByValue);
        QCOMPARE(pclass.counts.top,
                 (std::vector<std::pair<std::string, std::size_t>>{{"1", 216}, {"2", 184}, {"3", 491}}));
        // Many numbers: numpy's bins.
        const ColumnDistribution age = columnDistribution(titanic.column("age"));
        QCOMPARE(age.shape, ColumnDistribution::Shape::Histogram);
        QCOMPARE(age.histogram.counts.size(), autoBinCount(titanic.column("age").values()));
        QCOMPARE(age.histogram.missing, std::size_t(177));
        const ColumnDistribution capped = columnDistribution(titanic.column("fare"), 5);
        QCOMPARE(capped.histogram.counts.size(), std::size_t(5));
        // Categories and booleans: the most frequent first.
        const ColumnDistribution deck = columnDistribution(titanic.column("deck"), 100, 3);
        QCOMPARE(deck.shape, ColumnDistribution::Shape::Counts);
        QVERIFY(!deck.countsByValue);
        QCOMPARE(deck.counts.top.size(), std::size_t(3));
        QCOMPARE(deck.counts.missing, std::size_t(688));
        QCOMPARE(columnDistribution(titanic.column("adult_male")).shape, ColumnDistribution::Shape::Counts);
    }

    void correlationCancels()
    {
        const Table table = loadBuiltinDataset("breast_cancer");
        core::TaskControl control;
        control.cancel();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, correlationMatrix(table, &control));
    }
};

QTEST_GUILESS_MAIN(TestDistribution)
#include "tst_distribution.moc"
