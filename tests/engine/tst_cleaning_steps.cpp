// The cleaning steps of the prep pipeline (impute with ffill/bfill/indicators,
// drop_duplicates, drop_sparse_columns, clip_outliers, remove_outliers, rename) and the
// counting API (findDuplicates, findOutliers) against pandas, NumPy, SciPy and
// scikit-learn 1.2.1 on titanic and small hand-made tables (reference values from
// tests/reference/cleaning_reference.py), plus the train-only rule, save/load, the
// errors and cancel. Every step is made through the registry, as the runner makes it.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/prep/row_checks.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/prep/transformers.hpp"
#include "stepwise/workflow/runner.hpp"
#include "step_test_support.hpp"

using namespace stepwise;
using namespace step_test;
using nlohmann::json;

namespace {

const json& reference()
{
    static const json data = loadReference("cleaning_reference.json");
    return data;
}

/// Titanic as the CSV reader reads it (891 rows, 15 columns).
const data::Table& titanic()
{
    static const data::Table table = data::readCsvFile(STEPWISE_DATASETS_DIR "/titanic.csv");
    return table;
}

data::Table trainRows() { return titanic().selectRows(reference()["train_rows"].get<std::vector<std::size_t>>()); }
data::Table checkRows() { return titanic().selectRows(reference()["check_rows"].get<std::vector<std::size_t>>()); }
std::vector<std::string> names(const json& list) { return list.get<std::vector<std::string>>(); }

data::Column numbers(const std::string& name, const json& values)
{
    std::vector<double> result;
    for (const json& value : values)
        result.push_back(value.is_null() ? kNaN : value.get<double>());
    return data::Column::numeric(name, std::move(result));
}

data::Column texts(const std::string& name, const json& values)
{
    std::vector<std::string> result;
    std::vector<bool> missing;
    for (const json& value : values) {
        missing.push_back(value.is_null());
        result.push_back(value.is_null() ? std::string() : value.get<std::string>());
    }
    return data::Column::categoricalFromText(name, result, missing);
}

std::unique_ptr<prep::RowFilter> filter(const std::string& kind, std::map<std::string, std::string> params,
                                        std::vector<std::string> columns)
{
    const prep::StepSpec s = spec(kind, std::move(params), columns);
    return prep::findStep(kind).makeRowFilter(columns, prep::resolveStepParams(s));
}

std::unique_ptr<prep::Sampler> sampler(const std::string& kind, std::map<std::string, std::string> params,
                                       std::vector<std::string> columns = {})
{
    const prep::StepSpec s = spec(kind, std::move(params), columns);
    return prep::findStep(kind).makeSampler(columns, prep::resolveStepParams(s));
}

/// Compares every column of `expected` (name → values) with `table`.
void compareOutput(const data::Table& table, const json& expected, const std::string& what)
{
    for (const auto& [name, values] : expected.items()) {
        QVERIFY2(table.hasColumn(name), (what + ": " + name).c_str());
        const data::Column& column = table.column(name);
        QCOMPARE(column.size(), values.size());
        for (std::size_t row = 0; row < values.size(); ++row) {
            if (values[row].is_string()) {
                QVERIFY2(column.isCategorical(), name.c_str());
                QCOMPARE(column.textAt(row), values[row].get<std::string>());
            } else {
                QVERIFY2(column.isNumeric(), name.c_str());
                const double want = values[row].is_null() ? kNaN : values[row].get<double>();
                QVERIFY2(close(column.values()[row], want),
                         qPrintable(QString("%1, %2 row %3: got %4, reference %5")
                                        .arg(QString::fromStdString(what), QString::fromStdString(name))
                                        .arg(row)
                                        .arg(column.values()[row], 0, 'g', 17)
                                        .arg(want, 0, 'g', 17)));
            }
        }
    }
}

prep::OutlierRule ruleOf(const std::string& method)
{
    return method == "iqr" ? prep::OutlierRule::Iqr : prep::OutlierRule::ZScore;
}

std::map<std::string, std::string> outlierParams(const json& outlierCase)
{
    const std::string method = outlierCase["method"].get<std::string>();
    return {{"method", method},
            {method == "iqr" ? "iqr_factor" : "z_limit", data::formatNumber(outlierCase["factor"].get<double>())}};
}

/// One of every new transformer, as a user would configure it.
std::vector<std::unique_ptr<prep::Transformer>> everyNewTransformer()
{
    std::vector<std::unique_ptr<prep::Transformer>> all;
    all.push_back(step("impute", {{"numeric", "ffill"}, {"categorical", "bfill"}, {"indicator", "true"}}));
    all.push_back(step("impute", {{"numeric", "most_frequent"}, {"indicator", "true"}}));
    all.push_back(step("drop_sparse_columns", {{"max_missing", "0.5"}}));
    all.push_back(step("clip_outliers", {{"method", "iqr"}}));
    all.push_back(step("clip_outliers", {{"method", "zscore"}, {"z_limit", "2.5"}}));
    all.push_back(step("rename", {{"to", "passenger_age"}}, {"age"}));
    return all;
}

struct RecordingObserver : core::TaskObserver {
    std::vector<double> fractions;
    void onProgress(double fraction, const std::string&) override { fractions.push_back(fraction); }
};

} // namespace

class TestCleaningSteps : public QObject {
    Q_OBJECT
private slots:
    // ---- registry -------------------------------------------------------------------

