#include "widgets/history/run_history_dialog.hpp"

#include <QDialogButtonBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "session/run_restore.hpp"
#include "session/session.hpp"
#include "widgets/history/run_history_view.hpp"
#include "widgets/history/run_table_model.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {

namespace {
const QString kRestoreKey = QStringLiteral("restore");
}

RunHistoryDialog::RunHistoryDialog(Session* session, QWidget* parent)
    : QDialog(parent),
      m_session(session),
      m_banner(new StatusBanner(this)),
      m_view(new RunHistoryView(this)),
      m_restorer(new RunRestorer(session, this))
{
    setObjectName(QStringLiteral("runHistoryDialog"));
    setWindowTitle(tr("Run history"));
    setModal(false);
    resize(1100, 680);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);

    m_view->setCurrentRecipe(m_session->recipe());
    connect(m_session, &Session::recipeChanged, this, [this] { m_view->setCurrentRecipe(m_session->recipe()); });
    connect(m_view, &RunHistoryView::noteEdited, this, &RunHistoryDialog::noteEdited);
    connect(m_view, &RunHistoryView::restoreRequested, this, [this](int runId) {
        if (const io::RunRecord* run = m_view->runModel()->run(runId))
            m_restorer->restore(*run);
    });
    connect(m_restorer, &RunRestorer::loadingData, this,
            [this](int, const QString& message) { m_banner->setMessage(kRestoreKey, StatusBanner::Level::Info, message); });
    connect(m_restorer, &RunRestorer::restored, this, [this](int, const QString& message) {
        m_banner->setMessage(kRestoreKey, StatusBanner::Level::Success, message);
    });
    connect(m_restorer, &RunRestorer::failed, this,
            [this](int, const QString& message) { m_banner->setMessage(kRestoreKey, StatusBanner::Level::Error, message); });
}

void RunHistoryDialog::setRuns(const std::vector<io::RunRecord>& runs) { m_view->setRuns(runs); }

} // namespace stepwise::ui
