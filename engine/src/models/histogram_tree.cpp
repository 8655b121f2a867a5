#include "models/histogram_tree.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cfloat>
#include <cstring>
#include <limits>

#include "stepwise/core/random.hpp"

namespace stepwise::models {
namespace {

// Nodes at or below this impurity are pure enough to be leaves (scikit-learn's EPSILON).
constexpr double kImpurityEpsilon = DBL_EPSILON;
constexpr std::size_t kWorkBetweenChecks = 1 << 14;
// Below this many rows a node does not keep a full histogram: building its children's
// directly costs less than subtracting 20 features × 256 bins.
constexpr std::size_t kFullHistogramRows = 2048;
// scikit-learn's _BinMapper finds the bin edges on at most this many rows.
constexpr std::size_t kBinningSubsample = 200000;
constexpr std::uint64_t kBinningStream = 0xB1A5ED6E5ULL;

inline void copyRecord(std::uint8_t* target, const std::uint8_t* source, std::size_t bytes)
{
    // Records are whole 8-byte words: word copies instead of a memcpy call per row.
    for (std::size_t offset = 0; offset < bytes; offset += 8) {
        std::uint64_t word;
        std::memcpy(&word, source + offset, 8);
        std::memcpy(target + offset, &word, 8);
    }
}

// Zeroes one histogram entry; the usual two- and three-count entries without a call to
// memset, which a per-bin std::fill becomes.
inline void clearEntry(std::uint32_t* entry, std::size_t stride)
{
    switch (stride) {
    case 2:
        entry[0] = entry[1] = 0;
        return;
    case 3:
        entry[0] = entry[1] = entry[2] = 0;
        return;
    case 4:
        entry[0] = entry[1] = entry[2] = entry[3] = 0;
        return;
    default:
        std::fill_n(entry, stride, 0u);
    }
}

} // namespace

void binFeaturesForTrees(const Eigen::MatrixXf& x, int maxBins, std::uint64_t seed,
                         const std::function<bool()>& shouldStop, BinnedFeatures& bins, RowMajorCodes& codes)
{
    const auto rows = static_cast<std::size_t>(x.rows());
    const auto features = static_cast<std::size_t>(x.cols());
    std::vector<std::size_t> sample;
    if (rows > kBinningSubsample) {
        // A partial Fisher–Yates draw without replacement, as _BinMapper's subsample.
        core::RandomSource random(core::RandomSource::deriveSeed(seed, kBinningStream));
        std::vector<std::size_t> all(rows);
        for (std::size_t i = 0; i < rows; ++i)
            all[i] = i;
        for (std::size_t i = 0; i < kBinningSubsample; ++i)
            std::swap(all[i], all[i + random.below(rows - i)]);
        sample.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(kBinningSubsample));
    }
    bins = BinnedFeatures{};
    bins.rows = rows;
    bins.features = static_cast<int>(features);
    bins.thresholds.resize(features);
    std::vector<std::uint8_t> columns(rows * features);
    std::atomic<bool> stopped{false};
    // One feature at a time (nested calls run on the calling thread), so that a cancel is
    // noticed within one column's sort.
#pragma omp parallel for schedule(dynamic)
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(features); ++c) {
        if (stopped.load(std::memory_order_relaxed) || shouldStop()) {
            stopped.store(true, std::memory_order_relaxed);
            continue;
        }
        const Eigen::MatrixXd column = x.col(static_cast<Eigen::Index>(c)).cast<double>();
        BinnedFeatures one = binFeatures(column, findBinThresholds(column, maxBins, sample));
        std::copy(one.codes.begin(), one.codes.end(), columns.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(c) * rows));
        bins.thresholds[static_cast<std::size_t>(c)] = std::move(one.thresholds.front());
    }
    if (stopped.load() || shouldStop())
        throw TreeBuildStopped{};

    codes.stride = (features + 7) / 8 * 8;
    codes.codes.assign(rows * codes.stride, 0);
    constexpr std::size_t kBlock = 4096;
