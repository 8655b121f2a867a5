// Train/test split: sizes as scikit-learn's train_test_split, stratification, seeds, errors.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "stepwise/core/errors.hpp"
#include "stepwise/prep/split.hpp"

using namespace stepwise;

namespace {

/// Class labels with the given number of rows per class, interleaved so classes are not
/// in blocks.
std::vector<int> strataWithCounts(const std::vector<std::size_t>& counts)
{
    std::vector<int> labels;
    std::vector<std::size_t> left = counts;
    bool any = true;
    while (any) {
        any = false;
        for (std::size_t c = 0; c < left.size(); ++c)
            if (left[c] > 0) {
                labels.push_back(static_cast<int>(c));
                --left[c];
                any = true;
            }
    }
    return labels;
}

void checkPartition(const prep::SplitIndices& split, std::size_t rows)
{
    QVERIFY(std::is_sorted(split.train.begin(), split.train.end()));
    QVERIFY(std::is_sorted(split.test.begin(), split.test.end()));
    std::vector<std::size_t> all = split.train;
    all.insert(all.end(), split.test.begin(), split.test.end());
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> expected(rows);
    std::iota(expected.begin(), expected.end(), std::size_t{0});
    QCOMPARE(all, expected);  // every row exactly once: disjoint and covering
}

std::string messageOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const std::exception& error) {
        return error.what();
    }
    return {};
}

} // namespace

class TestSplit : public QObject {
    Q_OBJECT
private slots:
    void sizesMatchScikitLearn_data()
    {
        QTest::addColumn<qulonglong>("rows");
        QTest::addColumn<double>("testSize");
        QTest::addColumn<qulonglong>("train");
        QTest::addColumn<qulonglong>("test");
        // len() of both sides of sklearn.model_selection.train_test_split 1.2.1.
        QTest::newRow("10 x 0.3") << 10ull << 0.3 << 7ull << 3ull;
        QTest::newRow("10 x 0.25") << 10ull << 0.25 << 7ull << 3ull;
        QTest::newRow("891 x 0.2") << 891ull << 0.2 << 712ull << 179ull;
        QTest::newRow("100 x 0.33") << 100ull << 0.33 << 67ull << 33ull;
        QTest::newRow("7 x 0.5") << 7ull << 0.5 << 3ull << 4ull;
        QTest::newRow("150 x 0.1") << 150ull << 0.1 << 135ull << 15ull;
        QTest::newRow("3 x 0.01") << 3ull << 0.01 << 2ull << 1ull;
        QTest::newRow("1000 x 0.999") << 1000ull << 0.999 << 1ull << 999ull;
        QTest::newRow("442 x 0.7") << 442ull << 0.7 << 132ull << 310ull;
        QTest::newRow("569 x 0.15") << 569ull << 0.15 << 483ull << 86ull;
    }

    void sizesMatchScikitLearn()
    {
        QFETCH(qulonglong, rows);
        QFETCH(double, testSize);
        QFETCH(qulonglong, train);
        QFETCH(qulonglong, test);
        const prep::SplitIndices split = prep::trainTestSplit(rows, testSize, 42);
        QCOMPARE(qulonglong(split.train.size()), train);
        QCOMPARE(qulonglong(split.test.size()), test);
        checkPartition(split, rows);
    }

    void stratifiedKeepsProportions_data()
    {
        QTest::addColumn<std::vector<std::size_t>>("counts");
        QTest::addColumn<double>("testSize");
        QTest::newRow("titanic 549/342") << std::vector<std::size_t>{549, 342} << 0.2;
        QTest::newRow("iris 50/50/50") << std::vector<std::size_t>{50, 50, 50} << 0.3;
        QTest::newRow("uneven") << std::vector<std::size_t>{50, 30, 15, 5} << 0.25;
        QTest::newRow("wine 59/71/48") << std::vector<std::size_t>{59, 71, 48} << 0.33;
        QTest::newRow("many small") << std::vector<std::size_t>{7, 9, 11, 13, 17, 19, 23} << 0.15;
    }

