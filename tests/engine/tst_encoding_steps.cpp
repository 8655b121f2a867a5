// The feature steps for numbers, categories and dates — robust scaling, ordered and
// strict encoding, binning, date parts, math functions — against scikit-learn 1.2.1,
// pandas and NumPy (tests/reference/encoding_reference.py), the train-only fitting rule,
// save/load (also of version-1 encoder files), and the errors.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/prep/transformers.hpp"
#include "step_test_support.hpp"

using namespace stepwise;
using namespace step_test;
using nlohmann::json;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

const json& reference()
{
    static const json data = loadReference("encoding_reference.json");
    return data;
}

const json& cases() { return reference()["cases"]; }

/// The titanic columns of the reference, in its column order.
data::Table titanic()
{
    const json& ref = reference();
    const auto categorical = ref["categorical"].get<std::vector<std::string>>();
    data::Table table;
    for (const std::string& name : ref["column_order"].get<std::vector<std::string>>()) {
        const bool isCategorical = std::find(categorical.begin(), categorical.end(), name) != categorical.end();
        table.addColumn(isCategorical ? categoricalColumn(name, ref["input"][name])
                                      : numericColumn(name, ref["input"][name]));
    }
    return table;
}

data::Table trainRows() { return titanic().selectRows(reference()["train_rows"].get<std::vector<std::size_t>>()); }
data::Table checkRows() { return titanic().selectRows(reference()["check_rows"].get<std::vector<std::size_t>>()); }

/// The date-time fixture: "when" (datetime) between two other columns.
data::Table dates(bool trainingOnly)
{
    const json& fixture = reference()["dates"];
    std::vector<double> seconds;
    for (const json& value : fixture["seconds"])
        seconds.push_back(value.is_null() ? kNaN : value.get<double>());
    const std::size_t rows = trainingOnly ? fixture["train_count"].get<std::size_t>() : seconds.size();
    seconds.resize(rows);
    std::vector<double> index(rows);
    for (std::size_t row = 0; row < rows; ++row)
        index[row] = static_cast<double>(row);
    data::Table table;
    table.addColumn(data::Column::numeric("id", index));
    table.addColumn(data::Column::numeric("when", seconds, data::ColumnKind::Datetime));
    table.addColumn(data::Column::numeric("after", index));
    return table;
}

/// Compares a numeric column with the reference values (null = missing).
void compareNumbers(const data::Column& column, const json& expected, const std::string& what)
{
    QVERIFY2(column.isNumeric(), what.c_str());
    QCOMPARE(column.size(), expected.size());
    for (std::size_t row = 0; row < expected.size(); ++row) {
        const double want = expected[row].is_null() ? kNaN : expected[row].get<double>();
        QVERIFY2(close(column.values()[row], want), qPrintable(QString("%1 row %2: got %3, reference %4")
                                                                   .arg(QString::fromStdString(what))
                                                                   .arg(row)
                                                                   .arg(column.values()[row], 0, 'g', 17)
                                                                   .arg(want, 0, 'g', 17)));
    }
}

/// Compares a categorical column with the reference texts (null = missing).
void compareTexts(const data::Column& column, const json& expected, const std::string& what)
{
    QVERIFY2(column.isCategorical(), what.c_str());
    QCOMPARE(column.size(), expected.size());
    for (std::size_t row = 0; row < expected.size(); ++row) {
        if (expected[row].is_null())
            QVERIFY2(column.isMissing(row), qPrintable(QString("%1 row %2").arg(QString::fromStdString(what)).arg(row)));
        else
            QCOMPARE(column.textAt(row), expected[row].get<std::string>());
    }
}

struct RecordingObserver : core::TaskObserver {
    std::vector<double> fractions;
    void onProgress(double fraction, const std::string&) override { fractions.push_back(fraction); }
};

/// Each new transformer (and the encoders' new settings) with a table it fits on.
struct Case {
    std::string name;
    std::function<std::unique_ptr<prep::Transformer>()> make;
    std::function<data::Table()> train;
    std::function<data::Table()> check;
};

