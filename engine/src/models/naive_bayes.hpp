#pragma once
// Gaussian naive Bayes as scikit-learn 1.2's GaussianNB with priors=None: per class the
// mean (theta_) and the population variance (var_) of every feature, plus
// epsilon = var_smoothing · the largest feature variance of all training rows added to
// every variance; class priors are the class shares of the training rows. The joint
// log-likelihood of a row under class c is log prior_c - ½ Σ log(2π var_cj) -
// ½ Σ (x_j - theta_cj)² / var_cj, and the probabilities are its softmax computed as
// predict_log_proba does (minus the log-sum-exp of the row, then exp). A class index with
// no training rows gets probability 0.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class GaussianNaiveBayes final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model; `params` must come from `resolveParams(paramTable(), …)`.
    explicit GaussianNaiveBayes(const core::ParamValues& params);

    std::string name() const override { return "naive_bayes"; }
    core::TaskType task() const override { return core::TaskType::Classification; }
    const core::ParamValues& params() const override { return m_params; }

    /// Throws `DataError` when every feature is constant (there is nothing to learn from).
    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// The joint log-likelihoods and their softmax computed in float64 in the graph (the
    /// class statistics as float32 pairs summing to their float64 values).
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;

    int classCount() const override { return static_cast<int>(m_prior.size()); }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// Per-class feature means, classes × features (scikit-learn's `theta_`).
    const Eigen::MatrixXd& means() const { return m_means; }
    /// Per-class feature variances with epsilon added, classes × features (`var_`).
    const Eigen::MatrixXd& variances() const { return m_variances; }
    /// Class shares of the training rows (`class_prior_`).
    const Eigen::VectorXd& priors() const { return m_prior; }
    /// The variance added to every entry of `variances()` (`epsilon_`).
    double epsilon() const { return m_epsilon; }
    /// scikit-learn's `predict_log_proba`: rows × classes (-inf for a class without rows).
    Eigen::MatrixXd predictLogProba(const Eigen::MatrixXd& x) const;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    /// Joint log-likelihoods, rows × classes (`_joint_log_likelihood`).
    Eigen::MatrixXd jointLogLikelihood(const Eigen::MatrixXd& x) const;

    core::ParamValues m_params;
    double m_smoothing = 1e-9;

    bool m_fitted = false;
    Eigen::MatrixXd m_means;
    Eigen::MatrixXd m_variances;
    Eigen::VectorXd m_prior;
    double m_epsilon = 0.0;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::GaussianNaiveBayes, 1)
