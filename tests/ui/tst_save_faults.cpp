// Saving from the window into a folder that cannot take the file: a full file system (a
// 1 MB tmpfs filled up, as root; else a file-size limit, RLIMIT_FSIZE) and a read-only one
// (a tmpfs remounted read-only, as root; else a 0555 folder). Save project shows a box
// naming the file and the OS reason and saying the file on disk is unchanged; Save As
// returns the same error and keeps the project's file; the project stays modified, the
// previous file is byte for byte what it was and no temporary file is left. Save model
// on the Export page says the same in the page's banner and keeps the saved model.
#include <QtTest>

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>

#include <csignal>
#include <functional>
#include <memory>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pages/export_page.hpp"
#include "session/project_document.hpp"
#include "session/session.hpp"
#include "widgets/export/model_file_section.hpp"
#include "widgets/status_banner.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/project_actions.hpp"

#include "session_support.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;

namespace {

/// Clicks OK in the next message box that opens and records its text.
void answerNextBox(QString* text)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, text] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            return;
        *text = box->text() + QLatin1Char('\n') + box->informativeText();
        timer->stop();
        timer->deleteLater();
        box->button(QMessageBox::Ok)->click();
    });
    timer->start();
}

QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList entries(const QString& folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

/// The two faults, each made the strongest way this process can.
enum class Fault { Full, ReadOnly };

/// A folder in which saving fails with `fault`, for the scope: a tmpfs (root) or, failing
/// that, a file-size limit (full) or a 0555 folder (read-only). `arm` starts the fault
/// once the previous files are in place; `disarm` ends it (the destructor too).
class FaultyFolder {
public:
    FaultyFolder(const QString& folder, Fault fault) : m_folder(folder), m_fault(fault)
    {
        QDir().mkpath(folder);
        m_mounted = ::geteuid() == 0 &&
                    ::mount("stepwise-test", folder.toLocal8Bit().constData(), "tmpfs", 0, "size=1m,mode=0755") == 0;
    }
    ~FaultyFolder()
    {
        disarm();
        if (m_mounted && ::umount(m_folder.toLocal8Bit().constData()) != 0)
            ::umount2(m_folder.toLocal8Bit().constData(), MNT_DETACH);
    }
    /// False when this process can make no such fault (root without mount rights for a
    /// read-only folder).
    bool possible() const { return m_mounted || m_fault == Fault::Full || ::geteuid() != 0; }
    /// The OS reason the save is expected to give.
    QString reason() const
    {
        if (m_fault == Fault::Full)
            return m_mounted ? QStringLiteral("No space left on device") : QStringLiteral("File too large");
        return m_mounted ? QStringLiteral("Read-only file system") : QStringLiteral("Permission denied");
    }
    void arm()
    {
        const QByteArray path = m_folder.toLocal8Bit();
        if (m_fault == Fault::Full && m_mounted) {
            const int fd = ::open(QDir(m_folder).filePath(QStringLiteral("filler")).toLocal8Bit().constData(),
                                  O_WRONLY | O_CREAT, 0644);
            const QByteArray block(1 << 16, '\0');
            for (int size = block.size(); size > 0;)
                if (::write(fd, block.constData(), static_cast<std::size_t>(size)) < 0)
                    size /= 2;
            ::close(fd);
        } else if (m_fault == Fault::Full) {
            ::getrlimit(RLIMIT_FSIZE, &m_savedLimit);
            m_savedHandler = std::signal(SIGXFSZ, SIG_IGN);
            rlimit none = m_savedLimit;
            none.rlim_cur = 0;
            ::setrlimit(RLIMIT_FSIZE, &none);
            m_limited = true;
        } else if (m_mounted) {
            ::mount("stepwise-test", path.constData(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr);
        } else {
            QFile::setPermissions(m_folder, QFile::ReadOwner | QFile::ExeOwner);
        }
    }
    void disarm()
    {
        if (m_limited) {
            ::setrlimit(RLIMIT_FSIZE, &m_savedLimit);
            std::signal(SIGXFSZ, m_savedHandler);
            m_limited = false;
        }
        if (m_fault == Fault::ReadOnly && !m_mounted)
            QFile::setPermissions(m_folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

private:
    QString m_folder;
    Fault m_fault;
    bool m_mounted = false;
    bool m_limited = false;
    rlimit m_savedLimit{};
    void (*m_savedHandler)(int) = SIG_DFL;
};

} // namespace

class TestSaveFaults : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWizard> m_wizard;

    /// Trains once more and waits until the run is recorded (the project is then modified).
    bool trainOnce()
    {
        QSignalSpy runs(m_wizard->project(), &ui::ProjectDocument::runsChanged);
        m_wizard->session()->train();
        return runs.wait(60000) && m_wizard->project()->isModified();
    }

    void projectSave(Fault fault, const QString& name)
    {
        const QString folder = m_dir.filePath(name);
        FaultyFolder faulty(folder, fault);
        if (!faulty.possible())
            QSKIP("root cannot mount here and ignores permission bits");
        ui::ProjectDocument* project = m_wizard->project();
        const QString file = QDir(folder).filePath(QStringLiteral("iris.stepwise-project"));
        QString error;
        QVERIFY2(project->saveAs(file, &error), qPrintable(error));
        const QByteArray before = contents(file);
        QVERIFY(trainOnce());
        const std::size_t runs = project->runs().size();

        faulty.arm();
        const QStringList present = entries(folder);
        // Save (Ctrl+S): a box with the file, the reason, and that nothing on disk changed.
        QString box;
        answerNextBox(&box);
        m_wizard->projectActions()->saveAction()->trigger();
        QVERIFY2(box.contains(file), qPrintable(box));
        QVERIFY2(box.contains(faulty.reason()), qPrintable(box));
        QVERIFY2(box.contains(QStringLiteral("The file on disk is unchanged")), qPrintable(box));
        // Save As another file there: the same error; the project keeps its file.
        const QString other = QDir(folder).filePath(QStringLiteral("other.stepwise-project"));
        error.clear();
        QVERIFY(!project->saveAs(other, &error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot write ") + other + QStringLiteral(": ")), qPrintable(error));
        QVERIFY2(error.contains(faulty.reason()), qPrintable(error));
        QCOMPARE(project->filePath(), file);
        faulty.disarm();

        // Nothing lost: still modified, every run there, the old file whole, no debris.
        QVERIFY(project->isModified());
        QVERIFY(m_wizard->isWindowModified());
        QCOMPARE(project->runs().size(), runs);
        QCOMPARE(contents(file), before);
        QCOMPARE(entries(folder), present);
    }

    void modelSave(Fault fault, const QString& name)
    {
        const QString folder = m_dir.filePath(name);
        FaultyFolder faulty(folder, fault);
        if (!faulty.possible())
            QSKIP("root cannot mount here and ignores permission bits");
        ui::Session* session = m_wizard->session();
        QVERIFY(m_wizard->goToStep(MainWizard::ExportId));
        ui::ModelFileSection* section = m_wizard->exportPage()->modelFileSection();
        const QString file = QDir(folder).filePath(QStringLiteral("iris.stepwise"));
        QSignalSpy saved(session, &ui::Session::savedModelChanged);
        QVERIFY(section->saveTo(file));
        QVERIFY(saved.wait(30000));
        QCOMPARE(session->savedModelPath(), file);
        const QByteArray before = contents(file);

        faulty.arm();
        const QStringList present = entries(folder);
        QSignalSpy failed(session, &ui::Session::modelSaveFailed);
        QVERIFY(section->saveTo(QDir(folder).filePath(QStringLiteral("iris.stepwise"))));
        QVERIFY(failed.wait(30000));
        faulty.disarm();
        const QString banner = m_wizard->exportPage()->banner()->text();
        QVERIFY(m_wizard->exportPage()->banner()->hasError());
        QVERIFY2(banner.contains(QStringLiteral("The model was not saved")), qPrintable(banner));
        QVERIFY2(banner.contains(file), qPrintable(banner));
        QVERIFY2(banner.contains(faulty.reason()), qPrintable(banner));
        QCOMPARE(session->savedModelPath(), file);
        QCOMPARE(contents(file), before);
        QCOMPARE(entries(folder), present);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        qputenv("STEPWISE_AUTOSAVE_DIR", m_dir.filePath(QStringLiteral("autosave")).toLocal8Bit());
        m_wizard = std::make_unique<MainWizard>(false);
        m_wizard->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_wizard.get()));
        QVERIFY(test::loadBuiltin(*m_wizard->session(), "iris", QStringLiteral("Tell iris species apart")));
        QVERIFY(trainOnce());
    }

    void cleanupTestCase() { m_wizard.reset(); }

    void projectIntoAFullFolder() { projectSave(Fault::Full, QStringLiteral("full-project")); }
    void projectIntoAReadOnlyFolder() { projectSave(Fault::ReadOnly, QStringLiteral("read-only-project")); }
    void modelIntoAFullFolder() { modelSave(Fault::Full, QStringLiteral("full-model")); }
    void modelIntoAReadOnlyFolder() { modelSave(Fault::ReadOnly, QStringLiteral("read-only-model")); }
};

QTEST_MAIN(TestSaveFaults)
#include "tst_save_faults.moc"
