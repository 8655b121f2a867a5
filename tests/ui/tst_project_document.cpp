// Projects in the GUI: a save → open round trip of the recipe, the runs and the window
// state; the modified flag, the title and the Save / Discard / Cancel prompt; Ctrl+S;
// the recent list; a dropped project; changed, missing and embedded data; and the CLI's
// `run PROJECT` giving exactly the numbers the GUI session got.
#include <QtTest>

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>

#include <functional>

#include "pages/data_page.hpp"
#include "session/project_document.hpp"
#include "session/session.hpp"
#include "stepwise/io/project.hpp"
#include "widgets/status_banner.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/project_actions.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;

namespace {

/// Presses `button` in the next message box that opens (polls, since the box runs its
/// own event loop); records the box's object name in `seen`.
void answerNextBox(QMessageBox::StandardButton button, QString* seen = nullptr)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, button, seen] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            return;
        if (seen)
            *seen = box->objectName();
        timer->stop();
        timer->deleteLater();
        box->button(button)->click();
    });
    timer->start();
}

data::DataSource builtin(const char* name)
{
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = name;
    return source;
}

data::DataSource file(const QString& path)
{
    data::DataSource source;
    source.kind = data::DataSourceKind::File;
    source.location = path.toStdString();
    return source;
}

} // namespace

