#include "models/logistic_regression.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/lbfgs.hpp"
#include "models/linear_onnx.hpp"
#include "models/row_chunks.hpp"
#include "models/snapshot_throttle.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

double sigmoid(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

std::string formatNumber(double value)
{
    return core::formatGeneral(value, 3);
}

// Class probabilities from decision scores: the sigmoid of the single score for two
// classes, the softmax of the row for more.
Eigen::MatrixXd probabilitiesFromScores(const Eigen::MatrixXd& scores)
{
    if (scores.cols() == 1) {
        Eigen::MatrixXd proba(scores.rows(), 2);
        proba.col(1) = scores.col(0).unaryExpr([](double z) { return sigmoid(z); });
        proba.col(0) = (1.0 - proba.col(1).array()).matrix();
        return proba;
    }
    const Eigen::VectorXd rowMax = scores.rowwise().maxCoeff();
    Eigen::ArrayXXd shifted = (scores.colwise() - rowMax).array().exp();
    const Eigen::ArrayXd rowSum = shifted.rowwise().sum();
    shifted.colwise() /= rowSum;
    return shifted.matrix();
}

// scikit-learn's smooth objective: the summed (not averaged) log loss, each row's term
// times its sample weight (class_weight), plus l2·||W||²/2, the intercepts not
// penalised. Parameters are laid out as the weight matrix (features × weight vectors,
// column-major) followed by the intercepts.
//
// One evaluation reads X once: the rows are processed in cache-sized blocks, each block's
// scores, loss and gradient contribution computed before the next block is read. Chunks
// of blocks run in parallel and are reduced in chunk order (RowChunks), so the value and
// gradient are bit-identical for any thread count. Nothing of size rows × classes is
// allocated.
class LogisticObjective {
public:
    /// `weights` holds one weight per row, or nothing for weight 1 everywhere.
    LogisticObjective(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int classCount, double l2,
                      bool fitIntercept, Eigen::VectorXd weights)
        : m_x(x), m_y(y), m_classes(classCount), m_vectors(classCount == 2 ? 1 : classCount), m_l2(l2),
          m_fitIntercept(fitIntercept), m_weights(std::move(weights)),
          m_weightSum(m_weights.size() > 0 ? m_weights.sum() : static_cast<double>(x.rows())),
          m_chunks(x.rows(), x.cols()),
          m_chunkGradients(parameterCountFor(x.cols()), m_chunks.count()),
          m_chunkLoss(m_chunks.count()),
          m_chunkConfusion(static_cast<std::size_t>(m_chunks.count() * classCount * classCount))
    {
    }

    Eigen::Index parameterCount() const { return parameterCountFor(m_x.cols()); }
    int vectors() const { return m_vectors; }

    double operator()(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient)
    {
        const Eigen::Index d = m_x.cols();
        const Eigen::Map<const Eigen::MatrixXd> weights(theta.data(), d, m_vectors);
        m_chunks.run([&](Eigen::Index chunk) { evaluateChunk(chunk, theta); });

        gradient = m_chunkGradients.col(0);
        m_dataLoss = m_chunkLoss(0);
        for (Eigen::Index chunk = 1; chunk < m_chunks.count(); ++chunk) {
            gradient += m_chunkGradients.col(chunk);
            m_dataLoss += m_chunkLoss(chunk);
        }
        Eigen::Map<Eigen::MatrixXd> weightGradient(gradient.data(), d, m_vectors);
        weightGradient += m_l2 * weights;
        m_evaluatedAt = theta;
        return m_dataLoss + 0.5 * m_l2 * weights.squaredNorm();
    }

    /// The (weighted) mean log loss and the confusion matrix on the training rows at
    /// `theta`, reusing the last evaluation when it was at the same point (the solvers
    /// always evaluate the point they accept last).
    double trainingLoss(const Eigen::VectorXd& theta, std::vector<std::vector<std::int64_t>>& confusion)
    {
        if (theta.size() != m_evaluatedAt.size() || theta != m_evaluatedAt) {
            Eigen::VectorXd gradient(theta.size());
            (*this)(theta, gradient);
        }
        const auto k = static_cast<std::size_t>(m_classes);
        confusion.assign(k, std::vector<std::int64_t>(k, 0));
        for (Eigen::Index chunk = 0; chunk < m_chunks.count(); ++chunk)
            for (std::size_t cell = 0; cell < k * k; ++cell)
                confusion[cell / k][cell % k] += m_chunkConfusion[static_cast<std::size_t>(chunk) * k * k + cell];
        return m_dataLoss / m_weightSum;
    }

private:
    Eigen::Index parameterCountFor(Eigen::Index features) const
    {
        return (features + (m_fitIntercept ? 1 : 0)) * m_vectors;
    }

    void evaluateChunk(Eigen::Index chunk, const Eigen::VectorXd& theta)
    {
        const Eigen::Index d = m_x.cols();
        const Eigen::Map<const Eigen::MatrixXd> weights(theta.data(), d, m_vectors);
        auto gradient = m_chunkGradients.col(chunk);
        gradient.setZero();
        Eigen::Map<Eigen::MatrixXd> weightGradient(gradient.data(), d, m_vectors);
        const auto k = static_cast<std::size_t>(m_classes);
        std::int64_t* confusion = m_chunkConfusion.data() + static_cast<std::size_t>(chunk) * k * k;
        std::fill(confusion, confusion + k * k, 0);
        double loss = 0.0;
        Eigen::MatrixXd scores(m_chunks.blockRows(), m_vectors); // becomes d loss / d score
        m_chunks.forEachBlock(chunk, [&](Eigen::Index begin, Eigen::Index size) {
            for (Eigen::Index k = 0; k < m_vectors; ++k)
                blockTimesVector(m_x, begin, size, weights.col(k).data(), scores.col(k).data());
            auto blockScores = scores.topRows(size);
            if (m_fitIntercept)
                blockScores.rowwise() += theta.tail(m_vectors).transpose();
            loss += m_vectors == 1 ? binaryRows(begin, blockScores, confusion)
                                   : multinomialRows(begin, blockScores, confusion);
            for (Eigen::Index k = 0; k < m_vectors; ++k)
                blockTransposeTimesVector(m_x, begin, size, scores.col(k).data(), weightGradient.col(k).data());
            if (m_fitIntercept)
                gradient.tail(m_vectors) += blockScores.colwise().sum().transpose();
        });
        m_chunkLoss(chunk) = loss;
    }

    // Log loss of the rows from `begin` with scores `z`, which are overwritten with the
    // derivative of the loss by the score, (sigmoid(z) − y)·weight.
    //
    // The loss of a row is max(z, 0) + log(1 + e) − y·z with e = exp(−|z|), the same
    // exponential giving the sigmoid. Without row weights the logs are taken of products of
    // up to kLogGroup factors 1 + e ∈ (1, 2] (at most 2^128, far from overflow): one log
    // per group instead of one per row, the costliest call here. Each product adds a
    // relative rounding error of at most kLogGroup·2⁻⁵³, so the error per row stays near
    // 1e-16 — as with one log per row, and far below what the solver's tests can see.
    template <class Scores>
    double binaryRows(Eigen::Index begin, Scores& z, std::int64_t* confusion) const
    {
        constexpr int kLogGroup = 128;
        const bool weighted = m_weights.size() > 0;
        double loss = 0.0;
        double product = 1.0;
        int factors = 0;
        for (Eigen::Index i = 0; i < z.rows(); ++i) {
            const Eigen::Index row = begin + i;
            const double score = z(i, 0);
            const double target = m_y(row);
            const double e = std::exp(-std::abs(score));
            const double p = score >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            const double linear = (score > 0.0 ? score : 0.0) - target * score;
            double derivative = p - target;
            if (weighted) {
                const double weight = m_weights(row);
                loss += (linear + std::log(1.0 + e)) * weight;
                derivative *= weight;
            } else {
                loss += linear;
                product *= 1.0 + e;
                if (++factors == kLogGroup) {
                    loss += std::log(product);
                    product = 1.0;
                    factors = 0;
                }
            }
            z(i, 0) = derivative;
            // predict's rule: class 1 only when its probability is the larger one.
            const int predicted = p > 1.0 - p ? 1 : 0;
            ++confusion[static_cast<std::size_t>(target) * 2 + static_cast<std::size_t>(predicted)];
        }
        if (factors > 0)
            loss += std::log(product);
        return loss;
    }

    // Multinomial log loss (log-sum-exp shifted by the row maximum) of the rows from
    // `begin`; the scores become softmax − one-hot, times the row weight.
    template <class Scores>
    double multinomialRows(Eigen::Index begin, Scores& s, std::int64_t* confusion) const
    {
        const auto k = static_cast<std::size_t>(m_classes);
        double loss = 0.0;
        for (Eigen::Index i = 0; i < s.rows(); ++i) {
            const Eigen::Index row = begin + i;
            const auto target = static_cast<Eigen::Index>(m_y(row));
            double rowMax = s(i, 0);
            for (Eigen::Index c = 1; c < m_vectors; ++c)
                rowMax = std::max(rowMax, s(i, c));
            const double targetScore = s(i, target);
            double sum = 0.0;
            for (Eigen::Index c = 0; c < m_vectors; ++c) {
                const double e = std::exp(s(i, c) - rowMax);
                s(i, c) = e;
                sum += e;
            }
            double rowLoss = rowMax + std::log(sum) - targetScore;
            const double weight = m_weights.size() > 0 ? m_weights(row) : 1.0;
            Eigen::Index predicted = 0;
            double best = -1.0;
            for (Eigen::Index c = 0; c < m_vectors; ++c) {
                const double p = s(i, c) / sum;
                if (p > best) {
                    best = p;
                    predicted = c;
                }
                s(i, c) = (p - (c == target ? 1.0 : 0.0)) * weight;
            }
            loss += rowLoss * weight;
            ++confusion[static_cast<std::size_t>(target) * k + static_cast<std::size_t>(predicted)];
        }
        return loss;
    }

    const Eigen::MatrixXd& m_x;
    const Eigen::VectorXd& m_y;
    int m_classes;
    int m_vectors;
    double m_l2;
    bool m_fitIntercept;
    Eigen::VectorXd m_weights;
    double m_weightSum;
    RowChunks m_chunks;
    Eigen::MatrixXd m_chunkGradients;
    Eigen::VectorXd m_chunkLoss;
    std::vector<std::int64_t> m_chunkConfusion;
    Eigen::VectorXd m_evaluatedAt;
    double m_dataLoss = 0.0;
};

} // namespace

