#pragma once
// Paces live snapshots that cost a pass over many rows (the monitor rows, or all training
// rows for a solver whose sweeps do not yield a loss on the way): one at the first step,
// then at most one per interval and never more often than twenty times the time the last
// one took, so watching a fit slows it by a few percent at most. The caller adds one for
// the last step. The model itself never depends on when snapshots were taken.

#include <algorithm>
#include <chrono>

namespace stepwise::models {

class SnapshotThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit SnapshotThrottle(std::chrono::milliseconds interval = std::chrono::milliseconds(100))
        : m_interval(interval)
    {
    }

    /// True at the first call, then whenever enough time has passed since the last
    /// snapshot ended; call `taken()` once the snapshot is done.
    bool due() const
    {
        if (!m_started)
            return true;
        return Clock::now() - m_lastEnd >= std::max<Clock::duration>(m_interval, 20 * m_lastCost);
    }

    /// Records that a snapshot started at `start` has just been taken.
    void taken(Clock::time_point start)
    {
        m_started = true;
        m_lastEnd = Clock::now();
        m_lastCost = m_lastEnd - start;
    }

private:
    Clock::duration m_interval;
    Clock::duration m_lastCost{};
    Clock::time_point m_lastEnd;
    bool m_started = false;
};

} // namespace stepwise::models
