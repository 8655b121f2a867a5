// The run history's place in the window: the View menu action, the Training page's
// button and the window that compares and restores runs.
#include "wizard/main_wizard.hpp"

#include <QAction>
#include <QMenu>
#include <QPushButton>

#include "pages/training_page.hpp"
#include "session/project_document.hpp"
#include "widgets/history/run_history_dialog.hpp"

namespace stepwise::ui {

void MainWizard::setUpRunHistory()
{
    m_runHistory = new RunHistoryDialog(m_session, this);
    m_runHistoryAction = m_viewMenu->addAction(tr("Run &history…"));
    m_runHistoryAction->setObjectName(QStringLiteral("runHistoryAction"));
    m_runHistoryAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    m_runHistoryAction->setShortcutContext(Qt::WindowShortcut);
    m_runHistoryAction->setToolTip(tr("Every training run: compare two runs or restore one"));
    addAction(m_runHistoryAction);
    connect(m_runHistoryAction, &QAction::triggered, this, [this] {
        m_runHistory->show();
        m_runHistory->raise();
        m_runHistory->activateWindow();
    });
    connect(m_training->historyButton(), &QPushButton::clicked, m_runHistoryAction, &QAction::trigger);

    // The runs are the project's; notes edited in the history are saved with it.
    connect(m_project, &ProjectDocument::runsChanged, m_runHistory,
            [this] { m_runHistory->setRuns(m_project->runs()); });
    connect(m_runHistory, &RunHistoryDialog::noteEdited, m_project, &ProjectDocument::setRunNote);
    m_runHistory->setRuns(m_project->runs());
}

} // namespace stepwise::ui
