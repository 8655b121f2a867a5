#include "models/random_forest.hpp"

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <exception>
#include <mutex>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "io/eigen_serialization.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::models {
namespace {

// What the finished trees say about the rows they did not see (or, without bootstrap,
// about all training rows): summed leaf values and how many trees voted per row.
struct VoteTally {
    std::vector<double> sums; // rows × width, row-major
    std::vector<std::uint32_t> voters;
};

core::TrainingSnapshot tallySnapshot(const VoteTally& tally, const Eigen::VectorXd& y, int classCount, int width,
                                     bool outOfBag, int finished, int total)
{
    core::TrainingSnapshot snapshot;
    snapshot.step = finished;
    snapshot.totalSteps = total;
    snapshot.stepName = "trees";
    snapshot.measuredOn = outOfBag ? "out-of-bag rows" : "training rows";
    const auto rows = static_cast<std::size_t>(y.size());
    std::vector<bool> voted(rows);
    for (std::size_t row = 0; row < rows; ++row)
        voted[row] = tally.voters[row] > 0;
    if (classCount > 0) {
        snapshot.metricName = outOfBag ? "out-of-bag accuracy" : "training accuracy";
        Eigen::VectorXi predicted = Eigen::VectorXi::Zero(y.size());
        for (std::size_t row = 0; row < rows; ++row) {
            if (!voted[row])
                continue;
            const double* sums = tally.sums.data() + row * static_cast<std::size_t>(width);
            predicted(static_cast<Eigen::Index>(row)) = static_cast<int>(std::max_element(sums, sums + width) - sums);
        }
        snapshot.confusion = confusionMatrix(y, predicted, classCount, voted);
        snapshot.value = accuracyOf(snapshot.confusion);
    } else {
        snapshot.metricName = outOfBag ? "out-of-bag R²" : "training R²";
        Eigen::VectorXd predicted = Eigen::VectorXd::Zero(y.size());
        for (std::size_t row = 0; row < rows; ++row)
            if (voted[row])
                predicted(static_cast<Eigen::Index>(row)) = tally.sums[row] / tally.voters[row];
        snapshot.value = rSquared(y, predicted, voted);
    }
    return snapshot;
}

// Trees split float32 values, as scikit-learn's do: one column-major copy of the features.
std::vector<float> singlePrecisionColumns(const Dataset& data)
{
    const auto rows = static_cast<std::size_t>(data.x.rows());
    std::vector<float> x(rows * static_cast<std::size_t>(data.x.cols()));
    for (Eigen::Index column = 0; column < data.x.cols(); ++column) {
        for (std::size_t row = 0; row < rows; ++row) {
            const double value = data.x(static_cast<Eigen::Index>(row), column);
            if (std::abs(value) > FLT_MAX) {
                std::string message = "feature ";
                if (static_cast<std::size_t>(column) < data.featureNames.size())
                    message.append("'").append(data.featureNames[static_cast<std::size_t>(column)]).append("'");
                else
                    message.append("number ").append(std::to_string(column + 1));
                message.append(" has a value beyond ±3.4e38 in training row ").append(std::to_string(row + 1));
                message.append(" — random_forest works in single precision; rescale the feature");
                throw core::DataError(message);
            }
            x[static_cast<std::size_t>(column) * rows + row] = static_cast<float>(value);
        }
    }
    return x;
}

} // namespace

const std::vector<core::ParamSpec>& RandomForest::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"n_estimators", core::ParamKind::Integer, "100", 1.0, 10000.0, false, {},
         "Number of trees; more trees give steadier predictions and take proportionally longer to train."},
        {"max_depth", core::ParamKind::Integer, "none", 1.0, 1000.0, false, {"none"},
         "Deepest level a tree may grow to; none grows until the leaves are pure, lower values give simpler, "
         "smoother models."},
        {"min_samples_split", core::ParamKind::Integer, "2", 2.0, 1e9, false, {},
         "A node needs at least this many training rows to be split; raise it to keep trees from fitting "
         "noise."},
        {"min_samples_leaf", core::ParamKind::Integer, "1", 1.0, 1e9, false, {},
         "Every leaf keeps at least this many training rows; raise it for smoother predictions on noisy "
         "data."},
        {"max_features", core::ParamKind::Integer, "auto", 1.0, 1e6, false, {"auto", "sqrt", "log2", "all"},
         "Features tried at each split: auto means sqrt for classification and all for regression "
         "(scikit-learn's defaults); fewer features make the trees more diverse."},
        {"bootstrap", core::ParamKind::Boolean, "true", 0.0, 0.0, false, {},
         "Train each tree on a bootstrap resample of the rows, which also gives the out-of-bag estimate; false "
         "trains every tree on all rows."},
        {"class_weight", core::ParamKind::Choice, "none", 0.0, 0.0, false, {"none", "balanced"},
         "Classification only: balanced weighs each class by rows / (classes × rows of the class), so splits "
         "and leaf probabilities count the smaller classes as much as the larger ones; none counts every row "
         "once."},
    };
    return table;
}

