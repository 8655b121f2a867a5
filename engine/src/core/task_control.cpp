#include "stepwise/core/task_control.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "stepwise/core/errors.hpp"

namespace stepwise::core {

struct TaskControl::Shared {
    explicit Shared(TaskObserver* o) : observer(o) {}
    TaskObserver* observer;
    std::atomic<bool> cancelled{false};
    std::mutex mutex; // serialises observer calls and guards the fields below
    double reported = 0.0;
    std::string stage;
};

TaskControl::TaskControl() : TaskControl(nullptr) {}

TaskControl::TaskControl(TaskObserver* observer) : m_shared(std::make_shared<Shared>(observer)) {}

TaskControl::TaskControl(std::shared_ptr<Shared> shared, double offset, double scale)
    : m_shared(std::move(shared)), m_offset(offset), m_scale(scale)
{
}

void TaskControl::cancel() { m_shared->cancelled.store(true, std::memory_order_relaxed); }

bool TaskControl::isCancelled() const { return m_shared->cancelled.load(std::memory_order_relaxed); }

void TaskControl::checkCancelled() const
{
    if (isCancelled())
        throw Cancelled();
}

void TaskControl::progress(double fraction, std::string_view stage)
{
    checkCancelled();
    if (!m_shared->observer && stage.empty())
        return;
    const double overall = m_offset + m_scale * std::clamp(fraction, 0.0, 1.0);
    std::lock_guard lock(m_shared->mutex);
    // Parallel workers finish out of order; the observer sees a monotone value.
    m_shared->reported = std::max(m_shared->reported, std::min(overall, 1.0));
    if (!stage.empty())
        m_shared->stage.assign(stage);
    if (m_shared->observer)
        m_shared->observer->onProgress(m_shared->reported, m_shared->stage);
}

void TaskControl::snapshot(const TrainingSnapshot& snapshot)
{
    if (!m_shared->observer)
        return;
    std::lock_guard lock(m_shared->mutex);
    if (m_source.empty() || !snapshot.source.empty()) {
        m_shared->observer->onSnapshot(snapshot);
        return;
    }
    TrainingSnapshot labelled = snapshot;
    labelled.source = m_source;
    m_shared->observer->onSnapshot(labelled);
}

TaskControl TaskControl::labelled(std::string source) const
{
    TaskControl copy = *this;
    copy.m_source = std::move(source);
    return copy;
}

TaskControl TaskControl::subRange(double begin, double end) const
{
    TaskControl range(m_shared, m_offset + m_scale * begin, m_scale * (end - begin));
    range.m_source = m_source;
    return range;
}

} // namespace stepwise::core