class TestProjectDocument : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// Loads `source` into `wizard` and waits for its table.
    static bool load(MainWizard& wizard, const data::DataSource& source)
    {
        QSignalSpy loaded(wizard.session(), &ui::Session::dataChanged);
        wizard.session()->loadData(source);
        return QTest::qWaitFor([&] { return wizard.session()->table() && !wizard.session()->isLoading(); }, 30000);
    }
    /// Trains and waits until the run is recorded.
    static bool trainOnce(MainWizard& wizard)
    {
        QSignalSpy runs(wizard.project(), &ui::ProjectDocument::runsChanged);
        wizard.session()->train();
        return runs.wait(60000);
    }
    static bool settled(MainWizard& wizard)
    {
        return QTest::qWaitFor([&] { return !wizard.project()->isRestoring(); }, 30000);
    }
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        // Settings and autosaves of this test only: nothing from the user's, and no
        // recovery prompt from a previous run.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        qputenv("STEPWISE_AUTOSAVE_DIR", m_dir.filePath(QStringLiteral("autosave")).toLocal8Bit());
    }

    void fileMenu()
    {
        MainWizard wizard(true);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QStringList texts;
        for (QAction* action : wizard.fileMenu()->actions())
            texts << (action->isSeparator() ? QStringLiteral("|") : action->text());
        QCOMPARE(texts, QStringList({QStringLiteral("&New project"), QStringLiteral("&Open…"),
                                     QStringLiteral("Open &Recent"), QStringLiteral("|"),
                                     QStringLiteral("&Save project"), QStringLiteral("Save project &As…"),
                                     QStringLiteral("&Embed data in project"), QStringLiteral("|"),
                                     QStringLiteral("&Quit")}));
        ui::ProjectActions* actions = wizard.projectActions();
        QCOMPARE(actions->newAction()->shortcut(), QKeySequence(QKeySequence::New));
        QCOMPARE(actions->openAction()->shortcut(), QKeySequence(QKeySequence::Open));
        QCOMPARE(actions->saveAction()->shortcut(), QKeySequence(QKeySequence::Save));
        QCOMPARE(actions->saveAsAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
        QVERIFY(actions->embedDataAction()->isCheckable());
        // Without settings there is no recent list to show.
        MainWizard plain(false);
        QVERIFY(!plain.projectActions()->recentMenu()->menuAction()->isVisible());

        const QByteArray shots = qgetenv("STEPWISE_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            wizard.session()->setObjective(QStringLiteral("Who survives?"));
            wizard.fileMenu()->popup(wizard.mapToGlobal(QPoint(40, 40)));
            QTest::qWait(200);
            wizard.fileMenu()->grab().save(QDir(QString::fromLocal8Bit(shots)).filePath(QStringLiteral("file-menu.png")));
            wizard.grab().save(QDir(QString::fromLocal8Bit(shots)).filePath(QStringLiteral("file-menu-window.png")));
            wizard.fileMenu()->hide();
        }
    }

    void roundTripThroughTheWindow()
    {
        const QString project = path(QStringLiteral("iris.stepwise-project"));
        std::string savedRecipe;
        std::vector<workflow::NamedScore> savedMetrics;
        {
            MainWizard wizard(false);
            wizard.show();
            QVERIFY(QTest::qWaitForWindowExposed(&wizard));
            ui::Session* session = wizard.session();
            session->setObjective(QStringLiteral("Tell iris species apart"));
            QVERIFY(load(wizard, builtin("iris")));
            session->setSeed(11);
            session->setModel({"decision_tree", {{"max_depth", "3"}}});
            session->setFeatureUsed("sepal_width", false);
            QVERIFY(trainOnce(wizard));
            QCOMPARE(wizard.project()->runs().size(), std::size_t(1));
            const io::RunRecord& run = wizard.project()->runs().front();
            QCOMPARE(run.id, 1);
            QCOMPARE(run.recipe.seed, std::uint64_t(11));
            QVERIFY(!run.metrics.empty());
            QVERIFY(run.durationSeconds > 0.0);
            QVERIFY(QDateTime::fromString(QString::fromStdString(run.startedUtc), Qt::ISODate).isValid());
            QVERIFY(wizard.goToStep(MainWizard::FeaturesId));
            wizard.setLearnVisible(true);
            QVERIFY(wizard.project()->isModified());
            QVERIFY(wizard.isWindowModified());

            QVERIFY(wizard.project()->saveAs(project));
            QVERIFY(!wizard.project()->isModified());
            QVERIFY(!wizard.isWindowModified());
            QCOMPARE(wizard.windowTitle(), QStringLiteral("iris.stepwise-project[*] — Stepwise"));
            savedRecipe = workflow::recipeToJson(session->recipe());
            savedMetrics = run.metrics;
        }

        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY(wizard.projectActions()->openProject(project));
        QVERIFY(settled(wizard));
        QCOMPARE(wizard.project()->filePath(), project);
        QCOMPARE(workflow::recipeToJson(wizard.session()->recipe()), savedRecipe);
        QVERIFY(!wizard.session()->isFeatureUsed("sepal_width"));
        QVERIFY(wizard.session()->table());
        QCOMPARE(wizard.session()->table()->rowCount(), std::size_t(150));
        QCOMPARE(wizard.project()->runs().size(), std::size_t(1));
        const auto& metrics = wizard.project()->runs().front().metrics;
        QCOMPARE(metrics.size(), savedMetrics.size());
        for (std::size_t i = 0; i < metrics.size(); ++i) {
            QCOMPARE(metrics[i].metric, savedMetrics[i].metric);
            QCOMPARE(metrics[i].value, savedMetrics[i].value);
        }
        QCOMPARE(wizard.currentId(), int(MainWizard::FeaturesId));
        QVERIFY(wizard.stepPage(MainWizard::FeaturesId)->isLearnVisible());
        QVERIFY(!wizard.project()->isModified());
        QVERIFY(!wizard.isWindowModified());
        // Undo has nothing of the previous session to take back.
        QVERIFY(!wizard.undoAction()->isEnabled());

        // A new run gets the next id and modifies the project.
        QVERIFY(trainOnce(wizard));
        QCOMPARE(wizard.project()->runs().back().id, 2);
        QVERIFY(wizard.project()->isModified());
    }

    void modifiedFlagAndPrompts()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::ProjectDocument* project = wizard.project();
        QVERIFY(!project->isModified());
        QCOMPARE(wizard.windowTitle(), QStringLiteral("Untitled[*] — Stepwise"));

        wizard.session()->setObjective(QStringLiteral("Predict survival"));
        QVERIFY(project->isModified());
        QVERIFY(wizard.isWindowModified());
        const QString file = path(QStringLiteral("prompts.stepwise-project"));
        QVERIFY(project->saveAs(file));
        QVERIFY(!project->isModified());

        // An undoable edit, and its undo back to the saved recipe.
        wizard.session()->setSeed(5);
        QVERIFY(project->isModified());
        wizard.undoAction()->trigger();
        QVERIFY(!project->isModified());

        // Ctrl+S saves the project.
        wizard.session()->setSeed(6);
        QVERIFY(project->isModified());
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        QTest::keyClick(&wizard, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(!project->isModified());
        QCOMPARE(io::loadProject(file.toStdString()).recipe.seed, std::uint64_t(6));

        // Cancel keeps the window and the changes.
        wizard.session()->setSeed(7);
        QString seen;
        answerNextBox(QMessageBox::Cancel, &seen);
        wizard.close();
        QCOMPARE(seen, QStringLiteral("unsavedChangesBox"));
        QVERIFY(wizard.isVisible());
        QVERIFY(project->isModified());

        // Save on New writes the file first, then starts afresh.
        answerNextBox(QMessageBox::Save);
        wizard.projectActions()->newProject();
        QTRY_VERIFY(!project->isRestoring());
        QCOMPARE(io::loadProject(file.toStdString()).recipe.seed, std::uint64_t(7));
        QVERIFY(project->filePath().isEmpty());
        QVERIFY(!project->isModified());
        QCOMPARE(wizard.session()->recipe().seed, workflow::Recipe{}.seed);
        QVERIFY(!wizard.session()->table());

        // Discard on close closes.
        wizard.session()->setObjective(QStringLiteral("Something else"));
        answerNextBox(QMessageBox::Discard);
        wizard.close();
        QVERIFY(!wizard.isVisible());
    }

    void recentProjects()
    {
        MainWizard wizard(true);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QSettings().remove(QStringLiteral("projects/recent"));
        ui::ProjectActions* actions = wizard.projectActions();
        QVERIFY(actions->recentMenu()->menuAction()->isVisible());
        QStringList saved;
        for (int i = 0; i < 12; ++i) {
            wizard.session()->setSeed(std::uint64_t(100 + i));
            const QString name = path(QStringLiteral("recent-%1.stepwise-project").arg(i));
            QVERIFY(wizard.project()->saveAs(name));
            saved.prepend(name);
        }
        QStringList recent = actions->recentProjects();
        QCOMPARE(recent.size(), ui::ProjectActions::kRecentCount);
        QCOMPARE(recent, saved.mid(0, ui::ProjectActions::kRecentCount));

        // A project that is gone leaves the list with a message.
        const QString gone = recent.at(3);
        QVERIFY(QFile::remove(gone));
        actions->refreshRecentMenu();
        QAction* entry = nullptr;
        for (QAction* action : actions->recentMenu()->actions()) {
            if (action->data().toString() == gone)
                entry = action;
        }
        QVERIFY(entry);
        QString seen;
        answerNextBox(QMessageBox::Ok, &seen);
        entry->trigger();
        QCOMPARE(seen, QStringLiteral("recentMissingBox"));
        QVERIFY(!actions->recentProjects().contains(gone));
        QCOMPARE(actions->recentProjects().size(), ui::ProjectActions::kRecentCount - 1);

        // An existing entry opens.
        actions->refreshRecentMenu();
        const QString other = actions->recentProjects().at(4);
        for (QAction* action : actions->recentMenu()->actions()) {
            if (action->data().toString() == other)
                action->trigger();
        }
        QVERIFY(settled(wizard));
        QCOMPARE(wizard.project()->filePath(), other);
        QCOMPARE(actions->recentProjects().front(), other);
    }

    void dropOpensAProject()
    {
        const QString file = path(QStringLiteral("dropped.stepwise-project"));
        {
            MainWizard wizard(false);
            wizard.session()->setObjective(QStringLiteral("Dropped"));
            wizard.session()->setSeed(21);
            QVERIFY(wizard.project()->saveAs(file));
        }
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file)});
        const QPointF centre = QRectF(wizard.rect()).center();
        QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&wizard, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&wizard, &drop);
        QVERIFY(drop.isAccepted());
        QTRY_COMPARE(wizard.project()->filePath(), file);
        QVERIFY(settled(wizard));
        QCOMPARE(wizard.session()->recipe().seed, std::uint64_t(21));
        QCOMPARE(wizard.session()->recipe().problem.objective, std::string("Dropped"));
        // Saved before any data was loaded: nothing loads now either.
        QVERIFY(!wizard.session()->table());
        QVERIFY(!wizard.session()->isLoading());
    }

    void changedMissingAndEmbeddedData()
    {
        const QString csv = path(QStringLiteral("iris-copy.csv"));
        QFile::remove(csv);
        QVERIFY(QFile::copy(QStringLiteral(STEPWISE_DATASETS_DIR "/iris.csv"), csv));
        QFile::setPermissions(csv, QFile::ReadOwner | QFile::WriteOwner);
        const QString plain = path(QStringLiteral("plain.stepwise-project"));
        const QString embedded = path(QStringLiteral("embedded.stepwise-project"));
        {
            MainWizard wizard(false);
            wizard.session()->setObjective(QStringLiteral("Iris from a file"));
            QVERIFY(load(wizard, file(csv)));
            QVERIFY(wizard.project()->saveAs(plain));
            wizard.projectActions()->embedDataAction()->setChecked(true);
            QVERIFY(wizard.project()->embedsData());
            QVERIFY(wizard.project()->isModified());
            QVERIFY(wizard.project()->saveAs(embedded));
        }
        // Unchanged: no message.
        {
            MainWizard wizard(false);
            QVERIFY(wizard.project()->open(plain));
            QVERIFY(settled(wizard));
            QVERIFY(!wizard.dataPage()->banner()->text().contains(QStringLiteral("iris-copy.csv")));
            QCOMPARE(wizard.session()->table()->rowCount(), std::size_t(150));
        }
        // Changed: a warning on the Data page, and the new data loads.
        {
            QFile data(csv);
            QVERIFY(data.open(QIODevice::Append));
            data.write("5.0,3.0,1.5,0.2,setosa\n");
        }
        {
            MainWizard wizard(false);
            QVERIFY(wizard.project()->open(plain));
            QVERIFY(settled(wizard));
            const QString text = wizard.dataPage()->banner()->text();
            QVERIFY2(text.contains(QStringLiteral("changed")) && text.contains(QStringLiteral("Train again")),
                     qPrintable(text));
            QVERIFY(wizard.dataPage()->banner()->attentionCount() > 0);
            QCOMPARE(wizard.session()->table()->rowCount(), std::size_t(151));
        }
        // Missing, with the data embedded: the embedded copy loads, and says so.
        QVERIFY(QFile::remove(csv));
        {
            MainWizard wizard(false);
            QVERIFY(wizard.project()->open(embedded));
            QVERIFY(settled(wizard));
            const QString text = wizard.dataPage()->banner()->text();
            QVERIFY2(text.contains(QStringLiteral("copy of the data saved in the project")), qPrintable(text));
            QVERIFY(wizard.session()->table());
            QCOMPARE(wizard.session()->table()->rowCount(), std::size_t(150));
            QVERIFY(wizard.project()->embedsData());
        }
        // Missing and not embedded: the recipe is there, no data, and an error says what to do.
        {
            MainWizard wizard(false);
            QVERIFY(wizard.project()->open(plain));
            QVERIFY(settled(wizard));
            const QString text = wizard.dataPage()->banner()->text();
            QVERIFY2(text.contains(QStringLiteral("Put the file back")), qPrintable(text));
            QVERIFY(wizard.dataPage()->banner()->hasError());
            QVERIFY(!wizard.session()->table());
            QCOMPARE(wizard.session()->recipe().problem.objective, std::string("Iris from a file"));
            // Saving again keeps the reference to the data the project was made with.
            QVERIFY(wizard.project()->saveAs(path(QStringLiteral("resaved.stepwise-project"))));
            const io::Project resaved = io::loadProject(path(QStringLiteral("resaved.stepwise-project")).toStdString());
            QCOMPARE(resaved.data.sha256, io::loadProject(plain.toStdString()).data.sha256);
        }
    }
};

QTEST_MAIN(TestProjectDocument)
#include "tst_project_document.moc"
