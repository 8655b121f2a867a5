// The History view over real runs: builtin titanic trained with a decision tree at two
// depths and two seeds (and a third run with another imputation). The table lists them
// newest first with their main metric, verdict, duration, seed and threads; the note is
// editable; two runs compare as recipe changes in words and as metric changes coloured
// by direction (log loss and the error metrics the other way round); one run compares
// with the current recipe; restore makes a run's recipe the session's as one undoable
// command, and loads the run's data first when it differs.
#include <QtTest>

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QUndoStack>

#include <algorithm>

#include "session/project_document.hpp"
#include "session/run_restore.hpp"
#include "session/session.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/io/project.hpp"
#include "stepwise/workflow/runner.hpp"
#include "widgets/history/run_comparison.hpp"
#include "widgets/history/run_history_dialog.hpp"
#include "widgets/history/run_history_view.hpp"
#include "widgets/history/run_table_model.hpp"
#include "widgets/score_text.hpp"
#include "widgets/status_banner.hpp"
#include "pages/training_page.hpp"
#include "wizard/main_wizard.hpp"

using namespace stepwise;
using ui::RunHistoryView;
using ui::RunTableModel;

namespace {

const QColor kGreen(0x2e, 0x7d, 0x32);
const QColor kRed(0xc6, 0x28, 0x28);

workflow::Recipe titanicRecipe(const char* maxDepth, std::uint64_t seed)
{
    workflow::Recipe recipe;
    recipe.data.kind = data::DataSourceKind::Builtin;
    recipe.data.location = "titanic";
    recipe.problem.task = core::TaskType::Classification;
    recipe.problem.target = "survived";
    recipe.problem.success = evaluation::SuccessCriterion{"accuracy", true, 0.8};
    recipe.prep.dropColumns = {"alive"};  // the target in words: a leak
    recipe.prep.steps[0].params["numeric"] = "mean";
    recipe.model.name = "decision_tree";
    recipe.model.params["max_depth"] = maxDepth;
    recipe.seed = seed;
    return recipe;
}

// A record of a real run, as the project keeps it.
io::RunRecord record(int id, const workflow::Recipe& recipe, double seconds, int threads)
{
    static const data::Table titanic = data::loadBuiltinDataset("titanic");
    core::TaskControl control;
    const workflow::RunResult result = workflow::runRecipe(recipe, titanic, nullptr, control);
    std::string started = "2026-11-24T10:1";
    started.append(std::to_string(id)).append(":00Z");
    return io::makeRunRecord(id, recipe, result, started, seconds, threads);
}

std::optional<double> metric(const io::RunRecord& run, const std::string& name)
{
    for (const auto& score : run.metrics)
        if (score.metric == name)
            return score.value;
    return std::nullopt;
}

QStringList listLines(const QListWidget* list)
{
    QStringList lines;
    for (int row = 0; row < list->count(); ++row)
        lines << list->item(row)->text();
    return lines;
}

int metricRow(const QTableWidget* table, const char* metric)
{
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, RunHistoryView::MetricNameColumn)->data(Qt::UserRole).toString() == QLatin1String(metric))
            return row;
    return -1;
}

QString cellText(const RunTableModel* model, int row, int column)
{
    return model->data(model->index(row, column)).toString();
}

} // namespace

class TestRunHistory : public QObject {
    Q_OBJECT

private:
    std::vector<io::RunRecord> m_runs;  // oldest first: depth 3 / seed 42, depth 8 / seed 7, depth 8 / median

private slots:
    void initTestCase()
    {
        m_runs.push_back(record(1, titanicRecipe("3", 42), 1.25, 1));
        m_runs.push_back(record(2, titanicRecipe("8", 7), 75.0, 2));
        workflow::Recipe third = titanicRecipe("8", 7);
        third.prep.steps[0].params["numeric"] = "median";
        m_runs.push_back(record(3, third, 0.5, 2));
        // The comparisons below need runs that really differ.
        QVERIFY(metric(m_runs[0], "accuracy") != metric(m_runs[1], "accuracy"));
        QVERIFY(metric(m_runs[0], "log_loss") != metric(m_runs[1], "log_loss"));
    }