const std::vector<core::ParamSpec>& LogisticRegression::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"C", core::ParamKind::Real, "1.0", 0.0, 1e12, true, {},
         "Inverse regularisation strength: smaller values shrink the weights more (a simpler model), larger "
         "values follow the training rows more closely."},
        {"penalty", core::ParamKind::Choice, "l2", 0.0, 0.0, false, {"l2", "l1", "elasticnet", "none"},
         "How the weights are kept small: l2 shrinks all of them smoothly, l1 sets the least useful ones to "
         "exactly zero (a sparse model that selects features), elasticnet mixes both by l1_ratio, none fits "
         "without any penalty (C is then ignored)."},
        {"l1_ratio", core::ParamKind::Real, "0.5", 0.0, 1.0, false, {},
         "Only for penalty=elasticnet: the share of the l1 part in the penalty, from 0 (pure l2) to 1 (pure "
         "l1)."},
        {"max_iter", core::ParamKind::Integer, "100", 1.0, 100000.0, false, {},
         "Iteration limit of the solver; raise it when training reports that it did not converge."},
        {"tol", core::ParamKind::Real, "1e-4", 0.0, 1.0, true, {},
         "When to stop: l2 and none stop once every component of the gradient is below tol or the loss stops "
         "decreasing (scikit-learn's lbfgs), l1 and elasticnet once an iteration changes no weight by more "
         "than tol times the largest weight (scikit-learn's saga); smaller values train longer for a more "
         "exact optimum."},
        {"fit_intercept", core::ParamKind::Boolean, "true", 0.0, 0.0, false, {},
         "Learn a constant term besides the weights; turn it off only when the features are centred and the "
         "decision boundary must pass through the origin."},
        {"class_weight", core::ParamKind::Choice, "none", 0.0, 0.0, false, {"none", "balanced"},
         "balanced weighs each class by rows / (classes × rows of the class), so a rare class counts as much "
         "as a common one in the loss and is predicted more often; none counts every row once."},
    };
    return table;
}

