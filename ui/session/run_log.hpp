#pragma once
/// \file
/// \brief The training runs of one session, recorded as they finish.

#include <QObject>
#include <QString>

#include <memory>
#include <string>
#include <vector>

#include "stepwise/io/project.hpp"

namespace stepwise::ui {

class Session;

/// \brief Records every training run of `session` (each new result, with its recipe,
/// metrics, start time, duration, seed and threads: `io::makeRunRecord`), numbered 1, 2, …
/// and keeps the user's notes on them.
class RunLog : public QObject {
    Q_OBJECT
public:
    explicit RunLog(Session* session, QObject* parent = nullptr);

    /// \brief The runs, oldest first.
    const std::vector<io::RunRecord>& runs() const { return m_runs; }
    /// \brief Replaces the runs (e.g. those of an opened project); new runs are numbered
    /// after the highest id.
    void setRuns(const std::vector<io::RunRecord>& runs);
    /// \brief Sets the note of run `runId`; false when there is no such run.
    bool setNote(int runId, const QString& note);

signals:
    /// \brief A run was recorded, the runs were replaced or a note changed.
    void runsChanged();

private:
    void record();

    Session* m_session;
    std::vector<io::RunRecord> m_runs;
    std::string m_startedUtc;
    const void* m_recorded = nullptr;  // the result recorded last, so one result is one run
};

} // namespace stepwise::ui
