// The formula and select_features steps: formulas against NumPy on titanic, the parser's
// errors and limits, VarianceThreshold / SelectKBest (f_classif, f_regression) and the
// pandas correlation recipe against scikit-learn 1.2.1 and pandas, save/load, NotFitted,
// and fitting on the training rows only.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <nlohmann/json.hpp>

#include "features/feature_selector.hpp"
#include "prep/fitted_columns.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/features/expression_check.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/prep/transformers.hpp"
#include "step_test_support.hpp"

using namespace stepwise;
using namespace step_test;
using nlohmann::json;

namespace {

// Formulas: the same IEEE operations as NumPy, but NumPy's log/exp/power may take other
// code paths (SIMD loops, power(x, 0.5) as sqrt) that differ in the last bit or two;
// 1e-13 relative is far above that and far below any wrong operation or precedence.
constexpr double kFormulaTolerance = 1e-13;
// Variances and correlations: NumPy and pandas sum in another order (pairwise, Welford).
constexpr double kStatisticTolerance = 1e-12;
// F statistics: the sums-of-squares formulas subtract nearly equal sums (fare² over 600
// rows), so summation order shows up to ~1e-11 relative; 1e-9 still separates every pair
// of scores in the cases here by orders of magnitude.
constexpr double kFTolerance = 1e-9;

const json& reference()
{
    static const json data = loadReference("derived_reference.json");
    return data;
}

const data::Table& titanic()
{
    static const data::Table table = data::readCsvFile(STEPWISE_DATASETS_DIR "/titanic.csv");
    return table;
}

const data::Table& diabetes()
{
    static const data::Table table = data::readCsvFile(STEPWISE_DATASETS_DIR "/diabetes.csv");
    return table;
}

std::vector<std::size_t> titanicTrainRows() { return reference()["titanic_train_rows"].get<std::vector<std::size_t>>(); }

std::unique_ptr<prep::Transformer> formula(const std::string& name, const std::string& expression)
{
    return step("formula", {{"name", name}, {"expression", expression}});
}

const features::FeatureSelector& selector(const prep::Transformer& transformer)
{
    const auto* selector = dynamic_cast<const features::FeatureSelector*>(&transformer);
    if (!selector)
        qFatal("not a feature selector");
    return *selector;
}

/// Titanic's numeric feature columns (booleans as 0/1), the constant column 'one' and the
/// categorical 'sex' (which must pass through), mean-imputed by the impute step fitted
/// on the training rows — as the reference does with SimpleImputer.
data::Table imputedTitanicTrain()
{
    const auto& names = reference()["titanic_selection"]["columns"].get<std::vector<std::string>>();
    data::Table table;
    for (const std::string& name : names) {
        if (name == "one")
            table.addColumn(data::Column::numeric("one", std::vector<double>(titanic().rowCount(), 1.0)));
        else
            table.addColumn(titanic().column(name));
    }
    table.addColumn(titanic().column("sex"));
    const data::Table train = table.selectRows(titanicTrainRows());
    return fitted(step("impute"), train)->transform(train);
}

prep::TrainingTarget titanicTarget()
{
    prep::TrainingTarget target;
    target.task = core::TaskType::Classification;
    target.classCount = 2;
    for (std::size_t row : titanicTrainRows())
        target.values.push_back(titanic().column("survived").values()[row]);
    return target;
}

data::Table diabetesTrain()
{
    const auto rows = reference()["diabetes_selection"]["train_rows"].get<std::vector<std::size_t>>();
    return diabetes().selectRows(rows).withoutColumns({"target"});
}

prep::TrainingTarget diabetesTarget()
{
    prep::TrainingTarget target;
    target.task = core::TaskType::Regression;
    for (std::size_t row : reference()["diabetes_selection"]["train_rows"].get<std::vector<std::size_t>>())
        target.values.push_back(diabetes().column("target").values()[row]);
    return target;
}

std::vector<std::string> without(const std::vector<std::string>& names, const std::vector<std::string>& dropped)
{
    std::vector<std::string> kept;
    for (const std::string& name : names)
        if (std::find(dropped.begin(), dropped.end(), name) == dropped.end())
            kept.push_back(name);
    return kept;
}

std::vector<std::unique_ptr<prep::Transformer>> everyTransformer()
{
    std::vector<std::unique_ptr<prep::Transformer>> all;
    all.push_back(formula("family", "sibsp + parch + 1"));
    all.push_back(formula("ratio", "log(fare) / (age - 30)"));
    all.push_back(step("select_features", {{"method", "variance"}, {"variance_threshold", "0.5"}}));
    all.push_back(step("select_features", {{"method", "correlation"}, {"max_correlation", "0.3"}}));
    all.push_back(step("select_features", {{"method", "kbest"}, {"k", "3"}}));
    return all;
}

struct RecordingObserver : core::TaskObserver {
    std::vector<double> fractions;
    void onProgress(double fraction, const std::string&) override { fractions.push_back(fraction); }
};

} // namespace

