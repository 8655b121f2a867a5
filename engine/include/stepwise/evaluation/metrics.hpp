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

/// \brief Precision, recall, F1 and support of one class.
struct ClassScores {
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    std::size_t support = 0;  ///< actual rows of this class
};

/// \brief Everything measured on a classifier's predictions.
struct ClassificationMetrics {
    double accuracy = 0.0;
    double precisionMacro = 0.0, recallMacro = 0.0, f1Macro = 0.0;
    double precisionWeighted = 0.0, recallWeighted = 0.0, f1Weighted = 0.0;
    /// \brief Binary AUC, or one-vs-rest macro AUC; absent when a class is missing
    /// from the actual labels (AUC undefined) or probabilities were not given.
    std::optional<double> rocAuc;
    /// \brief Absent when probabilities were not given.
    std::optional<double> logLoss;
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
};

/// \brief Computes MSE, RMSE, MAE and R² (scikit-learn's force_finite: R² = 1 for a
/// perfect prediction, 0 when the actual values are constant and the prediction is not,
/// NaN for a single row).
RegressionMetrics regressionMetrics(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted);

} // namespace stepwise::evaluation