LogisticRegression::LogisticRegression(const core::ParamValues& params) : m_params(params) { applyParams(); }

void LogisticRegression::applyParams()
{
    m_c = m_params.real("C");
    m_penalty = m_params.text("penalty");
    m_l1Ratio = m_params.real("l1_ratio");
    m_maxIter = static_cast<int>(m_params.integer("max_iter"));
    m_tol = m_params.real("tol");
    m_fitIntercept = m_params.boolean("fit_intercept");
    m_balanced = m_params.isWord("class_weight", "balanced");
}

FitReport LogisticRegression::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, core::TaskType::Classification, name());

    // scikit-learn multiplies each row's loss by the weight of its class (for two classes
    // computed on the 0/1 target, which gives the same weights).
    Eigen::VectorXd rowWeights;
    if (m_balanced) {
        const std::vector<double> classWeights = balancedClassWeights(data.y, data.classCount);
        rowWeights.resize(data.y.size());
        for (Eigen::Index row = 0; row < data.y.size(); ++row)
            rowWeights(row) = classWeights[static_cast<std::size_t>(data.y(row))];
    }
    // Dividing scikit-learn's objective C·loss + penalty by C gives the same optimum with
    // the penalty strengths below; the solvers see loss + l2·||W||²/2 + l1·||W||₁.
    double l1 = 0.0;
    double l2 = 0.0;
    if (m_penalty == "l2") {
        l2 = 1.0 / m_c;
    } else if (m_penalty == "l1") {
        l1 = 1.0 / m_c;
    } else if (m_penalty == "elasticnet") {
        l1 = m_l1Ratio / m_c;
        l2 = (1.0 - m_l1Ratio) / m_c;
    }
    LogisticObjective objective(data.x, data.y, data.classCount, l2, m_fitIntercept, std::move(rowWeights));
    const Eigen::Index d = data.x.cols();
    const int vectors = objective.vectors();
    FitReport report;

    LbfgsSettings settings;
    settings.maxIterations = m_maxIter;
    settings.gradientTolerance = m_tol;
    const bool monitored = data.monitorX.rows() > 0;
    SnapshotThrottle throttle;
    int lastSnapshot = 0;
    // Training rows: the loss and confusion of the evaluation just made, free every
    // iteration. Monitor rows: a pass over them, paced by the throttle.
    const auto takeSnapshot = [&](int iteration, const Eigen::VectorXd& theta) {
        const auto start = SnapshotThrottle::Clock::now();
        core::TrainingSnapshot snapshot;
        if (monitored) {
            const Eigen::Map<const Eigen::MatrixXd> weights(theta.data(), d, vectors);
            const Eigen::VectorXd intercepts =
                m_fitIntercept ? Eigen::VectorXd(theta.tail(vectors)) : Eigen::VectorXd::Zero(vectors);
            const Eigen::MatrixXd proba =
                probabilitiesFromScores(linearScores(data.monitorX, weights.transpose(), intercepts));
            snapshot = monitorSnapshot(data, proba, iteration, m_maxIter, "iteration");
        } else {
            snapshot.step = iteration;
            snapshot.totalSteps = m_maxIter;
            snapshot.stepName = "iteration";
            snapshot.metricName = "training loss";
            snapshot.measuredOn = "training rows";
            snapshot.value = objective.trainingLoss(theta, snapshot.confusion);
        }
        report.curve.push_back(snapshot);
        control.snapshot(snapshot);
        throttle.taken(start);
        lastSnapshot = iteration;
    };
    auto observe = [&](int iteration, const Eigen::VectorXd& theta, double) {
        if (!monitored || throttle.due())
            takeSnapshot(iteration, theta);
        std::string stage = "iteration ";
        stage.append(std::to_string(iteration));
        control.progress(static_cast<double>(iteration) / m_maxIter, stage);
    };
    // One evaluation is a pass over all rows; checking before each keeps cancel prompt
    // even inside a long line search.
    auto smooth = [&objective, &control](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
        control.checkCancelled();
        return objective(theta, gradient);
    };
    const Eigen::VectorXd start = Eigen::VectorXd::Zero(objective.parameterCount());
    LbfgsResult result;
    if (l1 > 0.0) {
        Eigen::VectorXd l1Weights = Eigen::VectorXd::Constant(objective.parameterCount(), l1);
        if (m_fitIntercept)
            l1Weights.tail(vectors).setZero();
        // saga's stopping rule, so tol means what it means there: the weights changed by
        // less than tol relative to the largest. The loss-change test is only a guard
        // against steps that no longer lower the loss at all.
        settings.gradientTolerance = 0.0;
        settings.relativeReduction = 0.0;
        settings.relativeStep = m_tol;
        result = minimizeOwlqn(smooth, start, l1Weights, settings, observe);
    } else {
        result = minimizeLbfgs(smooth, start, settings, observe);
    }

    if (result.iterations > lastSnapshot)
        takeSnapshot(result.iterations, result.x);
    report.iterations = result.iterations;
    const double maxGradient = result.gradient.lpNorm<Eigen::Infinity>();
    const std::string iterations = std::to_string(result.iterations);
    const std::string gradient = formatNumber(maxGradient);
    std::string& message = report.message;
    switch (result.stop) {
    case LbfgsStop::GradientSmall:
        message.append("converged in ").append(iterations).append(" iterations (max |gradient| = ");
        message.append(gradient).append(" <= tol)");
        break;
    case LbfgsStop::ReductionSmall:
        message.append("converged in ").append(iterations).append(" iterations (the loss stopped decreasing)");
        break;
    case LbfgsStop::StepSmall:
        message.append("converged in ").append(iterations);
        message.append(" iterations (the weights changed by less than tol relative to the largest)");
        break;
    case LbfgsStop::IterationLimit:
        report.converged = false;
        message.append("did not converge in max_iter=").append(std::to_string(m_maxIter));
        message.append(" iterations (max |gradient| = ").append(gradient);
        message.append(") — raise max_iter or scale the features");
        break;
    case LbfgsStop::LineSearchFailed:
        report.converged = false;
        message.append("the solver stopped after ").append(iterations);
        message.append(" iterations because no step lowered the loss (max |gradient| = ").append(gradient);
        message.append(") — scale the features or lower C");
        break;
    }

    // The last chance to cancel comes before the previous fit is replaced.
    control.progress(1.0, report.converged ? "converged" : "stopped");
    const Eigen::Map<const Eigen::MatrixXd> weights(result.x.data(), d, vectors);
    m_coefficients = weights.transpose();
    m_intercepts = m_fitIntercept ? Eigen::VectorXd(result.x.tail(vectors)) : Eigen::VectorXd::Zero(vectors);
    m_classCount = data.classCount;
    m_fitted = true;
    return report;
}

