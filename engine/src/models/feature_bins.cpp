#include "models/feature_bins.hpp"

#include <algorithm>
#include <cmath>

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
        std::sort(values.begin(), values.end());
        std::vector<double> distinct = values;
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        std::vector<double>& edges = thresholds[static_cast<std::size_t>(c)];
        if (distinct.size() <= static_cast<std::size_t>(maxBins)) {
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
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            out[r] = static_cast<std::uint8_t>(std::lower_bound(edges.begin(), edges.end(), x(r, c)) - edges.begin());
    }
    return binned;
}

} // namespace stepwise::models
