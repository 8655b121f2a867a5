// The Evaluation page driven through its widgets on real training runs: the threshold
// slider and spin box give the confusion matrix and rates counted here from the result's
// probabilities (and at 0.5 the result's own matrix), "Maximise F1" and "Recall ≥ x" land
// on the best thresholds found here by brute force over every cut of the scores, clicking
// a heatmap cell (or arrows + Enter) lists exactly the test rows with that
// actual/predicted pair (with the data row's own target value, also after other data is
// loaded), the column-% mode shows column shares, the curves overlay every trained model
// with a legend that hides a curve in all three charts, the verdict fails a score that
// passes when the latency budget does not, and multiclass, regression and a model without
// probabilities build without the tabs they cannot fill. With STEPWISE_SCREENSHOT_DIR set,
// the window is saved as 06-evaluation-*.png at 1280 × 800.
#include <QtTest>

#include <QAbstractButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>

#include <algorithm>
#include <cmath>
#include <set>

#include "models/confusion_matrix_model.hpp"
#include "models/test_rows_model.hpp"
#include "pages/evaluation_page.hpp"
#include "report/evaluation_report.hpp"
#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/evaluation/success.hpp"
#include "tasks/background_task.hpp"
#include "widgets/charts/curve_chart.hpp"
#include "widgets/curves_view.hpp"
#include "widgets/evaluation/importance_view.hpp"
#include "widgets/evaluation/residuals_view.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/threshold_view.hpp"
#include "widgets/verdict_badge.hpp"
#include "wizard/main_wizard.hpp"

#include "session_support.hpp"

using namespace stepwise;
using stepwise::ui::EvaluationPage;
using stepwise::ui::MainWizard;

