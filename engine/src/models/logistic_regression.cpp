#include "models/logistic_regression.hpp"

#include <cmath>
#include <cstdio>
#include <utility>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/lbfgs.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::models {
namespace {

// log(1 + e^z) without overflow.
double softplus(double z) { return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

double sigmoid(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

std::string formatNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

// scikit-learn's objective for the lbfgs solver: the summed (not averaged) log loss, each
// row's term times its sample weight (class_weight), plus ||W||² / (2C), the intercepts
// not penalised. Parameters are laid out as the weight matrix (features × weight vectors,
// column-major) followed by the intercepts.
class LogisticObjective {
public:
    /// `weights` holds one weight per row, or nothing for weight 1 everywhere.
    LogisticObjective(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int classCount, double c, bool fitIntercept,
                      Eigen::VectorXd weights)
        : m_x(x), m_y(y), m_vectors(classCount == 2 ? 1 : classCount), m_penalty(1.0 / c),
          m_fitIntercept(fitIntercept), m_weights(std::move(weights)),
          m_weightSum(m_weights.size() > 0 ? m_weights.sum() : static_cast<double>(x.rows()))
    {
        if (m_vectors > 1) {
            m_onehot = Eigen::MatrixXd::Zero(x.rows(), m_vectors);
            for (Eigen::Index row = 0; row < x.rows(); ++row)
                m_onehot(row, static_cast<Eigen::Index>(y(row))) = 1.0;
        }
    }

    Eigen::Index parameterCount() const { return (m_x.cols() + (m_fitIntercept ? 1 : 0)) * m_vectors; }
    int vectors() const { return m_vectors; }

    double operator()(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient)
    {
        const Eigen::Index d = m_x.cols();
        const Eigen::Map<const Eigen::MatrixXd> weights(theta.data(), d, m_vectors);
        Eigen::Map<Eigen::MatrixXd> weightGradient(gradient.data(), d, m_vectors);
        computeScores(theta);
        Eigen::MatrixXd pointwise; // d loss / d score, rows × vectors
        if (m_vectors == 1) {
            const auto score = m_scores.col(0).array();
            pointwise = score.unaryExpr([](double z) { return sigmoid(z); }).matrix() - m_y;
            if (m_weights.size() > 0) {
                m_dataLoss = (m_weights.array() * (score.unaryExpr([](double z) { return softplus(z); }) -
                                                   score * m_y.array()))
                                 .sum();
                pointwise.array() *= m_weights.array();
            } else {
                m_dataLoss =
                    score.unaryExpr([](double z) { return softplus(z); }).sum() - (score * m_y.array()).sum();
            }
        } else {
            // Numerically stable log-sum-exp: shift every row by its maximum.
            const Eigen::VectorXd rowMax = m_scores.rowwise().maxCoeff();
            Eigen::ArrayXXd shifted = (m_scores.colwise() - rowMax).array().exp();
            const Eigen::ArrayXd rowSum = shifted.rowwise().sum();
            const Eigen::ArrayXd logSumExp = rowMax.array() + rowSum.log();
            shifted.colwise() /= rowSum;
            pointwise = shifted.matrix() - m_onehot;
            if (m_weights.size() > 0) {
                const Eigen::ArrayXd rowLoss = logSumExp - m_scores.cwiseProduct(m_onehot).rowwise().sum().array();
                m_dataLoss = (m_weights.array() * rowLoss).sum();
                pointwise.array().colwise() *= m_weights.array();
            } else {
                m_dataLoss = logSumExp.sum() - m_scores.cwiseProduct(m_onehot).sum();
            }
        }
        weightGradient.noalias() = m_x.transpose() * pointwise;
        weightGradient += m_penalty * weights;
        if (m_fitIntercept)
            gradient.tail(m_vectors) = pointwise.colwise().sum().transpose();
        return m_dataLoss + 0.5 * m_penalty * weights.squaredNorm();
    }

    /// Class probabilities (rows × classes) and the (weighted) mean log loss at `theta`,
    /// reusing the scores of the last evaluation when it was at the same point.
    Eigen::MatrixXd probabilities(const Eigen::VectorXd& theta, double& meanLogLoss)
    {
        if (theta.size() != m_scoresAt.size() || theta != m_scoresAt) {
            Eigen::VectorXd gradient(theta.size());
            (*this)(theta, gradient);
        }
        meanLogLoss = m_dataLoss / m_weightSum;
        return probabilitiesFromScores(m_scores);
    }

    static Eigen::MatrixXd probabilitiesFromScores(const Eigen::MatrixXd& scores)
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

private:
    void computeScores(const Eigen::VectorXd& theta)
    {
        const Eigen::Index d = m_x.cols();
        const Eigen::Map<const Eigen::MatrixXd> weights(theta.data(), d, m_vectors);
        m_scores.noalias() = m_x * weights;
        if (m_fitIntercept)
            m_scores.rowwise() += theta.tail(m_vectors).transpose();
        m_scoresAt = theta;
    }

    const Eigen::MatrixXd& m_x;
    const Eigen::VectorXd& m_y;
    int m_vectors;
    double m_penalty;
    bool m_fitIntercept;
    Eigen::VectorXd m_weights;
    double m_weightSum;
    Eigen::MatrixXd m_onehot;
    Eigen::MatrixXd m_scores;
    Eigen::VectorXd m_scoresAt;
    double m_dataLoss = 0.0;
};

} // namespace

const std::vector<core::ParamSpec>& LogisticRegression::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"C", core::ParamKind::Real, "1.0", 0.0, 1e12, true, {},
         "Inverse regularisation strength: smaller values shrink the weights more (a simpler model), larger "
         "values follow the training rows more closely."},
        {"max_iter", core::ParamKind::Integer, "100", 1.0, 100000.0, false, {},
         "Iteration limit of the L-BFGS solver; raise it when training reports that it did not converge."},
        {"tol", core::ParamKind::Real, "1e-4", 0.0, 1.0, true, {},
         "The solver stops once every component of the gradient is below this; smaller values train longer "
         "for a more exact optimum."},
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
    LogisticObjective objective(data.x, data.y, data.classCount, m_c, m_fitIntercept, std::move(rowWeights));
    const Eigen::Index d = data.x.cols();
    const int vectors = objective.vectors();
    FitReport report;

