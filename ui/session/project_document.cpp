#include "session/project_document.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <exception>

#include <cerrno>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "session/session.hpp"
#include "stepwise/core/threads.hpp"

Q_LOGGING_CATEGORY(lcProject, "stepwise.project", QtWarningMsg)

namespace stepwise::ui {
namespace {

const char* kMarkerSuffix = ".autosave.json";
/// Window-state key of a project without data (a new project saved before loading any):
/// its recipe still names the default source, which must not load on open.
const char* kNoDataKey = "data";
const char* kNoDataValue = "none";

QString nowUtcIso() { return QString::fromStdString(io::utcTimestamp()); }

/// The kernel's start time of process `pid` (clock ticks since boot), so a PID reused by
/// another process is not taken for the session that wrote an autosave.
std::optional<qulonglong> processStartTicks(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = stat.readAll();
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // Fields 3… follow the name; the start time is field 22.
    constexpr int kStartTimeIndex = 22 - 3;
    if (fields.size() <= kStartTimeIndex)
        return std::nullopt;
    bool ok = false;
    const qulonglong ticks = fields[kStartTimeIndex].toULongLong(&ok);
    return ok ? std::optional<qulonglong>(ticks) : std::nullopt;
}

bool processAlive(qint64 pid, const std::optional<qulonglong>& startTicks)
{
    if (pid <= 0)
        return false;
    if (::kill(pid_t(pid), 0) != 0 && errno != EPERM)
        return false;
    if (!startTicks)
        return true;
    const auto now = processStartTicks(pid);
    return !now || *now == *startTicks;
}

/// A data reference's cache key: the source as the recipe writes it, and for a file its
/// size and modification time, so an edited file is digested again.
std::string referenceKey(const data::DataSource& source, bool embed)
{
    workflow::Recipe only;
    only.data = source;
    std::string key = workflow::recipeToJson(only);
    if (source.kind == data::DataSourceKind::File) {
        const QFileInfo info(QString::fromStdString(source.location));
        key.append("|").append(std::to_string(info.size()));
        key.append("|").append(std::to_string(info.lastModified().toMSecsSinceEpoch()));
    }
    key.append(embed ? "|embed" : "|reference");
    return key;
}

} // namespace

ProjectDocument::ProjectDocument(Session* session, QObject* parent)
    : QObject(parent),
      m_session(session),
      m_savedRecipe(workflow::recipeToJson(session->recipe())),
      m_sessionId(QUuid::createUuid().toString(QUuid::WithoutBraces)),
      m_autosaveTimer(new QTimer(this))
{
    m_autosaveTimer->setSingleShot(true);
    m_autosaveTimer->setInterval(kAutosaveDelayMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &ProjectDocument::autosaveNow);

    connect(session, &Session::recipeChanged, this, [this] {
        refreshModified();
        scheduleAutosave();
    });
    connect(session->trainingTask(), &BackgroundTask::started, this, [this] {
        m_trainingClock.start();
        m_trainingStartedUtc = nowUtcIso();
    });
    connect(session, &Session::resultChanged, this, &ProjectDocument::recordResult);
    // A restore settles once its data has loaded or failed; queued, so the pages have
    // shown the new table before the window state (the current page) is applied.
    connect(session, &Session::dataChanged, this, [this] {
        if (m_restoring && m_session->table())
            QTimer::singleShot(0, this, &ProjectDocument::finishRestore);
    });
    connect(session, &Session::dataLoadFailed, this, [this] {
        if (m_restoring)
            QTimer::singleShot(0, this, &ProjectDocument::finishRestore);
    });
}

ProjectDocument::~ProjectDocument() { discardAutosave(); }

QString ProjectDocument::displayName() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

void ProjectDocument::setModified(bool modified)
{
    m_extraChanges = modified;
    if (!modified) {
        m_savedRecipe = workflow::recipeToJson(m_session->recipe());
        m_savedState = trackedState();
    }
    refreshModified();
    scheduleAutosave();
}

void ProjectDocument::refreshModified()
{
    if (m_restoring)
        return;
    const bool modified = m_extraChanges || workflow::recipeToJson(m_session->recipe()) != m_savedRecipe ||
                          trackedState() != m_savedState;
    if (modified == m_modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

void ProjectDocument::setEmbedData(bool embed)
{
    if (embed == m_embedData)
        return;
    m_embedData = embed;
    emit embedDataChanged(embed);
    m_extraChanges = true;
    refreshModified();
    scheduleAutosave();
}

void ProjectDocument::addWindowState(const QString& key, StateGetter get, StateSetter set, bool marksModified)
{
    m_state[key] = StateEntry{std::move(get), std::move(set), marksModified};
    if (marksModified && m_state[key].get)
        m_savedState[key] = m_state[key].get();
    else
        m_savedState.erase(key);
}

void ProjectDocument::noteWindowStateChanged()
{
    if (m_restoring)
        return;
    refreshModified();
    scheduleAutosave();
}

std::map<QString, QString> ProjectDocument::trackedState() const
{
    std::map<QString, QString> state;
    for (const auto& [key, entry] : m_state) {
        if (entry.marksModified && entry.get)
            state[key] = entry.get();
    }
    return state;
}

std::map<std::string, std::string> ProjectDocument::windowState() const
{
    std::map<std::string, std::string> state;
    for (const auto& [key, entry] : m_state) {
        if (entry.get)
            state[key.toStdString()] = entry.get().toStdString();
    }
    return state;
}

io::Project ProjectDocument::toProject() const
{
    io::Project project;
    project.recipe = m_session->recipe();
    project.runs = m_runs;
    project.windowState = windowState();
    project.createdUtc = m_createdUtc;
    // Until a table has loaded (or a project named its data), the recipe's source is only
    // the default: nothing to digest and nothing to load when the project is opened.
    const bool hasData = m_session->table() || m_session->isLoading() || m_dataExpected;
    if (!hasData) {
        project.windowState.insert_or_assign(kNoDataKey, std::string(kNoDataValue));
        return project;
    }
    const data::DataSource& source = project.recipe.data;
    const std::string key = referenceKey(source, m_embedData);
    if (m_referenceCache && m_referenceCache->first == key) {
        project.data = m_referenceCache->second;
        return project;
    }
    try {
        project.data = io::referenceData(source, m_embedData);
        m_referenceCache.emplace(key, project.data);
    } catch (const std::exception& error) {
        // The file is gone (an opened project whose data is missing): the recorded
        // reference is still what the project was made with.
        if (!m_openedReference)
            throw;
        qCInfo(lcProject) << "keeping the recorded data reference:" << error.what();
        project.data = *m_openedReference;
    }
    return project;
}

void ProjectDocument::newProject()
{
    io::Project project;
    project.windowState.emplace(kNoDataKey, kNoDataValue);
    project.windowState.emplace("page", "0");
    restore(project, QString(), false);
    m_embedData = false;
    emit embedDataChanged(false);
    discardAutosave();
}

bool ProjectDocument::open(const QString& path, QString* error)
{
    io::Project project;
    try {
        project = io::loadProject(QFileInfo(path).absoluteFilePath().toStdString());
    } catch (const std::exception& failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
    restore(project, QFileInfo(path).absoluteFilePath(), false);
    discardAutosave();
    emit opened(m_filePath);
    return true;
}

void ProjectDocument::restore(const io::Project& project, const QString& path, bool modified)
{
    m_autosaveTimer->stop();
    m_restoring = true;
    m_restoredModified = modified;
    m_filePath = path;
    m_runs = project.runs;
    m_nextRunId = 1;
    for (const auto& run : m_runs)
        m_nextRunId = std::max(m_nextRunId, run.id + 1);
    m_createdUtc = project.createdUtc;
    m_lastRecorded.reset();
    m_pendingState = project.windowState;
    m_savedRecipe = workflow::recipeToJson(project.recipe);
    m_referenceCache.reset();
    const bool embedded = project.data.embedded.has_value();
    if (embedded != m_embedData) {
        m_embedData = embedded;
        emit embedDataChanged(embedded);
    }

    const auto noData = project.windowState.find(kNoDataKey);
    const bool hasData = noData == project.windowState.end() || noData->second != kNoDataValue;
    m_dataExpected = hasData;
    m_openedReference = hasData ? std::optional<io::DataReference>(project.data) : std::nullopt;
    std::optional<data::DataSource> load;
    if (hasData) {
        io::ResolvedData resolved;
        const QString extractDir =
            QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("project-data"));
        try {
            resolved = io::resolveProjectData(project, extractDir.toStdString());
        } catch (const std::exception& error) {
            resolved.check = io::DataCheck::Missing;
            resolved.message = error.what();
        }
        if (resolved.check != io::DataCheck::Missing)
            load = resolved.source;
        emit dataChecked(resolved.check, QString::fromStdString(resolved.message));
    } else {
        emit dataChecked(io::DataCheck::Unchanged, QString());
    }

    emit filePathChanged(m_filePath);
    emit runsChanged();
    m_session->setRecipe(project.recipe, load);
    if (!load)
        QTimer::singleShot(0, this, &ProjectDocument::finishRestore);
    emit projectReplaced();
}

void ProjectDocument::finishRestore()
{
    if (!m_restoring)
        return;
    for (const auto& [key, value] : m_pendingState) {
        const auto entry = m_state.find(QString::fromStdString(key));
        if (entry != m_state.end() && entry->second.set)
            entry->second.set(QString::fromStdString(value));
    }
    m_pendingState.clear();
    m_restoring = false;
    m_extraChanges = m_restoredModified;
    // What could be restored is the state to compare with: a page the data did not
    // allow to reach is not a change the user made.
    m_savedState = trackedState();
    refreshModified();
    emit modifiedChanged(m_modified);
    if (m_modified)
        autosaveNow();
}

bool ProjectDocument::write(const QString& path, QString* error)
{
    try {
        io::Project project = toProject();
        if (project.createdUtc.empty())
            project.createdUtc = io::utcTimestamp();
        io::saveProject(project, path.toStdString());
        m_createdUtc = project.createdUtc;
        return true;
    } catch (const std::exception& failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
}

bool ProjectDocument::save(QString* error)
{
    if (m_filePath.isEmpty()) {
        if (error)
            *error = tr("The project has no file yet — use Save As.");
        return false;
    }
    return saveAs(m_filePath, error);
}

bool ProjectDocument::saveAs(const QString& path, QString* error)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!write(absolute, error))
        return false;
    const bool renamed = absolute != m_filePath;
    m_filePath = absolute;
    m_extraChanges = false;
    m_savedRecipe = workflow::recipeToJson(m_session->recipe());
    m_savedState = trackedState();
    if (renamed)
        emit filePathChanged(m_filePath);
    refreshModified();
    m_autosaveTimer->stop();
    discardAutosave();
    emit saved(m_filePath);
    return true;
}

bool ProjectDocument::setRunNote(int runId, const QString& note)
{
    for (io::RunRecord& run : m_runs) {
        if (run.id != runId)
            continue;
        const std::string text = note.toStdString();
        if (run.note == text)
            return true;
        run.note = text;
        emit runsChanged();
        m_extraChanges = true;
        refreshModified();
        scheduleAutosave();
        return true;
    }
    return false;
}

void ProjectDocument::recordResult()
{
    const auto result = m_session->result();
    if (!result || m_lastRecorded.lock() == result || m_restoring)
        return;
    m_lastRecorded = result;
    const double seconds = m_trainingClock.isValid() ? double(m_trainingClock.elapsed()) / 1000.0
                                                     : double(m_session->trainingTask()->elapsedMs()) / 1000.0;
    const QString started = m_trainingStartedUtc.isEmpty() ? nowUtcIso() : m_trainingStartedUtc;
    try {
        m_runs.push_back(io::makeRunRecord(m_nextRunId, m_session->resultRecipe(), *result, started.toStdString(),
                                           seconds, core::threadCount()));
    } catch (const std::exception& error) {
        qCWarning(lcProject) << "the run could not be recorded:" << error.what();
        return;
    }
    ++m_nextRunId;
    m_trainingClock.invalidate();
    m_trainingStartedUtc.clear();
    emit runsChanged();
    m_extraChanges = true;
    refreshModified();
    // A run can take long to make again: it is worth a write at once.
    autosaveNow();
}

// --- autosave -----------------------------------------------------------------------

QString ProjectDocument::defaultAutosaveDir()
{
    const QByteArray fromEnvironment = qgetenv("STEPWISE_AUTOSAVE_DIR");
    if (!fromEnvironment.isEmpty())
        return QString::fromLocal8Bit(fromEnvironment);
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("autosave"));
}

void ProjectDocument::setAutosaveDir(const QString& dir)
{
    if (dir == m_autosaveDir)
        return;
    discardAutosave();
    m_autosaveDir = dir;
    scheduleAutosave();
}

QString ProjectDocument::autosavePath() const
{
    if (m_autosaveDir.isEmpty())
        return {};
    return QDir(m_autosaveDir).filePath(m_sessionId + QString::fromLatin1(io::kProjectExtension));
}

void ProjectDocument::scheduleAutosave()
{
    // Started only when idle, so a stream of edits still writes every kAutosaveDelayMs.
    if (!m_autosaveDir.isEmpty() && m_modified && !m_restoring && !m_autosaveTimer->isActive())
        m_autosaveTimer->start();
}

bool ProjectDocument::autosaveNow()
{
    m_autosaveTimer->stop();
    if (m_autosaveDir.isEmpty() || !m_modified || m_restoring)
        return false;
    if (!QDir().mkpath(m_autosaveDir)) {
        qCWarning(lcProject) << "cannot create the autosave folder" << m_autosaveDir;
        return false;
    }
    QString error;
    if (!write(autosavePath(), &error)) {
        qCWarning(lcProject) << "autosave failed:" << error;
        return false;
    }
    QJsonObject marker;
    marker[QStringLiteral("pid")] = qint64(QCoreApplication::applicationPid());
    if (const auto ticks = processStartTicks(QCoreApplication::applicationPid()))
        marker[QStringLiteral("process_start")] = QString::number(*ticks);
    marker[QStringLiteral("project")] = m_filePath;
    marker[QStringLiteral("name")] = displayName();
    marker[QStringLiteral("runs")] = int(m_runs.size());
    marker[QStringLiteral("saved_utc")] = nowUtcIso();
    QSaveFile file(QDir(m_autosaveDir).filePath(m_sessionId + QString::fromLatin1(kMarkerSuffix)));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(marker).toJson()) < 0 || !file.commit()) {
        qCWarning(lcProject) << "cannot write the autosave marker" << file.fileName();
        return false;
    }
    return true;
}