    void stratifiedKeepsProportions()
    {
        QFETCH(std::vector<std::size_t>, counts);
        QFETCH(double, testSize);
        const std::vector<int> strata = strataWithCounts(counts);
        const std::size_t rows = strata.size();
        for (std::uint64_t seed : {0ull, 1ull, 2024ull}) {
            const prep::SplitIndices split = prep::trainTestSplit(rows, testSize, seed, &strata);
            checkPartition(split, rows);
            const auto expectedTest = static_cast<std::size_t>(std::ceil(testSize * static_cast<double>(rows)));
            QCOMPARE(split.test.size(), expectedTest);
            std::vector<std::size_t> testPerClass(counts.size(), 0);
            for (std::size_t row : split.test)
                ++testPerClass[static_cast<std::size_t>(strata[row])];
            for (std::size_t c = 0; c < counts.size(); ++c) {
                const double exact =
                    static_cast<double>(expectedTest) * static_cast<double>(counts[c]) / static_cast<double>(rows);
                QVERIFY2(std::abs(static_cast<double>(testPerClass[c]) - exact) < 1.0,
                         qPrintable(QString("class %1: %2 test rows, exact share %3")
                                        .arg(c)
                                        .arg(testPerClass[c])
                                        .arg(exact)));
                QVERIFY(testPerClass[c] >= 1 && testPerClass[c] < counts[c]);
            }
        }
    }

    void stratifiedKeepsEveryClassOnBothSides()
    {
        // Exact shares 0.2 would round to no test row for the three small classes.
        const std::vector<int> strata = strataWithCounts({2, 2, 2, 94});
        const prep::SplitIndices split = prep::trainTestSplit(strata.size(), 0.1, 5, &strata);
        QCOMPARE(split.test.size(), std::size_t(10));
        std::map<int, int> testPerClass, trainPerClass;
        for (std::size_t row : split.test)
            ++testPerClass[strata[row]];
        for (std::size_t row : split.train)
            ++trainPerClass[strata[row]];
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(testPerClass[c], 1);
            QCOMPARE(trainPerClass[c], 1);
        }
        QCOMPARE(testPerClass[3], 7);

