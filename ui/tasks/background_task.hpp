#pragma once
/// \file
/// \brief Runs one piece of engine work at a time off the GUI thread, with progress,
/// live training updates, cancel, and the outcome delivered on the GUI thread.

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <any>
#include <functional>
#include <memory>
#include <optional>

#include "stepwise/core/task_control.hpp"
#include "tasks/training_update.hpp"

namespace stepwise::ui {

class ProgressRelay;

/// \brief One background slot: `start` runs a function on the thread pool with a
/// `TaskControl` wired to this object's signals. Starting while a run is under way
/// cancels it and starts the new one as soon as it has stopped. The destructor cancels
/// and waits, so no worker outlives the objects it reports to.
class BackgroundTask : public QObject {
    Q_OBJECT
public:
    /// \brief Where the last run ended.
    enum class State { Idle, Running, Succeeded, Failed, Cancelled };
    Q_ENUM(State)

    /// \brief The work: runs on a pool thread, must only read immutable data, and returns
    /// its result (any copyable value, typically a `shared_ptr<const T>`).
    using Work = std::function<std::any(core::TaskControl& control)>;
    /// \brief Called on the GUI thread with the result of a successful run.
    using Done = std::function<void(const std::any& result)>;

    /// \brief A task slot; `kind` names it in the UI ("Loading data", "Training").
    explicit BackgroundTask(QString kind, QObject* parent = nullptr);
    ~BackgroundTask() override;

    /// \brief Starts `work`; `title` says what it does ("Training Random forest").
    void start(const QString& title, Work work, Done onSuccess);
    /// \brief Asks the running work to stop (it throws `Cancelled` at its next check).
    void cancel();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    const QString& kind() const { return m_kind; }
    /// \brief What the current or last run was doing.
    const QString& title() const { return m_title; }
    /// \brief The error message of a failed run.
    const QString& errorMessage() const { return m_error; }
    double fraction() const { return m_fraction; }
    const QString& stage() const { return m_stage; }
    /// \brief Milliseconds since the current run started, or the duration of the last one.
    qint64 elapsedMs() const;
    /// \brief True while a cancel request waits for the worker to stop.
    bool isCancelling() const { return m_cancelRequested && isRunning(); }

signals:
    /// \brief A run started.
    void started();
    /// \brief Progress of the running work (at most ~20 per second).
    void progressChanged(double fraction, const QString& stage);
    /// \brief Live results from a model in training (at most ~20 per second).
    void trainingUpdated(const stepwise::ui::TrainingUpdate& update);
    /// \brief Cancel was requested; the worker stops at its next check.
    void cancelRequested();
    /// \brief The run ended; `state()` says how and `errorMessage()` why it failed. Emitted
    /// after the success callback ran.
    void finished();

private:
    struct Outcome {
        State state = State::Succeeded;
        QString error;
        std::any value;
    };
    struct Queued {
        QString title;
        Work work;
        Done done;
    };

    void launch(const QString& title, Work work, Done onSuccess);
    void onWorkerFinished();

    QString m_kind;
    QString m_title;
    QString m_error;
    QString m_stage;
    double m_fraction = 0.0;
    State m_state = State::Idle;
    bool m_cancelRequested = false;
    QElapsedTimer m_clock;
    qint64 m_lastDurationMs = 0;
    std::optional<core::TaskControl> m_control;
    std::shared_ptr<ProgressRelay> m_relay;
    Done m_done;
    std::optional<Queued> m_queued;
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace stepwise::ui
