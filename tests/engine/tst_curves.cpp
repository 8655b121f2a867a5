// ROC, precision-recall and calibration curves against scikit-learn 1.2.1
// (tests/reference/curves_reference.py), the confusion matrix at a threshold, and the
// best-F1 / minimum-recall thresholds against a brute-force scan.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/curves.hpp"
#include "stepwise/evaluation/metrics.hpp"

using namespace stepwise;
using namespace stepwise::evaluation;
using nlohmann::json;

namespace {

// The engine reproduces scikit-learn's arithmetic (including NumPy's pairwise sums), so
// the values agree to the last bit in practice; 1e-12 relative leaves room for nothing
// but rounding.
constexpr double kTolerance = 1e-12;

bool close(double actual, double expected)
{
    return std::abs(actual - expected) <= kTolerance * std::max(1.0, std::abs(expected));
}

#define CHECK_CLOSE(actual, expected)                                                                              \
    QVERIFY2(close((actual), (expected)), qPrintable(QString("%1 = %2, scikit-learn %3")                              \
                                                         .arg(#actual)                                               \
                                                         .arg((actual), 0, 'g', 17)                                  \
                                                         .arg((expected), 0, 'g', 17)))

const json& reference()
{
    static const json data = [] {
        std::ifstream in(STEPWISE_TEST_DATA_DIR "/reference/curves.json");
        if (!in)
            qFatal("cannot open reference/curves.json — run tests/reference/curves_reference.py");
        return json::parse(in);
    }();
    return data;
}

const json& caseNamed(const QString& name)
{
    for (const json& c : reference()["cases"])
        if (QString::fromStdString(c["name"].get<std::string>()) == name)
            return c;
    qFatal("no case %s in curves.json", qPrintable(name));
}

std::vector<bool> positivesOf(const json& c)
{
    std::vector<bool> out;
    for (const json& v : c["positive"])
        out.push_back(v.get<int>() == 1);
    return out;
}

std::vector<double> scoresOf(const json& c) { return c["score"].get<std::vector<double>>(); }

void addCaseRows()
{
    QTest::addColumn<QString>("name");
    for (const json& c : reference()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
}

void compareSeries(const std::vector<double>& actual, const json& expected, const char* what)
{
    QVERIFY2(actual.size() == expected.size(),
             qPrintable(
                 QString("%1 has %2 points, scikit-learn %3").arg(what).arg(actual.size()).arg(expected.size())));
    for (std::size_t i = 0; i < actual.size(); ++i)
        QVERIFY2(close(actual[i], expected[i].get<double>()),
                 qPrintable(QString("%1[%2] = %3, scikit-learn %4")
                                .arg(what)
                                .arg(i)
                                .arg(actual[i], 0, 'g', 17)
                                .arg(expected[i].get<double>(), 0, 'g', 17)));
}

/// The confusion matrix of `score > threshold`, by scanning every row.
ThresholdPoint scan(const std::vector<bool>& positive, const std::vector<double>& score, double threshold)
{
    ThresholdPoint p;
    p.threshold = threshold;
    for (std::size_t i = 0; i < score.size(); ++i) {
        const bool predicted = score[i] > threshold;
        if (positive[i])
            ++(predicted ? p.truePositives : p.falseNegatives);
        else
            ++(predicted ? p.falsePositives : p.trueNegatives);
    }
    const auto ratio = [](std::int64_t a, std::int64_t b) { return b == 0 ? 0.0 : double(a) / double(b); };
    p.precision = ratio(p.truePositives, p.truePositives + p.falsePositives);
    p.recall = ratio(p.truePositives, p.truePositives + p.falseNegatives);
    p.f1 = ratio(2 * p.truePositives, 2 * p.truePositives + p.falsePositives + p.falseNegatives);
    return p;
}

/// Every threshold the analysis may choose, ascending: below the lowest score, midway
/// between neighbouring distinct scores, above the highest.
std::vector<double> candidates(std::vector<double> score)
{
    std::sort(score.begin(), score.end());
    score.erase(std::unique(score.begin(), score.end()), score.end());
    std::vector<double> out{score.front() - 1e-9 * std::max(1.0, std::abs(score.front()))};
    for (std::size_t i = 1; i < score.size(); ++i)
        out.push_back((score[i - 1] + score[i]) / 2.0);
    out.push_back(score.back() + 1e-9 * std::max(1.0, std::abs(score.back())));
    return out;
}

void compareCounts(const ThresholdPoint& actual, const ThresholdPoint& expected)
{
    QCOMPARE(actual.threshold, expected.threshold);
    QCOMPARE(actual.truePositives, expected.truePositives);
    QCOMPARE(actual.falsePositives, expected.falsePositives);
    QCOMPARE(actual.falseNegatives, expected.falseNegatives);
    QCOMPARE(actual.trueNegatives, expected.trueNegatives);
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

class TestCurves : public QObject {
    Q_OBJECT
private slots:
    void referenceIsScikitLearn121() { QCOMPARE(reference()["sklearn"].get<std::string>(), std::string("1.2.1")); }

    void rocMatchesScikitLearn_data() { addCaseRows(); }
    void rocMatchesScikitLearn()
    {
        QFETCH(QString, name);
        const json& c = caseNamed(name);
        const std::vector<bool> positive = positivesOf(c);
        const std::vector<double> score = scoresOf(c);
        const std::optional<RocCurve> roc = rocCurve(positive, score);
        QCOMPARE(roc.has_value(), !c["roc"].is_null());
        if (!roc)
            return;
        compareSeries(roc->fpr, c["roc"]["fpr"], "fpr");
        compareSeries(roc->tpr, c["roc"]["tpr"], "tpr");
        compareSeries(roc->thresholds, c["roc"]["thresholds"], "thresholds");
        CHECK_CLOSE(roc->auc, c["roc"]["auc"].get<double>());
        // The trapezoids and the engine's rank-sum ROC AUC are the same number.
        CHECK_CLOSE(roc->auc, *rocAuc(positive, score));
    }

    void precisionRecallMatchesScikitLearn_data() { addCaseRows(); }
    void precisionRecallMatchesScikitLearn()
    {
        QFETCH(QString, name);
        const json& c = caseNamed(name);
        const std::optional<PrecisionRecallCurve> pr = precisionRecallCurve(positivesOf(c), scoresOf(c));
        QCOMPARE(pr.has_value(), !c["precision_recall"].is_null());
        if (!pr)
            return;
        const json& expected = c["precision_recall"];
        compareSeries(pr->precision, expected["precision"], "precision");
        compareSeries(pr->recall, expected["recall"], "recall");
        compareSeries(pr->thresholds, expected["thresholds"], "thresholds");
        QCOMPARE(pr->thresholds.size() + 1, pr->precision.size());
        QCOMPARE(pr->precision.back(), 1.0);
        QCOMPARE(pr->recall.back(), 0.0);
        CHECK_CLOSE(pr->averagePrecision, expected["average_precision"].get<double>());
    }

    void calibrationMatchesScikitLearn_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("index");
        int rows = 0;
        for (const json& c : reference()["cases"])
            for (std::size_t i = 0; i < c["calibration"].size(); ++i) {
                const json& k = c["calibration"][i];
                const std::string row = c["name"].get<std::string>() + " " + k["strategy"].get<std::string>() + " " +
                                        std::to_string(k["bins"].get<int>());
                QTest::newRow(row.c_str()) << QString::fromStdString(c["name"].get<std::string>()) << int(i);
                ++rows;
            }
        QVERIFY(rows >= 10);
    }
    void calibrationMatchesScikitLearn()
    {
        QFETCH(QString, name);
        QFETCH(int, index);
        const json& c = caseNamed(name);
        const json& expected = c["calibration"][static_cast<std::size_t>(index)];
        const CalibrationBins strategy =
            expected["strategy"] == "quantile" ? CalibrationBins::Quantile : CalibrationBins::Uniform;
        const CalibrationCurve curve =
            calibrationCurve(positivesOf(c), scoresOf(c), expected["bins"].get<int>(), strategy);
        compareSeries(curve.meanPredicted, expected["mean_predicted"], "mean_predicted");
        compareSeries(curve.fractionPositive, expected["fraction_positive"], "fraction_positive");
        QCOMPARE(curve.counts, expected["counts"].get<std::vector<std::size_t>>());
    }

    void quantileCaseHasDuplicateEdges()
    {
        // Guards the fixture: the point of the case is bins emptied by repeated edges.
        const json& k = caseNamed("breast_cancer_knn")["calibration"][1];
        QCOMPARE(k["strategy"].get<std::string>(), std::string("quantile"));
        const auto edges = k["edges"].get<std::vector<double>>();
        QVERIFY(std::adjacent_find(edges.begin(), edges.end()) != edges.end());
        QVERIFY(k["counts"].size() < edges.size() - 1);
    }

    void thresholdPointsMatchScikitLearn_data() { addCaseRows(); }
    void thresholdPointsMatchScikitLearn()
    {
        QFETCH(QString, name);
        const json& c = caseNamed(name);
        const ThresholdAnalysis analysis(positivesOf(c), scoresOf(c));
        QVERIFY(c["threshold_points"].size() >= 4);
        for (const json& e : c["threshold_points"]) {
            const ThresholdPoint p = analysis.at(e["threshold"].get<double>());
            QCOMPARE(p.threshold, e["threshold"].get<double>());
            QCOMPARE(p.truePositives, e["tp"].get<std::int64_t>());
            QCOMPARE(p.falsePositives, e["fp"].get<std::int64_t>());
            QCOMPARE(p.falseNegatives, e["fn"].get<std::int64_t>());
            QCOMPARE(p.trueNegatives, e["tn"].get<std::int64_t>());
            CHECK_CLOSE(p.precision, e["precision"].get<double>());
            CHECK_CLOSE(p.recall, e["recall"].get<double>());
            CHECK_CLOSE(p.f1, e["f1"].get<double>());
            CHECK_CLOSE(p.specificity, e["specificity"].get<double>());
            CHECK_CLOSE(p.falsePositiveRate, e["false_positive_rate"].get<double>());
            CHECK_CLOSE(p.accuracy, e["accuracy"].get<double>());
        }
    }

    void thresholdAtHalfIsTheArgmaxPrediction()
    {
        // Two-class probabilities (1 − p, p): argmax picks class 1 only when p > 0.5.
        const std::vector<double> p{0.5, 0.5000000000000001, 0.4999999999999999, 0.0, 1.0, 0.5};
        const std::vector<bool> positive{true, true, false, false, true, false};
        const ThresholdPoint point = ThresholdAnalysis(positive, p).at(0.5);
        QCOMPARE(point.truePositives, std::int64_t{2});
        QCOMPARE(point.falseNegatives, std::int64_t{1});
        QCOMPARE(point.falsePositives, std::int64_t{0});
        QCOMPARE(point.trueNegatives, std::int64_t{3});
    }

    void bestF1MatchesBruteForce_data() { addCaseRows(); }
    void bestF1MatchesBruteForce()
    {
        QFETCH(QString, name);
        const json& c = caseNamed(name);
        const std::vector<bool> positive = positivesOf(c);
        const std::vector<double> score = scoresOf(c);
        const ThresholdAnalysis analysis(positive, score);

        ThresholdPoint expected = scan(positive, score, candidates(score).front());
        for (double t : candidates(score)) {
            const ThresholdPoint p = scan(positive, score, t);
            if (p.f1 > expected.f1)
                expected = p;
        }
        const ThresholdPoint best = analysis.bestF1();
        compareCounts(best, expected);
        QCOMPARE(best.f1, expected.f1);
        QVERIFY(std::find(score.begin(), score.end(), best.threshold) == score.end());
        compareCounts(analysis.at(best.threshold), best);
    }

    void forRecallMatchesBruteForce_data() { addCaseRows(); }
    void forRecallMatchesBruteForce()
    {
        QFETCH(QString, name);
        const json& c = caseNamed(name);
        const std::vector<bool> positive = positivesOf(c);
        const std::vector<double> score = scoresOf(c);
        const ThresholdAnalysis analysis(positive, score);
        for (double minRecall : {0.0, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0}) {
            std::optional<ThresholdPoint> expected;
            for (double t : candidates(score)) {
                const ThresholdPoint p = scan(positive, score, t);
                if (p.recall >= minRecall && (!expected || p.precision >= expected->precision))
                    expected = p;
            }
            const std::optional<ThresholdPoint> found = analysis.forRecall(minRecall);
            QCOMPARE(found.has_value(), expected.has_value());
            QCOMPARE(found.has_value(), analysis.positives() > 0 || minRecall == 0.0);
            if (!found)
                continue;
            compareCounts(*found, *expected);
            QVERIFY(found->recall >= minRecall);
            compareCounts(analysis.at(found->threshold), *found);
        }
    }

    void distinctScoresAndCounts()
    {
        const ThresholdAnalysis analysis({true, false, true, false, false}, {0.3, 0.3, -1.0, 2.0, 0.3});
        QCOMPARE(analysis.distinctScores(), (std::vector<double>{-1.0, 0.3, 2.0}));
        QCOMPARE(analysis.positives(), std::size_t{2});
        QCOMPARE(analysis.negatives(), std::size_t{3});
        // Everything negative above the highest score, everything positive below the lowest.
        QCOMPARE(analysis.at(2.0).truePositives + analysis.at(2.0).falsePositives, std::int64_t{0});
        QCOMPARE(analysis.at(-std::numeric_limits<double>::infinity()).truePositives, std::int64_t{2});
        QCOMPARE(analysis.at(-std::numeric_limits<double>::infinity()).falsePositives, std::int64_t{3});
    }

    void adjacentScoresGetAThresholdBetweenThem()
    {
        // Neighbouring doubles have no midpoint; the chosen threshold must still split them.
        const double low = 0.5;
        const double high = std::nextafter(low, 1.0);
        const ThresholdAnalysis analysis({false, true}, {low, high});
        const ThresholdPoint best = analysis.bestF1();
        QCOMPARE(best.truePositives, std::int64_t{1});
        QCOMPARE(best.falsePositives, std::int64_t{0});
        QVERIFY(best.threshold >= low && best.threshold < high);
    }

    void undefinedCurves()
    {
        QVERIFY(!rocCurve({true, true}, {0.1, 0.2}));
        QVERIFY(!rocCurve({false, false}, {0.1, 0.2}));
        QVERIFY(!rocCurve({}, {}));
        QVERIFY(!precisionRecallCurve({false, false}, {0.1, 0.2}));
        QVERIFY(precisionRecallCurve({true, true}, {0.1, 0.2}));
    }

    void badInputIsRejected()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, rocCurve({true, false}, {0.1}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, rocCurve({true, false}, {0.1, nan}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, precisionRecallCurve({true, false}, {inf, 0.1}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, precisionRecallCurve({true}, {0.1, 0.2}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, ThresholdAnalysis({true}, {nan}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, ThresholdAnalysis({true}, {}));
        QVERIFY_THROWS_EXCEPTION(core::DataError, ThresholdAnalysis({}, {}));
        QVERIFY_THROWS_EXCEPTION(core::DataError, calibrationCurve({}, {}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, calibrationCurve({true}, {1.5}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, calibrationCurve({true}, {-0.1}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, calibrationCurve({true}, {0.5}, 1));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, calibrationCurve({true}, {0.5}, 1001));
        QVERIFY(calibrationCurve({true}, {0.5}, 2).counts == std::vector<std::size_t>{1});
        QVERIFY(calibrationCurve({true}, {0.5}, 1000).counts == std::vector<std::size_t>{1});

        const ThresholdAnalysis analysis({true, false}, {0.7, 0.2});
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, analysis.forRecall(1.01));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, analysis.forRecall(-0.01));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, analysis.forRecall(nan));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, analysis.at(nan));

        const std::string sizes = messageOf([] { rocCurve({true, false, true}, {0.1, 0.2}); });
        QVERIFY2(sizes.find('3') != std::string::npos && sizes.find('2') != std::string::npos, sizes.c_str());
        const std::string bins = messageOf([] { calibrationCurve({true}, {0.5}, 1); });
        QVERIFY2(bins.find("bins") != std::string::npos && bins.find("[2, 1000]") != std::string::npos, bins.c_str());
        const std::string recall = messageOf([&] { analysis.forRecall(2.0); });
        QVERIFY2(recall.find("minRecall") != std::string::npos && recall.find("[0, 1]") != std::string::npos,
                 recall.c_str());
        const std::string probability = messageOf([] { calibrationCurve({true, false}, {0.5, 1.5}); });
        QVERIFY2(probability.find("[0, 1]") != std::string::npos, probability.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCurves)
#include "tst_curves.moc"
