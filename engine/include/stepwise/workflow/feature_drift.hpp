#pragma once
/// \file
/// \brief Drift of served data against the training data: each raw input column's
/// training distribution in bins (`FeatureDistribution`), the bin of a new value, and the
/// population stability index (PSI) between two distributions.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stepwise/data/column.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::workflow {

/// \brief Shares below this are raised to it before the PSI takes their logarithm, so an
/// empty bin (a category never seen in training, say) counts heavily but finitely.
inline constexpr double kPsiEpsilon = 1e-4;

/// \brief The distribution of each of `inputs` in `table` (the training rows' raw input
/// columns), in input order. Columns stored as numbers: the inner edges are the deciles
/// (`np.percentile(present, [10, 20, …, 90])`, linear interpolation) with equal edges
/// merged, a value equal to an edge counted in the bin above (`np.searchsorted(edges, x,
/// side="right")`). Categorical columns: `categories` are the input's levels; the
/// fractions have one entry per level, then the bin of values not seen in training
/// (0 here), then the missing share. Throws `DataError` for an input `table` lacks.
std::vector<FeatureDistribution> featureDistributions(const data::Table& table,
                                                      const std::vector<InputColumn>& inputs);

/// \brief Assigns new values of one column to the bins of its training distribution
/// (the layout of `FeatureDistribution::fractions`). Immutable, so safe to share between
/// threads.
class DistributionBins {
public:
    /// \brief Bins of `distribution`.
    explicit DistributionBins(const FeatureDistribution& distribution);

    /// \brief True for a categorical column's distribution.
    bool categorical() const { return m_categorical; }
    /// \brief Number of bins, the missing bin included (= fractions.size()).
    std::size_t size() const { return m_size; }
    /// \brief The last bin: missing values.
    std::size_t missingBin() const { return m_size - 1; }
    /// \brief The bin of a number (NaN: the missing bin). Numeric distributions only.
    std::size_t binOf(double value) const;
    /// \brief The bin of a category (its level's, or the unseen-values bin).
    /// Categorical distributions only.
    std::size_t binOf(std::string_view category) const;
    /// \brief How many values of `column` fall in each bin; a categorical distribution
    /// reads the column's values as text (`Column::textAt`).
    std::vector<std::uint64_t> counts(const data::Column& column) const;

private:
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    bool m_categorical = false;
    std::size_t m_size = 0;
    std::vector<double> m_edges;
    std::unordered_map<std::string, std::size_t, TextHash, std::equal_to<>> m_binOfCategory;
};

/// \brief Population stability index Σ (a − e)·ln(a / e) of the shares `actual` against
/// `expected` (same length), each share first raised to at least `kPsiEpsilon`. Common
/// reading: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift. Throws
/// `InvalidParameter` when the lengths differ.
double populationStabilityIndex(const std::vector<double>& expected, const std::vector<double>& actual);

/// \brief `counts` as shares of their total (all zeros when the total is 0).
std::vector<double> sharesOf(const std::vector<std::uint64_t>& counts);

} // namespace stepwise::workflow
