#include "stepwise/data/correlation.hpp"

#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <utility>

namespace stepwise::data {
namespace {

struct PairResult {
    double correlation = std::numeric_limits<double>::quiet_NaN();
    std::size_t observations = 0;
};

/// Two passes over the complete rows: means first, then centred sums. pandas uses
/// Welford's one-pass update; both are exact to well under 1e-12 on real data, and the
/// two-pass form needs no division per row.
PairResult pearson(const std::vector<double>& x, const std::vector<double>& y)
{
    PairResult result;
    const std::size_t n = x.size();
    double sumX = 0.0;
    double sumY = 0.0;
    std::size_t count = 0;
    for (std::size_t row = 0; row < n; ++row) {
        const double a = x[row];
        const double b = y[row];
        if (std::isnan(a) || std::isnan(b))
            continue;
        sumX += a;
        sumY += b;
        ++count;
    }
    result.observations = count;
    if (count < 2)
        return result;
    const double meanX = sumX / double(count);
    const double meanY = sumY / double(count);
    double sxx = 0.0;
    double syy = 0.0;
    double sxy = 0.0;
    for (std::size_t row = 0; row < n; ++row) {
        const double a = x[row];
        const double b = y[row];
        if (std::isnan(a) || std::isnan(b))
            continue;
        const double dx = a - meanX;
        const double dy = b - meanY;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    const double divisor = std::sqrt(sxx * syy);
    if (divisor != 0.0 && std::isfinite(divisor))
        result.correlation = sxy / divisor;
    return result;
}

} // namespace

CorrelationMatrix correlationMatrix(const Table& table, core::TaskControl* control)
{
    CorrelationMatrix matrix;
    std::vector<const std::vector<double>*> columns;
    for (const Column& column : table.columns()) {
        if (!column.isNumeric())
            continue;
        matrix.columns.push_back(column.name());
        columns.push_back(&column.values());
    }
    const std::size_t k = columns.size();
    matrix.values.assign(k * k, std::numeric_limits<double>::quiet_NaN());
    matrix.observations.assign(k * k, 0);
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    pairs.reserve(k * (k + 1) / 2);
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j <= i; ++j)
            pairs.emplace_back(i, j);

    core::TaskControl fallback;
    core::TaskControl& task = control ? *control : fallback;
    task.progress(0.0, "Correlating columns");
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> done{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    const auto total = static_cast<std::ptrdiff_t>(pairs.size());
    // Exceptions (a cancel from `progress`) must not leave the parallel region: the first
    // is kept, the other pairs are skipped, and it is rethrown after the loop. Each pair
    // writes its own two cells, so the result does not depend on the thread count.
#pragma omp parallel for schedule(dynamic)
    for (std::ptrdiff_t p = 0; p < total; ++p) {
        if (stop.load(std::memory_order_relaxed))
            continue;
        try {
            const auto [i, j] = pairs[static_cast<std::size_t>(p)];
            const PairResult result = pearson(*columns[i], *columns[j]);
            matrix.values[i * k + j] = matrix.values[j * k + i] = result.correlation;
            matrix.observations[i * k + j] = matrix.observations[j * k + i] = result.observations;
            const std::size_t finished = done.fetch_add(1) + 1;
            task.progress(double(finished) / double(pairs.size()));
        } catch (...) {
            std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            stop.store(true, std::memory_order_relaxed);
        }
    }
    if (failure)
        std::rethrow_exception(failure);
    task.progress(1.0);
    return matrix;
}

} // namespace stepwise::data
