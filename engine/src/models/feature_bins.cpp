#include "models/feature_bins.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stepwise::models {
namespace {

// np.percentile(sorted, percent, method="midpoint") step by step as numpy 1.24 computes
// it, so the edges are bit-identical: q = percent / 100, the virtual index is the mean of
// floor and ceil of (n − 1)·q, a whole index takes that value, otherwise numpy's _lerp
// with weight 0.5, which is b − (b − a)·0.5 (not (a + b) / 2: they differ in the last bit).
double midpointPercentile(const std::vector<double>& sorted, double percent)
{
    const double position = static_cast<double>(sorted.size() - 1) * (percent / 100.0);
    const double index = 0.5 * (std::floor(position) + std::ceil(position));
    if (index >= static_cast<double>(sorted.size() - 1))
        return sorted.back();
    const auto below = static_cast<std::size_t>(std::floor(index));
    if (index == std::floor(index))
        return sorted[below];
    const double a = sorted[below];
    const double b = sorted[below + 1];
    return b - (b - a) * 0.5;
}

// scikit-learn keeps +inf for its "split on missing values" and clips real edges here.
constexpr double kAlmostInf = 1e300;

// Ascending sort of finite doubles: an LSD radix sort on the order-preserving 64-bit
// keys (flip all bits of negatives, the sign bit of the rest), six 11-bit digits,
// passes whose digit is the same for every value skipped. Several times faster than
// std::sort on the 10^5–10^6 values of a column.
void sortValues(std::vector<double>& values)
{
    if (values.size() < 1024) {
        std::sort(values.begin(), values.end());
        return;
    }
    constexpr int kDigitBits = 11;
    constexpr std::size_t kBuckets = std::size_t(1) << kDigitBits;
    constexpr int kPasses = 6;
    const std::size_t n = values.size();
    std::vector<std::uint64_t> keys(n);
    std::vector<std::uint64_t> scratch(n);
    std::vector<std::uint32_t> counts(kPasses * kBuckets, 0);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t bits;
        std::memcpy(&bits, &values[i], sizeof bits);
        bits = (bits >> 63) ? ~bits : (bits | (std::uint64_t(1) << 63));
        keys[i] = bits;
        for (int pass = 0; pass < kPasses; ++pass)
            ++counts[static_cast<std::size_t>(pass) * kBuckets + ((bits >> (pass * kDigitBits)) & (kBuckets - 1))];
    }
    for (int pass = 0; pass < kPasses; ++pass) {
        std::uint32_t* count = counts.data() + static_cast<std::size_t>(pass) * kBuckets;
        const int shift = pass * kDigitBits;
        if (count[(keys[0] >> shift) & (kBuckets - 1)] == n)
            continue;
        std::uint32_t offset = 0;
        for (std::size_t b = 0; b < kBuckets; ++b) {
            const std::uint32_t c = count[b];
            count[b] = offset;
            offset += c;
        }
        for (std::size_t i = 0; i < n; ++i)
            scratch[count[(keys[i] >> shift) & (kBuckets - 1)]++] = keys[i];
        keys.swap(scratch);
    }
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t bits = keys[i];
        bits = (bits >> 63) ? (bits & ~(std::uint64_t(1) << 63)) : ~bits;
        std::memcpy(&values[i], &bits, sizeof bits);
    }
}

// Bins of one column: per value the number of edges below it (std::lower_bound),
// branch-free, eight searches interleaved so their dependent loads overlap (a single
// search is a chain of ~8 cache loads).
void binColumn(const std::vector<double>& edgeList, const double* column, std::size_t rows, std::uint8_t* out)
{
    const double* edges = edgeList.data();
    const std::size_t count = edgeList.size();
    if (count == 0) {
        std::fill(out, out + rows, std::uint8_t{0});
        return;
    }
    constexpr std::size_t kLanes = 8;
    std::size_t r = 0;
    for (; r + kLanes <= rows; r += kLanes) {
        std::size_t position[kLanes];
        double value[kLanes];
        for (std::size_t l = 0; l < kLanes; ++l) {
            position[l] = 0;
            value[l] = column[r + l];
        }
        for (std::size_t length = count; length > 1;) {
            const std::size_t half = length / 2;
            // Arithmetic, not a conditional: compilers turn the latter into branches.
            for (std::size_t l = 0; l < kLanes; ++l)
                position[l] += half * static_cast<std::size_t>(edges[position[l] + half - 1] < value[l]);
            length -= half;
        }
        for (std::size_t l = 0; l < kLanes; ++l)
            out[r + l] = static_cast<std::uint8_t>(position[l] + static_cast<std::size_t>(edges[position[l]] < value[l]));
    }
    for (; r < rows; ++r)
        out[r] = static_cast<std::uint8_t>(std::lower_bound(edges, edges + count, column[r]) - edges);
}

} // namespace

std::vector<std::vector<double>> findBinThresholds(const Eigen::MatrixXd& x, int maxBins,
                                                   const std::vector<std::size_t>& rowsForEdges)
{
    std::vector<std::vector<double>> thresholds(static_cast<std::size_t>(x.cols()));
#pragma omp parallel for schedule(dynamic)
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
        std::vector<double> values;
        if (rowsForEdges.empty()) {
            values.assign(x.col(c).data(), x.col(c).data() + x.rows());
        } else {
            values.reserve(rowsForEdges.size());
            for (std::size_t row : rowsForEdges)
                values.push_back(x(static_cast<Eigen::Index>(row), c));
        }
        sortValues(values);
        std::size_t distinctCount = values.empty() ? 0 : 1;
        for (std::size_t i = 1; i < values.size() && distinctCount <= static_cast<std::size_t>(maxBins); ++i)
            distinctCount += values[i] != values[i - 1] ? 1 : 0;
        std::vector<double>& edges = thresholds[static_cast<std::size_t>(c)];
        if (distinctCount <= static_cast<std::size_t>(maxBins)) {
            std::vector<double> distinct = values;
            distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
            for (std::size_t i = 0; i + 1 < distinct.size(); ++i)
                edges.push_back((distinct[i] + distinct[i + 1]) * 0.5);
        } else {
            // np.linspace(0, 100, maxBins + 1)[1:-1]: i · (100 / maxBins), not 100 · i / maxBins.
            const double step = 100.0 / maxBins;
            for (int i = 1; i < maxBins; ++i)
                edges.push_back(midpointPercentile(values, static_cast<double>(i) * step));
        }
        for (double& edge : edges)
            edge = std::min(edge, kAlmostInf);
    }
    return thresholds;
}

BinnedFeatures binFeatures(const Eigen::MatrixXd& x, std::vector<std::vector<double>> thresholds)
{
    BinnedFeatures binned;
    binned.rows = static_cast<std::size_t>(x.rows());
    binned.features = static_cast<int>(x.cols());
    binned.codes.resize(binned.rows * static_cast<std::size_t>(binned.features));
    binned.thresholds = std::move(thresholds);
#pragma omp parallel for schedule(dynamic)
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
        const std::vector<double>& edges = binned.thresholds[static_cast<std::size_t>(c)];
        std::uint8_t* out = binned.codes.data() + static_cast<std::size_t>(c) * binned.rows;
        binColumn(edges, x.col(c).data(), binned.rows, out);
    }
    return binned;
}

} // namespace stepwise::models
