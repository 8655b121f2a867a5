#pragma once
/// \file
/// \brief The only channel between long engine work and whoever waits for it:
/// progress with a stage text, cancellation, sub-ranges for nested phases, and partial
/// results (Orange3's TaskState). Thread-safe: worker threads may report concurrently.

#include <memory>
#include <string>
#include <string_view>

#include "stepwise/core/training_snapshot.hpp"

namespace stepwise::core {

/// \brief Receives reports from a running task. Called on the worker thread(s), one
/// call at a time (the TaskControl serialises them); implementations must not block.
class TaskObserver {
public:
    virtual ~TaskObserver() = default;
    /// \brief Overall progress in [0, 1] (never decreases) and the current stage text.
    virtual void onProgress(double fraction, const std::string& stage) = 0;
    /// \brief A partial result while a model trains (one point of the live curve).
    virtual void onSnapshot(const TrainingSnapshot& snapshot) { (void)snapshot; }
};

/// \brief Handle passed to every long engine call. Copies share one cancel flag and
/// observer; `subRange` maps a nested phase onto part of the parent's progress.
class TaskControl {
public:
    /// \brief A control with no observer; it still honours `cancel()`.
    TaskControl();
    /// \brief A control that reports to `observer` (which must outlive the task).
    explicit TaskControl(TaskObserver* observer);

    /// \brief Ask the task to stop; safe from any thread. The task throws `Cancelled`
    /// at its next check.
    void cancel();
    /// \brief True once `cancel()` has been called on this control or any copy.
    bool isCancelled() const;
    /// \brief Throws `Cancelled` if cancellation was requested.
    void checkCancelled() const;

    /// \brief Report progress `fraction` ∈ [0, 1] of this range, with an optional stage
    /// text (empty keeps the previous one). Also checks for cancellation.
    void progress(double fraction, std::string_view stage = {});
    /// \brief Forward a partial training result to the observer.
    void snapshot(const TrainingSnapshot& snapshot);

    /// \brief A control whose progress 0..1 maps to [begin, end] of this one's range.
    TaskControl subRange(double begin, double end) const;
    /// \brief A copy whose snapshots carry `source` (unless they name one themselves), so
    /// an observer can tell concurrent training runs apart. Sub-ranges keep the label.
    TaskControl labelled(std::string source) const;

private:
    struct Shared;
    TaskControl(std::shared_ptr<Shared> shared, double offset, double scale);

    std::shared_ptr<Shared> m_shared;
    double m_offset = 0.0;
    double m_scale = 1.0;
    std::string m_source;
};

} // namespace stepwise::core
