#include "widgets/task_progress_panel.hpp"

#include <QCoreApplication>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTimer>

#include "tasks/background_task.hpp"

#include <algorithm>

namespace stepwise::ui {

QString formatElapsed(qint64 milliseconds)
{
    const qint64 seconds = milliseconds / 1000;
    if (milliseconds < 1000)
        return QCoreApplication::translate("stepwise::ui::TaskProgressPanel", "%1 ms").arg(milliseconds);
    if (milliseconds < 10000)
        return QCoreApplication::translate("stepwise::ui::TaskProgressPanel", "%1 s")
            .arg(QString::number(milliseconds / 1000.0, 'f', 1));
    if (seconds < 3600)
        return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

qint64 estimateRemainingMs(qint64 elapsedMs, double fraction)
{
    if (fraction < 0.02 || elapsedMs < 250 || fraction >= 1.0)
        return -1;
    return qint64(double(elapsedMs) * (1.0 - fraction) / fraction);
}

TaskProgressPanel::TaskProgressPanel(Form form, QWidget* parent)
    : QFrame(parent),
      m_form(form),
      m_title(new QLabel(this)),
      m_status(new QLabel(this)),
      m_elapsed(new QLabel(this)),
      m_bar(new QProgressBar(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_ticker(new QTimer(this))
{
    setObjectName(QStringLiteral("taskProgressPanel"));
    m_status->setObjectName(QStringLiteral("taskStatus"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(tr("Stop this task. Nothing changes: your data and settings stay as they were."));
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(form == Form::Full);
    m_bar->setFormat(QStringLiteral("%p%"));
    m_elapsed->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_elapsed->setToolTip(tr("Time since the task started"));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);

    auto* layout = new QGridLayout(this);
    if (form == Form::Full) {
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setHorizontalSpacing(10);
        m_title->setVisible(false);
        m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_elapsed->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00:00:00")));
        layout->addWidget(m_status, 0, 0, 1, 3);
        layout->addWidget(m_bar, 1, 0);
        layout->addWidget(m_elapsed, 1, 1);
        layout->addWidget(m_cancel, 1, 2);
        layout->setColumnStretch(0, 1);
    } else {
        layout->setContentsMargins(10, 8, 10, 8);
        layout->setVerticalSpacing(4);
        setFrameShape(QFrame::StyledPanel);
        QFont bold = font();
        bold.setBold(true);
        m_title->setFont(bold);
        m_status->setFont(small);
        m_elapsed->setFont(small);
        m_bar->setMaximumHeight(8);
        m_cancel->setFont(small);
        layout->addWidget(m_title, 0, 0, 1, 2);
        layout->addWidget(m_bar, 1, 0, 1, 2);
        layout->addWidget(m_status, 2, 0);
        layout->addWidget(m_elapsed, 2, 1);
        layout->addWidget(m_cancel, 3, 0, 1, 2);
        m_status->setWordWrap(true);
    }
    m_ticker->setInterval(250);
    connect(m_ticker, &QTimer::timeout, this, &TaskProgressPanel::refresh);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_task)
            m_task->cancel();
    });
    refresh();
}

void TaskProgressPanel::setTask(BackgroundTask* task)
{
    if (m_task)
        m_task->disconnect(this);
    m_task = task;
    if (task) {
        connect(task, &BackgroundTask::started, this, [this] {
            m_ticker->start();
            refresh();
        });
        connect(task, &BackgroundTask::progressChanged, this, &TaskProgressPanel::refresh);
        connect(task, &BackgroundTask::cancelRequested, this, &TaskProgressPanel::refresh);
        connect(task, &BackgroundTask::finished, this, [this] {
            m_ticker->stop();
            refresh();
        });
    }
    refresh();
}

void TaskProgressPanel::setIdleText(const QString& text)
{
    m_idleText = text;
    refresh();
}

void TaskProgressPanel::setShowsRemaining(bool shows)
{
    m_showsRemaining = shows;
    m_elapsed->setToolTip(shows ? tr("Time since the task started, and an estimate of the time left from the "
                                     "progress so far")
                                : tr("Time since the task started"));
    refresh();
}

void TaskProgressPanel::setHiddenWhenIdle(bool hidden)
{
    m_hiddenWhenIdle = hidden;
    refresh();
}

QString TaskProgressPanel::statusText() const { return m_status->text(); }

void TaskProgressPanel::refresh()
{
    const bool running = m_task && m_task->isRunning();
    if (m_form == Form::Compact || m_hiddenWhenIdle)
        setVisible(running);
    m_cancel->setVisible(running || m_form == Form::Full);
    m_cancel->setEnabled(running && !m_task->isCancelling());
    if (!m_task) {
        m_status->setText(m_idleText);
        m_bar->setValue(0);
        m_elapsed->clear();
        return;
    }
    m_title->setText(m_task->kind());
    const QString elapsed = formatElapsed(m_task->elapsedMs());
    switch (m_task->state()) {
    case BackgroundTask::State::Idle:
        m_status->setText(m_idleText);
        m_bar->setValue(0);
        m_elapsed->clear();
        break;
    case BackgroundTask::State::Running: {
        const QString stage = m_task->stage();
        m_status->setText(m_form == Form::Full && !stage.isEmpty()
                              ? tr("%1 — %2").arg(m_task->title(), stage)
                              : (stage.isEmpty() ? m_task->title() : stage));
        m_bar->setValue(int(m_task->fraction() * 1000.0));
        const qint64 remaining = m_showsRemaining && !m_task->isCancelling()
                                     ? estimateRemainingMs(m_task->elapsedMs(), m_task->fraction())
                                     : -1;
        // Whole seconds: a countdown in tenths would flicker with every estimate.
        m_elapsed->setText(remaining < 0 ? elapsed
                                         : tr("%1 · about %2 left")
                                               .arg(elapsed, formatElapsed(std::max<qint64>(1000, remaining / 1000 * 1000))));
        break;
    }
    case BackgroundTask::State::Succeeded:
        m_status->setText(tr("%1 — finished in %2").arg(m_task->title(), elapsed));
        m_bar->setValue(1000);
        m_elapsed->setText(elapsed);
        break;
    case BackgroundTask::State::Cancelled:
        m_status->setText(tr("%1 — cancelled after %2; nothing changed").arg(m_task->title(), elapsed));
        m_bar->setValue(0);
        m_elapsed->setText(elapsed);
        break;
    case BackgroundTask::State::Failed:
        m_status->setText(tr("%1 — failed after %2 (the message above says why)").arg(m_task->title(), elapsed));
        m_bar->setValue(0);
        m_elapsed->setText(elapsed);
        break;
    }
    m_status->setToolTip(m_status->text());
}

} // namespace stepwise::ui