        // The other way round: a large test share would leave small classes no training row.
        const prep::SplitIndices wide = prep::trainTestSplit(strata.size(), 0.9, 5, &strata);
        std::map<int, int> wideTrain;
        for (std::size_t row : wide.train)
            ++wideTrain[strata[row]];
        for (int c = 0; c < 4; ++c)
            QVERIFY(wideTrain[c] >= 1);
        QCOMPARE(wide.test.size(), std::size_t(90));
    }

    void stratificationUsesLabelValuesNotPositions()
    {
        // Labels need not be 0..k-1: negative and sparse values are classes too.
        std::vector<int> strata;
        for (int i = 0; i < 40; ++i)
            strata.push_back(i % 4 == 0 ? -3 : 17);
        const prep::SplitIndices split = prep::trainTestSplit(strata.size(), 0.25, 9, &strata);
        const auto minority =
            std::count_if(split.test.begin(), split.test.end(), [&](std::size_t row) { return strata[row] == -3; });
        // 10 of 40 rows are -3 and 10 rows go to test: exact shares 2.5 and 7.5; the tied
        // remainder goes to the bigger class.
        QCOMPARE(int(minority), 2);
        QCOMPARE(split.test.size(), std::size_t(10));
    }

    void sameSeedSameSplit()
    {
        const std::vector<int> strata = strataWithCounts({60, 40});
        const auto a = prep::trainTestSplit(100, 0.3, 123);
        const auto b = prep::trainTestSplit(100, 0.3, 123);
        QCOMPARE(a.train, b.train);
        QCOMPARE(a.test, b.test);
        const auto c = prep::trainTestSplit(100, 0.3, 124);
        QVERIFY(a.test != c.test);
        const auto s1 = prep::trainTestSplit(100, 0.3, 123, &strata);
        const auto s2 = prep::trainTestSplit(100, 0.3, 123, &strata);
        const auto s3 = prep::trainTestSplit(100, 0.3, 7, &strata);
        QCOMPARE(s1.test, s2.test);
        QVERIFY(s1.test != s3.test);
    }

    void splitIsNotTheFirstRows()
    {
        const auto split = prep::trainTestSplit(1000, 0.2, 1);
        std::vector<std::size_t> lastRows(200);
        std::iota(lastRows.begin(), lastRows.end(), std::size_t{800});
        QVERIFY(split.test != lastRows);
        QVERIFY(split.test.front() < 100 && split.test.back() >= 900);
    }

    void badTestSizeIsInvalidParameter_data()
    {
        QTest::addColumn<double>("testSize");
        QTest::addColumn<QString>("shown");
        QTest::newRow("zero") << 0.0 << "test_size = 0 ";
        QTest::newRow("one") << 1.0 << "test_size = 1 ";
        QTest::newRow("negative") << -0.1 << "test_size = -0.1 ";
        QTest::newRow("above") << 1.5 << "test_size = 1.5 ";
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << "test_size = NaN ";
    }

    void badTestSizeIsInvalidParameter()
    {
        QFETCH(double, testSize);
        QFETCH(QString, shown);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, prep::trainTestSplit(100, testSize, 0));
        const std::string message = messageOf([&] { prep::trainTestSplit(100, testSize, 0); });
        QVERIFY2(message.find(shown.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("(0, 1)") != std::string::npos, message.c_str());
    }

    void emptySideIsInvalidParameter()
    {
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, prep::trainTestSplit(1, 0.5, 0));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, prep::trainTestSplit(0, 0.5, 0));
        // ceil(0.95 · 10) = 10 rows would go to test.
        const std::string message = messageOf([] { prep::trainTestSplit(10, 0.95, 0); });
        QVERIFY2(message.find("test_size = 0.95") != std::string::npos, message.c_str());
        QVERIFY2(message.find("training side empty") != std::string::npos, message.c_str());
        const auto smallest = prep::trainTestSplit(2, 0.5, 0);
        QCOMPARE(smallest.train.size(), std::size_t(1));
        QCOMPARE(smallest.test.size(), std::size_t(1));
    }

    void singletonClassIsDataError()
    {
        std::vector<int> strata = strataWithCounts({10, 10, 10});
        strata.push_back(3);
        QVERIFY_THROWS_EXCEPTION(core::DataError, prep::trainTestSplit(strata.size(), 0.2, 0, &strata));
        const std::string message = messageOf([&] { prep::trainTestSplit(strata.size(), 0.2, 0, &strata); });
        QCOMPARE(message, std::string("class 3 has only 1 row; a stratified split needs at least 2 rows per class — "
                                      "turn stratification off or collect more rows"));
    }

    void strataOfWrongLengthIsInvalidParameter()
    {
        const std::vector<int> strata(9, 0);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, prep::trainTestSplit(10, 0.2, 0, &strata));
    }

    void timeOrderedSplitTestsOnTheLatestRows()
    {
        // Times out of row order, with a tie at the boundary kept in row order.
        const std::vector<double> times = {50, 10, 40, 20, 40, 30, 60, 0, 70, 45};
        const prep::SplitIndices split = prep::timeOrderedSplit(times, 0.3);  // ceil(3) latest rows
        QCOMPARE(split.test, (std::vector<std::size_t>{0, 6, 8}));              // times 50, 60, 70
        QCOMPARE(split.train, (std::vector<std::size_t>{1, 2, 3, 4, 5, 7, 9}));
        for (std::size_t t : split.test)
            for (std::size_t r : split.train)
                QVERIFY(times[r] <= times[t]);
    }

    void timeOrderedSplitNeedsATimeInEveryRow()
    {
        const std::vector<double> times = {1, std::numeric_limits<double>::quiet_NaN(), 3};
        QVERIFY_THROWS_EXCEPTION(core::DataError, prep::timeOrderedSplit(times, 0.3));
        try {
            prep::timeOrderedSplit(times, 0.3);
        } catch (const core::DataError& error) {
            QVERIFY(std::string(error.what()).find("row 1") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, prep::timeOrderedSplit({1, 2, 3}, 1.5));
    }
};

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
