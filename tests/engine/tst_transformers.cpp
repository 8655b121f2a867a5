// Transformers (imputer, scalers, encoders) against scikit-learn 1.2.1 on titanic, the
// train-only fitting rule, save/load, and the errors.
#include <QtTest>

#include <cmath>
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

const json& reference()
{
    static const json data = loadReference("prep_reference.json");
    return data;
}

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

/// Compares every column of `expected` (name → values) with `table`.
void compareOutput(const data::Table& table, const json& expected)
{
    for (const auto& [name, values] : expected.items()) {
        QVERIFY2(table.hasColumn(name), name.c_str());
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
                         qPrintable(QString("%1 row %2: got %3, scikit-learn %4")
                                        .arg(QString::fromStdString(name))
                                        .arg(row)
                                        .arg(column.values()[row], 0, 'g', 17)
                                        .arg(want, 0, 'g', 17)));
            }
        }
    }
}

struct RecordingObserver : core::TaskObserver {
    std::vector<double> fractions;
    void onProgress(double fraction, const std::string&) override { fractions.push_back(fraction); }
};

std::vector<std::unique_ptr<prep::Transformer>> everyTransformer()
{
    std::vector<std::unique_ptr<prep::Transformer>> all;
    all.push_back(step("impute"));
    all.push_back(step("scale", {{"method", "standard"}}));
    all.push_back(step("scale", {{"method", "minmax"}}));
    all.push_back(step("encode", {{"method", "onehot"}}));
    all.push_back(step("encode", {{"method", "ordinal"}}));
    return all;
}

} // namespace

