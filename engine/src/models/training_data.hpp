#pragma once
// Checks and measures every model shares: usable training data, usable prediction
// input, the training-curve metrics, and saving the hyper-parameters with a model.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/archive.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/params.hpp"
#include "stepwise/core/task_type.hpp"
#include "stepwise/core/training_snapshot.hpp"
#include "stepwise/models/dataset.hpp"

namespace stepwise::models {

/// Throws `DataError` unless `data` can train a `task` model: rows and features present,
/// every value finite, for classification at least two classes and every target a class
/// index in [0, classCount). `model` names the model in messages.
void validateTrainingData(const Dataset& data, core::TaskType task, const std::string& model);

/// Throws `NotFitted` when `fitted` is false and `DataError` when `x` does not have
/// `featureCount` columns or holds a value that is not finite.
void validatePredictionInput(const Eigen::MatrixXd& x, Eigen::Index featureCount, bool fitted,
                             const std::string& model);

/// Index of the largest entry of each row, the first one on ties.
Eigen::VectorXi rowArgmax(const Eigen::MatrixXd& scores);

/// Confusion matrix (rows = actual, columns = predicted) over the rows where `use` is
/// empty or true.
std::vector<std::vector<std::int64_t>> confusionMatrix(const Eigen::VectorXd& actual, const Eigen::VectorXi& predicted,
                                                       int classCount, const std::vector<bool>& use = {});

/// Share of the diagonal in a confusion matrix (0 when it is empty).
double accuracyOf(const std::vector<std::vector<std::int64_t>>& confusion);

/// Coefficient of determination of `predicted` against `actual` over the rows where
/// `use` is empty or true (evaluation::regressionMetrics' R²); 0 with fewer than 2 rows.
double rSquared(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted, const std::vector<bool>& use = {});

/// A live snapshot measured on the monitor rows of `data` (`Dataset::monitorX`, which must
/// not be empty) from the model's current output for them: class scores (rows × classes,
/// argmax = predicted class; accuracy and confusion matrix) or predicted values (rows × 1;
/// R²). `measuredOn` is "validation rows".
core::TrainingSnapshot monitorSnapshot(const Dataset& data, const Eigen::MatrixXd& monitorOutput, int step,
                                       int totalSteps, const std::string& stepName);

/// scikit-learn's compute_class_weight("balanced") per class index 0..classCount-1:
/// rows / (classes present · rows of the class); 0 for a class without rows. `y` holds
/// class indices (already validated).
std::vector<double> balancedClassWeights(const Eigen::VectorXd& y, int classCount);

/// Rebuilds validated parameters from the name → text pairs a model saved, turning a
/// rejected value into `ArchiveError` (a tampered or foreign file).
core::ParamValues restoreParams(const std::vector<core::ParamSpec>& table,
                                const std::map<std::string, std::string>& saved, const std::string& model);

/// Reads a model's saved state with `archive >> model` (the caller includes the archive
/// header); on any failure the model is left unfitted and the error becomes an
/// `ArchiveError` naming the model.
template <class Model>
void loadModelState(core::InputArchive& archive, Model& model, bool& fitted, const std::string& name)
{
    try {
        archive >> model;
    } catch (const core::ArchiveError&) {
        fitted = false;
        throw;
    } catch (const std::exception& error) {
        fitted = false;
        std::string message = "the saved ";
        message.append(name);
        message.append(" could not be read (");
        message.append(error.what());
        message.append(") — the file is damaged or incomplete; train the model again");
        throw core::ArchiveError(message);
    }
}

} // namespace stepwise::models
