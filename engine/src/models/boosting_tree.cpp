#include "models/boosting_tree.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>

#include <omp.h>

namespace stepwise::models {
namespace {

// scikit-learn's TreeGrower default: a child needs at least this much hessian.
constexpr double kMinHessianToSplit = 1e-3;
// Below this many row × feature updates a node's histograms are cheaper on one thread
// than the fork and join of a parallel region.
constexpr std::size_t kParallelWork = 32768;
// Partitioning rows is memory-bound: measured on two cores, the in-place pass on one
// thread beats the two-pass parallel one up to nodes of several hundred thousand rows.
constexpr std::uint32_t kParallelPartition = 1u << 19;

// The features this thread builds and scans: one contiguous share per thread, so each
// (feature, bin) is summed by one thread in row order, whatever the thread count.
std::pair<int, int> featureRange(int features)
{
    const int thread = omp_get_thread_num();
    const int threads = omp_get_num_threads();
    return {features * thread / threads, features * (thread + 1) / threads};
}

// compute_node_value in splitting.pyx (no monotonic bounds).
double nodeValue(double sumGradient, double sumHessian, double l2)
{
    return -sumGradient / (sumHessian + l2 + 1e-15);
}

} // namespace

int BoostingTree::leafCount() const
{
    return static_cast<int>(std::count_if(m_nodes.begin(), m_nodes.end(), [](const Node& n) { return n.feature < 0; }));
}

void BoostingTree::validate(int featureCount) const
{
    bool ok = !m_nodes.empty();
    for (std::size_t i = 0; ok && i < m_nodes.size(); ++i) {
        const Node& node = m_nodes[i];
        if (node.feature >= 0) {
            // Children always come after their parent, so a walk cannot loop.
            ok = node.feature < featureCount && node.left > static_cast<std::int64_t>(i) &&
                 node.right > static_cast<std::int64_t>(i) && static_cast<std::size_t>(node.left) < m_nodes.size() &&
                 static_cast<std::size_t>(node.right) < m_nodes.size();
        } else {
            ok = node.feature == -1;
        }
    }
    if (!ok)
        throw core::ArchiveError("a saved boosting tree is inconsistent — the file is damaged; train the model again");
}

BoostingTreeGrower::BoostingTreeGrower(const BinnedFeatures& binned, const BoostingTreeSettings& settings)
    : m_binned(binned), m_settings(settings)
{
    m_binOffsets.resize(static_cast<std::size_t>(binned.features));
    for (int f = 0; f < binned.features; ++f) {
        m_binOffsets[static_cast<std::size_t>(f)] = m_totalBins;
        m_totalBins += static_cast<std::size_t>(binned.binCount(f));
    }
    m_partition.resize(binned.rows);
    m_buffer.resize(2 * binned.rows);
    m_rowCodes.resize(binned.rows * static_cast<std::size_t>(binned.features));
    const auto features = static_cast<std::size_t>(binned.features);
    const auto rowCount = static_cast<std::ptrdiff_t>(binned.rows);
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t r = 0; r < rowCount; ++r)
        for (std::size_t f = 0; f < features; ++f)
            m_rowCodes[static_cast<std::size_t>(r) * features + f] = binned.codes[f * binned.rows + static_cast<std::size_t>(r)];
    m_leftSplits.resize(static_cast<std::size_t>(binned.features));
    m_rightSplits.resize(static_cast<std::size_t>(binned.features));
}

int BoostingTreeGrower::acquireHistogram()
{
    if (!m_freeHistograms.empty()) {
        const int index = m_freeHistograms.back();
        m_freeHistograms.pop_back();
        return index;
    }
    m_histograms.emplace_back(m_totalBins);
    return static_cast<int>(m_histograms.size()) - 1;
}

void BoostingTreeGrower::releaseHistogram(GrowNode& node)
{
    if (node.histogram >= 0) {
        m_freeHistograms.push_back(node.histogram);
        node.histogram = -1;
    }
}

