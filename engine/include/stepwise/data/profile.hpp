#pragma once
/// \file
/// \brief What a person needs to understand a table before modelling it: per-column
/// summaries (like pandas `info()`/`describe()`) and flags for suspicious columns.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief Summary of one column.
struct ColumnProfile {
    std::string name;
    /// \brief The column's kind: "numeric", "integer", "boolean", "datetime",
    /// "categorical" or "text" (`toString(ColumnKind)`).
    std::string kind;
    std::size_t missing = 0;
    std::size_t unique = 0;  ///< distinct present values
    /// \brief Columns stored as numbers (pandas conventions: sample std, linear
    /// quartiles). Booleans get only the mean (share of True); datetimes (seconds since
    /// the epoch, see `formatProfileValue`) get no std.
    std::optional<double> mean, std, min, q1, median, q3, max;
    /// \brief Up to five most frequent values with counts (categorical, text and boolean
    /// columns), most frequent first, ties by first appearance.
    std::vector<std::pair<std::string, std::size_t>> top;
};

/// \brief A warning about a column.
struct DataFlag {
    std::string column;
    std::string kind;     ///< "constant", "id_like", "high_cardinality", "target_leak"
    std::string message;  ///< says what was seen and what to do
};

/// \brief Profile of a whole table.
struct DataProfile {
    std::size_t rows = 0;
    std::vector<ColumnProfile> columns;
    std::vector<DataFlag> flags;
};

/// \brief A statistic of `profile` as text: ISO 8601 for datetime columns, else the
/// shortest round-trip number.
std::string formatProfileValue(const ColumnProfile& profile, double value);

/// \brief Summarises every column; with a target, also flags columns that predict it
/// (almost) perfectly on their own — likely leaks.
DataProfile profileTable(const Table& table, const std::optional<std::string>& target = std::nullopt);

} // namespace stepwise::data
