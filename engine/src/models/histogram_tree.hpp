#pragma once
// CART trees grown on binned features (feature_bins.hpp), for the random forest: the same
// growth rules, feature sampling, criteria and depth-first node order as TreeBuilder, but
// the candidate thresholds are the bin edges, so a node's best split comes from a
// per-bin histogram of its class counts (or target sums) instead of a sort. Large nodes
// build the histograms of the features they draw; when most features are drawn at every
// node (the regression forest's default), a node keeps the histograms of all features and
// its larger child gets them by subtraction from its sibling's. A histogram built for one
// node remembers which bins its rows touched, so scanning and clearing it costs the
// distinct codes present, not 256 bins, and nodes of a few rows sort their codes instead.
// Each tree keeps its in-bag rows' codes (row-major records), weights and labels in node
// order, partitioned along with the splits, so a node reads its rows sequentially instead
// of gathering them from the whole data set.

#include <cstdint>
#include <functional>
#include <vector>

#include <Eigen/Core>

#include "models/decision_tree.hpp"
#include "models/feature_bins.hpp"

namespace stepwise::models {

/// Binned codes row-major: row r's codes start at `codes[r * stride]`; the stride is the
/// feature count rounded up to whole 8-byte words.
struct RowMajorCodes {
    std::size_t stride = 0;
    std::vector<std::uint8_t> codes;
};

/// Bins the float32 features of a forest once: per feature the edges of scikit-learn's
/// _BinMapper (`findBinThresholds`, on a seeded sample of at most 200,000 rows when there
/// are more) into `bins.thresholds`, and every row's codes into `codes`. Works feature by
/// feature in parallel and polls `shouldStop` (thread-safe) between features, throwing
/// `TreeBuildStopped` when it returns true. `bins.codes` stays empty: trees read `codes`.
void binFeaturesForTrees(const Eigen::MatrixXf& x, int maxBins, std::uint64_t seed,
                         const std::function<bool()>& shouldStop, BinnedFeatures& bins, RowMajorCodes& codes);

/// Read-only binned training data shared by all trees of a forest.
struct BinnedTrainingData {
    const BinnedFeatures* bins = nullptr;     ///< the bin edges (thresholds) per feature
    const RowMajorCodes* rowCodes = nullptr;  ///< the codes of every row
    const std::int32_t* labels = nullptr; ///< class index per row (classification)
    const double* targets = nullptr;      ///< target per row (regression)
    int classCount = 0;                   ///< 0 for regression
    /// Weight of each class, multiplied into the bootstrap counts; null = all 1.
    const double* classWeights = nullptr;
};

/// Grows trees on binned features; one builder per thread (it owns the scratch buffers).
class HistogramTreeBuilder {
public:
    /// `shouldStop` is polled every few thousand samples of work; when it returns true,
    /// `build` throws `TreeBuildStopped`.
    HistogramTreeBuilder(const BinnedTrainingData& data, const TreeSettings& settings,
                         std::function<bool()> shouldStop);

    /// Grows a tree on the rows with a non-zero weight; thresholds are real values (the
    /// bin edges), so the tree predicts without binning. Adds each split's weighted
    /// impurity decrease to `importances` (one entry per feature, not normalised).
    DecisionTree build(const std::vector<std::uint32_t>& weights, core::RandomSource& random,
                       std::vector<double>& importances);

    /// For each node of the last tree built, the bin its split is at (rows whose code is
    /// at most this bin go left; 0 for leaves): walks training rows on their codes.
    const std::vector<std::uint8_t>& splitBins() const { return m_splitBins; }

private:
    struct Split {
        int feature = -1;
        int bin = 0;     ///< last occupied bin on the left
        int nextBin = 0; ///< first occupied bin on the right
        double proxy = 0.0;
    };
    /// The left side of a scan in progress (class counts are in m_leftCounts).
    struct LeftSide {
        std::size_t rows = 0;
        std::int64_t weight = 0;
        double sum = 0.0;
    };
    /// Nodes with at most this many rows sort their codes instead of building histograms.
    static constexpr std::size_t kTinyNodeRows = 16;

    void gatherNode(std::size_t start, std::size_t end);
    template <bool Classification>
    bool evaluateFeature(int feature, std::size_t start, std::size_t end, Split& best);
    template <bool Classification>
    bool evaluateTinyNode(int feature, std::size_t start, std::size_t end, Split& best);
    template <bool Classification>
    bool evaluateFromHistogram(int feature, const std::uint32_t* counts, const double* sums, std::size_t rows,
                               Split& best);
    void startScan();
    template <bool Classification>
    void addBin(int bin, const std::uint32_t* counts, const double* sums, LeftSide& left);
    template <bool Classification>
    void scoreSplit(int feature, int bin, int nextBin, const LeftSide& left, std::size_t rows, Split& best);
    int thresholdBin(const Split& split) const;
    std::size_t partition(std::size_t start, std::size_t end, int feature, int bin);
    void buildFullHistogram(std::size_t start, std::size_t end, std::size_t histogram);
    std::size_t takeHistogram();
    void chargeWork(std::size_t samples);

    const BinnedTrainingData& m_data;
    const BinnedFeatures& m_bins;
    TreeSettings m_settings;
    std::function<bool()> m_shouldStop;
    std::size_t m_work = 0;
    bool m_classification = false;
    bool m_plainGini = false;          ///< gini without class weights: exact integer proxy
    int m_classes = 0;
    std::size_t m_binStride = 0;       ///< counts per bin: rows, then the class weights or the weight
    bool m_keepHistograms = false;     ///< histogram subtraction between siblings
    std::vector<std::size_t> m_offset; ///< first bin of each feature in a full histogram
    std::size_t m_totalBins = 0;

    // The in-bag rows in node order (each node a contiguous range).
    std::size_t m_recordBytes = 0; ///< bytes per row of codes (RowMajorCodes::stride)
    std::vector<std::uint8_t> m_codes;
    std::vector<std::uint32_t> m_weight;
    std::vector<std::int32_t> m_label;
    std::vector<double> m_target;
    std::vector<std::uint8_t> m_swapRecord;
    FeatureSampler m_sampler;
    std::vector<std::uint8_t> m_splitBins;

    // Node totals.
    std::int64_t m_nodeWeight = 0;
    double m_nodeSum = 0.0;
    std::vector<std::int64_t> m_nodeCounts;
    // The class counts of the left side of the scan in progress.
    std::vector<std::int64_t> m_leftCounts;
    std::vector<std::int64_t> m_rightCounts;

    // One feature's histogram (bins × stride counts, bins sums) for nodes without a full
    // one; all zero between uses.
    std::vector<std::uint32_t> m_featureCounts;
    std::vector<double> m_featureSums;
    // Full histograms (all features) of pending large nodes, reused through a free list.
    struct Histogram {
        std::vector<std::uint32_t> counts;
        std::vector<double> sums;
    };
    std::vector<Histogram> m_histograms;
    std::vector<std::size_t> m_freeHistograms;
};

} // namespace stepwise::models