#pragma omp parallel for schedule(static)
    for (std::int64_t block = 0; block < static_cast<std::int64_t>((rows + kBlock - 1) / kBlock); ++block) {
        const std::size_t first = static_cast<std::size_t>(block) * kBlock;
        const std::size_t last = std::min(rows, first + kBlock);
        for (std::size_t f = 0; f < features; ++f) {
            const std::uint8_t* column = columns.data() + f * rows;
            for (std::size_t row = first; row < last; ++row)
                codes.codes[row * codes.stride + f] = column[row];
        }
    }
}

HistogramTreeBuilder::HistogramTreeBuilder(const BinnedTrainingData& data, const TreeSettings& settings,
                                           std::function<bool()> shouldStop)
    : m_data(data), m_bins(*data.bins), m_settings(settings), m_shouldStop(std::move(shouldStop))
{
    m_classification = data.classCount > 0;
    m_plainGini = m_classification && settings.criterion == SplitCriterion::Gini && !data.classWeights;
    m_classes = std::max(data.classCount, 0);
    m_recordBytes = data.rowCodes->stride;
    m_binStride = m_classification ? static_cast<std::size_t>(m_classes) + 1 : 2;
    const int features = m_bins.features;
    // Keeping every feature's histogram pays when most features are drawn at each node:
    // the smaller child's full histogram costs min(n_L, n_R) · features, against
    // (n_L + n_R) · max_features for building the drawn ones directly.
    m_keepHistograms = 2 * settings.maxFeatures >= features;
    m_offset.resize(static_cast<std::size_t>(features));
    for (int f = 0; f < features; ++f) {
        m_offset[static_cast<std::size_t>(f)] = m_totalBins;
        m_totalBins += static_cast<std::size_t>(m_bins.binCount(f));
    }
    m_featureCounts.resize(256 * m_binStride);
    if (!m_classification)
        m_featureSums.resize(256);
    m_nodeCounts.resize(static_cast<std::size_t>(m_classes));
    m_leftCounts.resize(static_cast<std::size_t>(m_classes));
    m_rightCounts.resize(static_cast<std::size_t>(m_classes));
}

void HistogramTreeBuilder::chargeWork(std::size_t samples)
{
    m_work += samples;
    if (m_work >= kWorkBetweenChecks) {
        m_work = 0;
        if (m_shouldStop())
            throw TreeBuildStopped{};
    }
}

void HistogramTreeBuilder::gatherNode(std::size_t start, std::size_t end)
{
    const std::size_t count = end - start;
    m_nodeWeight = 0;
    if (m_classification) {
        std::fill(m_nodeCounts.begin(), m_nodeCounts.end(), 0);
        for (std::size_t i = start; i < end; ++i) {
            m_nodeCounts[static_cast<std::size_t>(m_label[i])] += m_weight[i];
            m_nodeWeight += m_weight[i];
        }
    } else {
        m_nodeSum = 0.0;
        for (std::size_t i = start; i < end; ++i) {
            m_nodeSum += m_weight[i] * m_target[i];
            m_nodeWeight += m_weight[i];
        }
    }
    chargeWork(count);
}

std::size_t HistogramTreeBuilder::partition(std::size_t start, std::size_t end, int feature, int bin)
{
    // In place from both ends, swapping the rows that are on the wrong side: about one
    // record copy per misplaced row. The order inside a child does not matter.
    const std::size_t bytes = m_recordBytes;
    const auto splitBin = static_cast<std::uint8_t>(bin);
    const auto goesLeft = [&](std::size_t i) { return m_codes[i * bytes + static_cast<std::size_t>(feature)] <= splitBin; };
    std::uint8_t* scratch = m_swapRecord.data();
    std::size_t left = start;
    std::size_t right = end;
    for (;;) {
        while (left < right && goesLeft(left))
            ++left;
        while (left < right && !goesLeft(right - 1))
            --right;
        if (left + 1 >= right)
            break;
        --right;
        copyRecord(scratch, m_codes.data() + left * bytes, bytes);
        copyRecord(m_codes.data() + left * bytes, m_codes.data() + right * bytes, bytes);
        copyRecord(m_codes.data() + right * bytes, scratch, bytes);
        std::swap(m_weight[left], m_weight[right]);
        if (m_classification)
            std::swap(m_label[left], m_label[right]);
        else
            std::swap(m_target[left], m_target[right]);
        ++left;
    }
    chargeWork(end - start);
    return left;
}

