#include "models/decision_tree.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <limits>

namespace stepwise::models {
namespace {

// scikit-learn treats feature values closer than this (in float32) as equal.
constexpr float kFeatureThreshold = 1e-7f;
// Nodes at or below this impurity are pure enough to be leaves (scikit-learn's EPSILON).
constexpr double kImpurityEpsilon = DBL_EPSILON;
constexpr std::size_t kRadixCutoff = 256;
constexpr std::size_t kWorkBetweenChecks = 1 << 14;

// Maps a float to an unsigned integer with the same order, so the sort key of a value
// and its position within the node fits in one 64-bit integer.
inline std::uint32_t orderKey(float value)
{
    const auto bits = std::bit_cast<std::uint32_t>(value);
    return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

inline float keyValue(std::uint64_t key)
{
    const auto high = static_cast<std::uint32_t>(key >> 32);
    return std::bit_cast<float>((high & 0x80000000u) ? (high & 0x7fffffffu) : ~high);
}

inline std::uint32_t keyPosition(std::uint64_t key) { return static_cast<std::uint32_t>(key); }

// Sorts keys by their upper 32 bits (the value); ties keep no particular order, which
// cannot change a split since equal values are never separated.
void sortKeys(std::uint64_t* keys, std::uint64_t* scratch, std::size_t count)
{
    if (count < kRadixCutoff) {
        std::sort(keys, keys + count);
        return;
    }
    // LSD radix sort, three passes of 11 bits over the value half of the key.
    constexpr std::size_t kBuckets = 2048;
    std::array<std::array<std::uint32_t, kBuckets>, 3> histogram{};
    for (std::size_t i = 0; i < count; ++i) {
        const auto value = static_cast<std::uint32_t>(keys[i] >> 32);
        ++histogram[0][value & 2047u];
        ++histogram[1][(value >> 11) & 2047u];
        ++histogram[2][value >> 22];
    }
    std::uint64_t* source = keys;
    std::uint64_t* target = scratch;
    for (int pass = 0; pass < 3; ++pass) {
        const int shift = 32 + 11 * pass;
        auto& buckets = histogram[static_cast<std::size_t>(pass)];
        if (buckets[(source[0] >> shift) & 2047u] == count)
            continue; // every key has the same digit: nothing to reorder
        std::uint32_t offset = 0;
        for (auto& bucket : buckets) {
            const std::uint32_t size = bucket;
            bucket = offset;
            offset += size;
        }
        for (std::size_t i = 0; i < count; ++i)
            target[buckets[(source[i] >> shift) & 2047u]++] = source[i];
        std::swap(source, target);
    }
    if (source != keys)
        std::copy(source, source + count, keys);
}

// scikit-learn's threshold: the midpoint, or the lower value when rounding puts the
// midpoint on the upper one.
inline double midpoint(float lower, float upper)
{
    const double middle = 0.5 * static_cast<double>(lower) + 0.5 * static_cast<double>(upper);
    return middle == static_cast<double>(upper) ? static_cast<double>(lower) : middle;
}

inline double xLogX(double value) { return value > 0.0 ? value * std::log(value) : 0.0; }

} // namespace

double classSplitProxy(SplitCriterion criterion, const std::int64_t* left, const std::int64_t* right, int classes,
                       const double* classWeights)
{
    double leftWeight = 0.0;
    double rightWeight = 0.0;
    double leftTerm = 0.0;
    double rightTerm = 0.0;
    for (int k = 0; k < classes; ++k) {
        const double weight = classWeights ? classWeights[k] : 1.0;
        const double l = weight * static_cast<double>(left[k]);
        const double r = weight * static_cast<double>(right[k]);
        leftWeight += l;
        rightWeight += r;
        if (criterion == SplitCriterion::Entropy) {
            leftTerm += xLogX(l);
            rightTerm += xLogX(r);
        } else {
            leftTerm += l * l;
            rightTerm += r * r;
        }
    }
    if (criterion == SplitCriterion::Entropy)
        return leftTerm - xLogX(leftWeight) + rightTerm - xLogX(rightWeight);
    return leftTerm / leftWeight + rightTerm / rightWeight;
}

double classImpurity(SplitCriterion criterion, const std::int64_t* counts, int classes, const double* classWeights)
{
    double total = 0.0;
    for (int k = 0; k < classes; ++k)
        total += (classWeights ? classWeights[k] : 1.0) * static_cast<double>(counts[k]);
    double impurity = criterion == SplitCriterion::Entropy ? 0.0 : 1.0;
    for (int k = 0; k < classes; ++k) {
        const double share = (classWeights ? classWeights[k] : 1.0) * static_cast<double>(counts[k]) / total;
        if (criterion == SplitCriterion::Entropy) {
            // scikit-learn's log is ln(x) / ln(2): entropy in bits.
            if (share > 0.0)
                impurity -= share * (std::log(share) / std::log(2.0));
        } else {
            impurity -= share * share;
        }
    }
    return impurity;
}

SplitCriterion criterionFromName(const std::string& name, bool classification, const std::string& model)
{
    if (classification) {
        if (name == "auto" || name == "gini")
            return SplitCriterion::Gini;
        if (name == "entropy" || name == "log_loss")
            return SplitCriterion::Entropy;
    } else if (name == "auto" || name == "squared_error") {
        return SplitCriterion::SquaredError;
    }
    std::string message = model;
    message.append(": criterion=").append(name).append(" does not fit ");
    message.append(classification ? "classification — use one of auto, gini, entropy, log_loss"
                                  : "regression — use auto or squared_error");
    throw core::InvalidParameter(message);
}

Eigen::MatrixXf singlePrecisionFeatures(const Dataset& data, const std::string& model)
{
    for (Eigen::Index column = 0; column < data.x.cols(); ++column) {
        for (Eigen::Index row = 0; row < data.x.rows(); ++row) {
            if (std::abs(data.x(row, column)) <= FLT_MAX)
                continue;
            std::string message = "feature ";
            if (static_cast<std::size_t>(column) < data.featureNames.size())
                message.append("'").append(data.featureNames[static_cast<std::size_t>(column)]).append("'");
            else
                message.append("number ").append(std::to_string(column + 1));
            message.append(" has a value beyond ±3.4e38 in training row ").append(std::to_string(row + 1));
            message.append(" — ").append(model).append(" works in single precision; rescale the feature");
            throw core::DataError(message);
        }
    }
    return data.x.cast<float>();
}

void checkMonitorRows(const Dataset& data, bool classification, const std::string& model)
{
    if (data.monitorX.rows() == 0)
        return;
    if (data.monitorX.cols() != data.x.cols() || data.monitorY.size() != data.monitorX.rows())
        throw core::DataError("the validation rows to watch " + model +
                              " train on do not match the training rows (columns or target length differ) — "
                              "transform them with the same pipeline");
    const bool finite = data.monitorX.allFinite() && data.monitorY.allFinite();
    bool classes = true;
    if (classification)
        for (Eigen::Index r = 0; r < data.monitorY.size() && classes; ++r) {
            const double value = data.monitorY(r);
            classes = value >= 0.0 && value < data.classCount && std::floor(value) == value;
        }
    if (!finite || !classes)
        throw core::DataError("the validation rows to watch " + model +
                              " train on have missing values or unknown classes — prepare them like the "
                              "training rows");
}

int DecisionTree::depth() const
{
    // Children come after their parent, so one forward pass settles every depth.
    std::vector<int> depths(m_nodes.size(), 0);
    int deepest = 0;
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const Node& node = m_nodes[i];
        deepest = std::max(deepest, depths[i]);
        if (node.feature >= 0) {
            depths[static_cast<std::size_t>(node.left)] = depths[i] + 1;
            depths[static_cast<std::size_t>(node.right)] = depths[i] + 1;
        }
    }
    return deepest;
}

void DecisionTree::validate(int featureCount) const
{
    const bool shapeOk = m_valueWidth >= 1 && !m_nodes.empty() &&
                         m_values.size() % static_cast<std::size_t>(m_valueWidth) == 0;
    const std::size_t leafCount = shapeOk ? m_values.size() / static_cast<std::size_t>(m_valueWidth) : 0;
    bool ok = shapeOk;
    for (std::size_t i = 0; ok && i < m_nodes.size(); ++i) {
        const Node& node = m_nodes[i];
        if (node.feature >= 0) {
            // Children always come after their parent, so a walk cannot loop.
            ok = node.feature < featureCount && node.left > static_cast<std::int64_t>(i) &&
                 node.right > static_cast<std::int64_t>(i) && static_cast<std::size_t>(node.left) < m_nodes.size() &&
                 static_cast<std::size_t>(node.right) < m_nodes.size();
        } else {
            ok = node.feature == -1 && node.left >= 0 && static_cast<std::size_t>(node.left) < leafCount;
        }
    }
    if (!ok)
        throw core::ArchiveError("a saved decision tree is inconsistent — the file is damaged; train the model again");
}

TreeBuilder::TreeBuilder(const TreeTrainingData& data, const TreeSettings& settings, std::function<bool()> shouldStop)
    : m_data(data), m_settings(settings), m_shouldStop(std::move(shouldStop))
{
    const auto classes = static_cast<std::size_t>(std::max(data.classCount, 0));
    m_nodeCounts.resize(classes);
    m_leftCounts.resize(classes);
    m_rightCounts.resize(classes);
}

void TreeBuilder::chargeWork(std::size_t samples)
{
    m_work += samples;
    if (m_work >= kWorkBetweenChecks) {
        m_work = 0;
        if (m_shouldStop())
            throw TreeBuildStopped{};
    }
}

void TreeBuilder::gatherNode(std::size_t start, std::size_t end)
{
    const std::vector<std::uint32_t>& weights = *m_weights;
    const std::size_t count = end - start;
    m_nodeWeight = 0;
    if (m_data.classCount > 0) {
        std::fill(m_nodeCounts.begin(), m_nodeCounts.end(), 0);
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint32_t row = m_samples[start + i];
            const std::uint32_t weight = weights[row];
            const std::int32_t label = m_data.labels[row];
            m_localWeight[i] = weight;
            m_localLabel[i] = label;
            m_nodeCounts[static_cast<std::size_t>(label)] += weight;
            m_nodeWeight += weight;
        }
        m_nodeSquares = 0;
        for (const std::int64_t c : m_nodeCounts)
            m_nodeSquares += c * c;
        m_weightedTotal = static_cast<double>(m_nodeWeight);
        m_weightedSquares = static_cast<double>(m_nodeSquares);
        if (m_data.classWeights) {
            m_weightedTotal = 0.0;
            m_weightedSquares = 0.0;
            for (std::size_t k = 0; k < m_nodeCounts.size(); ++k) {
                const double weighted = m_data.classWeights[k] * static_cast<double>(m_nodeCounts[k]);
                m_weightedTotal += weighted;
                m_weightedSquares += weighted * weighted;
            }
        }
    } else {
        m_nodeSum = 0.0;
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint32_t row = m_samples[start + i];
            const std::uint32_t weight = weights[row];
            const double target = m_data.targets[row];
            m_localWeight[i] = weight;
            m_localTarget[i] = target;
            m_nodeSum += weight * target;
            m_nodeWeight += weight;
        }
    }
    chargeWork(count);
}