class TestTransformers : public QObject {
    Q_OBJECT
private slots:
    void imputerMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("numeric");
        QTest::addColumn<QString>("numericConstant");
        QTest::addColumn<QString>("categorical");
        QTest::newRow("mean, most frequent") << "imputer_mean_most_frequent" << "mean" << "0" << "most_frequent";
        QTest::newRow("median, constant") << "imputer_median_constant" << "median" << "0" << "constant";
        QTest::newRow("constant, most frequent")
            << "imputer_constant_most_frequent" << "constant" << "-1.5" << "most_frequent";
    }

    void imputerMatchesScikitLearn()
    {
        QFETCH(QString, caseName);
        QFETCH(QString, numeric);
        QFETCH(QString, numericConstant);
        QFETCH(QString, categorical);
        const std::map<std::string, std::string> params = {{"numeric", numeric.toStdString()},
                                                           {"numeric_fill", numericConstant.toStdString()},
                                                           {"categorical", categorical.toStdString()},
                                                           {"categorical_fill", "missing"}};
        const json& expected = reference()["cases"][caseName.toStdString()];
        const auto imputer = fitted(step("impute", params), trainRows());
        QCOMPARE(imputer->kind(), std::string("simple_imputer"));
        const data::Table out = imputer->transform(checkRows());
        QCOMPARE(out.missingCount(), std::size_t(0));
        compareOutput(out, expected["output"]);
    }

    void standardScalerMatchesScikitLearn()
    {
        const auto scaler = fitted(step("scale", {{"method", "standard"}}), trainRows());
        const data::Table out = scaler->transform(checkRows());
        compareOutput(out, reference()["cases"]["standard_scaler"]["output"]);
        // Missing ages stay missing; categorical columns pass through untouched.
        QCOMPARE(out.column("age").missingCount(), checkRows().column("age").missingCount());
        QCOMPARE(out.column("sex").codes(), checkRows().column("sex").codes());
    }

    void minMaxScalerMatchesScikitLearn()
    {
        const auto scaler = fitted(step("scale", {{"method", "minmax"}}), trainRows());
        compareOutput(scaler->transform(checkRows()), reference()["cases"]["min_max_scaler"]["output"]);
        const data::Table onTrain = scaler->transform(trainRows());
        for (const std::string name : {"age", "sibsp", "fare"}) {
            double low = 1e300, high = -1e300;
            for (double value : onTrain.column(name).values())
                if (!std::isnan(value)) {
                    low = std::min(low, value);
                    high = std::max(high, value);
                }
            QCOMPARE(low, 0.0);
            QVERIFY(close(high, 1.0));
        }
    }

    void oneHotMatchesScikitLearn()
    {
        const json& expected = reference()["cases"]["one_hot_encoder"];
        const auto encoder = fitted(step("encode", {{"method", "onehot"}}), trainRows());
        const data::Table out = encoder->transform(checkRows());
        // Indicator columns replace each categorical column at its position.
        QCOMPARE(out.columnNames(), expected["columns"].get<std::vector<std::string>>());
        compareOutput(out, expected["output"]);
        QCOMPARE(encoder->describe(), std::string("one-hot encoding of 3 categorical columns → 11 indicator columns"));
    }

    void ordinalMatchesScikitLearn()
    {
        const auto encoder = fitted(step("encode", {{"method", "ordinal"}}), trainRows());
        const data::Table out = encoder->transform(checkRows());
        QCOMPARE(out.columnNames(), checkRows().columnNames());
        compareOutput(out, reference()["cases"]["ordinal_encoder"]["output"]);
    }

    void statisticsComeFromTrainingRowsOnly()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("x", {1.0, 2.0, 3.0, kNaN}));
        train.addColumn(text("c", {"b", "a", "b", nullptr}));
        data::Table test;
        test.addColumn(data::Column::numeric("x", {10.0, kNaN, 100.0}));
        test.addColumn(text("c", {"a", nullptr, "a"}));

        const auto imputer = fitted(step("impute"), train);
        const data::Table filled = imputer->transform(test);
        QCOMPARE(filled.column("x").values(), (std::vector<double>{10.0, 2.0, 100.0}));  // training mean 2
        QCOMPARE(filled.column("c").textAt(1), std::string("b"));  // training mode, though the test rows are all "a"

        const auto standard = fitted(step("scale", {{"method", "standard"}}), train);
        const std::vector<double> scaled = standard->transform(test).column("x").values();
        const double trainStd = std::sqrt(2.0 / 3.0);  // population std of 1, 2, 3
        QVERIFY(close(scaled[0], (10.0 - 2.0) / trainStd));
        QVERIFY(std::isnan(scaled[1]));
        QVERIFY(close(scaled[2], (100.0 - 2.0) / trainStd));

        const auto minMax = fitted(step("scale", {{"method", "minmax"}}), train);
        const std::vector<double> ranged = minMax->transform(test).column("x").values();
        QVERIFY(close(ranged[0], 4.5));  // (10 − 1) / (3 − 1): outside [0, 1], no refit on test rows
        QVERIFY(close(ranged[2], 49.5));
    }

    void unseenAndMissingCategories()
    {
        data::Table train;
        train.addColumn(text("colour", {"red", "blue", "red", "green"}));
        train.addColumn(data::Column::numeric("n", {1, 2, 3, 4}));
        data::Table test;
        // Levels appear in another order than in training ("blue" gets code 0 here): the
        // encoders must match by text, not by code.
        test.addColumn(text("colour", {"blue", "purple", nullptr, "red", "green"}));
        test.addColumn(data::Column::numeric("n", {5, 6, 7, 8, 9}));

        const auto oneHot = fitted(step("encode", {{"method", "onehot"}}), train);
        const data::Table encoded = oneHot->transform(test);
        QCOMPARE(encoded.columnNames(),
                 (std::vector<std::string>{"colour=blue", "colour=green", "colour=red", "n"}));
        QCOMPARE(encoded.column("colour=blue").values(), (std::vector<double>{1, 0, 0, 0, 0}));
        QCOMPARE(encoded.column("colour=green").values(), (std::vector<double>{0, 0, 0, 0, 1}));
        QCOMPARE(encoded.column("colour=red").values(), (std::vector<double>{0, 0, 0, 1, 0}));
        QCOMPARE(encoded.column("n").values(), (std::vector<double>{5, 6, 7, 8, 9}));
        QCOMPARE(oneHot->describe(), std::string("one-hot encoding of 1 categorical column → 3 indicator columns"));

        const auto ordinal = fitted(step("encode", {{"method", "ordinal"}}), train);
        const std::vector<double> codes = ordinal->transform(test).column("colour").values();
        QCOMPARE(codes[0], 0.0);
        QCOMPARE(codes[1], -1.0);  // unseen
        QVERIFY(std::isnan(codes[2]));  // missing
        QCOMPARE(codes[3], 2.0);
        QCOMPARE(codes[4], 1.0);
    }

    void imputerConstantAddsALevelAndTiesSortFirst()
    {
        data::Table train;
        train.addColumn(text("c", {"b", "a", "b", "a", "c", nullptr}));
        const data::Table filled =
            fitted(step("impute", {{"categorical", "constant"}, {"categorical_fill", "unknown"}}), train)
                ->transform(train);
        const data::Column& c = filled.column("c");
        QCOMPARE(c.textAt(5), std::string("unknown"));
        QCOMPARE(c.levels().back(), std::string("unknown"));
        QCOMPARE(c.textAt(0), std::string("b"));

        // "a" and "b" both occur twice; scikit-learn picks the one that sorts first.
        const data::Table mode = fitted(step("impute"), train)->transform(train);
        QCOMPARE(mode.column("c").textAt(5), std::string("a"));
        QCOMPARE(mode.column("c").levels().size(), std::size_t(3));
    }

    void imputerRejectsAColumnWithoutTrainingValues()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("empty", {kNaN, kNaN}));
        train.addColumn(data::Column::numeric("ok", {1.0, 2.0}));
        core::TaskControl control;
        auto imputer = step("impute");
        QVERIFY_THROWS_EXCEPTION(core::DataError, imputer->fit(train, kNoTarget, control));
        QCOMPARE(messageOf([&] { imputer->fit(train, kNoTarget, control); }),
                 std::string("column 'empty' has no values in the training rows — drop it"));
        QVERIFY(!imputer->isFitted());

        data::Table categorical;
        categorical.addColumn(text("nothing", {nullptr, nullptr}));
        QVERIFY_THROWS_EXCEPTION(core::DataError, step("impute")->fit(categorical, kNoTarget, control));

        // A constant fill needs no training values.
        const auto filler = fitted(step("impute", {{"numeric", "constant"}, {"numeric_fill", "7"}}), train);
        QCOMPARE(filler->transform(train).column("empty").values(), (std::vector<double>{7.0, 7.0}));
    }

    void constantColumnsScaleSafely()
    {
        data::Table train;
        train.addColumn(data::Column::numeric("k", {4.0, 4.0, 4.0}));
        const auto standard = fitted(step("scale", {{"method", "standard"}}), train);
        QCOMPARE(standard->transform(train).column("k").values(), (std::vector<double>{0.0, 0.0, 0.0}));
        const auto minMax = fitted(step("scale", {{"method", "minmax"}}), train);
        QCOMPARE(minMax->transform(train).column("k").values(), (std::vector<double>{0.0, 0.0, 0.0}));
    }

    void saveLoadRoundTripIsIdentical()
    {
        const data::Table train = trainRows();
        const data::Table check = checkRows();
        for (auto& transformer : everyTransformer())
            checkRoundTrip(*transformer, train, check);
    }

    void truncatedArchiveFails()
    {
        const auto scaler = fitted(step("scale", {{"method", "standard"}}), trainRows());
        std::string bytes = saved(*scaler);
        bytes.resize(bytes.size() / 2);
        QVERIFY_THROWS_EXCEPTION(std::exception, loaded("standard_scaler", bytes));
    }

    void unknownKindIsArchiveError()
    {
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, prep::makeTransformerForLoading("no_such_scaler"));
        for (const std::string kind :
             {"simple_imputer", "standard_scaler", "min_max_scaler", "one_hot_encoder", "ordinal_encoder"})
            QCOMPARE(prep::makeTransformerForLoading(kind)->kind(), kind);
    }

    void notFittedBeforeFit()
    {
        for (auto& transformer : everyTransformer()) {
            QVERIFY(!transformer->isFitted());
            QVERIFY(!transformer->describe().empty());
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->transform(checkRows()));
            std::ostringstream out;
            core::OutputArchive archive(out);
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->save(archive));
        }
    }

    void wrongOrMissingColumnIsDataError()
    {
        const data::Table train = trainRows();
        // Each fitted column in turn changes type or disappears.
        for (auto& transformer : everyTransformer()) {
            core::TaskControl control;
            transformer->fit(train, kNoTarget, control);
            const std::string column = transformer->kind() == "standard_scaler" ||
                                               transformer->kind() == "min_max_scaler" ||
                                               transformer->kind() == "simple_imputer"
                                           ? "fare"
                                           : "embarked";
            data::Table changed = train.withoutColumns({column});
            changed.addColumn(train.column(column).isNumeric() ? train.column(column).asCategorical()
                                                               : data::Column::numeric(column, std::vector<double>(
                                                                                                   train.rowCount(), 1.0)));
            QVERIFY_THROWS_EXCEPTION(core::DataError, transformer->transform(changed));
            const std::string typeMessage = messageOf([&] { transformer->transform(changed); });
            QVERIFY2(typeMessage.find("column '" + column + "'") != std::string::npos, typeMessage.c_str());

            const std::string missingMessage =
                messageOf([&] { transformer->transform(train.withoutColumns({column})); });
            QVERIFY2(missingMessage.find("column '" + column + "' is missing") != std::string::npos,
                     missingMessage.c_str());
        }
    }

    void extraColumnsPassThrough()
    {
        const auto scaler = fitted(step("scale", {{"method", "standard"}}), trainRows().selectColumns({"age"}));
        data::Table more = checkRows();
        const data::Table out = scaler->transform(more);
        QCOMPARE(out.columnNames(), more.columnNames());
        QCOMPARE(out.column("fare").values(), more.column("fare").values());
        QCOMPARE(scaler->describe(),
                 std::string("standard scaling of 1 numeric column (minus the training mean, divided by the "
                             "training standard deviation)"));
    }

    void describesInWords()
    {
        const data::Table train = trainRows();
        QCOMPARE(fitted(step("impute"), train)->describe(),
                 std::string("imputation of 3 numeric columns (mean) and 3 categorical columns (most frequent)"));
        QCOMPARE(fitted(step("scale", {{"method", "minmax"}}), train)->describe(),
                 std::string("min-max scaling of 3 numeric columns to [0, 1] over the training range"));
        QCOMPARE(fitted(step("encode", {{"method", "ordinal"}}), train)->describe(),
                 std::string("ordinal encoding of 3 categorical columns (codes 0..k−1 in sorted category order, "
                             "−1 for a category not seen in training)"));
    }

    void progressIsMonotoneAndCancelWorks()
    {
        const data::Table train = trainRows();
        for (auto& transformer : everyTransformer()) {
            RecordingObserver observer;
            core::TaskControl control(&observer);
            transformer->fit(train, kNoTarget, control);
            QVERIFY(!observer.fractions.empty());
            QVERIFY(std::is_sorted(observer.fractions.begin(), observer.fractions.end()));
            QCOMPARE(observer.fractions.back(), 1.0);

            auto fresh = prep::makeTransformerForLoading(transformer->kind());
            core::TaskControl cancelled;
            cancelled.cancel();
            QVERIFY_THROWS_EXCEPTION(core::Cancelled, fresh->fit(train, kNoTarget, cancelled));
            QVERIFY(!fresh->isFitted());
        }
    }
};

QTEST_GUILESS_MAIN(TestTransformers)
#include "tst_transformers.moc"