void HistogramTreeBuilder::startScan()
{
    if (m_classification)
        std::fill(m_leftCounts.begin(), m_leftCounts.end(), 0);
}

template <bool Classification>
inline void HistogramTreeBuilder::addBin(int bin, const std::uint32_t* counts, const double* sums, LeftSide& left)
{
    const std::uint32_t* entry = counts + static_cast<std::size_t>(bin) * m_binStride;
    left.rows += entry[0];
    if constexpr (Classification) {
        for (int k = 0; k < m_classes; ++k)
            m_leftCounts[static_cast<std::size_t>(k)] += entry[1 + k];
    } else {
        left.weight += entry[1];
        left.sum += sums[bin];
    }
}

// Scores the split that sends bins ≤ `bin` (the rows in `left`) left; `nextBin` is the
// next occupied bin, so the right side is never empty.
template <bool Classification>
inline void HistogramTreeBuilder::scoreSplit(int feature, int bin, int nextBin, const LeftSide& left,
                                             std::size_t rows, Split& best)
{
    const auto minLeaf = static_cast<std::size_t>(m_settings.minSamplesLeaf);
    if (left.rows < minLeaf || rows - left.rows < minLeaf)
        return;
    // Gini and squared error score a/w_L + b/w_R; compared as a·w_R + b·w_L against
    // best·w_L·w_R, a candidate costs no division unless it wins (most do not).
    double numerator = 0.0;
    double denominator = 1.0;
    if (Classification && m_plainGini) {
        // Σc_L²/w_L + Σc_R²/w_R from exact integer counts.
        std::int64_t leftWeight = 0;
        std::int64_t leftSquares = 0;
        std::int64_t rightSquares = 0;
        for (int k = 0; k < m_classes; ++k) {
            const std::int64_t l = m_leftCounts[static_cast<std::size_t>(k)];
            const std::int64_t r = m_nodeCounts[static_cast<std::size_t>(k)] - l;
            leftWeight += l;
            leftSquares += l * l;
            rightSquares += r * r;
        }
        const auto leftTotal = static_cast<double>(leftWeight);
        const auto rightTotal = static_cast<double>(m_nodeWeight - leftWeight);
        numerator = static_cast<double>(leftSquares) * rightTotal + static_cast<double>(rightSquares) * leftTotal;
        denominator = leftTotal * rightTotal;
    } else if constexpr (Classification) {
        for (int k = 0; k < m_classes; ++k)
            m_rightCounts[static_cast<std::size_t>(k)] =
                m_nodeCounts[static_cast<std::size_t>(k)] - m_leftCounts[static_cast<std::size_t>(k)];
        numerator = classSplitProxy(m_settings.criterion, m_leftCounts.data(), m_rightCounts.data(), m_classes,
                                    m_data.classWeights);
    } else {
        // Squared error proxy: Σ_L² / w_L + Σ_R² / w_R.
        const double rightSum = m_nodeSum - left.sum;
        const auto leftTotal = static_cast<double>(left.weight);
        const auto rightTotal = static_cast<double>(m_nodeWeight - left.weight);
        numerator = left.sum * left.sum * rightTotal + rightSum * rightSum * leftTotal;
        denominator = leftTotal * rightTotal;
    }
    if (numerator > best.proxy * denominator)
        best = Split{feature, bin, nextBin, numerator / denominator};
}

