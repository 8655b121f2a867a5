#include "stepwise/data/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>
#include "stepwise/core/number_text.hpp"

namespace stepwise::data {
namespace {

std::vector<double> finiteValues(const std::vector<double>& values)
{
    std::vector<double> finite;
    finite.reserve(values.size());
    for (double v : values)
        if (std::isfinite(v))
            finite.push_back(v);
    return finite;
}

/// NumPy's "linear" percentile of unsorted `values` (partially reordered in place),
/// including its lerp, which computes from the upper neighbour when t >= 0.5.
double percentile(std::vector<double>& values, double q)
{
    const std::size_t n = values.size();
    const double virtualIndex = double(n - 1) * q;
    if (virtualIndex >= double(n - 1)) {
        std::nth_element(values.begin(), values.end() - 1, values.end());
        return values.back();
    }
    const auto previous = static_cast<std::size_t>(std::floor(virtualIndex));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(previous), values.end());
    const double a = values[previous];
    const double b = *std::min_element(values.begin() + std::ptrdiff_t(previous) + 1, values.end());
    const double t = virtualIndex - double(previous);
    const double difference = b - a;
    return t >= 0.5 ? b - difference * (1.0 - t) : a + difference * t;
}

std::size_t autoBinsOfFinite(std::vector<double> finite)
{
    if (finite.empty())
        return 1;
    const auto [low, high] = std::minmax_element(finite.begin(), finite.end());
    const double first = *low;
    const double last = *high;
    const double n = double(finite.size());
    const double sturges = (last - first) / (std::log2(n) + 1.0);
    const double q3 = percentile(finite, 0.75);
    const double q1 = percentile(finite, 0.25);
    const double fd = 2.0 * (q3 - q1) * std::pow(n, -1.0 / 3.0);
    const double width = fd != 0.0 ? std::min(fd, sturges) : sturges;
    if (width == 0.0)
        return 1;
    double firstEdge = first;
    double lastEdge = last;
    if (firstEdge == lastEdge) {
        firstEdge -= 0.5;
        lastEdge += 0.5;
    }
    return static_cast<std::size_t>(std::ceil((lastEdge - firstEdge) / width));
}

} // namespace

std::size_t autoBinCount(const std::vector<double>& values) { return autoBinsOfFinite(finiteValues(values)); }

Histogram histogram(const std::vector<double>& values, std::size_t bins)
{
    Histogram result;
    std::vector<double> finite;
    finite.reserve(values.size());
    for (double v : values) {
        if (std::isnan(v))
            ++result.missing;
        else if (std::isinf(v))
            ++result.infinite;
        else
            finite.push_back(v);
    }
    const std::size_t count = bins > 0 ? bins : autoBinsOfFinite(finite);

    double firstEdge = 0.0;
    double lastEdge = 1.0;
    if (!finite.empty()) {
        const auto [low, high] = std::minmax_element(finite.begin(), finite.end());
        firstEdge = *low;
        lastEdge = *high;
    }
    if (firstEdge == lastEdge) {
        firstEdge -= 0.5;
        lastEdge += 0.5;
    }

    // numpy.linspace(first, last, count + 1): i * step + first, the last edge exact.
    result.edges.resize(count + 1);
    const double delta = lastEdge - firstEdge;
    const double step = delta / double(count);
    for (std::size_t i = 0; i <= count; ++i)
        result.edges[i] = (step == 0.0 ? double(i) / double(count) * delta : double(i) * step) + firstEdge;
    result.edges[count] = lastEdge;

    // numpy.histogram's uniform-bin path, including its corrections for values within an
    // ulp of an edge, so every value lands in the bin NumPy puts it in.
    result.counts.assign(count, 0);
    const auto last = static_cast<std::ptrdiff_t>(count) - 1;
    const bool regular = std::isfinite(delta) && delta > 0.0;
    for (double v : finite) {
        if (!regular) {
            // A range too wide or too narrow for doubles (±1e308, or 1e20 ± 0.5): place by
            // the edges alone.
            const auto above = std::upper_bound(result.edges.begin(), result.edges.end(), v);
            const auto index = std::clamp<std::ptrdiff_t>(above - result.edges.begin() - 1, 0, last);
            ++result.counts[std::size_t(index)];
            continue;
        }
        const double f = ((v - firstEdge) / delta) * double(count);
        auto index = static_cast<std::ptrdiff_t>(f);
        if (index == static_cast<std::ptrdiff_t>(count))
            --index;
        if (v < result.edges[std::size_t(index)])
            --index;
        if (index != last && v >= result.edges[std::size_t(index) + 1])
            ++index;
        ++result.counts[std::size_t(index)];
    }
    return result;
}

