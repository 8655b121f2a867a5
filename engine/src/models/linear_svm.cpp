#include "models/linear_svm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/row_chunks.hpp"
#include "models/snapshot_throttle.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/random.hpp"

#include "models/linear_onnx.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

// Coordinate descent visits one row at a time, so the rows are copied once into
// row-major order, with liblinear's constant bias feature appended when fitting an
// intercept.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

RowMatrix rowMajorWithBias(const Eigen::MatrixXd& x, bool bias)
{
    RowMatrix rows(x.rows(), x.cols() + (bias ? 1 : 0));
    rows.leftCols(x.cols()) = x;
    if (bias)
        rows.col(x.cols()).setOnes();
    return rows;
}

struct SolveResult {
    int iterations = 0;
    bool converged = false;
};

// Called after every pass over the rows with the pass count and the current weights;
// reports progress and snapshots and may throw `Cancelled`.
using PassObserver = std::function<void(int pass, const Eigen::VectorXd& w)>;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// A pass over many rows is long: cancel is also checked every 65536 rows inside it.
constexpr Eigen::Index kCancelCheckRows = 0xFFFF;

// liblinear's solve_l2r_l1l2_svc for the hinge loss (Hsieh et al. 2008, algorithm 3):
// min over 0 <= a_i <= C_i of aᵀQa/2 − Σ a_i with Q_ij = y_i·y_j·x_iᵀx_j, w = Σ a_i·y_i·x_i,
// with liblinear's shrinking and its stopping rule max PG − min PG <= eps.
SolveResult solveHingeDual(const RowMatrix& x, const std::vector<signed char>& y, const std::vector<double>& upper,
                           double eps, int maxIter, core::RandomSource& random, const core::TaskControl& control,
                           Eigen::VectorXd& w, const PassObserver& observe)
{
    const Eigen::Index l = x.rows();
    w = Eigen::VectorXd::Zero(x.cols());
    std::vector<double> alpha(static_cast<std::size_t>(l), 0.0);
    std::vector<double> qd(static_cast<std::size_t>(l));
    std::vector<Eigen::Index> index(static_cast<std::size_t>(l));
    for (Eigen::Index i = 0; i < l; ++i) {
        qd[static_cast<std::size_t>(i)] = x.row(i).squaredNorm();
        index[static_cast<std::size_t>(i)] = i;
    }
    Eigen::Index active = l;
    double pgMaxOld = kInfinity;
    double pgMinOld = -kInfinity;
    SolveResult result;
    while (result.iterations < maxIter) {
        double pgMaxNew = -kInfinity;
        double pgMinNew = kInfinity;
        for (Eigen::Index i = 0; i < active; ++i) {
            const auto j = i + static_cast<Eigen::Index>(random.below(static_cast<std::size_t>(active - i)));
            std::swap(index[static_cast<std::size_t>(i)], index[static_cast<std::size_t>(j)]);
        }
        for (Eigen::Index s = 0; s < active; ++s) {
            if ((s & kCancelCheckRows) == kCancelCheckRows)
                control.checkCancelled();
            const Eigen::Index i = index[static_cast<std::size_t>(s)];
            const auto row = static_cast<std::size_t>(i);
            const double yi = y[row];
            const double g = yi * x.row(i).dot(w) - 1.0;
            const double c = upper[row];
            double pg = 0.0;
            if (alpha[row] == 0.0) {
                if (g > pgMaxOld) {
                    // Shrink: at its bound and unlikely to move; revisited at the end.
                    --active;
                    std::swap(index[static_cast<std::size_t>(s)], index[static_cast<std::size_t>(active)]);
                    --s;
                    continue;
                }
                if (g < 0.0)
                    pg = g;
            } else if (alpha[row] == c) {
                if (g < pgMinOld) {
                    --active;
                    std::swap(index[static_cast<std::size_t>(s)], index[static_cast<std::size_t>(active)]);
                    --s;
                    continue;
                }
                if (g > 0.0)
                    pg = g;
            } else {
                pg = g;
            }
            pgMaxNew = std::max(pgMaxNew, pg);
            pgMinNew = std::min(pgMinNew, pg);
            if (std::abs(pg) > 1e-12) {
                const double previous = alpha[row];
                alpha[row] = std::min(std::max(previous - g / qd[row], 0.0), c);
                const double step = (alpha[row] - previous) * yi;
                w.noalias() += step * x.row(i).transpose();
            }
        }
        ++result.iterations;
        observe(result.iterations, w);
        if (pgMaxNew - pgMinNew <= eps) {
            if (active == l) {
                result.converged = true;
                break;
            }
            // Converged on the active rows: check once more with all of them.
            active = l;
            pgMaxOld = kInfinity;
            pgMinOld = -kInfinity;
            continue;
        }
        pgMaxOld = pgMaxNew <= 0.0 ? kInfinity : pgMaxNew;
        pgMinOld = pgMinNew >= 0.0 ? -kInfinity : pgMinNew;
    }
    return result;
}

