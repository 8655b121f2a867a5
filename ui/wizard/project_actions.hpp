#pragma once
/// \file
/// \brief The File menu's project commands (New, Open, Open Recent, Save, Save As, embed
/// data), the unsaved-changes prompt, and the offer to restore a crashed session.

#include <QObject>
#include <QString>
#include <QStringList>

#include "stepwise/io/project.hpp"

class QAction;
class QMenu;

namespace stepwise::ui {

class MainWizard;
class ProjectDocument;

/// \brief Connects a `MainWizard` to its `ProjectDocument`: menu actions, the window
/// title ("name — Stepwise", with the modified mark), the window-state keys "page",
/// "learn" and "geometry", the Data page's banner about changed or missing data, the
/// recent-projects list (10 entries in QSettings, only with `usesSettings`) and recovery.
class ProjectActions : public QObject {
    Q_OBJECT
public:
    /// \brief How many projects Open Recent lists.
    static constexpr int kRecentCount = 10;

    /// \brief Adds the project actions to `wizard`'s File menu, before Quit.
    ProjectActions(MainWizard* wizard, ProjectDocument* document, bool usesSettings);

    QAction* newAction() const { return m_new; }
    QAction* openAction() const { return m_open; }
    QAction* saveAction() const { return m_save; }
    QAction* saveAsAction() const { return m_saveAs; }
    QAction* embedDataAction() const { return m_embed; }
    /// \brief The Open Recent submenu (hidden without settings).
    QMenu* recentMenu() const { return m_recentMenu; }

    /// \brief With unsaved changes, asks Save / Discard / Cancel; true when the caller may
    /// go on (saved or discarded), false when the user cancelled or saving failed.
    bool confirmDiscard();
    /// \brief New project, after `confirmDiscard`.
    void newProject();
    /// \brief Asks for a project or a data file and opens it (`openPath`).
    void openInteractively();
    /// \brief Opens `path`: a project (after `confirmDiscard`), or a data file on the Data
    /// step. Returns false when nothing was opened.
    bool openPath(const QString& path);
    /// \brief Opens the project `path` after `confirmDiscard`; a failure is shown in a
    /// message box. Returns true when it was opened.
    bool openProject(const QString& path);
    /// \brief Saves, asking for a file when the project is untitled. True when saved.
    bool save();
    /// \brief Asks for a file and saves there. True when saved.
    bool saveAs();

    /// \brief The recent projects, newest first (empty without settings).
    QStringList recentProjects() const;
    /// \brief Rebuilds the Open Recent menu from the settings.
    void refreshRecentMenu();

    /// \brief Offers each autosave of a session that did not exit cleanly (newest first)
    /// for restoring: Restore brings it back and stops, Discard removes it. Returns true
    /// when one was restored.
    bool offerRecovery();

    /// \brief True when `path` names a project file (by its extension).
    static bool isProjectFile(const QString& path);

private:
    void updateTitle();
    void showDataCheck(io::DataCheck check, const QString& message);
    void rememberRecent(const QString& path);
    void openRecent(const QString& path);

    MainWizard* m_wizard;
    ProjectDocument* m_document;
    bool m_usesSettings;
    QAction* m_new;
    QAction* m_open;
    QMenu* m_recentMenu;
    QAction* m_save;
    QAction* m_saveAs;
    QAction* m_embed;
};

} // namespace stepwise::ui