template <bool Classification>
bool HistogramTreeBuilder::evaluateTinyNode(int feature, std::size_t start, std::size_t end, Split& best)
{
    // A handful of rows: sort their codes (insertion sort of code·256 + position) and
    // sweep, cheaper than touching a histogram.
    const std::size_t count = end - start;
    const std::uint8_t* codes = m_codes.data() + start * m_recordBytes + static_cast<std::size_t>(feature);
    std::array<std::uint16_t, kTinyNodeRows> keys;
    for (std::size_t i = 0; i < count; ++i) {
        const auto key = static_cast<std::uint16_t>((codes[i * m_recordBytes] << 8) | i);
        std::size_t j = i;
        for (; j > 0 && keys[j - 1] > key; --j)
            keys[j] = keys[j - 1];
        keys[j] = key;
    }
    chargeWork(count);
    if ((keys[0] >> 8) == (keys[count - 1] >> 8))
        return false;
    startScan();
    LeftSide left;
    for (std::size_t j = 0; j + 1 < count; ++j) {
        const std::size_t i = start + (keys[j] & 0xffu);
        ++left.rows;
        if constexpr (Classification) {
            m_leftCounts[static_cast<std::size_t>(m_label[i])] += m_weight[i];
        } else {
            left.weight += m_weight[i];
            left.sum += m_weight[i] * m_target[i];
        }
        const int code = keys[j] >> 8;
        const int next = keys[j + 1] >> 8;
        if (next > code)
            scoreSplit<Classification>(feature, code, next, left, count, best);
    }
    return true;
}

template <bool Classification>
bool HistogramTreeBuilder::evaluateFeature(int feature, std::size_t start, std::size_t end, Split& best)
{
    const std::size_t count = end - start;
    if (count <= kTinyNodeRows)
        return evaluateTinyNode<Classification>(feature, start, end, best);
    const std::size_t bytes = m_recordBytes;
    const std::uint8_t* codes = m_codes.data() + start * bytes + static_cast<std::size_t>(feature);
    std::uint32_t* counts = m_featureCounts.data();
    double* sums = m_featureSums.data();
    const std::size_t stride = m_binStride;
    // The bins the node's rows occupy, so the scan and the clean-up visit only those.
    std::array<std::uint64_t, 4> occupied{};
    if constexpr (Classification) {
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint8_t code = codes[i * bytes];
            occupied[code >> 6] |= std::uint64_t(1) << (code & 63);
            std::uint32_t* entry = counts + static_cast<std::size_t>(code) * stride;
            ++entry[0];
            entry[1 + m_label[start + i]] += m_weight[start + i];
        }
    } else {
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint8_t code = codes[i * bytes];
            occupied[code >> 6] |= std::uint64_t(1) << (code & 63);
            std::uint32_t* entry = counts + static_cast<std::size_t>(code) * stride;
            ++entry[0];
            entry[1] += m_weight[start + i];
            sums[code] += m_weight[start + i] * m_target[start + i];
        }
    }
    chargeWork(count);

    // More than one occupied bin: two words with bits, or a word with two.
    int usedWords = 0;
    bool several = false;
    for (const std::uint64_t bits : occupied) {
        usedWords += bits != 0 ? 1 : 0;
        several = several || (bits & (bits - 1)) != 0;
    }
    several = several || usedWords > 1;
    if (several) {
        startScan();
        LeftSide left;
        int previous = -1;
        for (int word = 0; word < 4; ++word) {
            for (std::uint64_t bits = occupied[static_cast<std::size_t>(word)]; bits; bits &= bits - 1) {
                const int bin = word * 64 + std::countr_zero(bits);
                if (previous >= 0) {
                    addBin<Classification>(previous, counts, sums, left);
                    scoreSplit<Classification>(feature, previous, bin, left, count, best);
                }
                previous = bin;
            }
        }
    }
    for (int word = 0; word < 4; ++word) {
        for (std::uint64_t bits = occupied[static_cast<std::size_t>(word)]; bits; bits &= bits - 1) {
            const auto bin = static_cast<std::size_t>(word * 64 + std::countr_zero(bits));
            clearEntry(counts + bin * stride, stride);
            if constexpr (!Classification)
                sums[bin] = 0.0;
        }
    }
    return several;
}

