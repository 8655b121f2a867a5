#pragma once
// Linear support vector machines as scikit-learn 1.2's liblinear-based estimators.
// Classification = LinearSVC(loss="hinge", dual=True): the L2-regularised hinge loss
// ||w||²/2 + Σ C_i·max(0, 1 − y_i·w·x_i) solved by liblinear's dual coordinate descent
// (with its shrinking and stopping rule), one class against the rest for more than two
// classes, C_i = C·class weight (for one-vs-rest only the positive class is weighted, as
// in liblinear). Regression = LinearSVR(loss="epsilon_insensitive"): ||w||²/2 +
// C·Σ max(0, |y_i − w·x_i| − epsilon) by liblinear's dual coordinate descent for SVR.
// The intercept is liblinear's: a constant feature 1 (intercept_scaling=1) appended to
// every row, penalised like the other weights. Rows are visited in an order shuffled from
// the recipe's seed (liblinear shuffles with its own generator), so the weights agree with
// scikit-learn's to the solver tolerance, not bit for bit. No probabilities: classifiers
// give decision scores.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class LinearSvm final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults), shared by both tasks.
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model for `task`; `params` must come from `resolveParams(paramTable(), …)`.
    LinearSvm(core::TaskType task, const core::ParamValues& params);

    std::string name() const override { return "linear_svm"; }
    core::TaskType task() const override { return m_task; }
    const core::ParamValues& params() const override { return m_params; }

    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    /// Always throws `InvalidParameter`: a linear SVM gives no probabilities.
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    /// Classification: class 1 where the score is positive (two classes), else the class
    /// with the largest score (first on ties). Regression: the predicted value.
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// The decision scores; the class is score > 0 (two classes) or the argmax, the
    /// value the score (regression). No probabilities.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;
    /// Classification: scikit-learn's `decision_function` (rows × 1 for two classes,
    /// rows × classes for more). Regression throws `InvalidParameter`.
    Eigen::MatrixXd decisionScores(const Eigen::MatrixXd& x) const override;
    bool hasProbabilities() const override { return false; }
    /// |coef| summed over the weight vectors, one per feature.
    Eigen::VectorXd featureImportances() const override;

    int classCount() const override { return m_task == core::TaskType::Classification ? m_classCount : 0; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// Weights as scikit-learn's `coef_`: 1 × features for two classes and regression,
    /// classes × features for more.
    const Eigen::MatrixXd& coefficients() const { return m_coefficients; }
    /// Intercepts as scikit-learn's `intercept_` (zeros without fit_intercept).
    const Eigen::VectorXd& intercepts() const { return m_intercepts; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();
    Eigen::MatrixXd scores(const Eigen::MatrixXd& x) const;

    core::TaskType m_task;
    core::ParamValues m_params;
    double m_c = 1.0;
    double m_epsilon = 0.0;
    int m_maxIter = 1000;
    double m_tol = 1e-4;
    bool m_fitIntercept = true;
    bool m_balanced = false;  ///< class_weight=balanced

    bool m_fitted = false;
    int m_classCount = 0;
    Eigen::MatrixXd m_coefficients;
    Eigen::VectorXd m_intercepts;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::LinearSvm, 1)
