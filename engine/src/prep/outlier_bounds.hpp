#pragma once
// What an outlier is, in one place: the counting API (row_checks.cpp), the clipping
// transformer and the removing sampler all decide it here, so the Prep page's counts are
// exactly what the steps then do.

#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/prep/row_checks.hpp"

namespace stepwise::prep {

/// True when `value` lies outside [lower, upper]. A missing value (NaN) never does, and
/// neither does anything when the bounds are NaN (a column without training values).
inline bool isOutside(double value, double lower, double upper)
{
    return value < lower || value > upper;
}

/// For each row of `table`, whether one of the columns of `report` has a value outside
/// its bounds there: the rows `remove_outliers` drops.
std::vector<bool> rowsWithOutliers(const data::Table& table, const OutlierReport& report, core::TaskControl& control);

/// "the IQR fences (1.5 × IQR beyond the quartiles)" / "mean ± 3 standard deviations":
/// the rule in words for describe().
std::string describeOutlierRule(OutlierRule rule, double factor);

} // namespace stepwise::prep