std::vector<Case> everyCase()
{
    return {
        {"robust", [] { return step("scale", {{"method", "robust"}}); }, trainRows, checkRows},
        {"onehot strict", [] { return step("encode", {{"unknown", "error"}}, {"sex", "embarked"}); }, trainRows,
         checkRows},
        {"ordinal order",
         [] { return step("encode", {{"method", "ordinal"}, {"order", "Third,Second,First"}}, {"class"}); },
         trainRows, checkRows},
        {"ordinal strict", [] { return step("encode", {{"method", "ordinal"}, {"unknown", "error"}}, {"sex"}); },
         trainRows, checkRows},
        {"bin quantile", [] { return step("bin", {{"strategy", "quantile"}, {"bins", "4"}}); }, trainRows, checkRows},
        {"bin uniform labels",
         [] { return step("bin", {{"strategy", "uniform"}, {"bins", "3"}, {"output", "category"}}, {"age"}); },
         trainRows, checkRows},
        {"bin edges",
         [] {
             return step("bin",
                         {{"strategy", "edges"}, {"edges", "0,12.5,18,65,inf"}, {"labels", "child,teen,adult,senior"},
                          {"output", "category"}, {"right", "false"}},
                         {"age"});
         },
         trainRows, checkRows},
        {"date parts",
         [] { return step("date_parts", {{"parts", "year,month,day,dayofweek,hour,quarter,days_since"}}); },
         [] { return dates(true); }, [] { return dates(false); }},
        {"date parts since keep",
         [] { return step("date_parts", {{"parts", "days_since,year"}, {"since", "2000-01-01"}, {"keep", "true"}}); },
         [] { return dates(true); }, [] { return dates(false); }},
        {"math log1p", [] { return step("math", {{"function", "log1p"}}, {"fare", "age"}); }, trainRows, checkRows},
        {"math power", [] { return step("math", {{"function", "power"}, {"power", "-0.5"}}, {"age"}); }, trainRows,
         checkRows},
    };
}

} // namespace

class TestEncodingSteps : public QObject {
    Q_OBJECT
private slots:
    // ---- scale robust ------------------------------------------------------------------

    void robustScalerMatchesScikitLearn()
    {
        const json& expected = cases()["robust_scaler"];
        const auto scaler = fitted(step("scale", {{"method", "robust"}}), trainRows());
        QCOMPARE(scaler->kind(), std::string("robust_scaler"));
        const data::Table out = scaler->transform(checkRows());
        for (const auto& [name, values] : expected["output"].items())
            compareNumbers(out.column(name), values, "robust " + name);
        // parch has q25 = q75 = 0 in the training rows: divisor 1, as scikit-learn.
        QCOMPARE(expected["scale"]["parch"].get<double>(), 1.0);
        QCOMPARE(out.column("sex").codes(), checkRows().column("sex").codes());
        QCOMPARE(scaler->describe(), std::string("robust scaling of 4 numeric columns (minus the training median, "
                                                 "divided by the training interquartile range)"));
    }

    // ---- encode: unknown=error, order ---------------------------------------------------

    void oneHotRefusesUnknownCategoriesNamingTheRow()
    {
        const json& expected = cases()["one_hot_unknown_error"];
        QVERIFY(expected["refused"].get<bool>());
        const auto encoder = fitted(step("encode", {{"unknown", "error"}}, {"deck"}), trainRows());
        QVERIFY_THROWS_EXCEPTION(core::DataError, encoder->transform(checkRows()));
        const std::string message = messageOf([&] { encoder->transform(checkRows()); });
        const std::string row = "row " + std::to_string(expected["first_unknown"]["row"].get<int>()) + ",";
        QVERIFY2(contains(message, row), message.c_str());
        QVERIFY2(contains(message, "column 'deck'"), message.c_str());
        QVERIFY2(contains(message, "'" + expected["first_unknown"]["value"].get<std::string>() + "'"),
                 message.c_str());
        QVERIFY2(contains(message, "unknown=ignore"), message.c_str());
        // Known categories and missing values pass.
        const data::Table train = encoder->transform(trainRows());
        QVERIFY(train.hasColumn("deck=A"));
        QVERIFY(!train.hasColumn("deck"));
        QVERIFY(contains(encoder->describe(), "a category not seen in training is an error"));
    }

