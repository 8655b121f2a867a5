#pragma once
/// \file
/// \brief Classification and regression metrics, with scikit-learn 1.2.1's definitions
/// (zero_division=0, log loss clipped at float64 machine epsilon as 1.2's eps="auto",
/// one-vs-rest macro ROC-AUC).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace stepwise::evaluation {

/// \brief Rows = actual class, columns = predicted class.
using ConfusionMatrix = std::vector<std::vector<std::int64_t>>;

/// \brief Precision, recall, F1, specificity and support of one class (the class
/// against the rest).
struct ClassScores {
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    /// \brief TN / (TN + FP): of the rows that are not this class, the share not predicted
    /// as it (0 when there are none, as zero_division=0).
    double specificity = 0.0;
    std::size_t support = 0;  ///< actual rows of this class
};

/// \brief Everything measured on a classifier's predictions.
struct ClassificationMetrics {
    double accuracy = 0.0;
    /// \brief Mean recall over the classes present in the actual labels
    /// (`balanced_accuracy_score`).
    double balancedAccuracy = 0.0;
    double precisionMacro = 0.0, recallMacro = 0.0, f1Macro = 0.0;
    /// \brief Mean specificity over scikit-learn's default labels (as the macro averages).
    double specificityMacro = 0.0;
    /// \brief Pooled over classes (`average="micro"`); equal to accuracy for single-label data.
    double precisionMicro = 0.0, recallMicro = 0.0, f1Micro = 0.0;
    double precisionWeighted = 0.0, recallWeighted = 0.0, f1Weighted = 0.0;
    /// \brief Matthews correlation coefficient (`matthews_corrcoef`, multiclass form; 0
    /// when undefined).
    double matthews = 0.0;
    /// \brief Cohen's kappa (`cohen_kappa_score`); NaN when the expected agreement is 1.
    double cohenKappa = 0.0;
    /// \brief Binary AUC, or one-vs-rest macro AUC; absent when a class is missing
    /// from the actual labels (AUC undefined) or probabilities were not given.
    std::optional<double> rocAuc;
    /// \brief More than two classes: one-vs-rest AUC weighted by class support, and the
    /// one-vs-one (Hand & Till) macro and prevalence-weighted AUCs, as
    /// `roc_auc_score(multi_class=…, average=…)`. Binary: all equal `rocAuc`.
    std::optional<double> rocAucOvrWeighted, rocAucOvo, rocAucOvoWeighted;
    /// \brief Binary: `average_precision_score` of class 1; more classes: its one-vs-rest
    /// macro average. Absent without probabilities or when a class is missing from the
    /// actual labels.
    std::optional<double> averagePrecision;
    /// \brief Absent when probabilities were not given.
    std::optional<double> logLoss;
    /// \brief Binary: `brier_score_loss` (mean squared error of the class-1
    /// probability); more classes: the mean over rows of the squared distances summed over
    /// classes (Brier's original, multiclass form). Absent without probabilities.
    std::optional<double> brier;
    std::vector<ClassScores> perClass;  ///< indexed by class
    ConfusionMatrix confusion;
};

/// \brief Computes all classification metrics. `actual`/`predicted` hold class indices
/// in [0, classCount); `proba` is rows × classCount or empty (no AUC/log loss). Macro and
/// weighted averages run over the classes that occur in `actual` or `predicted`
/// (scikit-learn's default labels). Throws `InvalidParameter` for mismatched sizes or
/// out-of-range indices, `DataError` for zero rows.
ClassificationMetrics classificationMetrics(const std::vector<int>& actual, const std::vector<int>& predicted,
                                            const Eigen::MatrixXd& proba, int classCount);

/// \brief Confusion matrix alone (cheap; used for live snapshots).
ConfusionMatrix confusionMatrix(const std::vector<int>& actual, const std::vector<int>& predicted, int classCount);

/// \brief Area under the ROC curve of `score` for the positive rows (ties get half
/// credit); nullopt if either class is absent.
std::optional<double> rocAuc(const std::vector<bool>& positive, const std::vector<double>& score);

/// \brief The report scikit-learn's `classification_report(target_names=…, digits=…)`
/// prints, byte for byte; one row per class that occurs in the actual or predicted values.
std::string classificationReport(const ClassificationMetrics& metrics, const std::vector<std::string>& classNames,
                                 int digits = 2);

/// \brief Regression error measures.
struct RegressionMetrics {
    double mse = 0.0, rmse = 0.0, mae = 0.0, r2 = 0.0;
    double medianAe = 0.0;           ///< `median_absolute_error`
    double explainedVariance = 0.0;  ///< `explained_variance_score` (force_finite)
    /// \brief `mean_absolute_percentage_error`: a fraction (0.1 = 10 %), with |actual|
    /// floored at float64 epsilon, so a zero actual value gives a huge, not infinite, term.
    double mape = 0.0;
};

/// \brief Computes every regression metric (scikit-learn's force_finite: R² and
/// explained variance are 1 for a perfect prediction and 0 when the actual values are
/// constant and the prediction is not; for a single row R² is NaN, explained variance 1).
RegressionMetrics regressionMetrics(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted);

} // namespace stepwise::evaluation
