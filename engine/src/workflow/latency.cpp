#include <algorithm>
#include <chrono>
#include <cmath>

#include "stepwise/core/errors.hpp"
#include "stepwise/workflow/model_analysis.hpp"

namespace stepwise::workflow {
namespace {

// numpy.percentile's default ("linear"): the value at position q/100 × (n − 1) of the
// sorted samples, interpolated between its neighbours.
double percentile(const std::vector<double>& sorted, double q)
{
    const double position = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

} // namespace

LatencyMeasurement measureLatency(const FittedPipeline& pipeline, const data::Table& table,
                                  const std::vector<std::size_t>& rows, core::TaskControl& control,
                                  std::size_t maxSamples, double budgetSeconds)
{
    using Clock = std::chrono::steady_clock;
    if (rows.empty() || maxSamples == 0)
        throw core::DataError("there are no rows to measure the prediction latency on — give at least one row");
    for (std::size_t row : rows)
        if (row >= table.rowCount())
            throw core::InvalidParameter("latency row " + std::to_string(row) + " is outside the table's " +
                                         std::to_string(table.rowCount()) + " rows — pass rows of this table");

    // Spread the samples over all the rows, so a sorted file does not time only its first
    // kind of row.
    const std::size_t count = std::min(maxSamples, rows.size());
    std::vector<std::size_t> chosen(count);
    for (std::size_t i = 0; i < count; ++i)
        chosen[i] = rows[i * rows.size() / count];

    control.progress(0.0, "measuring latency");
    // The first prediction pays for cold caches and lazy allocations; a service pays that
    // once, so it is not a sample.
    pipeline.predict(table.selectRows({chosen.front()}));

    constexpr std::size_t kMinimumSamples = 20;
    std::vector<double> milliseconds;
    milliseconds.reserve(count);
    const auto start = Clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        // The row arrives as a one-row table, as a request would; building it is the
        // caller's work, not the pipeline's.
        const data::Table one = table.selectRows({chosen[i]});
        const auto before = Clock::now();
        pipeline.predict(one);
        const auto after = Clock::now();
        milliseconds.push_back(std::chrono::duration<double, std::milli>(after - before).count());
        control.progress(static_cast<double>(i + 1) / static_cast<double>(count));
        if (milliseconds.size() >= kMinimumSamples &&
            std::chrono::duration<double>(after - start).count() >= budgetSeconds)
            break;
    }

    std::sort(milliseconds.begin(), milliseconds.end());
    LatencyMeasurement measurement;
    measurement.samples = milliseconds.size();
    measurement.medianMs = percentile(milliseconds, 50.0);
    measurement.p99Ms = percentile(milliseconds, 99.0);
    measurement.maxMs = milliseconds.back();
    control.progress(1.0);
    return measurement;
}

} // namespace stepwise::workflow
