#pragma once
/// \file
/// \brief Counting before changing: how many rows a duplicate or outlier step would touch,
/// so the Prep page can show the effect of each choice before the user applies it.

#include <cstddef>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::prep {

/// \brief Rows that repeat an earlier row (pandas `duplicated(keep="first")`).
struct DuplicateReport {
    /// \brief Rows that repeat an earlier row, ascending — what `drop_duplicates` with
    /// keep=first removes.
    std::vector<std::size_t> repeats;
    /// \brief For each entry of `repeats`, the first row it repeats.
    std::vector<std::size_t> firstOccurrence;
    /// \brief Number of distinct row values that occur more than once.
    std::size_t groups = 0;
};

/// \brief Duplicates of `table` comparing `columns` (empty: all columns). Missing values
/// compare equal to each other, as in pandas. Throws `DataError` for an unknown column.
DuplicateReport findDuplicates(const data::Table& table, const std::vector<std::string>& columns,
                               core::TaskControl& control);

/// \brief The outlier rule of `clip_outliers` / `remove_outliers`.
enum class OutlierRule {
    Iqr,     ///< outside [Q1 − factor·IQR, Q3 + factor·IQR]
    ZScore,  ///< |x − mean| > factor · std (population std)
};

/// \brief What a rule finds in one column.
struct ColumnOutliers {
    std::string column;
    double lower = 0.0;  ///< values below are outliers
    double upper = 0.0;  ///< values above are outliers
    std::size_t below = 0;
    std::size_t above = 0;
};

/// \brief What a rule finds in a table.
struct OutlierReport {
    std::vector<ColumnOutliers> columns;  ///< one per numeric column checked
    /// \brief Rows with an outlier in at least one checked column: what removing drops
    /// (clipping changes `below + above` values instead).
    std::size_t rowsAffected = 0;
};

/// \brief Bounds learned from `table` itself (pass the training rows) and the counts,
/// over `columns` (empty: every numeric column except booleans, whose 0/1 values have no
/// outliers). Missing values are never outliers; a column without values gets NaN bounds.
/// Throws `DataError` for an unknown or categorical column, `InvalidParameter` for a
/// factor that is not positive.
OutlierReport findOutliers(const data::Table& table, const std::vector<std::string>& columns, OutlierRule rule,
                           double factor, core::TaskControl& control);

} // namespace stepwise::prep
