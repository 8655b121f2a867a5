// The Export page driven through its sections on a real training run (titanic, logistic
// regression): the model file saves plain and encrypted (the encrypted one loads back
// only with its passphrase; mismatched passphrases disable Save and say why; the SHA-256
// shown is the file's, hashed here independently) and a failed save keeps the saved
// file; ONNX is checked before a file is chosen and the written file passes
// onnx.checker; the Python script (its CSV beside it for a built-in dataset) runs in
// scikit-learn and scores within a point of Stepwise; the model card is written as
// Markdown and HTML and previewed; a CSV without an input column lists that issue and
// scores nothing, a good CSV scores with the progress bar at 100 % and the predictions
// equal FittedPipeline::predict, Cancel scores nothing; the prediction server started
// from the page answers /health, refuses a request without the token, answers the
// page's own curl line with the prediction of that row, counts the requests, starts
// again on the same port after Stop and refuses connections once stopped; a busy port
// is said in the banner. With STEPWISE_SCREENSHOT_DIR set, the window is saved as
// 07-export-test.png.
#include <QtTest>

#include <QCheckBox>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextBrowser>

#include <memory>

#include "pages/export_page.hpp"
#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/model_archive.hpp"
#include "stepwise/io/model_card.hpp"
#include "stepwise/io/report.hpp"
#include "tasks/background_task.hpp"
#include "widgets/export/model_card_section.hpp"
#include "widgets/export/model_file_section.hpp"
#include "widgets/export/onnx_section.hpp"
#include "widgets/export/python_section.hpp"
#include "widgets/export/scoring_section.hpp"
#include "widgets/export/server_section.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"
#include "wizard/main_wizard.hpp"

#include "session_support.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;

namespace {

bool loadBuiltin(ui::Session& session, const char* name)
{
    return test::loadBuiltin(session, name, QStringLiteral("Export a model"));
}

bool train(ui::Session& session, const workflow::ModelChoice& model)
{
    workflow::Recipe recipe = session.recipe();
    recipe.model = model;
    session.editRecipe(recipe, QStringLiteral("model"));
    QSignalSpy result(&session, &ui::Session::resultChanged);
    session.train();
    return result.wait(120000) && session.result();
}

/// Waits until `task` has run and is idle again; true when it succeeded.
bool waitIdle(ui::BackgroundTask* task, int timeoutMs = 60000)
{
    return QTest::qWaitFor([task] { return !task->isRunning(); }, timeoutMs) &&
           task->state() == ui::BackgroundTask::State::Succeeded;
}

QString sha256OfFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return QString::fromLatin1(hash.result().toHex());
}

QString readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

/// Splits a command line as a POSIX shell would for the quoting the page uses: words
/// separated by spaces, '…' quoted, '\'' for a quote inside.
QStringList shellWords(const QString& line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('\''))
                quoted = false;
            else
                word += c;
        } else if (c == QLatin1Char('\'')) {
            quoted = true;
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < line.size()) {
            word += line[++i];
            inWord = true;
        } else if (c == QLatin1Char(' ')) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words << word;
    return words;
}

struct Reply {
    int status = 0;
    QByteArray body;
};

Reply httpRequest(QNetworkAccessManager& network, const QString& method, const QUrl& url,
                  const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body = {})
{
    QNetworkRequest request(url);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply* reply = method == QLatin1String("GET") ? network.get(request) : network.post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    Reply result;
    if (reply->isFinished() || finished.wait(10000)) {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
    }
    reply->deleteLater();
    return result;
}

} // namespace

class TestExportPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_wizard = std::make_unique<MainWizard>(false);
        m_wizard->resize(1280, 800);
        m_wizard->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_wizard.get()));
        ui::Session* session = m_wizard->session();
        QVERIFY(loadBuiltin(*session, "titanic"));
        QVERIFY(train(*session, {"logistic_regression", {}}));
        QVERIFY(m_wizard->goToStep(MainWizard::ExportId));
        m_page = m_wizard->exportPage();
    }

    void cleanupTestCase() { m_wizard.reset(); }

    void savesPlainAndEncrypted()
    {
        ui::Session* session = m_wizard->session();
        ui::ModelFileSection* section = m_page->modelFileSection();
        QVERIFY(!m_wizard->button(QWizard::FinishButton)->isEnabled());
        QVERIFY(section->saveButton()->isEnabled());

        const QString plain = m_dir.filePath(QStringLiteral("plain.stepwise"));
        QSignalSpy saved(session, &ui::Session::savedModelChanged);
        QVERIFY(section->saveTo(plain));
        QVERIFY(saved.wait(30000));
        QCOMPARE(session->savedModelPath(), plain);
        QVERIFY(m_wizard->button(QWizard::FinishButton)->isEnabled());
        QVERIFY2(section->fileFacts().contains(sha256OfFile(plain)), qPrintable(section->fileFacts()));
        QVERIFY(section->fileFacts().contains(QStringLiteral("not encrypted")));
        const auto table = session->table();
        const auto original = session->result()->pipeline->predict(*table);
        QVERIFY(io::loadModel(plain.toStdString())->predict(*table).classIndex == original.classIndex);

        // Encryption: the passphrase twice; a mismatch disables Save and says so.
        section->encryptBox()->setChecked(true);
        QVERIFY(section->passphraseEdit()->isVisible());
        QVERIFY(!section->saveButton()->isEnabled());
        QTest::keyClicks(section->passphraseEdit(), QStringLiteral("correct horse"));
        QTest::keyClicks(section->confirmEdit(), QStringLiteral("correct hose"));
        QVERIFY(!section->saveButton()->isEnabled());
        QVERIFY2(section->blockedReason().contains(QStringLiteral("differ")), qPrintable(section->blockedReason()));
        QVERIFY(section->findChild<QLabel*>(QStringLiteral("passphraseNote"))->text().contains(QStringLiteral("differ")));
        const QString encrypted = m_dir.filePath(QStringLiteral("encrypted.stepwise"));
        QVERIFY(!section->saveTo(encrypted));
        QVERIFY(!QFileInfo::exists(encrypted));
        section->confirmEdit()->clear();
        QTest::keyClicks(section->confirmEdit(), QStringLiteral("correct horse"));
        QVERIFY(section->saveButton()->isEnabled());
        QVERIFY(section->saveTo(encrypted));
        QVERIFY(saved.wait(30000));
        QCOMPARE(session->savedModelPath(), encrypted);
        QVERIFY(session->savedModelInfo().encrypted);
        QVERIFY(section->fileFacts().contains(QStringLiteral("· encrypted")));
        QVERIFY(section->fileFacts().contains(sha256OfFile(encrypted)));
        QVERIFY(io::readModelFileInfo(encrypted.toStdString()).encrypted);
        const auto reloaded = io::loadModel(encrypted.toStdString(), std::string("correct horse"));
        QVERIFY(reloaded->predict(*table).classIndex == original.classIndex);
        QVERIFY_THROWS_EXCEPTION(core::PassphraseError, io::loadModel(encrypted.toStdString()));
        QVERIFY_THROWS_EXCEPTION(core::PassphraseError, io::loadModel(encrypted.toStdString(), std::string("wrong")));
        section->encryptBox()->setChecked(false);
    }

    void exportsOnnx()
    {
        ui::OnnxSection* section = m_page->onnxSection();
        QVERIFY(QTest::qWaitFor([section] { return section->isChecked(); }, 60000));
        QVERIFY2(section->problem().isEmpty(), qPrintable(section->problem()));
        QVERIFY(section->exportButton()->isEnabled());
        const QString path = m_dir.filePath(QStringLiteral("titanic.onnx"));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(section->exportTo(path));
        QVERIFY(waitIdle(section->exportTask()));
        qInfo("ONNX export: %lld ms, %lld bytes", clock.elapsed(), QFileInfo(path).size());
        QCOMPARE(section->lastPath(), path);
        QVERIFY(QFileInfo(path).size() > 0);
        QVERIFY(section->findChild<QLabel*>(QStringLiteral("onnxStatus"))->text().contains(QStringLiteral("titanic.onnx")));
        const QString checker = QStringLiteral(STEPWISE_SOURCE_DIR "/tests/onnx/check_model.py");
        if (!QFileInfo::exists(checker) || !QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
            QSKIP("tests/onnx/check_model.py or /usr/bin/python3 is not available");
        QProcess process;
        process.start(QStringLiteral("/usr/bin/python3"), {checker, path});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    }

    void exportsPythonAndCard()
    {
        ui::Session* session = m_wizard->session();
        const auto pipeline = session->result()->pipeline;

        ui::PythonSection* python = m_page->pythonSection();
        const QString script = m_dir.filePath(QStringLiteral("titanic.py"));
        QVERIFY(python->exportTo(script));
        QVERIFY(waitIdle(python->task()));
        const QString code = readText(script);
        QVERIFY(code.contains(QStringLiteral("sklearn")));
        // A built-in dataset: its rows are written beside the script, which reads them.
        const QString csv = m_dir.filePath(QStringLiteral("titanic.csv"));
        QCOMPARE(ui::dataCsvBeside(script, session->resultRecipe().data), csv);
        QCOMPARE(python->lastDataPath(), csv);
        QVERIFY2(code.contains(QStringLiteral("\"titanic.csv\"")), qPrintable(code.left(2000)));
        const data::Table rows = data::loadTable(data::parseDataLocation(csv.toStdString()));
        QCOMPARE(rows.rowCount(), session->table()->rowCount());
        QCOMPARE(rows.columnNames(), session->table()->columnNames());
        // The script retrains in scikit-learn on the same split and scores within a point.
        if (QFileInfo::exists(QStringLiteral("/usr/bin/python3"))) {
            QProcess run;
            run.setWorkingDirectory(QDir::tempPath());
            run.start(QStringLiteral("/usr/bin/python3"), {script});
            QVERIFY(run.waitForFinished(120000));
            const QString printed = QString::fromUtf8(run.readAllStandardOutput());
            QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
            static const QRegularExpression accuracyLine(QStringLiteral("^accuracy: ([0-9.]+)"),
                                                         QRegularExpression::MultilineOption);
            const auto match = accuracyLine.match(printed);
            QVERIFY2(match.hasMatch(), qPrintable(printed));
            const double ours = session->result()->classification->accuracy;
            qInfo("Python script accuracy %s, Stepwise %.4f", qPrintable(match.captured(1)), ours);
            QVERIFY(std::abs(match.captured(1).toDouble() - ours) <= 0.01);
        }

        ui::ModelCardSection* card = m_page->modelCardSection();
        QVERIFY(QTest::qWaitFor([card] { return !card->markdown().isEmpty(); }, 30000));
        QCOMPARE(card->markdown(), QString::fromStdString(io::modelCardMarkdown(*pipeline)));
        QVERIFY(card->preview()->toPlainText().contains(QStringLiteral("survived")));
        const QString markdown = m_dir.filePath(QStringLiteral("card.md"));
        QVERIFY(card->exportTo(markdown));
        QVERIFY(waitIdle(card->exportTask()));
        QCOMPARE(readText(markdown), card->markdown());
        const QString html = m_dir.filePath(QStringLiteral("card.html"));
        QVERIFY(card->exportTo(html));
        QVERIFY(waitIdle(card->exportTask()));
        const QString page = readText(html);
        QVERIFY(page.contains(QStringLiteral("<html"), Qt::CaseInsensitive));
        QVERIFY(page.contains(QStringLiteral("survived")));
    }

    void aMissingColumnIsListedAndNothingScored()
    {
        ui::Session* session = m_wizard->session();
        const auto pipeline = session->result()->pipeline;
        const std::string dropped = pipeline->inputColumns().front().name;
        const QString path = m_dir.filePath(QStringLiteral("missing-column.csv"));
        data::writeCsvFile(session->table()->withoutColumns({dropped}), path.toStdString());

        ui::ScoringSection* section = m_page->scoringSection();
        QSignalSpy scored(section, &ui::ScoringSection::scored);
        QVERIFY(section->scoreFile(path));
        QVERIFY(scored.wait(60000));
        QVERIFY(!section->schemaCheck().canScore());
        QVERIFY(!section->predictions());
        bool listed = false;
        for (int i = 0; i < section->issuesList()->count(); ++i) {
            const QListWidgetItem* item = section->issuesList()->item(i);
            if (item->text().contains(QString::fromStdString(dropped)) && item->data(Qt::UserRole).toBool())
                listed = true;
        }
        QVERIFY2(listed, qPrintable(QString::fromStdString(dropped)));
        QVERIFY(section->issuesList()->isVisible());
        QVERIFY(!section->previewTable()->isVisible());
        QVERIFY(!section->saveButton()->isEnabled());
        QVERIFY(!section->savePredictionsTo(m_dir.filePath(QStringLiteral("none.csv"))));
    }

    void aGoodCsvScoresWithProgress()
    {
        ui::Session* session = m_wizard->session();
        const auto pipeline = session->result()->pipeline;
        const QString path = m_dir.filePath(QStringLiteral("good.csv"));
        data::writeCsvFile(*session->table(), path.toStdString());

        ui::ScoringSection* section = m_page->scoringSection();
        auto* bar = section->progressPanel()->findChild<QProgressBar*>();
        QVERIFY(bar);
        QSignalSpy scored(section, &ui::ScoringSection::scored);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(section->scoreFile(path));
        QVERIFY(section->progressPanel()->isVisible());
        QVERIFY(scored.wait(60000));
        QVERIFY(waitIdle(section->task()));
        qInfo("Scoring %zu rows: %lld ms", session->table()->rowCount(), clock.elapsed());
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(section->schemaCheck().canScore());
        QVERIFY(section->predictions());
        const data::Table reread = data::loadTable(data::parseDataLocation(path.toStdString()));
        const workflow::Predictions expected = pipeline->predict(reread);
        QVERIFY(section->predictions()->classIndex == expected.classIndex);
        QVERIFY(section->predictions()->proba.isApprox(expected.proba, 1e-12));
        QCOMPARE(section->previewTable()->rowCount(), ui::ScoringSection::kPreviewRows);
        QCOMPARE(section->previewTable()->item(0, 2)->text(),
                 QString::fromStdString(io::predictedText(*pipeline, expected, 0)));

        const QString out = m_dir.filePath(QStringLiteral("predictions.csv"));
        QVERIFY(section->saveButton()->isEnabled());
        QVERIFY(section->savePredictionsTo(out));
        QVERIFY(waitIdle(section->saveTask()));
        const QStringList lines = readText(out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), int(reread.rowCount()) + 1);
        QVERIFY2(lines.front().startsWith(QStringLiteral("row,actual,predicted,proba_")), qPrintable(lines.front()));
    }

    void cancelledScoringScoresNothing()
    {
        ui::Session* session = m_wizard->session();
        const QString path = m_dir.filePath(QStringLiteral("cancelled.csv"));
        data::writeCsvFile(*session->table(), path.toStdString());
        ui::ScoringSection* section = m_page->scoringSection();
        QVERIFY(section->scoreFile(path));
        QVERIFY(section->progressPanel()->cancelButton()->isEnabled());
        QTest::mouseClick(section->progressPanel()->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([section] { return !section->task()->isRunning(); }, 30000));
        QCOMPARE(section->task()->state(), ui::BackgroundTask::State::Cancelled);
        QVERIFY(!section->predictions());
        QVERIFY(!section->saveButton()->isEnabled());
        QVERIFY(section->scoreButton()->isEnabled());
        QVERIFY(section->findChild<QLabel*>(QStringLiteral("scoringSummary"))->text().contains(QStringLiteral("cancelled")));
    }

    void aFailedSaveKeepsTheSavedModel()
    {
        ui::Session* session = m_wizard->session();
        const QString before = session->savedModelPath();
        QVERIFY(!before.isEmpty());
        const QString bytes = sha256OfFile(before);
        QSignalSpy failed(session, &ui::Session::modelSaveFailed);
        QVERIFY(m_page->modelFileSection()->saveTo(m_dir.filePath(QStringLiteral("no/such/folder/model.stepwise"))));
        QVERIFY(failed.wait(30000));
        QCOMPARE(session->savedModelPath(), before);
        QCOMPARE(sha256OfFile(before), bytes);
        QVERIFY(m_page->banner()->hasError());
        QVERIFY2(m_page->banner()->text().contains(QStringLiteral("The model was not saved")),
                 qPrintable(m_page->banner()->text()));
        QVERIFY(m_wizard->button(QWizard::FinishButton)->isEnabled());
    }

    void serverAnswersTheCurlLineAndFreesItsPort()
    {
        ui::Session* session = m_wizard->session();
        const auto pipeline = session->result()->pipeline;
        ui::ServerSection* section = m_page->serverSection();
        QCOMPARE(section->portSpin()->value(), 8080);
        QVERIFY(section->curlCommand().contains(QStringLiteral("http://127.0.0.1:8080/predict")));
        // Any free port, so the test never collides with a server already running here.
        section->portSpin()->setValue(0);
        section->tokenEdit()->setText(QStringLiteral("s3cret-token"));
        QSignalSpy running(section, &ui::ServerSection::runningChanged);
        QTest::mouseClick(section->startButton(), Qt::LeftButton);
        QVERIFY(running.wait(30000));
        QVERIFY(section->isRunning());
        const int port = section->port();
        QVERIFY(port > 0);
        QVERIFY(section->statusText().contains(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        QVERIFY(section->stopButton()->isEnabled());
        QVERIFY(!section->startButton()->isEnabled());

        QNetworkAccessManager network;
        const QByteArray bearer = "Bearer s3cret-token";
        const Reply health = httpRequest(network, QStringLiteral("GET"),
                                         QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(port)),
                                         {{"Authorization", bearer}});
        QCOMPARE(health.status, 200);
        QCOMPARE(QJsonDocument::fromJson(health.body).object().value(QStringLiteral("status")).toString(),
                 QStringLiteral("ok"));
        const Reply refused = httpRequest(network, QStringLiteral("GET"),
                                          QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(port)), {});
        QCOMPARE(refused.status, 401);

        // The curl line as shown: URL, headers and body, sent as curl would send them.
        const QStringList words = shellWords(section->curlCommand());
        QCOMPARE(words.value(0), QStringLiteral("curl"));
        QString url;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        for (int i = 1; i < words.size(); ++i) {
            if (words[i] == QLatin1String("-H") && i + 1 < words.size()) {
                const QString header = words[++i];
                const int colon = int(header.indexOf(QLatin1Char(':')));
                headers.append({header.left(colon).toUtf8(), header.mid(colon + 1).trimmed().toUtf8()});
            } else if (words[i] == QLatin1String("-d") && i + 1 < words.size()) {
                body = words[++i].toUtf8();
            } else if (words[i] == QLatin1String("-X") && i + 1 < words.size()) {
                QCOMPARE(words[++i], QStringLiteral("POST"));
            } else if (words[i].startsWith(QLatin1String("http"))) {
                url = words[i];
            }
        }
        QCOMPARE(url, QStringLiteral("http://127.0.0.1:%1/predict").arg(port));
        QVERIFY(headers.contains(qMakePair(QByteArray("Authorization"), bearer)));
        QJsonParseError parseError;
        const QJsonDocument request = QJsonDocument::fromJson(body, &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
        const QJsonObject row = request.object().value(QStringLiteral("rows")).toArray().at(0).toObject();
        QCOMPARE(row.size(), int(pipeline->inputColumns().size()));
        const Reply predicted = httpRequest(network, QStringLiteral("POST"), QUrl(url), headers, body);
        QVERIFY2(predicted.status == 200, predicted.body.constData());
        const QJsonArray predictions =
            QJsonDocument::fromJson(predicted.body).object().value(QStringLiteral("predictions")).toArray();
        QCOMPARE(predictions.size(), 1);
        // The row is the first test row: the server predicts what the pipeline does.
        const std::size_t testRow = session->result()->testRows.front();
        const auto expected = pipeline->predict(session->table()->selectRows({testRow}));
        const QString expectedLabel = QString::fromStdString(io::predictedText(*pipeline, expected, 0));
        const QJsonValue got = predictions.at(0);
        QCOMPARE(got.isString() ? got.toString() : QString::number(got.toDouble()), expectedLabel);

        // The counters reach the status line within a poll or two.
        QVERIFY2(QTest::qWaitFor([section] { return section->statusText().contains(QStringLiteral("3 requests")); },
                                 3000),
                 qPrintable(section->statusText()));
        QVERIFY(section->statusText().contains(QStringLiteral("1 error ")));
        if (!qEnvironmentVariableIsEmpty("STEPWISE_SCREENSHOT_DIR")) {
            const QString folder = qEnvironmentVariable("STEPWISE_SCREENSHOT_DIR");
            QDir().mkpath(folder);
            QTest::qWait(200);
            QVERIFY(m_wizard->grab().save(QDir(folder).filePath(QStringLiteral("07-export-test.png")), "PNG"));
        }

        // Stop frees the port: the page starts again on it, and once stopped nothing
        // listens there (connections are refused).
        QTest::mouseClick(section->stopButton(), Qt::LeftButton);
        QVERIFY(running.wait(30000));
        QVERIFY(!section->isRunning());
        QVERIFY(section->startButton()->isEnabled());
        QVERIFY(section->statusText().startsWith(QStringLiteral("Stopped")));
        section->portSpin()->setValue(port);
        QVERIFY(section->start());
        QVERIFY(running.wait(30000));
        QVERIFY2(section->isRunning(), qPrintable(m_page->banner()->text()));
        QCOMPARE(section->port(), port);
        section->stop();
        QVERIFY(running.wait(30000));
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY(!client.waitForConnected(3000));
        QCOMPARE(client.error(), QAbstractSocket::ConnectionRefusedError);
    }

    void aBusyPortIsSaidInTheBanner()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        ui::ServerSection* section = m_page->serverSection();
        section->portSpin()->setValue(blocker.serverPort());
        QVERIFY(section->start());
        QVERIFY(QTest::qWaitFor([section] { return !section->startTask()->isRunning(); }, 30000));
        QCOMPARE(section->startTask()->state(), ui::BackgroundTask::State::Failed);
        QVERIFY(!section->isRunning());
        QVERIFY(m_page->banner()->hasError());
        QVERIFY2(m_page->banner()->text().contains(QStringLiteral("did not start")), qPrintable(m_page->banner()->text()));
        QVERIFY(section->startButton()->isEnabled());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWizard> m_wizard;
    ui::ExportPage* m_page = nullptr;
};

QTEST_MAIN(TestExportPage)
#include "tst_export_page.moc"
