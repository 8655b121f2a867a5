#include "models/ridge.hpp"

#include <algorithm>
#include <limits>

#include <Eigen/Cholesky>
#include <Eigen/SVD>
#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/row_chunks.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"

#include "models/linear_onnx.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

// The normal equations of the centred rows, XcᵀXc and Xcᵀyc, summed per row chunk in
// parallel and reduced in chunk order (identical for any thread count) without a
// centred copy of X.
void normalEquations(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::RowVectorXd& xOffset,
                     double yOffset, core::TaskControl& control, Eigen::MatrixXd& gram, Eigen::VectorXd& xty)
{
    const Eigen::Index d = x.cols();
    // Each chunk keeps a d × d partial; cap them at about 64 MiB together.
    const Eigen::Index cap = std::max<Eigen::Index>(1, (Eigen::Index(8) << 20) / std::max<Eigen::Index>(d * d, 1));
    const RowChunks chunks(x.rows(), d, cap);
    std::vector<Eigen::MatrixXd> grams(static_cast<std::size_t>(chunks.count()));
    std::vector<Eigen::VectorXd> products(static_cast<std::size_t>(chunks.count()));
    chunks.run([&](Eigen::Index chunk) {
        Eigen::MatrixXd& partial = grams[static_cast<std::size_t>(chunk)];
        Eigen::VectorXd& product = products[static_cast<std::size_t>(chunk)];
        partial = Eigen::MatrixXd::Zero(d, d);
        product = Eigen::VectorXd::Zero(d);
        Eigen::MatrixXd centred(chunks.blockRows(), d);
        Eigen::VectorXd target(chunks.blockRows());
        chunks.forEachBlock(chunk, [&](Eigen::Index begin, Eigen::Index size) {
            // Nothing may throw inside the parallel loop: skip the rest once cancelled.
            if (control.isCancelled())
                return;
            auto block = centred.topRows(size);
            block = x.middleRows(begin, size).rowwise() - xOffset;
            auto yBlock = target.head(size);
            yBlock = y.segment(begin, size).array() - yOffset;
            partial.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
            product.noalias() += block.transpose() * yBlock;
        });
    });
    control.checkCancelled();
    gram = Eigen::MatrixXd::Zero(d, d);
    xty = Eigen::VectorXd::Zero(d);
    for (std::size_t chunk = 0; chunk < grams.size(); ++chunk) {
        gram += grams[chunk];
        xty += products[chunk];
    }
    gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
}

// XcXcᵀ (n × n, the kernel system when there are more features than rows), its lower
// triangle in column panels of a fixed width, one single-threaded product each, run in
// parallel. The panels depend on n alone and each entry is one product's dot product, so
// the bits do not depend on the thread count (Eigen's own parallel product chooses its
// depth blocking from the thread count; the engine builds Eigen without it).
Eigen::MatrixXd kernelMatrix(const Eigen::MatrixXd& centred)
{
    constexpr Eigen::Index kPanel = 64;
    // Below this many multiply-adds one thread is faster than waking the others.
    constexpr double kParallelWork = 4e6;
    const Eigen::Index n = centred.rows();
    const Eigen::Index panels = (n + kPanel - 1) / kPanel;
    const double work = static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(centred.cols()) / 2.0;
    Eigen::MatrixXd kernel(n, n);
#pragma omp parallel for schedule(dynamic) if (panels > 1 && work >= kParallelWork)
    for (Eigen::Index panel = 0; panel < panels; ++panel) {
        const Eigen::Index first = panel * kPanel;
        const Eigen::Index width = std::min(kPanel, n - first);
        kernel.block(first, first, n - first, width).noalias() =
            centred.bottomRows(n - first) * centred.middleRows(first, width).transpose();
    }
    kernel.triangularView<Eigen::StrictlyUpper>() = kernel.transpose();
    return kernel;
}

// LAPACK's Cholesky, which scikit-learn calls, stops at a pivot that rounding leaves at
// zero or below; Eigen's may go on with a tiny positive one. A system that singular
// (estimated reciprocal condition below machine epsilon) goes to the SVD, as it does in
// scikit-learn.
bool solvable(const Eigen::LLT<Eigen::MatrixXd>& cholesky)
{
    return cholesky.info() == Eigen::Success && cholesky.rcond() > std::numeric_limits<double>::epsilon();
}

// scikit-learn's _solve_svd: w = V · diag(s / (s² + alpha)) · Uᵀy over the singular values
// above 1e-15.
Eigen::VectorXd solveSvd(const Eigen::MatrixXd& centred, const Eigen::VectorXd& target, double alpha)
{
    const Eigen::BDCSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Eigen::VectorXd& s = svd.singularValues();
    Eigen::VectorXd scaled = svd.matrixU().transpose() * target;
    for (Eigen::Index i = 0; i < s.size(); ++i)
        scaled(i) = s(i) > 1e-15 ? scaled(i) * s(i) / (s(i) * s(i) + alpha) : 0.0;
    return svd.matrixV() * scaled;
}

} // namespace

