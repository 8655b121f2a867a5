#pragma once
// Ordinary least squares as scikit-learn 1.2's LinearRegression: centre X and y when
// fitting an intercept, then the minimum-norm least-squares solution, so rank-deficient
// features (duplicated or constant columns) still give scikit-learn's coefficients.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class LinearRegression final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model; `params` must come from `resolveParams(paramTable(), …)`.
    explicit LinearRegression(const core::ParamValues& params);

    std::string name() const override { return "linear_regression"; }
    core::TaskType task() const override { return core::TaskType::Regression; }
    const core::ParamValues& params() const override { return m_params; }

    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    /// Always throws `InvalidParameter`: a regression model has no class probabilities.
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// features · coefficients + intercept.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;

    int classCount() const override { return 0; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// One weight per feature (scikit-learn's `coef_`).
    const Eigen::VectorXd& coefficients() const { return m_coefficients; }
    /// The constant term (0 without fit_intercept).
    double intercept() const { return m_intercept; }
    /// Numerical rank of the (centred) feature matrix seen in fit.
    Eigen::Index rank() const { return m_rank; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);

    core::ParamValues m_params;
    bool m_fitIntercept = true;

    bool m_fitted = false;
    Eigen::VectorXd m_coefficients;
    double m_intercept = 0.0;
    Eigen::Index m_rank = 0;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::LinearRegression, 1)
