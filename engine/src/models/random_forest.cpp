#include "models/random_forest.hpp"

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "io/eigen_serialization.hpp"
#include "models/histogram_tree.hpp"
#include "models/onnx_model_export.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

// What the tallied trees say about the rows they did not see (or, without bootstrap,
// about all training rows): summed leaf values and how many trees voted per row.
struct VoteTally {
    std::vector<double> sums; // rows × width, row-major
    std::vector<std::uint32_t> voters;
};

// The predictions of the tallied trees for the voted rows: accuracy or R² over them.
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

// One finished tree's leaves for the rows it votes on (out-of-bag or training rows) and
// for the monitor rows, waiting to be tallied in tree order.
struct TreeVotes {
    bool ready = false;
    std::vector<std::uint32_t> rows;
    std::vector<std::int32_t> leaves;
    std::vector<std::int32_t> monitorLeaves;
};

} // namespace

const std::vector<core::ParamSpec>& RandomForest::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"n_estimators", core::ParamKind::Integer, "100", 1.0, 10000.0, false, {},
         "Number of trees; more trees give steadier predictions and take proportionally longer to train."},
        {"criterion", core::ParamKind::Choice, "auto", 0.0, 0.0, false,
         {"auto", "gini", "entropy", "log_loss", "squared_error"},
         "What a split must lower: gini or entropy (= log_loss) for classification, squared_error for "
         "regression; auto picks gini or squared_error (scikit-learn's defaults)."},
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
        {"oob_score", core::ParamKind::Boolean, "false", 0.0, 0.0, false, {},
         "Score the forest on the out-of-bag rows (each row judged only by the trees that did not train on "
         "it): a free validation estimate; needs bootstrap=true."},
        {"class_weight", core::ParamKind::Choice, "none", 0.0, 0.0, false, {"none", "balanced"},
         "Classification only: balanced weighs each class by rows / (classes × rows of the class), so splits "
         "and leaf probabilities count the smaller classes as much as the larger ones; none counts every row "
         "once."},
        {"max_bins", core::ParamKind::Integer, "255", 2.0, 256.0, false, {"none"},
         "Split candidates per feature: the values are binned into at most this many quantile bins once, "
         "which makes training many times faster at nearly the same accuracy; none tries every threshold "
         "between sorted values (scikit-learn's exact splitter)."},
    };
    return table;
}

RandomForest::RandomForest(core::TaskType task, const core::ParamValues& params) : m_task(task), m_params(params)
{
    applyParams();
}

