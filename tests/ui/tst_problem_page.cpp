// The Problem page's latency budget driven through its widgets: the check box and the
// spin box edit `problem.maxLatencyMs` (off by default, 10 ms when first switched on, the
// value kept while it is off), the page follows the session when the budget changes
// elsewhere, typed decimals survive in it and in the success threshold, the recipe summary
// and the guidance say what is measured, and a budget does not make a trained result stale. With STEPWISE_TEST_PICTURES=DIR the page is saved there
// as a picture to look at.
#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QDoubleSpinBox>
#include <QLabel>

#include "pages/problem_page.hpp"
#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/misconceptions.hpp"
#include "widgets/recipe_summary.hpp"
#include "widgets/status_banner.hpp"
#include "wizard/main_wizard.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;

class TestProblemPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void theLatencyBudgetEditsTheRecipe()
    {
        MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        ui::ProblemPage* page = wizard.problemPage();
        QCheckBox* check = page->latencyCheck();
        QDoubleSpinBox* spin = page->latencySpin();

        // Off by default: no budget, the spin box waits with a common value.
        QVERIFY(!session->recipe().problem.maxLatencyMs);
        QVERIFY(!check->isChecked());
        QVERIFY(!spin->isEnabled());
        QCOMPARE(spin->value(), 10.0);
        QCOMPARE(spin->suffix(), QStringLiteral(" ms"));
        QVERIFY(spin->minimum() > 0.0);

        QSignalSpy changed(session, &ui::Session::recipeChanged);
        clickBox(check);
        QVERIFY(check->isChecked());
        QVERIFY(spin->isEnabled());
        QCOMPARE(session->recipe().problem.maxLatencyMs, std::optional<double>(10.0));
        QVERIFY(changed.size() >= 1);

        // Typing a value edits the budget when typing ends (Enter or leaving the field).
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        spin->setFocus();
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("2.5"));
        QCOMPARE(spin->text(), QStringLiteral("2.5 ms"));
        QTest::keyClick(spin, Qt::Key_Return);
        QCOMPARE(session->recipe().problem.maxLatencyMs, std::optional<double>(2.5));
        const auto* summary = page->findChild<ui::RecipeSummary*>();
        QVERIFY(summary);
        bool summarised = false;
        for (const QLabel* label : summary->findChildren<QLabel*>())
            summarised = summarised || label->text().contains(QStringLiteral("one row within 2.5 ms"));
        QVERIFY(summarised);

        // The guidance says what is measured.
        bool explained = false;
        for (const QLabel* label : page->findChildren<QLabel*>())
            explained = explained || (label->text().contains(QStringLiteral("99th percentile")) &&
                                      label->text().contains(QStringLiteral("one at a time")));
        QVERIFY(explained);

        savePicture(wizard.grab().toImage(), QStringLiteral("problem-page.png"));

        // Off clears the budget and keeps the value for next time.
        clickBox(check);
        QVERIFY(!session->recipe().problem.maxLatencyMs);
        QVERIFY(!spin->isEnabled());
        QCOMPARE(spin->value(), 2.5);
        clickBox(check);
        QCOMPARE(session->recipe().problem.maxLatencyMs, std::optional<double>(2.5));

        // The page follows edits made elsewhere (a loaded project, the session itself).
        session->setMaxLatency(7.0);
        QVERIFY(check->isChecked());
        QCOMPARE(spin->value(), 7.0);
        workflow::ProblemStatement problem = session->recipe().problem;
        problem.maxLatencyMs.reset();
        session->setProblem(problem);
        QVERIFY(!check->isChecked());
        QVERIFY(!spin->isEnabled());

        // The success threshold takes typed decimals the same way (the page refreshing under
        // the cursor used to turn "0." into "0.000").
        QCheckBox* success = page->findChild<QCheckBox*>(QStringLiteral("successCheck"));
        QDoubleSpinBox* threshold = page->findChild<QDoubleSpinBox*>(QStringLiteral("thresholdSpin"));
        clickBox(success);
        QVERIFY(session->recipe().problem.success);
        threshold->setFocus();
        threshold->selectAll();
        QTest::keyClicks(threshold, QStringLiteral("0.85"));
        QCOMPARE(threshold->text(), QStringLiteral("0.85"));
        QTest::keyClick(threshold, Qt::Key_Return);
        QCOMPARE(session->recipe().problem.success->threshold, 0.85);

        // Setting the same budget again changes nothing.
        session->setMaxLatency(7.0);
        changed.clear();
        session->setMaxLatency(7.0);
        QCOMPARE(changed.size(), 0);
    }

    void theConstraintsEditTheRecipe()
    {
        MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        ui::ProblemPage* page = wizard.problemPage();
        QComboBox* interpretability = page->interpretabilityCombo();
        QComboBox* retraining = page->retrainingCombo();
        QLabel* note = page->findChild<QLabel*>(QStringLiteral("interpretabilityNote"));
        QVERIFY(note);
        QCOMPARE(session->recipe().problem.interpretability, workflow::Interpretability::Unspecified);
        QCOMPARE(interpretability->currentData().toString(), QStringLiteral("unspecified"));
        QVERIFY(!note->text().contains(QStringLiteral("shallow")) && !note->text().contains(QStringLiteral("max_depth")));

        interpretability->setCurrentIndex(interpretability->findData(QStringLiteral("required")));
        QCOMPARE(session->recipe().problem.interpretability, workflow::Interpretability::Required);
        // "Required" says which models fit.
        QVERIFY(note->text().contains(QStringLiteral("logistic regression")));
        QVERIFY(note->text().contains(QStringLiteral("max_depth ≤ 4")));
        QVERIFY(note->text().contains(QStringLiteral("Random forests, gradient boosting and kNN do not")));

        retraining->setCurrentIndex(retraining->findData(QStringLiteral("monthly")));
        QCOMPARE(session->recipe().problem.retraining, workflow::RetrainingCadence::Monthly);

        // The page follows the session.
        session->setInterpretability(workflow::Interpretability::Preferred);
        session->setRetraining(workflow::RetrainingCadence::Daily);
        QCOMPARE(interpretability->currentData().toString(), QStringLiteral("preferred"));
        QCOMPARE(retraining->currentData().toString(), QStringLiteral("daily"));
        QSignalSpy changed(session, &ui::Session::recipeChanged);
        session->setRetraining(workflow::RetrainingCadence::Daily);
        QCOMPARE(changed.size(), 0);
    }

    void theMetricGuideRecommendsAndApplies()
    {
        MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        ui::ProblemPage* page = wizard.problemPage();
        data::DataSource source;
        source.kind = data::DataSourceKind::Builtin;
        source.location = "titanic";
        QSignalSpy profiled(session, &ui::Session::profileChanged);
        session->loadData(source);
        QTRY_VERIFY_WITH_TIMEOUT(session->classCounts().size() == 2, 30000);
        // Titanic: 342 of 891 survived (38.4 %), both mistakes alike → accuracy.
        QComboBox* mistake = page->mistakeCombo();
        QCOMPARE(mistake->count(), 3);
        QTRY_VERIFY(page->metricAdvice().contains(QStringLiteral("38.4 %")));
        QVERIFY(page->metricAdvice().contains(QStringLiteral("<b>Accuracy</b>")));
        mistake->setCurrentIndex(mistake->findData(int(workflow::MistakeCost::MissedPositives)));
        QVERIFY(page->metricAdvice().contains(QStringLiteral("Recall (macro)")));
        QVERIFY(page->metricAdvice().contains(QStringLiteral("Missing a real case")));
        QVERIFY(!session->recipe().problem.success);
        QPushButton* apply = page->applyAdviceButton();
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(session->recipe().problem.success);
        QCOMPARE(session->recipe().problem.success->metric, std::string("recall_macro"));
        QVERIFY(session->recipe().problem.success->atLeast);
        QCOMPARE(page->findChild<QComboBox*>(QStringLiteral("metricCombo"))->currentData().toString(),
                 QStringLiteral("recall_macro"));
        QVERIFY(!apply->isEnabled());  // already the success metric

        // A regression asks about the size of errors instead.
        session->setTask(core::TaskType::Regression);
        QCOMPARE(mistake->count(), 2);
        mistake->setCurrentIndex(mistake->findData(int(workflow::MistakeCost::LargeErrors)));
        QVERIFY(page->metricAdvice().contains(QStringLiteral("RMSE")));
    }

    void theProblemStatementExportsAsJson()
    {
        MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        ui::ProblemPage* page = wizard.problemPage();
        QVERIFY(page->findChild<QPushButton*>(QStringLiteral("exportProblemButton")));
        session->setObjective(QStringLiteral("Who survives the Titanic?"));
        session->setTarget(QStringLiteral("survived"));
        session->setSuccess(evaluation::parseSuccessCriterion("f1_macro>=0.75", core::TaskType::Classification));
        session->setMaxLatency(3.0);
        session->setInterpretability(workflow::Interpretability::Required);
        session->setRetraining(workflow::RetrainingCadence::Quarterly);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("problem.json"));
        QVERIFY(page->exportProblemStatement(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QCOMPARE(written.toStdString(), workflow::problemToJson(session->recipe().problem) + "\n");
        QVERIFY(written.contains("\"interpretability\": \"required\""));
        QVERIFY(written.contains("\"retraining\": \"quarterly\""));
        QVERIFY(written.contains("\"max_latency_ms\": 3.0"));
        QVERIFY(written.contains("Who survives the Titanic?"));
        QVERIFY(page->banner()->text().contains(QStringLiteral("Problem statement saved")));
        // A folder that does not exist: an error on the banner, nothing written.
        const QString bad = dir.filePath(QStringLiteral("missing/problem.json"));
        QVERIFY(!page->exportProblemStatement(bad));
        QVERIFY(page->banner()->hasError());
        QVERIFY(!QFile::exists(bad));
        QTest::qWait(200);  // let the scroll area settle before the picture
        savePicture(wizard.grab().toImage(), QStringLiteral("problem-page-constraints.png"));
    }

    void aBudgetDoesNotMakeAResultStale()
    {
        ui::Session session;
        session.setObjective(QStringLiteral("Latency"));
        data::DataSource source;
        source.kind = data::DataSourceKind::Builtin;
        source.location = "iris";
        QSignalSpy loaded(&session, &ui::Session::dataChanged);
        session.loadData(source);
        QVERIFY(loaded.wait(30000));
        workflow::Recipe recipe = session.recipe();
        recipe.model.name = "naive_bayes";
        session.editRecipe(recipe, QStringLiteral("fast model"));
        QSignalSpy result(&session, &ui::Session::resultChanged);
        session.train();
        QVERIFY(result.wait(60000));
        QVERIFY(session.hasCurrentResult());
        session.setMaxLatency(0.5);
        QVERIFY(session.hasCurrentResult());
        session.setMaxLatency(std::nullopt);
        QVERIFY(session.hasCurrentResult());
        // Neither do the other constraints: they judge the model, they do not train it.
        session.setInterpretability(workflow::Interpretability::Required);
        session.setRetraining(workflow::RetrainingCadence::Weekly);
        QVERIFY(session.hasCurrentResult());
        QVERIFY(!session.latencyVerdict());
    }

private:
    /// Clicks the box itself: a check box only reacts on its indicator and its text.
    static void clickBox(QCheckBox* box) { QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(6, box->height() / 2)); }

    static void savePicture(const QImage& image, const QString& name)
    {
        const QString folder = qEnvironmentVariable("STEPWISE_TEST_PICTURES");
        if (folder.isEmpty())
            return;
        QDir().mkpath(folder);
        QVERIFY(image.save(QDir(folder).filePath(name)));
    }
};

QTEST_MAIN(TestProblemPage)
#include "tst_problem_page.moc"
