#pragma once
/// \file
/// \brief Making a recorded run's recipe the session's current one again.

#include <QObject>
#include <QString>

#include <optional>

#include "stepwise/io/project.hpp"

namespace stepwise::ui {

class Session;

/// \brief Restores a run's recipe into a session: its problem section (`setProblem`,
/// when it differs) and every section the pages edit as one undoable command
/// ("Restore run 3"). When the run was made on other data than the loaded one, that
/// data is loaded first and the recipe applied once it has loaded (loading clears the
/// undo history, so the restore is then the first command on it).
class RunRestorer : public QObject {
    Q_OBJECT
public:
    explicit RunRestorer(Session* session, QObject* parent = nullptr);

    /// \brief Restores `run`. Refused (with `failed`) while a model trains.
    void restore(const io::RunRecord& run);
    /// \brief True while the data of a run being restored loads.
    bool isWaitingForData() const { return m_pending.has_value(); }
    /// \brief True when `source` is the data `loaded` was read from (same kind, place,
    /// generator and read options).
    static bool sameData(const data::DataSource& source, const data::DataSource& loaded);

signals:
    /// \brief The run's data differs from the loaded data and is loading; `message` says so.
    void loadingData(int runId, const QString& message);
    /// \brief The run's recipe is the current one; `message` says what happened.
    void restored(int runId, const QString& message);
    /// \brief Nothing was restored; `message` says why and what to do.
    void failed(int runId, const QString& message);

private:
    void apply(const io::RunRecord& run, bool dataLoaded);

    Session* m_session;
    std::optional<io::RunRecord> m_pending;
};

} // namespace stepwise::ui
