#include "models/lasso.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/snapshot_throttle.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"

#include "models/linear_onnx.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

std::string formatNumber(double value)
{
    return core::formatGeneral(value, 3);
}

double sign(double value) { return value > 0.0 ? 1.0 : (value < 0.0 ? -1.0 : 0.0); }

// Column j of X centred by `offset`, computed on the fly: (x_ij − m_j) rounds exactly as
// in scikit-learn's centred copy, without storing one.
double centredDot(const Eigen::MatrixXd& x, Eigen::Index column, double offset, const Eigen::VectorXd& v)
{
    const double* c = x.col(column).data();
    double sum = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i)
        sum += (c[i] - offset) * v(i);
    return sum;
}

// v += factor · (column j − offset)
void addCentred(const Eigen::MatrixXd& x, Eigen::Index column, double offset, double factor, Eigen::VectorXd& v)
{
    const double* c = x.col(column).data();
    for (Eigen::Index i = 0; i < v.size(); ++i)
        v(i) += factor * (c[i] - offset);
}

} // namespace

const std::vector<core::ParamSpec>& Lasso::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"alpha", core::ParamKind::Real, "1.0", 0.0, 1e12, false, {},
         "Strength of the absolute-weight penalty: larger values set more weights to exactly zero (a sparser "
         "model that selects features); the scale depends on the target's units."},
        {"max_iter", core::ParamKind::Integer, "1000", 1.0, 1000000.0, false, {},
         "Limit on the sweeps over all features; raise it when training reports that it did not converge."},
        {"tol", core::ParamKind::Real, "1e-4", 0.0, 1.0, true, {},
         "Stops once a sweep changes no weight by more than tol times the largest weight and the duality gap "
         "is below tol times the target's sum of squares; smaller values train longer for a more exact "
         "optimum."},
        {"fit_intercept", core::ParamKind::Boolean, "true", 0.0, 0.0, false, {},
         "Learn a constant term (never penalised) besides the weights; turn it off only when the prediction "
         "must be 0 for all-zero features."},
    };
    return table;
}

Lasso::Lasso(const core::ParamValues& params) : m_params(params) { applyParams(); }

void Lasso::applyParams()
{
    m_alpha = m_params.real("alpha");
    m_maxIter = static_cast<int>(m_params.integer("max_iter"));
    m_tol = m_params.real("tol");
    m_fitIntercept = m_params.boolean("fit_intercept");
}

