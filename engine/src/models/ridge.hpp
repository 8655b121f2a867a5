#pragma once
// Ridge regression as scikit-learn 1.2's Ridge(solver="auto") on dense data: centre X and
// y when fitting an intercept, then solve (XᵀX + alpha·I)·w = Xᵀy by Cholesky — or, with
// more features than rows, the kernel form (XXᵀ + alpha·I)·a = y, w = Xᵀa, as scikit-learn
// does. When the system is singular (alpha = 0 on rank-deficient data) it falls back to
// scikit-learn's SVD solution, which drops singular values below 1e-15.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class Ridge final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model; `params` must come from `resolveParams(paramTable(), …)`.
    explicit Ridge(const core::ParamValues& params);

    std::string name() const override { return "ridge"; }
    core::TaskType task() const override { return core::TaskType::Regression; }
    const core::ParamValues& params() const override { return m_params; }

    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    /// Always throws `InvalidParameter`: a regression model has no class probabilities.
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// features · coefficients + intercept.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;
    /// |coef| per feature.
    Eigen::VectorXd featureImportances() const override;

    int classCount() const override { return 0; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// One weight per feature (scikit-learn's `coef_`).
    const Eigen::VectorXd& coefficients() const { return m_coefficients; }
    /// The constant term (0 without fit_intercept).
    double intercept() const { return m_intercept; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();

    core::ParamValues m_params;
    double m_alpha = 1.0;
    bool m_fitIntercept = true;

    bool m_fitted = false;
    Eigen::VectorXd m_coefficients;
    double m_intercept = 0.0;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::Ridge, 1)
