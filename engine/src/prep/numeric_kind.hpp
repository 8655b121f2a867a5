#pragma once
// The kind a numeric column keeps after a step changed some of its values (filled a gap,
// clipped a value): a date stays a date, so later date steps still see it, but an integer
// or boolean column only stays one while its values are whole numbers or 0/1.

#include <algorithm>
#include <cmath>
#include <vector>

#include "stepwise/data/column.hpp"

namespace stepwise::prep {

/// `original` if every present value of `values` still fits it, else Numeric.
inline data::ColumnKind numericKindAfter(data::ColumnKind original, const std::vector<double>& values)
{
    const auto all = [&values](auto fits) {
        return std::all_of(values.begin(), values.end(),
                           [&fits](double value) { return std::isnan(value) || fits(value); });
    };
    switch (original) {
    case data::ColumnKind::Integer:
        return all([](double value) { return std::isfinite(value) && value == std::floor(value); })
                   ? original
                   : data::ColumnKind::Numeric;
    case data::ColumnKind::Boolean:
        return all([](double value) { return value == 0.0 || value == 1.0; }) ? original : data::ColumnKind::Numeric;
    case data::ColumnKind::Datetime:
    case data::ColumnKind::Numeric:
        return original;
    case data::ColumnKind::Categorical:
    case data::ColumnKind::Text:
        break;
    }
    return data::ColumnKind::Numeric;
}

} // namespace stepwise::prep