namespace {

// The histograms of features [firstFeature, endFeature) over a node's rows. Each
// (feature, bin) sum still adds the rows in ascending row order (the partition is
// stable), as scikit-learn's per-feature loops do, so the sums are bit-identical.
template <bool Root, bool ConstantHessian, class Bin>
void accumulateRows(const std::uint8_t* rowCodes, std::size_t features, const std::uint32_t* index,
                    std::uint32_t rows, const float* gradients, const float* hessians, const std::size_t* offsets,
                    int firstFeature, int endFeature, Bin* histogram)
{
    constexpr std::uint32_t kPrefetch = 16;
    for (std::uint32_t i = 0; i < rows; ++i) {
        const std::uint32_t row = Root ? i : index[i];
        if constexpr (!Root) {
            if (i + kPrefetch < rows) {
                const std::uint32_t ahead = index[i + kPrefetch];
                __builtin_prefetch(rowCodes + static_cast<std::size_t>(ahead) * features + firstFeature);
                __builtin_prefetch(gradients + ahead);
                if constexpr (!ConstantHessian)
                    __builtin_prefetch(hessians + ahead);
            }
        }
        const std::uint8_t* codes = rowCodes + static_cast<std::size_t>(row) * features;
        const auto gradient = static_cast<double>(gradients[row]);
        const double hessian = ConstantHessian ? 0.0 : static_cast<double>(hessians[row]);
        for (int f = firstFeature; f < endFeature; ++f) {
            Bin& bin = histogram[offsets[f] + codes[f]];
            bin.gradient += gradient;
            if constexpr (!ConstantHessian)
                bin.hessian += hessian;
            ++bin.count;
        }
    }
}

} // namespace

void BoostingTreeGrower::buildHistograms(const GrowNode& node, bool root, int firstFeature, int endFeature,
                                         HistogramBin* histogram) const
{
    if (firstFeature >= endFeature)
        return;
    const std::size_t begin = m_binOffsets[static_cast<std::size_t>(firstFeature)];
    const std::size_t end = endFeature < m_binned.features ? m_binOffsets[static_cast<std::size_t>(endFeature)] : m_totalBins;
    std::fill(histogram + begin, histogram + end, HistogramBin{});
    const auto features = static_cast<std::size_t>(m_binned.features);
    const std::uint32_t* index = m_partition.data() + node.start;
    const std::uint32_t rows = count(node);
    const std::size_t* offsets = m_binOffsets.data();
    const std::uint8_t* codes = m_rowCodes.data();
    if (root) {
        if (m_settings.constantHessian)
            accumulateRows<true, true>(codes, features, index, rows, m_gradients, m_hessians, offsets, firstFeature,
                                       endFeature, histogram);
        else
            accumulateRows<true, false>(codes, features, index, rows, m_gradients, m_hessians, offsets, firstFeature,
                                        endFeature, histogram);
    } else {
        if (m_settings.constantHessian)
            accumulateRows<false, true>(codes, features, index, rows, m_gradients, m_hessians, offsets, firstFeature,
                                        endFeature, histogram);
        else
            accumulateRows<false, false>(codes, features, index, rows, m_gradients, m_hessians, offsets, firstFeature,
                                         endFeature, histogram);
    }
}