Eigen::MatrixXd LogisticRegression::decisionScores(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_coefficients.cols(), m_fitted, name());
    return linearScores(x, m_coefficients, m_intercepts);
}

Eigen::MatrixXd LogisticRegression::predictProba(const Eigen::MatrixXd& x) const
{
    return probabilitiesFromScores(decisionScores(x));
}

Eigen::VectorXd LogisticRegression::predict(const Eigen::MatrixXd& x) const
{
    return rowArgmax(predictProba(x)).cast<double>();
}

io::OnnxModelOutputs LogisticRegression::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    const std::string scores = linearScoresOnnx(graph, features, m_coefficients, m_intercepts);
    io::OnnxModelOutputs outputs;
    if (m_coefficients.rows() == 1) {
        const std::string positive = graph.addNode("Sigmoid", {scores});
        const std::string negative = graph.addNode("Sub", {graph.constant(std::vector<float>{1.0F}, {1}), positive});
        outputs.probabilities = graph.addNode("Concat", {negative, positive}, {{"axis", std::int64_t{1}}});
    } else {
        outputs.probabilities = graph.addNode("Softmax", {scores}, {{"axis", std::int64_t{1}}});
    }
    return outputs;
}

Eigen::VectorXd LogisticRegression::featureImportances() const
{
    if (!m_fitted)
        return {};
    return m_coefficients.cwiseAbs().colwise().sum().transpose();
}

template <class Archive>
void LogisticRegression::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    archive & params;
    if constexpr (Archive::is_loading::value) {
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_classCount & m_coefficients & m_intercepts;
    if constexpr (Archive::is_loading::value) {
        const Eigen::Index vectors = m_classCount == 2 ? 1 : m_classCount;
        if (m_fitted && (m_classCount < 2 || m_coefficients.rows() != vectors || m_intercepts.size() != vectors ||
                         m_coefficients.cols() < 1))
            throw core::ArchiveError("the saved logistic_regression has inconsistent weights — the file is damaged; "
                                     "train the model again");
    }
}

void LogisticRegression::save(core::OutputArchive& archive) const { archive << *this; }

void LogisticRegression::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