RandomForest::RandomForest(core::TaskType task, const core::ParamValues& params) : m_task(task), m_params(params)
{
    applyParams();
}

void RandomForest::applyParams()
{
    m_estimators = static_cast<int>(m_params.integer("n_estimators"));
    m_maxDepth = m_params.isWord("max_depth", "none") ? 0x7fffffff : static_cast<int>(m_params.integer("max_depth"));
    m_minSamplesSplit = m_params.integer("min_samples_split");
    m_minSamplesLeaf = m_params.integer("min_samples_leaf");
    m_bootstrap = m_params.boolean("bootstrap");
    m_balanced = m_params.isWord("class_weight", "balanced");
    if (m_balanced && m_task == core::TaskType::Regression)
        throw core::InvalidParameter("random_forest: class_weight=balanced weighs classes, but this is regression "
                                     "— use class_weight=none");
}

int RandomForest::resolvedMaxFeatures(int featureCount) const
{
    const std::string& text = m_params.text("max_features");
    const double count = featureCount;
    if (text == "all" || (text == "auto" && m_task == core::TaskType::Regression))
        return featureCount;
    if (text == "sqrt" || text == "auto")
        return std::max(1, static_cast<int>(std::sqrt(count)));
    if (text == "log2")
        return std::max(1, static_cast<int>(std::log2(count)));
    const long long chosen = m_params.integer("max_features");
    if (chosen > featureCount) {
        std::string message = "random_forest: max_features=";
        message.append(text).append(" is more than the ").append(std::to_string(featureCount));
        message.append(" features — use at most ").append(std::to_string(featureCount));
        message.append(", or one of auto, sqrt, log2, all");
        throw core::InvalidParameter(message);
    }
    return static_cast<int>(chosen);
}

FitReport RandomForest::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, m_task, name());
    const bool classification = m_task == core::TaskType::Classification;
    const auto rows = static_cast<std::size_t>(data.x.rows());
    const auto featureCount = static_cast<int>(data.x.cols());
    if (rows > 0xffffffffu)
        throw core::DataError("random_forest takes at most 4294967295 training rows — sample the data down");

    TreeSettings settings;
    settings.maxDepth = m_maxDepth;
    settings.minSamplesLeaf = m_minSamplesLeaf;
    settings.minSamplesSplit = std::max(m_minSamplesSplit, 2 * m_minSamplesLeaf);
    settings.maxFeatures = resolvedMaxFeatures(featureCount);

    const std::vector<float> x = singlePrecisionColumns(data);
    std::vector<std::int32_t> labels;
    std::vector<double> targets;
    TreeTrainingData training;
    training.x = x.data();
    training.rows = rows;
    training.features = featureCount;
    if (classification) {
        labels.resize(rows);
        for (std::size_t row = 0; row < rows; ++row)
            labels[row] = static_cast<std::int32_t>(data.y(static_cast<Eigen::Index>(row)));
        training.labels = labels.data();
        training.classCount = data.classCount;
    } else {
        targets.assign(data.y.data(), data.y.data() + rows);
        training.targets = targets.data();
    }
    const int width = classification ? data.classCount : 1;
    // scikit-learn weighs on the whole training target, then multiplies each tree's
    // bootstrap counts by the weights (class_weight="balanced", not "balanced_subsample").
    std::vector<double> classWeights;
    if (classification && m_balanced) {
        classWeights = balancedClassWeights(data.y, data.classCount);
        training.classWeights = classWeights.data();
    }

    const int treeCount = m_estimators;
    std::vector<DecisionTree> trees(static_cast<std::size_t>(treeCount));
    std::vector<std::vector<double>> treeImportances(static_cast<std::size_t>(treeCount));
    VoteTally tally;
    tally.sums.assign(rows * static_cast<std::size_t>(width), 0.0);
    tally.voters.assign(rows, 0);
    FitReport report;
    int finished = 0;
    std::mutex reportMutex;
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    const auto shouldStop = [&stop, &control] { return stop.load(std::memory_order_relaxed) || control.isCancelled(); };

    // Exceptions must not leave the parallel region: each tree catches its own, records
    // the first failure and stops the others, which is rethrown below.
