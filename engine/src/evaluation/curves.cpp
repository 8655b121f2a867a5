#include "stepwise/evaluation/curves.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"

namespace stepwise::evaluation {
namespace {

void checkInputs(const std::vector<bool>& positive, const std::vector<double>& score, const char* what)
{
    if (positive.size() != score.size()) {
        std::string message = "there are ";
        message.append(std::to_string(positive.size()));
        message.append(" labels but ");
        message.append(std::to_string(score.size()));
        message.append(" ");
        message.append(what);
        message.append(" — give one per row");
        throw core::InvalidParameter(message);
    }
    for (std::size_t i = 0; i < score.size(); ++i)
        if (!std::isfinite(score[i])) {
            std::string message = what;
            message.append("[");
            message.append(std::to_string(i));
            message.append("] is ");
            message.append(std::isnan(score[i]) ? "NaN" : "infinite");
            message.append(" — every row needs a finite number");
            throw core::InvalidParameter(message);
        }
}

/// NumPy's pairwise summation (what `np.sum` does on a contiguous float64 array), so that
/// areas and average precision agree with scikit-learn to the last bit, not just to a
/// few ulps.
double pairwiseSum(const double* values, std::size_t n)
{
    if (n < 8) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            sum += values[i];
        return sum;
    }
    if (n <= 128) {
        double partial[8];
        std::copy(values, values + 8, partial);
        std::size_t i = 8;
        for (; i < n - n % 8; i += 8)
            for (std::size_t j = 0; j < 8; ++j)
                partial[j] += values[i + j];
        double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                     ((partial[4] + partial[5]) + (partial[6] + partial[7]));
        for (; i < n; ++i)
            sum += values[i];
        return sum;
    }
    std::size_t half = n / 2;
    half -= half % 8;
    return pairwiseSum(values, half) + pairwiseSum(values + half, n - half);
}

double numpySum(const std::vector<double>& values) { return 0.0 + pairwiseSum(values.data(), values.size()); }

/// `_binary_clf_curve`: for each distinct score in decreasing order, the rows scored at
/// or above it that are positive (tps) and negative (fps).
struct CountsByThreshold {
    std::vector<double> fps, tps, thresholds;
};

CountsByThreshold countsByThreshold(const std::vector<bool>& positive, const std::vector<double>& score)
{
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Ties do not matter: equal scores collapse into one threshold below.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    CountsByThreshold counts;
    std::size_t truePositives = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (positive[order[i]])
            ++truePositives;
        if (i + 1 == order.size() || score[order[i + 1]] != score[order[i]]) {
            counts.tps.push_back(static_cast<double>(truePositives));
            counts.fps.push_back(static_cast<double>(i + 1 - truePositives));
            counts.thresholds.push_back(score[order[i]]);
        }
    }
    return counts;
}

std::vector<double> dividedBy(const std::vector<double>& values, double denominator)
{
    std::vector<double> out(values.size());
    std::transform(values.begin(), values.end(), out.begin(), [&](double v) { return v / denominator; });
    return out;
}

