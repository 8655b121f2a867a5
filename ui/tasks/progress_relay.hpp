#pragma once
/// \file
/// \brief Carries progress and training snapshots from an engine worker thread to the
/// GUI thread, coalesced to at most ~20 deliveries per second.

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "stepwise/core/task_control.hpp"
#include "tasks/training_update.hpp"

namespace stepwise::ui {

/// \brief A `core::TaskObserver` that buffers what the worker reports and posts a queued
/// call to the GUI thread; further reports within the next 50 ms are merged into one
/// delivery, so a model that reports every millisecond cannot flood the event loop and
/// the last report is never lost.
class ProgressRelay : public core::TaskObserver, public std::enable_shared_from_this<ProgressRelay> {
public:
    /// \brief Receives one merged delivery on the GUI thread.
    struct Sink {
        std::function<void(double fraction, const QString& stage)> progress;
        std::function<void(const TrainingUpdate& update)> training;
    };

    /// \brief A relay delivering to `sink` in the thread of `context`; deliveries stop
    /// when `context` is destroyed or `close()` is called.
    static std::shared_ptr<ProgressRelay> create(QObject* context, Sink sink);

    void onProgress(double fraction, const std::string& stage) override;
    void onSnapshot(const core::TrainingSnapshot& snapshot) override;

    /// \brief GUI thread, after the worker has finished: delivers what is still buffered
    /// and stops all later deliveries.
    void close();
    /// \brief Stops all deliveries without delivering what is buffered (for teardown,
    /// when the receivers may already be gone).
    void discard();

private:
    ProgressRelay(QObject* context, Sink sink);

    struct Pending {
        bool progressDirty = false;
        double fraction = 0.0;
        std::string stage;
        bool trainingDirty = false;
        TrainingUpdate training;  // only the points not yet delivered
    };

    void postLocked();
    void deliver();
    void rearm();

    QPointer<QObject> m_context;
    Sink m_sink;
    std::mutex m_mutex;
    Pending m_pending;
    bool m_posted = false;  // a delivery is queued or the 50 ms quiet period runs
    bool m_closed = false;
};

} // namespace stepwise::ui
