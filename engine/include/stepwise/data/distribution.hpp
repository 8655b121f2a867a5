#pragma once
/// \file
/// \brief How the values of one column are distributed: a histogram for numbers (bin
/// edges exactly as `numpy.histogram`) and category counts for everything else.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "stepwise/data/column.hpp"

namespace stepwise::data {

/// \brief Equal-width bins over the present, finite values of a numeric column.
struct Histogram {
    /// \brief `counts.size() + 1` increasing bin edges; bin i is [edges[i], edges[i+1]),
    /// the last bin also includes its right edge (as NumPy).
    std::vector<double> edges;
    /// \brief Values per bin.
    std::vector<std::size_t> counts;
    /// \brief Missing values (NaN), not counted in any bin.
    std::size_t missing = 0;
    /// \brief Infinite values, not counted in any bin.
    std::size_t infinite = 0;
};

/// \brief The number of bins `numpy.histogram(values, bins="auto")` uses: the smaller of
/// the Freedman–Diaconis and Sturges bin widths (Sturges alone when the interquartile
/// range is zero), over the range of the finite values. NaN and ±inf are ignored; 1 for
/// no values.
std::size_t autoBinCount(const std::vector<double>& values);

/// \brief `numpy.histogram(values, bins)` of the finite values (NaN and ±inf are counted
/// apart); `bins == 0` chooses the count with `autoBinCount`. A single distinct value
/// gets the range [v - 0.5, v + 0.5], no values the range [0, 1], as in NumPy.
Histogram histogram(const std::vector<double>& values, std::size_t bins = 0);

/// \brief How often each value of a column occurs, most frequent first.
struct CategoryCounts {
    /// \brief Up to the requested number of (value text, count) pairs, most frequent
    /// first, ties in order of first appearance.
    std::vector<std::pair<std::string, std::size_t>> top;
    /// \brief Rows with a present value not among `top`.
    std::size_t other = 0;
    /// \brief Number of distinct present values not among `top`.
    std::size_t otherDistinct = 0;
    /// \brief Missing values.
    std::size_t missing = 0;
};

/// \brief Counts of each distinct present value of `column` (categories by name, numbers
/// and booleans by their display text, as `Column::textAt`), keeping the `top` most
/// frequent and folding the rest into `other`. `top == 0` keeps all.
CategoryCounts categoryCounts(const Column& column, std::size_t top = 10);

/// \brief A column's distribution in the form a plot shows it.
struct ColumnDistribution {
    /// \brief Bars over equal-width bins, or one bar per value.
    enum class Shape { Histogram, Counts };
    Shape shape = Shape::Histogram;
    Histogram histogram;    ///< when `shape == Histogram`
    CategoryCounts counts;  ///< when `shape == Counts`
    /// \brief `counts.top` is ordered by value (a few whole numbers, e.g. a class
    /// 1/2/3) rather than most frequent first.
    bool countsByValue = false;
};

/// \brief The distribution worth plotting for `column`: counts of the `topCategories`
/// most frequent values for categorical, text and boolean columns; counts ordered by
/// value for integer columns with at most `maxDistinctIntegers` distinct values; else a
/// histogram with `autoBinCount` bins, at most `maxBins`.
ColumnDistribution columnDistribution(const Column& column, std::size_t maxBins = 100, std::size_t topCategories = 12,
                                      std::size_t maxDistinctIntegers = 25);

} // namespace stepwise::data
