#include "models/gradient_boosting.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <sstream>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "io/eigen_serialization.hpp"
#include "models/onnx_model_export.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/io/onnx_graph.hpp"
#include "stepwise/prep/split.hpp"

namespace stepwise::models {
namespace {

// _BinMapper's subsample: bin edges come from at most this many training rows.
constexpr std::size_t kBinningSubsample = 200000;
// early_stopping="auto" turns it on above this many rows.
constexpr Eigen::Index kAutoEarlyStoppingRows = 10000;
// Streams of Dataset::seed for the two random draws of a fit.
constexpr std::uint64_t kValidationStream = 1;
constexpr std::uint64_t kBinningStream = 2;
// Below this many rows, per-row loops stay on one thread.
constexpr Eigen::Index kParallelRows = 8192;

enum class Loss { Binomial, Multinomial, SquaredError };

// numpy's pairwise summation (add.reduce on a contiguous float64 array), so that means
// of losses and targets are bit-identical to np.mean's.
double pairwiseSum(const double* values, std::size_t count)
{
    if (count < 8) {
        double sum = 0.0;
        for (std::size_t i = 0; i < count; ++i)
            sum += values[i];
        return sum;
    }
    if (count <= 128) {
        double r[8];
        for (int j = 0; j < 8; ++j)
            r[j] = values[j];
        std::size_t i = 8;
        for (; i < count - count % 8; i += 8)
            for (int j = 0; j < 8; ++j)
                r[j] += values[i + static_cast<std::size_t>(j)];
        double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < count; ++i)
            sum += values[i];
        return sum;
    }
    std::size_t half = count / 2;
    half -= half % 8;
    return pairwiseSum(values, half) + pairwiseSum(values + half, count - half);
}

// np.mean: the reduction runs over buffers of 8192 values, each summed pairwise.
double numpyMean(const std::vector<double>& values)
{
    constexpr std::size_t kBuffer = 8192;
    double sum = 0.0;
    for (std::size_t start = 0; start < values.size(); start += kBuffer)
        sum += pairwiseSum(values.data() + start, std::min(kBuffer, values.size() - start));
    return sum / static_cast<double>(values.size());
}

// log1p through log, which is several times faster in glibc: log(w) · u / (w − 1) with
// w = 1 + u is accurate to a few units in the last place (Goldberg's correction).
double log1pFast(double u)
{
    const double w = 1.0 + u;
    if (w == 1.0)
        return u;
    return std::log(w) * (u / (w - 1.0));
}

// Everything one fit works on: the training rows (binned), their targets and raw
// predictions (column-major, rows × outputs, as scikit-learn's order="F" arrays).
struct RawState {
    std::vector<double> y;
    std::vector<double> raw;
    std::size_t rows = 0;
    int outputs = 1;
};

// One pass over the rows of `state` at its current raw predictions, computing what is
// asked for: the float32 gradients and hessians of every output (scikit-learn's
// gradient_hessian), the per-row loss (its loss(), before the mean), and the confusion
// matrix of the predicted classes (classification; classCount × classCount, zeroed),
// counted per thread and added up, so it does not depend on the thread count. One pass
// serves both the next iteration's gradients and the last iteration's training loss.
struct RowPass {
    float* gradients = nullptr;
    float* hessians = nullptr;
    std::vector<double>* losses = nullptr;
    std::vector<std::vector<std::int64_t>>* confusion = nullptr;
};

void passOverRows(Loss loss, const RawState& state, const RowPass& pass)
{
    const auto rows = static_cast<Eigen::Index>(state.rows);
    const double* y = state.y.data();
    const double* raw = state.raw.data();
    const std::size_t n = state.rows;
    const int outputs = state.outputs;
    const std::size_t classes = pass.confusion ? pass.confusion->size() : 0;
    float* gradients = pass.gradients;
    float* hessians = pass.hessians;
    double* losses = nullptr;
    if (pass.losses) {
        pass.losses->resize(n);
        losses = pass.losses->data();
    }
#pragma omp parallel if (rows >= kParallelRows)
    {
        std::vector<std::int64_t> counts(classes * classes, 0);
#pragma omp for schedule(static) nowait
        for (Eigen::Index r = 0; r < rows; ++r) {
            const auto i = static_cast<std::size_t>(r);
            if (classes > 0) {
                std::size_t predicted = 0;
                if (outputs == 1) {
                    predicted = raw[i] > 0.0 ? 1 : 0;
                } else {
                    for (int k = 1; k < outputs; ++k)
                        if (raw[static_cast<std::size_t>(k) * n + i] > raw[predicted * n + i])
                            predicted = static_cast<std::size_t>(k);
                }
                ++counts[static_cast<std::size_t>(y[i]) * classes + predicted];
            }
            switch (loss) {
            case Loss::Binomial: {
                const double x = raw[i];
                const double e = std::exp(-x);
                if (gradients) {
                    gradients[i] = static_cast<float>(((1.0 - y[i]) - y[i] * e) / (1.0 + e));
                    hessians[i] = static_cast<float>(e / ((1.0 + e) * (1.0 + e)));
                }
                if (losses) {
                    // log(1 + exp(x)) with _loss.pyx's branches, exp(x) taken as 1 / e.
                    double softplus = x;
                    if (x <= -37.0)
                        softplus = 1.0 / e;
                    else if (x <= 18.0)
                        softplus = log1pFast(1.0 / e);
                    else if (x <= 33.3)
                        softplus = x + e;
                    losses[i] = softplus - y[i] * x;
                }
                break;
            }
            case Loss::SquaredError:
                if (gradients)
                    gradients[i] = static_cast<float>(raw[i] - y[i]);
                if (losses)
                    losses[i] = 0.5 * (raw[i] - y[i]) * (raw[i] - y[i]);
                break;
            case Loss::Multinomial: {
                double maxValue = raw[i];
                for (int k = 1; k < outputs; ++k)
                    maxValue = std::max(maxValue, raw[static_cast<std::size_t>(k) * n + i]);
                double p[256];
                double sumExps = 0.0;
                for (int k = 0; k < outputs; ++k) {
                    p[k] = std::exp(raw[static_cast<std::size_t>(k) * n + i] - maxValue);
                    sumExps += p[k];
                }
                if (gradients) {
                    for (int k = 0; k < outputs; ++k) {
                        const double probability = p[k] / sumExps;
                        const double isClass = y[i] == static_cast<double>(k) ? 1.0 : 0.0;
                        gradients[static_cast<std::size_t>(k) * n + i] = static_cast<float>(probability - isClass);
                        hessians[static_cast<std::size_t>(k) * n + i] =
                            static_cast<float>(probability * (1.0 - probability));
                    }
                }
                if (losses) {
                    double value = std::log(sumExps) + maxValue;
                    value -= raw[static_cast<std::size_t>(y[i]) * n + i];
                    losses[i] = value;
                }
                break;
            }
            }
        }
        if (classes > 0) {
#pragma omp critical(gradient_boosting_confusion)
            for (std::size_t a = 0; a < classes; ++a)
                for (std::size_t p = 0; p < classes; ++p)
                    (*pass.confusion)[a][p] += counts[a * classes + p];
        }
    }
}

// fit_intercept_only of each loss: the raw prediction of a model that knows only the
// target's distribution.
std::vector<double> baselinePrediction(Loss loss, const std::vector<double>& y, int classCount)
{
    const auto rows = static_cast<double>(y.size());
    switch (loss) {
    case Loss::SquaredError:
        return {numpyMean(y)};
    case Loss::Binomial: {
        double positives = 0.0;
        for (double value : y)
            positives += value;
        const double eps = 10.0 * DBL_EPSILON;
        const double p = std::clamp(positives / rows, eps, 1.0 - eps);
        return {std::log(p / (1.0 - p))};
    }
    case Loss::Multinomial: {
        std::vector<double> p(static_cast<std::size_t>(classCount), 0.0);
        for (double value : y)
            p[static_cast<std::size_t>(value)] += 1.0;
        std::vector<double> logs(p.size());
        for (std::size_t k = 0; k < p.size(); ++k) {
            p[k] = std::clamp(p[k] / rows, DBL_EPSILON, 1.0 - DBL_EPSILON);
            logs[k] = std::log(p[k]);
        }
        // The symmetric multinomial logit: log(p_k / geometric mean of p).
        const double geometricMean = std::exp(numpyMean(logs));
        std::vector<double> baseline(p.size());
        for (std::size_t k = 0; k < p.size(); ++k)
            baseline[k] = std::log(p[k] / geometricMean);
        return baseline;
    }
    }
    return {};
}

// BaseHistGradientBoosting._should_stop: stop unless one of the last n scores beats the
// score n + 1 iterations back by more than tol (scores are negated losses).
bool shouldStop(const std::vector<double>& losses, int iterNoChange, double tol)
{
    const std::size_t reference = static_cast<std::size_t>(iterNoChange) + 1;
    if (losses.size() < reference)
        return false;
    const double referenceScore = -losses[losses.size() - reference] + tol;
    for (std::size_t i = losses.size() - reference + 1; i < losses.size(); ++i)
        if (-losses[i] > referenceScore)
            return false;
    return true;
}

Eigen::MatrixXd selectRows(const Eigen::MatrixXd& x, const std::vector<std::size_t>& rows)
{
    Eigen::MatrixXd selected(static_cast<Eigen::Index>(rows.size()), x.cols());
    for (Eigen::Index c = 0; c < x.cols(); ++c)
        for (std::size_t i = 0; i < rows.size(); ++i)
            selected(static_cast<Eigen::Index>(i), c) = x(static_cast<Eigen::Index>(rows[i]), c);
    return selected;
}

// Adds a tree's leaf values to the raw predictions of binned rows (column-major codes).
void addBinnedPredictions(const BoostingTree& tree, const BinnedFeatures& binned, double* raw)
{
    const auto rows = static_cast<Eigen::Index>(binned.rows);
    const std::uint8_t* codes = binned.codes.data();
    const std::size_t stride = binned.rows;
#pragma omp parallel for schedule(static) if (rows >= kParallelRows)
    for (Eigen::Index r = 0; r < rows; ++r) {
        const auto row = static_cast<std::size_t>(r);
        raw[row] += tree.predictBinned([&](std::int32_t f) { return codes[static_cast<std::size_t>(f) * stride + row]; });
    }
}

// Class scores whose first maximum is scikit-learn's predicted class: (0, raw) for two
// classes, so that raw > 0 means class 1 as predict_proba's p > 0.5 does.
Eigen::MatrixXd classScores(const std::vector<double>& raw, std::size_t rows, int outputs)
{
    if (outputs == 1) {
        Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(rows), 2);
        scores.col(1) = Eigen::Map<const Eigen::VectorXd>(raw.data(), static_cast<Eigen::Index>(rows));
        return scores;
    }
    return Eigen::Map<const Eigen::MatrixXd>(raw.data(), static_cast<Eigen::Index>(rows), outputs);
}