// liblinear's solve_l2r_l1l2_svr for the epsilon-insensitive loss (Ho & Lin 2012,
// algorithm 4): min over |b_i| <= C of bᵀQb/2 + p·Σ|b_i| − Σ y_i·b_i with Q_ij = x_iᵀx_j,
// w = Σ b_i·x_i; stops when the summed violation falls below eps times the first pass's.
SolveResult solveEpsilonDual(const RowMatrix& x, const Eigen::VectorXd& y, double c, double p, double eps,
                             int maxIter, core::RandomSource& random, const core::TaskControl& control,
                             Eigen::VectorXd& w, const PassObserver& observe)
{
    const Eigen::Index l = x.rows();
    w = Eigen::VectorXd::Zero(x.cols());
    std::vector<double> beta(static_cast<std::size_t>(l), 0.0);
    std::vector<double> qd(static_cast<std::size_t>(l));
    std::vector<Eigen::Index> index(static_cast<std::size_t>(l));
    for (Eigen::Index i = 0; i < l; ++i) {
        qd[static_cast<std::size_t>(i)] = x.row(i).squaredNorm();
        index[static_cast<std::size_t>(i)] = i;
    }
    Eigen::Index active = l;
    double gMaxOld = kInfinity;
    double gNorm1Initial = -1.0;
    SolveResult result;
    while (result.iterations < maxIter) {
        double gMaxNew = 0.0;
        double gNorm1New = 0.0;
        for (Eigen::Index i = 0; i < active; ++i) {
            const auto j = i + static_cast<Eigen::Index>(random.below(static_cast<std::size_t>(active - i)));
            std::swap(index[static_cast<std::size_t>(i)], index[static_cast<std::size_t>(j)]);
        }
        for (Eigen::Index s = 0; s < active; ++s) {
            if ((s & kCancelCheckRows) == kCancelCheckRows)
                control.checkCancelled();
            const Eigen::Index i = index[static_cast<std::size_t>(s)];
            const auto row = static_cast<std::size_t>(i);
            const double g = x.row(i).dot(w) - y(i);
            const double h = qd[row];
            const double gp = g + p;
            const double gn = g - p;
            const double b = beta[row];
            double violation = 0.0;
            bool shrink = false;
            if (b == 0.0) {
                if (gp < 0.0)
                    violation = -gp;
                else if (gn > 0.0)
                    violation = gn;
                else if (gp > gMaxOld && gn < -gMaxOld)
                    shrink = true;
            } else if (b >= c) {
                if (gp > 0.0)
                    violation = gp;
                else if (gp < -gMaxOld)
                    shrink = true;
            } else if (b <= -c) {
                if (gn < 0.0)
                    violation = -gn;
                else if (gn > gMaxOld)
                    shrink = true;
            } else {
                violation = b > 0.0 ? std::abs(gp) : std::abs(gn);
            }
            if (shrink) {
                --active;
                std::swap(index[static_cast<std::size_t>(s)], index[static_cast<std::size_t>(active)]);
                --s;
                continue;
            }
            gMaxNew = std::max(gMaxNew, violation);
            gNorm1New += violation;
            // Newton step on the one-variable problem, then clipped to the box.
            double d = 0.0;
            if (gp < h * b)
                d = -gp / h;
            else if (gn > h * b)
                d = -gn / h;
            else
                d = -b;
            if (std::abs(d) < 1e-12)
                continue;
            beta[row] = std::min(std::max(b + d, -c), c);
            d = beta[row] - b;
            if (d != 0.0)
                w.noalias() += d * x.row(i).transpose();
        }
        if (result.iterations == 0)
            gNorm1Initial = gNorm1New;
        ++result.iterations;
        observe(result.iterations, w);
        if (gNorm1New <= eps * gNorm1Initial) {
            if (active == l) {
                result.converged = true;
                break;
            }
            active = l;
            gMaxOld = kInfinity;
            continue;
        }
        gMaxOld = gMaxNew;
    }
    return result;
}

} // namespace

