#include "stepwise/workflow/feature_drift.hpp"

#include <algorithm>
#include <cmath>

#include "features/numpy_quantile.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"

namespace stepwise::workflow {
namespace {

FeatureDistribution numericDistribution(const data::Column& column)
{
    FeatureDistribution distribution;
    distribution.column = column.name();
    const std::vector<double> present = features::sortedPresent(column.values());
    if (!present.empty()) {
        for (int decile = 1; decile <= 9; ++decile)
            distribution.binEdges.push_back(features::linearPercentile(present, 10.0 * decile));
        distribution.binEdges.erase(std::unique(distribution.binEdges.begin(), distribution.binEdges.end()),
                                    distribution.binEdges.end());
    }
    return distribution;
}

} // namespace

std::vector<FeatureDistribution> featureDistributions(const data::Table& table, const std::vector<InputColumn>& inputs)
{
    std::vector<FeatureDistribution> distributions;
    distributions.reserve(inputs.size());
    for (const InputColumn& input : inputs) {
        const data::Column& raw = table.column(input.name);
        const bool categorical = data::storageOf(input.kind) == data::ColumnType::Categorical;
        // A column stored otherwise than its input kind is read the way the pipeline
        // reads it when predicting.
        const data::Column column =
            (raw.isCategorical() == categorical) ? raw : data::convertColumn(raw, input.kind);
        FeatureDistribution distribution;
        if (categorical) {
            distribution.column = input.name;
            distribution.categories = input.levels.empty() ? column.levels() : input.levels;
        } else {
            distribution = numericDistribution(column);
        }
        const std::vector<std::uint64_t> counts = DistributionBins(distribution).counts(column);
        distribution.fractions = sharesOf(counts);
        distributions.push_back(std::move(distribution));
    }
    return distributions;
}

DistributionBins::DistributionBins(const FeatureDistribution& distribution)
    : m_categorical(!distribution.categories.empty()), m_edges(distribution.binEdges)
{
    if (m_categorical) {
        m_size = distribution.categories.size() + 2;
        for (std::size_t i = 0; i < distribution.categories.size(); ++i)
            m_binOfCategory.try_emplace(distribution.categories[i], i);
    } else {
        m_size = m_edges.size() + 2;
    }
}

std::size_t DistributionBins::binOf(double value) const
{
    if (std::isnan(value))
        return missingBin();
    return static_cast<std::size_t>(std::upper_bound(m_edges.begin(), m_edges.end(), value) - m_edges.begin());
}

std::size_t DistributionBins::binOf(std::string_view category) const
{
    const auto found = m_binOfCategory.find(category);
    return found != m_binOfCategory.end() ? found->second : m_size - 2;
}

std::vector<std::uint64_t> DistributionBins::counts(const data::Column& column) const
{
    std::vector<std::uint64_t> counts(m_size, 0);
    if (!m_categorical && column.isNumeric()) {
        for (double value : column.values())
            ++counts[binOf(value)];
        return counts;
    }
    // A distribution without edges or categories has one bin besides the missing one, the
    // same for numbers and categories.
    if (!m_categorical && !m_edges.empty())
        throw core::DataError("column '" + column.name() + "' holds categories where numbers were trained");
    // One lookup per distinct value, not per row.
    if (column.isCategorical()) {
        std::vector<std::size_t> binOfCode(column.levels().size());
        for (std::size_t code = 0; code < binOfCode.size(); ++code)
            binOfCode[code] = binOf(std::string_view(column.levels()[code]));
        for (std::int32_t code : column.codes())
            ++counts[code == data::Column::kMissingCode ? missingBin() : binOfCode[static_cast<std::size_t>(code)]];
        return counts;
    }
    for (std::size_t row = 0; row < column.size(); ++row)
        ++counts[column.isMissing(row) ? missingBin() : binOf(std::string_view(column.textAt(row)))];
    return counts;
}

double populationStabilityIndex(const std::vector<double>& expected, const std::vector<double>& actual)
{
    if (expected.size() != actual.size())
        throw core::InvalidParameter("populationStabilityIndex: " + std::to_string(expected.size()) +
                                     " expected shares but " + std::to_string(actual.size()) +
                                     " actual ones — both must cover the same bins");
    double psi = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double e = std::max(expected[i], kPsiEpsilon);
        const double a = std::max(actual[i], kPsiEpsilon);
        psi += (a - e) * std::log(a / e);
    }
    return psi;
}

std::vector<double> sharesOf(const std::vector<std::uint64_t>& counts)
{
    std::uint64_t total = 0;
    for (std::uint64_t count : counts)
        total += count;
    std::vector<double> shares(counts.size(), 0.0);
    if (total == 0)
        return shares;
    for (std::size_t i = 0; i < counts.size(); ++i)
        shares[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
    return shares;
}

} // namespace stepwise::workflow
