#include "models/linear_regression.hpp"

#include <Eigen/QR>
#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"

#include "models/linear_onnx.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {

const std::vector<core::ParamSpec>& LinearRegression::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"fit_intercept", core::ParamKind::Boolean, "true", 0.0, 0.0, false, {},
         "Learn a constant term besides the weights; turn it off only when the prediction must be 0 for "
         "all-zero features."},
    };
    return table;
}

LinearRegression::LinearRegression(const core::ParamValues& params)
    : m_params(params), m_fitIntercept(params.boolean("fit_intercept"))
{
}

FitReport LinearRegression::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, core::TaskType::Regression, name());
    control.progress(0.0, "solving least squares");

    Eigen::RowVectorXd xOffset = Eigen::RowVectorXd::Zero(data.x.cols());
    double yOffset = 0.0;
    if (m_fitIntercept) {
        xOffset = data.x.colwise().mean();
        yOffset = data.y.mean();
    }
    // Complete orthogonal decomposition gives the minimum-norm solution when columns are
    // linearly dependent, as LAPACK's gelsd does for scikit-learn.
    const Eigen::MatrixXd centred = data.x.rowwise() - xOffset;
    const Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> decomposition(centred);
    Eigen::VectorXd coefficients = decomposition.solve((data.y.array() - yOffset).matrix());
    const double intercept = m_fitIntercept ? yOffset - xOffset.dot(coefficients) : 0.0;
    const Eigen::Index rank = decomposition.rank();

    FitReport report;
    report.iterations = 1;
    core::TrainingSnapshot snapshot;
    snapshot.step = 1;
    snapshot.totalSteps = 1;
    snapshot.stepName = "iteration";
    snapshot.metricName = "training R²";
    snapshot.measuredOn = "training rows";
    snapshot.value = rSquared(data.y, ((data.x * coefficients).array() + intercept).matrix());
    report.curve.push_back(snapshot);
    if (rank < data.x.cols()) {
        report.message = "the features are linearly dependent (rank ";
        report.message.append(std::to_string(rank)).append(" of ").append(std::to_string(data.x.cols()));
        report.message.append("); the minimum-norm solution was used");
    }
    control.snapshot(snapshot);
    // The last chance to cancel comes before the previous fit is replaced.
    control.progress(1.0, "fitted");
    m_coefficients = std::move(coefficients);
    m_intercept = intercept;
    m_rank = rank;
    m_fitted = true;
    return report;
}

Eigen::MatrixXd LinearRegression::predictProba(const Eigen::MatrixXd&) const
{
    throw core::InvalidParameter("linear_regression predicts numbers, not class probabilities — use predict");
}

Eigen::VectorXd LinearRegression::predict(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_coefficients.size(), m_fitted, name());
    return (x * m_coefficients).array() + m_intercept;
}

io::OnnxModelOutputs LinearRegression::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    io::OnnxModelOutputs outputs;
    outputs.values = linearScoresOnnx(graph, features, m_coefficients.transpose(),
                                      Eigen::VectorXd::Constant(1, m_intercept));
    return outputs;
}

template <class Archive>
void LinearRegression::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    archive & params;
    if constexpr (Archive::is_loading::value) {
        m_params = restoreParams(paramTable(), params, name());
        m_fitIntercept = m_params.boolean("fit_intercept");
    }
    archive & m_fitted & m_coefficients & m_intercept & m_rank;
    if constexpr (Archive::is_loading::value) {
        if (m_fitted && m_coefficients.size() < 1)
            throw core::ArchiveError("the saved linear_regression has no weights — the file is damaged; train the "
                                     "model again");
    }
}

void LinearRegression::save(core::OutputArchive& archive) const { archive << *this; }

void LinearRegression::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