const std::vector<core::ParamSpec>& LinearSvm::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"C", core::ParamKind::Real, "1.0", 0.0, 1e12, true, {},
         "Penalty on margin violations: larger values fit the training rows more closely (a narrower margin), "
         "smaller values keep the weights small (a wider, more tolerant margin)."},
        {"epsilon", core::ParamKind::Real, "0.0", 0.0, 1e12, false, {},
         "Regression only: errors up to this size cost nothing (the width of the insensitive tube, in the "
         "target's units)."},
        {"max_iter", core::ParamKind::Integer, "1000", 1.0, 1000000.0, false, {},
         "Limit on the passes over the training rows; raise it when training reports that it did not "
         "converge (or scale the features)."},
        {"tol", core::ParamKind::Real, "1e-4", 0.0, 1.0, true, {},
         "The solver stops once the largest optimality violation (regression: the summed violation relative "
         "to the first pass) is below this; smaller values train longer for a more exact optimum."},
        {"fit_intercept", core::ParamKind::Boolean, "true", 0.0, 0.0, false, {},
         "Learn a constant term (as a constant feature that is penalised like the others, as in liblinear); "
         "turn it off only when the features are centred."},
        {"class_weight", core::ParamKind::Choice, "none", 0.0, 0.0, false, {"none", "balanced"},
         "Classification only: balanced multiplies C for each class by rows / (classes × rows of the class), "
         "so a rare class counts as much as a common one; none uses C for every row."},
    };
    return table;
}

LinearSvm::LinearSvm(core::TaskType task, const core::ParamValues& params) : m_task(task), m_params(params)
{
    applyParams();
}

void LinearSvm::applyParams()
{
    m_c = m_params.real("C");
    m_epsilon = m_params.real("epsilon");
    m_maxIter = static_cast<int>(m_params.integer("max_iter"));
    m_tol = m_params.real("tol");
    m_fitIntercept = m_params.boolean("fit_intercept");
    m_balanced = m_params.isWord("class_weight", "balanced");
}

