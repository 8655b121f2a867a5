#include "features/standard_scaler.hpp"

#include <cmath>
#include <limits>

namespace stepwise::features {

// scikit-learn's corrected two-pass mean and variance (Chan, Golub & LeVeque) over the
// present values, and its test for a column that is constant up to rounding.
ColumnScaler::Scaling StandardScaler::statistics(const std::vector<double>& values) const
{
    double sum = 0.0;
    std::size_t count = 0;
    for (double value : values)
        if (!std::isnan(value)) {
            sum += value;
            ++count;
        }
    const double n = static_cast<double>(count);
    const double mean = sum / n;
    double correction = 0.0;
    double squares = 0.0;
    for (double value : values)
        if (!std::isnan(value)) {
            const double deviation = value - mean;
            correction += deviation;
            squares += deviation * deviation;
        }
    const double variance = (squares - correction * correction / n) / n;
    constexpr double eps = std::numeric_limits<double>::epsilon();
    const double bound = n * eps * variance + (n * mean * eps) * (n * mean * eps);
    return {mean, variance <= bound ? 1.0 : std::sqrt(variance)};
}

} // namespace stepwise::features