#pragma omp parallel for schedule(dynamic)
    for (int treeIndex = 0; treeIndex < treeCount; ++treeIndex) {
        if (shouldStop())
            continue;
        try {
            core::RandomSource random(core::RandomSource::deriveSeed(data.seed, static_cast<std::uint64_t>(treeIndex)));
            std::vector<std::uint32_t> weights(rows, m_bootstrap ? 0u : 1u);
            if (m_bootstrap)
                for (std::size_t draw = 0; draw < rows; ++draw)
                    ++weights[random.below(rows)];
            TreeBuilder builder(training, settings, shouldStop);
            DecisionTree tree = builder.build(weights, random, treeImportances[static_cast<std::size_t>(treeIndex)]);

            // Leaves reached by the rows this tree did not train on, found outside the lock.
            std::vector<std::uint32_t> scoredRows;
            std::vector<std::int32_t> leaves;
            for (std::size_t row = 0; row < rows; ++row) {
                if (m_bootstrap && weights[row] > 0)
                    continue;
                scoredRows.push_back(static_cast<std::uint32_t>(row));
                leaves.push_back(tree.findLeaf([&](std::int32_t f) { return x[static_cast<std::size_t>(f) * rows + row]; }));
            }
            trees[static_cast<std::size_t>(treeIndex)] = std::move(tree);
            const DecisionTree& fitted = trees[static_cast<std::size_t>(treeIndex)];

            std::lock_guard lock(reportMutex);
            for (std::size_t i = 0; i < scoredRows.size(); ++i) {
                const double* values = fitted.leafValues(leaves[i]);
                double* sums = tally.sums.data() + static_cast<std::size_t>(scoredRows[i]) * static_cast<std::size_t>(width);
                for (int k = 0; k < width; ++k)
                    sums[k] += values[k];
                ++tally.voters[scoredRows[i]];
            }
            ++finished;
            const core::TrainingSnapshot snapshot =
                tallySnapshot(tally, data.y, classification ? data.classCount : 0, width, m_bootstrap, finished, treeCount);
            report.curve.push_back(snapshot);
            control.snapshot(snapshot);
            std::string stage = "tree ";
            stage.append(std::to_string(finished)).append(" of ").append(std::to_string(treeCount));
            control.progress(static_cast<double>(finished) / treeCount, stage);
        } catch (const TreeBuildStopped&) {
            // Another tree failed or the user cancelled; handled after the loop.
        } catch (...) {
            std::lock_guard lock(reportMutex);
            if (!failure)
                failure = std::current_exception();
            stop.store(true, std::memory_order_relaxed);
        }
    }
    control.checkCancelled();
    if (failure)
        std::rethrow_exception(failure);

    // scikit-learn's feature_importances_: each tree's impurity decreases normalised to
    // sum 1, averaged over the trees that split at all, normalised again.
    Eigen::VectorXd importances = Eigen::VectorXd::Zero(featureCount);
    int splittingTrees = 0;
    for (int t = 0; t < treeCount; ++t) {
        if (trees[static_cast<std::size_t>(t)].nodeCount() <= 1)
            continue;
        const Eigen::Map<const Eigen::VectorXd> decrease(treeImportances[static_cast<std::size_t>(t)].data(), featureCount);
        const double sum = decrease.sum();
        if (sum > 0.0)
            importances += decrease / sum;
        ++splittingTrees;
    }
    if (splittingTrees > 0 && importances.sum() > 0.0)
        importances /= importances.sum();

    m_trees = std::move(trees);
    m_importances = importances;
    m_classCount = classification ? data.classCount : 0;
    m_featureCount = featureCount;
    m_fitted = true;
    report.iterations = treeCount;
    report.message = "grew ";
    report.message.append(std::to_string(treeCount)).append(treeCount == 1 ? " tree" : " trees");
    return report;
}