FitReport LinearSvm::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, m_task, name());
    const bool classification = m_task == core::TaskType::Classification;
    const Eigen::Index d = data.x.cols();
    const int vectors = classification ? (data.classCount == 2 ? 1 : data.classCount) : 1;
    const RowMatrix rows = rowMajorWithBias(data.x, m_fitIntercept);
    Eigen::MatrixXd coefficients = Eigen::MatrixXd::Zero(vectors, d);
    Eigen::VectorXd intercepts = Eigen::VectorXd::Zero(vectors);
    const auto store = [&](int k, const Eigen::VectorXd& w) {
        coefficients.row(k) = w.head(d).transpose();
        intercepts(k) = m_fitIntercept ? w(d) : 0.0;
    };

    FitReport report;
    const bool monitored = data.monitorX.rows() > 0;
    const int totalPasses = vectors * m_maxIter;
    int passesBefore = 0; // passes of the subproblems already solved
    int lastSnapshot = 0;
    SnapshotThrottle throttle;
    // The training or monitor rows scored by the model so far (classes not yet trained
    // score 0); a pass over them is paced by the throttle.
    const auto takeSnapshot = [&](int step) {
        const auto start = SnapshotThrottle::Clock::now();
        const Eigen::MatrixXd& x = monitored ? data.monitorX : data.x;
        const Eigen::VectorXd& target = monitored ? data.monitorY : data.y;
        Eigen::MatrixXd output = linearScores(x, coefficients, intercepts);
        if (classification && vectors == 1) {
            // Class 1 only where its score is positive, as predict decides.
            Eigen::MatrixXd twoColumns = Eigen::MatrixXd::Zero(output.rows(), 2);
            twoColumns.col(1) = output.col(0);
            output = std::move(twoColumns);
        }
        core::TrainingSnapshot snapshot;
        if (monitored) {
            snapshot = monitorSnapshot(data, output, step, totalPasses, "pass");
        } else {
            snapshot.step = step;
            snapshot.totalSteps = totalPasses;
            snapshot.stepName = "pass";
            snapshot.measuredOn = "training rows";
            if (classification) {
                snapshot.metricName = "training accuracy";
                snapshot.confusion = confusionMatrix(target, rowArgmax(output), data.classCount);
                snapshot.value = accuracyOf(snapshot.confusion);
            } else {
                snapshot.metricName = "training R²";
                snapshot.value = rSquared(target, output.col(0));
            }
        }
        report.curve.push_back(snapshot);
        control.snapshot(snapshot);
        throttle.taken(start);
        lastSnapshot = step;
    };

    const std::vector<double> classWeights =
        classification && m_balanced ? balancedClassWeights(data.y, data.classCount)
                                     : std::vector<double>(static_cast<std::size_t>(std::max(data.classCount, 0)), 1.0);
    int iterations = 0;
    bool converged = true;
    for (int k = 0; k < vectors; ++k) {
        const PassObserver observe = [&](int pass, const Eigen::VectorXd& w) {
            const int step = passesBefore + pass;
            if (throttle.due()) {
                store(k, w);
                takeSnapshot(step);
            }
            std::string stage = "pass ";
            stage.append(std::to_string(pass));
            if (vectors > 1)
                stage.append(" (class ").append(std::to_string(k + 1)).append(" of ").append(std::to_string(vectors)).append(")");
            control.progress(static_cast<double>(step) / totalPasses, stage);
        };
        // Each subproblem has its own stream, so it does not depend on the others.
        core::RandomSource random(core::RandomSource::deriveSeed(data.seed, static_cast<std::uint64_t>(k)));
        Eigen::VectorXd w;
        SolveResult result;
        if (classification) {
            const int positive = vectors == 1 ? 1 : k;
            // liblinear weighs both sides for two classes, only the positive one for
            // one-vs-rest.
            const double cPositive = m_c * classWeights[static_cast<std::size_t>(positive)];
            const double cNegative = vectors == 1 ? m_c * classWeights[0] : m_c;
            std::vector<signed char> signs(static_cast<std::size_t>(rows.rows()));
            std::vector<double> upper(signs.size());
            for (Eigen::Index i = 0; i < rows.rows(); ++i) {
                const bool isPositive = static_cast<int>(data.y(i)) == positive;
                signs[static_cast<std::size_t>(i)] = isPositive ? 1 : -1;
                upper[static_cast<std::size_t>(i)] = isPositive ? cPositive : cNegative;
            }
            result = solveHingeDual(rows, signs, upper, m_tol, m_maxIter, random, control, w, observe);
        } else {
            result = solveEpsilonDual(rows, data.y, m_c, m_epsilon, m_tol, m_maxIter, random, control, w, observe);
        }
        store(k, w);
        passesBefore += result.iterations;
        iterations = std::max(iterations, result.iterations);
        converged = converged && result.converged;
    }
    if (lastSnapshot != passesBefore)
        takeSnapshot(passesBefore);

    report.iterations = iterations;
    report.converged = converged;
    if (converged) {
        report.message = "converged in ";
        report.message.append(std::to_string(iterations)).append(iterations == 1 ? " pass" : " passes");
        if (vectors > 1)
            report.message.append(" (the slowest of ").append(std::to_string(vectors)).append(" one-vs-rest problems)");
    } else {
        report.message = "did not converge in max_iter=";
        report.message.append(std::to_string(m_maxIter));
        report.message.append(" passes — raise max_iter, scale the features or lower C");
    }
    // The last chance to cancel comes before the previous fit is replaced.
    control.progress(1.0, converged ? "converged" : "stopped");
    m_coefficients = std::move(coefficients);
    m_intercepts = std::move(intercepts);
    m_classCount = classification ? data.classCount : 0;
    m_fitted = true;
    return report;
}