/// `np.trapz(y, x)` for non-decreasing x (what `sklearn.metrics.auc` reduces to).
double trapezoid(const std::vector<double>& x, const std::vector<double>& y)
{
    std::vector<double> pieces(x.size() - 1);
    for (std::size_t i = 0; i + 1 < x.size(); ++i)
        pieces[i] = (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0;
    return numpySum(pieces);
}

double ratioOrZero(std::int64_t numerator, std::int64_t denominator)
{
    return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

/// A threshold strictly between two neighbouring distinct scores, so that `low` is
/// predicted negative and `high` positive even when they are adjacent doubles.
double between(double low, double high)
{
    const double middle = std::midpoint(low, high);
    return middle < high ? middle : low;
}

/// How far beyond the lowest / highest score the outer thresholds sit: relative to the
/// score's magnitude so it survives rounding, and small enough to read as the score.
double outerMargin(double score) { return 1e-9 * std::max(1.0, std::abs(score)); }

} // namespace

std::optional<RocCurve> rocCurve(const std::vector<bool>& positive, const std::vector<double>& score)
{
    checkInputs(positive, score, "scores");
    CountsByThreshold counts = countsByThreshold(positive, score);
    if (counts.tps.empty() || counts.tps.back() == 0.0 || counts.fps.back() == 0.0)
        return std::nullopt;

    // drop_intermediate: keep the ends and every point where the slope changes, i.e.
    // where the second difference of fps or tps is non-zero.
    std::vector<std::size_t> kept;
    const std::size_t n = counts.tps.size();
    for (std::size_t i = 0; i < n; ++i) {
        const bool corner = i == 0 || i + 1 == n ||
                            (counts.fps[i + 1] - counts.fps[i]) - (counts.fps[i] - counts.fps[i - 1]) != 0.0 ||
                            (counts.tps[i + 1] - counts.tps[i]) - (counts.tps[i] - counts.tps[i - 1]) != 0.0;
        if (corner)
            kept.push_back(i);
    }

    std::vector<double> fps{0.0}, tps{0.0};
    RocCurve curve;
    curve.thresholds.push_back(counts.thresholds[kept.front()] + 1.0);
    for (std::size_t i : kept) {
        fps.push_back(counts.fps[i]);
        tps.push_back(counts.tps[i]);
        curve.thresholds.push_back(counts.thresholds[i]);
    }
    curve.fpr = dividedBy(fps, fps.back());
    curve.tpr = dividedBy(tps, tps.back());
    curve.auc = trapezoid(curve.fpr, curve.tpr);
    return curve;
}

std::optional<PrecisionRecallCurve> precisionRecallCurve(const std::vector<bool>& positive,
                                                         const std::vector<double>& score)
{
    checkInputs(positive, score, "scores");
    const CountsByThreshold counts = countsByThreshold(positive, score);
    if (counts.tps.empty() || counts.tps.back() == 0.0)
        return std::nullopt;

    PrecisionRecallCurve curve;
    const double allPositives = counts.tps.back();
    // scikit-learn 1.2 keeps every threshold (older releases cut the curve at full
    // recall) and reverses them into increasing order.
    for (std::size_t k = counts.tps.size(); k-- > 0;) {
        const double predicted = counts.tps[k] + counts.fps[k];
        curve.precision.push_back(predicted != 0.0 ? counts.tps[k] / predicted : 0.0);
        curve.recall.push_back(counts.tps[k] / allPositives);
        curve.thresholds.push_back(counts.thresholds[k]);
    }
    curve.precision.push_back(1.0);
    curve.recall.push_back(0.0);

    // The step integral −Σ (R[i+1] − R[i]) · P[i] of `average_precision_score`.
    std::vector<double> steps(curve.recall.size() - 1);
    for (std::size_t i = 0; i + 1 < curve.recall.size(); ++i)
        steps[i] = (curve.recall[i + 1] - curve.recall[i]) * curve.precision[i];
    curve.averagePrecision = -numpySum(steps);
    return curve;
}

CalibrationCurve calibrationCurve(const std::vector<bool>& positive, const std::vector<double>& probability, int bins,
                                  CalibrationBins strategy)
{
    checkInputs(positive, probability, "probabilities");
    if (bins < 2 || bins > 1000) {
        std::string message = "bins = ";
        message.append(std::to_string(bins));
        message.append(" is outside the allowed range [2, 1000]");
        throw core::InvalidParameter(message);
    }
    if (probability.empty())
        throw core::DataError("there are no rows for a calibration curve — keep some rows for testing");
    for (std::size_t i = 0; i < probability.size(); ++i)
        if (probability[i] < 0.0 || probability[i] > 1.0) {
            std::string message = "probability[";
            message.append(std::to_string(i));
            message.append("] = ");
            message.append(core::formatFixed(probability[i], 6));
            message.append(" is outside the allowed range [0, 1] — a calibration curve needs probabilities");
            throw core::InvalidParameter(message);
        }

    // Bin edges exactly as NumPy computes them: np.linspace(0, 1, bins + 1) for both
    // strategies, then np.percentile (linear method, including its `/ 100` and its
    // two-sided lerp) of the sorted probabilities for the quantile one.
    const auto binCount = static_cast<std::size_t>(bins);
    const double step = 1.0 / static_cast<double>(bins);
    std::vector<double> edges(binCount + 1);
    for (std::size_t i = 0; i <= binCount; ++i)
        edges[i] = i == binCount ? 1.0 : static_cast<double>(i) * step;
    if (strategy == CalibrationBins::Quantile) {
        std::vector<double> sorted = probability;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t last = sorted.size() - 1;
        for (double& edge : edges) {
            const double quantile = edge * 100.0 / 100.0;
            const double index = static_cast<double>(last) * quantile;
            if (index >= static_cast<double>(last)) {
                edge = sorted[last];
                continue;
            }
            const auto below = static_cast<std::size_t>(std::floor(index));
            const double a = sorted[below], b = sorted[below + 1];
            const double t = index - static_cast<double>(below);
            const double difference = b - a;
            edge = t >= 0.5 ? b - difference * (1.0 - t) : a + difference * t;
        }
    }

    // np.searchsorted(edges[1:-1], p) (side "left"): the number of inner edges below p,
    // so a probability on an edge belongs to the lower bin.
    std::vector<double> sums(binCount, 0.0), trues(binCount, 0.0);
    std::vector<std::size_t> totals(binCount, 0);
    for (std::size_t row = 0; row < probability.size(); ++row) {
        const auto bin = static_cast<std::size_t>(
            std::lower_bound(edges.begin() + 1, edges.end() - 1, probability[row]) - (edges.begin() + 1));
        sums[bin] += probability[row];
        trues[bin] += positive[row] ? 1.0 : 0.0;
        ++totals[bin];
    }
    CalibrationCurve curve;
    for (std::size_t bin = 0; bin < binCount; ++bin)
        if (totals[bin] != 0) {
            const auto total = static_cast<double>(totals[bin]);
            curve.meanPredicted.push_back(sums[bin] / total);
            curve.fractionPositive.push_back(trues[bin] / total);
            curve.counts.push_back(totals[bin]);
        }
    return curve;
}

ThresholdAnalysis::ThresholdAnalysis(const std::vector<bool>& positive, const std::vector<double>& score)
{
    checkInputs(positive, score, "scores");
    if (score.empty())
        throw core::DataError("there are no rows to choose a threshold on — keep some rows for testing");
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::size_t row = order[i];
        if (positive[row])
            ++m_positives;
        else
            ++m_negatives;
        if (i + 1 == order.size() || score[order[i + 1]] != score[row]) {
            m_distinct.push_back(score[row]);
            m_positivesUpTo.push_back(m_positives);
            m_negativesUpTo.push_back(m_negatives);
        }
    }
}