bool TreeBuilder::evaluateFeature(int feature, std::size_t start, std::size_t end, Split& best)
{
    const std::size_t count = end - start;
    const float* column = m_data.x + static_cast<std::size_t>(feature) * m_data.rows;
    std::uint64_t* keys = m_keys.data();
    float low = std::numeric_limits<float>::infinity();
    float high = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < count; ++i) {
        const float value = column[m_samples[start + i]];
        keys[i] = (static_cast<std::uint64_t>(orderKey(value)) << 32) | i;
        low = std::min(low, value);
        high = std::max(high, value);
    }
    chargeWork(count);
    if (high <= low + kFeatureThreshold)
        return false;
    sortKeys(keys, m_scratch.data(), count);

    const auto minLeaf = static_cast<std::size_t>(m_settings.minSamplesLeaf);
    const std::size_t lastLeft = count - std::min(count, minLeaf); // largest allowed left size
    float current = keyValue(keys[0]);
    if (m_data.classCount > 0 && (m_data.classWeights || m_settings.criterion != SplitCriterion::Gini)) {
        // Class weights or entropy: the proxy from the exact integer counts, one pass over
        // the classes per candidate threshold, as scikit-learn's children_impurity.
        const int classes = m_data.classCount;
        std::fill(m_leftCounts.begin(), m_leftCounts.end(), 0);
        std::copy(m_nodeCounts.begin(), m_nodeCounts.end(), m_rightCounts.begin());
        for (std::size_t j = 0; j + 1 < count; ++j) {
            const std::uint32_t position = keyPosition(keys[j]);
            const std::int64_t weight = m_localWeight[position];
            const auto label = static_cast<std::size_t>(m_localLabel[position]);
            m_leftCounts[label] += weight;
            m_rightCounts[label] -= weight;
            const float next = keyValue(keys[j + 1]);
            if (next > current + kFeatureThreshold && j + 1 >= minLeaf && j + 1 <= lastLeft) {
                const double proxy = classSplitProxy(m_settings.criterion, m_leftCounts.data(), m_rightCounts.data(),
                                                     classes, m_data.classWeights);
                if (proxy > best.proxy)
                    best = Split{feature, j + 1, midpoint(current, next), proxy};
            }
            current = next;
        }
    } else if (m_data.classCount > 0) {
        std::fill(m_leftCounts.begin(), m_leftCounts.end(), 0);
        std::copy(m_nodeCounts.begin(), m_nodeCounts.end(), m_rightCounts.begin());
        std::int64_t leftSquares = 0;
        std::int64_t rightSquares = m_nodeSquares;
        std::int64_t leftWeight = 0;
        // Moving weight w of class k from right to left changes Σc² by ±(2c·w ± w²):
        // the gini proxy Σc_L²/w_L + Σc_R²/w_R stays O(1) per sample for any class count.
        for (std::size_t j = 0; j + 1 < count; ++j) {
            const std::uint32_t position = keyPosition(keys[j]);
            const std::int64_t weight = m_localWeight[position];
            const auto label = static_cast<std::size_t>(m_localLabel[position]);
            const std::int64_t left = m_leftCounts[label];
            const std::int64_t right = m_rightCounts[label];
            leftSquares += weight * (2 * left + weight);
            rightSquares -= weight * (2 * right - weight);
            m_leftCounts[label] = left + weight;
            m_rightCounts[label] = right - weight;
            leftWeight += weight;
            const float next = keyValue(keys[j + 1]);
            if (next > current + kFeatureThreshold && j + 1 >= minLeaf && j + 1 <= lastLeft) {
                const double proxy = static_cast<double>(leftSquares) / static_cast<double>(leftWeight) +
                                     static_cast<double>(rightSquares) /
                                         static_cast<double>(m_nodeWeight - leftWeight);
                if (proxy > best.proxy)
                    best = Split{feature, j + 1, midpoint(current, next), proxy};
            }
            current = next;
        }
    } else {
        double leftSum = 0.0;
        std::int64_t leftWeight = 0;
        for (std::size_t j = 0; j + 1 < count; ++j) {
            const std::uint32_t position = keyPosition(keys[j]);
            const std::uint32_t weight = m_localWeight[position];
            leftSum += weight * m_localTarget[position];
            leftWeight += weight;
            const float next = keyValue(keys[j + 1]);
            if (next > current + kFeatureThreshold && j + 1 >= minLeaf && j + 1 <= lastLeft) {
                // Squared error proxy: Σ_L² / w_L + Σ_R² / w_R.
                const double rightSum = m_nodeSum - leftSum;
                const double proxy = leftSum * leftSum / static_cast<double>(leftWeight) +
                                     rightSum * rightSum / static_cast<double>(m_nodeWeight - leftWeight);
                if (proxy > best.proxy)
                    best = Split{feature, j + 1, midpoint(current, next), proxy};
            }
            current = next;
        }
    }
    chargeWork(count);
    return true;
}