class TestDerivedSteps : public QObject {
    Q_OBJECT
private slots:
    void registryEntriesMatchTheCliContract()
    {
        const prep::StepInfo& formulaInfo = prep::findStep("formula");
        QCOMPARE(formulaInfo.phase, prep::StepPhase::Fitted);
        QCOMPARE(formulaInfo.scope, prep::ColumnScope::None);
        QCOMPARE(formulaInfo.stage, prep::StepStage::Features);
        const prep::StepInfo& selectInfo = prep::findStep("select_features");
        QCOMPARE(selectInfo.phase, prep::StepPhase::Fitted);
        QCOMPARE(selectInfo.scope, prep::ColumnScope::Numeric);
        // The names app/cli/step_flags.cpp writes.
        prep::resolveStepParams({"formula", true, {}, {{"name", "family"}, {"expression", "sibsp+parch+1"}}});
        for (const auto& [method, key, value] : std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"variance", "variance_threshold", "0.1"}, {"correlation", "max_correlation", "1"}, {"kbest", "k", "5"}})
            prep::resolveStepParams({"select_features", true, {}, {{"method", method}, {key, value}}});
        const core::ParamValues defaults = prep::resolveStepParams({"select_features", true, {}, {}});
        QCOMPARE(defaults.real("variance_threshold"), 0.0);
        QCOMPARE(defaults.real("max_correlation"), 0.95);
        QCOMPARE(defaults.integer("k"), 10LL);
        for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
                 {"max_correlation", "0"}, {"max_correlation", "1.01"}, {"k", "0"}, {"k", "100001"}, {"k", "2.5"},
                 {"variance_threshold", "-0.1"}, {"method", "lasso"}})
            QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                     prep::resolveStepParams({"select_features", true, {}, {{key, value}}}));
        QCOMPARE(prep::parseStepArgument("formula:name=f;expression=age*2").params.at("expression"),
                 std::string("age*2"));
    }

    void formulaMatchesNumpy_data()
    {
        QTest::addColumn<int>("index");
        const json& cases = reference()["formulas"];
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::newRow(cases[i]["expression"].get<std::string>().c_str()) << static_cast<int>(i);
    }

    void formulaMatchesNumpy()
    {
        QFETCH(int, index);
        const json& expected = reference()["formulas"][static_cast<std::size_t>(index)];
        const data::Table train = titanic().selectRows(titanicTrainRows());
        const auto transformer = fitted(formula("f", expected["expression"].get<std::string>()), train);
        const data::Table out = transformer->transform(titanic());
        // The new column comes last; the others are untouched.
        std::vector<std::string> names = titanic().columnNames();
        names.push_back("f");
        QCOMPARE(out.columnNames(), names);
        QCOMPARE(out.column("fare").values(), titanic().column("fare").values());
        const data::Column& f = out.column("f");
        QCOMPARE(f.kind(), data::ColumnKind::Numeric);
        const json& values = expected["values"];
        QCOMPARE(f.size(), values.size());
        for (std::size_t row = 0; row < values.size(); ++row) {
            const double want = values[row].is_null() ? kNaN : values[row].get<double>();
            QVERIFY2(close(f.values()[row], want, kFormulaTolerance),
                     qPrintable(QString("row %1: got %2, NumPy %3").arg(row).arg(f.values()[row], 0, 'g', 17).arg(want, 0, 'g', 17)));
        }
        // describe() counts the training rows without a finite result (missing inputs are
        // not counted: they were missing already).
        const auto nonFinite = expected["non_finite_train"].get<std::size_t>();
        const std::string description = transformer->describe();
        QVERIFY2(contains(description, "new column 'f' = " + expected["expression"].get<std::string>()),
                 description.c_str());
        if (nonFinite == 0)
            QVERIFY2(!contains(description, "no finite result"), description.c_str());
        else
            QVERIFY2(contains(description, std::to_string(nonFinite) + " training row" + (nonFinite == 1 ? "" : "s") +
                                               " of 600 ha"),
                     description.c_str());
    }

    void formulaDescribesNonFiniteTrainingRows()
    {
        const data::Table train = titanic().selectRows(titanicTrainRows());
        QCOMPARE(fitted(formula("lf", "log(fare)"), train)->describe(),
                 std::string("new column 'lf' = log(fare); 9 training rows of 600 have no finite result (e.g. x/0 or "
                             "the log of a number ≤ 0) and will be missing — fill them in a later step or change the "
                             "formula"));
        QCOMPARE(fitted(formula("family", "sibsp+parch+1"), train)->describe(),
                 std::string("new column 'family' = sibsp+parch+1"));
        QCOMPARE(formula("family", "sibsp+parch+1")->describe(),
                 std::string("new column 'family' = sibsp+parch+1 (not fitted yet)"));
    }

    void parserErrorsNamePositionAndExpectation_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("empty") << "" << 0 << "expected an expression";
        QTest::newRow("blank") << "   " << 3 << "expected an expression";
        QTest::newRow("dangling +") << "sibsp +" << 7
                                    << "expected a number, a column name, a function or '(' but found the end of the "
                                       "expression";
        QTest::newRow("two operators") << "age +* 2" << 5 << "expected a number, a column name, a function or '(' but found '*'";
        QTest::newRow("unclosed (") << "(age + 1" << 8 << "expected ')' to close the '(' at position 0 but found the end";
        QTest::newRow("stray )") << "age + 1)" << 7 << "found ')' without a matching '('";
        QTest::newRow("missing operator") << "age 2" << 4 << "expected an operator (+ - * / ^) or the end of the expression but found '2'";
        QTest::newRow("unknown function") << "foo(age)" << 0 << "unknown function 'foo' — use log, log1p, exp, sqrt, abs, pow, min or max";
        QTest::newRow("one-argument function") << "log(age, 2)" << 7 << "expected ')' — log takes one argument but found ','";
        QTest::newRow("pow needs two") << "pow(age)" << 7 << "expected ',' and the second argument of pow but found ')'";
        QTest::newRow("min takes two") << "min(age, 1, 2)" << 10 << "expected ')' after the two arguments of min";
        QTest::newRow("bad character") << "age # 2" << 4 << "unexpected character '#'";
        QTest::newRow("unclosed backquote") << "1 + `sib sp" << 4 << "no closing backquote";
        QTest::newRow("empty backquotes") << "``" << 0 << "`` names no column";
        QTest::newRow("exponent without digits") << "2 * 1e+" << 4 << "the number '1e+' has no digits in its exponent";
        QTest::newRow("number too large") << "1e999" << 0 << "the number '1e999' is too large";
        QTest::newRow("comma at top level") << "age, fare" << 3 << "expected an operator";
        QTest::newRow("function without call") << "log + 1" << -1 << "";  // a column named log: parses
        QTest::newRow("positions count characters") << "`é` + x $" << 8 << "unexpected character '$'";
        QTest::newRow("non-ASCII outside backquotes") << "x + é" << 4 << "unexpected character 'é'";
        QTest::newRow("nesting: parentheses") << QString(201, '(') + "1" + QString(201, ')') << 200 << "nests deeper than 200 levels";
        QTest::newRow("nesting: unary minus") << QString(250, '-') + "1" << 200 << "nests deeper than 200 levels";
        QTest::newRow("nesting: powers") << QString("2^").repeated(250) + "2" << 401 << "nests deeper than 200 levels";
        QTest::newRow("nesting: calls") << QString("abs(").repeated(201) + "1" + QString(201, ')') << 800 << "nests deeper";
        QTest::newRow("too long") << QString("1+").repeated(2048) + "1" << 4096 << "longer than 4096 characters";
    }

    void parserErrorsNamePositionAndExpectation()
    {
        QFETCH(QString, text);
        QFETCH(int, position);
        QFETCH(QString, fragment);
        const std::string expression = text.toStdString();
        const features::ExpressionCheck check = features::checkExpression(expression, {"age", "log", "x", "é"});
        if (position < 0) {
            QVERIFY2(check.ok, check.message.c_str());
            return;
        }
        QVERIFY(!check.ok);
        QCOMPARE(check.position, static_cast<std::size_t>(position));
        QVERIFY2(contains(check.message, fragment.toStdString()), check.message.c_str());
        // The step's factory rejects it the same way, with the position in the message.
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, formula("f", expression));
        const std::string message = messageOf([&] { formula("f", expression); });
        QVERIFY2(contains(message, "the expression of the formula for 'f' has an error at position " +
                                       std::to_string(position) + ": " + check.message),
                 message.c_str());
    }

    void limitsStillAcceptTheirBoundary()
    {
        // 200 levels and 4096 characters are allowed; a long flat sum is not nesting.
        QVERIFY(features::checkExpression(std::string(200, '(') + "1" + std::string(200, ')'), {}).ok);
        QVERIFY(features::checkExpression(std::string(200, '-') + "1", {}).ok);
        std::string sum;
        for (int i = 0; i < 2047; ++i)
            sum.append("x+");
        sum.append("1");
        QCOMPARE(sum.size(), std::size_t(4095));
        QVERIFY(features::checkExpression(sum, {"x"}).ok);
        data::Table table;
        table.addColumn(data::Column::numeric("x", {1.0, 2.0, kNaN}));
        const data::Table out = fitted(formula("s", sum), table)->transform(table);
        QCOMPARE(out.column("s").values()[0], 2048.0);
        QCOMPARE(out.column("s").values()[1], 4095.0);
        QVERIFY(std::isnan(out.column("s").values()[2]));
    }

    void precedenceAndAssociativity()
    {
        data::Table table;
        table.addColumn(data::Column::numeric("a", {2.0}));
        table.addColumn(data::Column::numeric("b", {3.0}));
        const std::vector<std::pair<std::string, double>> cases = {
            {"a + b * 2", 8.0},     {"(a + b) * 2", 10.0},  {"a - b - 1", -2.0},  {"a / b / 2", 2.0 / 3.0 / 2.0},
            {"a ^ b ^ 2", 512.0},   {"(a ^ b) ^ 2", 64.0},  {"-a ^ 2", -4.0},     {"(-a) ^ 2", 4.0},
            {"a ^ -1", 0.5},        {"a ** b", 8.0},        {"2 * -a", -4.0},     {"--a", 2.0},
            {"1e-3 * b", 3e-3},     {".5 + 1.", 1.5},       {"2E+2 / 4e1", 5.0},  {"min(a, b) - max(a, b)", -1.0},
            {"pow(b, a)", 9.0},     {"abs(a - b)", 1.0},    {"sqrt(a * 8)", 4.0}, {"exp(log(b))", std::exp(std::log(3.0))},
            {"log1p(a) - log(b)", 0.0}, {"`a` * `b`", 6.0}, {" a\t*\n b ", 6.0},  {"7", 7.0},
        };
        for (const auto& [expression, want] : cases) {
            const data::Table out = fitted(formula("f", expression), table)->transform(table);
            QVERIFY2(close(out.column("f").values()[0], want, 1e-15),
                     qPrintable(QString("%1 = %2, want %3").arg(QString::fromStdString(expression))
                                    .arg(out.column("f").values()[0], 0, 'g', 17).arg(want, 0, 'g', 17)));
        }
    }

    void missingInputsAndNonFiniteResultsAreMissing()
    {
        data::Table table;
        table.addColumn(data::Column::numeric("x", {kNaN, 0.0, -1.0, 4.0, 1e308}));
        table.addColumn(data::Column::numeric("y", {1.0, 0.0, 2.0, kNaN, 10.0}));
        const auto check = [&](const std::string& expression, std::vector<double> want, std::size_t nonFinite) {
            const auto transformer = fitted(formula("f", expression), table);
            const std::vector<double> got = transformer->transform(table).column("f").values();
            for (std::size_t row = 0; row < want.size(); ++row)
                QVERIFY2(close(got[row], want[row], 1e-15),
                         qPrintable(QString("%1 row %2").arg(QString::fromStdString(expression)).arg(row)));
            const std::string description = transformer->describe();
            if (nonFinite > 0)
                QVERIFY2(contains(description, prep::countOf(nonFinite, "training row") + " of 5"), description.c_str());
            else
                QVERIFY2(!contains(description, "finite"), description.c_str());
        };
        // pow(NaN, 0) and 0 * NaN: a missing input wins whatever the arithmetic says.
        check("pow(x, 0)", {kNaN, 1.0, 1.0, 1.0, 1.0}, 0);
        check("y ^ 0 + x * 0", {kNaN, 1.0, 1.0, kNaN, 1.0}, 0);
        check("x / y", {kNaN, kNaN, -0.5, kNaN, 1e307}, 1);      // 0/0
        check("log(x)", {kNaN, kNaN, kNaN, std::log(4.0), std::log(1e308)}, 2);  // log 0, log −1
        check("sqrt(x)", {kNaN, 0.0, kNaN, 2.0, std::sqrt(1e308)}, 1);
        check("x * 10", {kNaN, 0.0, -10.0, 40.0, kNaN}, 1);        // overflow to inf
        check("min(log(x), 1)", {kNaN, kNaN, kNaN, 1.0, 1.0}, 2);  // NaN stays NaN in min
        check("max(1, y)", {1.0, 1.0, 2.0, kNaN, 10.0}, 0);
    }

    void evaluationCrossesBlocks()
    {
        // More rows than one evaluation block (65536), with a missing value on each side
        // of the boundary.
        const std::size_t rows = 150001;
        std::vector<double> x(rows), y(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            x[i] = static_cast<double>(i % 977) - 300.0;
            y[i] = static_cast<double>(i % 13) + 0.5;
        }
        x[65535] = kNaN;
        y[65536] = kNaN;
        data::Table table;
        table.addColumn(data::Column::numeric("x", x));
        table.addColumn(data::Column::numeric("y", y));
        const std::vector<double> got =
            fitted(formula("f", "x * y - x / y + abs(x)^0.5"), table)->transform(table).column("f").values();
        for (std::size_t i = 0; i < rows; ++i) {
            const double want = x[i] * y[i] - x[i] / y[i] + std::pow(std::abs(x[i]), 0.5);
            if (!close(got[i], want, 0.0))
                QFAIL(qPrintable(QString("row %1").arg(i)));
        }
    }

    void checkExpressionNamesItsColumns()
    {
        const std::vector<std::string> numeric = {"fare", "sibsp", "parch", "sib sp", "age"};
        const features::ExpressionCheck ok =
            features::checkExpression("fare/(sibsp+parch+1) + `sib sp` * fare - `age`", numeric);
        QVERIFY2(ok.ok, ok.message.c_str());
        QVERIFY(ok.message.empty());
        QCOMPARE(ok.columns, (std::vector<std::string>{"fare", "sibsp", "parch", "sib sp", "age"}));

        const features::ExpressionCheck unknown = features::checkExpression("age * 2 + sexx", numeric);
        QVERIFY(!unknown.ok);
        QCOMPARE(unknown.position, std::size_t(10));
        QVERIFY2(contains(unknown.message, "there is no numeric column 'sexx'"), unknown.message.c_str());
        QCOMPARE(unknown.columns, (std::vector<std::string>{"age", "sexx"}));

        // A categorical column is not in the numeric list the editor passes.
        const features::ExpressionCheck categorical = features::checkExpression("`sex` + 1", numeric);
        QVERIFY(!categorical.ok);
        QCOMPARE(categorical.position, std::size_t(0));
        QVERIFY2(contains(categorical.message, "'sex'"), categorical.message.c_str());
    }

    void backquotedNamesReachAnyColumn()
    {
        data::Table table;
        table.addColumn(data::Column::numeric("sib sp", {1.0, 2.0}));
        table.addColumn(data::Column::numeric("sex=male", {0.0, 1.0}));
        table.addColumn(data::Column::numeric("2x", {5.0, 7.0}));
        table.addColumn(data::Column::numeric("log", {10.0, 20.0}));
        const data::Table out =
            fitted(formula("f", "`sib sp` * 100 + `sex=male` * 10 + `2x` + log / 10"), table)->transform(table);
        QCOMPARE(out.column("f").values(), (std::vector<double>{106.0, 219.0}));
    }

    void formulaRejectsBadNamesAndColumns()
    {
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, formula("", "age"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, formula("  ", "age"));
        QVERIFY2(contains(messageOf([] { formula("", "age"); }), "'name' is empty"), "empty name message");
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, step("formula", {{"name", "f"}}));  // no expression

        const data::Table train = titanic().selectRows(titanicTrainRows());
        core::TaskControl control;
        auto duplicate = formula("fare", "fare * 2");
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, duplicate->fit(train, kNoTarget, control));
        QVERIFY2(contains(messageOf([&] { duplicate->fit(train, kNoTarget, control); }),
                          "would add the column 'fare', but there is one of that name already"),
                 "duplicate message");

        auto unknown = formula("f", "fare / famliy");
        QVERIFY_THROWS_EXCEPTION(core::DataError, unknown->fit(train, kNoTarget, control));
        QVERIFY2(contains(messageOf([&] { unknown->fit(train, kNoTarget, control); }),
                          "the formula for 'f' uses column 'famliy', which is not there"),
                 "unknown message");
        QVERIFY(!unknown->isFitted());

        auto categorical = formula("f", "fare * sex");
        QVERIFY_THROWS_EXCEPTION(core::DataError, categorical->fit(train, kNoTarget, control));
        QVERIFY2(contains(messageOf([&] { categorical->fit(train, kNoTarget, control); }),
                          "uses column 'sex', which is categorical"),
                 "categorical message");

        // At transform time: a changed input type, a missing input, the output already there.
        const auto family = fitted(formula("family", "sibsp + parch + 1"), train);
        QVERIFY_THROWS_EXCEPTION(core::DataError, family->transform(train.withoutColumns({"parch"})));
        data::Table changed = train.withoutColumns({"parch"});
        changed.addColumn(train.column("parch").asCategorical());
        QVERIFY_THROWS_EXCEPTION(core::DataError, family->transform(changed));
        const data::Table once = family->transform(train);
        QVERIFY_THROWS_EXCEPTION(core::DataError, family->transform(once));
    }

    void varianceThresholdMatchesScikitLearn()
    {
        const json& selection = reference()["titanic_selection"];
        const auto columns = selection["columns"].get<std::vector<std::string>>();
        const data::Table train = imputedTitanicTrain();
        for (const json& expected : selection["variance"]) {
            const double threshold = expected["threshold"].get<double>();
            const auto transformer = fitted(
                step("select_features", {{"method", "variance"}, {"variance_threshold", data::formatNumber(threshold)}}),
                train);
            const features::FeatureSelector& fitted = selector(*transformer);
            QCOMPARE(fitted.candidates(), columns);
            for (std::size_t i = 0; i < columns.size(); ++i)
                QVERIFY2(close(fitted.scores()[i], expected["variances"][i].get<double>(), kStatisticTolerance),
                         columns[i].c_str());
            const auto kept = expected["kept"].get<std::vector<std::string>>();
            std::vector<std::string> names = kept;
            names.push_back("sex");  // not a candidate: passes through
            QCOMPARE(transformer->transform(train).columnNames(), names);
        }
    }

    void selectKBestClassificationMatchesScikitLearn()
    {
        const json& selection = reference()["titanic_selection"];
        const auto columns = selection["columns"].get<std::vector<std::string>>();
        const data::Table train = imputedTitanicTrain();
        for (const json& expected : selection["kbest_f_classif"]) {
            const auto k = expected["k"].get<int>();
            const auto transformer =
                fitted(step("select_features", {{"method", "kbest"}, {"k", std::to_string(k)}}), train, titanicTarget());
            const features::FeatureSelector& fitted = selector(*transformer);
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const json& score = expected["scores"][i];
                QVERIFY2(close(fitted.scores()[i], score.is_null() ? kNaN : score.get<double>(), kFTolerance),
                         qPrintable(QString("%1: %2").arg(QString::fromStdString(columns[i])).arg(fitted.scores()[i], 0, 'g', 17)));
            }
            std::vector<std::string> names = expected["kept"].get<std::vector<std::string>>();
            names.push_back("sex");
            QCOMPARE(transformer->transform(train).columnNames(), names);
        }
    }

    void selectKBestRegressionMatchesScikitLearn()
    {
        const json& selection = reference()["diabetes_selection"];
        const auto columns = selection["columns"].get<std::vector<std::string>>();
        const data::Table train = diabetesTrain();
        for (const json& expected : selection["kbest_f_regression"]) {
            const auto k = expected["k"].get<int>();
            const auto transformer =
                fitted(step("select_features", {{"method", "kbest"}, {"k", std::to_string(k)}}), train, diabetesTarget());
            const features::FeatureSelector& fitted = selector(*transformer);
            QCOMPARE(fitted.candidates(), columns);
            for (std::size_t i = 0; i < columns.size(); ++i)
                QVERIFY2(close(fitted.scores()[i], expected["scores"][i].get<double>(), kFTolerance), columns[i].c_str());
            QCOMPARE(transformer->transform(train).columnNames(), expected["kept"].get<std::vector<std::string>>());
        }
    }

    void correlationRecipeMatchesPandas()
    {
        const json& titanicSelection = reference()["titanic_selection"];
        const auto titanicColumns = titanicSelection["columns"].get<std::vector<std::string>>();
        const data::Table titanicTrain = imputedTitanicTrain();
        const json& matrix = titanicSelection["correlation_matrix"];
        for (const json& expected : titanicSelection["correlation"]) {
            const auto transformer = fitted(
                step("select_features",
                     {{"method", "correlation"}, {"max_correlation", data::formatNumber(expected["threshold"].get<double>())}}),
                titanicTrain);
            const auto dropped = expected["dropped"].get<std::vector<std::string>>();
            QCOMPARE(selector(*transformer).dropped(), dropped);
            std::vector<std::string> names = without(titanicColumns, dropped);
            names.push_back("sex");
            QCOMPARE(transformer->transform(titanicTrain).columnNames(), names);
            // Each score is the column's largest |r| with an earlier one, from pandas' matrix
            // (NaN for the constant column, which never counts).
            for (std::size_t j = 0; j < titanicColumns.size(); ++j) {
                double largest = 0.0;
                for (std::size_t i = 0; i < j; ++i)
                    if (!matrix[i][j].is_null())
                        largest = std::max(largest, std::abs(matrix[i][j].get<double>()));
                QVERIFY2(close(selector(*transformer).scores()[j], largest, kStatisticTolerance), titanicColumns[j].c_str());
            }
        }

        // Diabetes at 0.6: s5 goes because of s4, which goes too — the recipe is not greedy.
        const json& diabetesSelection = reference()["diabetes_selection"];
        const data::Table diabetesRows = diabetesTrain();
        for (const json& expected : diabetesSelection["correlation"]) {
            const auto transformer = fitted(
                step("select_features",
                     {{"method", "correlation"}, {"max_correlation", data::formatNumber(expected["threshold"].get<double>())}}),
                diabetesRows);
            QCOMPARE(selector(*transformer).dropped(), expected["dropped"].get<std::vector<std::string>>());
        }
        QCOMPARE(diabetesSelection["correlation"][0]["dropped"].get<std::vector<std::string>>(),
                 (std::vector<std::string>{"s2", "s4", "s5"}));
    }

    void selectionDescribesTheDroppedColumns()
    {
        const data::Table train = imputedTitanicTrain();
        QCOMPARE(fitted(step("select_features", {{"method", "kbest"}, {"k", "3"}}), train, titanicTarget())->describe(),
                 std::string("feature selection (keep the 3 numeric columns with the highest F statistic): dropped 5 of "
                             "8 numeric columns — age, sibsp, parch, alone, one; kept pclass, fare, adult_male"));
        QCOMPARE(fitted(step("select_features"), train)->describe(),
                 std::string("feature selection (keep numeric columns whose training variance is above 0): dropped 1 "
                             "of 8 numeric columns — one"));
        QCOMPARE(fitted(step("select_features", {{"method", "correlation"}, {"max_correlation", "1"}}), train)->describe(),
                 std::string("feature selection (drop the later column of every pair with |r| above 1): kept all 8 "
                             "numeric columns"));
        QCOMPARE(step("select_features", {{"method", "correlation"}})->describe(),
                 std::string("feature selection (drop the later column of every pair with |r| above 0.95) (not fitted "
                             "yet)"));
    }

    void selectionOnlyAmongChosenColumns()
    {
        const data::Table train = imputedTitanicTrain();
        // Only fare and pclass are candidates: the constant 'one' stays although it has no variance.
        const auto transformer = fitted(step("select_features", {{"method", "kbest"}, {"k", "1"}}, {"fare", "pclass"}),
                                        train, titanicTarget());
        QCOMPARE(selector(*transformer).candidates(), (std::vector<std::string>{"pclass", "fare"}));
        QCOMPARE(selector(*transformer).dropped(), (std::vector<std::string>{"fare"}));  // F 41.6 < 74.7
        QVERIFY(transformer->transform(train).hasColumn("one"));
        core::TaskControl control;
        QVERIFY_THROWS_EXCEPTION(
            core::DataError,
            step("select_features", {}, {"sex"})->fit(train, kNoTarget, control));  // categorical candidate
    }

    void selectionRejectsGapsAndImpossibleRequests()
    {
        core::TaskControl control;
        const data::Table raw = titanic().selectRows(titanicTrainRows()).selectColumns({"age", "fare", "sex"});
        auto selection = step("select_features");
        QVERIFY_THROWS_EXCEPTION(core::DataError, selection->fit(raw, kNoTarget, control));
        QCOMPARE(messageOf([&] { selection->fit(raw, kNoTarget, control); }),
                 std::string("column 'age' has missing values in the training rows — the feature selection cannot "
                             "score them: put it after a 'Fill missing values' step"));
        QVERIFY(!selection->isFitted());

        data::Table infinite;
        infinite.addColumn(data::Column::numeric("x", {1.0, std::numeric_limits<double>::infinity()}));
        QVERIFY2(contains(messageOf([&] { step("select_features")->fit(infinite, kNoTarget, control); }),
                          "column 'x' has infinite values"),
                 "infinite");

        data::Table categoricalOnly = raw.selectColumns({"sex"});
        QVERIFY2(contains(messageOf([&] { step("select_features")->fit(categoricalOnly, kNoTarget, control); }),
                          "no numeric columns to choose from"),
                 "no candidates");

        data::Table constant;
        constant.addColumn(data::Column::numeric("a", {2.0, 2.0, 2.0}));
        constant.addColumn(data::Column::numeric("b", {0.1, 0.1, 0.1}));
        QVERIFY2(contains(messageOf([&] { step("select_features")->fit(constant, kNoTarget, control); }),
                          "no numeric column has a training variance above 0"),
                 "all dropped");
        // Two constant columns have no correlation (pandas: NaN), so neither goes.
        QCOMPARE(selector(*fitted(step("select_features", {{"method", "correlation"}}), constant)).dropped(),
                 std::vector<std::string>{});

        data::Table numbers;
        numbers.addColumn(data::Column::numeric("a", {1.0, 2.0, 3.0}));
        QVERIFY2(contains(messageOf([&] { step("select_features", {{"method", "kbest"}})->fit(numbers, kNoTarget, control); }),
                          "needs the target of every training row"),
                 "no target");
    }

    void fittedOnTrainingRowsOnly()
    {
        // 'x' is constant on the training rows and varies on the others; 'y' the opposite.
        data::Table train, test;
        train.addColumn(data::Column::numeric("x", {1.0, 1.0, 1.0, 1.0}));
        train.addColumn(data::Column::numeric("y", {1.0, 2.0, 3.0, 4.0}));
        test.addColumn(data::Column::numeric("x", {5.0, -3.0}));
        test.addColumn(data::Column::numeric("y", {7.0, 7.0}));
        const auto variance = fitted(step("select_features"), train);
        QCOMPARE(variance->transform(test).columnNames(), std::vector<std::string>{"y"});

        // k best sees only the training target: 'a' separates the training classes, 'b' does not.
        data::Table labelled;
        labelled.addColumn(data::Column::numeric("a", {0.0, 0.1, 1.0, 1.1}));
        labelled.addColumn(data::Column::numeric("b", {0.0, 1.0, 0.0, 1.0}));
        prep::TrainingTarget target{core::TaskType::Classification, {0, 0, 1, 1}, 2};
        const auto kbest = fitted(step("select_features", {{"method", "kbest"}, {"k", "1"}}), labelled, target);
        data::Table labelledTest;
        labelledTest.addColumn(data::Column::numeric("a", {5.0, 5.0}));
        labelledTest.addColumn(data::Column::numeric("b", {0.0, 9.0}));
        QCOMPARE(kbest->transform(labelledTest).columnNames(), std::vector<std::string>{"a"});

        // The formula's count of non-finite rows is over the training rows only.
        const auto ratio = fitted(formula("r", "y / (x - 1)"), train);
        QVERIFY2(contains(ratio->describe(), "4 training rows of 4 have no finite result"), ratio->describe().c_str());
        const std::vector<double> onTest = ratio->transform(test).column("r").values();
        QCOMPARE(onTest, (std::vector<double>{7.0 / 4.0, 7.0 / -4.0}));
    }

    void saveLoadRoundTripIsIdentical()
    {
        const data::Table titanicTrain = imputedTitanicTrain();
        for (auto& transformer : everyTransformer()) {
            core::TaskControl control;
            transformer->fit(titanicTrain, titanicTarget(), control);
            const auto copy = loaded(transformer->kind(), saved(*transformer));
            QVERIFY(copy->isFitted());
            QCOMPARE(copy->kind(), transformer->kind());
            QCOMPARE(copy->describe(), transformer->describe());
            compareTables(copy->transform(titanicTrain), transformer->transform(titanicTrain));
            // And on rows it was not fitted on, with missing values.
            const data::Table other = titanic().selectColumns(titanicTrain.withoutColumns({"one"}).columnNames());
            data::Table withOne = other;
            withOne.addColumn(data::Column::numeric("one", std::vector<double>(other.rowCount(), 1.0)));
            compareTables(copy->transform(withOne), transformer->transform(withOne));
        }
        QCOMPARE(prep::makeTransformerForLoading("formula_column")->kind(), std::string("formula_column"));
        QCOMPARE(prep::makeTransformerForLoading("feature_selector")->kind(), std::string("feature_selector"));
    }

    void damagedArchivesFail()
    {
        for (auto& transformer : everyTransformer()) {
            core::TaskControl control;
            transformer->fit(imputedTitanicTrain(), titanicTarget(), control);
            std::string bytes = saved(*transformer);
            bytes.resize(bytes.size() / 2);
            QVERIFY_THROWS_EXCEPTION(std::exception, loaded(transformer->kind(), bytes));
        }
        // A stored expression that no longer parses is an ArchiveError, not a crash: the
        // text is stored as is, so replace it by one of the same length.
        data::Table table;
        table.addColumn(data::Column::numeric("x", {1.0}));
        std::string bytes = saved(*fitted(formula("f", "x+1"), table));
        const auto at = bytes.find("x+1");
        QVERIFY(at != std::string::npos);
        bytes.replace(at, 3, "x+(");
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, loaded("formula_column", bytes));
    }

    void notFittedBeforeFit()
    {
        for (auto& transformer : everyTransformer()) {
            QVERIFY(!transformer->isFitted());
            QVERIFY(!transformer->describe().empty());
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->transform(imputedTitanicTrain()));
            std::ostringstream out;
            core::OutputArchive archive(out);
            QVERIFY_THROWS_EXCEPTION(core::NotFitted, transformer->save(archive));
        }
    }

    void progressIsMonotoneAndCancelWorks()
    {
        const data::Table train = imputedTitanicTrain();
        auto fresh = everyTransformer();
        for (auto& transformer : everyTransformer()) {
            RecordingObserver observer;
            core::TaskControl control(&observer);
            transformer->fit(train, titanicTarget(), control);
            QVERIFY(!observer.fractions.empty());
            QVERIFY(std::is_sorted(observer.fractions.begin(), observer.fractions.end()));
            QCOMPARE(observer.fractions.back(), 1.0);
        }
        for (auto& transformer : fresh) {
            core::TaskControl cancelled;
            cancelled.cancel();
            QVERIFY_THROWS_EXCEPTION(core::Cancelled, transformer->fit(train, titanicTarget(), cancelled));
            QVERIFY(!transformer->isFitted());
        }
    }
};

QTEST_GUILESS_MAIN(TestDerivedSteps)
#include "tst_derived_steps.moc"
