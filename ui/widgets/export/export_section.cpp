#include "widgets/export/export_section.hpp"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QLocale>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

#include "session/session.hpp"
#include "tasks/background_task.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

const char* kLastExportFolderKey = "paths/lastExportFolder";

} // namespace

ExportSection::ExportSection(const QString& title, Session* session, StatusBanner* banner, const QString& bannerKey,
                             QWidget* parent)
    : QGroupBox(title, parent), m_session(session), m_banner(banner), m_key(bannerKey)
{
}

void ExportSection::followTask(BackgroundTask* task, std::function<QString(const QString& error)> failureText)
{
    connect(task, &BackgroundTask::started, this, [this] { refresh(); });
    connect(task, &BackgroundTask::finished, this, [this, task, failureText = std::move(failureText)] {
        if (task->state() == BackgroundTask::State::Failed)
            showError(failureText(task->errorMessage()));
        refresh();
    });
}

QHBoxLayout* ExportSection::actionRow(std::initializer_list<QPushButton*> buttons, QLabel* status)
{
    auto* row = new QHBoxLayout;
    for (QPushButton* button : buttons)
        row->addWidget(button);
    row->addSpacing(8);
    status->setWordWrap(true);
    status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row->addWidget(status, 1);
    return row;
}

std::shared_ptr<const workflow::FittedPipeline> ExportSection::pipeline() const
{
    const auto result = m_session->result();
    return result ? result->pipeline : nullptr;
}

QString ExportSection::lastFolder() const
{
    QString folder = m_folder;
    if (folder.isEmpty() && m_usesSettings)
        folder = QSettings().value(kLastExportFolderKey).toString();
    if (folder.isEmpty())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return folder;
}

void ExportSection::rememberFolder(const QString& path)
{
    m_folder = QFileInfo(path).absolutePath();
    if (m_usesSettings)
        QSettings().setValue(kLastExportFolderKey, m_folder);
}

QString ExportSection::askSavePath(const QString& caption, const QString& fileName, const QStringList& filters)
{
    QString chosen = filters.value(0);
    QString path = QFileDialog::getSaveFileName(this, caption, QDir(lastFolder()).filePath(fileName),
                                                filters.join(QStringLiteral(";;")), &chosen);
    if (path.isEmpty())
        return {};
    if (QFileInfo(path).suffix().isEmpty()) {
        // "Markdown (*.md)" → ".md": the filter the user picked decides the format.
        static const QRegularExpression firstSuffix(QStringLiteral("\\*(\\.[A-Za-z0-9]+)"));
        const auto match = firstSuffix.match(chosen);
        if (match.hasMatch())
            path += match.captured(1);
    }
    rememberFolder(path);
    return path;
}

QString ExportSection::askOpenPath(const QString& caption, const QString& filters)
{
    const QString path = QFileDialog::getOpenFileName(this, caption, lastFolder(), filters);
    if (!path.isEmpty())
        rememberFolder(path);
    return path;
}

QString ExportSection::suggestedStem() const
{
    const auto& recipe = m_session->resultRecipe();
    QString stem = QString::fromStdString(recipe.problem.target);
    if (stem.isEmpty())
        stem = QStringLiteral("model");
    return stem + QLatin1Char('-') + QString::fromStdString(recipe.model.name);
}

void ExportSection::showError(const QString& text)
{
    if (m_banner)
        m_banner->setMessage(m_key, StatusBanner::Level::Error, text);
}

void ExportSection::showSuccess(const QString& text)
{
    if (m_banner)
        m_banner->setMessage(m_key, StatusBanner::Level::Success, text);
}

void ExportSection::clearMessage()
{
    if (m_banner)
        m_banner->clearMessage(m_key);
}

QString formatBytes(qint64 bytes) { return QLocale().formattedDataSize(bytes); }

QString formatDuration(qint64 milliseconds)
{
    if (milliseconds < 1000)
        return QObject::tr("%1 ms").arg(milliseconds);
    return QObject::tr("%1 s").arg(QString::number(double(milliseconds) / 1000.0, 'f', 1));
}

} // namespace stepwise::ui
