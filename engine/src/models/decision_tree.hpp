#pragma once
// CART trees for the decision tree and the random forest, grown as scikit-learn 1.2's
// DecisionTreeClassifier / DecisionTreeRegressor with splitter="best": float32 features,
// sample weights (bootstrap counts, times class weights when given), gini, entropy or
// squared-error impurity, a random subset of max_features features per node drawn without
// replacement (drawing on past features found constant), thresholds at midpoints between
// neighbouring values, min_samples_split / min_samples_leaf / max_depth, depth-first
// growth. The histogram builder (histogram_tree.hpp) grows the same trees on binned
// features.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/models/dataset.hpp"

namespace stepwise::models {

/// A fitted tree stored flat. Each leaf holds `valueWidth` numbers: the class fractions
/// (classification) or the mean target (regression).
class DecisionTree {
public:
    struct Node {
        std::int32_t feature = -1; ///< split feature, -1 for a leaf
        std::int32_t left = 0;     ///< left child; for a leaf the leaf's index
        std::int32_t right = 0;    ///< right child
        double threshold = 0.0;    ///< rows with value <= threshold go left
    };

    /// Index of the leaf a row reaches; `value(feature)` gives the row's value as float,
    /// the precision the tree was trained in.
    template <class FeatureValue>
    std::int32_t findLeaf(FeatureValue&& value) const
    {
        std::int32_t index = 0;
        while (m_nodes[static_cast<std::size_t>(index)].feature >= 0) {
            const Node& node = m_nodes[static_cast<std::size_t>(index)];
            index = static_cast<double>(value(node.feature)) <= node.threshold ? node.left : node.right;
        }
        return m_nodes[static_cast<std::size_t>(index)].left;
    }

    /// The leaves of rows 0..count-1, where `goesLeft(row, nodeIndex, node)` says whether a
    /// row goes left at a split node. Eight rows walk at once, so the memory latency of one walk
    /// hides behind the others'.
    template <class GoesLeft>
    void findLeaves(std::size_t count, GoesLeft&& goesLeft, std::int32_t* leaves) const
    {
        constexpr std::size_t kLanes = 8;
        for (std::size_t base = 0; base < count; base += kLanes) {
            const std::size_t lanes = std::min(kLanes, count - base);
            std::int32_t at[kLanes] = {};
            for (bool moving = true; moving;) {
                moving = false;
                for (std::size_t lane = 0; lane < lanes; ++lane) {
                    const Node& node = m_nodes[static_cast<std::size_t>(at[lane])];
                    if (node.feature < 0)
                        continue;
                    at[lane] = goesLeft(base + lane, at[lane], node) ? node.left : node.right;
                    moving = true;
                }
            }
            for (std::size_t lane = 0; lane < lanes; ++lane)
                leaves[base + lane] = m_nodes[static_cast<std::size_t>(at[lane])].left;
        }
    }

    /// The `valueWidth()` numbers of leaf `leaf`.
    const double* leafValues(std::int32_t leaf) const
    {
        return m_values.data() + static_cast<std::size_t>(leaf) * static_cast<std::size_t>(m_valueWidth);
    }

    int valueWidth() const { return m_valueWidth; }
    std::size_t nodeCount() const { return m_nodes.size(); }
    const std::vector<Node>& nodes() const { return m_nodes; }

    /// Boost.Serialization; a loaded tree is checked so that a damaged file cannot make
    /// `findLeaf` loop or read out of bounds (throws `ArchiveError`).
    template <class Archive>
    void serialize(Archive& archive, unsigned version);

    /// Throws `ArchiveError` unless every child index points forward, every leaf index and
    /// feature is in range.
    void validate(int featureCount) const;