// _find_best_bin_to_split_left_to_right without missing values: every bin but the last
// may end the left child.
void BoostingTreeGrower::scanFeature(const GrowNode& node, const HistogramBin* histogram, int feature,
                                     SplitInfo& best) const
{
    best = SplitInfo{};
    best.feature = feature;
    const HistogramBin* bin = histogram + m_binOffsets[static_cast<std::size_t>(feature)];
    const int end = m_binned.binCount(feature) - 1;
    const std::uint32_t rows = count(node);
    const std::uint32_t minLeaf = m_settings.minSamplesLeaf;
    const double l2 = m_settings.l2Regularization;
    const double lossCurrentNode = node.sumGradients * node.value;
    double gradientLeft = 0.0;
    double hessianLeft = 0.0;
    std::uint32_t countLeft = 0;
    double bestGain = -1.0;
    int bestBin = -1;
    double bestGradientLeft = 0.0;
    double bestHessianLeft = 0.0;
    std::uint32_t bestCountLeft = 0;
    for (int b = 0; b < end; ++b) {
        // An empty bin whose sums are exact zeros repeats the previous position, whose
        // gain it cannot beat: skipping it changes nothing.
        if (bin[b].count == 0 && bin[b].gradient == 0.0 && bin[b].hessian == 0.0)
            continue;
        countLeft += bin[b].count;
        const std::uint32_t countRight = rows - countLeft;
        if (m_settings.constantHessian)
            hessianLeft += static_cast<double>(bin[b].count);
        else
            hessianLeft += bin[b].hessian;
        const double hessianRight = node.sumHessians - hessianLeft;
        gradientLeft += bin[b].gradient;
        const double gradientRight = node.sumGradients - gradientLeft;
        if (countLeft < minLeaf)
            continue;
        if (countRight < minLeaf)
            break;
        if (hessianLeft < kMinHessianToSplit)
            continue;
        if (hessianRight < kMinHessianToSplit)
            break;
        // _split_gain: the node's loss minus its children's, each loss being
        // sum_gradient · value (XGBoost's equations 5–7 without the ½).
        const double valueLeft = nodeValue(gradientLeft, hessianLeft, l2);
        const double valueRight = nodeValue(gradientRight, hessianRight, l2);
        double gain = lossCurrentNode;
        gain -= gradientLeft * valueLeft;
        gain -= gradientRight * valueRight;
        if (gain > bestGain && gain > 0.0) {
            bestGain = gain;
            bestBin = b;
            bestGradientLeft = gradientLeft;
            bestHessianLeft = hessianLeft;
            bestCountLeft = countLeft;
        }
    }
    if (bestBin < 0)
        return;
    best.gain = bestGain;
    best.bin = static_cast<std::uint32_t>(bestBin);
    best.gradientLeft = bestGradientLeft;
    best.gradientRight = node.sumGradients - bestGradientLeft;
    best.hessianLeft = bestHessianLeft;
    best.hessianRight = node.sumHessians - bestHessianLeft;
    best.countLeft = bestCountLeft;
    best.countRight = rows - bestCountLeft;
    best.valueLeft = nodeValue(best.gradientLeft, best.hessianLeft, l2);
    best.valueRight = nodeValue(best.gradientRight, best.hessianRight, l2);
}

BoostingTreeGrower::SplitInfo BoostingTreeGrower::bestOf(const std::vector<SplitInfo>& perFeature) const
{
    std::size_t best = 0;
    for (std::size_t f = 1; f < perFeature.size(); ++f)
        if (perFeature[f].gain > perFeature[best].gain)
            best = f;
    return perFeature[best];
}

// Splitter.split_indices: a stable partition of the node's rows, left child first.
void BoostingTreeGrower::splitRows(const GrowNode& node)
{
    const std::uint8_t* codes =
        m_binned.codes.data() + static_cast<std::size_t>(node.split.feature) * m_binned.rows;
    const std::uint8_t bin = static_cast<std::uint8_t>(node.split.bin);
    std::uint32_t* rows = m_partition.data() + node.start;
    const std::uint32_t size = count(node);
    if (size < kParallelPartition) {
        // Left rows are written in place (never ahead of the reading position), right
        // rows go to the buffer and are copied behind them.
        std::uint32_t left = 0;
        std::uint32_t right = 0;
        std::uint32_t* rightRows = m_buffer.data();
        for (std::uint32_t i = 0; i < size; ++i) {
            // Branch-free: the comparison is a coin flip the predictor cannot learn.
            const std::uint32_t row = rows[i];
            const std::uint32_t goesLeft = codes[row] <= bin ? 1u : 0u;
            rows[left] = row;
            rightRows[right] = row;
            left += goesLeft;
            right += 1u - goesLeft;
        }
        std::memcpy(rows + left, rightRows, sizeof(std::uint32_t) * right);
        return;
    }
    // Each thread partitions one contiguous chunk into the two buffers; the chunks are
    // then copied back in order, so the result is the same stable partition.
    m_chunks.resize(static_cast<std::size_t>(std::max(1, omp_get_max_threads())));
    std::uint32_t* leftBuffer = m_buffer.data();
    std::uint32_t* rightBuffer = m_buffer.data() + m_binned.rows;
#pragma omp parallel num_threads(static_cast<int>(m_chunks.size()))
    {
        const auto team = static_cast<std::uint64_t>(omp_get_num_threads());
        const auto thread = static_cast<std::size_t>(omp_get_thread_num());
        Chunk& chunk = m_chunks[thread];
        chunk.begin = static_cast<std::uint32_t>(static_cast<std::uint64_t>(size) * thread / team);
        const auto end = static_cast<std::uint32_t>(static_cast<std::uint64_t>(size) * (thread + 1) / team);
        std::uint32_t left = 0;
        std::uint32_t right = 0;
        for (std::uint32_t i = chunk.begin; i < end; ++i) {
            const std::uint32_t row = rows[i];
            const std::uint32_t goesLeft = codes[row] <= bin ? 1u : 0u;
            leftBuffer[chunk.begin + left] = row;
            rightBuffer[chunk.begin + right] = row;
            left += goesLeft;
            right += 1u - goesLeft;
        }
        chunk.left = left;
        chunk.right = right;
#pragma omp barrier
#pragma omp single
        {
            std::uint32_t leftOffset = 0;
            for (std::size_t t = 0; t < team; ++t)
                leftOffset += m_chunks[t].left;
            std::uint32_t rightOffset = leftOffset;
            leftOffset = 0;
            for (std::size_t t = 0; t < team; ++t) {
                m_chunks[t].leftOffset = leftOffset;
                m_chunks[t].rightOffset = rightOffset;
                leftOffset += m_chunks[t].left;
                rightOffset += m_chunks[t].right;
            }
        }
        std::memcpy(rows + chunk.leftOffset, leftBuffer + chunk.begin, sizeof(std::uint32_t) * chunk.left);
        std::memcpy(rows + chunk.rightOffset, rightBuffer + chunk.begin, sizeof(std::uint32_t) * chunk.right);
    }
}

