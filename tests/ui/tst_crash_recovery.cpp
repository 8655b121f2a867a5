// Crash recovery for real: a child process (this executable with --crash-child) edits a
// titanic session, trains once, starts a long second training and is killed with
// SIGKILL; a new window in this process finds its autosave, offers it, and restoring
// brings back the recipe, the data, the run and the modified mark. Also: Discard removes
// an autosave, and the autosave of a live process is never offered.
//
// With STEPWISE_SCREENSHOT_DIR set, the recovery prompt is also saved there as
// recovery-prompt.png.
#include <QtTest>

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>
#include <cstring>

#include "session/project_document.hpp"
#include "session/session.hpp"
#include "stepwise/io/project.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/project_actions.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;

namespace {

const char* kChildArgument = "--crash-child";
const std::uint64_t kSeed = 4242;
const char* kObjective = "Who survives the Titanic?";

workflow::ModelChoice firstModel() { return {"random_forest", {{"n_estimators", "20"}, {"max_depth", "5"}}}; }
// With 20-fold cross-validation: 21 fits of 10,000 full-depth trees, minutes even on a fast
// machine, so the child is still training when the parent kills it.
workflow::ModelChoice secondModel() { return {"random_forest", {{"n_estimators", "10000"}}}; }
evaluation::CvSpec secondCrossValidation() { return {evaluation::CvStrategy::KFold, 20}; }

/// The child: a real window with autosave (STEPWISE_AUTOSAVE_DIR comes from the parent).
int runChild()
{
    QStandardPaths::setTestModeEnabled(true);
    MainWizard wizard(false);
    wizard.show();
    ui::Session* session = wizard.session();
    auto fail = [](const char* what) {
        std::fprintf(stderr, "child: %s\n", what);
        return 1;
    };
    if (wizard.project()->autosaveDir().isEmpty())
        return fail("autosave is off");
    session->setObjective(QString::fromLatin1(kObjective));
    data::DataSource titanic;
    titanic.kind = data::DataSourceKind::Builtin;
    titanic.location = "titanic";
    session->loadData(titanic);
    if (!QTest::qWaitFor([&] { return session->table() && !session->isLoading(); }, 60000))
        return fail("titanic did not load");
    session->setSeed(kSeed);
    session->setModel(firstModel());
    session->train();
    if (!QTest::qWaitFor([&] { return wizard.project()->runs().size() == 1; }, 120000))
        return fail("the first training did not finish");
    workflow::Recipe slow = session->recipe();
    slow.model = secondModel();
    slow.crossValidation = secondCrossValidation();
    session->editRecipe(slow, QStringLiteral("A long training"));
    session->train();
    // Ready once the autosave on disk has the run and the recipe as it is now.
    const std::string recipe = workflow::recipeToJson(session->recipe());
    const bool saved = QTest::qWaitFor(
        [&] {
            try {
                const io::Project project = io::loadProject(wizard.project()->autosavePath().toStdString());
                return project.runs.size() == 1 && workflow::recipeToJson(project.recipe) == recipe;
            } catch (const std::exception&) {
                return false;
            }
        },
        30000);
    if (!saved) {
        try {
            const io::Project project = io::loadProject(wizard.project()->autosavePath().toStdString());
            std::fprintf(stderr, "child: the autosave has %zu runs\n", project.runs.size());
            for (const io::FieldChange& change : io::recipeDiff(project.recipe, session->recipe()))
                std::fprintf(stderr, "child: autosaved %s = %s, now %s\n", change.field.c_str(), change.before.c_str(),
                             change.after.c_str());
        } catch (const std::exception& error) {
            std::fprintf(stderr, "child: the autosave cannot be read: %s\n", error.what());
        }
        return fail("the autosave did not catch up");
    }
    if (!session->isTraining())
        return fail("the second training is not running");
    std::printf("ready\n");
    std::fflush(stdout);
    // Wait to be killed; the training alone would end long after the parent's timeout.
    QTest::qWait(300000);
    return fail("not killed");
}

/// Presses the button named `buttonName` in the recovery box when it opens; keeps its text.
void answerRecovery(const QString& buttonName, QString* text)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, buttonName, text] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box || box->objectName() != QStringLiteral("recoveryBox"))
            return;
        timer->stop();
        timer->deleteLater();
        if (text)
            *text = box->text();
        const QByteArray shots = qgetenv("STEPWISE_SCREENSHOT_DIR");
        if (!shots.isEmpty())
            box->grab().save(QDir(QString::fromLocal8Bit(shots)).filePath(QStringLiteral("recovery-prompt.png")));
        box->findChild<QAbstractButton*>(buttonName)->click();
    });
    timer->start();
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files, QDir::Name);
}

} // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void killedSessionComesBack()
    {
        QTemporaryDir autosave;
        QVERIFY(autosave.isValid());
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("STEPWISE_AUTOSAVE_DIR"), autosave.path());
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        child.setProcessEnvironment(environment);
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(kChildArgument)});
        QVERIFY(child.waitForStarted());
        QByteArray output;
        QElapsedTimer clock;
        clock.start();
        while (!output.contains("ready") && child.state() == QProcess::Running && clock.elapsed() < 240000) {
            child.waitForReadyRead(1000);
            output += child.readAllStandardOutput();
        }
        QVERIFY2(output.contains("ready"), output.constData());
        QCOMPARE(::kill(pid_t(child.processId()), SIGKILL), 0);
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        // The killed process could not clean up: its autosave and marker are there.
        QCOMPARE(filesIn(autosave.path()).size(), 2);

        qputenv("STEPWISE_AUTOSAVE_DIR", autosave.path().toLocal8Bit());
        QString prompt;
        answerRecovery(QStringLiteral("restoreButton"), &prompt);
        MainWizard wizard(false);
        wizard.show();
        QTRY_VERIFY_WITH_TIMEOUT(!prompt.isEmpty(), 10000);
        QVERIFY2(prompt.contains(QStringLiteral("closed unexpectedly at")), qPrintable(prompt));
        QVERIFY2(prompt.contains(QStringLiteral("Untitled, 1 run")), qPrintable(prompt));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.session()->table() && !wizard.project()->isRestoring(), 60000);

        const workflow::Recipe& recipe = wizard.session()->recipe();
        QCOMPARE(recipe.seed, kSeed);
        QCOMPARE(recipe.problem.objective, std::string(kObjective));
        QVERIFY(recipe.model == secondModel());
        QVERIFY(recipe.crossValidation == secondCrossValidation());
        QCOMPARE(recipe.data.location, std::string("titanic"));
        QCOMPARE(wizard.session()->table()->rowCount(), std::size_t(891));
        QCOMPARE(wizard.project()->runs().size(), std::size_t(1));
        const io::RunRecord& run = wizard.project()->runs().front();
        QVERIFY(run.recipe.model == firstModel());
        QCOMPARE(run.recipe.seed, kSeed);
        QVERIFY(!run.metrics.empty());
        QVERIFY(wizard.project()->filePath().isEmpty());
        QVERIFY(wizard.project()->isModified());
        QVERIFY(wizard.isWindowModified());

        // The killed session's files are gone; what is there now is this session's own
        // autosave (the restored work is unsaved), which no new start may offer.
        const QStringList left = filesIn(autosave.path());
        QCOMPARE(left.size(), 2);
        QVERIFY(left.contains(QFileInfo(wizard.project()->autosavePath()).fileName()));
        QVERIFY(ui::ProjectDocument::recoverableSessions(autosave.path()).isEmpty());
        qunsetenv("STEPWISE_AUTOSAVE_DIR");
    }

    void discardRemovesTheAutosave()
    {
        QTemporaryDir autosave;
        QVERIFY(autosave.isValid());
        // A finished process's PID stands for a session that died.
        QProcess gone;
        gone.start(QStringLiteral("/bin/true"), {});
        QVERIFY(gone.waitForStarted());
        const qint64 deadPid = gone.processId();
        QVERIFY(gone.waitForFinished());

        io::Project project;
        project.recipe.seed = 99;
        project.windowState["data"] = "none";
        const QDir dir(autosave.path());
        io::saveProject(project, dir.filePath(QStringLiteral("dead.stepwise-project")).toStdString());
        io::saveProject(project, dir.filePath(QStringLiteral("alive.stepwise-project")).toStdString());
        auto marker = [&](const QString& id, qint64 pid) {
            QJsonObject object;
            object[QStringLiteral("pid")] = pid;
            object[QStringLiteral("project")] = dir.filePath(QStringLiteral("saved.stepwise-project"));
            object[QStringLiteral("name")] = QStringLiteral("saved.stepwise-project");
            object[QStringLiteral("runs")] = 0;
            QFile file(dir.filePath(id + QStringLiteral(".autosave.json")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QJsonDocument(object).toJson());
        };
        marker(QStringLiteral("dead"), deadPid);
        marker(QStringLiteral("alive"), QCoreApplication::applicationPid());

        const auto found = ui::ProjectDocument::recoverableSessions(autosave.path());
        QCOMPARE(found.size(), 1);
        QCOMPARE(QFileInfo(found.front().projectFile).fileName(), QStringLiteral("dead.stepwise-project"));
        QCOMPARE(found.front().name, QStringLiteral("saved.stepwise-project"));

        MainWizard wizard(false);
        wizard.project()->setAutosaveDir(autosave.path());
        QString prompt;
        answerRecovery(QStringLiteral("discardButton"), &prompt);
        QVERIFY(!wizard.projectActions()->offerRecovery());
        QVERIFY2(prompt.contains(QStringLiteral("saved.stepwise-project, 0 runs")), qPrintable(prompt));
        QCOMPARE(filesIn(autosave.path()),
                 QStringList({QStringLiteral("alive.autosave.json"), QStringLiteral("alive.stepwise-project")}));
        QCOMPARE(wizard.session()->recipe().seed, workflow::Recipe{}.seed);
        QVERIFY(!wizard.project()->isModified());
    }
};

int main(int argc, char** argv)
{
    if (argc > 1 && std::strcmp(argv[1], kChildArgument) == 0) {
        QApplication app(argc, argv);
        return runChild();
    }
    QApplication app(argc, argv);
    TestCrashRecovery test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_crash_recovery.moc"