FitReport Lasso::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, core::TaskType::Regression, name());
    const Eigen::MatrixXd& x = data.x;
    const Eigen::Index n = x.rows();
    const Eigen::Index d = x.cols();
    Eigen::VectorXd xOffset = Eigen::VectorXd::Zero(d);
    double yOffset = 0.0;
    if (m_fitIntercept) {
        xOffset = x.colwise().mean().transpose();
        yOffset = data.y.mean();
    }
    const Eigen::VectorXd y = (data.y.array() - yOffset).matrix();
    Eigen::VectorXd columnNorms(d);
    for (Eigen::Index j = 0; j < d; ++j)
        columnNorms(j) = (x.col(j).array() - xOffset(j)).square().sum();

    // cd_fast's scaling: the objective times n, so the penalty is alpha·n.
    const double alpha = m_alpha * static_cast<double>(n);
    const double weightTolerance = m_tol;
    const double gapTolerance = m_tol * y.squaredNorm();
    Eigen::VectorXd w = Eigen::VectorXd::Zero(d);
    Eigen::VectorXd residual = y; // y − Xw
    Eigen::VectorXd correlation(d);
    double gap = gapTolerance + 1.0;
    bool converged = false;
    int sweeps = 0;

    FitReport report;
    const bool monitored = data.monitorX.rows() > 0;
    SnapshotThrottle throttle;
    int lastSnapshot = 0;
    const auto takeSnapshot = [&](int sweep) {
        const auto start = SnapshotThrottle::Clock::now();
        core::TrainingSnapshot snapshot;
        const double intercept = m_fitIntercept ? yOffset - xOffset.dot(w) : 0.0;
        if (monitored) {
            const Eigen::MatrixXd predicted = ((data.monitorX * w).array() + intercept).matrix();
            snapshot = monitorSnapshot(data, predicted, sweep, m_maxIter, "sweep");
        } else {
            snapshot.step = sweep;
            snapshot.totalSteps = m_maxIter;
            snapshot.stepName = "sweep";
            snapshot.metricName = "training R²";
            snapshot.measuredOn = "training rows";
            // The residual is y − prediction in both cases (centred or not).
            snapshot.value = rSquared(data.y, data.y - residual);
        }
        report.curve.push_back(snapshot);
        control.snapshot(snapshot);
        throttle.taken(start);
        lastSnapshot = sweep;
    };

    for (int sweep = 0; sweep < m_maxIter; ++sweep) {
        double maxWeight = 0.0;
        double maxChange = 0.0;
        for (Eigen::Index j = 0; j < d; ++j) {
            if (columnNorms(j) == 0.0)
                continue;
            const double previous = w(j);
            if (previous != 0.0)
                addCentred(x, j, xOffset(j), previous, residual);
            const double rho = centredDot(x, j, xOffset(j), residual);
            w(j) = sign(rho) * std::max(std::abs(rho) - alpha, 0.0) / columnNorms(j);
            if (w(j) != 0.0)
                addCentred(x, j, xOffset(j), -w(j), residual);
            maxChange = std::max(maxChange, std::abs(w(j) - previous));
            maxWeight = std::max(maxWeight, std::abs(w(j)));
            // A sweep over a wide matrix can take long; keep cancel responsive inside it.
            if ((j & 63) == 63)
                control.checkCancelled();
        }
        sweeps = sweep + 1;
        if (maxWeight == 0.0 || maxChange / maxWeight < weightTolerance || sweep == m_maxIter - 1) {
            // The weights barely moved: the duality gap decides (cd_fast's rule).
            for (Eigen::Index j = 0; j < d; ++j)
                correlation(j) = centredDot(x, j, xOffset(j), residual);
            const double dualNorm = correlation.lpNorm<Eigen::Infinity>();
            const double residualNorm2 = residual.squaredNorm();
            double scale = 1.0;
            if (dualNorm > alpha) {
                scale = alpha / dualNorm;
                gap = 0.5 * (residualNorm2 + residualNorm2 * scale * scale);
            } else {
                gap = residualNorm2;
            }
            gap += alpha * w.lpNorm<1>() - scale * residual.dot(y);
            if (gap < gapTolerance)
                converged = true;
        }
        if (!monitored || throttle.due())
            takeSnapshot(sweeps);
        std::string stage = "sweep ";
        stage.append(std::to_string(sweeps));
        control.progress(static_cast<double>(sweeps) / m_maxIter, stage);
        if (converged)
            break;
    }
    if (lastSnapshot != sweeps)
        takeSnapshot(sweeps);

    report.iterations = sweeps;
    report.converged = converged;
    const double scaledGap = gap / static_cast<double>(n);
    if (converged) {
        report.message = "converged in ";
        report.message.append(std::to_string(sweeps)).append(" sweeps (duality gap ");
        report.message.append(formatNumber(scaledGap)).append(")");
    } else {
        report.message = "did not converge in max_iter=";
        report.message.append(std::to_string(m_maxIter)).append(" sweeps (duality gap ");
        report.message.append(formatNumber(scaledGap)).append(") — raise max_iter, raise tol or scale the features");
    }
    // The last chance to cancel comes before the previous fit is replaced.
    control.progress(1.0, converged ? "converged" : "stopped");
    m_intercept = m_fitIntercept ? yOffset - xOffset.dot(w) : 0.0;
    m_coefficients = std::move(w);
    m_dualGap = scaledGap;
    m_fitted = true;
    return report;
}

Eigen::MatrixXd Lasso::predictProba(const Eigen::MatrixXd&) const
{
    throw core::InvalidParameter("lasso predicts numbers, not class probabilities — use predict");
}

Eigen::VectorXd Lasso::predict(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_coefficients.size(), m_fitted, name());
    return (x * m_coefficients).array() + m_intercept;
}

io::OnnxModelOutputs Lasso::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    io::OnnxModelOutputs outputs;
    outputs.values = linearScoresOnnx(graph, features, m_coefficients.transpose(),
                                      Eigen::VectorXd::Constant(1, m_intercept));
    return outputs;
}

Eigen::VectorXd Lasso::featureImportances() const
{
    if (!m_fitted)
        return {};
    return m_coefficients.cwiseAbs();
}

template <class Archive>
void Lasso::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    archive & params;
    if constexpr (Archive::is_loading::value) {
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_coefficients & m_intercept & m_dualGap;
    if constexpr (Archive::is_loading::value) {
        if (m_fitted && m_coefficients.size() < 1)
            throw core::ArchiveError("the saved lasso has no weights — the file is damaged; train the model again");
    }
}

void Lasso::save(core::OutputArchive& archive) const { archive << *this; }

void Lasso::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
