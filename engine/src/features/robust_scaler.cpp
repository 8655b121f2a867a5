#include "features/robust_scaler.hpp"

#include <limits>

#include "features/numpy_quantile.hpp"

namespace stepwise::features {

ColumnScaler::Scaling RobustScaler::statistics(const std::vector<double>& values) const
{
    const std::vector<double> sorted = sortedPresent(values);
    const double range = linearPercentile(sorted, 75.0) - linearPercentile(sorted, 25.0);
    // scikit-learn's _handle_zeros_in_scale: a (nearly) zero IQR divides by 1.
    return {median(sorted), range < 10.0 * std::numeric_limits<double>::epsilon() ? 1.0 : range};
}

} // namespace stepwise::features