std::string formatNumber(double value)
{
    return core::formatGeneral(value, 6);
}

} // namespace

const std::vector<core::ParamSpec>& GradientBoosting::paramTable()
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    static const std::vector<core::ParamSpec> table = {
        {"learning_rate", core::ParamKind::Real, "0.1", 0.0, inf, true, {},
         "Shrinks every tree's contribution: lower values need more iterations but usually generalise "
         "better."},
        {"max_iter", core::ParamKind::Integer, "100", 1.0, 1e6, false, {},
         "Boosting iterations (one tree per iteration, one per class for more than two classes); early "
         "stopping may end sooner."},
        {"max_leaf_nodes", core::ParamKind::Integer, "31", 2.0, 1e9, false, {"none"},
         "Leaves per tree; trees grow best split first until they have this many. More leaves capture "
         "more interactions and overfit sooner."},
        {"max_depth", core::ParamKind::Integer, "none", 1.0, 1e9, false, {"none"},
         "Deepest level a tree may reach; none leaves the size to max_leaf_nodes."},
        {"min_samples_leaf", core::ParamKind::Integer, "20", 1.0, 1e9, false, {},
         "Every leaf keeps at least this many training rows; raise it on noisy or small data."},
        {"l2_regularization", core::ParamKind::Real, "0", 0.0, inf, false, {},
         "L2 penalty on the leaf values; larger values shrink them towards zero."},
        {"max_bins", core::ParamKind::Integer, "255", 2.0, 255.0, false, {},
         "Bins per feature (quantiles of the training values); fewer bins train faster and regularise."},
        {"early_stopping", core::ParamKind::Choice, "auto", 0.0, 0.0, false, {"auto", "true", "false"},
         "Stop when the loss on held-out rows stops improving; auto turns it on above 10,000 training rows "
         "(scikit-learn's scoring='loss')."},
        {"validation_fraction", core::ParamKind::Real, "0.1", 0.0, 1.0, true, {"none"},
         "Share of the training rows held out for early stopping (stratified for classification, drawn "
         "from the seed); none watches the training loss instead. Must be below 1."},
        {"n_iter_no_change", core::ParamKind::Integer, "10", 1.0, 1e9, false, {},
         "Early stopping ends the training when none of this many iterations improved the loss by more "
         "than tol."},
        {"tol", core::ParamKind::Real, "1e-07", 0.0, inf, false, {},
         "The improvement of the loss that counts for early stopping; larger values stop sooner."},
    };
    return table;
}

