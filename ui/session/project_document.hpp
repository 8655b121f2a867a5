#pragma once
/// \file
/// \brief The project a workbench window edits: its file, whether it has unsaved
/// changes, the history of training runs, the window state, and the autosave that lets a
/// crashed session come back.

#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/io/project.hpp"

class QTimer;

namespace stepwise::ui {

class Session;

/// \brief One `.stepwise-project` and the session it describes. The project is the
/// session's recipe, a reference to its data (embedded on request), every training run
/// (recorded with `io::makeRunRecord` as each new result arrives) and the window state
/// (string keys registered with `addWindowState`). It is modified when the recipe or a
/// window-state value (of a key that marks it) differs from the one last saved or opened,
/// when a run was recorded, or when the embed option changed; saving clears that.
///
/// Autosave: while modified, the project is written atomically (debounced, at most
/// `kAutosaveDelayMs` after a change; at once after a run) to `<autosaveDir>/<session
/// id>.stepwise-project`, beside a marker `<session id>.autosave.json` holding the PID,
/// the project's path and name. Saving, a clean exit (`discardAutosave`, the destructor)
/// remove both; a killed process leaves them, and `recoverableSessions` finds them on the
/// next start.
class ProjectDocument : public QObject {
    Q_OBJECT
public:
    /// \brief Longest delay between a change and its autosave.
    static constexpr int kAutosaveDelayMs = 1500;

    /// \brief Reads the value of a window-state key ("page" → "4").
    using StateGetter = std::function<QString()>;
    /// \brief Applies a stored value of a window-state key.
    using StateSetter = std::function<void(const QString&)>;

    /// \brief A project for `session`, untitled and unmodified. Autosave is off until
    /// `setAutosaveDir` (or `enableDefaultAutosave`).
    explicit ProjectDocument(Session* session, QObject* parent = nullptr);
    /// \brief Removes this session's autosave: the window closes normally.
    ~ProjectDocument() override;

    /// \brief The project file; empty while untitled.
    const QString& filePath() const { return m_filePath; }
    /// \brief The file's name ("titanic.stepwise-project"), or "Untitled".
    QString displayName() const;
    /// \brief True when there are unsaved changes.
    bool isModified() const { return m_modified; }
    /// \brief Marks the project modified (a recovered session) or unmodified.
    void setModified(bool modified);

    /// \brief Every recorded training run, oldest first.
    const std::vector<io::RunRecord>& runs() const { return m_runs; }
    /// \brief Sets the user's note on run `runId` (a change: modifies, autosaves); false
    /// when there is no such run.
    bool setRunNote(int runId, const QString& note);
    /// \brief Whether saving copies the data file into the project.
    bool embedsData() const { return m_embedData; }
    /// \brief Embeds the data in the project from the next save on (a change: modifies).
    void setEmbedData(bool embed);

    /// \brief Registers the window-state key `key`: `get` is read on every save, `set` is
    /// called with the stored value after a project opened and its data loaded (keys the
    /// project does not have are not set). With `marksModified` a value that differs from
    /// the saved one makes the project modified (the page, the Learn panel); without, it
    /// is only saved along (the window geometry). Registering a key again replaces it.
    void addWindowState(const QString& key, StateGetter get, StateSetter set, bool marksModified = true);
    /// \brief A registered window-state value may have changed: re-checks the modified
    /// flag and schedules an autosave (nothing while a project is being restored).
    void noteWindowStateChanged();
    /// \brief The current window state: every registered key's value.
    std::map<std::string, std::string> windowState() const;

    /// \brief The project as it would be saved now (data reference included; with
    /// `embedsData` the file's bytes). Throws `DataError` when an embedded file cannot be
    /// read.
    io::Project toProject() const;

    /// \brief Starts an untitled, unmodified project: default recipe, no data, no runs.
    void newProject();
    /// \brief Opens the project file `path`: the recipe, runs and window state come back,
    /// the data loads (see `dataChecked`). Returns false with `error` set when the file
    /// cannot be read; the current project is then unchanged.
    bool open(const QString& path, QString* error = nullptr);
    /// \brief Saves to `filePath()` (which must not be empty). False with `error` set when
    /// writing fails; the previous file is then unchanged.
    bool save(QString* error = nullptr);
    /// \brief Saves to `path` and makes it the project's file.
    bool saveAs(const QString& path, QString* error = nullptr);
    /// \brief Makes `project` the current one, as if opened from `path` (may be empty),
    /// then marks it `modified` — what recovery does.
    void restore(const io::Project& project, const QString& path, bool modified);
    /// \brief True from `open`/`restore` until the data has loaded (or failed) and the
    /// window state was applied.
    bool isRestoring() const { return m_restoring; }

