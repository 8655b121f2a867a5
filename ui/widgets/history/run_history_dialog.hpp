#pragma once
/// \file
/// \brief The "Run history" window: the History view over the session's runs, with
/// restore wired to the session.

#include <QDialog>

#include <vector>

#include "stepwise/io/project.hpp"

namespace stepwise::ui {

class RunHistoryView;
class RunRestorer;
class Session;
class StatusBanner;

/// \brief A non-modal window beside the wizard: the runs (`setRuns`, fed by whoever
/// records them), compared with each other or with the session's current recipe, and
/// "Restore" applied to the session through a `RunRestorer` with what happened in the
/// banner.
class RunHistoryDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunHistoryDialog(Session* session, QWidget* parent = nullptr);

    /// \brief Shows `runs` (oldest first).
    void setRuns(const std::vector<io::RunRecord>& runs);
    /// \brief The History view.
    RunHistoryView* view() const { return m_view; }
    /// \brief What the last restore did (or why it did not).
    StatusBanner* banner() const { return m_banner; }
    /// \brief The restore logic (for waiting on it).
    RunRestorer* restorer() const { return m_restorer; }

signals:
    /// \brief The user changed the note of run `runId`.
    void noteEdited(int runId, const QString& note);

private:
    Session* m_session;
    StatusBanner* m_banner;
    RunHistoryView* m_view;
    RunRestorer* m_restorer;
};

} // namespace stepwise::ui