const std::vector<core::ParamSpec>& Ridge::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"alpha", core::ParamKind::Real, "1.0", 0.0, 1e12, false, {},
         "Strength of the squared-weight penalty: larger values shrink the weights towards zero (steadier "
         "with correlated features), 0 gives ordinary least squares."},
        {"fit_intercept", core::ParamKind::Boolean, "true", 0.0, 0.0, false, {},
         "Learn a constant term (never penalised) besides the weights; turn it off only when the prediction "
         "must be 0 for all-zero features."},
    };
    return table;
}

Ridge::Ridge(const core::ParamValues& params) : m_params(params) { applyParams(); }

void Ridge::applyParams()
{
    m_alpha = m_params.real("alpha");
    m_fitIntercept = m_params.boolean("fit_intercept");
}

FitReport Ridge::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, core::TaskType::Regression, name());
    control.progress(0.0, "solving the normal equations");

    const Eigen::Index n = data.x.rows();
    const Eigen::Index d = data.x.cols();
    Eigen::RowVectorXd xOffset = Eigen::RowVectorXd::Zero(d);
    double yOffset = 0.0;
    if (m_fitIntercept) {
        xOffset = data.x.colwise().mean();
        yOffset = data.y.mean();
    }
    Eigen::VectorXd coefficients;
    std::string message;
    bool solved = false;
    if (d <= n) {
        Eigen::MatrixXd gram;
        Eigen::VectorXd xty;
        normalEquations(data.x, data.y, xOffset, yOffset, control, gram, xty);
        control.progress(0.5, "solving the normal equations");
        gram.diagonal().array() += m_alpha;
        const Eigen::LLT<Eigen::MatrixXd> cholesky(gram);
        if (solvable(cholesky)) {
            coefficients = cholesky.solve(xty);
            solved = coefficients.allFinite();
        }
    } else {
        // More features than rows: the n × n kernel system is the smaller one.
        const Eigen::MatrixXd centred = data.x.rowwise() - xOffset;
        Eigen::MatrixXd kernel = kernelMatrix(centred);
        control.progress(0.5, "solving the kernel system");
        kernel.diagonal().array() += m_alpha;
        const Eigen::LLT<Eigen::MatrixXd> cholesky(kernel);
        if (solvable(cholesky)) {
            coefficients = centred.transpose() * cholesky.solve((data.y.array() - yOffset).matrix());
            solved = coefficients.allFinite();
        }
    }
    if (!solved) {
        // Singular (alpha = 0 on linearly dependent features): scikit-learn falls back
        // to the SVD, which leaves out the directions without data.
        const Eigen::MatrixXd centred = data.x.rowwise() - xOffset;
        coefficients = solveSvd(centred, (data.y.array() - yOffset).matrix(), m_alpha);
        message = "the penalised system was singular (the features are linearly dependent and alpha is 0); the "
                  "least-squares solution of smallest norm was used";
    }
    const double intercept = m_fitIntercept ? yOffset - xOffset.dot(coefficients) : 0.0;

    FitReport report;
    report.iterations = 1;
    report.message = message;
    core::TrainingSnapshot snapshot;
    if (data.monitorX.rows() > 0) {
        const Eigen::MatrixXd predicted = ((data.monitorX * coefficients).array() + intercept).matrix();
        snapshot = monitorSnapshot(data, predicted, 1, 1, "iteration");
    } else {
        snapshot.step = 1;
        snapshot.totalSteps = 1;
        snapshot.stepName = "iteration";
        snapshot.metricName = "training R²";
        snapshot.measuredOn = "training rows";
        snapshot.value = rSquared(data.y, ((data.x * coefficients).array() + intercept).matrix());
    }
    report.curve.push_back(snapshot);
    control.snapshot(snapshot);
    // The last chance to cancel comes before the previous fit is replaced.
    control.progress(1.0, "fitted");
    m_coefficients = std::move(coefficients);
    m_intercept = intercept;
    m_fitted = true;
    return report;
}

Eigen::MatrixXd Ridge::predictProba(const Eigen::MatrixXd&) const
{
    throw core::InvalidParameter("ridge predicts numbers, not class probabilities — use predict");
}

Eigen::VectorXd Ridge::predict(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_coefficients.size(), m_fitted, name());
    return (x * m_coefficients).array() + m_intercept;
}

io::OnnxModelOutputs Ridge::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    io::OnnxModelOutputs outputs;
    outputs.values = linearScoresOnnx(graph, features, m_coefficients.transpose(),
                                      Eigen::VectorXd::Constant(1, m_intercept));
    return outputs;
}

Eigen::VectorXd Ridge::featureImportances() const
{
    if (!m_fitted)
        return {};
    return m_coefficients.cwiseAbs();
}

template <class Archive>
void Ridge::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    archive & params;
    if constexpr (Archive::is_loading::value) {
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_coefficients & m_intercept;
    if constexpr (Archive::is_loading::value) {
        if (m_fitted && m_coefficients.size() < 1)
            throw core::ArchiveError("the saved ridge has no weights — the file is damaged; train the model again");
    }
}

void Ridge::save(core::OutputArchive& archive) const { archive << *this; }

void Ridge::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