CategoryCounts categoryCounts(const Column& column, std::size_t top)
{
    struct Tally {
        std::size_t count = 0;
        std::size_t firstRow = 0;
    };
    std::vector<Tally> tallies;
    CategoryCounts result;
    if (column.isCategorical()) {
        tallies.resize(column.levels().size());
        const auto& codes = column.codes();
        for (std::size_t row = 0; row < codes.size(); ++row) {
            const std::int32_t code = codes[row];
            if (code < 0) {
                ++result.missing;
                continue;
            }
            Tally& tally = tallies[std::size_t(code)];
            if (tally.count++ == 0)
                tally.firstRow = row;
        }
        tallies.erase(std::remove_if(tallies.begin(), tallies.end(), [](const Tally& t) { return t.count == 0; }),
                      tallies.end());
    } else {
        std::unordered_map<double, std::size_t> index;
        const auto& values = column.values();
        for (std::size_t row = 0; row < values.size(); ++row) {
            const double v = values[row];
            if (std::isnan(v)) {
                ++result.missing;
                continue;
            }
            const auto [it, inserted] = index.try_emplace(v, tallies.size());
            if (inserted)
                tallies.push_back({0, row});
            ++tallies[it->second].count;
        }
    }
    std::sort(tallies.begin(), tallies.end(), [](const Tally& a, const Tally& b) {
        return a.count != b.count ? a.count > b.count : a.firstRow < b.firstRow;
    });
    const std::size_t kept = top == 0 ? tallies.size() : std::min(top, tallies.size());
    result.top.reserve(kept);
    for (std::size_t i = 0; i < tallies.size(); ++i) {
        if (i < kept) {
            result.top.emplace_back(column.textAt(tallies[i].firstRow), tallies[i].count);
        } else {
            result.other += tallies[i].count;
            ++result.otherDistinct;
        }
    }
    return result;
}

ColumnDistribution columnDistribution(const Column& column, std::size_t maxBins, std::size_t topCategories,
                                      std::size_t maxDistinctIntegers)
{
    ColumnDistribution result;
    const ColumnKind kind = column.kind();
    if (column.isCategorical() || kind == ColumnKind::Boolean) {
        result.shape = ColumnDistribution::Shape::Counts;
        result.counts = categoryCounts(column, topCategories);
        return result;
    }
    if (kind == ColumnKind::Integer) {
        // Few whole numbers read best as one bar per value, in value order.
        std::vector<double> distinct;
        for (double v : column.values()) {
            if (std::isnan(v) || std::find(distinct.begin(), distinct.end(), v) != distinct.end())
                continue;
            distinct.push_back(v);
            if (distinct.size() > maxDistinctIntegers)
                break;
        }
        if (distinct.size() <= maxDistinctIntegers) {
            result.shape = ColumnDistribution::Shape::Counts;
            result.countsByValue = true;
            result.counts = categoryCounts(column, 0);
            std::vector<std::pair<double, std::size_t>> byValue;
            for (const auto& [text, count] : result.counts.top)
                byValue.emplace_back(core::parseNumberText(text).value_or(0.0), count);
            std::sort(byValue.begin(), byValue.end());
            result.counts.top.clear();
            for (const auto& [value, count] : byValue)
                result.counts.top.emplace_back(formatNumber(value), count);
            return result;
        }
    }
    std::size_t bins = autoBinCount(column.values());
    if (maxBins > 0)
        bins = std::min(bins, maxBins);
    result.histogram = histogram(column.values(), bins);
    return result;
}

} // namespace stepwise::data
