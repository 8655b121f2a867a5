#pragma once
// Logistic regression as scikit-learn 1.2's LogisticRegression(multi_class="auto"): one
// weight vector and a sigmoid for two classes, a multinomial softmax with one weight
// vector per class for more; class_weight="balanced" weighs each row's loss by
// n / (classes · count(its class)). The objective is scikit-learn's: C times the summed
// (weighted) log loss plus the penalty of the weights, the intercepts unpenalised —
// ||W||²/2 (l2), ||W||₁ (l1), (1 − l1_ratio)·||W||²/2 + l1_ratio·||W||₁ (elasticnet) or
// nothing (none). l2 and none use scikit-learn's lbfgs solver step for step; l1 and
// elasticnet use OWL-QN, which reaches the optimum scikit-learn's saga solver converges to.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class LogisticRegression final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model; `params` must come from `resolveParams(paramTable(), …)`.
    explicit LogisticRegression(const core::ParamValues& params);

    std::string name() const override { return "logistic_regression"; }
    core::TaskType task() const override { return core::TaskType::Classification; }
    const core::ParamValues& params() const override { return m_params; }

    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// scikit-learn's `decision_function`: rows × 1 (the score of class 1) for two
    /// classes, rows × classes for more.
    Eigen::MatrixXd decisionScores(const Eigen::MatrixXd& x) const override;
    /// |coef| summed over the weight vectors, one per feature.
    Eigen::VectorXd featureImportances() const override;
    /// Scores as decisionScores, then the sigmoid (two classes) or the softmax.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;

    int classCount() const override { return m_classCount; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// Weights as scikit-learn's `coef_`: 1 × features for two classes, classes ×
    /// features for more.
    const Eigen::MatrixXd& coefficients() const { return m_coefficients; }
    /// Intercepts as scikit-learn's `intercept_` (zeros without fit_intercept).
    const Eigen::VectorXd& intercepts() const { return m_intercepts; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();

    core::ParamValues m_params;
    double m_c = 1.0;
    std::string m_penalty = "l2";
    double m_l1Ratio = 0.5;
    int m_maxIter = 100;
    double m_tol = 1e-4;
    bool m_fitIntercept = true;
    bool m_balanced = false;  ///< class_weight=balanced

    bool m_fitted = false;
    int m_classCount = 0;
    Eigen::MatrixXd m_coefficients;
    Eigen::VectorXd m_intercepts;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::LogisticRegression, 1)