namespace {

bool loadBuiltin(ui::Session& session, const char* name)
{
    return test::loadBuiltin(session, name, QStringLiteral("Evaluate a model"));
}

/// Trains `model` (and `compared`) on the loaded data and waits for the result.
bool train(ui::Session& session, const workflow::ModelChoice& model,
           const std::vector<workflow::ModelChoice>& compared = {})
{
    workflow::Recipe recipe = session.recipe();
    recipe.model = model;
    recipe.compareWith = compared;
    session.editRecipe(recipe, QStringLiteral("models"));
    QSignalSpy result(&session, &ui::Session::resultChanged);
    session.train();
    return result.wait(120000) && session.result();
}

/// The confusion matrix and rates at `threshold`, counted here: positive when p > threshold.
struct Counts {
    std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
    double precision() const { return tp + fp > 0 ? double(tp) / double(tp + fp) : 0.0; }
    double recall() const { return tp + fn > 0 ? double(tp) / double(tp + fn) : 0.0; }
    double f1() const
    {
        const double p = precision(), r = recall();
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
    double specificity() const { return tn + fp > 0 ? double(tn) / double(tn + fp) : 0.0; }
    double accuracy() const { return double(tp + tn) / double(tp + fp + fn + tn); }
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

/// Every distinct way of cutting the scores: "positive from the k-th distinct score up",
/// and nothing positive.
std::vector<Counts> everyCut(const workflow::RunResult& run)
{
    std::set<double> scores;
    for (Eigen::Index i = 0; i < run.testPredictions.proba.rows(); ++i)
        scores.insert(run.testPredictions.proba(i, 1));
    std::vector<Counts> cuts;
    for (double s : scores)
        cuts.push_back(countAt(run, std::nextafter(s, -1.0)));
    cuts.push_back(countAt(run, 1.0));
    return cuts;
}

double rateAt(ui::ThresholdView* view, int row) { return view->ratesTable()->item(row, 1)->data(Qt::UserRole).toDouble(); }

void checkThreshold(ui::ThresholdView* view, const workflow::RunResult& run, double threshold)
{
    QCOMPARE(view->threshold(), threshold);
    const Counts expected = countAt(run, threshold);
    const ui::ConfusionMatrixModel::Matrix matrix = {{expected.tn, expected.fp}, {expected.fn, expected.tp}};
    QVERIFY2(view->matrixModel()->matrix() == matrix, qPrintable(QStringLiteral("threshold %1").arg(threshold)));
    QCOMPARE(rateAt(view, 0), expected.precision());
    QCOMPARE(rateAt(view, 1), expected.recall());
    QVERIFY(std::abs(rateAt(view, 2) - expected.f1()) < 1e-12);
    QCOMPARE(rateAt(view, 3), expected.specificity());
    QVERIFY(std::abs(rateAt(view, 4) - expected.accuracy()) < 1e-12);
    // The marker sits at the matrix's point on both curves.
    const auto roc = view->rocChart()->marker();
    const auto pr = view->precisionRecallChart()->marker();
    QVERIFY(roc && pr);
    QVERIFY(std::abs(roc->x() - double(expected.fp) / double(expected.fp + expected.tn)) < 1e-12);
    QVERIFY(std::abs(roc->y() - expected.recall()) < 1e-12);
    QVERIFY(std::abs(pr->x() - expected.recall()) < 1e-12);
    QVERIFY(std::abs(pr->y() - expected.precision()) < 1e-12);
}

void clickCell(ui::HeatmapWidget* heatmap, int row, int column)
{
    const QRectF cell = heatmap->cellRect(row, column);
    QVERIFY(!cell.isEmpty());
    QTest::mouseClick(heatmap, Qt::LeftButton, {}, cell.center().toPoint());
}

/// The listed rows are exactly the test rows with this actual and predicted class.
void checkCellRows(EvaluationPage* page, const workflow::RunResult& run, const data::Table& table, int actual,
                   int predicted)
{
    std::vector<std::size_t> expected;
    for (std::size_t i = 0; i < run.testActualClass.size(); ++i)
        if (run.testActualClass[i] == actual && run.testPredictions.classIndex[i] == predicted)
            expected.push_back(i);
    QCOMPARE(std::int64_t(expected.size()), run.classification->confusion[std::size_t(actual)][std::size_t(predicted)]);
    ui::TestRowsModel* rows = page->cellRowsModel();
    QCOMPARE(rows->positions(), expected);
    QCOMPARE(rows->rowCount(), int(expected.size()));
    QCOMPARE(page->cellRowsView()->isVisible(), !expected.empty());
    QCOMPARE(page->matrix()->selectedCell(), QPoint(predicted, actual));
    const auto target = table.indexOf(run.pipeline->target());
    QVERIFY(target);
    const QString actualName = QString::fromStdString(run.pipeline->classes()[std::size_t(actual)]);
    const QString predictedName = QString::fromStdString(run.pipeline->classes()[std::size_t(predicted)]);
    for (int r = 0; r < rows->rowCount(); ++r) {
        const std::size_t dataRow = run.testRows[expected[std::size_t(r)]];
        QCOMPARE(rows->dataRow(r), dataRow);
        QCOMPARE(rows->index(r, 0).data().toULongLong(), qulonglong(dataRow));
        // The data columns are the table's own row: its target is the actual class.
        QCOMPARE(rows->index(r, rows->firstDataColumn() + int(*target)).data().toString(), actualName);
        QCOMPARE(rows->index(r, rows->actualColumn()).data().toString(), actualName);
        QCOMPARE(rows->index(r, rows->predictedColumn()).data().toString(), predictedName);
        if (rows->probabilityColumn(0) >= 0)
            QCOMPARE(rows->index(r, rows->probabilityColumn(predicted)).data(Qt::UserRole).toDouble(),
                     run.testPredictions.proba(Eigen::Index(expected[std::size_t(r)]), predicted));
    }
}

void screenshot(QWidget* window, const char* name)
{
    const QString folder = qEnvironmentVariable("STEPWISE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    // Let posted layout and paint events run first.
    QTest::qWait(200);
    const QString path = QDir(folder).filePath(QString::fromLatin1(name));
    QVERIFY2(window->grab().save(path, "PNG"), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
}

EvaluationPage* openEvaluation(MainWizard& wizard)
{
    wizard.resize(1280, 800);
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return nullptr;
    if (!wizard.goToStep(MainWizard::EvaluationId))
        return nullptr;
    return wizard.evaluationPage();
}

} // namespace

class TestEvaluationPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void binaryThresholdCellsAndCurves()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "titanic"));
        QVERIFY(train(*session, {"logistic_regression", {}},
                      {{"decision_tree", {{"max_depth", "4"}}}, {"random_forest", {{"n_estimators", "30"}}}}));
        const auto run = session->result();
        QVERIFY(run->classification && run->testPredictions.proba.cols() == 2);
        QCOMPARE(run->leaderboard.size(), std::size_t(3));
        EvaluationPage* page = openEvaluation(wizard);
        QVERIFY(page);
        QCOMPARE(page->tabs()->count(), 8);
        QVERIFY(page->tabs()->isTabVisible(EvaluationPage::ThresholdTab));
        QVERIFY(page->tabs()->isTabVisible(EvaluationPage::CurvesTab));

