#include <QtTest>

#include <cmath>
#include <string>
#include <vector>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"

using namespace stepwise;
using namespace stepwise::data;

namespace {

/// Codes and first-appearance levels of text values ("" = missing).
Column textColumn(const std::string& name, const std::vector<std::string>& values)
{
    std::vector<bool> missing;
    for (const auto& value : values)
        missing.push_back(value.empty());
    const Column column = Column::categoricalFromText(name, values, missing);
    return finishTextColumn(name, column.codes(), column.levels());
}

std::string dataErrorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const core::DataError& error) {
        return error.what();
    }
    return {};
}

} // namespace

class TestColumnKinds : public QObject {
    Q_OBJECT
private slots:
    void kindNamesRoundTrip()
    {
        for (ColumnKind kind : {ColumnKind::Numeric, ColumnKind::Integer, ColumnKind::Boolean, ColumnKind::Datetime,
                                ColumnKind::Categorical, ColumnKind::Text})
            QCOMPARE(columnKindFromString(toString(kind)), std::optional<ColumnKind>(kind));
        QVERIFY(!columnKindFromString("float"));
        QCOMPARE(toString(storageOf(ColumnKind::Boolean)), toString(ColumnType::Numeric));
        QCOMPARE(toString(storageOf(ColumnKind::Text)), toString(ColumnType::Categorical));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Column::numeric("x", {1.0}, ColumnKind::Text));
    }

    void booleansAsPandasReadsThem()
    {
        for (const char* yes : {"True", "TRUE", "true", " true "})
            QCOMPARE(parseBoolean(yes), std::optional<bool>(true));
        for (const char* no : {"False", "FALSE", "false"})
            QCOMPARE(parseBoolean(no), std::optional<bool>(false));
        for (const char* other : {"yes", "1", "T", "tRUE", ""})
            QVERIFY2(!parseBoolean(other), other);
    }

    void datetimes_data()
    {
        // Expected seconds: pandas.Timestamp(text) - Timestamp("1970-01-01"), UTC.
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("dayFirst");
        QTest::addColumn<double>("seconds");
        QTest::newRow("date") << "2024-03-01" << false << 1709251200.0;
        QTest::newRow("minutes") << "2024-03-01 13:45" << false << 1709300700.0;
        QTest::newRow("T and fraction") << "2024-03-01T13:45:30.25" << false << 1709300730.25;
        QTest::newRow("offset") << "2024-03-01T13:45:30+02:00" << false << 1709293530.0;
        QTest::newRow("Z") << "2024-03-01T13:45:30Z" << false << 1709300730.0;
        QTest::newRow("before epoch") << "1969-12-31 23:59:59" << false << -1.0;
        QTest::newRow("leap day") << "2000-02-29" << false << 951782400.0;
        QTest::newRow("slashes year first") << "2024/03/01" << false << 1709251200.0;
        QTest::newRow("month first") << "03/01/2024" << false << 1709251200.0;
        QTest::newRow("day first") << "01/03/2024" << true << 1709251200.0;
        QTest::newRow("dotted day first") << "01.03.2024" << true << 1709251200.0;
    }

    void datetimes()
    {
        QFETCH(QString, text);
        QFETCH(bool, dayFirst);
        QFETCH(double, seconds);
        const auto parsed = parseDatetime(text.toStdString(), dayFirst);
        QVERIFY2(parsed, qPrintable(text));
        QCOMPARE(*parsed, seconds);
    }

    void notDatetimes()
    {
        for (const char* text : {"2023-02-29", "2024-13-01", "2024-03-01 25:00", "12/31/2024x", "2024-03",
                                 "01.03.2024", "20240301", "abc", "2024-03-01 13:45 extra"})
            QVERIFY2(!parseDatetime(text), text);
        QVERIFY(!parseDatetime("31/12/2024", false));  // month 31
        QVERIFY(parseDatetime("31/12/2024", true));
    }

    void formatsDatetimes()
    {
        QCOMPARE(formatDatetime(1709251200.0), std::string("2024-03-01"));
        QCOMPARE(formatDatetime(1709300730.0), std::string("2024-03-01 13:45:30"));
        QCOMPARE(formatDatetime(1709300730.25), std::string("2024-03-01 13:45:30.25"));
        QCOMPARE(formatDatetime(-1.0), std::string("1969-12-31 23:59:59"));
        QCOMPARE(formatDatetime(std::nan("")), std::string());
        for (double seconds : {0.0, 951782400.0, 1709300730.5, -86400.0 * 400})
            QCOMPARE(parseDatetime(formatDatetime(seconds)), std::optional<double>(seconds));
    }

    void infersTextKinds()
    {
        const Column flags = textColumn("f", {"True", "False", "", "True"});
        QCOMPARE(toString(flags.kind()), toString(ColumnKind::Boolean));
        QCOMPARE(flags.values()[0], 1.0);
        QVERIFY(std::isnan(flags.values()[2]));
        QCOMPARE(flags.textAt(1), std::string("False"));

        QCOMPARE(toString(textColumn("yn", {"yes", "no", "yes"}).kind()), toString(ColumnKind::Categorical));
        QCOMPARE(toString(textColumn("mixed", {"True", "maybe"}).kind()), toString(ColumnKind::Categorical));

        const Column dates = textColumn("d", {"2024-03-01", "", "2024-03-02 06:00"});
        QCOMPARE(toString(dates.kind()), toString(ColumnKind::Datetime));
        QCOMPARE(dates.values()[2], 1709251200.0 + 86400.0 + 6 * 3600.0);
        QCOMPARE(dates.textAt(0), std::string("2024-03-01"));
        // 13/01 only reads day first; then the whole column is read day first.
        const Column european = textColumn("e", {"13/01/2024", "02/01/2024"});
        QCOMPARE(toString(european.kind()), toString(ColumnKind::Datetime));
        QCOMPARE(european.textAt(1), std::string("2024-01-02"));
        // One value per day order: not one format, so not dates.
        QCOMPARE(toString(textColumn("x", {"13/01/2024", "01/13/2024"}).kind()), toString(ColumnKind::Categorical));

        std::vector<std::string> sentences, codes;
        for (int i = 0; i < 40; ++i) {
            std::string sentence = "passenger number ";
            sentences.push_back(sentence.append(std::to_string(i)).append(" travelled alone"));
            std::string code = "C";
            codes.push_back(code.append(std::to_string(i)));
        }
        QCOMPARE(toString(textColumn("s", sentences).kind()), toString(ColumnKind::Text));
        QCOMPARE(toString(textColumn("c", codes).kind()), toString(ColumnKind::Categorical));  // unique but one word: codes
        std::vector<std::string> repeated(40, "the same few words");
        QCOMPARE(toString(textColumn("r", repeated).kind()), toString(ColumnKind::Categorical));
    }

    void infersIntegers()
    {
        QCOMPARE(toString(finishNumericColumn("i", {1, std::nan(""), -3}, true).kind()), toString(ColumnKind::Integer));
        QCOMPARE(toString(finishNumericColumn("f", {1, 2, 3}, false).kind()), toString(ColumnKind::Numeric));  // written as 1.0
        QCOMPARE(toString(finishNumericColumn("n", {std::nan(""), std::nan("")}, true).kind()), toString(ColumnKind::Numeric));
        QCOMPARE(toString(finishNumericColumn("big", {1e17}, true).kind()), toString(ColumnKind::Numeric));  // beyond exact doubles
    }

    void convertsOnRequest()
    {
        const Column numbers = textColumn("n", {"1", "2.5", "", "1"});
        QCOMPARE(toString(numbers.kind()), toString(ColumnKind::Categorical));  // built from text directly
        const Column asNumbers = convertColumn(numbers, ColumnKind::Numeric);
        QCOMPARE(asNumbers.values()[1], 2.5);
        QVERIFY(std::isnan(asNumbers.values()[2]));

        const std::string notWhole = dataErrorOf([&] { convertColumn(numbers, ColumnKind::Integer); });
        QVERIFY2(notWhole.find("column 'n', row 2: '2.5' is not a whole number") == 0, notWhole.c_str());

        const Column yesNo = convertColumn(textColumn("yn", {"yes", "No", "Y"}), ColumnKind::Boolean);
        QCOMPARE(yesNo.values(), (std::vector<double>{1, 0, 1}));
        const Column words = textColumn("w", {"red", "blue"});
        const std::string notNumber = dataErrorOf([&] { convertColumn(words, ColumnKind::Numeric); });
        QVERIFY2(notNumber.find("row 1: 'red' is not a number") != std::string::npos, notNumber.c_str());

        const Column integers = finishNumericColumn("i", {3, 1, std::nan("")}, true);
        const Column categories = convertColumn(integers, ColumnKind::Categorical);
        QCOMPARE(categories.levels(), (std::vector<std::string>{"3", "1"}));
        QCOMPARE(categories.codes()[2], Column::kMissingCode);
        QCOMPARE(convertColumn(categories, ColumnKind::Integer).values()[0], 3.0);

        const std::string notBinary = dataErrorOf([&] { convertColumn(integers, ColumnKind::Boolean); });
        QVERIFY2(notBinary.find("row 1: '3' is not 0 or 1") != std::string::npos, notBinary.c_str());
        QCOMPARE(convertColumn(Column::numeric("t", {0, 86400}), ColumnKind::Datetime).textAt(1),
                 std::string("1970-01-02"));
        QCOMPARE(convertColumn(textColumn("d", {"2024-03-01"}), ColumnKind::Text).textAt(0),
                 std::string("2024-03-01"));
    }

    void appliesOverridesToATable()
    {
        Table table;
        table.addColumn(finishNumericColumn("zip", {1010, 2020}, true));
        table.addColumn(textColumn("flag", {"1", "0"}));
        const Table typed = applyColumnKinds(table, {{"zip", ColumnKind::Categorical}, {"flag", ColumnKind::Boolean}},
                                             "data.csv");
        QCOMPARE(toString(typed.column("zip").kind()), toString(ColumnKind::Categorical));
        QCOMPARE(typed.column("flag").values(), (std::vector<double>{1, 0}));
        const std::string unknown =
            dataErrorOf([&] { applyColumnKinds(table, {{"zap", ColumnKind::Integer}}, "data.csv"); });
        QCOMPARE(unknown, std::string("data.csv: there is no column 'zap' to set the type of — columns are: zip, flag"));
    }

    void buildsFromTypedCells()
    {
        CellColumnBuilder integers("i");
        integers.addNumber(1, true);
        integers.addMissing();
        integers.addNumber(4, true);
        QCOMPARE(toString(integers.finish().kind()), toString(ColumnKind::Integer));

        CellColumnBuilder floats("f");
        floats.addNumber(1, false);
        QCOMPARE(toString(floats.finish().kind()), toString(ColumnKind::Numeric));

        CellColumnBuilder flags("b");
        flags.addBoolean(true);
        flags.addMissing();
        const Column b = flags.finish();
        QCOMPARE(toString(b.kind()), toString(ColumnKind::Boolean));
        QVERIFY(std::isnan(b.values()[1]));

        CellColumnBuilder dates("d");
        dates.addText("2024-03-01");
        dates.addText("2024-03-01");
        const Column d = dates.finish();
        QCOMPARE(toString(d.kind()), toString(ColumnKind::Datetime));
        QCOMPARE(d.size(), std::size_t(2));

        CellColumnBuilder mixed("m");
        mixed.addNumber(2.5, false);
        mixed.addText("x");
        mixed.addBoolean(false);
        mixed.addMissing();
        const Column m = mixed.finish();
        QCOMPARE(toString(m.kind()), toString(ColumnKind::Categorical));
        QCOMPARE(m.levels(), (std::vector<std::string>{"2.5", "x", "False"}));
        QVERIFY(m.isMissing(3));
    }
};

QTEST_GUILESS_MAIN(TestColumnKinds)
#include "tst_column_kinds.moc"
