// The GUI under a decimal-comma locale at a non-ASCII path. The process starts with
// LC_ALL=de_DE.UTF-8 (built with localedef into a private LOCPATH before QApplication
// exists, so QApplication's own setlocale(LC_ALL, "") picks it up, as on a German desktop;
// the test fails when the locale cannot be built). A CSV with '.' decimals at
// "données/Überblick 日本 😀.csv" loads as numbers, trains, and the report saved from the
// GUI is byte for byte the report saved with the C library in the "C" locale; the project
// saved beside it reads back with the same data path and recipe.
#include <QtTest>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include "report/evaluation_report.hpp"
#include "session/project_document.hpp"
#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/project.hpp"

using namespace stepwise;

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString g_localeError;  // why the locale could not be made, checked by initTestCase

} // namespace

class TestGuiLocale : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY2(g_localeError.isEmpty(), qPrintable(g_localeError));
        QVERIFY(m_dir.isValid());
        // QApplication set the C library to the user's locale: a comma.
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%.1f", 0.5);
        QCOMPARE(QByteArray(buffer), QByteArray("0,5"));
    }

    void pointDecimalsLoadTrainAndReportAsUnderC()
    {
        const QString folder = m_dir.filePath(QStringLiteral("données"));
        QVERIFY(QDir().mkpath(folder));
        const QString csv = QDir(folder).filePath(QStringLiteral("Überblick 日本 😀.csv"));
        QVERIFY(QFile::copy(QStringLiteral(STEPWISE_DATASETS_DIR "/titanic.csv"), csv));

        ui::Session session;
        ui::ProjectDocument document(&session);  // before training: it records the run
        session.setObjective(QStringLiteral("Wer überlebt?"));
        const data::DataSource source = data::parseDataLocation(csv.toStdString());
        session.loadData(source);
        QVERIFY(QTest::qWaitFor([&] { return !session.isLoading() && session.table(); }, 30000));
        const data::Table& table = *session.table();
        const data::Column& fare = table.column("fare");
        QVERIFY(fare.isNumeric());
        QCOMPARE(fare.values().at(0), 7.25);
        session.setTarget(QStringLiteral("survived"));
        QSignalSpy trained(&session, &ui::Session::resultChanged);
        session.train();
        QVERIFY(trained.wait(120000));
        QVERIFY(session.result());

        const ui::EvaluationReportInput input = ui::evaluationReportInput(session);
        const QString underComma = QDir(folder).filePath(QStringLiteral("rapport de.html"));
        ui::writeEvaluationReportHtml(input, underComma);
        const QByteArray previous = std::setlocale(LC_ALL, nullptr);
        std::setlocale(LC_ALL, "C");
        const QString underC = QDir(folder).filePath(QStringLiteral("rapport C.html"));
        ui::writeEvaluationReportHtml(input, underC);
        std::setlocale(LC_ALL, previous.constData());
        const QByteArray comma = readAll(underComma);
        QVERIFY(!comma.isEmpty());
        QCOMPARE(comma, readAll(underC));

        const QString projectPath = QDir(folder).filePath(QStringLiteral("projet 😀.stepwise-project"));
        QString error;
        QVERIFY2(document.saveAs(projectPath, &error), qPrintable(error));
        const io::Project project = io::loadProject(std::filesystem::path(projectPath.toStdString()));
        QCOMPARE(QString::fromStdString(project.recipe.data.location), csv);
        QCOMPARE(project.recipe.problem.target, std::string("survived"));
        QCOMPARE(project.runs.size(), std::size_t(1));
        QVERIFY(std::filesystem::exists(std::filesystem::path(project.recipe.data.location)));
    }
};

int main(int argc, char** argv)
{
    // Before QApplication: it calls setlocale(LC_ALL, "") from the environment.
    const QString locales = QDir::temp().filePath(QStringLiteral("stepwise-gui-locale-%1").arg(getpid()));
    QDir().mkpath(locales);
    const QByteArray target = QDir(locales).filePath(QStringLiteral("de_DE.UTF-8")).toUtf8();
    const QByteArray command = "localedef -i de_DE -f UTF-8 '" + target + "' >/dev/null 2>&1";
    const int status = std::system(command.constData());
    if (!QFile::exists(QString::fromUtf8(target) + QStringLiteral("/LC_NUMERIC")))
        g_localeError = QStringLiteral("localedef could not build de_DE.UTF-8 (status %1) — install the Debian "
                                       "package `locales`")
                            .arg(status);
    qputenv("LOCPATH", locales.toUtf8());
    qputenv("LC_ALL", "de_DE.UTF-8");
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestGuiLocale test;
    const int failures = QTest::qExec(&test, argc, argv);
    QDir(locales).removeRecursively();
    return failures;
}

#include "tst_gui_locale.moc"