    void tableListsRunsNewestFirst()
    {
        RunHistoryView view;
        view.setRuns(m_runs);
        RunTableModel* model = view.runModel();
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(cellText(model, 0, RunTableModel::RunColumn), QStringLiteral("#3"));
        QCOMPARE(cellText(model, 2, RunTableModel::RunColumn), QStringLiteral("#1"));
        QCOMPARE(model->data(model->index(2, 0), Qt::UserRole).toInt(), 1);
        QCOMPARE(cellText(model, 2, RunTableModel::ModelColumn), QStringLiteral("Decision tree"));
        QCOMPARE(cellText(model, 2, RunTableModel::SeedColumn), QStringLiteral("42"));
        QCOMPARE(cellText(model, 1, RunTableModel::SeedColumn), QStringLiteral("7"));
        QCOMPARE(cellText(model, 2, RunTableModel::ThreadsColumn), QStringLiteral("1"));
        QCOMPARE(cellText(model, 2, RunTableModel::DurationColumn), RunTableModel::durationText(1.25));
        QCOMPARE(RunTableModel::durationText(1.25), QLocale().toString(1.25, 'f', 1) + QStringLiteral(" s"));
        QCOMPARE(cellText(model, 1, RunTableModel::DurationColumn), QStringLiteral("1 min 15 s"));
        const QDateTime started(QDate(2026, 11, 24), QTime(10, 11), QTimeZone::utc());
        QCOMPARE(cellText(model, 2, RunTableModel::StartedColumn),
                 QLocale().toString(started.toLocalTime(), QLocale::ShortFormat));
        // The main metric is the success metric, accuracy here.
        QCOMPARE(cellText(model, 2, RunTableModel::ScoreColumn),
                 QStringLiteral("Accuracy ") + ui::scoreText(*metric(m_runs[0], "accuracy")));
        for (int row = 0; row < 3; ++row) {
            const io::RunRecord& run = m_runs[static_cast<std::size_t>(2 - row)];
            const bool passed = *metric(run, "accuracy") >= 0.8;
            QCOMPARE(run.passed, std::optional<bool>(passed));
            QCOMPARE(cellText(model, row, RunTableModel::VerdictColumn), passed ? QStringLiteral("pass") : QStringLiteral("fail"));
            QCOMPARE(model->data(model->index(row, RunTableModel::VerdictColumn), Qt::ForegroundRole).value<QColor>(),
                     passed ? kGreen : kRed);
        }

        // Only the note is editable; an edit is announced with the run's id.
        QVERIFY(!(model->flags(model->index(0, RunTableModel::SeedColumn)) & Qt::ItemIsEditable));
        QVERIFY(model->flags(model->index(0, RunTableModel::NoteColumn)) & Qt::ItemIsEditable);
        QSignalSpy notes(&view, &RunHistoryView::noteEdited);
        QVERIFY(model->setData(model->index(1, RunTableModel::NoteColumn), QStringLiteral(" deeper tree ")));
        QCOMPARE(notes.count(), 1);
        QCOMPARE(notes.at(0).at(0).toInt(), 2);
        QCOMPARE(notes.at(0).at(1).toString(), QStringLiteral("deeper tree"));
        QCOMPARE(cellText(model, 1, RunTableModel::NoteColumn), QStringLiteral("deeper tree"));
        QVERIFY(!model->setData(model->index(1, RunTableModel::NoteColumn), QStringLiteral("deeper tree")));
        QCOMPARE(notes.count(), 1);

        // A new run keeps the selection and lists first.
        QVERIFY(view.selectRuns({1, 2}));
        std::vector<io::RunRecord> more = m_runs;
        more.push_back(m_runs[0]);
        more.back().id = 4;
        view.setRuns(more);
        QCOMPARE(cellText(model, 0, RunTableModel::RunColumn), QStringLiteral("#4"));
        QCOMPARE(view.selectedRunIds(), QList<int>({1, 2}));
        // Looking at the newest run follows the next one.
        QVERIFY(view.selectRuns({4}));
        more.push_back(m_runs[1]);
        more.back().id = 5;
        view.setRuns(more);
        QCOMPARE(view.selectedRunIds(), QList<int>({5}));
        view.setRuns({});
        QVERIFY(view.selectedRunIds().isEmpty());
        QVERIFY(!view.restoreButton()->isEnabled());
    }

