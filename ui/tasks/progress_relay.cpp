#include "tasks/progress_relay.hpp"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>

namespace stepwise::ui {
namespace {
// At most one delivery per interval: ~20 updates per second is smooth for a progress bar
// and a chart, and cheap enough that painting never competes with input handling.
constexpr int kQuietPeriodMs = 50;
} // namespace

std::shared_ptr<ProgressRelay> ProgressRelay::create(QObject* context, Sink sink)
{
    return std::shared_ptr<ProgressRelay>(new ProgressRelay(context, std::move(sink)));
}

ProgressRelay::ProgressRelay(QObject* context, Sink sink) : m_context(context), m_sink(std::move(sink)) {}

void ProgressRelay::onProgress(double fraction, const std::string& stage)
{
    std::lock_guard lock(m_mutex);
    m_pending.progressDirty = true;
    m_pending.fraction = fraction;
    m_pending.stage = stage;
    postLocked();
}

void ProgressRelay::onSnapshot(const core::TrainingSnapshot& snapshot)
{
    const QString source = QString::fromStdString(snapshot.source);
    const QString metric = QString::fromStdString(snapshot.metricName);
    const QString stepName = QString::fromStdString(snapshot.stepName);
    const QString measuredOn = QString::fromStdString(snapshot.measuredOn);
    std::lock_guard lock(m_mutex);
    TrainingUpdate& update = m_pending.training;
    // Few curves per batch (one per run and metric): a linear search is cheaper than a map.
    auto curve = std::find_if(update.curves.begin(), update.curves.end(), [&](const CurveUpdate& c) {
        return c.source == source && c.metricName == metric && c.stepName == stepName;
    });
    if (curve == update.curves.end()) {
        update.curves.append(CurveUpdate{source, metric, stepName, measuredOn, 0, {}});
        curve = update.curves.end() - 1;
    }
    curve->measuredOn = measuredOn;
    curve->totalSteps = snapshot.totalSteps;
    curve->points.append(QPointF(snapshot.step, snapshot.value));
    if (!snapshot.confusion.empty()) {
        auto matrix = std::find_if(update.confusions.begin(), update.confusions.end(), [&](const ConfusionUpdate& c) {
            return c.source == source && c.measuredOn == measuredOn;
        });
        if (matrix == update.confusions.end()) {
            update.confusions.append(ConfusionUpdate{source, measuredOn, {}, 0, 0, {}});
            matrix = update.confusions.end() - 1;
        }
        matrix->stepName = stepName;
        matrix->step = snapshot.step;
        matrix->totalSteps = snapshot.totalSteps;
        matrix->matrix = snapshot.confusion;
    }
    ++update.snapshots;
    m_pending.trainingDirty = true;
    postLocked();
}

void ProgressRelay::postLocked()
{
    if (m_posted || m_closed || !m_context)
        return;
    m_posted = true;
    // The relay is kept alive by the queued functor; the context drops the call if the
    // task object goes away first.
    QMetaObject::invokeMethod(
        m_context.data(), [self = shared_from_this()] { self->deliver(); }, Qt::QueuedConnection);
}

void ProgressRelay::deliver()
{
    Pending taken;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return;
        taken = std::move(m_pending);
        m_pending = Pending{};
    }
    if (taken.progressDirty && m_sink.progress)
        m_sink.progress(taken.fraction, QString::fromStdString(taken.stage));
    if (taken.trainingDirty && m_sink.training)
        m_sink.training(taken.training);
    if (m_context)
        QTimer::singleShot(kQuietPeriodMs, m_context.data(), [self = shared_from_this()] { self->rearm(); });
}

void ProgressRelay::rearm()
{
    bool dirty = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return;
        dirty = m_pending.progressDirty || m_pending.trainingDirty;
        if (!dirty)
            m_posted = false;
    }
    if (dirty)
        deliver();
}

void ProgressRelay::discard()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
}

void ProgressRelay::close()
{
    deliver();
    std::lock_guard lock(m_mutex);
    m_closed = true;
}

} // namespace stepwise::ui