        // Overview: every metric, the result's matrix; a cell lists exactly its rows.
        // Two classes: every metric but the three multiclass AUC variants, which equal ROC AUC.
        QCOMPARE(page->metricsTable()->rowCount(),
                 int(evaluation::metricsFor(core::TaskType::Classification).size()) - 3);
        QVERIFY(page->matrixModel()->matrix() == run->classification->confusion);
        QVERIFY(!page->cellRowsView()->isVisible());
        CHECKED(clickCell(page->matrix(), 1, 0));
        CHECKED(checkCellRows(page, *run, *session->table(), 1, 0));
        CHECKED(clickCell(page->matrix(), 1, 1));
        CHECKED(checkCellRows(page, *run, *session->table(), 1, 1));
        page->showCellRows(0, 1);
        CHECKED(checkCellRows(page, *run, *session->table(), 0, 1));
        // The keyboard reaches every cell: arrows move the selection, Enter lists its rows.
        page->matrix()->setFocus();
        QTest::keyClick(page->matrix(), Qt::Key_Left);
        QTest::keyClick(page->matrix(), Qt::Key_Down);
        QCOMPARE(page->matrix()->selectedCell(), QPoint(0, 1));
        QTest::keyClick(page->matrix(), Qt::Key_Return);
        CHECKED(checkCellRows(page, *run, *session->table(), 1, 0));

        // Hover words: the four cells of a binary matrix.
        ui::ConfusionMatrixModel* matrix = page->matrixModel();
        const auto tip = [&](int r, int c) { return matrix->index(r, c).data(Qt::ToolTipRole).toString(); };
        const auto& confusion = run->classification->confusion;
        QVERIFY2(tip(1, 1).startsWith(QStringLiteral("True positives: %1 rows with survived = 1 were predicted as 1")
                                          .arg(confusion[1][1])),
                 qPrintable(tip(1, 1)));
        QVERIFY(tip(0, 0).startsWith(QStringLiteral("True negatives: %1 rows").arg(confusion[0][0])));
        QVERIFY(tip(0, 1).startsWith(QStringLiteral("False positives: %1 rows with survived = 0").arg(confusion[0][1])));
        QVERIFY(tip(1, 0).startsWith(QStringLiteral("False negatives: %1 rows with survived = 1").arg(confusion[1][0])));

        // Column %: each cell is its share of the predicted column.
        auto* columnPercent = page->matrix()->findChild<QToolButton*>(QStringLiteral("columnPercentButton"));
        QVERIFY(columnPercent);
        columnPercent->click();
        QCOMPARE(matrix->mode(), ui::ConfusionMatrixModel::Mode::ColumnNormalized);
        for (int r = 0; r < 2; ++r) {
            for (int c = 0; c < 2; ++c) {
                const double share = double(confusion[r][c]) / double(confusion[0][c] + confusion[1][c]);
                QCOMPARE(matrix->index(r, c).data(ui::HeatmapModel::ValueRole).toDouble(), share);
                QCOMPARE(matrix->index(r, c).data().toString(), ui::cellPercent(share));
            }
        }
        QVERIFY(matrix->footnote().contains(QStringLiteral("precision")));
        CHECKED(screenshot(&wizard, "06-evaluation-binary.png"));
        page->matrix()->findChild<QToolButton*>(QStringLiteral("countsButton"))->click();
        QCOMPARE(matrix->mode(), ui::ConfusionMatrixModel::Mode::Counts);

        // Threshold: at 0.5 the slider reads the probabilities as the model does.
        ui::ThresholdView* threshold = page->thresholdView();
        QTRY_VERIFY_WITH_TIMEOUT(threshold->hasData(), 20000);
        page->tabs()->setCurrentIndex(EvaluationPage::ThresholdTab);
        CHECKED(checkThreshold(threshold, *run, 0.5));
        QVERIFY(threshold->matrixModel()->matrix() == confusion);
        QVERIFY(threshold->findChild<QLabel*>(QStringLiteral("thresholdNote"))->text().contains(QStringLiteral("0.5")));
        // The slider, as a user drags it, and the spin box.
        for (int value : {300, 731, 50, 999, 0, 1000}) {
            threshold->slider()->setValue(value);
            CHECKED(checkThreshold(threshold, *run, value / 1000.0));
            QCOMPARE(threshold->spinBox()->value(), value / 1000.0);
        }
        threshold->spinBox()->setValue(0.25);
        CHECKED(checkThreshold(threshold, *run, 0.25));
        QCOMPARE(threshold->slider()->value(), 250);
        QTest::keyClick(threshold->slider(), Qt::Key_Right);
        CHECKED(checkThreshold(threshold, *run, 0.251));