    void recipeChangesInWords()
    {
        QCOMPARE(ui::recipeChangeLines(m_runs[0].recipe, m_runs[1].recipe),
                 QStringList({QStringLiteral("Model · max_depth: 3 → 8"), QStringLiteral("Seed: 42 → 7")}));
        QCOMPARE(ui::recipeChangeLines(m_runs[1].recipe, m_runs[2].recipe),
                 QStringList({QStringLiteral("Prep · step 1 ‘Fill missing values’ · numeric: mean → median")}));
        QVERIFY(ui::recipeChangeLines(m_runs[1].recipe, m_runs[1].recipe).isEmpty());

        // Wizard order (prep before model before seed), defaults, models and whole steps in words.
        workflow::Recipe before = m_runs[0].recipe;
        workflow::Recipe after = before;
        after.seed = 1;
        after.model.params.erase("max_depth");
        after.model.params["min_samples_leaf"] = "4";
        after.prep.steps[0].params.erase("numeric");
        after.features.steps.push_back({"bin", true, {"age"}, {}});
        after.compareWith.push_back({"logistic_regression", {}});
        after.prep.testSize = 0.25;
        const QStringList lines = ui::recipeChangeLines(before, after);
        QVERIFY2(lines.contains(QStringLiteral("Model · max_depth: 3 → default")), qPrintable(lines.join('\n')));
        QVERIFY2(lines.contains(QStringLiteral("Model · min_samples_leaf: default → 4")), qPrintable(lines.join('\n')));
        QVERIFY2(lines.contains(QStringLiteral("Prep · test share: 0.2 → 0.25")), qPrintable(lines.join('\n')));
        QVERIFY2(lines.contains(QStringLiteral("Prep · step 1 ‘Fill missing values’ · numeric: mean → default")),
                 qPrintable(lines.join('\n')));
        QVERIFY2(std::any_of(lines.begin(), lines.end(),
                             [](const QString& line) { return line.startsWith(QStringLiteral("Features · step 3")); }),
                 qPrintable(lines.join('\n')));
        QVERIFY2(std::any_of(lines.begin(), lines.end(),
                             [](const QString& line) {
                                 return line.startsWith(QStringLiteral("Compared model")) &&
                                        line.contains(QStringLiteral("Logistic regression"));
                             }),
                 qPrintable(lines.join('\n')));
        QCOMPARE(lines.back(), QStringLiteral("Seed: 42 → 1"));
        const auto position = [&](const char* prefix) {
            for (int i = 0; i < lines.size(); ++i)
                if (lines[i].startsWith(QLatin1String(prefix)))
                    return i;
            return -1;
        };
        QVERIFY(position("Prep") < position("Features"));
        QVERIFY(position("Features") < position("Model"));
        QVERIFY(position("Model") < position("Compared"));
    }

