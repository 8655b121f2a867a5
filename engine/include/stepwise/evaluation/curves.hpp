#pragma once
/// \file
/// \brief Curves of a binary score (scikit-learn 1.2.1's `roc_curve`,
/// `precision_recall_curve`, `calibration_curve`) and the confusion matrix at any
/// decision threshold, for the threshold slider.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stepwise::evaluation {

/// \brief `roc_curve(y, score, drop_intermediate=True)` of scikit-learn 1.2.1: points in
/// order of decreasing threshold, starting at (0, 0) whose threshold is
/// `thresholds[1] + 1` (1.2's convention).
struct RocCurve {
    std::vector<double> fpr, tpr, thresholds;
    double auc = 0.0;  ///< trapezoidal area, equal to `rocAuc`
};

/// \brief The ROC curve of `score` for the rows where `positive` is true; nullopt when
/// either class is absent (the curve is undefined). Throws `InvalidParameter` for
/// mismatched sizes or a NaN or infinite score (scikit-learn rejects both).
std::optional<RocCurve> rocCurve(const std::vector<bool>& positive, const std::vector<double>& score);

/// \brief `precision_recall_curve` of scikit-learn 1.2.1: precision and recall in order of
/// increasing threshold, ending with the point (recall 0, precision 1) that has no
/// threshold (`thresholds` is one shorter); `averagePrecision` is
/// `average_precision_score`.
struct PrecisionRecallCurve {
    std::vector<double> precision, recall, thresholds;
    double averagePrecision = 0.0;
};

/// \brief The precision-recall curve; nullopt when there are no positive rows. Throws as
/// `rocCurve`.
std::optional<PrecisionRecallCurve> precisionRecallCurve(const std::vector<bool>& positive,
                                                         const std::vector<double>& score);

/// \brief How `calibrationCurve` places its bins.
enum class CalibrationBins {
    Uniform,  ///< equal widths over [0, 1]
    Quantile  ///< equal numbers of rows
};

/// \brief `calibration_curve(y, prob, n_bins, strategy)`: one point per non-empty bin, in
/// bin order.
struct CalibrationCurve {
    std::vector<double> meanPredicted;     ///< mean probability in the bin (x)
    std::vector<double> fractionPositive;  ///< share of positive rows in the bin (y)
    std::vector<std::size_t> counts;       ///< rows in the bin
};

/// \brief The reliability curve of probabilities `probability` (each in [0, 1], else
/// `InvalidParameter`); `bins` in [2, 1000]. Throws `DataError` for no rows. Quantile
/// edges are NumPy's linear percentiles; a probability on an inner edge goes to the
/// lower bin (`np.searchsorted`), and bins left empty by duplicate edges are skipped.
CalibrationCurve calibrationCurve(const std::vector<bool>& positive, const std::vector<double>& probability,
                                  int bins = 10, CalibrationBins strategy = CalibrationBins::Uniform);

/// \brief The confusion matrix and its rates when rows with score > threshold are
/// predicted positive. (Strictly greater: at 0.5 on class-1 probabilities this is exactly
/// the argmax prediction, ties going to class 0.)
struct ThresholdPoint {
    double threshold = 0.5;
    std::int64_t truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0;
    double precision = 0.0;    ///< 0 when nothing is predicted positive (zero_division=0)
    double recall = 0.0;       ///< true-positive rate
    double f1 = 0.0;
    double specificity = 0.0;  ///< 1 − false-positive rate
    double falsePositiveRate = 0.0;
    double accuracy = 0.0;
};

/// \brief Sorts the scores once, so that moving a threshold slider costs O(log n) per
/// position.
class ThresholdAnalysis {
public:
    /// \brief Throws `InvalidParameter` for mismatched sizes or a NaN or infinite score,
    /// `DataError` for no rows.
    ThresholdAnalysis(const std::vector<bool>& positive, const std::vector<double>& score);

    /// \brief The point at `threshold` (`InvalidParameter` when NaN; ±∞ are fine).
    ThresholdPoint at(double threshold) const;
    /// \brief The threshold with the highest F1 (the lowest such threshold on ties),
    /// placed midway between two neighbouring distinct scores so it is not on a score.
    /// The candidates are those midpoints plus one threshold below the lowest score
    /// (everything positive) and one above the highest (everything negative), each
    /// 1e-9 · max(1, |score|) beyond it. F1 is 2·TP / (2·TP + FP + FN), 0 when undefined.
    ThresholdPoint bestF1() const;
    /// \brief Among thresholds whose recall is at least `minRecall` (in [0, 1], else
    /// `InvalidParameter`), the one with the highest precision (then the highest
    /// threshold), over the same candidates as `bestF1`; nullopt when no threshold
    /// reaches it (never for minRecall ≤ 1 with a positive row).
    std::optional<ThresholdPoint> forRecall(double minRecall) const;
    /// \brief Distinct scores, ascending (the places where the matrix changes).
    const std::vector<double>& distinctScores() const { return m_distinct; }
    std::size_t positives() const { return m_positives; }
    std::size_t negatives() const { return m_negatives; }

private:
    ThresholdPoint pointAbove(std::size_t firstIncluded, double threshold) const;
    /// A threshold that predicts exactly m_distinct[firstIncluded…] positive.
    double candidateThreshold(std::size_t firstIncluded) const;

    std::vector<double> m_distinct;
    /// Positives / negatives with a score equal to or below m_distinct[i], cumulative.
    std::vector<std::size_t> m_positivesUpTo, m_negativesUpTo;
    std::size_t m_positives = 0, m_negatives = 0;
};

} // namespace stepwise::evaluation