        // Maximise F1: no cut of the scores has a higher F1.
        const std::vector<Counts> cuts = everyCut(*run);
        double bestF1 = 0.0;
        for (const Counts& cut : cuts)
            bestF1 = std::max(bestF1, cut.f1());
        QTest::mouseClick(threshold->maximiseF1Button(), Qt::LeftButton);
        CHECKED(checkThreshold(threshold, *run, threshold->threshold()));
        QVERIFY2(std::abs(threshold->point().f1 - bestF1) < 1e-12,
                 qPrintable(QStringLiteral("%1 vs %2").arg(threshold->point().f1).arg(bestF1)));
        QVERIFY(threshold->threshold() != 0.5);
        CHECKED(screenshot(&wizard, "06b-evaluation-threshold.png"));

        // Recall ≥ 0.9: the most precise cut that finds 90 % of the survivors.
        threshold->recallSpinBox()->setValue(0.9);
        QTest::mouseClick(threshold->recallButton(), Qt::LeftButton);
        double bestPrecision = -1.0;
        for (const Counts& cut : cuts)
            if (cut.recall() >= 0.9)
                bestPrecision = std::max(bestPrecision, cut.precision());
        CHECKED(checkThreshold(threshold, *run, threshold->threshold()));
        QVERIFY(threshold->point().recall >= 0.9);
        QVERIFY(std::abs(threshold->point().precision - bestPrecision) < 1e-12);
        QTest::mouseClick(threshold->resetButton(), Qt::LeftButton);
        CHECKED(checkThreshold(threshold, *run, 0.5));

