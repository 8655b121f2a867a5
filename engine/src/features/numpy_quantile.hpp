#pragma once
// NumPy's default ("linear") quantile and its median, step for step, so statistics built
// on them (RobustScaler's IQR, KBinsDiscretizer's quantile edges) match scikit-learn to
// the last bit rather than to a tolerance.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace stepwise::features {

/// The present (non-NaN) values of `values`, sorted ascending.
inline std::vector<double> sortedPresent(const std::vector<double>& values)
{
    std::vector<double> present;
    present.reserve(values.size());
    for (double value : values)
        if (!std::isnan(value))
            present.push_back(value);
    std::sort(present.begin(), present.end());
    return present;
}

/// np.quantile(sorted, q) with method="linear" for a non-empty ascending `sorted` and
/// q in [0, 1]: index (n − 1)·q, interpolated by NumPy's `_lerp` (which takes the
/// upper neighbour as the base from a weight of 0.5 on).
inline double linearQuantile(const std::vector<double>& sorted, double q)
{
    const std::size_t n = sorted.size();
    const double virtualIndex = static_cast<double>(n - 1) * q;
    if (virtualIndex >= static_cast<double>(n - 1))
        return sorted.back();
    if (virtualIndex < 0.0)
        return sorted.front();
    const double previous = std::floor(virtualIndex);
    const auto index = static_cast<std::size_t>(previous);
    const double gamma = virtualIndex - previous;
    const double a = sorted[index];
    const double b = sorted[index + 1];
    const double difference = b - a;
    return gamma >= 0.5 ? b - difference * (1.0 - gamma) : a + difference * gamma;
}

/// np.percentile(sorted, percent): the percent is divided by 100 first, as NumPy does.
inline double linearPercentile(const std::vector<double>& sorted, double percent)
{
    return linearQuantile(sorted, percent / 100.0);
}

/// np.median of a non-empty ascending `sorted`: the middle value, or the mean of the two
/// middle values.
inline double median(const std::vector<double>& sorted)
{
    const std::size_t n = sorted.size();
    if (n % 2 == 1)
        return sorted[n / 2];
    return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

} // namespace stepwise::features