GradientBoosting::GradientBoosting(core::TaskType task, const core::ParamValues& params)
    : m_task(task), m_params(params)
{
    applyParams();
}

void GradientBoosting::applyParams()
{
    m_learningRate = m_params.real("learning_rate");
    m_maxIter = static_cast<int>(m_params.integer("max_iter"));
    m_maxLeafNodes = m_params.isWord("max_leaf_nodes", "none") ? 0 : static_cast<int>(m_params.integer("max_leaf_nodes"));
    m_maxDepth = m_params.isWord("max_depth", "none") ? 0 : static_cast<int>(m_params.integer("max_depth"));
    m_minSamplesLeaf = static_cast<int>(m_params.integer("min_samples_leaf"));
    m_l2Regularization = m_params.real("l2_regularization");
    m_maxBins = static_cast<int>(m_params.integer("max_bins"));
    m_earlyStopping = m_params.text("early_stopping");
    m_validationFraction = m_params.isWord("validation_fraction", "none") ? 0.0 : m_params.real("validation_fraction");
    if (m_validationFraction >= 1.0)
        throw core::InvalidParameter("gradient_boosting: validation_fraction=" + m_params.text("validation_fraction") +
                                     " would hold out every training row — use a fraction below 1, or none");
    m_iterNoChange = static_cast<int>(m_params.integer("n_iter_no_change"));
    m_tol = m_params.real("tol");
}

