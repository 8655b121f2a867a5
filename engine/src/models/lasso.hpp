#pragma once
// Lasso as scikit-learn 1.2's Lasso(selection="cyclic", precompute=False): minimises
// ||y − Xw − b||²/(2n) + alpha·||w||₁ by cyclic coordinate descent (scikit-learn's
// cd_fast.enet_coordinate_descent) on the centred data, and stops when the largest
// weight change of a sweep is below tol times the largest weight and the duality gap is
// below tol·||y − mean(y)||² — the same sweeps and the same stopping rule, so the
// weights and the iteration count agree with scikit-learn's.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class Lasso final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model; `params` must come from `resolveParams(paramTable(), …)`.
    explicit Lasso(const core::ParamValues& params);

    std::string name() const override { return "lasso"; }
    core::TaskType task() const override { return core::TaskType::Regression; }
    const core::ParamValues& params() const override { return m_params; }

    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    /// Always throws `InvalidParameter`: a regression model has no class probabilities.
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// features · coefficients + intercept.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;
    /// |coef| per feature (zero for the features the penalty removed).
    Eigen::VectorXd featureImportances() const override;

    int classCount() const override { return 0; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// One weight per feature (scikit-learn's `coef_`).
    const Eigen::VectorXd& coefficients() const { return m_coefficients; }
    /// The constant term (0 without fit_intercept).
    double intercept() const { return m_intercept; }
    /// The duality gap at the end of fit, divided by the number of rows (scikit-learn's
    /// `dual_gap_`).
    double dualGap() const { return m_dualGap; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();

    core::ParamValues m_params;
    double m_alpha = 1.0;
    int m_maxIter = 1000;
    double m_tol = 1e-4;
    bool m_fitIntercept = true;

    bool m_fitted = false;
    Eigen::VectorXd m_coefficients;
    double m_intercept = 0.0;
    double m_dualGap = 0.0;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::Lasso, 1)