void RandomForest::applyParams()
{
    const bool classification = m_task == core::TaskType::Classification;
    m_estimators = static_cast<int>(m_params.integer("n_estimators"));
    m_maxDepth = m_params.isWord("max_depth", "none") ? 0x7fffffff : static_cast<int>(m_params.integer("max_depth"));
    m_minSamplesSplit = m_params.integer("min_samples_split");
    m_minSamplesLeaf = m_params.integer("min_samples_leaf");
    m_bootstrap = m_params.boolean("bootstrap");
    m_wantOobScore = m_params.boolean("oob_score");
    m_balanced = m_params.isWord("class_weight", "balanced");
    m_maxBins = m_params.isWord("max_bins", "none") ? 0 : static_cast<int>(m_params.integer("max_bins"));
    m_criterion = criterionFromName(m_params.text("criterion"), classification, name());
    if (m_balanced && !classification)
        throw core::InvalidParameter("random_forest: class_weight=balanced weighs classes, but this is regression "
                                     "— use class_weight=none");
    if (m_wantOobScore && !m_bootstrap)
        throw core::InvalidParameter("random_forest: oob_score=true needs out-of-bag rows, but bootstrap=false "
                                     "trains every tree on all rows — use bootstrap=true or oob_score=false");
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
    const bool monitored = data.monitorX.rows() > 0;
    checkMonitorRows(data, m_task == core::TaskType::Classification, name());

    TreeSettings settings;
    settings.criterion = m_criterion;
    settings.maxDepth = m_maxDepth;
    settings.minSamplesLeaf = m_minSamplesLeaf;
    settings.minSamplesSplit = std::max(m_minSamplesSplit, 2 * m_minSamplesLeaf);
    settings.maxFeatures = resolvedMaxFeatures(featureCount);

    std::atomic<bool> stop{false};
    const auto shouldStop = [&stop, &control] { return stop.load(std::memory_order_relaxed) || control.isCancelled(); };
    control.progress(0.0, "preparing the features");
    Eigen::MatrixXf x = singlePrecisionFeatures(data, name());
    const bool binned = m_maxBins > 0;
    BinnedFeatures bins;
    RowMajorCodes rowCodes;
    if (binned) {
        try {
            binFeaturesForTrees(x, m_maxBins, data.seed, shouldStop, bins, rowCodes);
        } catch (const TreeBuildStopped&) {
            throw core::Cancelled(); // nothing else stops the binning
        }
        x.resize(0, 0); // binned trees and their out-of-bag walks read only the codes
    }
    control.progress(0.0, {});
    std::vector<std::int32_t> labels;
    if (classification) {
        labels.resize(rows);
        for (std::size_t row = 0; row < rows; ++row)
            labels[row] = static_cast<std::int32_t>(data.y(static_cast<Eigen::Index>(row)));
    }
    // scikit-learn weighs on the whole training target, then multiplies each tree's
    // bootstrap counts by the weights (class_weight="balanced", not "balanced_subsample").
    std::vector<double> classWeights;
    if (classification && m_balanced)
        classWeights = balancedClassWeights(data.y, data.classCount);
    TreeTrainingData exactData;
    exactData.x = x.data();
    exactData.rows = rows;
    exactData.features = featureCount;
    BinnedTrainingData binnedData;
    binnedData.bins = &bins;
    binnedData.rowCodes = &rowCodes;
    if (classification) {
        exactData.labels = binnedData.labels = labels.data();
        exactData.classCount = binnedData.classCount = data.classCount;
        if (!classWeights.empty())
            exactData.classWeights = binnedData.classWeights = classWeights.data();
    } else {
        exactData.targets = binnedData.targets = data.y.data();
    }
    // Monitor rows row-major, so walking a tree touches one row's cache lines.
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> monitorX =
        data.monitorX.cast<float>();
    const auto monitorRows = static_cast<std::size_t>(monitorX.rows());

    const int width = classification ? data.classCount : 1;
    const int treeCount = m_estimators;
    // Out-of-bag votes (or training-row votes without bootstrap) feed the curve when there
    // are no monitor rows, and the out-of-bag score when asked for.
    const bool tallyVotes = !monitored || m_wantOobScore;

    const int snapshotEvery = std::max(1, (treeCount + 99) / 100);
    std::vector<DecisionTree> trees(static_cast<std::size_t>(treeCount));
    std::vector<std::vector<double>> treeImportances(static_cast<std::size_t>(treeCount));
    std::vector<TreeVotes> votes(static_cast<std::size_t>(treeCount));
    VoteTally tally;
    if (tallyVotes) {
        tally.sums.assign(rows * static_cast<std::size_t>(width), 0.0);
        tally.voters.assign(rows, 0);
    }
    std::vector<double> monitorSums(monitorRows * static_cast<std::size_t>(width), 0.0);
    FitReport report;
    int finished = 0;
    int tallied = 0;
    std::mutex reportMutex;
    std::exception_ptr failure;

    // Adds the trees that are ready, in index order, to the tallies and reports the curve;
    // called with reportMutex held.
    const auto tallyReadyTrees = [&] {
        while (tallied < treeCount && votes[static_cast<std::size_t>(tallied)].ready) {
            TreeVotes& tree = votes[static_cast<std::size_t>(tallied)];
            const DecisionTree& fitted = trees[static_cast<std::size_t>(tallied)];
            for (std::size_t i = 0; i < tree.rows.size(); ++i) {
                const double* values = fitted.leafValues(tree.leaves[i]);
                double* sums = tally.sums.data() + static_cast<std::size_t>(tree.rows[i]) * static_cast<std::size_t>(width);
                for (int k = 0; k < width; ++k)
                    sums[k] += values[k];
                ++tally.voters[tree.rows[i]];
            }
            for (std::size_t r = 0; r < tree.monitorLeaves.size(); ++r) {
                const double* values = fitted.leafValues(tree.monitorLeaves[r]);
                double* sums = monitorSums.data() + r * static_cast<std::size_t>(width);
                for (int k = 0; k < width; ++k)
                    sums[k] += values[k];
            }
            tree = TreeVotes{true, {}, {}, {}};
            ++tallied;
            if (tallied % snapshotEvery != 0 && tallied != treeCount)
                continue;
            core::TrainingSnapshot snapshot;
            if (monitored) {
                Eigen::MatrixXd output(static_cast<Eigen::Index>(monitorRows), width);
                for (std::size_t r = 0; r < monitorRows; ++r)
                    for (int k = 0; k < width; ++k)
                        output(static_cast<Eigen::Index>(r), k) =
                            monitorSums[r * static_cast<std::size_t>(width) + static_cast<std::size_t>(k)] / tallied;
                snapshot = monitorSnapshot(data, output, tallied, treeCount, "trees");
            } else {
                snapshot = tallySnapshot(tally, data.y, classification ? data.classCount : 0, width, m_bootstrap,
                                         tallied, treeCount);
            }
            report.curve.push_back(snapshot);
            control.snapshot(snapshot);
        }
    };

    // Exceptions must not leave the parallel region: each tree catches its own, records
    // the first failure and stops the others, which is rethrown below.
#pragma omp parallel
    {
        std::unique_ptr<TreeBuilder> exactBuilder;
        std::unique_ptr<HistogramTreeBuilder> histogramBuilder;
        if (binned)
            histogramBuilder = std::make_unique<HistogramTreeBuilder>(binnedData, settings, shouldStop);
        else
            exactBuilder = std::make_unique<TreeBuilder>(exactData, settings, shouldStop);
        std::vector<std::uint32_t> weights(rows);
#pragma omp for schedule(dynamic)
        for (int treeIndex = 0; treeIndex < treeCount; ++treeIndex) {
            if (shouldStop())
                continue;
            try {
                core::RandomSource random(
                    core::RandomSource::deriveSeed(data.seed, static_cast<std::uint64_t>(treeIndex)));
                std::fill(weights.begin(), weights.end(), m_bootstrap ? 0u : 1u);
                if (m_bootstrap)
                    for (std::size_t draw = 0; draw < rows; ++draw)
                        ++weights[random.below(rows)];
                std::vector<double>& importances = treeImportances[static_cast<std::size_t>(treeIndex)];
                DecisionTree tree = binned ? histogramBuilder->build(weights, random, importances)
                                           : exactBuilder->build(weights, random, importances);

                // The leaves the voting rows reach, found outside the lock.
                TreeVotes treeVotes;
                if (tallyVotes) {
                    for (std::size_t row = 0; row < rows; ++row)
                        if (!m_bootstrap || weights[row] == 0)
                            treeVotes.rows.push_back(static_cast<std::uint32_t>(row));
                    const std::uint32_t* voting = treeVotes.rows.data();
                    treeVotes.leaves.resize(treeVotes.rows.size());
                    if (binned) {
                        // Training rows walk on their codes (row-major: one row's codes share a
                        // cache line), which take the same path as their values.
                        const std::uint8_t* splitBins = histogramBuilder->splitBins().data();
                        const std::uint8_t* codes = rowCodes.codes.data();
                        const std::size_t stride = rowCodes.stride;
                        tree.findLeaves(
                            treeVotes.rows.size(),
                            [&](std::size_t i, std::int32_t index, const DecisionTree::Node& node) {
                                return codes[voting[i] * stride + static_cast<std::size_t>(node.feature)] <=
                                       splitBins[index];
                            },
                            treeVotes.leaves.data());
                    } else {
                        tree.findLeaves(
                            treeVotes.rows.size(),
                            [&](std::size_t i, std::int32_t, const DecisionTree::Node& node) {
                                return static_cast<double>(x(static_cast<Eigen::Index>(voting[i]), node.feature)) <=
                                       node.threshold;
                            },
                            treeVotes.leaves.data());
                    }
                }
                treeVotes.monitorLeaves.resize(monitorRows);
                tree.findLeaves(
                    monitorRows,
                    [&](std::size_t r, std::int32_t, const DecisionTree::Node& node) {
                        return static_cast<double>(monitorX(static_cast<Eigen::Index>(r), node.feature)) <=
                               node.threshold;
                    },
                    treeVotes.monitorLeaves.data());
                treeVotes.ready = true;
                trees[static_cast<std::size_t>(treeIndex)] = std::move(tree);

                std::lock_guard lock(reportMutex);
                votes[static_cast<std::size_t>(treeIndex)] = std::move(treeVotes);
                ++finished;
                tallyReadyTrees();
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

    std::optional<double> oobScore;
    if (m_wantOobScore)
        oobScore = tallySnapshot(tally, data.y, classification ? data.classCount : 0, width, true, treeCount, treeCount)
                       .value;

    m_trees = std::move(trees);
    m_importances = importances;
    m_oobScore = oobScore;
    m_classCount = classification ? data.classCount : 0;
    m_featureCount = featureCount;
    m_fitted = true;
    report.iterations = treeCount;
    report.message = "grew ";
    report.message.append(std::to_string(treeCount)).append(treeCount == 1 ? " tree" : " trees");
    if (oobScore) {
        report.message.append(classification ? "; out-of-bag accuracy " : "; out-of-bag R² ");
        report.message.append(core::formatFixed(*oobScore, 6));
    }
    return report;
}

std::vector<double> RandomForest::sumLeafValues(const Eigen::MatrixXd& x) const
{
    // Blocks of rows against one tree at a time: a tree's nodes (a few hundred KB when
    // fully grown) and the block's rows both stay in L2 while the block walks the tree. Each row still adds the trees in index order, so the sums do not
    // depend on the thread count.
    constexpr Eigen::Index kBlock = 2048;
    const int width = m_task == core::TaskType::Classification ? m_classCount : 1;
    const Eigen::Index rows = x.rows();
    const auto features = static_cast<std::size_t>(m_featureCount);
    const Eigen::Index blocks = (rows + kBlock - 1) / kBlock;
    std::vector<double> sums(static_cast<std::size_t>(rows) * static_cast<std::size_t>(width), 0.0);
    // One block (a single row a service predicts, say) runs on the calling thread: waking a
    // team for it costs far more than the walk, and a descheduled thread stalls the barrier.
#pragma omp parallel if (blocks > 1)
    {
        std::vector<float> block(static_cast<std::size_t>(kBlock) * features);
        std::vector<std::int32_t> leaves(static_cast<std::size_t>(kBlock));
#pragma omp for schedule(dynamic)
        for (Eigen::Index b = 0; b < blocks; ++b) {
            const Eigen::Index first = b * kBlock;
            const Eigen::Index count = std::min(kBlock, rows - first);
            for (Eigen::Index r = 0; r < count; ++r)
                for (std::size_t f = 0; f < features; ++f)
                    block[static_cast<std::size_t>(r) * features + f] =
                        static_cast<float>(x(first + r, static_cast<Eigen::Index>(f)));
            for (const DecisionTree& tree : m_trees) {
                tree.findLeaves(
                    static_cast<std::size_t>(count),
                    [&](std::size_t r, std::int32_t, const DecisionTree::Node& node) {
                        return static_cast<double>(block[r * features + static_cast<std::size_t>(node.feature)]) <=
                               node.threshold;
                    },
                    leaves.data());
                for (Eigen::Index r = 0; r < count; ++r) {
                    const double* leaf = tree.leafValues(leaves[static_cast<std::size_t>(r)]);
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

io::OnnxModelOutputs RandomForest::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    OnnxTreeEnsemble ensemble;
    for (const DecisionTree& tree : m_trees)
        ensemble.addTree(tree);
    io::OnnxModelOutputs outputs;
    if (m_task == core::TaskType::Regression) {
        outputs.values = ensemble.regressor(graph, features, 1, "AVERAGE", {});
        return outputs;
    }
    // Sum, then divide by the tree count, as predictProba does.
    const std::string sums = ensemble.classifier(graph, features, m_classCount);
    const std::string treeCount = graph.constant(std::vector<float>{static_cast<float>(m_trees.size())}, {1});
    outputs.probabilities = graph.addNode("Div", {sums, treeCount});
    return outputs;
}

template <class Archive>
void RandomForest::serialize(Archive& archive, unsigned version)
{
    std::map<std::string, std::string> params = m_params.all();
    int task = m_task == core::TaskType::Classification ? 0 : 1;
    archive & params & task;
    if constexpr (Archive::is_loading::value) {
        if (task != 0 && task != 1)
            throw core::ArchiveError("the saved random_forest has an unknown task — the file is damaged; train the "
                                     "model again");
        // Version 1 forests were grown with exact splits, before max_bins existed.
        if (version < 2)
            params.emplace("max_bins", "none");
        m_task = task == 0 ? core::TaskType::Classification : core::TaskType::Regression;
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_classCount & m_featureCount & m_trees & m_importances;
    bool hasOobScore = m_oobScore.has_value();
    double oobScore = m_oobScore.value_or(0.0);
    if (version >= 2)
        archive & hasOobScore & oobScore;
    if constexpr (Archive::is_loading::value)
        m_oobScore = hasOobScore ? std::optional<double>(oobScore) : std::nullopt;
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
