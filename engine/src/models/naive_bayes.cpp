#include "models/naive_bayes.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/onnx_model_export.hpp"
#include "models/numpy_sum.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

// np.mean / np.var along the rows of `x` restricted to `rows` (a C-ordered array: each
// column summed in row order), variance with ddof = 0 from the deviations from the mean.
void meanAndVariance(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& rows, Eigen::RowVectorXd& mean,
                     Eigen::RowVectorXd& variance)
{
    mean.resize(x.cols());
    variance.resize(x.cols());
    const auto count = static_cast<double>(rows.size());
    for (Eigen::Index f = 0; f < x.cols(); ++f) {
        double sum = 0.0;
        for (const Eigen::Index row : rows)
            sum += x(row, f);
        const double average = sum / count;
        double squares = 0.0;
        for (const Eigen::Index row : rows) {
            const double deviation = x(row, f) - average;
            squares += deviation * deviation;
        }
        mean(f) = average;
        variance(f) = squares / count;
    }
}

} // namespace

const std::vector<core::ParamSpec>& GaussianNaiveBayes::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"var_smoothing", core::ParamKind::Real, "1e-9", 0.0, 1.0, true, {},
         "Share of the largest feature variance added to every variance, for numerical stability; raise it when "
         "some feature is (nearly) constant within a class."},
    };
    return table;
}

GaussianNaiveBayes::GaussianNaiveBayes(const core::ParamValues& params)
    : m_params(params), m_smoothing(params.real("var_smoothing"))
{
}

FitReport GaussianNaiveBayes::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, core::TaskType::Classification, name());
    if (data.monitorX.rows() > 0)
        validatePredictionInput(data.monitorX, data.x.cols(), true, name());
    control.progress(0.0, "measuring the classes");
    const Eigen::Index rows = data.x.rows();
    const Eigen::Index features = data.x.cols();
    const int classes = data.classCount;

    std::vector<Eigen::Index> all(static_cast<std::size_t>(rows));
    for (Eigen::Index row = 0; row < rows; ++row)
        all[static_cast<std::size_t>(row)] = row;
    Eigen::RowVectorXd overallMean;
    Eigen::RowVectorXd overallVariance;
    meanAndVariance(data.x, all, overallMean, overallVariance);
    for (Eigen::Index f = 0; f < features; ++f) {
        // Squares of values beyond about 1e154 overflow: the variance would be infinite
        // and every probability NaN.
        if (!std::isfinite(overallMean(f)) || !std::isfinite(overallVariance(f))) {
            std::string message = "feature ";
            message.append(static_cast<std::size_t>(f) < data.featureNames.size()
                               ? "'" + data.featureNames[static_cast<std::size_t>(f)] + "'"
                               : "number " + std::to_string(f + 1));
            message.append(" has values too large for ").append(name());
            message.append(" to measure their spread (its variance overflows) — rescale the feature, e.g. with a "
                           "'Scale numbers' step");
            throw core::DataError(message);
        }
    }
    const double widest = overallVariance.maxCoeff();
    if (!(widest > 0.0))
        throw core::DataError("every feature is constant in the training rows (or varies too little to measure) — " +
                              name() + " needs at least one feature that varies; drop the constant features or "
                              "rescale tiny ones");
    const double epsilon = m_smoothing * widest;

    std::vector<std::vector<Eigen::Index>> members(static_cast<std::size_t>(classes));
    for (Eigen::Index row = 0; row < rows; ++row)
        members[static_cast<std::size_t>(data.y(row))].push_back(row);
    Eigen::MatrixXd means = Eigen::MatrixXd::Zero(classes, features);
    Eigen::MatrixXd variances = Eigen::MatrixXd::Zero(classes, features);
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(classes);
    for (int c = 0; c < classes; ++c) {
        const auto& rowsOfClass = members[static_cast<std::size_t>(c)];
        if (!rowsOfClass.empty()) {
            Eigen::RowVectorXd mean;
            Eigen::RowVectorXd variance;
            meanAndVariance(data.x, rowsOfClass, mean, variance);
            means.row(c) = mean;
            variances.row(c) = variance;
        }
        counts(c) = static_cast<double>(rowsOfClass.size());
        control.progress(0.8 * (c + 1) / classes);
    }
    variances.array() += epsilon;
    const Eigen::VectorXd prior = counts / counts.sum();

    FitReport report;
    report.iterations = 1;
    // Commit on a copy first: the snapshot needs the fitted model, and a cancel must leave
    // the previous fit in place.
    GaussianNaiveBayes fitted(m_params);
    fitted.m_means = means;
    fitted.m_variances = variances;
    fitted.m_prior = prior;
    fitted.m_epsilon = epsilon;
    fitted.m_fitted = true;
    core::TrainingSnapshot snapshot;
    if (data.monitorX.rows() > 0) {
        snapshot = monitorSnapshot(data, fitted.predictProba(data.monitorX), 1, 1, "fit");
    } else {
        snapshot.step = 1;
        snapshot.totalSteps = 1;
        snapshot.stepName = "fit";
        snapshot.measuredOn = "training rows";
        snapshot.metricName = "training accuracy";
        snapshot.confusion = confusionMatrix(data.y, rowArgmax(fitted.predictProba(data.x)), classes);
        snapshot.value = accuracyOf(snapshot.confusion);
    }
    report.curve.push_back(snapshot);
    control.snapshot(snapshot);
    report.message = "Gaussian likelihoods of ";
    report.message.append(std::to_string(features)).append(" features in ").append(std::to_string(classes));
    report.message.append(" classes");
    control.progress(1.0, "fitted");
    m_means = std::move(fitted.m_means);
    m_variances = std::move(fitted.m_variances);
    m_prior = std::move(fitted.m_prior);
    m_epsilon = epsilon;
    m_fitted = true;
    return report;
}