Eigen::MatrixXd LinearSvm::scores(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_coefficients.cols(), m_fitted, name());
    return linearScores(x, m_coefficients, m_intercepts);
}

Eigen::MatrixXd LinearSvm::predictProba(const Eigen::MatrixXd&) const
{
    if (m_task == core::TaskType::Regression)
        throw core::InvalidParameter("linear_svm regression predicts numbers, not class probabilities — use predict");
    throw core::InvalidParameter("linear_svm gives decision scores, not class probabilities — use decision scores "
                                 "or predict, or logistic_regression for probabilities");
}

Eigen::MatrixXd LinearSvm::decisionScores(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Regression)
        throw core::InvalidParameter("linear_svm regression has no decision scores — use predict");
    return scores(x);
}

Eigen::VectorXd LinearSvm::predict(const Eigen::MatrixXd& x) const
{
    const Eigen::MatrixXd values = scores(x);
    if (m_task == core::TaskType::Regression)
        return values.col(0);
    if (values.cols() == 1)
        return (values.col(0).array() > 0.0).cast<double>().matrix();
    return rowArgmax(values).cast<double>();
}

io::OnnxModelOutputs LinearSvm::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    const std::string scores = linearScoresOnnx(graph, features, m_coefficients, m_intercepts);
    io::OnnxModelOutputs outputs;
    if (m_task == core::TaskType::Regression) {
        outputs.values = scores;
    } else if (m_coefficients.rows() == 1) {
        // Class 1 where the score is above 0, as predict.
        const std::string positive = graph.addNode("Greater", {scores, graph.constant(std::vector<float>{0.0F}, {1})});
        const std::string index = graph.addNode("Cast", {positive}, {{"to", std::int64_t{7}}});  // 7 = INT64
        outputs.classIndex = graph.addNode("Reshape", {index, graph.constant(std::vector<std::int64_t>{-1}, {1})});
    } else {
        // First maximum on ties, as predict.
        outputs.classIndex = graph.addNode(
            "ArgMax", {scores},
            {{"axis", std::int64_t{1}}, {"keepdims", std::int64_t{0}}, {"select_last_index", std::int64_t{0}}});
    }
    return outputs;
}

Eigen::VectorXd LinearSvm::featureImportances() const
{
    if (!m_fitted)
        return {};
    return m_coefficients.cwiseAbs().colwise().sum().transpose();
}

template <class Archive>
void LinearSvm::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    archive & params;
    if constexpr (Archive::is_loading::value) {
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_classCount & m_coefficients & m_intercepts;
    if constexpr (Archive::is_loading::value) {
        const bool classification = m_task == core::TaskType::Classification;
        const Eigen::Index vectors = classification ? (m_classCount == 2 ? 1 : m_classCount) : 1;
        if (m_fitted && ((classification && m_classCount < 2) || (!classification && m_classCount != 0) ||
                         m_coefficients.rows() != vectors || m_intercepts.size() != vectors ||
                         m_coefficients.cols() < 1))
            throw core::ArchiveError("the saved linear_svm has inconsistent weights — the file is damaged or for the "
                                     "other task; train the model again");
    }
}

void LinearSvm::save(core::OutputArchive& archive) const { archive << *this; }

void LinearSvm::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
