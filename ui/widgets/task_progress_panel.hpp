#pragma once
/// \file
/// \brief Progress of a background task: what it does, how far, how long, and Cancel.

#include <QFrame>
#include <QPointer>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace stepwise::ui {

class BackgroundTask;

/// \brief Shows one `BackgroundTask`: stage text, a progress bar, the elapsed time and
/// a Cancel button. The full form stays visible and reports how the last run ended
/// ("Finished in 2.1 s", "cancelled"); the compact form (for the step rail) shows only
/// while the task runs.
class TaskProgressPanel : public QFrame {
    Q_OBJECT
public:
    /// \brief Layout variant.
    enum class Form { Full, Compact };

    explicit TaskProgressPanel(Form form, QWidget* parent = nullptr);

    /// \brief Follows `task` (not owned).
    void setTask(BackgroundTask* task);
    /// \brief Text shown before the task has ever run.
    void setIdleText(const QString& text);
    /// \brief Hides the full form while the task is idle (for pages where the result
    /// itself shows that loading finished).
    void setHiddenWhenIdle(bool hidden);
    /// \brief Shows an estimate of the time left beside the elapsed time while the task
    /// runs ("0:07 · about 0:12 left"), from the progress so far.
    void setShowsRemaining(bool shows);

    /// \brief The status line as shown ("Training Random forest — 40 of 100 trees", "cancelled").
    QString statusText() const;
    /// \brief The Cancel button.
    QPushButton* cancelButton() const { return m_cancel; }

private:
    void refresh();

    Form m_form;
    QPointer<BackgroundTask> m_task;
    QString m_idleText;
    bool m_hiddenWhenIdle = false;
    bool m_showsRemaining = false;
    QLabel* m_title;
    QLabel* m_status;
    QLabel* m_elapsed;
    QProgressBar* m_bar;
    QPushButton* m_cancel;
    QTimer* m_ticker;
};

/// \brief "0:07", "2:05", "1:02:03" for an elapsed time.
QString formatElapsed(qint64 milliseconds);

/// \brief Milliseconds left if the rest goes as fast as the part done: `elapsedMs`
/// spent on `fraction` of the work; -1 while too little is done to tell (under 2 % or
/// under a quarter of a second).
qint64 estimateRemainingMs(qint64 elapsedMs, double fraction);

} // namespace stepwise::ui
