#include "session/run_log.hpp"

#include <QLoggingCategory>

#include <algorithm>

#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/threads.hpp"

namespace stepwise::ui {

Q_LOGGING_CATEGORY(lcRunLog, "stepwise.runlog")

RunLog::RunLog(Session* session, QObject* parent) : QObject(parent), m_session(session)
{
    connect(m_session->trainingTask(), &BackgroundTask::started, this, [this] { m_startedUtc = io::utcTimestamp(); });
    connect(m_session, &Session::resultChanged, this, &RunLog::record);
}

void RunLog::setRuns(const std::vector<io::RunRecord>& runs)
{
    m_runs = runs;
    emit runsChanged();
}

bool RunLog::setNote(int runId, const QString& note)
{
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [&](const io::RunRecord& run) { return run.id == runId; });
    if (it == m_runs.end())
        return false;
    const std::string text = note.trimmed().toStdString();
    if (it->note != text) {
        it->note = text;
        emit runsChanged();
    }
    return true;
}

void RunLog::record()
{
    const auto result = m_session->result();
    if (!result || !result->pipeline || result.get() == m_recorded)
        return;
    m_recorded = result.get();
    int id = 1;
    for (const io::RunRecord& run : m_runs)
        id = std::max(id, run.id + 1);
    const double seconds = static_cast<double>(m_session->trainingTask()->elapsedMs()) / 1000.0;
    try {
        m_runs.push_back(io::makeRunRecord(id, m_session->resultRecipe(), *result,
                                           m_startedUtc.empty() ? io::utcTimestamp() : m_startedUtc, seconds,
                                           core::threadCount()));
    } catch (const core::Error& e) {
        // A result the record cannot describe is still the session's result; only the
        // history misses it.
        qCWarning(lcRunLog) << "run not recorded:" << e.what();
        return;
    }
    m_startedUtc.clear();
    emit runsChanged();
}

} // namespace stepwise::ui
