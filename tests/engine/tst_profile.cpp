// Column profiles against pandas (describe/nunique/value_counts on titanic and mpg, from
// tests/reference/profile_reference.py) and the suspicious-column flags.
#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/profile.hpp"

using namespace stepwise;
using namespace stepwise::data;

namespace {

// pandas sums with NumPy's pairwise summation and we sum left to right; on a few hundred
// values the two differ by a few ulps, far below this relative tolerance.
constexpr double kTolerance = 1e-9;

bool close(double actual, double expected)
{
    return std::abs(actual - expected) <= kTolerance * std::max(1.0, std::abs(expected));
}

const DataFlag* findFlag(const DataProfile& profile, const std::string& column, const std::string& kind)
{
    for (const auto& flag : profile.flags)
        if (flag.column == column && flag.kind == kind)
            return &flag;
    return nullptr;
}

std::size_t flagCount(const DataProfile& profile, const std::string& column)
{
    return static_cast<std::size_t>(std::count_if(profile.flags.begin(), profile.flags.end(),
                                                  [&](const DataFlag& f) { return f.column == column; }));
}

std::string describeFlags(const DataProfile& profile)
{
    std::string text;
    for (const auto& flag : profile.flags)
        text += flag.column + "/" + flag.kind + ": " + flag.message + "\n";
    return text;
}

Column categorical(const std::string& name, const std::vector<std::string>& values)
{
    return Column::categoricalFromText(name, values, std::vector<bool>(values.size(), false));
}

} // namespace