void ProjectDocument::discardAutosave()
{
    if (m_autosaveDir.isEmpty())
        return;
    const QDir dir(m_autosaveDir);
    QFile::remove(dir.filePath(m_sessionId + QString::fromLatin1(io::kProjectExtension)));
    QFile::remove(dir.filePath(m_sessionId + QString::fromLatin1(kMarkerSuffix)));
}

QList<ProjectDocument::RecoverableSession> ProjectDocument::recoverableSessions(const QString& dir)
{
    QList<RecoverableSession> found;
    if (dir.isEmpty())
        return found;
    const QDir folder(dir);
    const QString suffix = QString::fromLatin1(kMarkerSuffix);
    for (const QFileInfo& info : folder.entryInfoList({QStringLiteral("*") + suffix}, QDir::Files)) {
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject marker = QJsonDocument::fromJson(file.readAll()).object();
        std::optional<qulonglong> ticks;
        if (marker.contains(QStringLiteral("process_start")))
            ticks = marker.value(QStringLiteral("process_start")).toString().toULongLong();
        if (processAlive(marker.value(QStringLiteral("pid")).toInteger(), ticks))
            continue;
        const QString id = info.fileName().chopped(suffix.size());
        RecoverableSession session;
        session.projectFile = folder.filePath(id + QString::fromLatin1(io::kProjectExtension));
        session.markerFile = info.absoluteFilePath();
        if (!QFileInfo::exists(session.projectFile)) {
            // A marker without its project is a leftover of a half-finished cleanup.
            QFile::remove(session.markerFile);
            continue;
        }
        session.originalPath = marker.value(QStringLiteral("project")).toString();
        session.name = marker.value(QStringLiteral("name")).toString();
        session.runCount = marker.value(QStringLiteral("runs")).toInt();
        session.savedAt = QFileInfo(session.projectFile).lastModified();
        found.append(session);
    }
    std::sort(found.begin(), found.end(),
              [](const RecoverableSession& a, const RecoverableSession& b) { return a.savedAt > b.savedAt; });
    return found;
}

bool ProjectDocument::recover(const RecoverableSession& session, QString* error)
{
    io::Project project;
    try {
        project = io::loadProject(session.projectFile.toStdString());
    } catch (const std::exception& failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
    restore(project, session.originalPath, true);
    discard(session);
    return true;
}

void ProjectDocument::discard(const RecoverableSession& session)
{
    QFile::remove(session.projectFile);
    QFile::remove(session.markerFile);
}

} // namespace stepwise::ui