template <bool Classification>
bool HistogramTreeBuilder::evaluateFromHistogram(int feature, const std::uint32_t* counts, const double* sums,
                                                 std::size_t rows, Split& best)
{
    const int bins = m_bins.binCount(feature);
    int low = 0;
    while (low < bins && counts[static_cast<std::size_t>(low) * m_binStride] == 0)
        ++low;
    int high = bins - 1;
    while (high > low && counts[static_cast<std::size_t>(high) * m_binStride] == 0)
        --high;
    chargeWork(static_cast<std::size_t>(bins));
    if (low >= high)
        return false;
    // A threshold after bin b sends bins ≤ b left; empty bins add no new partition.
    startScan();
    LeftSide left;
    int previous = low;
    for (int bin = low + 1; bin <= high; ++bin) {
        if (counts[static_cast<std::size_t>(bin) * m_binStride] == 0)
            continue;
        addBin<Classification>(previous, counts, sums, left);
        scoreSplit<Classification>(feature, previous, bin, left, rows, best);
        previous = bin;
    }
    return true;
}

int HistogramTreeBuilder::thresholdBin(const Split& split) const
{
    // Every edge from the last occupied bin on the left to the one before the first on
    // the right splits the node's rows alike. The exact splitter would cut halfway between
    // the neighbouring values; the edge nearest to halfway across the empty bins comes
    // closest, which matters for rows the tree has not seen.
    const std::vector<double>& edges = m_bins.thresholds[static_cast<std::size_t>(split.feature)];
    const auto first = edges.begin() + split.bin;
    const auto last = edges.begin() + (split.nextBin - 1);
    if (first == last)
        return split.bin;
    const double halfway = 0.5 * *first + 0.5 * *last;
    auto above = std::lower_bound(first, last + 1, halfway);
    if (above != first && halfway - *(above - 1) <= *above - halfway)
        --above;
    return static_cast<int>(above - edges.begin());
}

std::size_t HistogramTreeBuilder::takeHistogram()
{
    if (!m_freeHistograms.empty()) {
        const std::size_t index = m_freeHistograms.back();
        m_freeHistograms.pop_back();
        return index;
    }
    Histogram histogram;
    histogram.counts.resize(m_totalBins * m_binStride);
    if (!m_classification)
        histogram.sums.resize(m_totalBins);
    m_histograms.push_back(std::move(histogram));
    return m_histograms.size() - 1;
}

void HistogramTreeBuilder::buildFullHistogram(std::size_t start, std::size_t end, std::size_t index)
{
    // Row by row: each record is read once and feeds every feature's histogram.
    Histogram& histogram = m_histograms[index];
    std::fill(histogram.counts.begin(), histogram.counts.end(), 0u);
    std::fill(histogram.sums.begin(), histogram.sums.end(), 0.0);
    const std::size_t stride = m_binStride;
    const auto features = static_cast<std::size_t>(m_bins.features);
    std::uint32_t* counts = histogram.counts.data();
    double* sums = histogram.sums.data();
    for (std::size_t i = start; i < end; ++i) {
        const std::uint8_t* record = m_codes.data() + i * m_recordBytes;
        const std::uint32_t weight = m_weight[i];
        if (m_classification) {
            const auto label = static_cast<std::size_t>(1 + m_label[i]);
            for (std::size_t f = 0; f < features; ++f) {
                std::uint32_t* entry = counts + (m_offset[f] + record[f]) * stride;
                ++entry[0];
                entry[label] += weight;
            }
        } else {
            const double value = weight * m_target[i];
            for (std::size_t f = 0; f < features; ++f) {
                const std::size_t bin = m_offset[f] + record[f];
                std::uint32_t* entry = counts + bin * stride;
                ++entry[0];
                entry[1] += weight;
                sums[bin] += value;
            }
        }
    }
    chargeWork((end - start) * features + histogram.counts.size());
}