    void twoRunsCompareMetricsByDirection()
    {
        RunHistoryView view;
        view.setRuns(m_runs);
        QVERIFY(view.selectRuns({2, 1}));
        QCOMPARE(view.selectedRunIds(), QList<int>({1, 2}));
        QCOMPARE(view.comparisonTitle()->text(), QStringLiteral("Run #1 → run #2"));
        QCOMPARE(listLines(view.recipeChanges()),
                 QStringList({QStringLiteral("Model · max_depth: 3 → 8"), QStringLiteral("Seed: 42 → 7")}));

        QTableWidget* table = view.metricTable();
        QCOMPARE(table->horizontalHeaderItem(RunHistoryView::BeforeColumn)->text(), QStringLiteral("Run #1"));
        QCOMPARE(table->horizontalHeaderItem(RunHistoryView::AfterColumn)->text(), QStringLiteral("Run #2"));
        QCOMPARE(table->rowCount(), static_cast<int>(m_runs[1].metrics.size()));
        // Accuracy: higher is better; log loss: lower is better.
        for (const auto& [name, higherIsBetter] : {std::pair{"accuracy", true}, std::pair{"log_loss", false}}) {
            const int row = metricRow(table, name);
            QVERIFY2(row >= 0, name);
            const double before = *metric(m_runs[0], name);
            const double after = *metric(m_runs[1], name);
            QCOMPARE(table->item(row, RunHistoryView::BeforeColumn)->text(), ui::scoreText(before));
            QCOMPARE(table->item(row, RunHistoryView::AfterColumn)->text(), ui::scoreText(after));
            const QString change = ui::scoreText(after - before);
            QCOMPARE(table->item(row, RunHistoryView::ChangeColumn)->text(),
                     after > before ? QStringLiteral("+") + change : change);
            const bool better = higherIsBetter ? after > before : after < before;
            QCOMPARE(table->item(row, RunHistoryView::ChangeColumn)->foreground().color(), better ? kGreen : kRed);
            QCOMPARE(table->item(row, RunHistoryView::AfterColumn)->foreground().color(), better ? kGreen : kRed);
        }
        QCOMPARE(table->item(metricRow(table, "accuracy"), RunHistoryView::MetricNameColumn)->text(),
                 QStringLiteral("Accuracy"));
        QCOMPARE(table->item(metricRow(table, "log_loss"), RunHistoryView::MetricNameColumn)->text(),
                 QStringLiteral("Log loss"));

        // Restore acts on the run selected last.
        QCOMPARE(view.restoreRunId(), 1);
        QCOMPARE(view.restoreButton()->text(), QStringLiteral("Restore run #1's recipe"));
        QSignalSpy restore(&view, &RunHistoryView::restoreRequested);
        view.restoreButton()->click();
        QCOMPARE(restore.count(), 1);
        QCOMPARE(restore.at(0).at(0).toInt(), 1);

        // Directions of the regression errors and of the extra scores.
        workflow::Recipe regression;
        regression.problem.task = core::TaskType::Regression;
        for (const char* error : {"mse", "rmse", "mae"})
            QCOMPARE(ui::metricDirection(regression, error), ui::MetricDirection::LowerIsBetter);
        QCOMPARE(ui::metricDirection(regression, "r2"), ui::MetricDirection::HigherIsBetter);
        QCOMPARE(ui::metricDirection(regression, "cv_mean"), ui::MetricDirection::HigherIsBetter);
        regression.problem.success = evaluation::SuccessCriterion{"rmse", false, 3.0};
        QCOMPARE(ui::metricDirection(regression, "cv_mean"), ui::MetricDirection::LowerIsBetter);
        QCOMPARE(ui::metricDirection(regression, "validation_score"), ui::MetricDirection::LowerIsBetter);
        QCOMPARE(ui::metricDirection(regression, "cv_std"), ui::MetricDirection::Neutral);
        QCOMPARE(ui::metricMove(2.0, 1.0, ui::MetricDirection::LowerIsBetter), ui::MetricMove::Better);
        QCOMPARE(ui::metricMove(2.0, 1.0, ui::MetricDirection::HigherIsBetter), ui::MetricMove::Worse);
        QCOMPARE(ui::metricMove(2.0, 2.0, ui::MetricDirection::HigherIsBetter), ui::MetricMove::Same);
        QCOMPARE(ui::metricMove(std::nullopt, 2.0, ui::MetricDirection::HigherIsBetter), ui::MetricMove::Unknown);
    }