        // Curves: the three models overlaid once they are scored, AUC in the legend.
        ui::CurvesView* curves = page->curvesView();
        page->tabs()->setCurrentIndex(EvaluationPage::CurvesTab);
        QCOMPARE(curves->viewCombo()->currentData().toInt(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(curves->rocChart()->curveCount() == 3, 30000);
        QCOMPARE(page->comparisonTask()->state(), ui::BackgroundTask::State::Succeeded);
        for (ui::CurveChart* chart : {curves->rocChart(), curves->precisionRecallChart(), curves->calibrationChart()})
            QCOMPARE(chart->curveCount(), 3);
        QVERIFY(curves->rocChart()->curveName(0).startsWith(QStringLiteral("Logistic regression (kept) (AUC ")));
        QVERIFY(curves->rocChart()->curveName(0).contains(QString::number(*run->classification->rocAuc, 'f', 3)));
        QCOMPARE(curves->rocChart()->referencePoints(), (QList<QPointF>{{0.0, 0.0}, {1.0, 1.0}}));
        for (const auto& entry : run->leaderboard) {
            if (entry.kept)
                continue;
            const QString auc = QString::number(*entry.classification->rocAuc, 'f', 3);
            bool found = false;
            for (int i = 1; i < 3; ++i)
                found = found || curves->rocChart()->curveName(i).endsWith(QStringLiteral("(AUC %1)").arg(auc));
            QVERIFY2(found, qPrintable(auc));
        }
        // PR baseline: the share of survivors in the test rows.
        const double share = double(confusion[1][0] + confusion[1][1]) / double(run->testRows.size());
        QCOMPARE(curves->precisionRecallChart()->referencePoints(), (QList<QPointF>{{0.0, share}, {1.0, share}}));
        // The legend hides a model in all three charts.
        curves->rocChart()->setCurveVisible(1, false);
        QVERIFY(!curves->precisionRecallChart()->isCurveVisible(1));
        QVERIFY(!curves->calibrationChart()->isCurveVisible(1));
        QVERIFY(curves->calibrationChart()->isCurveVisible(0));
        curves->rocChart()->setCurveVisible(1, true);
        QVERIFY(curves->calibrationChart()->isCurveVisible(1));
        // A click on a legend entry is a link to its curve.
        QVERIFY(curves->precisionRecallChart()->legend()->text().contains(QStringLiteral("href=\"curve:2\"")));
        emit curves->precisionRecallChart()->legend()->linkActivated(QStringLiteral("curve:2"));
        QVERIFY(!curves->rocChart()->isCurveVisible(2));
        QVERIFY(curves->precisionRecallChart()->legend()->text().contains(QStringLiteral("<s>")));
        emit curves->precisionRecallChart()->legend()->linkActivated(QStringLiteral("curve:2"));
        QVERIFY(curves->rocChart()->isCurveVisible(2));
        CHECKED(screenshot(&wizard, "06c-evaluation-curves.png"));
        // The kept model alone: class 1 against 0.
        QVERIFY(curves->selectView(-1));
        QCOMPARE(curves->rocChart()->curveCount(), 1);
        QVERIFY(curves->rocChart()->curveName(0).contains(QString::number(*run->classification->rocAuc, 'f', 3)));
    }

    void multiclassHasNoThresholdTab()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "iris"));
        QVERIFY(train(*session, {"logistic_regression", {}}));
        const auto run = session->result();
        EvaluationPage* page = openEvaluation(wizard);
        QVERIFY(page);
        QVERIFY(!page->tabs()->isTabVisible(EvaluationPage::ThresholdTab));
        QVERIFY(page->tabs()->isTabVisible(EvaluationPage::CurvesTab));
        QCOMPARE(page->matrixModel()->rowCount(), 3);
        // Three classes: every metric, the multiclass AUC variants included.
        QCOMPARE(page->metricsTable()->rowCount(),
                 int(evaluation::metricsFor(core::TaskType::Classification).size()));
        // Off-diagonal words name both classes' view of the cell.
        const QString tip = page->matrixModel()->index(1, 2).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("for virginica these are false positives, for versicolor false negatives")),
                 qPrintable(tip));
        // The largest off-diagonal cell, else a diagonal one.
        int bestRow = 0, bestColumn = 0;
        std::int64_t most = -1;
        const auto& confusion = run->classification->confusion;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c)
                if (r != c && confusion[r][c] > most) {
                    most = confusion[r][c];
                    bestRow = r;
                    bestColumn = c;
                }
        if (most == 0)
            bestColumn = bestRow;
        CHECKED(clickCell(page->matrix(), bestRow, bestColumn));
        CHECKED(checkCellRows(page, *run, *session->table(), bestRow, bestColumn));
        // Curves: one class against the rest each.
        ui::CurvesView* curves = page->curvesView();
        QTRY_VERIFY_WITH_TIMEOUT(curves->rocChart()->curveCount() == 3, 20000);
        QCOMPARE(curves->viewCombo()->count(), 1);
        QVERIFY(curves->rocChart()->curveName(0).startsWith(QStringLiteral("setosa (AUC ")));
        QVERIFY(curves->precisionRecallChart()->referencePoints().isEmpty());
        CHECKED(screenshot(&wizard, "06d-evaluation-multiclass.png"));
        page->tabs()->setCurrentIndex(EvaluationPage::CurvesTab);
        CHECKED(screenshot(&wizard, "06g-evaluation-multiclass-curves.png"));

        // Other data loaded later: the rows still come from the table the result was made on.
        page->tabs()->setCurrentIndex(EvaluationPage::OverviewTab);
        const auto iris = session->table();
        QVERIFY(loadBuiltin(*session, "wine"));
        QVERIFY(session->table() != iris);
        page->showCellRows(bestRow, bestColumn);
        CHECKED(checkCellRows(page, *run, *iris, bestRow, bestColumn));
        QCOMPARE(page->cellRowsModel()->headerData(page->cellRowsModel()->firstDataColumn(), Qt::Horizontal).toString(),
                 QStringLiteral("sepal_length"));
    }

    void regressionShowsTheScatterOnly()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "diabetes"));
        QCOMPARE(session->recipe().problem.task, core::TaskType::Regression);
        QVERIFY(train(*session, {"ridge", {}}));
        EvaluationPage* page = openEvaluation(wizard);
        QVERIFY(page);
        QVERIFY(!page->tabs()->isTabVisible(EvaluationPage::ThresholdTab));
        QVERIFY(!page->tabs()->isTabVisible(EvaluationPage::CurvesTab));
        QCOMPARE(page->metricsTable()->rowCount(), int(evaluation::metricsFor(core::TaskType::Regression).size()));
        QCOMPARE(page->matrixModel()->rowCount(), 0);
        QVERIFY(!page->matrix()->isVisible());
        QVERIFY(page->tabs()->isTabVisible(EvaluationPage::ResidualsTab));
        CHECKED(screenshot(&wizard, "06e-evaluation-regression.png"));

        // The report's figures: the scatter, the residuals, the error histogram and the
        // train-vs-test chart and the permutation importance, each grabbed at its on-screen
        // size; the tab shown stays.
        QTRY_VERIFY_WITH_TIMEOUT(!page->findChild<ui::ResidualsView*>()->task()->isRunning(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(page->findChild<ui::ImportanceView*>()->importance() != nullptr, 20000);
        const int shown = page->tabs()->currentIndex();
        const QList<ui::ReportFigure> figures = page->reportFigures();
        QStringList titles;
        for (const ui::ReportFigure& figure : figures) {
            titles << figure.title;
            QVERIFY2(!figure.image.isNull() && figure.image.width() > 200, qPrintable(figure.title));
        }
        QCOMPARE(titles, QStringList({QStringLiteral("Predicted against actual values"), QStringLiteral("Residuals"),
                                      QStringLiteral("Error histogram"),
                                      QStringLiteral("Training, estimate and test scores"),
                                      QStringLiteral("Permutation importance")}));
        QCOMPARE(page->tabs()->currentIndex(), shown);
        QVERIFY(page->window()->updatesEnabled());
    }

    void theVerdictJudgesTheLatencyBudgetToo()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "titanic"));
        workflow::ProblemStatement problem = session->recipe().problem;
        problem.success = evaluation::parseSuccessCriterion("accuracy>=0.5", core::TaskType::Classification);
        problem.maxLatencyMs = 10000.0;
        session->setProblem(problem);
        QVERIFY(train(*session, {"logistic_regression", {}}));
        EvaluationPage* page = openEvaluation(wizard);
        QVERIFY(page);
        auto run = session->result();
        QVERIFY(run->latencyVerdict && run->latencyVerdict->passed);
        ui::VerdictBadge* verdict = page->verdict();
        QCOMPARE(verdict->outcome(), ui::VerdictBadge::Outcome::Passed);
        QCOMPARE(verdict->headline(), QStringLiteral("Success criterion met, within the latency budget"));
        QVERIFY2(verdict->detail().startsWith(QStringLiteral("accuracy = ")), qPrintable(verdict->detail()));
        QVERIFY2(verdict->detail().contains(QStringLiteral("latency p99 = ")) &&
                     verdict->detail().endsWith(QStringLiteral("≤ 10000 ms ✓")),
                 qPrintable(verdict->detail()));

        // A budget no pipeline meets: the score passes, the verdict does not.
        problem.maxLatencyMs = 1e-6;
        session->setProblem(problem);
        QVERIFY(train(*session, {"logistic_regression", {}}));
        run = session->result();
        QVERIFY(run->latencyVerdict && !run->latencyVerdict->passed);
        QVERIFY(session->verdict()->passed);
        QCOMPARE(verdict->outcome(), ui::VerdictBadge::Outcome::Failed);
        QVERIFY2(verdict->headline().contains(QStringLiteral("too slow")), qPrintable(verdict->headline()));
        QVERIFY2(verdict->detail().contains(QStringLiteral("> 1e-06 ms ✗")), qPrintable(verdict->detail()));
        QVERIFY(verdict->detail().contains(QStringLiteral("≥ 0.5 ✓")));
        CHECKED(screenshot(&wizard, "06f-evaluation-latency.png"));
    }

    void withoutProbabilitiesTheTabsSayWhy()
    {
        MainWizard wizard(false);
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "breast_cancer"));
        QVERIFY(train(*session, {"linear_svm", {}}));
        QCOMPARE(session->result()->testPredictions.proba.size(), Eigen::Index(0));
        EvaluationPage* page = openEvaluation(wizard);
        QVERIFY(page);
        QVERIFY(page->tabs()->isTabVisible(EvaluationPage::ThresholdTab));
        QVERIFY(!page->thresholdView()->hasData());
        QVERIFY(page->thresholdView()->message().contains(QStringLiteral("not probabilities")));
        QVERIFY(page->curvesView()->message().contains(QStringLiteral("not probabilities")));
        // The matrix and its rows still work.
        CHECKED(clickCell(page->matrix(), 0, 0));
        CHECKED(checkCellRows(page, *session->result(), *session->table(), 0, 0));
        QCOMPARE(page->cellRowsModel()->probabilityColumn(0), -1);
    }
};

QTEST_MAIN(TestEvaluationPage)
#include "tst_evaluation_page.moc"