void BoostingTreeGrower::finalizeLeaf(int node)
{
    GrowNode& grown = m_nodes[static_cast<std::size_t>(node)];
    grown.leaf = true;
    releaseHistogram(grown);
    m_leaves.push_back(node);
}

void BoostingTreeGrower::pushOrFinalize(int node, const SplitInfo& split)
{
    m_nodes[static_cast<std::size_t>(node)].split = split;
    if (split.gain <= 0.0)
        finalizeLeaf(node);
    else
        heapPush(node);
}

// heapq.heappush / heappop with TreeNode.__lt__ (higher gain first), step for step, so
// nodes of equal gain are split in scikit-learn's order.
void BoostingTreeGrower::heapPush(int node)
{
    const auto before = [this](int a, int b) {
        return m_nodes[static_cast<std::size_t>(a)].split.gain > m_nodes[static_cast<std::size_t>(b)].split.gain;
    };
    m_heap.push_back(node);
    std::size_t position = m_heap.size() - 1;
    while (position > 0) {
        const std::size_t parent = (position - 1) >> 1;
        if (!before(node, m_heap[parent]))
            break;
        m_heap[position] = m_heap[parent];
        position = parent;
    }
    m_heap[position] = node;
}

int BoostingTreeGrower::heapPop()
{
    const auto before = [this](int a, int b) {
        return m_nodes[static_cast<std::size_t>(a)].split.gain > m_nodes[static_cast<std::size_t>(b)].split.gain;
    };
    const int last = m_heap.back();
    m_heap.pop_back();
    if (m_heap.empty())
        return last;
    const int top = m_heap[0];
    // _siftup: move the smaller child up until a leaf, then _siftdown the new item.
    const std::size_t end = m_heap.size();
    std::size_t position = 0;
    std::size_t child = 1;
    while (child < end) {
        const std::size_t right = child + 1;
        if (right < end && !before(m_heap[child], m_heap[right]))
            child = right;
        m_heap[position] = m_heap[child];
        position = child;
        child = 2 * position + 1;
    }
    while (position > 0) {
        const std::size_t parent = (position - 1) >> 1;
        if (!before(last, m_heap[parent]))
            break;
        m_heap[position] = m_heap[parent];
        position = parent;
    }
    m_heap[position] = last;
    return top;
}