FitReport GradientBoosting::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, m_task, name());
    const bool monitored = data.monitorX.rows() > 0;
    if (monitored) {
        validatePredictionInput(data.monitorX, data.x.cols(), true, name());
        if (data.monitorY.size() != data.monitorX.rows())
            throw core::DataError("the validation rows have " + std::to_string(data.monitorX.rows()) +
                                  " feature rows but " + std::to_string(data.monitorY.size()) +
                                  " targets — give one target per validation row");
        for (Eigen::Index r = 0; r < data.monitorY.size(); ++r) {
            const double value = data.monitorY(r);
            const bool ok = m_task == core::TaskType::Regression
                                ? std::isfinite(value)
                                : (value >= 0.0 && value < data.classCount && std::floor(value) == value);
            if (!ok) {
                std::string message = "the target of validation row ";
                message.append(std::to_string(r + 1)).append(" is ");
                message.append(m_task == core::TaskType::Regression ? "missing or infinite"
                                                                    : "not a class index of the training target");
                message.append(" — transform the validation rows like the training rows");
                throw core::DataError(message);
            }
        }
    }
    const bool classification = m_task == core::TaskType::Classification;
    const Loss loss = !classification ? Loss::SquaredError
                                      : (data.classCount > 2 ? Loss::Multinomial : Loss::Binomial);
    const int outputs = loss == Loss::Multinomial ? data.classCount : 1;
    if (outputs > 256)
        throw core::DataError("gradient_boosting handles at most 256 classes, the target has " +
                              std::to_string(outputs) + " — group rare classes together");
    const Eigen::Index allRows = data.x.rows();
    const bool earlyStopping = m_earlyStopping == "auto" ? allRows > kAutoEarlyStoppingRows : m_earlyStopping == "true";
    control.progress(0.0, "binning features");

    // The validation rows early stopping watches, split off before binning as
    // scikit-learn does (its split uses numpy's generator, ours Dataset::seed).
    std::vector<std::size_t> trainRows;
    std::vector<std::size_t> validationRows;
    const bool holdOut = earlyStopping && m_validationFraction > 0.0;
    if (holdOut) {
        std::vector<int> strata;
        if (classification)
            for (Eigen::Index r = 0; r < allRows; ++r)
                strata.push_back(static_cast<int>(data.y(r)));
        try {
            prep::SplitIndices split =
                prep::trainTestSplit(static_cast<std::size_t>(allRows), m_validationFraction,
                                     core::RandomSource::deriveSeed(data.seed, kValidationStream),
                                     classification ? &strata : nullptr);
            trainRows = std::move(split.train);
            validationRows = std::move(split.test);
        } catch (const core::InvalidParameter&) {
            throw core::InvalidParameter("gradient_boosting: validation_fraction=" +
                                         m_params.text("validation_fraction") + " of " + std::to_string(allRows) +
                                         " rows leaves no rows to train on or none to validate — use more rows, "
                                         "another validation_fraction, or early_stopping=false");
        } catch (const core::DataError&) {
            throw core::DataError("gradient_boosting holds out a stratified validation_fraction for early stopping, "
                                  "but a class has a single training row — set early_stopping=false or "
                                  "validation_fraction=none, or collect more rows of that class");
        }
        std::sort(trainRows.begin(), trainRows.end());
        std::sort(validationRows.begin(), validationRows.end());
    }
    Eigen::MatrixXd splitX;
    if (holdOut)
        splitX = selectRows(data.x, trainRows);
    const Eigen::MatrixXd& trainX = holdOut ? splitX : data.x;
    const auto rows = static_cast<std::size_t>(trainX.rows());
    if (rows > 0xffffffffu)
        throw core::DataError("gradient_boosting takes at most 4294967295 training rows — sample the data down");

    RawState train;
    train.rows = rows;
    train.outputs = outputs;
    train.y.resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
        train.y[i] = data.y(static_cast<Eigen::Index>(holdOut ? trainRows[i] : i));

    std::vector<std::size_t> edgeRows;
    if (rows > kBinningSubsample) {
        // _BinMapper's subsample: bin edges from 200,000 rows drawn without replacement.
        core::RandomSource random(core::RandomSource::deriveSeed(data.seed, kBinningStream));
        std::vector<std::size_t> order(rows);
        for (std::size_t i = 0; i < rows; ++i)
            order[i] = i;
        for (std::size_t i = 0; i < kBinningSubsample; ++i)
            std::swap(order[i], order[i + random.below(rows - i)]);
        edgeRows.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kBinningSubsample));
    }
    const BinnedFeatures binned = binFeatures(trainX, findBinThresholds(trainX, m_maxBins, edgeRows));
    splitX.resize(0, 0);
    control.checkCancelled();

    RawState validation;
    BinnedFeatures binnedValidation;
    if (holdOut) {
        validation.rows = validationRows.size();
        validation.outputs = outputs;
        for (std::size_t row : validationRows)
            validation.y.push_back(data.y(static_cast<Eigen::Index>(row)));
        binnedValidation = binFeatures(selectRows(data.x, validationRows), binned.thresholds);
    }
    BinnedFeatures binnedMonitor;
    std::vector<double> monitorRaw;
    if (monitored)
        binnedMonitor = binFeatures(data.monitorX, binned.thresholds);

    const std::vector<double> baseline = baselinePrediction(loss, train.y, data.classCount);
    const auto initRaw = [&](std::vector<double>& raw, std::size_t count) {
        raw.resize(count * static_cast<std::size_t>(outputs));
        for (int k = 0; k < outputs; ++k)
            std::fill(raw.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(k) * count),
                      raw.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(k + 1) * count),
                      baseline[static_cast<std::size_t>(k)]);
    };
    initRaw(train.raw, rows);
    if (holdOut)
        initRaw(validation.raw, validation.rows);
    if (monitored)
        initRaw(monitorRaw, binnedMonitor.rows);

    BoostingTreeSettings settings;
    settings.maxLeafNodes = m_maxLeafNodes;
    settings.maxDepth = m_maxDepth;
    settings.minSamplesLeaf = static_cast<std::uint32_t>(m_minSamplesLeaf);
    settings.l2Regularization = m_l2Regularization;
    settings.shrinkage = m_learningRate;
    settings.constantHessian = loss == Loss::SquaredError;
    BoostingTreeGrower grower(binned, settings);

    std::vector<float> gradients(rows * static_cast<std::size_t>(outputs));
    std::vector<float> hessians(settings.constantHessian ? 0 : rows * static_cast<std::size_t>(outputs));
    std::vector<double> losses;
    std::vector<double> stoppingLosses;
    const auto meanLoss = [&](const RawState& state) {
        RowPass pass;
        pass.losses = &losses;
        passOverRows(loss, state, pass);
        return numpyMean(losses);
    };
    if (earlyStopping)
        stoppingLosses.push_back(meanLoss(holdOut ? validation : train));

    std::vector<BoostingTree> trees;
    trees.reserve(static_cast<std::size_t>(m_maxIter) * static_cast<std::size_t>(outputs));
    std::vector<double> gains(static_cast<std::size_t>(binned.features), 0.0);
    FitReport report;
    int iterations = 0;
    bool stoppedEarly = false;
    const double totalTrees = static_cast<double>(m_maxIter) * outputs;
    // Iteration i's pass over the training rows gives the gradients for its trees and
    // the training loss of the model after iteration i − 1, which is then reported and
    // checked for early stopping (exactly where scikit-learn checks it, before the next
    // trees); a last pass after max_iter gives the final loss.
    for (int iteration = 0; iteration <= m_maxIter; ++iteration) {
        const bool growing = iteration < m_maxIter;
        core::TrainingSnapshot snapshot;
        RowPass pass;
        if (growing) {
            pass.gradients = gradients.data();
            pass.hessians = settings.constantHessian ? nullptr : hessians.data();
        }
        if (iteration > 0) {
            pass.losses = &losses;
            if (classification) {
                snapshot.confusion.assign(static_cast<std::size_t>(data.classCount),
                                          std::vector<std::int64_t>(static_cast<std::size_t>(data.classCount), 0));
                pass.confusion = &snapshot.confusion;
            }
        }
        passOverRows(loss, train, pass);

        if (iteration > 0) {
            snapshot.step = iterations;
            snapshot.totalSteps = m_maxIter;
            snapshot.stepName = "iteration";
            snapshot.metricName = "training loss";
            snapshot.measuredOn = "training rows";
            snapshot.value = numpyMean(losses);
            report.curve.push_back(snapshot);
            control.snapshot(snapshot);
            if (monitored) {
                const Eigen::MatrixXd output =
                    classification ? classScores(monitorRaw, binnedMonitor.rows, outputs)
                                   : Eigen::MatrixXd(Eigen::Map<const Eigen::MatrixXd>(
                                         monitorRaw.data(), static_cast<Eigen::Index>(binnedMonitor.rows), 1));
                const core::TrainingSnapshot monitor = monitorSnapshot(data, output, iterations, m_maxIter, "iteration");
                report.curve.push_back(monitor);
                control.snapshot(monitor);
            }
            if (earlyStopping) {
                stoppingLosses.push_back(holdOut ? meanLoss(validation) : snapshot.value);
                if (shouldStop(stoppingLosses, m_iterNoChange, m_tol)) {
                    stoppedEarly = iterations < m_maxIter;
                    break;
                }
            }
        }
        if (!growing)
            break;

        for (int k = 0; k < outputs; ++k) {
            const std::size_t offset = static_cast<std::size_t>(k) * rows;
            trees.push_back(grower.grow(gradients.data() + offset,
                                        settings.constantHessian ? nullptr : hessians.data() + offset, gains, control));
            const BoostingTree& tree = trees.back();
            grower.addLeafValues(train.raw.data() + offset);
            if (holdOut)
                addBinnedPredictions(tree, binnedValidation, validation.raw.data() + static_cast<std::size_t>(k) * validation.rows);
            if (monitored)
                addBinnedPredictions(tree, binnedMonitor, monitorRaw.data() + static_cast<std::size_t>(k) * binnedMonitor.rows);
            std::string stage = "iteration ";
            stage.append(std::to_string(iteration + 1)).append(" of ").append(std::to_string(m_maxIter));
            control.progress((static_cast<double>(iteration) * outputs + k + 1) / totalTrees, stage);
        }
        iterations = iteration + 1;
    }
    control.progress(1.0, "done");

    Eigen::VectorXd importances = Eigen::Map<const Eigen::VectorXd>(gains.data(), static_cast<Eigen::Index>(gains.size()));
    if (importances.sum() > 0.0)
        importances /= importances.sum();

    m_classCount = classification ? data.classCount : 0;
    m_featureCount = static_cast<int>(data.x.cols());
    m_treesPerIteration = outputs;
    m_iterations = iterations;
    m_baseline = baseline;
    m_trees = std::move(trees);
    m_importances = importances;
    m_stoppingLosses = std::move(stoppingLosses);
    m_fitted = true;

    report.iterations = iterations;
    report.converged = true;
    if (stoppedEarly) {
        report.message = "stopped early after ";
        report.message.append(std::to_string(iterations)).append(" iterations: the ");
        report.message.append(holdOut ? "validation" : "training");
        report.message.append(" loss improved by less than tol=").append(formatNumber(m_tol));
        report.message.append(" in the last ").append(std::to_string(m_iterNoChange)).append(" iterations");
    } else {
        report.message = "ran all max_iter=";
        report.message.append(std::to_string(m_maxIter)).append(" iterations");
        if (!earlyStopping)
            report.message.append(" (early stopping off)");
    }
    return report;
}