    void registryEntriesMatchTheCliContract()
    {
        const struct {
            const char* kind;
            prep::StepPhase phase;
            prep::ColumnScope scope;
            std::vector<std::string> params;
        } expected[] = {
            {"drop_duplicates", prep::StepPhase::BeforeSplit, prep::ColumnScope::Any, {"keep"}},
            {"drop_missing_rows", prep::StepPhase::BeforeSplit, prep::ColumnScope::Any, {}},
            {"drop_sparse_columns", prep::StepPhase::Fitted, prep::ColumnScope::Any, {"max_missing"}},
            {"rename", prep::StepPhase::Fitted, prep::ColumnScope::Any, {"to"}},
            {"clip_outliers", prep::StepPhase::Fitted, prep::ColumnScope::Numeric, {"method", "iqr_factor", "z_limit"}},
            {"remove_outliers", prep::StepPhase::TrainingOnly, prep::ColumnScope::Numeric,
             {"method", "iqr_factor", "z_limit"}},
            {"impute", prep::StepPhase::Fitted, prep::ColumnScope::Any,
             {"numeric", "numeric_fill", "categorical", "categorical_fill", "indicator"}},
        };
        for (const auto& entry : expected) {
            const prep::StepInfo& info = prep::findStep(entry.kind);
            QCOMPARE(info.stage, prep::StepStage::Prep);
            QCOMPARE(info.phase, entry.phase);
            QCOMPARE(info.scope, entry.scope);
            QVERIFY(!info.displayName.empty());
            QVERIFY(!info.description.empty());
            std::vector<std::string> params;
            for (const core::ParamSpec& param : info.params) {
                params.push_back(param.name);
                QVERIFY2(!param.help.empty() && param.help.back() == '.', param.name.c_str());
            }
            QCOMPARE(params, entry.params);
            // Exactly the factory of its phase.
            QCOMPARE(bool(info.makeRowFilter), entry.phase == prep::StepPhase::BeforeSplit);
            QCOMPARE(bool(info.makeTransformer), entry.phase == prep::StepPhase::Fitted);
            QCOMPARE(bool(info.makeSampler), entry.phase == prep::StepPhase::TrainingOnly);
        }
        QCOMPARE(prep::findStep("impute").params[0].words,
                 (std::vector<std::string>{"mean", "median", "most_frequent", "constant", "ffill", "bfill"}));
        QCOMPARE(prep::findStep("impute").params[2].words,
                 (std::vector<std::string>{"most_frequent", "constant", "ffill", "bfill"}));
    }