    void oneRunComparesWithTheCurrentRecipe()
    {
        RunHistoryView view;
        view.setRuns(m_runs);
        // Without a selection the newest run is selected.
        QCOMPARE(view.selectedRunIds(), QList<int>({3}));

        workflow::Recipe current = m_runs[0].recipe;
        current.model.params["max_depth"] = "5";
        view.setCurrentRecipe(current);
        QVERIFY(view.selectRuns({1}));
        QCOMPARE(view.comparisonTitle()->text(), QStringLiteral("Run #1 → the current recipe"));
        QCOMPARE(listLines(view.recipeChanges()), QStringList({QStringLiteral("Model · max_depth: 3 → 5")}));
        QTableWidget* table = view.metricTable();
        QCOMPARE(table->horizontalHeaderItem(RunHistoryView::AfterColumn)->text(), QStringLiteral("Current (not trained)"));
        const int accuracy = metricRow(table, "accuracy");
        QVERIFY(accuracy >= 0);
        QCOMPARE(table->item(accuracy, RunHistoryView::BeforeColumn)->text(), ui::scoreText(*metric(m_runs[0], "accuracy")));
        QCOMPARE(table->item(accuracy, RunHistoryView::AfterColumn)->text(), QStringLiteral("—"));
        QCOMPARE(table->item(accuracy, RunHistoryView::ChangeColumn)->text(), QStringLiteral("—"));

        // A current recipe that was trained shows that run's numbers.
        view.setCurrentRecipe(m_runs[1].recipe);
        QCOMPARE(listLines(view.recipeChanges()),
                 QStringList({QStringLiteral("Model · max_depth: 3 → 8"), QStringLiteral("Seed: 42 → 7")}));
        QCOMPARE(table->horizontalHeaderItem(RunHistoryView::AfterColumn)->text(), QStringLiteral("Current (run #2)"));
        QCOMPARE(table->item(accuracy, RunHistoryView::AfterColumn)->text(), ui::scoreText(*metric(m_runs[1], "accuracy")));

        view.setCurrentRecipe(m_runs[0].recipe);
        QCOMPARE(listLines(view.recipeChanges()),
                 QStringList({QStringLiteral("Nothing: the current recipe is the one run #1 was trained with.")}));
    }

    void restorePutsTheRecipeBackAndUndoRevertsIt()
    {
        ui::Session session;
        QSignalSpy loaded(&session, &ui::Session::dataChanged);
        session.loadData(m_runs[1].recipe.data);
        QVERIFY(loaded.wait(30000));
        session.setProblem(m_runs[1].recipe.problem);
        session.editRecipe(m_runs[1].recipe, QStringLiteral("Set up run 2"));
        QCOMPARE(session.recipe().model.params.at("max_depth"), std::string("8"));

        ui::RunHistoryDialog dialog(&session);
        dialog.setRuns(m_runs);
        QVERIFY(dialog.view()->selectRuns({1}));
        QCOMPARE(listLines(dialog.view()->recipeChanges()),
                 QStringList({QStringLiteral("Model · max_depth: 3 → 8"), QStringLiteral("Seed: 42 → 7")}));
        const int commands = session.undoStack()->count();
        dialog.view()->restoreButton()->click();
        QCOMPARE(session.recipe().model.params.at("max_depth"), std::string("3"));
        QCOMPARE(session.recipe().seed, std::uint64_t(42));
        QVERIFY(io::recipeDiff(m_runs[0].recipe, session.recipe()).empty());
        QCOMPARE(session.undoStack()->count(), commands + 1);
        QCOMPARE(session.undoStack()->undoText(), QStringLiteral("Restore run 1"));
        QVERIFY(dialog.banner()->text().contains(QStringLiteral("Restored the recipe of run 1")));
        // The view compares with the session's recipe as it is now.
        QCOMPARE(listLines(dialog.view()->recipeChanges()),
                 QStringList({QStringLiteral("Nothing: the current recipe is the one run #1 was trained with.")}));

        session.undoStack()->undo();
        QCOMPARE(session.recipe().model.params.at("max_depth"), std::string("8"));
        QCOMPARE(session.recipe().seed, std::uint64_t(7));
        session.undoStack()->redo();
        QCOMPARE(session.recipe().seed, std::uint64_t(42));
    }