Eigen::MatrixXd GaussianNaiveBayes::jointLogLikelihood(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_means.cols(), m_fitted, name());
    const Eigen::Index rows = x.rows();
    const Eigen::Index features = x.cols();
    const auto classes = static_cast<Eigen::Index>(m_prior.size());
    Eigen::MatrixXd joint(rows, classes);
    std::vector<double> terms(static_cast<std::size_t>(features));
    for (Eigen::Index c = 0; c < classes; ++c) {
        if (m_prior(c) == 0.0) {
            joint.col(c).setConstant(-std::numeric_limits<double>::infinity());
            continue;
        }
        const double logPrior = std::log(m_prior(c));
        for (Eigen::Index f = 0; f < features; ++f)
            terms[static_cast<std::size_t>(f)] = std::log(2.0 * std::numbers::pi * m_variances(c, f));
        const double normaliser = -0.5 * numpySum(terms.data(), features);
        for (Eigen::Index row = 0; row < rows; ++row) {
            for (Eigen::Index f = 0; f < features; ++f) {
                const double deviation = x(row, f) - m_means(c, f);
                terms[static_cast<std::size_t>(f)] = deviation * deviation / m_variances(c, f);
            }
            joint(row, c) = logPrior + (normaliser - 0.5 * numpySum(terms.data(), features));
        }
    }
    return joint;
}

Eigen::MatrixXd GaussianNaiveBayes::predictLogProba(const Eigen::MatrixXd& x) const
{
    Eigen::MatrixXd joint = jointLogLikelihood(x);
    // scipy.special.logsumexp per row: shift by the (finite) maximum, sum the exponentials.
    std::vector<double> shifted(static_cast<std::size_t>(joint.cols()));
    for (Eigen::Index row = 0; row < joint.rows(); ++row) {
        double top = joint.row(row).maxCoeff();
        if (!std::isfinite(top))
            top = 0.0;
        for (Eigen::Index c = 0; c < joint.cols(); ++c)
            shifted[static_cast<std::size_t>(c)] = std::exp(joint(row, c) - top);
        const double logSum = std::log(numpySum(shifted.data(), joint.cols())) + top;
        joint.row(row).array() -= logSum;
    }
    return joint;
}

Eigen::MatrixXd GaussianNaiveBayes::predictProba(const Eigen::MatrixXd& x) const
{
    // std::exp, not Eigen's vectorised exp, which turns -inf (a class without rows) into a
    // tiny positive number instead of 0.
    return predictLogProba(x).unaryExpr([](double value) { return std::exp(value); });
}