BoostingTree BoostingTreeGrower::grow(const float* gradients, const float* hessians, std::vector<double>& gains,
                                      core::TaskControl& control)
{
    m_gradients = gradients;
    m_hessians = hessians;
    m_nodes.clear();
    m_heap.clear();
    m_leaves.clear();
    m_freeHistograms.clear();
    for (std::size_t i = m_histograms.size(); i > 0; --i)
        m_freeHistograms.push_back(static_cast<int>(i - 1));
    std::iota(m_partition.begin(), m_partition.end(), 0u);

    const auto rows = static_cast<std::uint32_t>(m_binned.rows);
    GrowNode root;
    root.start = 0;
    root.stop = rows;
    // sum_parallel on one thread: a plain float64 sum in row order.
    for (std::uint32_t i = 0; i < rows; ++i)
        root.sumGradients += static_cast<double>(gradients[i]);
    if (m_settings.constantHessian) {
        root.sumHessians = static_cast<double>(rows);
    } else {
        for (std::uint32_t i = 0; i < rows; ++i)
            root.sumHessians += static_cast<double>(hessians[i]);
    }
    // scikit-learn starts the root at value 0 (also in its own split gain).
    root.value = 0.0;
    m_nodes.push_back(root);

    if (rows < 2 * m_settings.minSamplesLeaf || root.sumHessians < kMinHessianToSplit) {
        finalizeLeaf(0);
    } else {
        m_nodes[0].histogram = acquireHistogram();
        HistogramBin* histogram = m_histograms[static_cast<std::size_t>(m_nodes[0].histogram)].data();
        const GrowNode& node = m_nodes[0];
        const int features = m_binned.features;
#pragma omp parallel if (static_cast<std::size_t>(rows) * static_cast<std::size_t>(features) >= kParallelWork)
        {
            const auto [first, end] = featureRange(features);
            buildHistograms(node, true, first, end, histogram);
            for (int f = first; f < end; ++f)
                scanFeature(node, histogram, f, m_leftSplits[static_cast<std::size_t>(f)]);
        }
        pushOrFinalize(0, bestOf(m_leftSplits));
    }
    while (!m_heap.empty()) {
        control.checkCancelled();
        splitNext(gains);
    }
    for (int leaf : m_leaves)
        m_nodes[static_cast<std::size_t>(leaf)].value *= m_settings.shrinkage;
    return flatten();
}

// TreeGrower.split_next.
void BoostingTreeGrower::splitNext(std::vector<double>& gains)
{
    const int parentId = heapPop();
    const GrowNode parent = m_nodes[static_cast<std::size_t>(parentId)];
    const SplitInfo& split = parent.split;
    splitRows(parent);

    const int depth = parent.depth + 1;
    const std::size_t leafNodes = m_leaves.size() + m_heap.size() + 2;
    GrowNode left;
    left.start = parent.start;
    left.stop = parent.start + split.countLeft;
    left.depth = depth;
    left.sumGradients = split.gradientLeft;
    left.sumHessians = split.hessianLeft;
    left.value = split.valueLeft;
    GrowNode right;
    right.start = left.stop;
    right.stop = parent.stop;
    right.depth = depth;
    right.sumGradients = split.gradientRight;
    right.sumHessians = split.hessianRight;
    right.value = split.valueRight;
    const int leftId = static_cast<int>(m_nodes.size());
    const int rightId = leftId + 1;
    m_nodes.push_back(left);
    m_nodes.push_back(right);
    m_nodes[static_cast<std::size_t>(parentId)].left = leftId;
    m_nodes[static_cast<std::size_t>(parentId)].right = rightId;

    // The importance is the split's true loss reduction; scikit-learn's own gain counts
    // the root's value as 0, which adds the root's loss sum_gradient²/sum_hessian.
    double reduction = split.gain;
    if (parentId == 0)
        reduction += parent.sumGradients *
                     nodeValue(parent.sumGradients, parent.sumHessians, m_settings.l2Regularization);
    gains[static_cast<std::size_t>(split.feature)] += reduction;

    const auto node = [this](int id) -> GrowNode& { return m_nodes[static_cast<std::size_t>(id)]; };
    if (m_settings.maxLeafNodes > 0 && leafNodes == static_cast<std::size_t>(m_settings.maxLeafNodes)) {
        finalizeLeaf(leftId);
        finalizeLeaf(rightId);
        while (!m_heap.empty()) {
            const int waiting = m_heap.back();
            m_heap.pop_back();
            finalizeLeaf(waiting);
        }
        releaseHistogram(node(parentId));
        return;
    }
    if (m_settings.maxDepth > 0 && depth == m_settings.maxDepth) {
        finalizeLeaf(leftId);
        finalizeLeaf(rightId);
        releaseHistogram(node(parentId));
        return;
    }
    if (count(node(leftId)) < 2 * m_settings.minSamplesLeaf)
        finalizeLeaf(leftId);
    if (count(node(rightId)) < 2 * m_settings.minSamplesLeaf)
        finalizeLeaf(rightId);
    const bool splitLeft = !node(leftId).leaf;
    const bool splitRight = !node(rightId).leaf;
    if (!splitLeft && !splitRight) {
        releaseHistogram(node(parentId));
        return;
    }

    // Brute force on the smaller child, subtraction from the parent for the larger one
    // (whose histogram reuses the parent's memory).
    const bool leftSmaller = count(node(leftId)) < count(node(rightId));
    const int smallId = leftSmaller ? leftId : rightId;
    const int largeId = leftSmaller ? rightId : leftId;
    node(smallId).histogram = acquireHistogram();
    node(largeId).histogram = node(parentId).histogram;
    node(parentId).histogram = -1;
    const GrowNode& small = node(smallId);
    const GrowNode& leftNode = node(leftId);
    const GrowNode& rightNode = node(rightId);
    HistogramBin* smallHistogram = m_histograms[static_cast<std::size_t>(small.histogram)].data();
    HistogramBin* largeHistogram = m_histograms[static_cast<std::size_t>(node(largeId).histogram)].data();
    const HistogramBin* leftHistogram = leftSmaller ? smallHistogram : largeHistogram;
    const HistogramBin* rightHistogram = leftSmaller ? largeHistogram : smallHistogram;
    const std::uint32_t smallRows = count(small);
    const int features = m_binned.features;
#pragma omp parallel if (static_cast<std::size_t>(smallRows) * static_cast<std::size_t>(features) >= kParallelWork)
    {
        const auto [first, end] = featureRange(features);
        buildHistograms(small, false, first, end, smallHistogram);
        for (int f = first; f < end; ++f) {
            const std::size_t offset = m_binOffsets[static_cast<std::size_t>(f)];
            const int bins = m_binned.binCount(f);
            for (int b = 0; b < bins; ++b) {
                HistogramBin& large = largeHistogram[offset + static_cast<std::size_t>(b)];
                const HistogramBin& smaller = smallHistogram[offset + static_cast<std::size_t>(b)];
                large.gradient -= smaller.gradient;
                large.hessian -= smaller.hessian;
                large.count -= smaller.count;
            }
            if (splitLeft)
                scanFeature(leftNode, leftHistogram, f, m_leftSplits[static_cast<std::size_t>(f)]);
            if (splitRight)
                scanFeature(rightNode, rightHistogram, f, m_rightSplits[static_cast<std::size_t>(f)]);
        }
    }
    if (splitLeft)
        pushOrFinalize(leftId, bestOf(m_leftSplits));
    if (splitRight)
        pushOrFinalize(rightId, bestOf(m_rightSplits));
    if (node(leftId).leaf)
        releaseHistogram(node(leftId));
    if (node(rightId).leaf)
        releaseHistogram(node(rightId));
}

