// Core: errors, task control (progress, cancel, sub-ranges), random source, params.
#include <QtTest>

#include <atomic>
#include <thread>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/params.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/core/task_control.hpp"

using namespace stepwise::core;

namespace {
struct RecordingObserver : TaskObserver {
    std::vector<double> fractions;
    std::vector<std::string> stages;
    int snapshots = 0;
    void onProgress(double fraction, const std::string& stage) override
    {
        fractions.push_back(fraction);
        stages.push_back(stage);
    }
    void onSnapshot(const TrainingSnapshot&) override { ++snapshots; }
};
} // namespace

class TestCore : public QObject {
    Q_OBJECT
private slots:
    void dataErrorNamesLocation()
    {
        DataError error("unterminated quote — close the quote", {"a.csv", 3, 7});
        QCOMPARE(std::string(error.what()), std::string("a.csv:3:7: unterminated quote — close the quote"));
        QCOMPARE(error.location().line, std::size_t(3));
        QCOMPARE(error.problem(), std::string("unterminated quote — close the quote"));
        DataError plain("target has one class");
        QCOMPARE(std::string(plain.what()), std::string("target has one class"));
    }

    void subRangesMapProgressMonotonically()
    {
        RecordingObserver observer;
        TaskControl control(&observer);
        control.progress(0.0, "loading");
        TaskControl fit = control.subRange(0.2, 0.8);
        fit.progress(0.5, "fitting");
        QCOMPARE(observer.fractions.back(), 0.5);
        TaskControl trees = fit.subRange(0.5, 1.0);
        trees.progress(0.5);
        QCOMPARE(observer.fractions.back(), 0.2 + 0.6 * 0.75);
        QCOMPARE(observer.stages.back(), std::string("fitting"));
        control.progress(0.1); // would go backwards: held at the previous value
        QCOMPARE(observer.fractions.back(), 0.2 + 0.6 * 0.75);
        control.progress(1.0, "done");
        QCOMPARE(observer.fractions.back(), 1.0);
    }

    void cancelIsSharedByCopiesAndThrows()
    {
        TaskControl control;
        TaskControl child = control.subRange(0.0, 0.5);
        QVERIFY(!child.isCancelled());
        control.cancel();
        QVERIFY(child.isCancelled());
        QVERIFY_THROWS_EXCEPTION(Cancelled, child.checkCancelled());
        QVERIFY_THROWS_EXCEPTION(Cancelled, child.progress(0.3));
    }

    void concurrentProgressIsSerialised()
    {
        RecordingObserver observer;
        TaskControl control(&observer);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&control, t] {
                for (int i = 1; i <= 250; ++i)
                    control.progress((t * 250 + i) / 1000.0);
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(observer.fractions.size(), std::size_t(1000));
        for (std::size_t i = 1; i < observer.fractions.size(); ++i)
            QVERIFY(observer.fractions[i] >= observer.fractions[i - 1]);
    }

    void sameSeedSameSequence()
    {
        RandomSource a(7), b(7), c(8);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const double x = a.normal();
            QCOMPARE(x, b.normal());
            differs = differs || x != c.normal();
        }
        QVERIFY(differs);
        QVERIFY(RandomSource::deriveSeed(1, 0) != RandomSource::deriveSeed(1, 1));
        QCOMPARE(RandomSource::deriveSeed(5, 3), RandomSource::deriveSeed(5, 3));
    }

    void randomDistributionsHaveTheRightMoments()
    {
        RandomSource random(123);
        const int n = 200000;
        double sum = 0, sumSq = 0, uniformSum = 0;
        std::vector<int> counts(7, 0);
        for (int i = 0; i < n; ++i) {
            const double x = random.normal();
            sum += x;
            sumSq += x * x;
            const double u = random.uniform();
            QVERIFY(u >= 0.0 && u < 1.0);
            uniformSum += u;
            ++counts[random.below(7)];
        }
        QVERIFY(std::abs(sum / n) < 0.01);
        QVERIFY(std::abs(sumSq / n - 1.0) < 0.02);
        QVERIFY(std::abs(uniformSum / n - 0.5) < 0.005);
        for (int count : counts)
            QVERIFY(std::abs(count - n / 7.0) < 0.03 * n / 7.0);
    }

    void shuffleIsAPermutation()
    {
        RandomSource random(3);
        std::vector<int> values{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        random.shuffle(values);
        std::vector<int> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QVERIFY(values != sorted);
    }

    void paramsValidateAndNameTheRange()
    {
        const std::vector<ParamSpec> table = {
            {"n_estimators", ParamKind::Integer, "100", 1, 10000, false, {}, "trees"},
            {"max_depth", ParamKind::Integer, "none", 1, 1000, false, {"none"}, "depth"},
            {"C", ParamKind::Real, "1.0", 0, 1e12, true, {}, "inverse regularisation"},
            {"criterion", ParamKind::Choice, "gini", 0, 0, false, {"gini", "entropy"}, "impurity"},
            {"bootstrap", ParamKind::Boolean, "true", 0, 0, false, {}, "resample"},
        };
        ParamValues values = resolveParams(table, {{"max_depth", "8"}, {"C", "0.5"}}, "model");
        QCOMPARE(values.integer("n_estimators"), 100LL);
        QCOMPARE(values.integer("max_depth"), 8LL);
        QCOMPARE(values.real("C"), 0.5);
        QVERIFY(values.boolean("bootstrap"));
        QVERIFY(resolveParams(table, {}, "model").isWord("max_depth", "none"));

        try {
            resolveParams(table, {{"n_estimators", "0"}}, "random_forest");
            QFAIL("expected InvalidParameter");
        } catch (const InvalidParameter& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("random_forest: n_estimators=0 is not allowed — use an integer in [1, 10000]"));
        }
        QVERIFY_THROWS_EXCEPTION(InvalidParameter, resolveParams(table, {{"C", "0"}}, "m"));
        QVERIFY_THROWS_EXCEPTION(InvalidParameter, resolveParams(table, {{"n_estimators", "2.5"}}, "m"));
        QVERIFY_THROWS_EXCEPTION(InvalidParameter, resolveParams(table, {{"criterion", "mse"}}, "m"));
        try {
            resolveParams(table, {{"trees", "3"}}, "random_forest");
            QFAIL("expected InvalidParameter");
        } catch (const InvalidParameter& e) {
            QVERIFY(std::string(e.what()).find("use one of: n_estimators, max_depth") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