    void ordinalOrderMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("column");
        QTest::newRow("class") << "ordinal_class_order" << "class";
        QTest::newRow("deck reversed, unseen G") << "ordinal_deck_reversed" << "deck";
    }

    void ordinalOrderMatchesScikitLearn()
    {
        QFETCH(QString, caseName);
        QFETCH(QString, column);
        const json& expected = cases()[caseName.toStdString()];
        std::string order;
        for (const json& category : expected["order"]) {
            if (!order.empty())
                order.push_back(',');
            order.append(category.get<std::string>());
        }
        const auto encoder =
            fitted(step("encode", {{"method", "ordinal"}, {"order", order}}, {column.toStdString()}), trainRows());
        const data::Table out = encoder->transform(checkRows());
        QCOMPARE(out.columnNames(), checkRows().columnNames());
        compareNumbers(out.column(column.toStdString()), expected["output"], caseName.toStdString());
        // Only the ordered column changes.
        QCOMPARE(out.column("sex").codes(), checkRows().column("sex").codes());
    }

    void ordinalOrderSpacesAndDescription()
    {
        const auto encoder =
            fitted(step("encode", {{"method", "ordinal"}, {"order", " Third , Second,First "}}, {"class"}), trainRows());
        QCOMPARE(encoder->describe(), std::string("ordinal encoding of 'class' in the order Third < Second < First "
                                                  "(codes 0..k−1, −1 for a category not seen in training)"));
        data::Table table;
        table.addColumn(text("class", {"First", "Fourth", nullptr, "Third"}));
        const std::vector<double> codes = encoder->transform(table).column("class").values();
        QCOMPARE(codes[0], 2.0);
        QCOMPARE(codes[1], -1.0);
        QVERIFY(std::isnan(codes[2]));
        QCOMPARE(codes[3], 0.0);
    }

    void ordinalOrderErrors()
    {
        core::TaskControl control;
        // A training category the order does not list: DataError at fit naming it.
        auto missing = step("encode", {{"method", "ordinal"}, {"order", "Third,First"}}, {"class"});
        QVERIFY_THROWS_EXCEPTION(core::DataError, missing->fit(trainRows(), kNoTarget, control));
        const std::string message = messageOf([&] { missing->fit(trainRows(), kNoTarget, control); });
        QVERIFY2(contains(message, "'Second'") && contains(message, "column 'class'") &&
                     contains(message, "add it to the order"),
                 message.c_str());
        QVERIFY(!missing->isFitted());

        // An order needs exactly one column and method=ordinal: InvalidParameter at creation.
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 step("encode", {{"method", "ordinal"}, {"order", "a,b"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 step("encode", {{"method", "ordinal"}, {"order", "a,b"}}, {"sex", "class"}));
        const std::string twoColumns =
            messageOf([] { step("encode", {{"method", "ordinal"}, {"order", "a,b"}}, {"sex", "class"}); });
        QVERIFY2(contains(twoColumns, "exactly the one column"), twoColumns.c_str());
        const std::string oneHot = messageOf([] { step("encode", {{"order", "a,b"}}, {"sex"}); });
        QVERIFY2(contains(oneHot, "method=ordinal"), oneHot.c_str());
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 step("encode", {{"method", "ordinal"}, {"order", "a,b,a"}}, {"sex"}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 step("encode", {{"method", "ordinal"}, {"order", "a,,b"}}, {"sex"}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("encode", {{"unknown", "maybe"}}));
    }

    void ordinalRefusesUnknownCategoriesNamingTheRow()
    {
        data::Table train;
        train.addColumn(text("size", {"S", "M", "L", "M"}));
        data::Table test;
        test.addColumn(text("size", {"M", nullptr, "XL", "S"}));
        const auto strict = fitted(step("encode", {{"method", "ordinal"}, {"unknown", "error"}}), train);
        const std::string message = messageOf([&] { strict->transform(test); });
        QCOMPARE(message, std::string("row 2, column 'size': the category 'XL' did not occur in the training rows, "
                                      "and the ordinal encoder is set to refuse unknown categories — set "
                                      "unknown=ignore to encode it as -1, or fix the value"));
        // A missing value is not an unknown category.
        test = test.selectRows({0, 1, 3});
        const std::vector<double> codes = strict->transform(test).column("size").values();
        QCOMPARE(codes[0], 1.0);
        QVERIFY(std::isnan(codes[1]));
        QCOMPARE(codes[2], 2.0);
    }

    void loadsVersionOneEncoderFiles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("one-hot") << "one_hot_encoder";
        QTest::newRow("ordinal") << "ordinal_encoder";
    }

    void loadsVersionOneEncoderFiles()
    {
        // Written by Stepwise before `order` and `unknown` existed (class version 1),
        // fitted on colour = red, blue, red, green and size = small, large, (missing), small.
        QFETCH(QString, kind);
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/archives/" + kind.toStdString() + "_v1.bin", std::ios::binary);
        QVERIFY(in);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto encoder = loaded(kind.toStdString(), bytes);
        QVERIFY(encoder->isFitted());
        data::Table table;
        table.addColumn(text("colour", {"green", "purple", nullptr}));
        table.addColumn(data::Column::numeric("n", {1, 2, 3}));
        table.addColumn(text("size", {"large", "small", "huge"}));
        // Version 1 ignored unknown categories; the loaded encoder must too.
        const data::Table out = encoder->transform(table);
        if (kind == "one_hot_encoder") {
            QCOMPARE(out.columnNames(), (std::vector<std::string>{"colour=blue", "colour=green", "colour=red", "n",
                                                                  "size=large", "size=small"}));
            QCOMPARE(out.column("colour=green").values(), (std::vector<double>{1, 0, 0}));
            QCOMPARE(out.column("size=small").values(), (std::vector<double>{0, 1, 0}));
            QCOMPARE(encoder->describe(), std::string("one-hot encoding of 2 categorical columns → 5 indicator columns"));
        } else {
            const std::vector<double> colour = out.column("colour").values();
            QCOMPARE(colour[0], 1.0);
            QCOMPARE(colour[1], -1.0);
            QVERIFY(std::isnan(colour[2]));
            QCOMPARE(out.column("size").values(), (std::vector<double>{0, 1, -1}));
        }
        // Saved again, it is a version-2 file that reads back the same.
        compareTables(loaded(kind.toStdString(), saved(*encoder))->transform(table), out);
    }

    // ---- bin -----------------------------------------------------------------------------

    void kbinsMatchScikitLearn()
    {
        for (const json& expected : cases()["kbins"]) {
            const std::string column = expected["column"].get<std::string>();
            const std::string strategy = expected["strategy"].get<std::string>();
            const std::string what = strategy + " " + column;
            const auto binner = fitted(
                step("bin", {{"strategy", strategy}, {"bins", std::to_string(expected["bins"].get<int>())}}, {column}),
                trainRows());
            QCOMPARE(binner->kind(), std::string("bin_discretizer"));
            const data::Table out = binner->transform(checkRows());
            QCOMPARE(out.columnNames(), checkRows().columnNames());
            compareNumbers(out.column(column), expected["output"], what);

            // The edges are bit-exact: an edge itself falls in the bin above it, the
            // number just below it in the bin below (searchsorted side="right").
            const auto edges = expected["edges"].get<std::vector<double>>();
            std::vector<double> probes, bins;
            for (std::size_t i = 1; i + 1 < edges.size(); ++i) {
                probes.insert(probes.end(), {edges[i], std::nextafter(edges[i], -kInf)});
                bins.insert(bins.end(), {static_cast<double>(i), static_cast<double>(i - 1)});
            }
            // Outside the training range: first and last bin.
            probes.insert(probes.end(), {edges.front() - 1000.0, edges.back() + 1000.0});
            bins.insert(bins.end(), {0.0, static_cast<double>(edges.size() - 2)});
            data::Table probe;
            probe.addColumn(data::Column::numeric(column, probes));
            QCOMPARE(binner->transform(probe).column(column).values(), bins);

            const std::size_t count = expected["n_bins"].get<std::size_t>();
            QCOMPARE(count, edges.size() - 1);
            const bool dropped = count != static_cast<std::size_t>(expected["bins"].get<int>());
            QCOMPARE(contains(binner->describe(), "repeated quantile edges dropped"), dropped);
        }
    }

    void cutMatchesPandas()
    {
        for (const json& expected : cases()["cut"]) {
            const std::string column = expected["column"].get<std::string>();
            const std::string right = expected["right"].get<bool>() ? "true" : "false";
            const std::string what = "cut " + column + " at " + expected["edges"].get<std::string>();
            std::map<std::string, std::string> params = {{"strategy", "edges"},
                                                         {"edges", expected["edges"].get<std::string>()},
                                                         {"right", right}};
            const auto codes = fitted(step("bin", params, {column}), trainRows());
            compareNumbers(codes->transform(checkRows()).column(column), expected["codes"], what + " (codes)");

            params["output"] = "category";
            params["labels"] = expected["labels"].get<std::string>();
            const auto labels = fitted(step("bin", params, {column}), trainRows());
            const data::Column out = labels->transform(checkRows()).column(column);
            compareTexts(out, expected["output"], what);
            QCOMPARE(out.levels(), expected["categories"].get<std::vector<std::string>>());
        }
    }

    void kbinsCategoryLabelsAndConstantColumns()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("x", {0.0, 1.0, 2.0, 3.0, kNaN}));
        train.addColumn(data::Column::numeric("k", {4.0, 4.0, 4.0, 4.0, 4.0}));
        const auto binner = fitted(step("bin", {{"strategy", "uniform"}, {"bins", "3"}, {"output", "category"}}), train);
        const data::Table out = binner->transform(train);
        QCOMPARE(out.column("x").levels(), (std::vector<std::string>{"(-inf, 1.0)", "[1.0, 2.0)", "[2.0, inf)"}));
        QCOMPARE(out.column("x").textAt(0), std::string("(-inf, 1.0)"));
        QCOMPARE(out.column("x").textAt(3), std::string("[2.0, inf)"));
        QVERIFY(out.column("x").isMissing(4));
        // A constant training column is one bin, as scikit-learn.
        QCOMPARE(out.column("k").levels(), (std::vector<std::string>{"(-inf, inf)"}));
        QVERIFY(contains(binner->describe(), "'k' is constant in the training rows: one bin"));

        // Given labels that no longer fit after repeated quantile edges are dropped.
        data::Table skewed;
        skewed.addColumn(data::Column::numeric("s", {0, 0, 0, 0, 0, 0, 1, 2}));
        auto labelled = step("bin", {{"strategy", "quantile"}, {"bins", "4"}, {"output", "category"},
                                     {"labels", "a,b,c,d"}});
        core::TaskControl control;
        const std::string message = messageOf([&] { labelled->fit(skewed, kNoTarget, control); });
        QVERIFY2(contains(message, "column 's' gives only 2 bins") && contains(message, "use bins=2"),
                 message.c_str());
    }

    void badBinSettingsAreInvalidParameters_data()
    {
        QTest::addColumn<QString>("edges");
        QTest::addColumn<QString>("labels");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("not increasing") << "0,5,3" << "" << "not strictly increasing at '3'";
        QTest::newRow("repeated") << "0,5,5" << "" << "not strictly increasing at '5'";
        QTest::newRow("one edge") << "5" << "" << "only one value";
        QTest::newRow("empty") << "" << "" << "are empty";
        QTest::newRow("a word") << "0,ten,20" << "" << "'ten', which is not a number";
        QTest::newRow("nan") << "0,nan,20" << "" << "'nan', which is not a number";
        QTest::newRow("labels too few") << "0,10,20" << "low" << "give 1 name for 2 bins";
        QTest::newRow("labels repeated") << "0,10,20" << "low,low" << "repeated name";
    }

    void badBinSettingsAreInvalidParameters()
    {
        QFETCH(QString, edges);
        QFETCH(QString, labels);
        QFETCH(QString, fragment);
        std::map<std::string, std::string> params = {{"strategy", "edges"}, {"edges", edges.toStdString()}};
        if (!labels.isEmpty()) {
            params["labels"] = labels.toStdString();
            params["output"] = "category";
        }
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("bin", params, {"age"}));
        const std::string message = messageOf([&] { step("bin", params, {"age"}); });
        QVERIFY2(contains(message, fragment.toStdString()), message.c_str());
        QVERIFY2(contains(message, labels.isEmpty() ? "edges '" : "labels '"), message.c_str());
    }

    void binSettingsThatDoNotGoTogether()
    {
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("bin", {{"strategy", "uniform"}, {"edges", "0,1"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("bin", {{"strategy", "edges"}, {"edges", "0,1,2"},
                                                                      {"labels", "a,b"}}));  // output=ordinal
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("bin", {{"bins", "1"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("bin", {{"bins", "1001"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("bin", {{"strategy", "kmeans"}}));
        // Uniform and quantile need finite training values.
        data::Table train;
        train.addColumn(data::Column::numeric("x", {1.0, kInf, 2.0}));
        core::TaskControl control;
        const std::string message = messageOf([&] { step("bin")->fit(train, kNoTarget, control); });
        QVERIFY2(contains(message, "column 'x' has the value inf in row 1"), message.c_str());
    }

    // ---- date parts ----------------------------------------------------------------------

    void datePartsMatchPandas()
    {
        const json& expected = reference()["dates"];
        const auto extractor =
            fitted(step("date_parts", {{"parts", "year,month,day,dayofweek,hour,quarter,days_since"}}), dates(true));
        QCOMPARE(extractor->kind(), std::string("date_part_extractor"));
        const data::Table out = extractor->transform(dates(false));
        QCOMPARE(out.columnNames(),
                 (std::vector<std::string>{"id", "when_year", "when_month", "when_day", "when_dayofweek", "when_hour",
                                           "when_quarter", "when_days_since", "after"}));
        for (const auto& [part, values] : expected["parts"].items())
            compareNumbers(out.column("when_" + part), values, part);
        QVERIFY2(contains(extractor->describe(), "days counted from the earliest training date (" +
                                                     expected["earliest"].get<std::string>() + ")"),
                 extractor->describe().c_str());

        // Default parts; a given start date; the original kept as numbers.
        const auto since = fitted(step("date_parts", {{"parts", "days_since"}, {"since", "2000-01-01"}, {"keep", "true"}}),
                                  dates(true));
        const data::Table counted = since->transform(dates(false));
        QCOMPARE(counted.columnNames(), (std::vector<std::string>{"id", "when", "when_days_since", "after"}));
        compareNumbers(counted.column("when_days_since"), expected["days_since_2000"], "days since 2000");
        QCOMPARE(counted.column("when").kind(), data::ColumnKind::Numeric);
        QCOMPARE(fitted(step("date_parts"), dates(true))->transform(dates(false)).columnNames(),
                 (std::vector<std::string>{"id", "when_year", "when_month", "when_day", "when_dayofweek", "after"}));
    }

    void datePartErrors()
    {
        core::TaskControl control;
        // A numeric column chosen: DataError at fit saying to make it a datetime.
        auto numeric = step("date_parts", {}, {"age"});
        QVERIFY_THROWS_EXCEPTION(core::DataError, numeric->fit(trainRows(), kNoTarget, control));
        const std::string message = messageOf([&] { numeric->fit(trainRows(), kNoTarget, control); });
        QVERIFY2(contains(message, "'age' is numeric") && contains(message, "change the column's type to datetime"),
                 message.c_str());
        const std::string none = messageOf([&] { step("date_parts")->fit(trainRows(), kNoTarget, control); });
        QVERIFY2(contains(none, "no datetime column"), none.c_str());
        // An output name that is taken.
        data::Table taken = dates(true);
        taken.addColumn(data::Column::numeric("when_year", std::vector<double>(taken.rowCount(), 1.0)));
        const std::string clash = messageOf([&] { step("date_parts")->fit(taken, kNoTarget, control); });
        QVERIFY2(contains(clash, "'when_year'") && contains(clash, "rename"), clash.c_str());

        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("date_parts", {{"parts", "year,week"}}));
        QVERIFY(contains(messageOf([] { step("date_parts", {{"parts", "year,week"}}); }), "'week' is not a date part"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("date_parts", {{"parts", "year,year"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("date_parts", {{"parts", ""}}));
        for (const std::string bad : {"2020-13-01", "2020-02-30", "01/02/2020", "2020-1-1", "2020-01-01 10:00"})
            QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("date_parts", {{"since", bad}}));
    }

    // ---- math ----------------------------------------------------------------------------

    void mathMatchesNumPy()
    {
        for (const json& expected : cases()["math"]) {
            const std::string column = expected["column"].get<std::string>();
            const std::string function = expected["function"].get<std::string>();
            std::ostringstream power;
            power << expected["power"].get<double>();
            const auto math = fitted(step("math", {{"function", function}, {"power", power.str()}}, {column}),
                                     trainRows());
            QCOMPARE(math->kind(), std::string("math_transform"));
            const data::Table out = math->transform(checkRows());
            QCOMPARE(out.columnNames(), checkRows().columnNames());
            compareNumbers(out.column(column), expected["output"], function + " " + column);
        }
    }

    void mathRefusesOutOfDomainTrainingValues()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("balance", {10.0, kNaN, 3.5, -2.5, 0.0}));
        core::TaskControl control;
        auto log = step("math", {{"function", "log"}});
        QVERIFY_THROWS_EXCEPTION(core::DataError, log->fit(train, kNoTarget, control));
        const std::string message = messageOf([&] { log->fit(train, kNoTarget, control); });
        QCOMPARE(message, std::string("column 'balance' has the value -2.5 in row 3 of the training rows, but log "
                                      "needs values above 0 — shift the column first (a formula such as balance + "
                                      "c), or choose another function (log1p takes 0, square takes any number)"));
        QVERIFY(!log->isFitted());
        QVERIFY(contains(messageOf([&] { step("math", {{"function", "sqrt"}})->fit(train, kNoTarget, control); }),
                         "sqrt needs values of 0 or more"));
        QVERIFY(contains(messageOf([&] { step("math", {{"function", "log1p"}})->fit(train, kNoTarget, control); }),
                         "log1p needs values above −1"));
        QVERIFY(contains(messageOf([&] {
                             step("math", {{"function", "power"}, {"power", "0.5"}})->fit(train, kNoTarget, control);
                         }),
                         "a fractional power needs values of 0 or more"));
        QVERIFY(contains(messageOf([&] {
                             step("math", {{"function", "power"}, {"power", "-1"}})->fit(train, kNoTarget, control);
                         }),
                         "a negative power of 0 is infinite"));
        // Defined everywhere: no error; a whole power of a negative number is fine.
        fitted(step("math", {{"function", "square"}}), train);
        const auto cube = fitted(step("math", {{"function", "power"}, {"power", "3"}}), train);
        QCOMPARE(cube->transform(train).column("balance").values()[3], -15.625);

        // At transform time an out-of-domain value becomes missing.
        data::Table positive;
        positive.addColumn(data::Column::numeric("balance", {1.0, 2.0}));
        const auto fittedLog = fitted(step("math", {{"function", "log"}}), positive);
        const std::vector<double> out = fittedLog->transform(train).column("balance").values();
        QCOMPARE(out[0], std::log(10.0));
        QVERIFY(std::isnan(out[1]) && std::isnan(out[3]) && std::isnan(out[4]));
        QCOMPARE(fittedLog->describe(), std::string("log(x) of 1 numeric column, in place"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("math", {{"function", "exp"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("math", {{"function", "power"}, {"power", "1000"}}));
    }

    // ---- every new step ------------------------------------------------------------------

    void statisticsComeFromTrainingRowsOnly()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("x", {1.0, 2.0, 3.0, 4.0, 100.0, kNaN}));
        data::Table test;
        test.addColumn(data::Column::numeric("x", {-50.0, 3.0, 1000.0, kNaN}));

        // Robust: median 3, IQR 4 − 2 = 2 from the training rows, whatever the test rows hold.
        const auto robust = fitted(step("scale", {{"method", "robust"}}), train);
        QCOMPARE(robust->transform(test).column("x").values()[0], (-50.0 - 3.0) / 2.0);
        QCOMPARE(robust->transform(test).column("x").values()[2], (1000.0 - 3.0) / 2.0);
        QVERIFY(std::isnan(robust->transform(test).column("x").values()[3]));

        // Quantile bins: training quartiles 2, 3, 4; test values outside go to the end bins.
        const auto bins = fitted(step("bin", {{"strategy", "quantile"}, {"bins", "4"}}), train);
        const std::vector<double> binned = bins->transform(test).column("x").values();
        QCOMPARE(binned[0], 0.0);
        QCOMPARE(binned[1], 2.0);
        QCOMPARE(binned[2], 3.0);
        QVERIFY(std::isnan(binned[3]));

        // Dates: days since the earliest training date, not the earliest date seen later.
        data::Table when;
        when.addColumn(data::Column::numeric("d", {86400.0 * 10, 86400.0 * 12 + 3600}, data::ColumnKind::Datetime));
        data::Table later;
        later.addColumn(data::Column::numeric("d", {86400.0 * 5, 86400.0 * 10.5}, data::ColumnKind::Datetime));
        const auto parts = fitted(step("date_parts", {{"parts", "days_since"}}), when);
        QCOMPARE(parts->transform(later).column("d_days_since").values(), (std::vector<double>{-5.0, 0.0}));
    }

    void saveLoadRoundTripIsIdentical()
    {
        for (const Case& c : everyCase()) {
            auto transformer = c.make();
            core::TaskControl control;
            transformer->fit(c.train(), kNoTarget, control);
            const auto copy = loaded(transformer->kind(), saved(*transformer));
            QVERIFY2(copy->isFitted(), c.name.c_str());
            QCOMPARE(copy->kind(), transformer->kind());
            QCOMPARE(copy->describe(), transformer->describe());
            if (c.name.find("strict") != std::string::npos) {
                // Both refuse the same unseen category in the same row.
                QCOMPARE(messageOf([&] { copy->transform(c.check()); }),
                         messageOf([&] { transformer->transform(c.check()); }));
                compareTables(copy->transform(c.train()), transformer->transform(c.train()));
            } else {
                compareTables(copy->transform(c.check()), transformer->transform(c.check()));
            }
        }
    }

    void damagedArchivesFail()
    {
        for (const Case& c : everyCase()) {
            auto transformer = c.make();
            core::TaskControl control;
            transformer->fit(c.train(), kNoTarget, control);
            std::string bytes = saved(*transformer);
            bytes.resize(bytes.size() / 2);
            QVERIFY_THROWS_EXCEPTION(std::exception, loaded(transformer->kind(), bytes));
        }
    }

    void notFittedBeforeFit()
    {
        for (const Case& c : everyCase()) {
            auto transformer = c.make();
            QVERIFY(!transformer->isFitted());
            QVERIFY2(contains(transformer->describe(), "not fitted yet"), transformer->describe().c_str());
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->transform(c.check()));
            std::ostringstream out;
            core::OutputArchive archive(out);
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->save(archive));
        }
    }

    void missingOrRetypedColumnIsDataError()
    {
        for (const Case& c : everyCase()) {
            auto transformer = c.make();
            core::TaskControl control;
            const data::Table train = c.train();
            transformer->fit(train, kNoTarget, control);
            const std::string column = c.name.rfind("date", 0) == 0 ? "when"
                                       : c.name.find("order") != std::string::npos ? "class"
                                       : c.name.find("strict") != std::string::npos ? "sex"
                                                                                     : "age";
            const std::string message = messageOf([&] { transformer->transform(train.withoutColumns({column})); });
            QVERIFY2(contains(message, "column '" + column + "' is missing"), (c.name + ": " + message).c_str());
            data::Table retyped = train.withoutColumns({column});
            retyped.addColumn(train.column(column).isNumeric()
                                  ? train.column(column).asCategorical()
                                  : data::Column::numeric(column, std::vector<double>(train.rowCount(), 1.0)));
            QVERIFY_THROWS_EXCEPTION(core::DataError, transformer->transform(retyped));
        }
    }

    void progressIsMonotoneAndCancelWorks()
    {
        for (const Case& c : everyCase()) {
            RecordingObserver observer;
            core::TaskControl control(&observer);
            auto transformer = c.make();
            transformer->fit(c.train(), kNoTarget, control);
            QVERIFY(!observer.fractions.empty());
            QVERIFY(std::is_sorted(observer.fractions.begin(), observer.fractions.end()));
            QCOMPARE(observer.fractions.back(), 1.0);

            auto fresh = c.make();
            core::TaskControl cancelled;
            cancelled.cancel();
            QVERIFY_THROWS_EXCEPTION(core::Cancelled, fresh->fit(c.train(), kNoTarget, cancelled));
            QVERIFY(!fresh->isFitted());
        }
    }

    void registryMatchesTheCliContract()
    {
        // app/cli/step_flags.cpp writes these kinds and parameter names.
        const std::map<std::string, std::vector<std::string>> contract = {
            {"scale", {"method"}},
            {"encode", {"method", "order", "unknown"}},
            {"bin", {"strategy", "bins", "edges", "labels", "output", "right"}},
            {"date_parts", {"parts", "since", "keep"}},
            {"math", {"function", "power"}},
        };
        for (const auto& [kind, names] : contract) {
            const prep::StepInfo& info = prep::findStep(kind);
            QCOMPARE(info.stage, prep::StepStage::Features);
            QCOMPARE(info.phase, prep::StepPhase::Fitted);
            QVERIFY(!info.description.empty());
            std::vector<std::string> have;
            for (const core::ParamSpec& param : info.params) {
                have.push_back(param.name);
                QVERIFY2(!param.help.empty() && param.help.back() == '.', param.name.c_str());
            }
            QCOMPARE(have, names);
        }
        QCOMPARE(prep::findStep("date_parts").scope, prep::ColumnScope::Datetime);
        QCOMPARE(prep::findStep("bin").scope, prep::ColumnScope::Numeric);
        QCOMPARE(prep::findStep("math").scope, prep::ColumnScope::Numeric);
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, prep::makeTransformerForLoading("no_such_step"));
        for (const std::string kind : {"robust_scaler", "bin_discretizer", "date_part_extractor", "math_transform",
                                       "one_hot_encoder", "ordinal_encoder"})
            QCOMPARE(prep::makeTransformerForLoading(kind)->kind(), kind);
    }
};

QTEST_GUILESS_MAIN(TestEncodingSteps)
#include "tst_encoding_steps.moc"