BoostingTree BoostingTreeGrower::flatten() const
{
    BoostingTree tree;
    tree.m_nodes.reserve(m_nodes.size());
    struct Pending {
        int id;
        std::int32_t parent;
        bool isLeft;
    };
    std::vector<Pending> stack{{0, -1, false}};
    while (!stack.empty()) {
        const Pending pending = stack.back();
        stack.pop_back();
        const GrowNode& grown = m_nodes[static_cast<std::size_t>(pending.id)];
        const auto index = static_cast<std::int32_t>(tree.m_nodes.size());
        BoostingTree::Node node;
        node.value = grown.value;
        if (!grown.leaf) {
            node.feature = grown.split.feature;
            node.bin = static_cast<std::uint8_t>(grown.split.bin);
            node.threshold = m_binned.thresholds[static_cast<std::size_t>(grown.split.feature)][grown.split.bin];
        }
        tree.m_nodes.push_back(node);
        if (pending.parent >= 0) {
            BoostingTree::Node& parent = tree.m_nodes[static_cast<std::size_t>(pending.parent)];
            (pending.isLeft ? parent.left : parent.right) = index;
        }
        if (!grown.leaf) {
            stack.push_back({grown.right, index, false});
            stack.push_back({grown.left, index, true});
        }
    }
    return tree;
}

void BoostingTreeGrower::addLeafValues(double* raw) const
{
    // One thread: leaves interleave in memory, so threads updating different leaves
    // would keep stealing each other's cache lines.
    for (int id : m_leaves) {
        const GrowNode& leaf = m_nodes[static_cast<std::size_t>(id)];
        for (std::uint32_t i = leaf.start; i < leaf.stop; ++i)
            raw[m_partition[i]] += leaf.value;
    }
}

} // namespace stepwise::models