Eigen::MatrixXd GradientBoosting::rawPredictions(const Eigen::MatrixXd& x) const
{
    // Blocks of rows, copied row-major, walk one tree at a time so its nodes stay in
    // cache; each row still adds the trees in order, whatever the thread count.
    constexpr Eigen::Index kBlock = 256;
    const Eigen::Index rows = x.rows();
    const int outputs = m_treesPerIteration;
    const auto features = static_cast<std::size_t>(m_featureCount);
    Eigen::MatrixXd raw(rows, outputs);
    for (int k = 0; k < outputs; ++k)
        raw.col(k).setConstant(m_baseline[static_cast<std::size_t>(k)]);
    const Eigen::Index blocks = (rows + kBlock - 1) / kBlock;
#pragma omp parallel if (rows >= 2 * kBlock)
    {
        std::vector<double> block(static_cast<std::size_t>(kBlock) * features);
#pragma omp for schedule(dynamic)
        for (Eigen::Index b = 0; b < blocks; ++b) {
            const Eigen::Index first = b * kBlock;
            const Eigen::Index count = std::min(kBlock, rows - first);
            for (Eigen::Index r = 0; r < count; ++r)
                for (std::size_t f = 0; f < features; ++f)
                    block[static_cast<std::size_t>(r) * features + f] = x(first + r, static_cast<Eigen::Index>(f));
            for (std::size_t t = 0; t < m_trees.size(); ++t) {
                const BoostingTree& tree = m_trees[t];
                const auto k = static_cast<Eigen::Index>(t % static_cast<std::size_t>(outputs));
                for (Eigen::Index r = 0; r < count; ++r) {
                    const double* values = block.data() + static_cast<std::size_t>(r) * features;
                    raw(first + r, k) += tree.predict([values](std::int32_t f) { return values[f]; });
                }
            }
        }
    }
    return raw;
}