Eigen::VectorXd GaussianNaiveBayes::predict(const Eigen::MatrixXd& x) const
{
    return rowArgmax(predictProba(x)).cast<double>();
}

io::OnnxModelOutputs GaussianNaiveBayes::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    // float64 throughout: a class's joint log-likelihood can be large next to the gaps
    // between classes that decide the probabilities, which float32 would blur.
    constexpr std::int64_t kOnnxFloat = 1;
    constexpr std::int64_t kOnnxDouble = 11;
    const auto classes = static_cast<std::int64_t>(m_prior.size());
    const auto featureCount = static_cast<std::int64_t>(m_means.cols());
    std::vector<double> means;
    std::vector<double> variances;
    std::vector<double> logPriors;
    std::vector<double> normalisers;
    std::vector<double> terms(static_cast<std::size_t>(featureCount));
    for (Eigen::Index c = 0; c < m_means.rows(); ++c) {
        for (Eigen::Index f = 0; f < m_means.cols(); ++f) {
            means.push_back(m_means(c, f));
            variances.push_back(m_variances(c, f));
            terms[static_cast<std::size_t>(f)] = std::log(2.0 * std::numbers::pi * m_variances(c, f));
        }
        // A class without training rows: log 0 = -inf, so its probability comes out 0.
        logPriors.push_back(m_prior(c) == 0.0 ? -std::numeric_limits<double>::infinity() : std::log(m_prior(c)));
        normalisers.push_back(-0.5 * numpySum(terms.data(), featureCount));
    }
    const std::string x = graph.addNode("Cast", {features}, {{"to", kOnnxDouble}});
    const std::string rows = graph.addNode("Unsqueeze", {x, graph.constant(std::vector<std::int64_t>{1}, {1})});
    const std::string deviations = graph.addNode("Sub", {rows, doubleConstant(graph, means, {1, classes, featureCount})});
    const std::string squares = graph.addNode("Mul", {deviations, deviations});
    const std::string scaled =
        graph.addNode("Div", {squares, doubleConstant(graph, variances, {1, classes, featureCount})});
    const std::string sums = graph.addNode("ReduceSum", {scaled, graph.constant(std::vector<std::int64_t>{2}, {1})},
                                           {{"keepdims", std::int64_t{0}}});
    const std::string half = graph.addNode("Mul", {sums, doubleConstant(graph, {0.5}, {1})});
    const std::string likelihoods = graph.addNode("Sub", {doubleConstant(graph, normalisers, {classes}), half});
    const std::string joint = graph.addNode("Add", {doubleConstant(graph, logPriors, {classes}), likelihoods});
    const std::string probabilities = graph.addNode("Softmax", {joint}, {{"axis", std::int64_t{1}}});
    io::OnnxModelOutputs outputs;
    // The class from the float64 probabilities: classes a float32 rounding would tie keep
    // our order.
    outputs.classIndex = graph.addNode("ArgMax", {probabilities},
                                       {{"axis", std::int64_t{1}}, {"keepdims", std::int64_t{0}}});
    outputs.probabilities = graph.addNode("Cast", {probabilities}, {{"to", kOnnxFloat}});
    return outputs;
}

template <class Archive>
void GaussianNaiveBayes::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    archive & params;
    if constexpr (Archive::is_loading::value) {
        m_params = restoreParams(paramTable(), params, name());
        m_smoothing = m_params.real("var_smoothing");
    }
    archive & m_fitted & m_means & m_variances & m_prior & m_epsilon;
    if constexpr (Archive::is_loading::value) {
        if (m_fitted) {
            const bool consistent = m_prior.size() >= 2 && m_means.rows() == m_prior.size() && m_means.cols() >= 1 &&
                                    m_variances.rows() == m_means.rows() && m_variances.cols() == m_means.cols() &&
                                    m_means.allFinite() && m_variances.allFinite() && (m_variances.array() > 0.0).all() &&
                                    (m_prior.array() >= 0.0).all() && std::abs(m_prior.sum() - 1.0) < 1e-9;
            if (!consistent)
                throw core::ArchiveError("the saved naive_bayes has inconsistent class statistics — the file is "
                                         "damaged or from another program; train the model again");
        }
    }
}

void GaussianNaiveBayes::save(core::OutputArchive& archive) const { archive << *this; }

void GaussianNaiveBayes::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