class TestProfile : public QObject {
    Q_OBJECT
private slots:
    void matchesPandas_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::newRow("titanic") << "titanic";
        QTest::newRow("mpg") << "mpg";
    }

    void matchesPandas()
    {
        QFETCH(QString, dataset);
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/profile_reference.json");
        QVERIFY(in.good());
        const auto reference = nlohmann::json::parse(in)["datasets"][dataset.toStdString()];
        const DataProfile profile = profileTable(loadBuiltinDataset(dataset.toStdString()));
        QCOMPARE(profile.rows, reference["rows"].get<std::size_t>());
        QCOMPARE(profile.columns.size(), reference["columns"].size());
        for (std::size_t i = 0; i < profile.columns.size(); ++i) {
            const ColumnProfile& actual = profile.columns[i];
            const auto& expected = reference["columns"][i];
            const std::string where = actual.name + ": ";
            QCOMPARE(actual.name, expected["name"].get<std::string>());
            QCOMPARE(actual.missing, expected["missing"].get<std::size_t>());
            QCOMPARE(actual.unique, expected["unique"].get<std::size_t>());
            // pandas has one "object" dtype for categories and free text (the reference says
            // "categorical"); Stepwise tells them apart (mpg's car names are text).
            const std::string kind = expected["kind"].get<std::string>();
            const bool sameKind = actual.kind == kind || (kind == "categorical" && actual.kind == "text");
            QVERIFY2(sameKind, (where + actual.kind + " vs " + kind).c_str());
            if (kind == "integer" || kind == "numeric") {
                const std::vector<std::pair<const char*, const std::optional<double>*>> stats = {
                    {"mean", &actual.mean}, {"std", &actual.std}, {"min", &actual.min},  {"q1", &actual.q1},
                    {"median", &actual.median}, {"q3", &actual.q3}, {"max", &actual.max}};
                for (const auto& [key, value] : stats) {
                    QVERIFY2(value->has_value(), (where + key).c_str());
                    const double want = expected[key].get<double>();
                    QVERIFY2(close(**value, want),
                             (where + key + " " + std::to_string(**value) + " vs " + std::to_string(want)).c_str());
                }
                QVERIFY(actual.top.empty());
                continue;
            }
            if (kind == "boolean") {
                QVERIFY2(actual.mean && close(*actual.mean, expected["mean"].get<double>()), where.c_str());
                QVERIFY(!actual.std && !actual.median);
            } else {
                QVERIFY(!actual.mean && !actual.std && !actual.median);
            }
            std::vector<std::pair<std::string, std::size_t>> top;
            for (const auto& entry : expected["top"])
                top.emplace_back(entry[0].get<std::string>(), entry[1].get<std::size_t>());
            QCOMPARE(actual.top, top);
        }
    }

    void kinds()
    {
        // The kind is the column's own (decided on load, see tst_column_kinds); the
        // profile reports it. pandas: int64, float64, object, bool, object.
        const DataProfile titanic = profileTable(loadBuiltinDataset("titanic"));
        std::map<std::string, std::string> kinds;
        for (const auto& column : titanic.columns)
            kinds[column.name] = column.kind;
        QCOMPARE(kinds["survived"], std::string("integer"));
        QCOMPARE(kinds["age"], std::string("numeric"));
        QCOMPARE(kinds["sex"], std::string("categorical"));
        QCOMPARE(kinds["adult_male"], std::string("boolean"));  // True/False
        QCOMPARE(kinds["alive"], std::string("categorical"));   // yes/no: pandas keeps it as text too
        QCOMPARE(kinds["deck"], std::string("categorical"));
        const DataProfile mpg = profileTable(loadBuiltinDataset("mpg"));
        QCOMPARE(mpg.columns.back().name, std::string("name"));
        QCOMPARE(mpg.columns.back().kind, std::string("text"));  // "chevrolet chevelle malibu", …

        Table t;
        t.addColumn(Column::numeric("when", {0.0, 86400.0 * 365, std::nan("")}, ColumnKind::Datetime));
        t.addColumn(Column::numeric("flag", {1.0, 0.0, 1.0}, ColumnKind::Boolean));
        const DataProfile p = profileTable(t);
        QCOMPARE(p.columns[0].kind, std::string("datetime"));
        QCOMPARE(formatProfileValue(p.columns[0], *p.columns[0].max), std::string("1971-01-01"));
        QVERIFY(!p.columns[0].std);
        QCOMPARE(p.columns[1].kind, std::string("boolean"));
        const std::vector<std::pair<std::string, std::size_t>> flagTop = {{"True", 2}, {"False", 1}};
        QCOMPARE(p.columns[1].top, flagTop);
    }

    void headerWithoutRowsHasNoFlags()
    {
        Table t;
        t.addColumn(Column::numeric("a", {}));
        t.addColumn(Column::categorical("b", {}, {}));
        const DataProfile p = profileTable(t, std::string("a"));
        QCOMPARE(p.rows, std::size_t(0));
        QCOMPARE(p.columns.size(), std::size_t(2));
        QVERIFY(p.flags.empty());
    }

    void smallStatistics()
    {
        Table t;
        t.addColumn(Column::numeric("x", {4, std::nan(""), 1, 3, 2}));
        t.addColumn(Column::numeric("one", {std::nan(""), 5, std::nan(""), std::nan(""), std::nan("")}));
        t.addColumn(Column::numeric("none", std::vector<double>(5, std::nan(""))));
        t.addColumn(categorical("c", {"b", "a", "a", "b", "c"}));
        const DataProfile p = profileTable(t);
        // pandas: Series([4, None, 1, 3, 2]).describe()
        const ColumnProfile& x = p.columns[0];
        QCOMPARE(x.missing, std::size_t(1));
        QCOMPARE(*x.mean, 2.5);
        QVERIFY(close(*x.std, std::sqrt(5.0 / 3.0)));
        QCOMPARE(*x.q1, 1.75);
        QCOMPARE(*x.median, 2.5);
        QCOMPARE(*x.q3, 3.25);
        // One value: no sample std (pandas gives NaN), the rest is that value.
        QVERIFY(!p.columns[1].std.has_value());
        QCOMPARE(*p.columns[1].q3, 5.0);
        QVERIFY(!p.columns[2].mean.has_value());
        QCOMPARE(p.columns[2].unique, std::size_t(0));
        // Ties by first appearance: b before a.
        QCOMPARE(p.columns[3].top, (std::vector<std::pair<std::string, std::size_t>>{{"b", 2}, {"a", 2}, {"c", 1}}));
    }

    void titanicLeakIsFlagged()
    {
        const DataProfile p = profileTable(loadBuiltinDataset("titanic"), std::string("survived"));
        const DataFlag* alive = findFlag(p, "alive", "target_leak");
        QVERIFY2(alive, describeFlags(p).c_str());
        QCOMPARE(alive->message, std::string("'alive' determines 'survived' exactly on every row — it is probably the "
                                             "target in disguise; drop it from the features"));
        QCOMPARE(flagCount(p, "sex"), std::size_t(0));
        QCOMPARE(flagCount(p, "survived"), std::size_t(0));
        QCOMPARE(flagCount(p, "pclass"), std::size_t(0));
        // Nothing else on titanic is a leak, constant or an identifier.
        QCOMPARE(p.flags.size(), std::size_t(1));
        // Without a target there is no leak to find.
        QVERIFY(profileTable(loadBuiltinDataset("titanic")).flags.empty());
        // The other way round: with 'alive' as the target, the 0/1 column gives it away.
        const DataProfile reverse = profileTable(loadBuiltinDataset("titanic"), std::string("alive"));
        QVERIFY2(findFlag(reverse, "survived", "target_leak"), describeFlags(reverse).c_str());
        QVERIFY_THROWS_EXCEPTION(core::DataError, profileTable(loadBuiltinDataset("titanic"), std::string("nope")));
    }

    void numericLeakIsFlagged()
    {
        Table t;
        std::vector<double> y, copy, unrelated;
        for (int i = 0; i < 100; ++i) {
            y.push_back(std::sin(i) * 10);
            copy.push_back(2 * y.back() + 1 + 0.01 * std::cos(i * 7));
            unrelated.push_back(std::cos(i * 3.0));
        }
        copy[5] = std::nan("");
        t.addColumn(Column::numeric("y", y));
        t.addColumn(Column::numeric("y_in_cents", copy));
        t.addColumn(Column::numeric("noise", unrelated));
        const DataProfile p = profileTable(t, std::string("y"));
        const DataFlag* leak = findFlag(p, "y_in_cents", "target_leak");
        QVERIFY2(leak, describeFlags(p).c_str());
        QVERIFY2(leak->message.find("'y_in_cents' is almost perfectly correlated with 'y' (r = 1)") == 0,
                 leak->message.c_str());
        QCOMPARE(flagCount(p, "noise"), std::size_t(0));
        // The mpg data has no leak and one high-cardinality text column.
        const DataProfile mpg = profileTable(loadBuiltinDataset("mpg"), std::string("mpg"));
        QVERIFY2(findFlag(mpg, "name", "high_cardinality"), describeFlags(mpg).c_str());
        QCOMPARE(mpg.flags.size(), std::size_t(1));
        QVERIFY(findFlag(mpg, "name", "high_cardinality")->message.find("'name' has 305 different values in 398 rows") ==
                0);
    }

    void constantAndIdentifierColumns()
    {
        Table t;
        std::vector<double> id, fractional, value;
        std::vector<std::string> code, constant, level;
        std::vector<bool> missing;
        for (int i = 0; i < 30; ++i) {
            id.push_back(1000 + i);
            fractional.push_back(i + 0.5);
            value.push_back(i % 7);
            code.push_back("P-" + std::to_string(i * 31 % 97));
            constant.push_back("same");
            level.push_back(i % 2 ? "x" : "y");
            missing.push_back(i % 3 == 0);
        }
        t.addColumn(Column::numeric("id", id));
        t.addColumn(Column::numeric("measure", fractional));
        t.addColumn(Column::numeric("value", value));
        t.addColumn(categorical("code", code));
        t.addColumn(Column::categoricalFromText("constant", constant, missing));
        t.addColumn(Column::numeric("empty", std::vector<double>(30, std::nan(""))));
        t.addColumn(categorical("level", level));
        const DataProfile p = profileTable(t);
        QVERIFY2(findFlag(p, "id", "id_like"), describeFlags(p).c_str());
        QVERIFY(findFlag(p, "code", "id_like"));
        QVERIFY(findFlag(p, "id", "id_like")->message.find("'id' has a different value on every one of the 30 rows") ==
                0);
        const DataFlag* constantFlag = findFlag(p, "constant", "constant");
        QVERIFY(constantFlag);
        QVERIFY(constantFlag->message.find("'constant' has the same value (same) on every row") == 0);
        QVERIFY(findFlag(p, "empty", "constant"));
        QCOMPARE(flagCount(p, "measure"), std::size_t(0));  // distinct but not whole numbers
        QCOMPARE(flagCount(p, "value"), std::size_t(0));
        QCOMPARE(flagCount(p, "level"), std::size_t(0));
        QCOMPARE(p.flags.size(), std::size_t(4));
        // Below 20 rows nothing is called an identifier.
        const DataProfile small = profileTable(t.selectRows({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QVERIFY(!findFlag(small, "id", "id_like"));
        // A target is never flagged as its own leak or an identifier, only as constant.
        const DataProfile withTarget = profileTable(t, std::string("id"));
        QCOMPARE(flagCount(withTarget, "id"), std::size_t(0));
        Table constantTarget;
        constantTarget.addColumn(Column::numeric("y", std::vector<double>(30, 1.0)));
        constantTarget.addColumn(categorical("level", level));
        const DataProfile ct = profileTable(constantTarget, std::string("y"));
        QVERIFY(findFlag(ct, "y", "constant"));
        QCOMPARE(ct.flags.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