Eigen::MatrixXd GradientBoosting::decisionScores(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Regression)
        throw core::InvalidParameter("this gradient_boosting does regression and has no decision scores — use "
                                     "predict");
    validatePredictionInput(x, m_featureCount, m_fitted, name());
    return rawPredictions(x);
}

Eigen::MatrixXd GradientBoosting::predictProba(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Regression)
        throw core::InvalidParameter("this gradient_boosting does regression and has no class probabilities — use "
                                     "predict");
    validatePredictionInput(x, m_featureCount, m_fitted, name());
    const Eigen::MatrixXd raw = rawPredictions(x);
    Eigen::MatrixXd proba(x.rows(), m_classCount);
    if (m_treesPerIteration == 1) {
        // expit, then 1 − p, as HalfBinomialLoss.predict_proba.
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            proba(r, 1) = 1.0 / (1.0 + std::exp(-raw(r, 0)));
            proba(r, 0) = 1.0 - proba(r, 1);
        }
        return proba;
    }
    // sklearn.utils.extmath.softmax.
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        const double maxValue = raw.row(r).maxCoeff();
        double sum = 0.0;
        for (int k = 0; k < m_classCount; ++k) {
            proba(r, k) = std::exp(raw(r, k) - maxValue);
            sum += proba(r, k);
        }
        for (int k = 0; k < m_classCount; ++k)
            proba(r, k) /= sum;
    }
    return proba;
}

