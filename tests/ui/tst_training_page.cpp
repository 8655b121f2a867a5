// The Training page driven through its widgets: ticking and keeping models edits the
// recipe's kept model and comparison (one undoable command each), the generated form
// and the search values are checked against the models' tables, cross-validation and
// search settings land in the recipe, a run with two models fills the leaderboard (and
// "Keep this model" swaps the kept model), cancel stops a two-model run within a second
// and leaves the page usable, and live snapshots from two sources — thousands of them —
// arrive coalesced as two series.
#include <QtTest>

#include <QComboBox>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QStandardItemModel>
#include <QUndoStack>

#include <atomic>
#include <chrono>
#include <thread>

#include "models/confusion_matrix_model.hpp"
#include "models/training_progress_model.hpp"
#include "pages/training_page.hpp"
#include "session/session.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/models/registry.hpp"
#include "tasks/progress_relay.hpp"
#include "widgets/charts/training_chart.hpp"
#include "widgets/leaderboard_table.hpp"
#include "widgets/param_form.hpp"
#include "widgets/score_text.hpp"
#include "widgets/search_results_table.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"
#include "wizard/main_wizard.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;
using stepwise::ui::TrainingPage;

namespace {

bool loadBuiltin(ui::Session& session, const char* name)
{
    session.setObjective(QStringLiteral("Train and compare models"));
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = name;
    QSignalSpy loaded(&session, &ui::Session::dataChanged);
    session.loadData(source);
    return loaded.wait(30000) && session.table();
}

QListWidgetItem* modelItem(TrainingPage* page, const char* model)
{
    for (int row = 0; row < page->modelList()->count(); ++row) {
        QListWidgetItem* item = page->modelList()->item(row);
        if (item->data(Qt::UserRole).toString() == QLatin1String(model))
            return item;
    }
    return nullptr;
}

QLineEdit* lineEditor(TrainingPage* page, const char* param)
{
    return qobject_cast<QLineEdit*>(page->paramForm()->editor(param));
}

std::vector<std::string> comparedNames(const workflow::Recipe& recipe)
{
    std::vector<std::string> names;
    for (const auto& choice : recipe.compareWith)
        names.push_back(choice.name);
    return names;
}

core::TrainingSnapshot snapshot(const std::string& source, const std::string& metric, int step, int total,
                                double value, const std::string& stepName = "iteration",
                                const std::string& measuredOn = "validation rows")
{
    core::TrainingSnapshot s;
    s.source = source;
    s.metricName = metric;
    s.stepName = stepName;
    s.measuredOn = measuredOn;
    s.step = step;
    s.totalSteps = total;
    s.value = value;
    return s;
}

} // namespace

class TestTrainingPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void choosingModelsEditsTheRecipeAndUndoes()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "iris"));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.goToStep(MainWizard::TrainingId), 20000);
        TrainingPage* page = wizard.trainingPage();
        QUndoStack* undo = session->undoStack();
        const int base = undo->count();

        // Every model that solves the task is listed; the kept one is ticked and marked.
        for (const auto& info : models::modelRegistry()) {
            const bool solves = std::find(info.tasks.begin(), info.tasks.end(), core::TaskType::Classification) !=
                                info.tasks.end();
            QCOMPARE(modelItem(page, info.name.c_str()) != nullptr, solves);
        }
        QListWidgetItem* forest = modelItem(page, "random_forest");
        QListWidgetItem* logistic = modelItem(page, "logistic_regression");
        QVERIFY(forest && logistic);
        QCOMPARE(session->recipe().model.name, std::string("random_forest"));
        QVERIFY(forest->text().contains(QStringLiteral("kept")));
        QCOMPARE(forest->checkState(), Qt::Checked);
        QVERIFY(!(forest->flags() & Qt::ItemIsUserCheckable));  // the kept model always trains
        QCOMPARE(logistic->checkState(), Qt::Unchecked);
        QCOMPARE(page->trainButton()->text(), QStringLiteral("Train"));

        // Ticking a model compares it; its form shows.
        logistic->setCheckState(Qt::Checked);
        QCOMPARE(comparedNames(session->recipe()), std::vector<std::string>{"logistic_regression"});
        QCOMPARE(undo->count(), base + 1);
        QCOMPARE(page->selectedModel(), std::string("logistic_regression"));
        QVERIFY(page->paramForm()->editor("C"));
        QCOMPARE(page->trainButton()->text(), QStringLiteral("Train 2 models"));

        // Its hyper-parameters are its own, in compareWith.
        QLineEdit* c = lineEditor(page, "C");
        QVERIFY(c);
        c->setText(QStringLiteral("2.5"));
        QCOMPARE(session->recipe().compareWith.at(0).params.at("C"), std::string("2.5"));
        QVERIFY(session->recipe().model.params.empty());
        QCOMPARE(undo->count(), base + 2);

        // Keeping it swaps the two: the forest moves into the comparison.
        QVERIFY(page->keepButton()->isEnabled());
        QTest::mouseClick(page->keepButton(), Qt::LeftButton);
        QCOMPARE(session->recipe().model.name, std::string("logistic_regression"));
        QCOMPARE(session->recipe().model.params.at("C"), std::string("2.5"));
        QCOMPARE(comparedNames(session->recipe()), std::vector<std::string>{"random_forest"});
        QVERIFY(modelItem(page, "logistic_regression")->text().contains(QStringLiteral("kept")));
        QVERIFY(!modelItem(page, "random_forest")->text().contains(QStringLiteral("kept")));
        QVERIFY(!page->keepButton()->isEnabled());
        QCOMPARE(undo->count(), base + 3);

        // Undo walks back through exactly those recipes; the list and form follow.
        undo->undo();
        QCOMPARE(session->recipe().model.name, std::string("random_forest"));
        QCOMPARE(comparedNames(session->recipe()), std::vector<std::string>{"logistic_regression"});
        QVERIFY(modelItem(page, "random_forest")->text().contains(QStringLiteral("kept")));
        undo->undo();
        QVERIFY(session->recipe().compareWith.at(0).params.empty());
        QVERIFY(page->selectModel("logistic_regression"));
        QCOMPARE(lineEditor(page, "C")->text(), QStringLiteral("1.0"));  // the default again
        undo->undo();
        QVERIFY(session->recipe().compareWith.empty());
        QCOMPARE(modelItem(page, "logistic_regression")->checkState(), Qt::Unchecked);
        undo->redo();
        undo->redo();
        undo->redo();
        QCOMPARE(session->recipe().model.name, std::string("logistic_regression"));
        QCOMPARE(comparedNames(session->recipe()), std::vector<std::string>{"random_forest"});

        // Unticking drops a compared model; ticking it again brings back its settings.
        QVERIFY(page->selectModel("random_forest"));
        lineEditor(page, "n_estimators")->setText(QStringLiteral("7"));
        modelItem(page, "random_forest")->setCheckState(Qt::Unchecked);
        QVERIFY(session->recipe().compareWith.empty());
        QVERIFY(!page->paramForm()->isEnabled());  // not trained: nothing to edit
        modelItem(page, "random_forest")->setCheckState(Qt::Checked);
        QCOMPARE(session->recipe().compareWith.at(0).params.at("n_estimators"), std::string("7"));

        // Cross-validation: on, three folds, off — each an undoable edit.
        auto* cv = page->findChild<QGroupBox*>(QStringLiteral("cvGroup"));
        auto* folds = page->findChild<QSpinBox*>(QStringLiteral("cvFoldsSpin"));
        auto* strategy = page->findChild<QComboBox*>(QStringLiteral("cvStrategyCombo"));
        cv->setChecked(true);
        QVERIFY(session->recipe().crossValidation.has_value());
        QCOMPARE(session->recipe().crossValidation->strategy, evaluation::CvStrategy::StratifiedKFold);
        QCOMPARE(session->recipe().crossValidation->folds, 5);
        folds->setValue(3);
        QCOMPARE(session->recipe().crossValidation->folds, 3);
        strategy->setCurrentIndex(strategy->findData(int(evaluation::CvStrategy::KFold)));
        QCOMPARE(session->recipe().crossValidation->strategy, evaluation::CvStrategy::KFold);
        QVERIFY(page->setupTabs()->tabText(TrainingPage::ValidationTab).contains(QStringLiteral("3 folds")));
        undo->undo();
        QCOMPARE(session->recipe().crossValidation->strategy, evaluation::CvStrategy::StratifiedKFold);
        QCOMPARE(strategy->currentData().toInt(), int(evaluation::CvStrategy::StratifiedKFold));
        undo->undo();
        QCOMPARE(session->recipe().crossValidation->folds, 5);
        QCOMPARE(folds->value(), 5);
        undo->undo();
        QVERIFY(!session->recipe().crossValidation.has_value());
        QVERIFY(!cv->isChecked());

        // A search over the kept model's parameters, typed into the table.
        auto* search = page->findChild<QGroupBox*>(QStringLiteral("searchGroup"));
        search->setChecked(true);
        QVERIFY(session->recipe().search.has_value());
        QTableWidget* space = page->searchSpaceTable();
        int cRow = -1;
        for (int row = 0; row < space->rowCount(); ++row)
            if (space->item(row, 0)->text() == QLatin1String("C"))
                cRow = row;
        QVERIFY(cRow >= 0);
        space->item(cRow, 1)->setText(QStringLiteral("0.1, 1,10"));
        const auto& spec = *session->recipe().search;
        QCOMPARE(spec.kind, workflow::SearchKind::Grid);
        QCOMPARE(spec.space.at("C"), (std::vector<std::string>{"0.1", "1", "10"}));
        QVERIFY(!wizard.trainingPage()->banner()->hasError());
        auto* kind = page->findChild<QComboBox*>(QStringLiteral("searchKindCombo"));
        kind->setCurrentIndex(kind->findData(int(workflow::SearchKind::Random)));
        space->item(cRow, 1)->setText(QStringLiteral("loguniform(0.01, 100)"));
        QCOMPARE(session->recipe().search->kind, workflow::SearchKind::Random);
        QCOMPARE(session->recipe().search->space.at("C"), std::vector<std::string>{"loguniform(0.01, 100)"});
        QVERIFY(!page->banner()->hasError());
        search->setChecked(false);
        QVERIFY(!session->recipe().search.has_value());
        undo->undo();
        QVERIFY(session->recipe().search.has_value());
        QCOMPARE(space->item(cRow, 1)->text(), QStringLiteral("loguniform(0.01, 100)"));
    }

    void theFormAndTheSearchEnforceRanges()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "iris"));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.goToStep(MainWizard::TrainingId), 20000);
        TrainingPage* page = wizard.trainingPage();
        QVERIFY(page->trainButton()->isEnabled());

        // The form shows the defaults and the range on hover.
        QVERIFY(page->selectModel("random_forest"));
        QLineEdit* trees = lineEditor(page, "n_estimators");
        QVERIFY(trees);
        QCOMPARE(trees->placeholderText(), QStringLiteral("100"));
        QVERIFY(trees->toolTip().contains(QStringLiteral("Allowed")));

        // Out of range: outlined, named in the banner, Train and Next blocked.
        trees->setText(QStringLiteral("0"));
        QVERIFY(trees->styleSheet().contains(QStringLiteral("border")));
        QVERIFY(page->banner()->hasError());
        QVERIFY(page->banner()->text().contains(QStringLiteral("n_estimators")));
        QVERIFY(!page->trainButton()->isEnabled());
        QVERIFY(!page->isComplete());
        QVERIFY(page->incompleteReason().contains(QStringLiteral("fix")));
        trees->setText(QStringLiteral("25"));
        QVERIFY(!page->banner()->hasError());
        QVERIFY(page->trainButton()->isEnabled());
        QVERIFY(trees->styleSheet().isEmpty());

        // A compared model's bad value names that model.
        modelItem(page, "logistic_regression")->setCheckState(Qt::Checked);
        QLineEdit* c = lineEditor(page, "C");
        c->setText(QStringLiteral("-1"));
        QVERIFY(page->banner()->hasError());
        QVERIFY(page->banner()->text().contains(QStringLiteral("Logistic regression")));
        QVERIFY(!page->trainButton()->isEnabled());
        c->clear();
        QVERIFY(!page->banner()->hasError());

        // Search values are checked against the kept model's table, by the engine's rules.
        auto* search = page->findChild<QGroupBox*>(QStringLiteral("searchGroup"));
        search->setChecked(true);
        QVERIFY(page->banner()->hasError());  // no values to try yet
        QVERIFY(!page->trainButton()->isEnabled());
        QTableWidget* space = page->searchSpaceTable();
        int depthRow = -1;
        for (int row = 0; row < space->rowCount(); ++row)
            if (space->item(row, 0)->text() == QLatin1String("max_depth"))
                depthRow = row;
        QVERIFY(depthRow >= 0);
        space->item(depthRow, 1)->setText(QStringLiteral("2, -3"));
        QVERIFY(page->banner()->hasError());
        QVERIFY(page->banner()->text().contains(QStringLiteral("max_depth")));
        space->item(depthRow, 1)->setText(QStringLiteral("randint(2, 9)"));  // a grid takes lists only
        QVERIFY(page->banner()->hasError());
        space->item(depthRow, 1)->setText(QStringLiteral("2, 4, none"));
        QVERIFY(!page->banner()->hasError());
        QVERIFY(page->trainButton()->isEnabled());
        // "Suggest values" fills a parameter with values its table allows.
        space->setCurrentCell(depthRow, 1);
        int leafRow = -1;
        for (int row = 0; row < space->rowCount(); ++row)
            if (space->item(row, 0)->text() == QLatin1String("min_samples_leaf"))
                leafRow = row;
        space->setCurrentCell(leafRow, 0);
        QTest::mouseClick(page->findChild<QPushButton*>(QStringLiteral("suggestValuesButton")), Qt::LeftButton);
        QVERIFY(!space->item(leafRow, 1)->text().isEmpty());
        QVERIFY(session->recipe().search->space.count("min_samples_leaf"));
        QVERIFY(!page->banner()->hasError());

        // Stratified folds are not offered for a regression.
        auto* strategy = page->findChild<QComboBox*>(QStringLiteral("cvStrategyCombo"));
        session->setTask(core::TaskType::Regression);
        const auto* items = qobject_cast<QStandardItemModel*>(strategy->model());
        QVERIFY(items);
        QVERIFY(!items->item(strategy->findData(int(evaluation::CvStrategy::StratifiedKFold)))->isEnabled());
        // The comparison keeps only models that solve the new task.
        for (const auto& compared : session->recipe().compareWith) {
            const auto& info = models::findModel(compared.name);
            QVERIFY(std::find(info.tasks.begin(), info.tasks.end(), core::TaskType::Regression) != info.tasks.end());
        }
    }

    void aRunWithTwoModelsFillsTheLeaderboard()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        QVERIFY(loadBuiltin(*session, "iris"));
        workflow::Recipe withValidation = session->recipe();
        withValidation.prep.validationSize = 0.2;
        session->editRecipe(withValidation, QStringLiteral("validation rows"));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.goToStep(MainWizard::TrainingId), 20000);
        TrainingPage* page = wizard.trainingPage();
        QVERIFY(page->selectModel("random_forest"));
        lineEditor(page, "n_estimators")->setText(QStringLiteral("30"));
        modelItem(page, "logistic_regression")->setCheckState(Qt::Checked);

        QSignalSpy result(session, &ui::Session::resultChanged);
        QTest::mouseClick(page->trainButton(), Qt::LeftButton);
        QVERIFY(result.wait(60000));
        QTRY_VERIFY(!session->isTraining());
        const auto run = session->result();
        QCOMPARE(run->leaderboard.size(), std::size_t(2));
        QCOMPARE(run->leaderboardRankedOn, std::string("validation rows"));

        // The leaderboard: both models, the kept one marked, where the ranking was measured.
        ui::LeaderboardTable* board = page->leaderboard();
        QCOMPARE(page->resultTabs()->currentIndex(), int(TrainingPage::LeaderboardTab));
        QVERIFY(page->resultTabs()->isTabEnabled(TrainingPage::LeaderboardTab));
        QCOMPARE(board->rowCount(), 2);
        QVERIFY(board->horizontalHeaderItem(2)->text().contains(QStringLiteral("validation rows")));
        int keptRow = -1;
        int otherRow = -1;
        for (int row = 0; row < 2; ++row) {
            const int entry = board->entryAt(row);
            QVERIFY(entry >= 0);
            const auto& expected = run->leaderboard.at(std::size_t(entry));
            QCOMPARE(board->item(row, 0)->text(), QString::number(row + 1));
            QVERIFY(board->item(row, 1)->text().contains(expected.model.name == "random_forest"
                                                             ? QStringLiteral("Random forest")
                                                             : QStringLiteral("Logistic regression")));
            QCOMPARE(board->item(row, 1)->text().contains(QStringLiteral("kept")), expected.kept);
            QVERIFY(expected.validationScore.has_value());
            QCOMPARE(board->item(row, 2)->text(), QLocale().toString(*expected.validationScore, 'f', 3));
            (expected.kept ? keptRow : otherRow) = row;
        }
        QVERIFY(keptRow >= 0 && otherRow >= 0);
        // Both models reported; the matrix shows the kept model's validation rows.
        QCOMPARE(page->progressModel()->rowCount(), 2);
        QCOMPARE(page->matrixSource(), QStringLiteral("random_forest"));
        QVERIFY(page->liveMatrixModel()->rowCount() == 3);
        QVERIFY(page->chart()->pointCount() > 0);
        QVERIFY(session->hasCurrentResult());

        // Keep the other model: the recipe swaps, and the page says to train again.
        board->selectRow(keptRow);
        QVERIFY(!page->keepEntryButton()->isEnabled());
        board->selectRow(otherRow);
        QVERIFY(page->keepEntryButton()->isEnabled());
        QTest::mouseClick(page->keepEntryButton(), Qt::LeftButton);
        QCOMPARE(session->recipe().model.name, std::string("logistic_regression"));
        QCOMPARE(comparedNames(session->recipe()), std::vector<std::string>{"random_forest"});
        QCOMPARE(session->recipe().compareWith.at(0).params.at("n_estimators"), std::string("30"));
        QVERIFY(!session->hasCurrentResult());
        QVERIFY(page->banner()->text().contains(QStringLiteral("Train again")));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        QCOMPARE(page->trainButton()->text(), QStringLiteral("Train again"));
        // Undo brings the trained recipe back, and with it the result.
        session->undoStack()->undo();
        QVERIFY(session->hasCurrentResult());
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
        QVERIFY(!page->banner()->text().contains(QStringLiteral("Train again")));

        // With cross-validation and a search: the leaderboard ranks on the folds, and the
        // search results list every candidate with the best one marked.
        page->findChild<QGroupBox*>(QStringLiteral("cvGroup"))->setChecked(true);
        page->findChild<QSpinBox*>(QStringLiteral("cvFoldsSpin"))->setValue(3);
        page->findChild<QGroupBox*>(QStringLiteral("searchGroup"))->setChecked(true);
        QTableWidget* space = page->searchSpaceTable();
        for (int row = 0; row < space->rowCount(); ++row)
            if (space->item(row, 0)->text() == QLatin1String("max_depth"))
                space->item(row, 1)->setText(QStringLiteral("1, none"));
        QVERIFY(!page->banner()->hasError());
        QTest::mouseClick(page->trainButton(), Qt::LeftButton);
        QVERIFY(result.wait(60000));
        QTRY_VERIFY(!session->isTraining());
        const auto searched = session->result();
        QVERIFY(searched->search.has_value());
        QCOMPARE(searched->leaderboardRankedOn, std::string("cross-validation"));
        QVERIFY(board->horizontalHeaderItem(ui::LeaderboardTable::RankingColumn)->text().contains(
            QStringLiteral("cross-validation")));
        for (int row = 0; row < board->rowCount(); ++row)
            QVERIFY(board->item(row, ui::LeaderboardTable::RankingColumn)->text().contains(QStringLiteral("±")));
        ui::SearchResultsTable* candidates = page->searchResults();
        QVERIFY(page->resultTabs()->isTabEnabled(TrainingPage::SearchTab));
        QCOMPARE(candidates->rowCount(), 2);
        QVERIFY(candidates->bestRow() >= 0);
        const auto& best = searched->search->candidates.at(searched->search->best);
        QVERIFY(candidates->item(candidates->bestRow(), 0)->text().contains(QStringLiteral("★")));
        QVERIFY(candidates->item(candidates->bestRow(), 1)->font().bold());
        QCOMPARE(candidates->item(candidates->bestRow(), 1)->text(), QString::fromStdString(best.params.at("max_depth")));
        QCOMPARE(candidates->item(candidates->bestRow(), 2)->text(), ui::meanStdText(best.mean, best.std));
        QVERIFY(candidates->item(0, 0)->text().endsWith(QStringLiteral("1")));  // rank 1 first
        QVERIFY(candidates->note().contains(QStringLiteral("max_depth = ") + QString::fromStdString(best.params.at("max_depth"))));
        // The fold scores of both models share a chart.
        const int folds = int(page->chart()->groupTitles().indexOf(QStringLiteral("Accuracy by fold")));
        QVERIFY(folds >= 0);
        QCOMPARE(page->chart()->seriesSources(folds).size(), 2);
        QCOMPARE(page->chart()->seriesPointCount(folds, QStringLiteral("random_forest")), 3);
    }

    void cancelStopsTwoModelsWithinASecond()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        data::DataSource source;
        source.kind = data::DataSourceKind::Generated;
        source.location = "synthetic";
        source.generator.samples = 60000;
        source.generator.features = 20;
        source.generator.informative = 8;
        source.generator.seed = 11;
        session->setObjective(QStringLiteral("Stop two models at once"));
        QSignalSpy loaded(session, &ui::Session::dataChanged);
        session->loadData(source);
        QVERIFY(loaded.wait(120000));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.goToStep(MainWizard::TrainingId), 20000);
        TrainingPage* page = wizard.trainingPage();
        QVERIFY(page->selectModel("random_forest"));
        lineEditor(page, "n_estimators")->setText(QStringLiteral("3000"));
        modelItem(page, "logistic_regression")->setCheckState(Qt::Checked);

        ui::BackgroundTask* task = session->trainingTask();
        QSignalSpy finished(task, &ui::BackgroundTask::finished);
        QTest::mouseClick(page->trainButton(), Qt::LeftButton);
        QVERIFY(task->isRunning());
        QVERIFY(!page->modelList()->isEnabled());
        QVERIFY(!page->paramForm()->isEnabled());
        QCOMPARE(page->resultTabs()->currentIndex(), int(TrainingPage::LiveTab));
        QTRY_VERIFY_WITH_TIMEOUT(page->chart()->pointCount() >= 3, 120000);
        QVERIFY(task->isRunning());
        const int forest = page->progressModel()->rowOf(QStringLiteral("random_forest"));
        QVERIFY(forest >= 0);
        QCOMPARE(page->progressModel()->stateAt(forest), ui::TrainingProgressModel::State::Running);
        QCOMPARE(page->progressModel()->totalStepsAt(forest), 3000);

        QElapsedTimer sinceCancel;
        sinceCancel.start();
        QTest::mouseClick(page->progressPanel()->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        const qint64 stopMs = sinceCancel.elapsed();
        qInfo("cancel took %lld ms", stopMs);
        QVERIFY2(stopMs <= 1000, qPrintable(QStringLiteral("cancel took %1 ms").arg(stopMs)));
        QCOMPARE(task->state(), ui::BackgroundTask::State::Cancelled);
        QCOMPARE(page->progressModel()->stateAt(forest), ui::TrainingProgressModel::State::Stopped);
        QVERIFY(page->progressModel()->data(page->progressModel()->index(forest, 1)).toString().contains(
            QStringLiteral("stopped")));
        QVERIFY(page->banner()->text().contains(QStringLiteral("cancelled")));
        QVERIFY(!session->result());

        // The page is usable again: settings edit the recipe, and Train runs to the end.
        QVERIFY(page->modelList()->isEnabled());
        QVERIFY(page->paramForm()->isEnabled());
        QVERIFY(page->trainButton()->isEnabled());
        QVERIFY(page->selectModel("random_forest"));
        QVERIFY(lineEditor(page, "n_estimators"));
        lineEditor(page, "n_estimators")->setText(QStringLiteral("5"));
        QCOMPARE(session->recipe().model.params.at("n_estimators"), std::string("5"));
        QSignalSpy result(session, &ui::Session::resultChanged);
        QTest::mouseClick(page->trainButton(), Qt::LeftButton);
        QVERIFY(result.wait(180000));
        QTRY_VERIFY(!session->isTraining());
        QCOMPARE(session->result()->leaderboard.size(), std::size_t(2));
        QCOMPARE(page->leaderboard()->rowCount(), 2);
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    }

    void snapshotsFromTwoSourcesMakeTwoSeries()
    {
        MainWizard wizard(false);
        TrainingPage* page = wizard.trainingPage();
        ui::BackgroundTask* task = wizard.session()->trainingTask();

        // A worker reporting as fast as it can, through the relay the tasks use.
        int deliveries = 0;
        ui::ProgressRelay::Sink sink;
        qint64 slowestMs = 0;
        sink.training = [&](const ui::TrainingUpdate& update) {
            ++deliveries;
            QElapsedTimer handling;
            handling.start();
            emit task->trainingUpdated(update);
            slowestMs = std::max(slowestMs, handling.elapsed());
        };
        auto relay = ui::ProgressRelay::create(page, sink);
        core::TaskControl control(relay.get());
        core::TaskControl forest = control.labelled("random_forest");
        core::TaskControl logistic = control.labelled("logistic_regression");
        constexpr int kSteps = 3000;
        QElapsedTimer clock;
        clock.start();
        std::atomic<bool> produced{false};
        std::thread worker([&] {
            for (int step = 1; step <= kSteps; ++step) {
                forest.snapshot(snapshot({}, "validation accuracy", step, kSteps, 0.5 + 0.4 * step / kSteps));
                logistic.snapshot(snapshot({}, "validation accuracy", step, kSteps, 0.6 + 0.3 * step / kSteps));
                core::TrainingSnapshot loss = snapshot({}, "training loss", step, kSteps, 1.0 / step, "iteration",
                                                       "training rows");
                if (step % 100 == 0)
                    loss.confusion = {{step, 1}, {2, step}};
                logistic.snapshot(loss);
                // About 10,000 snapshots a second, for a third of a second.
                if (step % 10 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            // The second fit of the forest (the next fold, say) starts from step 1 again.
            for (int step = 1; step <= 10; ++step)
                forest.snapshot(snapshot({}, "validation accuracy", step, kSteps, 0.7));
            // Fold scores arrive in the order the folds finish.
            for (int fold : {3, 1, 2})
                forest.snapshot(snapshot({}, "accuracy", fold, 3, 0.8 + 0.01 * fold, "fold", "cross-validation fold"));
            produced = true;
        });
        // The GUI thread serves its event loop meanwhile, as it does while a model trains.
        QTRY_VERIFY_WITH_TIMEOUT(produced.load(), 20000);
        worker.join();
        const qint64 producedMs = clock.elapsed();
        QTRY_VERIFY(page->chart()->groupCount() == 3 &&
                    page->chart()->seriesPointCount(2, QStringLiteral("random_forest")) == 3);
        relay->close();
        qInfo("%d snapshots in %lld ms arrived in %d deliveries; the slowest took %lld ms to show", kSteps * 3 + 13,
              producedMs, deliveries, slowestMs);
        // Coalesced: one delivery per ~50 ms of reporting, not one per snapshot.
        QVERIFY(deliveries >= 2);
        // Showing a delivery leaves the GUI thread free for input most of the time.
        QVERIFY2(slowestMs < 500, qPrintable(QStringLiteral("a delivery took %1 ms to show").arg(slowestMs)));
        QVERIFY(deliveries <= 5 + int(clock.elapsed() / 40));

        ui::TrainingChart* chart = page->chart();
        const QStringList titles = chart->groupTitles();
        const int accuracy = int(titles.indexOf(QStringLiteral("Validation accuracy by iteration")));
        const int loss = int(titles.indexOf(QStringLiteral("Training loss by iteration")));
        const int folds = int(titles.indexOf(QStringLiteral("Accuracy by fold")));
        QVERIFY2(accuracy >= 0 && loss >= 0 && folds >= 0, qPrintable(titles.join(QStringLiteral(" | "))));
        // Two sources of one metric: two series in one chart.
        QCOMPARE(chart->seriesSources(accuracy),
                 (QStringList{QStringLiteral("random_forest"), QStringLiteral("logistic_regression")}));
        QCOMPARE(chart->seriesPointCount(accuracy, QStringLiteral("logistic_regression")), kSteps);
        // The forest's series restarted with its second fit.
        QCOMPARE(chart->seriesPointCount(accuracy, QStringLiteral("random_forest")), 10);
        QCOMPARE(chart->seriesSources(loss), QStringList{QStringLiteral("logistic_regression")});
        QCOMPARE(chart->seriesPointCount(folds, QStringLiteral("random_forest")), 3);
        // Until the user picks a chart, it shows a most honest metric (not the training loss).
        QVERIFY(chart->currentGroup() == accuracy || chart->currentGroup() == folds);
        chart->setCurrentGroup(loss);
        QCOMPARE(chart->currentGroup(), loss);

        // One progress row per source; the forest counts its second fit and its folds.
        ui::TrainingProgressModel* progress = page->progressModel();
        QCOMPARE(progress->rowCount(), 2);
        const int forestRow = progress->rowOf(QStringLiteral("random_forest"));
        const int logisticRow = progress->rowOf(QStringLiteral("logistic_regression"));
        QVERIFY(forestRow >= 0 && logisticRow >= 0);
        QCOMPARE(progress->fitsAt(forestRow), 2);
        QCOMPARE(progress->stepAt(logisticRow), kSteps);
        QVERIFY(progress->data(progress->index(forestRow, 2)).toString().contains(QStringLiteral("3 folds")));
        QCOMPARE(progress->data(progress->index(forestRow, 0)).toString(), QStringLiteral("Random forest"));

        // The matrix came from the logistic regression: the last one it reported.
        QCOMPARE(page->matrixSource(), QStringLiteral("logistic_regression"));
        const auto expected = std::vector<std::vector<std::int64_t>>{{kSteps, 1}, {2, kSteps}};
        QVERIFY(page->liveMatrixModel()->matrix() == expected);
    }
};

QTEST_MAIN(TestTrainingPage)
#include "tst_training_page.moc"