    LbfgsSettings settings;
    settings.maxIterations = m_maxIter;
    settings.gradientTolerance = m_tol;
    auto observe = [&](int iteration, const Eigen::VectorXd& theta, double) {
        core::TrainingSnapshot snapshot;
        snapshot.step = iteration;
        snapshot.totalSteps = m_maxIter;
        snapshot.stepName = "iteration";
        snapshot.metricName = "training loss";
        snapshot.measuredOn = "training rows";
        const Eigen::MatrixXd proba = objective.probabilities(theta, snapshot.value);
        snapshot.confusion = confusionMatrix(data.y, rowArgmax(proba), data.classCount);
        report.curve.push_back(snapshot);
        control.snapshot(snapshot);
        std::string stage = "iteration ";
        stage.append(std::to_string(iteration));
        control.progress(static_cast<double>(iteration) / m_maxIter, stage);
    };
    const LbfgsResult result = minimizeLbfgs(
        [&objective](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) { return objective(theta, gradient); },
        Eigen::VectorXd::Zero(objective.parameterCount()), settings, observe);

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

Eigen::MatrixXd LogisticRegression::predictProba(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_coefficients.cols(), m_fitted, name());
    Eigen::MatrixXd scores = x * m_coefficients.transpose();
    scores.rowwise() += m_intercepts.transpose();
    return LogisticObjective::probabilitiesFromScores(scores);
}

Eigen::VectorXd LogisticRegression::predict(const Eigen::MatrixXd& x) const
{
    return rowArgmax(predictProba(x)).cast<double>();
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