Eigen::VectorXd GradientBoosting::predict(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Classification)
        return rowArgmax(predictProba(x)).cast<double>();
    validatePredictionInput(x, m_featureCount, m_fitted, name());
    return rawPredictions(x).col(0);
}

io::OnnxModelOutputs GradientBoosting::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    // Our predict compares float64 features with the thresholds; the graph's features are
    // float32 and its thresholds rounded down, so a row differs only where the float32
    // rounding of a feature value itself crosses a threshold.
    OnnxTreeEnsemble ensemble;
    for (std::size_t t = 0; t < m_trees.size(); ++t)
        ensemble.addTree(m_trees[t], static_cast<std::int64_t>(t % static_cast<std::size_t>(m_treesPerIteration)));
    const std::string raw = ensemble.regressor(graph, features, m_treesPerIteration, "SUM", m_baseline);
    io::OnnxModelOutputs outputs;
    if (m_task == core::TaskType::Regression) {
        outputs.values = raw;
    } else if (m_treesPerIteration == 1) {
        const std::string positive = graph.addNode("Sigmoid", {raw});
        const std::string negative =
            graph.addNode("Sub", {graph.constant(std::vector<float>{1.0f}, {1}), positive});
        outputs.probabilities = graph.addNode("Concat", {negative, positive}, {{"axis", std::int64_t{1}}});
    } else {
        outputs.probabilities = graph.addNode("Softmax", {raw}, {{"axis", std::int64_t{1}}});
    }
    return outputs;
}

