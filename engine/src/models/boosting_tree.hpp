#pragma once
// One tree of scikit-learn 1.2's histogram gradient boosting (TreeGrower, Splitter and
// HistogramBuilder in sklearn/ensemble/_hist_gradient_boosting): a regression tree fitted
// to a Newton step on float32 gradients and hessians, grown best-first (the leaf with
// the largest gain splits next, ties broken like Python's heapq), on binned features.
// A node's histogram (per feature and bin: summed gradients, hessians, row count, all
// summed in float64 in row order) is built from its rows for the smaller child and by
// subtraction from the parent for the larger one. Split gain, leaf values, the limits
// max_leaf_nodes / max_depth / min_samples_leaf / min_hessian_to_split (1e-3) and the
// root's quirk (its value counts as 0 in its own gain) are scikit-learn's. Histograms
// and split scans run per feature in parallel, so the tree does not depend on the
// thread count.

#include <cstdint>
#include <vector>

#include <boost/serialization/version.hpp>

#include "models/feature_bins.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_control.hpp"

namespace stepwise::models {

/// A fitted boosting tree stored flat in depth-first order (a node, its left subtree,
/// then its right one), as scikit-learn's TreePredictor.
class BoostingTree {
public:
    struct Node {
        std::int32_t feature = -1; ///< split feature, -1 for a leaf
        std::int32_t left = 0;     ///< left child (inner nodes)
        std::int32_t right = 0;    ///< right child (inner nodes)
        std::uint8_t bin = 0;      ///< binned rows with a code <= bin go left
        double threshold = 0.0;    ///< rows with a value <= threshold go left
        double value = 0.0;        ///< leaf: the value added to the raw prediction (learning rate applied)
    };

    /// The leaf value a row reaches; `value(feature)` gives the row's feature value.
    template <class FeatureValue>
    double predict(FeatureValue&& value) const
    {
        const Node* nodes = m_nodes.data();
        std::int32_t index = 0;
        while (nodes[index].feature >= 0)
            index = value(nodes[index].feature) <= nodes[index].threshold ? nodes[index].left : nodes[index].right;
        return nodes[index].value;
    }

    /// The leaf value a binned row reaches; `code(feature)` gives its bin.
    template <class FeatureCode>
    double predictBinned(FeatureCode&& code) const
    {
        const Node* nodes = m_nodes.data();
        std::int32_t index = 0;
        while (nodes[index].feature >= 0)
            index = code(nodes[index].feature) <= nodes[index].bin ? nodes[index].left : nodes[index].right;
        return nodes[index].value;
    }

    const std::vector<Node>& nodes() const { return m_nodes; }
    /// Number of leaves.
    int leafCount() const;

    /// Boost.Serialization, field by field (no struct padding in the file).
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    /// Throws `ArchiveError` unless children point forward and features are in range, so
    /// a damaged file can neither loop nor read out of bounds.
    void validate(int featureCount) const;

private:
    friend class BoostingTreeGrower;
    std::vector<Node> m_nodes;
};

/// Growth limits and the Newton step's regularisation.
struct BoostingTreeSettings {
    int maxLeafNodes = 31;             ///< 0 = no limit
    int maxDepth = 0;                  ///< 0 = no limit
    std::uint32_t minSamplesLeaf = 20;
    double l2Regularization = 0.0;
    double shrinkage = 0.1;            ///< the learning rate, applied to the leaf values
    bool constantHessian = false;      ///< squared error: every hessian is 1 and is not summed
};

/// Grows the trees of one fit. It owns every buffer (row partition, ordered gradients,
/// a pool of histograms), so growing a tree allocates nothing once the pool is warm.
class BoostingTreeGrower {
public:
    /// `binned` must outlive the grower.
    BoostingTreeGrower(const BinnedFeatures& binned, const BoostingTreeSettings& settings);

    /// Grows one tree on the per-row `gradients` and `hessians` (float32, as scikit-learn's
    /// G_H_DTYPE; `hessians` is unused with constantHessian). Adds each split's loss
    /// reduction to `gains[feature]`. Checks `control` for cancel before every split.
    BoostingTree grow(const float* gradients, const float* hessians, std::vector<double>& gains,
                      core::TaskControl& control);