    // --- autosave -----------------------------------------------------------------
    /// \brief Autosaves into `dir` (created when needed); empty turns autosave off.
    void setAutosaveDir(const QString& dir);
    /// \brief Where autosaves go; empty when autosave is off.
    const QString& autosaveDir() const { return m_autosaveDir; }
    /// \brief The default autosave folder: `$STEPWISE_AUTOSAVE_DIR` when set, else
    /// `AppLocalDataLocation/autosave`.
    static QString defaultAutosaveDir();
    /// \brief This session's autosave file (empty when autosave is off).
    QString autosavePath() const;
    /// \brief Writes the autosave now (when autosave is on and the project is modified).
    /// False when writing failed (logged; the previous autosave stays).
    bool autosaveNow();
    /// \brief Removes this session's autosave and marker.
    void discardAutosave();

    /// \brief An autosave left by a session that did not exit cleanly.
    struct RecoverableSession {
        QString projectFile;  ///< the autosave
        QString markerFile;
        QString originalPath; ///< the project's own file; empty when it was untitled
        QString name;         ///< the project's display name
        int runCount = 0;
        QDateTime savedAt;    ///< local time of the last autosave
    };
    /// \brief The autosaves in `dir` whose process is gone, newest first.
    static QList<RecoverableSession> recoverableSessions(const QString& dir);
    /// \brief Restores `session` into this project (recipe, data, runs, window state, the
    /// original path; modified) and removes its files. False with `error` set when the
    /// autosave cannot be read; its files are then kept.
    bool recover(const RecoverableSession& session, QString* error = nullptr);
    /// \brief Removes the files of `session`.
    static void discard(const RecoverableSession& session);

signals:
    /// \brief The modified flag changed.
    void modifiedChanged(bool modified);
    /// \brief The project's file (and so its name) changed.
    void filePathChanged(const QString& path);
    /// \brief A run was recorded, or the runs were replaced (open, new).
    void runsChanged();
    /// \brief `setEmbedData` changed the option.
    void embedDataChanged(bool embed);
    /// \brief An opened project's data was checked against its recorded digest; `message`
    /// says what differs and what to do (empty when unchanged).
    void dataChecked(stepwise::io::DataCheck check, const QString& message);
    /// \brief A project was opened, restored or started afresh.
    void projectReplaced();
    /// \brief The project was saved to `path` (by Save or Save As, not by autosave).
    void saved(const QString& path);
    /// \brief The project file `path` was opened.
    void opened(const QString& path);

private:
    void recordResult();
    void refreshModified();
    void scheduleAutosave();
    void finishRestore();
    std::map<QString, QString> trackedState() const;
    bool write(const QString& path, QString* error);

    Session* m_session;
    QString m_filePath;
    bool m_modified = false;
    bool m_embedData = false;
    bool m_extraChanges = false;   // runs, window state, options: not in the recipe
    std::string m_savedRecipe;     // recipe JSON as last saved or opened
    std::vector<io::RunRecord> m_runs;
    int m_nextRunId = 1;
    std::string m_createdUtc;
    std::weak_ptr<const workflow::RunResult> m_lastRecorded;  // the result already recorded
    QElapsedTimer m_trainingClock;
    QString m_trainingStartedUtc;

    struct StateEntry {
        StateGetter get;
        StateSetter set;
        bool marksModified = true;
    };
    std::map<QString, StateEntry> m_state;
    std::map<QString, QString> m_savedState;  // the tracked keys as last saved or opened
    std::map<std::string, std::string> m_pendingState;  // applied once the restore settles
    bool m_restoring = false;
    bool m_restoredModified = false;
    bool m_dataExpected = false;  // the project names data, even if it is not loaded
    std::optional<io::DataReference> m_openedReference;  // as the opened project recorded it

    QString m_autosaveDir;
    QString m_sessionId;
    QTimer* m_autosaveTimer;
    mutable std::optional<std::pair<std::string, io::DataReference>> m_referenceCache;
};

} // namespace stepwise::ui