    /// Depth of the deepest leaf (0 for a single leaf).
    int depth() const;
    /// Number of leaves.
    std::size_t leafCount() const { return m_values.size() / static_cast<std::size_t>(m_valueWidth); }

private:
    friend class TreeBuilder;
    friend class HistogramTreeBuilder;
    std::vector<Node> m_nodes;
    std::vector<double> m_values;
    int m_valueWidth = 1;
};

/// The impurity a split lowers: gini or entropy (log_loss) for classification, squared
/// error for regression.
enum class SplitCriterion { Gini, Entropy, SquaredError };

/// Growth limits of one tree.
struct TreeSettings {
    SplitCriterion criterion = SplitCriterion::Gini; ///< ignored for regression (always squared error)
    int maxDepth = 0x7fffffff;
    std::int64_t minSamplesSplit = 2;
    std::int64_t minSamplesLeaf = 1;
    int maxFeatures = 1;
};

/// scikit-learn's BestSplitter feature sampling, shared by both tree builders: Fisher–Yates
/// over the features, the constant features known from ancestors kept at the front and
/// skipped, newly found constant ones moved next to them; drawing goes on past constant
/// features until max_features features were visited and at least one was not constant.
class FeatureSampler {
public:
    /// Starts a tree over `features` features.
    void reset(int features)
    {
        m_features.resize(static_cast<std::size_t>(features));
        for (int f = 0; f < features; ++f)
            m_features[static_cast<std::size_t>(f)] = f;
        m_constantFeatures.assign(static_cast<std::size_t>(features), 0);
    }

    /// Draws the features of one node and calls `evaluate(feature)` for each; it returns
    /// false when the feature is constant in the node. `constantCount` is the number of
    /// constant features known from the ancestors on entry, and for the children on exit.
    template <class Evaluate>
    void visit(int& constantCount, int maxFeatures, core::RandomSource& random, Evaluate&& evaluate)
    {
        const int knownConstants = constantCount;
        int foundConstants = 0;
        int drawnConstants = 0;
        int totalConstants = knownConstants;
        int unvisited = static_cast<int>(m_features.size());
        int visited = 0;
        std::vector<int>& features = m_features;
        while (unvisited > totalConstants && (visited < maxFeatures || visited <= foundConstants + drawnConstants)) {
            ++visited;
            int drawn = drawnConstants +
                        static_cast<int>(random.below(static_cast<std::size_t>(unvisited - foundConstants - drawnConstants)));
            if (drawn < knownConstants) {
                std::swap(features[static_cast<std::size_t>(drawn)], features[static_cast<std::size_t>(drawnConstants)]);
                ++drawnConstants;
                continue;
            }
            drawn += foundConstants;
            const int feature = features[static_cast<std::size_t>(drawn)];
            if (!evaluate(feature)) {
                features[static_cast<std::size_t>(drawn)] = features[static_cast<std::size_t>(totalConstants)];
                features[static_cast<std::size_t>(totalConstants)] = feature;
                ++foundConstants;
                ++totalConstants;
            } else {
                --unvisited;
                std::swap(features[static_cast<std::size_t>(unvisited)], features[static_cast<std::size_t>(drawn)]);
            }
        }
        // Keep the ancestors' constant features in their order for siblings, and record the
        // new ones for the children.
        std::copy_n(m_constantFeatures.begin(), knownConstants, features.begin());
        std::copy_n(features.begin() + knownConstants, foundConstants, m_constantFeatures.begin() + knownConstants);
        constantCount = totalConstants;
    }

private:
    std::vector<int> m_features;
    std::vector<int> m_constantFeatures;
};

/// The split score both builders maximise for classification, from the (bootstrap-weighted)
/// class counts on each side: gini Σa²/W per side, entropy Σ a·ln a − W·ln W per side, with
/// a = class weight × count and W = Σa. Larger is better; it differs from the weighted
/// impurity decrease only by terms that are the same for every split of the node.
double classSplitProxy(SplitCriterion criterion, const std::int64_t* left, const std::int64_t* right, int classes,
                       const double* classWeights);

/// Impurity of a node (gini, or entropy in bits) from its class counts, as scikit-learn
/// reports it; `classWeights` may be null.
double classImpurity(SplitCriterion criterion, const std::int64_t* counts, int classes, const double* classWeights);

/// The criterion named by a `criterion` parameter value ("gini", "entropy" or "log_loss",
/// "squared_error"; "auto" = gini for classification, squared_error for regression).
/// Throws `InvalidParameter` naming the criteria the task allows. `model` names the model.
SplitCriterion criterionFromName(const std::string& name, bool classification, const std::string& model);

/// The features of `data` in single precision (column-major), the precision trees split
/// in, as scikit-learn's. Throws `DataError` naming the feature and row of a value beyond
/// float range; `model` names the model in the message.
Eigen::MatrixXf singlePrecisionFeatures(const Dataset& data, const std::string& model);

/// Throws `DataError` unless the monitor rows of `data` (if any) can be scored: the
/// training rows' columns, finite values, one target per row, and for classification
/// class indices in [0, classCount). `model` names the model in messages.
void checkMonitorRows(const Dataset& data, bool classification, const std::string& model);

/// Read-only training data shared by all trees: float32 features, column-major.
struct TreeTrainingData {
    const float* x = nullptr;
    std::size_t rows = 0;
    int features = 0;
    const std::int32_t* labels = nullptr; ///< class index per row (classification)
    const double* targets = nullptr;      ///< target per row (regression)
    int classCount = 0;                   ///< 0 for regression
    /// Weight of each class (classification), multiplied into every row's bootstrap
    /// count as scikit-learn's class_weight does; null means every class weighs 1.
    const double* classWeights = nullptr;
};

/// Thrown out of `TreeBuilder::build` when `shouldStop` turns true.
struct TreeBuildStopped {};

/// Grows trees; one builder per thread (it owns the scratch buffers).
class TreeBuilder {
public:
    /// `shouldStop` is polled every few thousand samples of work.
    TreeBuilder(const TreeTrainingData& data, const TreeSettings& settings, std::function<bool()> shouldStop);

