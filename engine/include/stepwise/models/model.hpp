#pragma once
/// \file
/// \brief The one shape every model has: construct with parameters, `fit`, then the
/// const `predict`/`predictProba`, and save/load of the fitted state.

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/archive.hpp"
#include "stepwise/core/params.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/core/task_type.hpp"
#include "stepwise/models/dataset.hpp"

namespace stepwise::io {
class OnnxGraph;
struct OnnxModelOutputs;
} // namespace stepwise::io

namespace stepwise::models {

/// \brief What fitting did. Not converging is reported here, not thrown.
struct FitReport {
    int iterations = 0;           ///< optimiser iterations, or trees built
    bool converged = true;        ///< false when an iterative solver hit its limit
    std::string message;          ///< e.g. "stopped at max_iter=100 before tol=1e-4"
    /// \brief The training curve (one entry per snapshot reported during fit).
    std::vector<core::TrainingSnapshot> curve;
};

/// \brief Base of every estimator. Constructors never train.
class Model {
public:
    virtual ~Model() = default;

    /// \brief Registry name, e.g. "random_forest".
    virtual std::string name() const = 0;
    /// \brief Classification or regression.
    virtual core::TaskType task() const = 0;
    /// \brief The validated hyper-parameters this model was built with.
    virtual const core::ParamValues& params() const = 0;

    /// \brief Trains on `data`, reporting progress per iteration/tree through `control`
    /// (which also carries cancel and the live snapshots). Throws `Cancelled`,
    /// `DataError` (e.g. one class only) or `InvalidParameter`.
    virtual FitReport fit(const Dataset& data, core::TaskControl& control) = 0;

    /// \brief Classification: class probabilities, rows × classCount. Regression
    /// models throw `InvalidParameter`. Throws `NotFitted` before `fit`.
    virtual Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const = 0;
    /// \brief Classification: the class index (argmax of `predictProba`, first on ties)
    /// as a double. Regression: the predicted value. Throws `NotFitted` before `fit`.
    virtual Eigen::VectorXd predict(const Eigen::MatrixXd& x) const = 0;

    /// \brief Number of classes seen in fit (0 for regression).
    virtual int classCount() const = 0;

    /// \brief False for classifiers that give decision scores but no probabilities
    /// (linear SVM): their `predictProba` throws `InvalidParameter`, and log loss and
    /// ROC-AUC are not reported for them. Regression models: false.
    virtual bool hasProbabilities() const { return task() == core::TaskType::Classification; }
    /// \brief scikit-learn's `decision_function` where the model has one (linear models,
    /// SVM, boosting): rows × 1 for two classes (the score of class 1), rows × classes for
    /// more. Models without one throw `InvalidParameter`. Throws `NotFitted` before `fit`.
    virtual Eigen::MatrixXd decisionScores(const Eigen::MatrixXd& x) const;
    /// \brief One importance per feature (scikit-learn's `feature_importances_`, or the
    /// absolute coefficients for linear models, summed over classes), or empty when the
    /// model has none (kNN, naive Bayes). Empty before `fit`.
    virtual Eigen::VectorXd featureImportances() const { return {}; }
    /// \brief True after a successful `fit` or `load`.
    virtual bool isFitted() const = 0;

    /// \brief Adds the nodes that compute this model's outputs from `features` (float
    /// `[N, featureCount]`, the transformed columns in training order) to `graph`.
    /// Models ONNX cannot express throw `core::UnsupportedExport` naming the model and
    /// what to do instead (the default). Throws `NotFitted` before `fit`.
    virtual io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const;

    /// \brief Writes the fitted state (parameters included) with its class version.
    virtual void save(core::OutputArchive& archive) const = 0;
    /// \brief Restores what `save` wrote.
    virtual void load(core::InputArchive& archive) = 0;
};

} // namespace stepwise::models