std::vector<double> RandomForest::sumLeafValues(const Eigen::MatrixXd& x) const
{
    // Blocks of rows against one tree at a time: a tree's nodes stay in cache while a
    // block walks it. Each row still adds the trees in index order, so the sums do not
    // depend on the thread count.
    constexpr Eigen::Index kBlock = 256;
    const int width = m_task == core::TaskType::Classification ? m_classCount : 1;
    const Eigen::Index rows = x.rows();
    const auto features = static_cast<std::size_t>(m_featureCount);
    const Eigen::Index blocks = (rows + kBlock - 1) / kBlock;
    std::vector<double> sums(static_cast<std::size_t>(rows) * static_cast<std::size_t>(width), 0.0);
#pragma omp parallel
    {
        std::vector<float> block(static_cast<std::size_t>(kBlock) * features);
#pragma omp for schedule(dynamic)
        for (Eigen::Index b = 0; b < blocks; ++b) {
            const Eigen::Index first = b * kBlock;
            const Eigen::Index count = std::min(kBlock, rows - first);
            for (Eigen::Index r = 0; r < count; ++r)
                for (std::size_t f = 0; f < features; ++f)
                    block[static_cast<std::size_t>(r) * features + f] =
                        static_cast<float>(x(first + r, static_cast<Eigen::Index>(f)));
            for (const DecisionTree& tree : m_trees) {
                for (Eigen::Index r = 0; r < count; ++r) {
                    const float* values = block.data() + static_cast<std::size_t>(r) * features;
                    const double* leaf =
                        tree.leafValues(tree.findLeaf([values](std::int32_t f) { return values[f]; }));
                    double* sum = sums.data() + static_cast<std::size_t>(first + r) * static_cast<std::size_t>(width);
                    for (int k = 0; k < width; ++k)
                        sum[k] += leaf[k];
                }
            }
        }
    }
    return sums;
}

Eigen::MatrixXd RandomForest::predictProba(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Regression)
        throw core::InvalidParameter("this random_forest does regression and has no class probabilities — use "
                                     "predict");
    validatePredictionInput(x, m_featureCount, m_fitted, name());
    const std::vector<double> sums = sumLeafValues(x);
    const double treeCount = static_cast<double>(m_trees.size());
    Eigen::MatrixXd proba(x.rows(), m_classCount);
    for (Eigen::Index row = 0; row < x.rows(); ++row)
        for (int k = 0; k < m_classCount; ++k)
            proba(row, k) = sums[static_cast<std::size_t>(row * m_classCount + k)] / treeCount;
    return proba;
}

Eigen::VectorXd RandomForest::predict(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Classification)
        return rowArgmax(predictProba(x)).cast<double>();
    validatePredictionInput(x, m_featureCount, m_fitted, name());
    const std::vector<double> sums = sumLeafValues(x);
    const double treeCount = static_cast<double>(m_trees.size());
    Eigen::VectorXd values(x.rows());
    for (Eigen::Index row = 0; row < x.rows(); ++row)
        values(row) = sums[static_cast<std::size_t>(row)] / treeCount;
    return values;
}

template <class Archive>
void RandomForest::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    int task = m_task == core::TaskType::Classification ? 0 : 1;
    archive & params & task;
    if constexpr (Archive::is_loading::value) {
        if (task != 0 && task != 1)
            throw core::ArchiveError("the saved random_forest has an unknown task — the file is damaged; train the "
                                     "model again");
        m_task = task == 0 ? core::TaskType::Classification : core::TaskType::Regression;
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_classCount & m_featureCount & m_trees & m_importances;
    if constexpr (Archive::is_loading::value) {
        if (!m_fitted)
            return;
        const bool classification = m_task == core::TaskType::Classification;
        const int width = classification ? m_classCount : 1;
        bool ok = !m_trees.empty() && m_featureCount >= 1 && m_importances.size() == m_featureCount &&
                  (!classification || m_classCount >= 2);
        for (const DecisionTree& tree : m_trees) {
            if (!ok)
                break;
            tree.validate(m_featureCount);
            ok = tree.valueWidth() == width;
        }
        if (!ok)
            throw core::ArchiveError("the saved random_forest is inconsistent — the file is damaged; train the "
                                     "model again");
    }
}

void RandomForest::save(core::OutputArchive& archive) const { archive << *this; }

void RandomForest::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
