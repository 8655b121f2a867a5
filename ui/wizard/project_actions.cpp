#include "wizard/project_actions.hpp"

#include <QAbstractButton>
#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

#include "pages/data_page.hpp"
#include "session/project_document.hpp"
#include "widgets/status_banner.hpp"
#include "wizard/main_wizard.hpp"

namespace stepwise::ui {
namespace {

const char* kRecentKey = "projects/recent";
const char* kLastProjectFolderKey = "paths/lastProjectFolder";
const char* kDataCheckKey = "project-data";

QString projectPattern() { return QStringLiteral("*") + QString::fromLatin1(io::kProjectExtension); }

} // namespace

ProjectActions::ProjectActions(MainWizard* wizard, ProjectDocument* document, bool usesSettings)
    : QObject(wizard),
      m_wizard(wizard),
      m_document(document),
      m_usesSettings(usesSettings),
      m_new(new QAction(tr("&New project"), this)),
      m_open(new QAction(tr("&Open…"), this)),
      m_recentMenu(new QMenu(tr("Open &Recent"), wizard)),
      m_save(new QAction(tr("&Save project"), this)),
      m_saveAs(new QAction(tr("Save project &As…"), this)),
      m_embed(new QAction(tr("&Embed data in project"), this))
{
    m_new->setObjectName(QStringLiteral("newProjectAction"));
    m_new->setShortcut(QKeySequence::New);
    m_new->setToolTip(tr("Start an empty project (Ctrl+N)"));
    m_open->setObjectName(QStringLiteral("openAction"));
    m_open->setShortcut(QKeySequence::Open);
    m_open->setToolTip(tr("Open a project, or a data file on the Data step (Ctrl+O)"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    m_save->setObjectName(QStringLiteral("saveProjectAction"));
    m_save->setShortcut(QKeySequence::Save);
    m_save->setToolTip(tr("Save the recipe, the runs and the window as a project (Ctrl+S)"));
    m_saveAs->setObjectName(QStringLiteral("saveProjectAsAction"));
    m_saveAs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_embed->setObjectName(QStringLiteral("embedDataAction"));
    m_embed->setCheckable(true);
    m_embed->setToolTip(tr("Copy the data file into the project, so it opens anywhere even without the file"));

    QMenu* file = wizard->fileMenu();
    QAction* quit = file->findChild<QAction*>(QStringLiteral("quitAction"));
    const auto actions = file->actions();
    QAction* before = actions.contains(quit) ? quit : nullptr;
    file->insertAction(before, m_new);
    file->insertAction(before, m_open);
    QAction* recent = file->insertMenu(before, m_recentMenu);
    recent->setVisible(usesSettings);
    file->insertSeparator(before);
    file->insertAction(before, m_save);
    file->insertAction(before, m_saveAs);
    file->insertAction(before, m_embed);
    file->insertSeparator(before);
    // Window-wide shortcuts even while the menu bar has never been opened.
    wizard->addActions({m_new, m_open, m_save, m_saveAs});

    connect(m_new, &QAction::triggered, this, &ProjectActions::newProject);
    connect(m_open, &QAction::triggered, this, &ProjectActions::openInteractively);
    connect(m_save, &QAction::triggered, this, &ProjectActions::save);
    connect(m_saveAs, &QAction::triggered, this, &ProjectActions::saveAs);
    connect(m_embed, &QAction::toggled, document, &ProjectDocument::setEmbedData);
    connect(document, &ProjectDocument::embedDataChanged, m_embed, &QAction::setChecked);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &ProjectActions::refreshRecentMenu);

    connect(document, &ProjectDocument::modifiedChanged, this, &ProjectActions::updateTitle);
    connect(document, &ProjectDocument::filePathChanged, this, &ProjectActions::updateTitle);
    connect(document, &ProjectDocument::dataChecked, this, &ProjectActions::showDataCheck);
    connect(document, &ProjectDocument::saved, this, &ProjectActions::rememberRecent);
    connect(document, &ProjectDocument::opened, this, &ProjectActions::rememberRecent);

    document->addWindowState(
        QStringLiteral("page"), [wizard] { return QString::number(std::max(0, wizard->currentId())); },
        [wizard](const QString& value) {
            bool ok = false;
            const int id = value.toInt(&ok);
            if (ok)
                wizard->goToStep(id);
        });
    QAbstractButton* learn = wizard->button(QWizard::HelpButton);
    document->addWindowState(
        QStringLiteral("learn"), [learn] { return learn->isChecked() ? QStringLiteral("1") : QStringLiteral("0"); },
        [wizard](const QString& value) { wizard->setLearnVisible(value == QStringLiteral("1")); });
    document->addWindowState(
        QStringLiteral("geometry"), [wizard] { return QString::fromLatin1(wizard->saveGeometry().toBase64()); },
        [wizard, usesSettings](const QString& value) {
            // Demo runs and tests keep their fixed size.
            if (usesSettings)
                wizard->restoreGeometry(QByteArray::fromBase64(value.toLatin1()));
        },
        false);
    connect(wizard, &QWizard::currentIdChanged, document, &ProjectDocument::noteWindowStateChanged);
    connect(learn, &QAbstractButton::toggled, document, &ProjectDocument::noteWindowStateChanged);

    updateTitle();
}

bool ProjectActions::isProjectFile(const QString& path)
{
    return path.endsWith(QString::fromLatin1(io::kProjectExtension), Qt::CaseInsensitive);
}

void ProjectActions::updateTitle()
{
    // "[*]" is where Qt shows the modified mark.
    m_wizard->setWindowTitle(tr("%1[*] — Stepwise").arg(m_document->displayName()));
    m_wizard->setWindowModified(m_document->isModified());
}

void ProjectActions::showDataCheck(io::DataCheck check, const QString& message)
{
    StatusBanner* banner = m_wizard->dataPage()->banner();
    switch (check) {
    case io::DataCheck::Unchanged:
        banner->clearMessage(QString::fromLatin1(kDataCheckKey));
        return;
    case io::DataCheck::Changed:
        banner->setMessage(QString::fromLatin1(kDataCheckKey), StatusBanner::Level::Warning,
                           tr("%1 — the runs in this project were made with the old data, so new results will "
                              "differ. Train again to compare on the new data, or put the original file back and "
                              "open the project again.")
                               .arg(message));
        return;
    case io::DataCheck::Missing:
        banner->setMessage(QString::fromLatin1(kDataCheckKey), StatusBanner::Level::Error,
                           tr("%1 — the recipe and the runs are here, but there is no data to train on. Put the file "
                              "back and open the project again, or open the data from its new place with Open "
                              "file… and save the project.")
                               .arg(message));
        return;
    case io::DataCheck::UsedEmbedded:
        banner->setMessage(QString::fromLatin1(kDataCheckKey), StatusBanner::Level::Info,
                           tr("%1 — the copy of the data saved in the project is used, so the results match the "
                              "recorded runs.")
                               .arg(message));
        return;
    }
}

bool ProjectActions::confirmDiscard()
{
    if (!m_document->isModified())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                    tr("Save the changes to “%1” first?").arg(m_document->displayName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_wizard);
    box.setObjectName(QStringLiteral("unsavedChangesBox"));
    box.setInformativeText(tr("The recipe, the runs and the window state change since the last save are lost if you "
                              "discard them."));
    box.setDefaultButton(QMessageBox::Save);
    box.setEscapeButton(QMessageBox::Cancel);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void ProjectActions::newProject()
{
    if (!confirmDiscard())
        return;
    m_document->newProject();
}

void ProjectActions::openInteractively()
{
    QString folder = m_wizard->dataPage()->lastDataFolder();
    if (m_usesSettings) {
        const QString projects = QSettings().value(kLastProjectFolderKey).toString();
        if (!projects.isEmpty())
            folder = projects;
    }
    QStringList data;
    for (const QString& suffix : dataFileSuffixes())
        data << QStringLiteral("*.") + suffix;
    const QString filter = tr("Projects and data (%1 %2);;Stepwise projects (%1);;Data files (%2);;All files (*)")
                               .arg(projectPattern(), data.join(QLatin1Char(' ')));
    const QString path = QFileDialog::getOpenFileName(m_wizard, tr("Open a project or data"), folder, filter);
    if (path.isEmpty())
        return;
    if (isProjectFile(path)) {
        openProject(path);
    } else {
        // As the Data page's own Open file…: remember the folder and ask how to read it.
        m_wizard->goToStep(MainWizard::DataId);
        m_wizard->dataPage()->openChosenFile(path);
    }
}

bool ProjectActions::openPath(const QString& path)
{
    if (isProjectFile(path))
        return openProject(path);
    m_wizard->openDataFile(path);
    return true;
}

bool ProjectActions::openProject(const QString& path)
{
    if (!confirmDiscard())
        return false;
    QString error;
    if (!m_document->open(path, &error)) {
        QMessageBox box(QMessageBox::Warning, tr("Cannot open the project"),
                        tr("%1 could not be opened.").arg(QFileInfo(path).fileName()), QMessageBox::Ok, m_wizard);
        box.setObjectName(QStringLiteral("openFailedBox"));
        box.setInformativeText(error);
        box.exec();
        return false;
    }
    return true;
}

bool ProjectActions::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    QString error;
    if (!m_document->save(&error)) {
        QMessageBox::warning(m_wizard, tr("Cannot save the project"),
                             tr("The project was not saved: %1\nThe file on disk is unchanged.").arg(error));
        return false;
    }
    return true;
}

bool ProjectActions::saveAs()
{
    QString start = m_document->filePath();
    if (start.isEmpty()) {
        QString folder = m_wizard->dataPage()->lastDataFolder();
        if (m_usesSettings && !QSettings().value(kLastProjectFolderKey).toString().isEmpty())
            folder = QSettings().value(kLastProjectFolderKey).toString();
        start = QDir(folder).filePath(tr("untitled") + QString::fromLatin1(io::kProjectExtension));
    }
    QString path = QFileDialog::getSaveFileName(m_wizard, tr("Save the project"), start,
                                                tr("Stepwise projects (%1)").arg(projectPattern()));
    if (path.isEmpty())
        return false;
    if (!isProjectFile(path))
        path += QString::fromLatin1(io::kProjectExtension);
    QString error;
    if (!m_document->saveAs(path, &error)) {
        QMessageBox::warning(m_wizard, tr("Cannot save the project"), tr("The project was not saved: %1").arg(error));
        return false;
    }
    return true;
}

QStringList ProjectActions::recentProjects() const
{
    if (!m_usesSettings)
        return {};
    return QSettings().value(kRecentKey).toStringList();
}

void ProjectActions::rememberRecent(const QString& path)
{
    if (!m_usesSettings || path.isEmpty())
        return;
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kRecentCount)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    settings.setValue(kLastProjectFolderKey, QFileInfo(path).absolutePath());
}

void ProjectActions::refreshRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentProjects();
    for (const QString& path : recent) {
        QAction* action = m_recentMenu->addAction(QFileInfo(path).fileName());
        action->setToolTip(path);
        action->setStatusTip(path);
        action->setData(path);
        connect(action, &QAction::triggered, this, [this, path] { openRecent(path); });
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear the list"), this, [this] {
        QSettings().remove(kRecentKey);
        refreshRecentMenu();
    });
}