    void badParameterValuesAreRejected_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::newRow("keep") << "drop_duplicates" << "keep" << "false";
        QTest::newRow("max_missing above 1") << "drop_sparse_columns" << "max_missing" << "1.5";
        QTest::newRow("max_missing below 0") << "drop_sparse_columns" << "max_missing" << "-0.1";
        QTest::newRow("method") << "clip_outliers" << "method" << "mad";
        QTest::newRow("iqr_factor 0") << "clip_outliers" << "iqr_factor" << "0";
        QTest::newRow("iqr_factor above 100") << "remove_outliers" << "iqr_factor" << "101";
        QTest::newRow("z_limit negative") << "remove_outliers" << "z_limit" << "-3";
        QTest::newRow("numeric rule") << "impute" << "numeric" << "interpolate";
        QTest::newRow("categorical mean") << "impute" << "categorical" << "mean";
        QTest::newRow("indicator") << "impute" << "indicator" << "maybe";
    }

    void badParameterValuesAreRejected()
    {
        QFETCH(QString, kind);
        QFETCH(QString, name);
        QFETCH(QString, value);
        const prep::StepSpec bad = spec(kind.toStdString(), {{name.toStdString(), value.toStdString()}});
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, prep::resolveStepParams(bad));
        const std::string message = messageOf([&] { prep::resolveStepParams(bad); });
        QVERIFY2(message.find(name.toStdString()) != std::string::npos, message.c_str());
    }

    // ---- impute ---------------------------------------------------------------------

    void imputerWithIndicatorMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("numeric");
        QTest::addColumn<QString>("categorical");
        QTest::newRow("most frequent on numbers") << "most_frequent_indicator" << "most_frequent" << "most_frequent";
        QTest::newRow("median, constant") << "median_constant_indicator" << "median" << "constant";
        QTest::newRow("mean") << "mean_indicator" << "mean" << "most_frequent";
    }

    void imputerWithIndicatorMatchesScikitLearn()
    {
        QFETCH(QString, caseName);
        QFETCH(QString, numeric);
        QFETCH(QString, categorical);
        const json& expected = reference()["impute"][caseName.toStdString()];
        const std::vector<std::string> order = names(reference()["order"]);
        const auto imputer = fitted(step("impute", {{"numeric", numeric.toStdString()},
                                                    {"categorical", categorical.toStdString()},
                                                    {"categorical_fill", "missing"},
                                                    {"indicator", "true"}}),
                                    trainRows().selectColumns(order));
        const data::Table out = imputer->transform(checkRows().selectColumns(order));
        // Each indicator right after its column, for the columns scikit-learn chose.
        QCOMPARE(out.columnNames(), names(expected["columns"]));
        QCOMPARE(out.missingCount(), std::size_t(0));
        compareOutput(out, expected["output"], caseName.toStdString());
        QCOMPARE(out.column("age_was_missing").kind(), data::ColumnKind::Boolean);
        QVERIFY(imputer->describe().find("plus 3 missing-value indicator columns") != std::string::npos);
    }

    void neighbourFillMatchesPandas_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::newRow("ffill") << "ffill";
        QTest::newRow("bfill") << "bfill";
    }

    void neighbourFillMatchesPandas()
    {
        QFETCH(QString, rule);
        const json& expected = reference()["neighbour_fill"];
        const std::vector<std::string> columns = {"age", "fare", "embarked", "deck"};
        const auto imputer =
            fitted(step("impute", {{"numeric", rule.toStdString()}, {"categorical", rule.toStdString()}}, columns),
                   trainRows());
        const data::Table out = imputer->transform(checkRows());
        for (const std::string& name : columns) {
            json one = json::object();
            one[name] = expected[name][rule.toStdString()];
            compareOutput(out, one, rule.toStdString());
        }
        // Columns it was not asked to fill keep their gaps.
        QCOMPARE(out.column("embark_town").missingCount(), checkRows().column("embark_town").missingCount());
        QCOMPARE(out.columnNames(), checkRows().columnNames());
    }

    void neighbourFillOnAHandMadeTable()
    {
        const json& hand = reference()["hand"]["neighbour_fill"];
        data::Table train, test;
        train.addColumn(numbers("x", hand["train"]["x"]));
        train.addColumn(texts("c", hand["train"]["c"]));
        test.addColumn(numbers("x", hand["test"]["x"]));
        test.addColumn(texts("c", hand["test"]["c"]));
        for (const std::string rule : {"ffill", "bfill"}) {
            const auto imputer = fitted(step("impute", {{"numeric", rule}, {"categorical", rule}}), train);
            json expected = json::object();
            expected["x"] = hand["expected"]["x"][rule];
            expected["c"] = hand["expected"]["c"][rule];
            // A leading gap (ffill) takes the last training value 7 / "q"; a trailing gap
            // (bfill) the training median 5 / most frequent "q".
            compareOutput(imputer->transform(test), expected, rule);
        }
        QCOMPARE(fitted(step("impute", {{"numeric", "ffill"}}), train)->describe(),
                 std::string("imputation of 1 numeric column (forward fill; a gap with no earlier value takes the "
                             "last training value) and 1 categorical column (most frequent)"));
        QCOMPARE(fitted(step("impute", {{"numeric", "bfill"}, {"categorical", "bfill"}}), train)->describe(),
                 std::string("imputation of 1 numeric column (backward fill; a gap with no later value takes the "
                             "training median) and 1 categorical column (backward fill; a gap with no later value "
                             "takes the most frequent training category)"));
    }

    void numericMostFrequentTiesTakeTheSmallest()
    {
        const json& tie = reference()["hand"]["most_frequent_tie"];
        data::Table train;
        train.addColumn(numbers("x", tie["input"]));
        const data::Table out = fitted(step("impute", {{"numeric", "most_frequent"}}), train)->transform(train);
        QCOMPARE(out.column("x").values().back(), tie["statistic"].get<double>());
        QCOMPARE(out.column("x").values().back(), 1.0);
    }

    void indicatorColumnsAreDecidedAtFit()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("full", {1, 2, 3}));
        train.addColumn(data::Column::numeric("gappy", {1, kNaN, 3}));
        data::Table test;
        test.addColumn(data::Column::numeric("full", {kNaN, 5}));
        test.addColumn(data::Column::numeric("gappy", {4, 5}));
        const auto imputer = fitted(step("impute", {{"indicator", "true"}}), train);
        const data::Table out = imputer->transform(test);
        // No indicator for "full" although the test rows have a gap in it; always one for
        // "gappy", all zeros here.
        QCOMPARE(out.columnNames(), (std::vector<std::string>{"full", "gappy", "gappy_was_missing"}));
        QCOMPARE(out.column("full").values(), (std::vector<double>{2, 5}));
        QCOMPARE(out.column("gappy_was_missing").values(), (std::vector<double>{0, 0}));
        QCOMPARE(imputer->transform(train).column("gappy_was_missing").values(), (std::vector<double>{0, 1, 0}));

        // Off by default: no new columns.
        QCOMPARE(fitted(step("impute"), train)->transform(test).columnNames(), test.columnNames());

        // A column already called like the indicator is a clear error, at fit and later.
        data::Table taken = train;
        taken.addColumn(data::Column::numeric("gappy_was_missing", {0, 0, 0}));
        core::TaskControl control;
        auto again = step("impute", {{"indicator", "true"}});
        QVERIFY_THROWS_EXCEPTION(core::DataError, again->fit(taken, kNoTarget, control));
        QVERIFY(messageOf([&] { again->fit(taken, kNoTarget, control); }).find("'gappy_was_missing'") !=
                std::string::npos);
        QVERIFY_THROWS_EXCEPTION(core::DataError, imputer->transform(taken));
    }

    void imputerKeepsDatesAndWholeNumbers()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("when", {86400, kNaN, 3 * 86400}, data::ColumnKind::Datetime));
        train.addColumn(data::Column::numeric("count", {1, kNaN, 2}, data::ColumnKind::Integer));
        const data::Table filled = fitted(step("impute", {{"numeric", "ffill"}}), train)->transform(train);
        QCOMPARE(filled.column("when").kind(), data::ColumnKind::Datetime);
        QCOMPARE(filled.column("when").values()[1], 86400.0);
        QCOMPARE(filled.column("count").kind(), data::ColumnKind::Integer);
        // The mean 1.5 is no whole number: the column becomes plain numeric.
        const data::Table mean = fitted(step("impute"), train)->transform(train);
        QCOMPARE(mean.column("count").kind(), data::ColumnKind::Numeric);
        QCOMPARE(mean.column("count").values()[1], 1.5);
        QCOMPARE(mean.column("when").kind(), data::ColumnKind::Datetime);
    }

    void imputerLoadsVersion1Archives()
    {
        // Written by the imputer of commit 1c0dbee (class version 1): numeric=median,
        // categorical=constant "unknown", fitted on x = 1, 2, NaN, 10 and c = b, a, —, b.
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/simple_imputer_v1.bin", std::ios::binary);
        QVERIFY(in);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto imputer = loaded("simple_imputer", bytes);
        QVERIFY(imputer->isFitted());
        QCOMPARE(imputer->describe(),
                 std::string("imputation of 1 numeric column (median) and 1 categorical column (constant 'unknown')"));
        data::Table test;
        test.addColumn(data::Column::numeric("x", {kNaN, 4}));
        test.addColumn(text("c", {"a", nullptr}));
        const data::Table out = imputer->transform(test);
        QCOMPARE(out.columnNames(), (std::vector<std::string>{"x", "c"}));
        QCOMPARE(out.column("x").values(), (std::vector<double>{2, 4}));
        QCOMPARE(out.column("c").textAt(1), std::string("unknown"));
        // Saved again it is a version 2 archive that loads the same.
        compareTables(loaded("simple_imputer", saved(*imputer))->transform(test), out);
    }

    // ---- duplicates -----------------------------------------------------------------

    void dropDuplicatesMatchesPandas()
    {
        core::TaskControl control;
        for (const auto& [key, kept] : reference()["duplicates"]["kept"].items()) {
            const auto slash = key.find('/');
            const std::string subset = key.substr(0, slash);
            std::vector<std::string> columns;
            if (subset != "all") {
                std::stringstream list(subset);
                for (std::string name; std::getline(list, name, ',');)
                    columns.push_back(name);
            }
            const auto rows = filter("drop_duplicates", {{"keep", key.substr(slash + 1)}}, columns)
                                  ->keptRows(titanic(), control);
            QVERIFY2(rows == kept.get<std::vector<std::size_t>>(), key.c_str());
        }
        QCOMPARE(reference()["duplicates"]["kept"]["all/first"].size(), std::size_t(784));
    }

    void dropDuplicatesOnAHandMadeTable()
    {
        // NaN equals NaN and −0 equals 0, as in pandas.
        const json& hand = reference()["hand"]["duplicates"];
        data::Table table;
        data::Column x = numbers("x", hand["input"]["x"]);
        std::vector<double> signed_ = x.values();
        for (std::size_t row = 0; row < signed_.size(); ++row)
            signed_[row] = std::copysign(signed_[row], hand["input"]["x_signs"][row].get<double>());
        QVERIFY(std::signbit(signed_[5]) && signed_[5] == 0.0);
        table.addColumn(data::Column::numeric("x", signed_));
        table.addColumn(texts("c", hand["input"]["c"]));
        core::TaskControl control;
        for (const auto& [key, kept] : hand["kept"].items()) {
            const auto slash = key.find('/');
            const std::vector<std::string> columns =
                key.substr(0, slash) == "all" ? std::vector<std::string>{} : std::vector<std::string>{"x"};
            const auto rows =
                filter("drop_duplicates", {{"keep", key.substr(slash + 1)}}, columns)->keptRows(table, control);
            QVERIFY2(rows == kept.get<std::vector<std::size_t>>(), key.c_str());
        }
        const prep::DuplicateReport all = prep::findDuplicates(table, {}, control);
        QCOMPARE(all.repeats, hand["report_all"]["repeats"].get<std::vector<std::size_t>>());
        QCOMPARE(all.firstOccurrence, hand["report_all"]["first_occurrence"].get<std::vector<std::size_t>>());
        QCOMPARE(all.groups, hand["report_all"]["groups"].get<std::size_t>());
        const prep::DuplicateReport byX = prep::findDuplicates(table, {"x"}, control);
        QCOMPARE(byX.repeats, hand["report_x"]["repeats"].get<std::vector<std::size_t>>());
        QCOMPARE(byX.firstOccurrence, hand["report_x"]["first_occurrence"].get<std::vector<std::size_t>>());
        QCOMPARE(byX.groups, hand["report_x"]["groups"].get<std::size_t>());
    }

    void findDuplicatesMatchesPandas()
    {
        core::TaskControl control;
        const json& ref = reference()["duplicates"];
        for (const auto& [which, columns] :
             {std::pair{"report_all", std::vector<std::string>{}},
              std::pair{"report_subset", std::vector<std::string>{"sex", "pclass", "embarked"}}}) {
            const prep::DuplicateReport report = prep::findDuplicates(titanic(), columns, control);
            QCOMPARE(report.repeats, ref[which]["repeats"].get<std::vector<std::size_t>>());
            QCOMPARE(report.firstOccurrence, ref[which]["first_occurrence"].get<std::vector<std::size_t>>());
            QCOMPARE(report.groups, ref[which]["groups"].get<std::size_t>());
        }
        QCOMPARE(ref["report_all"]["repeats"].size(), std::size_t(107));
        QVERIFY_THROWS_EXCEPTION(core::DataError, prep::findDuplicates(titanic(), {"no_such_column"}, control));
        QCOMPARE(filter("drop_duplicates", {{"keep", "last"}}, {"sex"})->describe(),
                 std::string("drop duplicate rows (equal in 1 chosen column), keeping the last of each group"));
    }

    // ---- outliers -------------------------------------------------------------------

    void findOutliersMatchesPandas()
    {
        core::TaskControl control;
        const data::Table train = trainRows();
        for (const auto& [key, expected] : reference()["outliers"].items()) {
            const std::vector<std::string> columns = {"age", "sibsp", "parch", "fare"};
            const prep::OutlierReport report =
                prep::findOutliers(train, columns, ruleOf(expected["method"].get<std::string>()),
                                   expected["factor"].get<double>(), control);
            QCOMPARE(report.columns.size(), std::size_t(4));
            for (const prep::ColumnOutliers& found : report.columns) {
                const json& want = expected["columns"][found.column];
                QVERIFY2(close(found.lower, want["lower"].get<double>()), (key + " " + found.column).c_str());
                QVERIFY2(close(found.upper, want["upper"].get<double>()), (key + " " + found.column).c_str());
                QCOMPARE(found.below, want["below"].get<std::size_t>());
                QCOMPARE(found.above, want["above"].get<std::size_t>());
            }
            QCOMPARE(report.rowsAffected, expected["rows_affected"].get<std::size_t>());
        }
        // Quartiles interpolate as NumPy does, to the last bit (a + (b − a)·t would differ here).
        const json& bits = reference()["hand"]["quartile_bits"];
        data::Table small;
        small.addColumn(numbers("v", bits["input"]));
        const prep::OutlierReport exact = prep::findOutliers(small, {}, prep::OutlierRule::Iqr, 1.5, control);
        QVERIFY(bits["lower"].get<double>() != bits["naive_lower"].get<double>());
        // (QCOMPARE would compare doubles fuzzily.)
        QVERIFY(exact.columns[0].lower == bits["lower"].get<double>());
        QVERIFY(exact.columns[0].upper == bits["upper"].get<double>());
        // The IQR bounds involve no sums: they match pandas to the last bit.
        const prep::OutlierReport iqr = prep::findOutliers(train, {"fare"}, prep::OutlierRule::Iqr, 1.5, control);
        QVERIFY(iqr.columns[0].upper == reference()["outliers"]["iqr_1.5"]["columns"]["fare"]["upper"].get<double>());
    }

    void findOutliersErrors()
    {
        core::TaskControl control;
        const data::Table train = trainRows();
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 prep::findOutliers(train, {"age"}, prep::OutlierRule::Iqr, 0.0, control));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 prep::findOutliers(train, {"age"}, prep::OutlierRule::ZScore, -1.0, control));
        QVERIFY_THROWS_EXCEPTION(core::DataError,
                                 prep::findOutliers(train, {"sex"}, prep::OutlierRule::Iqr, 1.5, control));
        QVERIFY_THROWS_EXCEPTION(core::DataError,
                                 prep::findOutliers(train, {"nope"}, prep::OutlierRule::Iqr, 1.5, control));
        // Every numeric column when none are named, but no categorical and no boolean one:
        // with 40% ones in adult_male, a 0/1 flag's quartiles would make no sense of it.
        const prep::OutlierReport all = prep::findOutliers(train, {}, prep::OutlierRule::Iqr, 1.5, control);
        std::vector<std::string> checked;
        for (const prep::ColumnOutliers& column : all.columns)
            checked.push_back(column.column);
        std::vector<std::string> expected;
        for (const data::Column& column : train.columns())
            if (column.isNumeric() && column.kind() != data::ColumnKind::Boolean)
                expected.push_back(column.name());
        QCOMPARE(checked, expected);
        QCOMPARE(train.column("adult_male").kind(), data::ColumnKind::Boolean);
        QVERIFY(std::find(checked.begin(), checked.end(), "fare") != checked.end());
        // Named, a boolean column is checked like any number.
        QCOMPARE(prep::findOutliers(train, {"alone"}, prep::OutlierRule::Iqr, 1.5, control).columns.size(),
                 std::size_t(1));
        // A column without values has no outliers (NaN bounds), rather than failing the count.
        data::Table empty;
        empty.addColumn(data::Column::numeric("none", {kNaN, kNaN}));
        const prep::OutlierReport nothing = prep::findOutliers(empty, {}, prep::OutlierRule::ZScore, 3, control);
        QCOMPARE(nothing.rowsAffected, std::size_t(0));
        QVERIFY(std::isnan(nothing.columns[0].lower));
    }

    void clipMatchesNumpyClip()
    {
        const std::vector<std::string> columns = {"age", "sibsp", "parch", "fare"};
        for (const auto& [key, expected] : reference()["outliers"].items()) {
            const auto clipper = fitted(step("clip_outliers", outlierParams(expected), columns), trainRows());
            const data::Table out = clipper->transform(checkRows());
            compareOutput(out, expected["clipped_check"], key);
            QCOMPARE(out.column("age").missingCount(), checkRows().column("age").missingCount());
            QCOMPARE(out.columnNames(), checkRows().columnNames());
        }
        const auto clipper = fitted(step("clip_outliers", {}, {"fare"}), trainRows());
        QCOMPARE(clipper->describe(), std::string("clipping of 1 numeric column to the IQR fences (1.5 × IQR beyond "
                                                  "the quartiles) of the training rows"));
        QCOMPARE(fitted(step("clip_outliers", {{"method", "zscore"}}, {"fare"}), trainRows())->describe(),
                 std::string("clipping of 1 numeric column to mean ± 3 standard deviations of the training rows"));
    }

    void clippingKeepsWholeNumbersOnlyWhenTheyStayWhole()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("n", {1, 2, 3, 4, 100}, data::ColumnKind::Integer));
        const data::Table out = fitted(step("clip_outliers"), train)->transform(train);
        // Q1 = 2, Q3 = 4: the upper fence 7 is whole, the kind stays.
        QCOMPARE(out.column("n").values(), (std::vector<double>{1, 2, 3, 4, 7}));
        QCOMPARE(out.column("n").kind(), data::ColumnKind::Integer);
        const data::Table half = fitted(step("clip_outliers", {{"iqr_factor", "1.25"}}), train)->transform(train);
        QCOMPARE(half.column("n").values().back(), 6.5);
        QCOMPARE(half.column("n").kind(), data::ColumnKind::Numeric);
    }

    void removeOutliersMatchesPandas()
    {
        const data::Table train = trainRows();
        prep::TrainingTarget target;
        target.classCount = 2;
        target.values = train.column("survived").values();
        for (const auto& [key, expected] : reference()["outliers"].items()) {
            const auto remover = sampler("remove_outliers", outlierParams(expected), {"age", "sibsp", "parch", "fare"});
            core::TaskControl control;
            const prep::LabelledRows out = remover->apply({train, target}, 7, control);
            const auto kept = expected["kept_after_removal"].get<std::vector<std::size_t>>();
            QCOMPARE(out.table.rowCount(), kept.size());
            QCOMPARE(train.rowCount() - kept.size(), expected["rows_affected"].get<std::size_t>());
            QCOMPARE(out.table.column("fare").values(), train.selectRows(kept).column("fare").values());
            std::vector<double> keptTarget;
            for (std::size_t row : kept)
                keptTarget.push_back(target.values[row]);
            QCOMPARE(out.target.values, keptTarget);
            QCOMPARE(out.target.classCount, 2);
            QVERIFY2(!remover->runsLast(), key.c_str());
        }
        QCOMPARE(sampler("remove_outliers", {{"method", "zscore"}, {"z_limit", "2.5"}})->describe(),
                 std::string("removal of training rows outside mean ± 2.5 standard deviations in any "
                             "non-boolean numeric column"));
    }

    void removeOutliersNeverTouchesEvaluationRows()
    {
        // The same run with and without removal: the same test rows are scored, and the
        // model trains on exactly the training rows outside the fare fences less.
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.prep.dropColumns = {"alive"};
        recipe.model.name = "logistic_regression";
        core::TaskControl control;
        const workflow::RunResult plain = workflow::runRecipe(recipe, titanic(), nullptr, control);
        recipe.prep.steps.insert(recipe.prep.steps.begin(), spec("remove_outliers", {}, {"fare"}));
        const workflow::RunResult removed = workflow::runRecipe(recipe, titanic(), nullptr, control);
        QCOMPARE(removed.testRows, plain.testRows);
        QVERIFY(removed.trainRowCount < plain.trainRowCount);
        std::vector<std::size_t> trainRows;
        for (std::size_t row = 0; row < titanic().rowCount(); ++row)
            if (!std::binary_search(plain.testRows.begin(), plain.testRows.end(), row))
                trainRows.push_back(row);
        const prep::OutlierReport report =
            prep::findOutliers(titanic().selectRows(trainRows), {"fare"}, prep::OutlierRule::Iqr, 1.5, control);
        QCOMPARE(plain.trainRowCount - removed.trainRowCount, report.rowsAffected);
    }

    // ---- sparse columns -------------------------------------------------------------

    void dropSparseColumnsAtThresholds()
    {
        const data::Table train = trainRows();
        for (const auto& [threshold, dropped] : reference()["sparse"].items()) {
            const auto dropper = fitted(step("drop_sparse_columns", {{"max_missing", threshold}}), train);
            const std::vector<std::string> gone = names(dropped);
            std::vector<std::string> left;
            for (const std::string& name : train.columnNames())
                if (std::find(gone.begin(), gone.end(), name) == gone.end())
                    left.push_back(name);
            // Decided on the training rows, applied to any rows.
            QVERIFY2(dropper->transform(checkRows()).columnNames() == left, threshold.c_str());
            for (const std::string& name : gone)
                QVERIFY2(dropper->describe().find(name) != std::string::npos, dropper->describe().c_str());
        }
        QCOMPARE(fitted(step("drop_sparse_columns"), train)->describe(),
                 std::string("drop 1 column with more than 50% missing values in the training rows: deck"));
        QCOMPARE(fitted(step("drop_sparse_columns", {{"max_missing", "0.9"}}), train)->describe(),
                 std::string("drop columns with more than 90% missing values in the training rows: none of the 15 "
                             "columns has that many"));
    }

    void dropSparseColumnsAtTheExactShare()
    {
        const json& hand = reference()["hand"]["sparse"];
        data::Table table;
        for (const std::string name : {"half", "quarter", "full", "empty"})
            table.addColumn(numbers(name, hand["input"][name]));
        for (const auto& [threshold, dropped] : hand["dropped"].items()) {
            const auto dropper = fitted(step("drop_sparse_columns", {{"max_missing", threshold}}), table);
            std::vector<std::string> left;
            for (const std::string& name : table.columnNames()) {
                const auto gone = dropped.get<std::vector<std::string>>();
                if (std::find(gone.begin(), gone.end(), name) == gone.end())
                    left.push_back(name);
            }
            QVERIFY2(dropper->transform(table).columnNames() == left, threshold.c_str());
        }
        // Only the chosen columns are candidates; an already absent one is fine.
        const auto chosen = fitted(step("drop_sparse_columns", {{"max_missing", "0"}}, {"half", "full"}), table);
        QCOMPARE(chosen->transform(table).columnNames(), (std::vector<std::string>{"quarter", "full", "empty"}));
        QCOMPARE(chosen->transform(table.withoutColumns({"half"})).columnNames(),
                 (std::vector<std::string>{"quarter", "full", "empty"}));
    }

    // ---- rename ---------------------------------------------------------------------

    void renameKeepsThePosition()
    {
        const auto renamer = fitted(step("rename", {{"to", "passenger_age"}}, {"age"}), trainRows());
        const data::Table out = renamer->transform(checkRows());
        std::vector<std::string> expected = checkRows().columnNames();
        std::replace(expected.begin(), expected.end(), std::string("age"), std::string("passenger_age"));
        QCOMPARE(out.columnNames(), expected);
        QCOMPARE(out.column("passenger_age").missingCount(), checkRows().column("age").missingCount());
        QCOMPARE(renamer->describe(), std::string("rename 'age' to 'passenger_age'"));
    }

    void renameErrors()
    {
        const auto make = [](std::vector<std::string> columns, std::string to) {
            return step("rename", {{"to", std::move(to)}}, std::move(columns));
        };
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, make({}, "x"));
        QVERIFY(messageOf([&] { make({}, "x"); }).find("exactly one column") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, make({"age", "fare"}, "x"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, make({"age"}, ""));
        QVERIFY(messageOf([&] { make({"age"}, ""); }).find("empty") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, make({"age"}, "age"));

        core::TaskControl control;
        const data::Table train = trainRows();
        auto taken = make({"age"}, "fare");
        QVERIFY_THROWS_EXCEPTION(core::DataError, taken->fit(train, kNoTarget, control));
        QVERIFY(messageOf([&] { taken->fit(train, kNoTarget, control); }).find("already exists") != std::string::npos);
        QVERIFY(!taken->isFitted());
        QVERIFY_THROWS_EXCEPTION(core::DataError, make({"agee"}, "x")->fit(train, kNoTarget, control));

        const auto renamer = fitted(make({"age"}, "years"), train);
        data::Table clash = train;
        clash.addColumn(data::Column::numeric("years", std::vector<double>(train.rowCount(), 1.0)));
        QVERIFY_THROWS_EXCEPTION(core::DataError, renamer->transform(clash));
        const std::string missing = messageOf([&] { renamer->transform(train.withoutColumns({"age"})); });
        QVERIFY2(missing.find("column 'age' is missing") != std::string::npos, missing.c_str());
    }

    // ---- the train-only rule --------------------------------------------------------

    void statisticsComeFromTrainingRowsOnly()
    {
        // Rows A train, rows B are transformed: every learned number comes from A.
        data::Table a;
        a.addColumn(data::Column::numeric("x", {1, 2, 3, 4, 5, 6, 7, 8, kNaN}));
        a.addColumn(text("c", {"p", "p", "q", "q", "q", "p", "r", "p", nullptr}));
        data::Table b;
        b.addColumn(data::Column::numeric("x", {kNaN, 100, -100, 50, kNaN}));
        b.addColumn(text("c", {nullptr, "r", "r", "r", nullptr}));

        // Clip: quartiles of A are 2.75 and 6.25, fences −2.5 and 11.5.
        const data::Table clipped = fitted(step("clip_outliers"), a)->transform(b);
        QVERIFY(std::isnan(clipped.column("x").values()[0]));
        QCOMPARE(clipped.column("x").values()[1], 11.5);
        QCOMPARE(clipped.column("x").values()[2], -2.5);
        QCOMPARE(clipped.column("x").values()[3], 11.5);
        // z-score: mean 4.5, population std sqrt(5.25).
        const data::Table z = fitted(step("clip_outliers", {{"method", "zscore"}, {"z_limit", "1"}}), a)->transform(b);
        QVERIFY(close(z.column("x").values()[1], 4.5 + std::sqrt(5.25)));
        QVERIFY(close(z.column("x").values()[2], 4.5 - std::sqrt(5.25)));

        // ffill: a leading gap takes A's last value 8 and A's last category "p".
        const data::Table forward =
            fitted(step("impute", {{"numeric", "ffill"}, {"categorical", "ffill"}}), a)->transform(b);
        QCOMPARE(forward.column("x").values(), (std::vector<double>{8, 100, -100, 50, 50}));
        QCOMPARE(forward.column("c").textAt(0), std::string("p"));
        QCOMPARE(forward.column("c").textAt(4), std::string("r"));
        // bfill: a trailing gap takes A's median 4.5 and A's most frequent "p", though B is all "r".
        const data::Table backward =
            fitted(step("impute", {{"numeric", "bfill"}, {"categorical", "bfill"}}), a)->transform(b);
        QCOMPARE(backward.column("x").values(), (std::vector<double>{100, 100, -100, 50, 4.5}));
        QCOMPARE(backward.column("c").textAt(4), std::string("p"));
        // most_frequent on numbers: A's values are all distinct, the smallest wins.
        QCOMPARE(fitted(step("impute", {{"numeric", "most_frequent"}}), a)->transform(b).column("x").values()[0], 1.0);

        // Sparse: B's x is 40% missing, A's 11%: kept at 0.2, decided on A.
        QCOMPARE(fitted(step("drop_sparse_columns", {{"max_missing", "0.2"}}), a)->transform(b).columnNames(),
                 (std::vector<std::string>{"x", "c"}));
        QCOMPARE(fitted(step("drop_sparse_columns", {{"max_missing", "0.1"}}), a)->transform(b).columnNames(),
                 std::vector<std::string>{});
    }

    // ---- contract: save/load, not fitted, progress, cancel --------------------------

    void saveLoadRoundTripIsIdentical()
    {
        const data::Table train = trainRows();
        const data::Table check = checkRows();
        for (auto& transformer : everyNewTransformer())
            checkRoundTrip(*transformer, train, check);
    }

    void truncatedArchiveFails()
    {
        for (auto& transformer : everyNewTransformer()) {
            core::TaskControl control;
            transformer->fit(trainRows(), kNoTarget, control);
            std::string bytes = saved(*transformer);
            bytes.resize(bytes.size() / 2);
            QVERIFY_THROWS_EXCEPTION(std::exception, loaded(transformer->kind(), bytes));
        }
    }

    void everyKindLoads()
    {
        for (const std::string kind : {"simple_imputer", "sparse_column_dropper", "outlier_clipper", "column_renamer"})
            QCOMPARE(prep::makeTransformerForLoading(kind)->kind(), kind);
        for (auto& transformer : everyNewTransformer())
            QCOMPARE(prep::makeTransformerForLoading(transformer->kind())->kind(), transformer->kind());
    }

    void notFittedBeforeFit()
    {
        for (auto& transformer : everyNewTransformer()) {
            QVERIFY(!transformer->isFitted());
            QVERIFY(!transformer->describe().empty());
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->transform(checkRows()));
            std::ostringstream out;
            core::OutputArchive archive(out);
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->save(archive));
        }
    }

    void clipFailsOnAColumnWithoutTrainingValues()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("none", {kNaN, kNaN}));
        core::TaskControl control;
        auto clipper = step("clip_outliers");
        QVERIFY_THROWS_EXCEPTION(core::DataError, clipper->fit(train, kNoTarget, control));
        QCOMPARE(messageOf([&] { clipper->fit(train, kNoTarget, control); }),
                 std::string("column 'none' has no values in the training rows — drop it"));
        QVERIFY_THROWS_EXCEPTION(core::DataError,
                                 step("clip_outliers", {}, {"sex"})->fit(trainRows(), kNoTarget, control));
    }

    void progressIsMonotoneAndCancelIsHonoured()
    {
        const data::Table train = trainRows();
        for (auto& transformer : everyNewTransformer()) {
            RecordingObserver observer;
            core::TaskControl control(&observer);
            transformer->fit(train, kNoTarget, control);
            QVERIFY(!observer.fractions.empty());
            QVERIFY(std::is_sorted(observer.fractions.begin(), observer.fractions.end()));
            QCOMPARE(observer.fractions.back(), 1.0);
        }
        core::TaskControl cancelled;
        cancelled.cancel();
        for (auto& transformer : everyNewTransformer()) {
            QVERIFY_THROWS_EXCEPTION(core::Cancelled, transformer->fit(train, kNoTarget, cancelled));
            QVERIFY(!transformer->isFitted());
        }
        QVERIFY_THROWS_EXCEPTION(core::Cancelled,
                                 filter("drop_duplicates", {}, {})->keptRows(titanic(), cancelled));
        QVERIFY_THROWS_EXCEPTION(core::Cancelled,
                                 sampler("remove_outliers", {})->apply({train, kNoTarget}, 1, cancelled));
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, prep::findDuplicates(titanic(), {}, cancelled));
        QVERIFY_THROWS_EXCEPTION(core::Cancelled,
                                 prep::findOutliers(titanic(), {}, prep::OutlierRule::Iqr, 1.5, cancelled));
    }

    void cancelStopsALongDuplicateSearchMidway()
    {
        // 300 000 rows: the search reports at least every 65 536 rows, so a cancel from
        // the observer at the first report stops it there.
        std::vector<double> values(300000);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<double>(i % 1000);
        data::Table big;
        big.addColumn(data::Column::numeric("v", std::move(values)));
        struct CancelOnSecondReport : core::TaskObserver {
            core::TaskControl* control = nullptr;
            int reports = 0;
            void onProgress(double, const std::string&) override
            {
                if (++reports == 2)
                    control->cancel();
            }
        } observer;
        core::TaskControl control(&observer);
        observer.control = &control;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, prep::findDuplicates(big, {}, control));
        QCOMPARE(observer.reports, 2);
    }
};

QTEST_GUILESS_MAIN(TestCleaningSteps)
#include "tst_cleaning_steps.moc"