DecisionTree HistogramTreeBuilder::build(const std::vector<std::uint32_t>& weights, core::RandomSource& random,
                                         std::vector<double>& importances)
{
    std::size_t sampleCount = 0;
    for (std::size_t row = 0; row < m_bins.rows; ++row)
        sampleCount += weights[row] > 0 ? 1 : 0;
    const std::size_t bytes = m_recordBytes;
    m_codes.resize(sampleCount * bytes);
    m_swapRecord.resize(bytes);
    m_weight.resize(sampleCount);
    if (m_classification)
        m_label.resize(sampleCount);
    else
        m_target.resize(sampleCount);
    const std::uint8_t* rowCodes = m_data.rowCodes->codes.data();
    for (std::size_t row = 0, i = 0; row < m_bins.rows; ++row) {
        if (weights[row] == 0)
            continue;
        copyRecord(m_codes.data() + i * bytes, rowCodes + row * bytes, bytes);
        m_weight[i] = weights[row];
        if (m_classification)
            m_label[i] = m_data.labels[row];
        else
            m_target[i] = m_data.targets[row];
        ++i;
    }
    chargeWork(sampleCount);
    m_sampler.reset(m_bins.features);
    m_splitBins.clear();
    m_freeHistograms.clear();
    for (std::size_t i = m_histograms.size(); i > 0; --i)
        m_freeHistograms.push_back(i - 1);
    importances.assign(static_cast<std::size_t>(m_bins.features), 0.0);

    DecisionTree tree;
    tree.m_valueWidth = m_classification ? m_classes : 1;
    constexpr std::size_t kNoHistogram = std::numeric_limits<std::size_t>::max();
    struct Pending {
        std::size_t start;
        std::size_t end;
        int depth;
        std::int32_t parent;
        bool isLeft;
        int constants;
        std::size_t histogram;
    };
    std::size_t rootHistogram = kNoHistogram;
    if (m_keepHistograms && sampleCount >= kFullHistogramRows) {
        rootHistogram = takeHistogram();
        buildFullHistogram(0, sampleCount, rootHistogram);
    }
    std::vector<Pending> pending{{0, sampleCount, 0, -1, false, 0, rootHistogram}};
    std::int32_t leafCount = 0;
    while (!pending.empty()) {
        const Pending node = pending.back();
        pending.pop_back();
        const std::size_t count = node.end - node.start;
        gatherNode(node.start, node.end);
        double weight = static_cast<double>(m_nodeWeight);
        double impurity = 0.0;
        if (m_classification) {
            if (m_data.classWeights) {
                weight = 0.0;
                for (int k = 0; k < m_classes; ++k)
                    weight += m_data.classWeights[k] * static_cast<double>(m_nodeCounts[static_cast<std::size_t>(k)]);
            }
            impurity = classImpurity(m_settings.criterion, m_nodeCounts.data(), m_classes, m_data.classWeights);
        } else {
            // Two-pass variance, so a node with one target value has exactly zero impurity.
            const double mean = m_nodeSum / weight;
            for (std::size_t i = node.start; i < node.end; ++i)
                impurity += m_weight[i] * (m_target[i] - mean) * (m_target[i] - mean);
            impurity /= weight;
        }

        const auto id = static_cast<std::int32_t>(tree.m_nodes.size());
        tree.m_nodes.emplace_back();
        m_splitBins.push_back(0);
        if (node.parent >= 0) {
            DecisionTree::Node& parent = tree.m_nodes[static_cast<std::size_t>(node.parent)];
            (node.isLeft ? parent.left : parent.right) = id;
            importances[static_cast<std::size_t>(parent.feature)] -= weight * impurity;
        }

        const auto size = static_cast<std::int64_t>(count);
        bool leaf = node.depth >= m_settings.maxDepth || size < m_settings.minSamplesSplit ||
                    size < 2 * m_settings.minSamplesLeaf || impurity <= kImpurityEpsilon;
        Split split;
        int constants = node.constants;
        if (!leaf) {
            split.proxy = -std::numeric_limits<double>::infinity();
            m_sampler.visit(constants, m_settings.maxFeatures, random, [&](int feature) {
                if (node.histogram == kNoHistogram)
                    return m_classification ? evaluateFeature<true>(feature, node.start, node.end, split)
                                            : evaluateFeature<false>(feature, node.start, node.end, split);
                const Histogram& histogram = m_histograms[node.histogram];
                const std::size_t offset = m_offset[static_cast<std::size_t>(feature)];
                if (m_classification)
                    return evaluateFromHistogram<true>(feature, histogram.counts.data() + offset * m_binStride, nullptr,
                                                       count, split);
                return evaluateFromHistogram<false>(feature, histogram.counts.data() + offset * m_binStride,
                                                    histogram.sums.data() + offset, count, split);
            });
            leaf = split.feature < 0;
        }
        DecisionTree::Node& current = tree.m_nodes[static_cast<std::size_t>(id)];
        if (leaf) {
            if (node.histogram != kNoHistogram)
                m_freeHistograms.push_back(node.histogram);
            current.left = leafCount++;
            if (m_classification) {
                for (int k = 0; k < m_classes; ++k) {
                    const double classWeight = m_data.classWeights ? m_data.classWeights[k] : 1.0;
                    tree.m_values.push_back(classWeight * static_cast<double>(m_nodeCounts[static_cast<std::size_t>(k)]) /
                                            weight);
                }
            } else {
                tree.m_values.push_back(m_nodeSum / weight);
            }
            continue;
        }
        current.feature = split.feature;
        const int bin = thresholdBin(split);
        current.threshold = m_bins.thresholds[static_cast<std::size_t>(split.feature)][static_cast<std::size_t>(bin)];
        m_splitBins.back() = static_cast<std::uint8_t>(bin);
        importances[static_cast<std::size_t>(split.feature)] += weight * impurity;

        const std::size_t middle = partition(node.start, node.end, split.feature, bin);

        std::size_t leftHistogram = kNoHistogram;
        std::size_t rightHistogram = kNoHistogram;
        if (node.histogram != kNoHistogram) {
            const std::size_t leftRows = middle - node.start;
            const std::size_t rightRows = node.end - middle;
            const bool leftSmaller = leftRows <= rightRows;
            if (std::max(leftRows, rightRows) >= kFullHistogramRows) {
                // The larger child's histogram is the parent's minus the smaller child's.
                const std::size_t smaller = takeHistogram();
                if (leftSmaller)
                    buildFullHistogram(node.start, middle, smaller);
                else
                    buildFullHistogram(middle, node.end, smaller);
                Histogram& parent = m_histograms[node.histogram];
                const Histogram& child = m_histograms[smaller];
                for (std::size_t i = 0; i < parent.counts.size(); ++i)
                    parent.counts[i] -= child.counts[i];
                for (std::size_t i = 0; i < parent.sums.size(); ++i)
                    parent.sums[i] -= child.sums[i];
                chargeWork(parent.counts.size());
                const bool keepSmaller = std::min(leftRows, rightRows) >= kFullHistogramRows;
                if (!keepSmaller)
                    m_freeHistograms.push_back(smaller);
                (leftSmaller ? rightHistogram : leftHistogram) = node.histogram;
                if (keepSmaller)
                    (leftSmaller ? leftHistogram : rightHistogram) = smaller;
            } else {
                m_freeHistograms.push_back(node.histogram);
            }
        }
        pending.push_back({middle, node.end, node.depth + 1, id, false, constants, rightHistogram});
        pending.push_back({node.start, middle, node.depth + 1, id, true, constants, leftHistogram});
    }
    return tree;
}

} // namespace stepwise::models