void ProjectActions::openRecent(const QString& path)
{
    if (QFileInfo::exists(path)) {
        openProject(path);
        return;
    }
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    settings.setValue(kRecentKey, recent);
    refreshRecentMenu();
    QMessageBox box(QMessageBox::Information, tr("Project not found"),
                    tr("%1 no longer exists; it was removed from the recent projects.").arg(path), QMessageBox::Ok,
                    m_wizard);
    box.setObjectName(QStringLiteral("recentMissingBox"));
    box.exec();
}

bool ProjectActions::offerRecovery()
{
    const auto sessions = ProjectDocument::recoverableSessions(m_document->autosaveDir());
    for (const auto& session : sessions) {
        const QString when = QLocale().toString(session.savedAt.time(), QStringLiteral("HH:mm"));
        const QString day = session.savedAt.date() == QDate::currentDate()
                                ? QString()
                                : QLocale().toString(session.savedAt.date(), QLocale::ShortFormat) + QLatin1Char(' ');
        QMessageBox box(QMessageBox::Question, tr("Restore unsaved work?"),
                        tr("Stepwise closed unexpectedly at %1%2 — restore the unsaved work (%3, %4)?")
                            .arg(day, when, session.name,
                                 session.runCount == 1 ? tr("1 run") : tr("%1 runs").arg(session.runCount)),
                        QMessageBox::NoButton, m_wizard);
        box.setObjectName(QStringLiteral("recoveryBox"));
        box.setInformativeText(session.originalPath.isEmpty()
                                   ? tr("The project was never saved. Restore brings back its recipe, data, runs and "
                                        "window; save it to keep it.")
                                   : tr("Restore brings back the recipe, data, runs and window as they were, with the "
                                        "changes not yet saved to %1.")
                                         .arg(session.originalPath));
        QPushButton* restore = box.addButton(tr("Restore"), QMessageBox::AcceptRole);
        restore->setObjectName(QStringLiteral("restoreButton"));
        QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        discard->setObjectName(QStringLiteral("discardButton"));
        box.setDefaultButton(restore);
        box.exec();
        if (box.clickedButton() == restore) {
            QString error;
            if (m_document->recover(session, &error))
                return true;
            QMessageBox::warning(m_wizard, tr("Cannot restore"),
                                 tr("The unsaved work could not be read: %1\nIt is kept in %2.")
                                     .arg(error, session.projectFile));
            continue;
        }
        if (box.clickedButton() == discard)
            ProjectDocument::discard(session);
    }
    return false;
}

} // namespace stepwise::ui