template <class Archive>
void GradientBoosting::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    int task = m_task == core::TaskType::Classification ? 0 : 1;
    archive & params & task;
    if constexpr (Archive::is_loading::value) {
        if (task != 0 && task != 1)
            throw core::ArchiveError("the saved gradient_boosting has an unknown task — the file is damaged; train "
                                     "the model again");
        m_task = task == 0 ? core::TaskType::Classification : core::TaskType::Regression;
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_classCount & m_featureCount & m_treesPerIteration & m_iterations & m_baseline & m_trees &
        m_importances;
    if constexpr (Archive::is_loading::value) {
        m_stoppingLosses.clear();
        if (!m_fitted)
            return;
        const bool classification = m_task == core::TaskType::Classification;
        const int outputs = classification && m_classCount > 2 ? m_classCount : 1;
        bool ok = m_featureCount >= 1 && m_iterations >= 1 && m_treesPerIteration == outputs &&
                  (!classification || m_classCount >= 2) &&
                  m_baseline.size() == static_cast<std::size_t>(outputs) &&
                  m_trees.size() == static_cast<std::size_t>(m_iterations) * static_cast<std::size_t>(outputs) &&
                  m_importances.size() == m_featureCount;
        for (const BoostingTree& tree : m_trees) {
            if (!ok)
                break;
            tree.validate(m_featureCount);
        }
        if (!ok)
            throw core::ArchiveError("the saved gradient_boosting is inconsistent — the file is damaged; train the "
                                     "model again");
    }
}

void GradientBoosting::save(core::OutputArchive& archive) const { archive << *this; }

void GradientBoosting::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
