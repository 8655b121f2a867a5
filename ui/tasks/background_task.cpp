#include "tasks/background_task.hpp"

#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <new>

#include "stepwise/core/errors.hpp"
#include "tasks/progress_relay.hpp"

Q_LOGGING_CATEGORY(lcTasks, "stepwise.tasks", QtWarningMsg)

namespace stepwise::ui {

BackgroundTask::BackgroundTask(QString kind, QObject* parent) : QObject(parent), m_kind(std::move(kind))
{
    qRegisterMetaType<stepwise::ui::TrainingUpdate>();
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &BackgroundTask::onWorkerFinished);
}

BackgroundTask::~BackgroundTask()
{
    m_queued.reset();
    if (m_watcher.isRunning()) {
        m_watcher.disconnect(this);
        if (m_control)
            m_control->cancel();
        // Workers read data owned by the session; they must be gone before it is.
        m_watcher.waitForFinished();
    }
    if (m_relay)
        m_relay->discard();
}

void BackgroundTask::start(const QString& title, Work work, Done onSuccess)
{
    if (isRunning()) {
        m_queued = Queued{title, std::move(work), std::move(onSuccess)};
        cancel();
        return;
    }
    launch(title, std::move(work), std::move(onSuccess));
}

void BackgroundTask::launch(const QString& title, Work work, Done onSuccess)
{
    m_title = title;
    m_error.clear();
    m_stage.clear();
    m_fraction = 0.0;
    m_cancelRequested = false;
    m_done = std::move(onSuccess);
    m_state = State::Running;
    m_clock.start();

    ProgressRelay::Sink sink;
    sink.progress = [this](double fraction, const QString& stage) {
        m_fraction = fraction;
        if (!stage.isEmpty())
            m_stage = stage;
        emit progressChanged(m_fraction, m_stage);
    };
    sink.training = [this](const TrainingUpdate& update) { emit trainingUpdated(update); };
    m_relay = ProgressRelay::create(this, std::move(sink));
    m_control.emplace(m_relay.get());

    qCDebug(lcTasks) << m_kind << "started:" << title;
    emit started();

    // The control is copied into the worker (copies share the cancel flag); the relay is
    // kept alive by the shared pointer until the worker has returned.
    m_watcher.setFuture(QtConcurrent::run(
        [work = std::move(work), control = *m_control, relay = m_relay]() mutable -> Outcome {
            Outcome outcome;
            try {
                outcome.value = work(control);
                if (control.isCancelled())
                    outcome.state = State::Cancelled;
            } catch (const core::Cancelled&) {
                outcome.state = State::Cancelled;
            } catch (const std::bad_alloc&) {
                outcome.state = State::Failed;
                outcome.error = QStringLiteral("Not enough memory for this task — use fewer rows or a smaller model.");
            } catch (const std::exception& error) {
                outcome.state = control.isCancelled() ? State::Cancelled : State::Failed;
                outcome.error = QString::fromStdString(error.what());
            } catch (...) {
                outcome.state = State::Failed;
                outcome.error = QStringLiteral("An unexpected error stopped the task.");
            }
            return outcome;
        }));
}

void BackgroundTask::cancel()
{
    if (!isRunning() || !m_control)
        return;
    if (!m_cancelRequested) {
        m_cancelRequested = true;
        m_control->cancel();
        m_stage = tr("Cancelling…");
        emit cancelRequested();
        emit progressChanged(m_fraction, m_stage);
    }
}

qint64 BackgroundTask::elapsedMs() const
{
    return isRunning() ? m_clock.elapsed() : m_lastDurationMs;
}

void BackgroundTask::onWorkerFinished()
{
    if (m_relay) {
        m_relay->close();
        m_relay.reset();
    }
    m_lastDurationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    Outcome outcome = m_watcher.result();
    // A cancel that arrived after the work completed still wins: the user asked for no
    // change, and applying a result they tried to stop would surprise them.
    if (m_cancelRequested && outcome.state == State::Succeeded)
        outcome.state = State::Cancelled;
    m_state = outcome.state;
    m_error = outcome.error;
    if (m_state == State::Succeeded) {
        m_fraction = 1.0;
        Done done = std::move(m_done);
        m_done = nullptr;
        if (done) {
            try {
                done(outcome.value);
            } catch (const std::exception& error) {
                m_state = State::Failed;
                m_error = QString::fromStdString(error.what());
            }
        }
    }
    m_done = nullptr;
    qCDebug(lcTasks) << m_kind << "finished:" << m_state << m_error << m_lastDurationMs << "ms";
    emit finished();

    if (m_queued && !isRunning()) {
        Queued next = std::move(*m_queued);
        m_queued.reset();
        launch(next.title, std::move(next.work), std::move(next.done));
    }
}

} // namespace stepwise::ui
