#include "features/min_max_scaler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stepwise::features {

ColumnScaler::Scaling MinMaxScaler::statistics(const std::vector<double>& values) const
{
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (double value : values)
        if (!std::isnan(value)) {
            low = std::min(low, value);
            high = std::max(high, value);
        }
    // scikit-learn treats a range below 10·eps as zero and divides by 1, so a constant
    // column maps to 0 instead of dividing by (almost) nothing.
    const double range = high - low;
    return {low, range < 10.0 * std::numeric_limits<double>::epsilon() ? 1.0 : range};
}

} // namespace stepwise::features