    void restoreLoadsTheRunsDataFirst()
    {
        ui::Session session;
        QSignalSpy loaded(&session, &ui::Session::dataChanged);
        data::DataSource iris;
        iris.location = "iris";
        session.loadData(iris);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(session.recipe().problem.target, std::string("species"));

        ui::RunHistoryDialog dialog(&session);
        dialog.setRuns(m_runs);
        QSignalSpy restored(dialog.restorer(), &ui::RunRestorer::restored);
        QVERIFY(dialog.view()->selectRuns({2}));
        dialog.view()->restoreButton()->click();
        QVERIFY(dialog.restorer()->isWaitingForData());
        QVERIFY(dialog.banner()->text().contains(QStringLiteral("builtin:titanic")));
        QVERIFY(restored.wait(30000));
        QCOMPARE(session.loadedSource().location, std::string("titanic"));
        QCOMPARE(session.recipe().problem.target, std::string("survived"));
        QVERIFY(session.recipe().problem.success.has_value());
        QVERIFY2(io::recipeDiff(m_runs[1].recipe, session.recipe()).empty(),
                 qPrintable(ui::recipeChangeLines(m_runs[1].recipe, session.recipe()).join('\n')));
        QVERIFY(dialog.banner()->text().contains(QStringLiteral("Loaded builtin:titanic")));
        QCOMPARE(session.undoStack()->undoText(), QStringLiteral("Restore run 2"));

        // Data that cannot be loaded restores nothing and says why.
        io::RunRecord missing = m_runs[0];
        missing.id = 9;
        missing.recipe.data.kind = data::DataSourceKind::File;
        missing.recipe.data.location = "/nonexistent/gone.csv";
        QSignalSpy failed(dialog.restorer(), &ui::RunRestorer::failed);
        dialog.restorer()->restore(missing);
        QVERIFY(failed.wait(30000));
        QVERIFY(dialog.banner()->hasError());
        QCOMPARE(session.recipe().seed, std::uint64_t(7));
        QVERIFY(!dialog.restorer()->isWaitingForData());
    }

    void windowOpensTheHistory()
    {
        ui::MainWizard wizard(false);
        QAction* action = wizard.runHistoryAction();
        QVERIFY(action);
        QVERIFY(wizard.viewMenu()->actions().contains(action));
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_H));
        QVERIFY(!wizard.runHistory()->isVisible());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.trainingPage()->historyButton()->click();
        QVERIFY(wizard.runHistory()->isVisible());
        wizard.runHistory()->hide();
        QTest::keyClick(&wizard, Qt::Key_H, Qt::ControlModifier);
        QVERIFY(wizard.runHistory()->isVisible());

        // Every training run of the window's session is listed; a note goes back to the project.
        ui::Session* session = wizard.session();
        QSignalSpy loaded(session, &ui::Session::dataChanged);
        session->loadData(m_runs[0].recipe.data);
        QVERIFY(loaded.wait(30000));
        session->setProblem(m_runs[0].recipe.problem);
        session->editRecipe(m_runs[0].recipe, QStringLiteral("Set up run 1"));
        ui::ProjectDocument* log = wizard.project();
        QSignalSpy recorded(log, &ui::ProjectDocument::runsChanged);
        for (int run = 0; run < 2; ++run) {
            QSignalSpy result(session, &ui::Session::resultChanged);
            session->train();
            QVERIFY(result.wait(60000));
        }
        QCOMPARE(recorded.count(), 2);
        RunTableModel* model = wizard.runHistory()->view()->runModel();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(cellText(model, 0, RunTableModel::RunColumn), QStringLiteral("#2"));
        const io::RunRecord& first = log->runs().front();
        QCOMPARE(first.id, 1);
        QVERIFY(io::recipeDiff(m_runs[0].recipe, first.recipe).empty());
        // Same recipe, same seed: the same numbers as the run made outside the window.
        QCOMPARE(metric(first, "accuracy"), metric(m_runs[0], "accuracy"));
        QVERIFY(first.durationSeconds > 0.0);
        QVERIFY(!first.startedUtc.empty());
        QVERIFY(model->setData(model->index(1, RunTableModel::NoteColumn), QStringLiteral("first try")));
        QCOMPARE(log->runs().front().note, std::string("first try"));
    }
};

QTEST_MAIN(TestRunHistory)
#include "tst_run_history.moc"
