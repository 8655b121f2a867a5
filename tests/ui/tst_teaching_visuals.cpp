// The teaching visuals on real data: the fold diagram on the Training page's CV tab shows
// the folds the engine cuts (row by row, for stratified, k-fold and time-series folds,
// following recipe changes), steps through them on its timer and by hand, and stands
// still under reduced motion; the Evaluation page explains each confusion-matrix cell of
// a titanic result with its counts, on click and on hover; the threshold explanation's
// numbers are the matrix's at that threshold, and the sweep moves the threshold from 0 to
// 1. With STEPWISE_SCREENSHOT_DIR set, each visual is saved as a PNG.
#include <QtTest>

#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>

#include "models/confusion_matrix_model.hpp"
#include "pages/evaluation_page.hpp"
#include "pages/training_page.hpp"
#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/fold_preview.hpp"
#include "tasks/background_task.hpp"
#include "tasks/evaluation_curves.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/teaching/confusion_explanation.hpp"
#include "widgets/teaching/fold_diagram.hpp"
#include "widgets/threshold_view.hpp"
#include "wizard/main_wizard.hpp"

#include "session_support.hpp"

using namespace stepwise;
using stepwise::ui::FoldDiagram;
using stepwise::ui::MainWizard;

namespace {

bool loadBuiltin(ui::Session& session, const char* name)
{
    return test::loadBuiltin(session, name, QStringLiteral("Teach cross-validation"));
}

void screenshot(QWidget* widget, const char* name)
{
    const QString folder = qEnvironmentVariable("STEPWISE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    QTest::qWait(200);
    const QString path = QDir(folder).filePath(QString::fromLatin1(name));
    QVERIFY2(widget->grab().save(path, "PNG"), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
}

// Sets the cross-validation (and the time column) and waits for the diagram to show
// folds cut from that recipe.
bool showFolds(ui::Session& session, ui::FoldDiagramPanel* panel, const std::string& cv,
               const std::string& timeColumn = {})
{
    workflow::Recipe recipe = session.recipe();
    recipe.crossValidation = evaluation::parseCvSpec(cv);
    recipe.prep.timeColumn = timeColumn;
    session.editRecipe(recipe, QStringLiteral("cv"));
    const evaluation::CvSpec wanted = *recipe.crossValidation;
    return QTest::qWaitFor(
        [&] {
            const auto& shown = panel->diagram()->preview();
            return !panel->task()->isRunning() && shown && shown->spec == wanted && shown->timeColumn == timeColumn;
        },
        20000);
}

// The diagram shows the engine's folds of the session's recipe, row by row.
void checkAgainstEngine(const ui::Session& session, const FoldDiagram* diagram)
{
    core::TaskControl control;
    const workflow::FoldPreview engine = workflow::previewFolds(session.recipe(), *session.table(), control);
    const auto& shown = *diagram->preview();
    QVERIFY(shown.rows == engine.rows);
    QVERIFY(shown.testFold == engine.testFold);
    QVERIFY(shown.rowClass == engine.rowClass);
    QCOMPARE(diagram->foldCount(), int(engine.folds.size()));
    for (int f = 0; f < diagram->foldCount(); ++f) {
        const evaluation::Fold& fold = engine.folds[std::size_t(f)];
        for (std::size_t p = 0; p < engine.rows.size(); ++p) {
            const bool test = std::binary_search(fold.test.begin(), fold.test.end(), p);
            const bool train = std::binary_search(fold.train.begin(), fold.train.end(), p);
            const FoldDiagram::RowRole role = diagram->roleIn(f, p);
            QVERIFY2(test == (role == FoldDiagram::RowRole::Test), qPrintable(QStringLiteral("fold %1 row %2").arg(f).arg(p)));
            QVERIFY2(train == (role == FoldDiagram::RowRole::Train), qPrintable(QStringLiteral("fold %1 row %2").arg(f).arg(p)));
        }
    }
}

// Positive (class 1) when p > threshold, counted from the result's probabilities.
struct Counts {
    std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
};
Counts countAt(const workflow::RunResult& run, double threshold)
{
    Counts c;
    for (std::size_t i = 0; i < run.testActualClass.size(); ++i) {
        const bool positive = run.testActualClass[i] == 1;
        const bool predicted = run.testPredictions.proba(Eigen::Index(i), 1) > threshold;
        (positive ? (predicted ? c.tp : c.fn) : (predicted ? c.fp : c.tn)) += 1;
    }
    return c;
}

QString ratio(std::int64_t part, std::int64_t whole)
{
    return QStringLiteral("%1 / %2 = %3").arg(part).arg(whole).arg(QString::number(double(part) / double(whole), 'f', 3));
}

} // namespace

class TestTeachingVisuals : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void foldDiagramShowsTheEnginesFolds()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "titanic"));
        QCOMPARE(session->recipe().problem.target, std::string("survived"));
        wizard.resize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY(wizard.goToStep(MainWizard::TrainingId));
        ui::TrainingPage* page = wizard.trainingPage();
        page->setupTabs()->setCurrentIndex(ui::TrainingPage::ValidationTab);
        // The CV tab's button opens the Folds tab beside it.
        auto* showButton = page->findChild<QPushButton*>(QStringLiteral("showFoldsButton"));
        QVERIFY(showButton && showButton->isVisible());
        showButton->click();
        QCOMPARE(page->resultTabs()->currentIndex(), int(ui::TrainingPage::FoldsTab));
        auto* panel = page->findChild<ui::FoldDiagramPanel*>();
        QVERIFY(panel && panel->isVisible());
        QVERIFY(panel);
        FoldDiagram* diagram = panel->diagram();
        diagram->setAnimationEnabled(true);

        QVERIFY(showFolds(*session, panel, "stratified:5"));
        CHECKED(checkAgainstEngine(*session, diagram));
        const auto& shown = *diagram->preview();
        QVERIFY(shown.fromRecipe);
        QCOMPARE(shown.rows.size() + shown.testRows + shown.validationRows, std::size_t(891));
        // Animated: it starts at fold 1 and plays; the timer moves it to fold 2.
        QCOMPARE(diagram->currentFold(), 0);
        QVERIFY(diagram->isPlaying());
        QVERIFY(diagram->caption().startsWith(QStringLiteral("Fold 1 of 5: %1 rows test, %2 train — each class keeps its share")
                                                  .arg(shown.folds[0].test.size())
                                                  .arg(shown.folds[0].train.size())));
        QTRY_COMPARE_WITH_TIMEOUT(diagram->currentFold(), 1, 5000);
        QVERIFY(diagram->caption().startsWith(QStringLiteral("Fold 2 of 5: %1 rows test").arg(shown.folds[1].test.size())));
        CHECKED(screenshot(page, "teaching-folds-stratified.png"));
        // By hand: next pauses and steps, previous steps back, the last wraps to the first.
        diagram->nextButton()->click();
        QVERIFY(!diagram->isPlaying());
        QCOMPARE(diagram->currentFold(), 2);
        diagram->previousButton()->click();
        QCOMPARE(diagram->currentFold(), 1);
        diagram->setCurrentFold(4);
        diagram->step();
        QCOMPARE(diagram->currentFold(), 0);
        diagram->stepBack();
        QCOMPARE(diagram->currentFold(), 4);
        for (std::size_t p = 0; p < shown.rows.size(); ++p)
            QCOMPARE(diagram->roleAt(p) == FoldDiagram::RowRole::Test, shown.testFold[p] == 4);

        // Reduced motion: all folds at once, still, no play button.
        diagram->setAnimationEnabled(false);
        QCOMPARE(diagram->currentFold(), -1);
        QVERIFY(!diagram->isPlaying());
        QVERIFY(diagram->playButton()->isHidden());
        diagram->play();
        QVERIFY(!diagram->isPlaying());
        QVERIFY(diagram->caption().startsWith(
            QStringLiteral("5 folds of %1 training rows: every row is tested exactly once").arg(shown.rows.size())));
        CHECKED(screenshot(page, "teaching-folds-all.png"));

        // A recipe change re-cuts the folds: plain k-fold, consecutive blocks.
        QVERIFY(showFolds(*session, panel, "kfold:4"));
        CHECKED(checkAgainstEngine(*session, diagram));
        QCOMPARE(diagram->foldCount(), 4);
        diagram->setCurrentFold(1);
        QVERIFY(diagram->caption().contains(QStringLiteral("one block of consecutive rows")));

        // A time column with gaps in it is the engine's error, shown in place of the folds.
        QVERIFY(!showFolds(*session, panel, "timeseries:4:2", "age"));
        QVERIFY(!diagram->preview());
        QCOMPARE(panel->task()->state(), ui::BackgroundTask::State::Failed);
    }

    void timeSeriesFoldsShowTheGap()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "mpg"));
        QCOMPARE(session->recipe().problem.target, std::string("mpg"));
        wizard.resize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY(wizard.goToStep(MainWizard::TrainingId));
        ui::TrainingPage* page = wizard.trainingPage();
        page->resultTabs()->setCurrentIndex(ui::TrainingPage::FoldsTab);
        auto* panel = page->findChild<ui::FoldDiagramPanel*>();
        QVERIFY(panel);
        FoldDiagram* diagram = panel->diagram();
        diagram->setAnimationEnabled(true);
        QVERIFY(showFolds(*session, panel, "timeseries:4:3", "model_year"));
        CHECKED(checkAgainstEngine(*session, diagram));
        const auto& shown = *diagram->preview();
        QVERIFY(std::is_sorted(shown.time.begin(), shown.time.end()));
        diagram->setCurrentFold(2);
        const evaluation::Fold& fold = shown.folds[2];
        for (std::size_t p = 0; p < shown.rows.size(); ++p) {
            FoldDiagram::RowRole expected = FoldDiagram::RowRole::Unused;
            if (p <= fold.train.back())
                expected = FoldDiagram::RowRole::Train;
            else if (p < fold.test.front())
                expected = FoldDiagram::RowRole::Gap;
            else if (p <= fold.test.back())
                expected = FoldDiagram::RowRole::Test;
            QVERIFY2(diagram->roleAt(p) == expected, qPrintable(QString::number(p)));
        }
        QCOMPARE(fold.test.front() - fold.train.back() - 1, std::size_t(3));
        QCOMPARE(diagram->caption(),
                 QStringLiteral("Fold 3 of 4: trains on the oldest %1 rows, skips the next 3 (the gap), tests on the %2 "
                                "rows after them — never on the past.\nThe %3 held-out test rows and 0 validation rows "
                                "are in no fold.")
                     .arg(fold.train.size())
                     .arg(fold.test.size())
                     .arg(shown.testRows));
        diagram->pause();
        CHECKED(screenshot(page, "teaching-folds-timeseries.png"));
    }

    void confusionCellsAndThresholdAreExplained()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "titanic"));
        workflow::Recipe recipe = session->recipe();
        recipe.model = {"logistic_regression", {}};
        session->editRecipe(recipe, QStringLiteral("model"));
        QSignalSpy trained(session, &ui::Session::resultChanged);
        session->train();
        QVERIFY(trained.wait(120000) && session->result());
        const auto run = session->result();
        const auto& m = run->classification->confusion;
        wizard.resize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY(wizard.goToStep(MainWizard::EvaluationId));
        ui::EvaluationPage* page = wizard.evaluationPage();
        QLabel* explanation = page->cellExplanation();
        QVERIFY(explanation->text().isEmpty());

        const auto click = [&](int row, int column) {
            QTest::mouseClick(page->matrix(), Qt::LeftButton, {}, page->matrix()->cellRect(row, column).center().toPoint());
            return explanation->text();
        };
        const std::int64_t actual0 = m[0][0] + m[0][1], actual1 = m[1][0] + m[1][1];
        const std::int64_t predicted0 = m[0][0] + m[1][0], predicted1 = m[0][1] + m[1][1];
        QCOMPARE(click(0, 1), QStringLiteral("%1 test rows that are actually survived = 0 were predicted 1 — false "
                                             "positives for class 1 (false alarms). They lower the precision of 1 (%2) "
                                             "and the recall of 0 (%3).")
                                  .arg(m[0][1])
                                  .arg(ratio(m[1][1], predicted1), ratio(m[0][0], actual0)));
        QCOMPARE(click(1, 0), QStringLiteral("%1 test rows that are actually survived = 1 were predicted 0 — false "
                                             "negatives for class 1 (misses). They lower the precision of 0 (%2) and "
                                             "the recall of 1 (%3).")
                                  .arg(m[1][0])
                                  .arg(ratio(m[0][0], predicted0), ratio(m[1][1], actual1)));
        QCOMPARE(click(1, 1), QStringLiteral("%1 test rows that are actually survived = 1 were predicted 1 — true "
                                             "positives: class 1 rightly found. They make the recall of 1: %1 of its %2 "
                                             "rows are found (%3) and the precision of 1: %1 of the rows predicted 1 are "
                                             "right (%4).")
                                  .arg(m[1][1])
                                  .arg(actual1)
                                  .arg(ratio(m[1][1], actual1), ratio(m[1][1], predicted1)));
        QVERIFY(click(0, 0).startsWith(
            QStringLiteral("%1 test rows that are actually survived = 0 were predicted 0 — true negatives").arg(m[0][0])));
        // Pointing at another cell explains that one; leaving goes back to the clicked one.
        QTest::mouseMove(page->matrix(), page->matrix()->cellRect(0, 1).center().toPoint());
        QVERIFY(explanation->text().contains(QStringLiteral("false positives")));
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(page->matrix(), &leave);
        QVERIFY(explanation->text().contains(QStringLiteral("true negatives")));
        click(0, 1);
        CHECKED(screenshot(&wizard, "teaching-confusion-cell.png"));

        // The threshold explanation: its numbers are the matrix's at that threshold.
        ui::ThresholdView* view = page->thresholdView();
        QTRY_VERIFY_WITH_TIMEOUT(view->hasData(), 20000);
        page->tabs()->setCurrentIndex(ui::EvaluationPage::ThresholdTab);
        const Counts half = countAt(*run, 0.5);
        const std::int64_t rows = half.tp + half.fp + half.fn + half.tn;
        QVERIFY(view->explanationLabel()->text().contains(QStringLiteral("That is the saved model's reading at 0.5")));
        for (double t : {0.7, 0.3}) {
            view->setThreshold(t);
            const Counts at = countAt(*run, t);
            const auto& point = view->point();
            QCOMPARE(point.truePositives, at.tp);
            QCOMPARE(point.falsePositives, at.fp);
            const QString text = view->explanationLabel()->text();
            QVERIFY2(text.startsWith(QStringLiteral("At threshold %1, %2 of the %3 test rows are predicted “1” "
                                                    "(P(survived = 1) > %1).")
                                         .arg(QString::number(t, 'f', 3))
                                         .arg(at.tp + at.fp)
                                         .arg(rows)),
                     qPrintable(text));
            const std::int64_t flipped = std::abs((at.tp + at.fp) - (half.tp + half.fp));
            QVERIFY(flipped > 0);
            if (t > 0.5)
                QVERIFY2(text.contains(QStringLiteral("%1 rows flipped from “1” to “0”: %2 of them really are “0” "
                                                      "(false alarms avoided) and %3 really are “1” (now missed).")
                                           .arg(flipped)
                                           .arg(half.fp - at.fp)
                                           .arg(half.tp - at.tp)),
                         qPrintable(text));
            else
                QVERIFY2(text.contains(QStringLiteral("%1 rows flipped from “0” to “1”: %2 of them really are “1” "
                                                      "(found now) and %3 really are “0” (new false alarms).")
                                           .arg(flipped)
                                           .arg(at.tp - half.tp)
                                           .arg(at.fp - half.fp)),
                         qPrintable(text));
            const double precision = double(at.tp) / double(at.tp + at.fp);
            const double recall = double(at.tp) / double(at.tp + at.fn);
            QVERIFY(text.contains(QStringLiteral("→ %1, recall").arg(QString::number(precision, 'f', 3))));
            QVERIFY(text.contains(QStringLiteral("→ %1:").arg(QString::number(recall, 'f', 3))));
        }
        view->setThreshold(0.7);
        CHECKED(screenshot(&wizard, "teaching-threshold.png"));

        // The sweep: 0 at the start, the matrix at every step, 1 at the end.
        QVariantAnimation* sweep = view->sweepAnimation();
        view->sweepButton()->click();
        QCOMPARE(sweep->state(), QAbstractAnimation::Running);
        QCOMPARE(view->sweepButton()->text(), QStringLiteral("Stop sweep"));
        sweep->setCurrentTime(sweep->duration() / 4);
        QVERIFY(std::abs(view->threshold() - 0.25) < 1e-9);
        const Counts quarter = countAt(*run, view->threshold());
        QCOMPARE(view->point().truePositives, quarter.tp);
        QCOMPARE(view->point().falsePositives, quarter.fp);
        QTRY_COMPARE_WITH_TIMEOUT(sweep->state(), QAbstractAnimation::Stopped, 15000);
        QCOMPARE(view->threshold(), 1.0);
        QCOMPARE(view->sweepButton()->text(), QStringLiteral("Sweep 0 → 1"));
    }

    void reducedMotionIsRespected()
    {
        qputenv("STEPWISE_REDUCED_MOTION", "1");
        const auto restore = qScopeGuard([] { qunsetenv("STEPWISE_REDUCED_MOTION"); });
        QVERIFY(ui::prefersReducedMotion());

        // The fold diagram starts still, on every fold at once, and never plays.
        workflow::Recipe recipe;
        recipe.problem.target = "species";
        recipe.crossValidation = evaluation::parseCvSpec("stratified:3");
        const data::Table iris = data::loadTable(data::parseDataLocation("builtin:iris"));
        core::TaskControl control;
        FoldDiagram diagram;
        QVERIFY(!diagram.animationEnabled());
        diagram.show();
        diagram.setPreview(std::make_shared<const workflow::FoldPreview>(workflow::previewFolds(recipe, iris, control)));
        QCOMPARE(diagram.currentFold(), -1);
        QVERIFY(!diagram.isPlaying());
        diagram.play();
        QVERIFY(!diagram.isPlaying());
        diagram.nextButton()->click();
        QCOMPARE(diagram.currentFold(), 0);
        QCOMPARE(diagram.fade()->state(), QAbstractAnimation::Stopped);

        // The sweep jumps in tenths instead of gliding.
        const std::vector<bool> positive = {false, false, true, false, true, true};
        const std::vector<double> score = {0.1, 0.35, 0.4, 0.55, 0.8, 0.95};
        ui::ThresholdView view;
        view.setData(std::make_shared<const evaluation::ThresholdAnalysis>(positive, score), ui::ClassCurves{},
                     {QStringLiteral("no"), QStringLiteral("yes")}, QStringLiteral("bought"));
        view.sweepButton()->click();
        view.sweepAnimation()->setCurrentTime(view.sweepAnimation()->duration() * 37 / 100);
        QCOMPARE(view.threshold(), 0.3);
        QCOMPARE(view.point().truePositives, 3);
        QCOMPARE(view.point().falsePositives, 2);
        QVERIFY2(view.explanationLabel()->text().startsWith(
                     QStringLiteral("At threshold 0.300, 5 of the 6 test rows are predicted “yes” (P(bought = yes) > "
                                    "0.300). Compared with 0.5, 2 rows flipped from “no” to “yes”: 1 of them really are "
                                    "“yes” (found now) and 1 really are “no” (new false alarms).")),
                 qPrintable(view.explanationLabel()->text()));
        view.sweepButton()->click();
        QCOMPARE(view.sweepAnimation()->state(), QAbstractAnimation::Stopped);
        // One row between the thresholds: told in the singular.
        view.setThreshold(0.37);
        QVERIFY2(view.explanationLabel()->text().contains(
                     QStringLiteral("Compared with 0.5, 1 row flipped from “no” to “yes”: it really is “yes” (found now).")),
                 qPrintable(view.explanationLabel()->text()));
        view.setThreshold(0.6);
        QVERIFY2(view.explanationLabel()->text().contains(QStringLiteral(
                     "Compared with 0.5, 1 row flipped from “yes” to “no”: it really is “no” (a false alarm avoided).")),
                 qPrintable(view.explanationLabel()->text()));
    }

    void cellExplanationForMoreClasses()
    {
        const std::vector<std::vector<std::int64_t>> m = {{10, 2, 0}, {1, 8, 3}, {0, 4, 12}};
        const QStringList names = {QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")};
        QCOMPARE(ui::explainConfusionCell(m, names, QStringLiteral("species"), 1, 2),
                 QStringLiteral("3 test rows that are actually species = versicolor were predicted virginica — false "
                                "positives for class virginica and false negatives for class versicolor. They lower the "
                                "precision of virginica (12 / 15 = 0.800) and the recall of versicolor (8 / 12 = 0.667)."));
        QVERIFY(ui::explainConfusionCell(m, names, {}, 0, 0)
                    .startsWith(QStringLiteral("10 test rows that are actually class setosa were predicted setosa — "
                                               "correct predictions of class setosa.")));
        QVERIFY(ui::explainConfusionCell(m, names, {}, 3, 0).isEmpty());
    }
};

QTEST_MAIN(TestTeachingVisuals)
#include "tst_teaching_visuals.moc"