    /// Grows a tree on the rows with a non-zero weight. Adds each split's weighted
    /// impurity decrease to `importances` (one entry per feature, not normalised).
    DecisionTree build(const std::vector<std::uint32_t>& weights, core::RandomSource& random,
                       std::vector<double>& importances);

    /// Share of the training samples already settled in finished leaves, for progress.
    double settledFraction() const
    {
        return m_samples.empty() ? 0.0 : static_cast<double>(m_settled) / static_cast<double>(m_samples.size());
    }

private:
    struct Split {
        int feature = -1;
        std::size_t position = 0; ///< samples before it go left (relative to the node start)
        double threshold = 0.0;
        double proxy = 0.0;
    };

    bool evaluateFeature(int feature, std::size_t start, std::size_t end, Split& best);
    void gatherNode(std::size_t start, std::size_t end);
    void chargeWork(std::size_t samples);

    const TreeTrainingData& m_data;
    TreeSettings m_settings;
    std::function<bool()> m_shouldStop;
    std::size_t m_work = 0;
    std::size_t m_settled = 0;

    const std::vector<std::uint32_t>* m_weights = nullptr;
    std::vector<std::uint32_t> m_samples;
    FeatureSampler m_sampler;
    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint64_t> m_scratch;
    // Node-local copies (indexed by position within the node) for cache-friendly scans.
    std::vector<std::uint32_t> m_localWeight;
    std::vector<std::int32_t> m_localLabel;
    std::vector<double> m_localTarget;
    // Node totals. With class weights, m_weightedTotal / m_weightedSquares hold the
    // weighted count and Σ_k (w_k·c_k)²; without, they equal m_nodeWeight / m_nodeSquares.
    std::int64_t m_nodeWeight = 0;
    double m_weightedTotal = 0.0;
    double m_weightedSquares = 0.0;
    std::vector<std::int64_t> m_nodeCounts;
    std::int64_t m_nodeSquares = 0;
    double m_nodeSum = 0.0;
    std::vector<std::int64_t> m_leftCounts;
    std::vector<std::int64_t> m_rightCounts;
};

template <class Archive>
void DecisionTree::serialize(Archive& archive, unsigned /*version*/)
{
    // Field by field, so the file holds no struct padding and each array is one block.
    std::vector<std::int32_t> feature;
    std::vector<std::int32_t> left;
    std::vector<std::int32_t> right;
    std::vector<double> threshold;
    if constexpr (!Archive::is_loading::value) {
        for (const Node& node : m_nodes) {
            feature.push_back(node.feature);
            left.push_back(node.left);
            right.push_back(node.right);
            threshold.push_back(node.threshold);
        }
    }
    archive & m_valueWidth & feature & left & right & threshold & m_values;
    if constexpr (Archive::is_loading::value) {
        if (left.size() != feature.size() || right.size() != feature.size() || threshold.size() != feature.size())
            throw core::ArchiveError("a saved decision tree is inconsistent — the file is damaged; train the model "
                                     "again");
        m_nodes.resize(feature.size());
        for (std::size_t i = 0; i < m_nodes.size(); ++i)
            m_nodes[i] = Node{feature[i], left[i], right[i], threshold[i]};
    }
}

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::DecisionTree, 1)