ThresholdPoint ThresholdAnalysis::pointAbove(std::size_t firstIncluded, double threshold) const
{
    const std::size_t positivesBelow = firstIncluded == 0 ? 0 : m_positivesUpTo[firstIncluded - 1];
    const std::size_t negativesBelow = firstIncluded == 0 ? 0 : m_negativesUpTo[firstIncluded - 1];
    ThresholdPoint point;
    point.threshold = threshold;
    point.truePositives = static_cast<std::int64_t>(m_positives - positivesBelow);
    point.falsePositives = static_cast<std::int64_t>(m_negatives - negativesBelow);
    point.falseNegatives = static_cast<std::int64_t>(positivesBelow);
    point.trueNegatives = static_cast<std::int64_t>(negativesBelow);
    const std::int64_t tp = point.truePositives, fp = point.falsePositives;
    const std::int64_t fn = point.falseNegatives, tn = point.trueNegatives;
    point.precision = ratioOrZero(tp, tp + fp);
    point.recall = ratioOrZero(tp, tp + fn);
    // 2·TP / (2·TP + FP + FN) is the harmonic mean of precision and recall, computed from
    // the counts in one rounding so that equal F1 values compare equal.
    point.f1 = ratioOrZero(2 * tp, 2 * tp + fp + fn);
    point.falsePositiveRate = ratioOrZero(fp, fp + tn);
    point.specificity = ratioOrZero(tn, fp + tn);
    point.accuracy = ratioOrZero(tp + tn, tp + fp + fn + tn);
    return point;
}

ThresholdPoint ThresholdAnalysis::at(double threshold) const
{
    if (std::isnan(threshold))
        throw core::InvalidParameter("threshold is NaN — give a number (rows scored above it are positive)");
    const auto first = static_cast<std::size_t>(std::upper_bound(m_distinct.begin(), m_distinct.end(), threshold) -
                                                m_distinct.begin());
    return pointAbove(first, threshold);
}

double ThresholdAnalysis::candidateThreshold(std::size_t firstIncluded) const
{
    if (firstIncluded == 0)
        return m_distinct.front() - outerMargin(m_distinct.front());
    if (firstIncluded == m_distinct.size())
        return m_distinct.back() + outerMargin(m_distinct.back());
    return between(m_distinct[firstIncluded - 1], m_distinct[firstIncluded]);
}

ThresholdPoint ThresholdAnalysis::bestF1() const
{
    // Candidates in increasing threshold order; a strict > keeps the lowest on ties.
    std::size_t best = 0;
    double bestValue = pointAbove(0, 0.0).f1;
    for (std::size_t first = 1; first <= m_distinct.size(); ++first) {
        const double value = pointAbove(first, 0.0).f1;
        if (value > bestValue) {
            bestValue = value;
            best = first;
        }
    }
    return pointAbove(best, candidateThreshold(best));
}

std::optional<ThresholdPoint> ThresholdAnalysis::forRecall(double minRecall) const
{
    if (!(minRecall >= 0.0 && minRecall <= 1.0)) {
        std::string message = "minRecall = ";
        message.append(std::to_string(minRecall));
        message.append(" is outside the allowed range [0, 1]");
        throw core::InvalidParameter(message);
    }
    std::optional<std::size_t> best;
    double bestPrecision = 0.0;
    // Increasing threshold order with >= keeps the highest threshold on ties.
    for (std::size_t first = 0; first <= m_distinct.size(); ++first) {
        const ThresholdPoint point = pointAbove(first, 0.0);
        if (point.recall >= minRecall && (!best || point.precision >= bestPrecision)) {
            best = first;
            bestPrecision = point.precision;
        }
    }
    if (!best)
        return std::nullopt;
    return pointAbove(*best, candidateThreshold(*best));
}

} // namespace stepwise::evaluation
