#include "models/feature_bins.hpp"

#include <algorithm>
#include <cmath>

namespace stepwise::models {
namespace {

// np.percentile(sorted, percent, method="midpoint"): the mean of the two neighbours of
// the virtual index (n − 1)·q, or the value itself when the index is whole.
double midpointPercentile(const std::vector<double>& sorted, double percent)
{
    const double index = static_cast<double>(sorted.size() - 1) * (percent / 100.0);
    const auto below = static_cast<std::size_t>(std::floor(index));
    const auto above = std::min(static_cast<std::size_t>(std::ceil(index)), sorted.size() - 1);
    return (sorted[below] + sorted[above]) / 2.0;
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
        std::sort(values.begin(), values.end());
        std::vector<double> distinct = values;
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        std::vector<double>& edges = thresholds[static_cast<std::size_t>(c)];
        if (distinct.size() <= static_cast<std::size_t>(maxBins)) {
            for (std::size_t i = 0; i + 1 < distinct.size(); ++i)
                edges.push_back((distinct[i] + distinct[i + 1]) * 0.5);
        } else {
            for (int i = 1; i < maxBins; ++i)
                edges.push_back(midpointPercentile(values, 100.0 * static_cast<double>(i) / maxBins));
        }
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