DecisionTree TreeBuilder::build(const std::vector<std::uint32_t>& weights, core::RandomSource& random,
                                std::vector<double>& importances)
{
    m_weights = &weights;
    m_samples.clear();
    for (std::size_t row = 0; row < m_data.rows; ++row)
        if (weights[row] > 0)
            m_samples.push_back(static_cast<std::uint32_t>(row));
    const std::size_t sampleCount = m_samples.size();
    m_keys.resize(sampleCount);
    m_scratch.resize(sampleCount);
    m_localWeight.resize(sampleCount);
    if (m_data.classCount > 0)
        m_localLabel.resize(sampleCount);
    else
        m_localTarget.resize(sampleCount);
    m_sampler.reset(m_data.features);
    m_settled = 0;
    importances.assign(static_cast<std::size_t>(m_data.features), 0.0);

    DecisionTree tree;
    tree.m_valueWidth = m_data.classCount > 0 ? m_data.classCount : 1;
    struct Pending {
        std::size_t start;
        std::size_t end;
        int depth;
        std::int32_t parent;
        bool isLeft;
        int constants;
    };
    std::vector<Pending> pending{{0, sampleCount, 0, -1, false, 0}};
    std::int32_t leafCount = 0;
    while (!pending.empty()) {
        const Pending node = pending.back();
        pending.pop_back();
        const std::size_t count = node.end - node.start;
        gatherNode(node.start, node.end);
        const double weight = m_data.classCount > 0 ? m_weightedTotal : static_cast<double>(m_nodeWeight);
        double impurity = 0.0;
        if (m_data.classCount > 0) {
            impurity = m_settings.criterion == SplitCriterion::Gini
                           ? 1.0 - m_weightedSquares / (weight * weight)
                           : classImpurity(m_settings.criterion, m_nodeCounts.data(), m_data.classCount,
                                           m_data.classWeights);
        } else {
            // Two-pass variance, so a node with one target value has exactly zero impurity.
            const double mean = m_nodeSum / weight;
            for (std::size_t i = 0; i < count; ++i)
                impurity += m_localWeight[i] * (m_localTarget[i] - mean) * (m_localTarget[i] - mean);
            impurity /= weight;
        }

        const auto id = static_cast<std::int32_t>(tree.m_nodes.size());
        tree.m_nodes.emplace_back();
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
            m_sampler.visit(constants, m_settings.maxFeatures, random,
                            [&](int feature) { return evaluateFeature(feature, node.start, node.end, split); });
            leaf = split.feature < 0;
        }
        DecisionTree::Node& current = tree.m_nodes[static_cast<std::size_t>(id)];
        if (leaf) {
            m_settled += count;
            current.left = leafCount++;
            if (m_data.classCount > 0) {
                for (std::size_t k = 0; k < m_nodeCounts.size(); ++k) {
                    const double classWeight = m_data.classWeights ? m_data.classWeights[k] : 1.0;
                    tree.m_values.push_back(classWeight * static_cast<double>(m_nodeCounts[k]) / weight);
                }
            } else {
                tree.m_values.push_back(m_nodeSum / weight);
            }
            continue;
        }
        current.feature = split.feature;
        current.threshold = split.threshold;
        importances[static_cast<std::size_t>(split.feature)] += weight * impurity;

        const float* column = m_data.x + static_cast<std::size_t>(split.feature) * m_data.rows;
        std::size_t middle = node.start;
        std::size_t last = node.end;
        while (middle < last) {
            if (static_cast<double>(column[m_samples[middle]]) <= split.threshold) {
                ++middle;
            } else {
                --last;
                std::swap(m_samples[middle], m_samples[last]);
            }
        }
        pending.push_back({middle, node.end, node.depth + 1, id, false, constants});
        pending.push_back({node.start, middle, node.depth + 1, id, true, constants});
    }
    return tree;
}

} // namespace stepwise::models