    /// Adds the leaf values of the last grown tree to `raw[row]` of every training row
    /// (scikit-learn's _update_raw_predictions).
    void addLeafValues(double* raw) const;

private:
    struct HistogramBin {
        double gradient = 0.0;
        double hessian = 0.0;
        std::uint32_t count = 0;
    };
    struct SplitInfo {
        double gain = -1.0;
        int feature = 0;
        std::uint32_t bin = 0;
        double gradientLeft = 0.0;
        double hessianLeft = 0.0;
        double gradientRight = 0.0;
        double hessianRight = 0.0;
        std::uint32_t countLeft = 0;
        std::uint32_t countRight = 0;
        double valueLeft = 0.0;
        double valueRight = 0.0;
    };
    struct GrowNode {
        std::uint32_t start = 0; ///< the node's rows are m_partition[start, stop)
        std::uint32_t stop = 0;
        int depth = 0;
        double sumGradients = 0.0;
        double sumHessians = 0.0;
        double value = 0.0;
        SplitInfo split;
        int histogram = -1; ///< index in m_histograms, -1 when none is held
        int left = -1;
        int right = -1;
        bool leaf = false;
    };

    /// One thread's share of a parallel row partition.
    struct Chunk {
        std::uint32_t begin = 0;
        std::uint32_t left = 0;
        std::uint32_t right = 0;
        std::uint32_t leftOffset = 0;
        std::uint32_t rightOffset = 0;
    };

    std::uint32_t count(const GrowNode& node) const { return node.stop - node.start; }
    int acquireHistogram();
    void releaseHistogram(GrowNode& node);
    void buildHistograms(const GrowNode& node, bool root, int firstFeature, int endFeature,
                         HistogramBin* histogram) const;
    void scanFeature(const GrowNode& node, const HistogramBin* histogram, int feature, SplitInfo& best) const;
    SplitInfo bestOf(const std::vector<SplitInfo>& perFeature) const;
    void splitRows(const GrowNode& node);
    void finalizeLeaf(int node);
    void pushOrFinalize(int node, const SplitInfo& split);
    void heapPush(int node);
    int heapPop();
    void splitNext(std::vector<double>& gains);
    BoostingTree flatten() const;

    const BinnedFeatures& m_binned;
    BoostingTreeSettings m_settings;
    std::vector<std::size_t> m_binOffsets; ///< feature f's bins start at m_binOffsets[f]
    std::size_t m_totalBins = 0;

    const float* m_gradients = nullptr;
    const float* m_hessians = nullptr;
    std::vector<std::uint32_t> m_partition;
    std::vector<std::uint32_t> m_buffer;
    /// The bins again, row-major: one node row's codes share a cache line, so a node's
    /// histograms cost one scattered read per row instead of one per row and feature.
    std::vector<std::uint8_t> m_rowCodes;
    std::vector<std::vector<HistogramBin>> m_histograms;
    std::vector<int> m_freeHistograms;
    std::vector<Chunk> m_chunks;
    std::vector<SplitInfo> m_leftSplits;
    std::vector<SplitInfo> m_rightSplits;

    std::vector<GrowNode> m_nodes;
    std::vector<int> m_heap;  ///< splittable nodes, a binary heap on gain (heapq's algorithm)
    std::vector<int> m_leaves;
};

template <class Archive>
void BoostingTree::serialize(Archive& archive, unsigned /*version*/)
{
    std::vector<std::int32_t> feature;
    std::vector<std::int32_t> left;
    std::vector<std::int32_t> right;
    std::vector<std::uint8_t> bin;
    std::vector<double> threshold;
    std::vector<double> value;
    if constexpr (!Archive::is_loading::value) {
        for (const Node& node : m_nodes) {
            feature.push_back(node.feature);
            left.push_back(node.left);
            right.push_back(node.right);
            bin.push_back(node.bin);
            threshold.push_back(node.threshold);
            value.push_back(node.value);
        }
    }
    archive & feature & left & right & bin & threshold & value;
    if constexpr (Archive::is_loading::value) {
        const std::size_t size = feature.size();
        if (left.size() != size || right.size() != size || bin.size() != size || threshold.size() != size ||
            value.size() != size)
            throw core::ArchiveError("a saved boosting tree is inconsistent — the file is damaged; train the model "
                                     "again");
        m_nodes.resize(size);
        for (std::size_t i = 0; i < size; ++i)
            m_nodes[i] = Node{feature[i], left[i], right[i], bin[i], threshold[i], value[i]};
    }
}

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::BoostingTree, 1)
