#pragma once
// Gradient-boosted trees as scikit-learn 1.2's HistGradientBoostingClassifier /
// HistGradientBoostingRegressor: features binned as _BinMapper (on at most 200,000 rows),
// a baseline raw prediction from the target alone, then per iteration the float32
// gradients and hessians of the loss (binary log loss, multinomial log loss with one tree
// per class, half squared error) and one best-first tree per output (boosting_tree.hpp),
// whose leaf values, times the learning rate, are added to the raw predictions. Early
// stopping as scikit-learn's with scoring="loss": on by default above 10,000 rows, on a
// held-out validation_fraction (stratified for classifiers, drawn from Dataset::seed),
// stopping when none of the last n_iter_no_change iterations improved on the one before
// them by more than tol. Probabilities: the logistic function (two classes) or softmax
// of the raw predictions. Feature importances are our addition (scikit-learn's
// HistGradientBoosting has none): each feature's share of the loss reduction of all
// splits on it. Live snapshots per iteration: the training loss (with the training
// confusion matrix for classifiers) and, given Dataset::monitorX, the validation
// accuracy or R² on those rows, whose raw predictions are updated tree by tree.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "models/boosting_tree.hpp"
#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class GradientBoosting final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names, defaults and ranges).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model for `task`; `params` must come from `resolveParams(paramTable(), …)`.
    /// Throws `InvalidParameter` for validation_fraction=1 (no training rows would remain).
    GradientBoosting(core::TaskType task, const core::ParamValues& params);

    std::string name() const override { return "gradient_boosting"; }
    core::TaskType task() const override { return m_task; }
    const core::ParamValues& params() const override { return m_params; }

    /// Throws `DataError` also when the stratified validation split for early stopping
    /// cannot be drawn (a class with a single row).
    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// The trees as one ai.onnx.ml TreeEnsembleRegressor summing the raw predictions from the
    /// baseline, then Sigmoid (two classes: [1 - p, p]) or Softmax; regression: the raw sum.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;
    /// The raw predictions (sum of the baseline and the trees' leaf values), as
    /// scikit-learn's decision_function: rows × 1 for two classes, rows × classes for more.
    /// Regression models throw `InvalidParameter`, as scikit-learn's regressor has none.
    Eigen::MatrixXd decisionScores(const Eigen::MatrixXd& x) const override;
    /// Each feature's share of the total loss reduction of all splits on it (sums to 1).
    Eigen::VectorXd featureImportances() const override { return m_importances; }

    int classCount() const override { return m_task == core::TaskType::Classification ? m_classCount : 0; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// Boosting iterations done (scikit-learn's n_iter_; fewer than max_iter when stopped
    /// early).
    int iterationCount() const { return m_iterations; }
    /// Trees per iteration: the class count for more than two classes, else 1.
    int treesPerIteration() const { return m_treesPerIteration; }
    /// The trees, iteration by iteration (tree k of iteration i at i · treesPerIteration + k).
    const std::vector<BoostingTree>& trees() const { return m_trees; }
    /// The raw prediction before any tree, one per tree of an iteration.
    const std::vector<double>& baseline() const { return m_baseline; }
    /// Of the last fit (not saved): the loss early stopping watched, before the first and
    /// after every iteration — on the validation rows, or on the training rows with
    /// validation_fraction=none; empty when early stopping was off.
    const std::vector<double>& stoppingLosses() const { return m_stoppingLosses; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();
    /// Raw predictions of `x`, rows × treesPerIteration.
    Eigen::MatrixXd rawPredictions(const Eigen::MatrixXd& x) const;

    core::TaskType m_task;
    core::ParamValues m_params;
    double m_learningRate = 0.1;
    int m_maxIter = 100;
    int m_maxLeafNodes = 31;  ///< 0 = none
    int m_maxDepth = 0;       ///< 0 = none
    int m_minSamplesLeaf = 20;
    double m_l2Regularization = 0.0;
    int m_maxBins = 255;
    std::string m_earlyStopping = "auto";
    double m_validationFraction = 0.1;  ///< 0 = none (early stopping watches the training loss)
    int m_iterNoChange = 10;
    double m_tol = 1e-7;

    bool m_fitted = false;
    int m_classCount = 0;
    int m_featureCount = 0;
    int m_treesPerIteration = 1;
    int m_iterations = 0;
    std::vector<double> m_baseline;
    std::vector<BoostingTree> m_trees;
    Eigen::VectorXd m_importances;
    std::vector<double> m_stoppingLosses;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::GradientBoosting, 1)
