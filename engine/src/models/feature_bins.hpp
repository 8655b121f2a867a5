#pragma once
// Histogram binning as scikit-learn 1.2's _BinMapper (HistGradientBoosting*): per
// feature, the midpoints between distinct values when there are at most `maxBins` of
// them, else the "midpoint" percentiles at linspace(0, 100, maxBins + 1)[1:-1]; a value
// goes to the number of thresholds below it (equal goes left). Trees grown on the bins
// (random forest, gradient boosting) keep the real thresholds, so prediction needs no
// binning. Everything is float64, as scikit-learn's X_DTYPE.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace stepwise::models {

/// Binned features, column-major: `codes[feature * rows + row]`.
struct BinnedFeatures {
    std::size_t rows = 0;
    int features = 0;
    std::vector<std::uint8_t> codes;
    /// Per feature, the ascending bin upper edges: bin b holds values in
    /// (thresholds[b-1], thresholds[b]]; the last bin is unbounded. A feature has
    /// thresholds.size() + 1 bins (at most maxBins ≤ 256).
    std::vector<std::vector<double>> thresholds;

    std::uint8_t code(int feature, std::size_t row) const
    {
        return codes[static_cast<std::size_t>(feature) * rows + row];
    }
    int binCount(int feature) const { return static_cast<int>(thresholds[static_cast<std::size_t>(feature)].size()) + 1; }
};

/// The bin edges of each column of `x` found on at most `subsample` of its rows
/// (`rowsForEdges`, empty = all rows), as _find_binning_thresholds. `maxBins` in [2, 256].
std::vector<std::vector<double>> findBinThresholds(const Eigen::MatrixXd& x, int maxBins,
                                                   const std::vector<std::size_t>& rowsForEdges = {});

/// Maps every value of `x` to its bin (multi-threaded over columns).
BinnedFeatures binFeatures(const Eigen::MatrixXd& x, std::vector<std::vector<double>> thresholds);

} // namespace stepwise::models
