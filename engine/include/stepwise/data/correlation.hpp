#pragma once
/// \file
/// \brief Pearson correlations between the numeric columns of a table, computed the way
/// pandas `DataFrame.corr()` does: each pair on the rows where both values are present.

#include <cstddef>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief A symmetric matrix of correlations between named columns.
struct CorrelationMatrix {
    /// \brief The columns, in table order.
    std::vector<std::string> columns;
    /// \brief Row-major `size() × size()` correlations in [-1, 1]; NaN where a pair has
    /// fewer than two complete rows or one of the two is constant on them.
    std::vector<double> values;
    /// \brief Row-major `size() × size()` counts of rows where both values are present.
    std::vector<std::size_t> observations;

    /// \brief Number of columns.
    std::size_t size() const { return columns.size(); }
    /// \brief Correlation of columns `i` and `j`.
    double at(std::size_t i, std::size_t j) const { return values[i * columns.size() + j]; }
    /// \brief Rows on which the correlation of `i` and `j` was computed.
    std::size_t observationsAt(std::size_t i, std::size_t j) const { return observations[i * columns.size() + j]; }
};

/// \brief Pearson correlation of every pair of numerically stored columns (numeric,
/// integer, boolean and datetime kinds), on pairwise-complete rows like pandas
/// `DataFrame.corr()`. Column pairs run in parallel; `control` gets progress per pair
/// and may cancel.
CorrelationMatrix correlationMatrix(const Table& table, core::TaskControl* control = nullptr);

} // namespace stepwise::data
