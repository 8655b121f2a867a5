// `stepwise-cli run PROJECT` replays a project the GUI saved and reproduces the GUI
// session's numbers exactly: every metric of the report equals the session's own result
// (the same report function over the GUI's result), and the run the project recorded.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include "session/project_document.hpp"
#include "session/session.hpp"
#include "stepwise/io/project.hpp"
#include "stepwise/io/report.hpp"
#include "wizard/main_wizard.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;

namespace {

/// `value` without its wall-clock fields ("fit_s"): the only numbers a replay may change.
QJsonValue withoutTimings(const QJsonValue& value)
{
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it) {
            if (it.key() != QStringLiteral("fit_s"))
                object.insert(it.key(), withoutTimings(it.value()));
        }
        return object;
    }
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue& item : value.toArray())
            array.append(withoutTimings(item));
        return array;
    }
    return value;
}

} // namespace

class TestProjectReplay : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void cliRunEqualsTheGuiResult()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        session->setObjective(QStringLiteral("Who survives?"));
        data::DataSource titanic;
        titanic.kind = data::DataSourceKind::Builtin;
        titanic.location = "titanic";
        session->loadData(titanic);
        QTRY_VERIFY_WITH_TIMEOUT(session->table() && !session->isLoading(), 30000);
        session->setSeed(7);
        session->setModel({"random_forest", {{"n_estimators", "60"}, {"max_depth", "6"}}});
        workflow::Recipe recipe = session->recipe();
        recipe.compareWith = {{"logistic_regression", {}}};
        recipe.crossValidation = evaluation::CvSpec{};
        session->editRecipe(recipe, QStringLiteral("Compare and cross-validate"));
        QSignalSpy runs(wizard.project(), &ui::ProjectDocument::runsChanged);
        session->train();
        QVERIFY(runs.wait(120000));
        QVERIFY(session->hasCurrentResult());
        const QString project = dir.filePath(QStringLiteral("titanic.stepwise-project"));
        QVERIFY(wizard.project()->saveAs(project));

        const QString report = dir.filePath(QStringLiteral("replay.json"));
        QProcess cli;
        cli.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        cli.start(QStringLiteral(STEPWISE_CLI), {QStringLiteral("run"), project, QStringLiteral("--report"), report,
                                                 QStringLiteral("--quiet")});
        QVERIFY(cli.waitForFinished(300000));
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli.exitCode(), 0);
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject replayed = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject gui =
            QJsonDocument::fromJson(QByteArray::fromStdString(io::reportJson(session->resultRecipe(), *session->result())))
                .object();

        const QJsonObject metrics = replayed.value(QStringLiteral("metrics")).toObject();
        QVERIFY(!metrics.isEmpty());
        QCOMPARE(metrics, gui.value(QStringLiteral("metrics")).toObject());
        // The numbers side by side with the session's result itself, to the last bit.
        const auto& classification = *session->result()->classification;
        QCOMPARE(metrics.value(QStringLiteral("accuracy")).toDouble(), classification.accuracy);
        QCOMPARE(metrics.value(QStringLiteral("f1_macro")).toDouble(), classification.f1Macro);
        // So do the fold scores, the leaderboard and the training scores (their timings aside).
        for (const char* key : {"cv", "leaderboard", "train_metrics"}) {
            QVERIFY2(replayed.contains(QLatin1String(key)), key);
            QCOMPARE(withoutTimings(replayed.value(QLatin1String(key))), withoutTimings(gui.value(QLatin1String(key))));
        }
        // And the run the project recorded holds the same scores.
        const io::RunRecord& run = wizard.project()->runs().back();
        for (const auto& score : run.metrics) {
            const QString name = QString::fromStdString(score.metric);
            if (metrics.contains(name))
                QCOMPARE(metrics.value(name).toDouble(), score.value);
        }
    }
};

QTEST_MAIN(TestProjectReplay)
#include "tst_project_replay.moc"
