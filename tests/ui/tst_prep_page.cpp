// The Prep page driven through its widgets on builtin:titanic: adding, removing,
// reordering (keys, buttons, drag and drop) and switching steps off change the recipe;
// undo and redo walk back and forth through exactly the recipes seen; a step that cannot
// run puts its error in the banner and keeps Next disabled; the before/after preview
// follows every change; parameters typed in the form land in the recipe; the split bar,
// the duplicates note and the outlier counts show what would happen before it does.
#include <QtTest>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QUndoStack>

#include "models/step_list_model.hpp"
#include "models/step_rows_model.hpp"
#include "pages/duplicate_rows_dialog.hpp"
#include "pages/prep_page.hpp"
#include "pages/stage_pipeline.hpp"
#include "session/live_preview.hpp"
#include "session/session.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/prep/row_checks.hpp"
#include "tasks/pipeline_check.hpp"
#include "widgets/param_form.hpp"
#include "widgets/pipeline_editor.hpp"
#include "widgets/split_bar.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/step_preview_view.hpp"
#include "pipeline_page_support.hpp"

using namespace stepwise;
using namespace pipeline_page_test;

namespace {

QAction* addAction(ui::PipelineEditor* editor, const char* kind)
{
    return editor->addMenu()->findChild<QAction*>(QStringLiteral("add_") + QLatin1String(kind));
}

} // namespace

class TestPrepPage : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ui::Session> m_session;
    std::unique_ptr<ui::PrepPage> m_page;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_session = std::make_unique<ui::Session>();
        m_page = std::make_unique<ui::PrepPage>(m_session.get());
        m_page->resize(1100, 720);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QVERIFY(loadTitanic(*m_session));
        QTRY_VERIFY_WITH_TIMEOUT(previewIsCurrent(m_page->pipeline()), kWaitMs);
    }

    void cleanup()
    {
        m_page.reset();
        m_session.reset();
    }

    void addRemoveReorderAndToggleEditTheRecipe()
    {
        ui::PipelineEditor* editor = m_page->editor();
        QCOMPARE(kinds(m_session->recipe().prep.steps), (std::vector<std::string>{"impute"}));
        // The Add menu offers the prep kinds of the registry, and only those.
        QVERIFY(addAction(editor, "drop_duplicates"));
        QVERIFY(addAction(editor, "impute"));
        QVERIFY(!addAction(editor, "scale"));
        for (QAction* action : editor->addMenu()->actions())
            QVERIFY2(!action->toolTip().isEmpty(), qPrintable(action->text()));

        editor->setCurrentStep(0);
        addAction(editor, "drop_duplicates")->trigger();
        QCOMPARE(kinds(m_session->recipe().prep.steps), (std::vector<std::string>{"impute", "drop_duplicates"}));
        QCOMPARE(editor->currentStep(), 1);

        // Ctrl+Up moves the selected step up; the selection follows it.
        editor->listView()->setFocus();
        QTest::keyClick(editor->listView(), Qt::Key_Up, Qt::ControlModifier);
        QCOMPARE(kinds(m_session->recipe().prep.steps), (std::vector<std::string>{"drop_duplicates", "impute"}));
        QCOMPARE(editor->currentStep(), 0);
        // The Down button moves it back.
        editor->findChild<QToolButton*>(QStringLiteral("moveStepDownButton"))->click();
        QCOMPARE(kinds(m_session->recipe().prep.steps), (std::vector<std::string>{"impute", "drop_duplicates"}));

        // A drop on the list moves the dragged row (as QListView's internal move does).
        ui::StepListModel* model = editor->model();
        std::unique_ptr<QMimeData> dragged(model->mimeData({model->index(1)}));
        QVERIFY(model->canDropMimeData(dragged.get(), Qt::MoveAction, 0, 0, {}));
        model->dropMimeData(dragged.get(), Qt::MoveAction, 0, 0, {});
        QCOMPARE(kinds(m_session->recipe().prep.steps), (std::vector<std::string>{"drop_duplicates", "impute"}));

        // The check box switches a step off without removing it.
        QVERIFY(model->setData(model->index(1), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!m_session->recipe().prep.steps[1].enabled);
        QCOMPARE(model->index(1).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QVERIFY(model->setData(model->index(1), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(m_session->recipe().prep.steps[1].enabled);

        // Delete removes the selected step.
        editor->setCurrentStep(0);
        editor->listView()->setFocus();
        QTest::keyClick(editor->listView(), Qt::Key_Delete);
        QCOMPARE(kinds(m_session->recipe().prep.steps), (std::vector<std::string>{"impute"}));
        QCOMPARE(model->rowCount(), 1);
    }

    void undoAndRedoRestoreEveryRecipeExactly()
    {
        ui::PipelineEditor* editor = m_page->editor();
        QUndoStack* undo = m_session->undoStack();
        std::vector<std::string> seen{json(m_session->recipe())};
        const auto record = [&] {
            QVERIFY(json(m_session->recipe()) != seen.back());
            seen.push_back(json(m_session->recipe()));
            QCOMPARE(undo->index(), int(seen.size()) - 1);
        };

        editor->setCurrentStep(0);
        addAction(editor, "clip_outliers")->trigger();
        record();
        editor->moveCurrentStep(-1);
        record();
        editor->model()->setData(editor->model()->index(1), Qt::Unchecked, Qt::CheckStateRole);
        record();
        // Typing "12.5" is one edit, not four.
        editor->setCurrentStep(1);
        auto* fill = qobject_cast<QLineEdit*>(editor->paramForm()->editor("numeric_fill"));
        QVERIFY(fill);
        fill->clear();
        QTest::keyClicks(fill, QStringLiteral("12.5"));
        QCOMPARE(m_session->recipe().prep.steps[1].params.at("numeric_fill"), std::string("12.5"));
        record();
        // A column checked in the step's list.
        QListWidget* columns = editor->columnList();
        QVERIFY(columns->count() > 0);
        columns->item(0)->setCheckState(Qt::Checked);
        QCOMPARE(m_session->recipe().prep.steps[1].columns.size(), std::size_t(1));
        record();
        // Split settings: the test size spin stepping twice is one edit.
        auto* testSize = m_page->findChild<QDoubleSpinBox*>(QStringLiteral("testSizeSpin"));
        testSize->stepUp();
        testSize->stepUp();
        QCOMPARE(m_session->recipe().prep.testSize, 0.3);
        record();
        m_page->findChild<QDoubleSpinBox*>(QStringLiteral("validationSizeSpin"))->setValue(0.15);
        record();
        m_page->findChild<QCheckBox*>(QStringLiteral("stratifyCheck"))->setChecked(false);
        record();

        for (int i = int(seen.size()) - 2; i >= 0; --i) {
            undo->undo();
            QCOMPARE(json(m_session->recipe()), seen[std::size_t(i)]);
        }
        QVERIFY(!undo->canUndo());
        // The page shows the restored recipe.
        QCOMPARE(editor->steps(), m_session->recipe().prep.steps);
        QCOMPARE(testSize->value(), 0.2);
        for (std::size_t i = 1; i < seen.size(); ++i) {
            undo->redo();
            QCOMPARE(json(m_session->recipe()), seen[i]);
        }
        QVERIFY(!undo->canRedo());
        QCOMPARE(editor->steps(), m_session->recipe().prep.steps);
    }

    void aStepThatCannotRunShowsInTheBannerAndBlocksNext()
    {
        QVERIFY(m_page->isComplete());
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(0);
        // Rename needs one column and a new name; without them it cannot run.
        addAction(editor, "rename")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_page->banner()->hasError(), kWaitMs);
        QVERIFY(!m_page->isComplete());
        QVERIFY2(m_page->banner()->text().contains(QStringLiteral("Prep step 2 “Rename a column”")),
                 qPrintable(m_page->banner()->text()));
        QVERIFY(!m_page->incompleteReason().isEmpty());
        // The list marks the step, with the reason as tooltip.
        const QModelIndex row = editor->model()->index(1);
        QVERIFY(!row.data(ui::StepListModel::ErrorRole).toString().isEmpty());
        QVERIFY(row.data(Qt::DecorationRole).isValid());
        QVERIFY(row.data(Qt::ToolTipRole).toString().contains(row.data(ui::StepListModel::ErrorRole).toString().toHtmlEscaped()));

        // Switching it off lets the pipeline run again.
        editor->model()->setData(row, Qt::Unchecked, Qt::CheckStateRole);
        QTRY_VERIFY_WITH_TIMEOUT(!m_page->banner()->hasError(), kWaitMs);
        QVERIFY(m_page->isComplete());
        // So does undoing the switch-off and then giving it what it needs.
        m_session->undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(m_page->banner()->hasError(), kWaitMs);
        editor->setCurrentStep(1);
        editor->setCurrentColumns({"embark_town"});
        auto* to = qobject_cast<QLineEdit*>(editor->paramForm()->editor("to"));
        QVERIFY(to);
        QTest::keyClicks(to, QStringLiteral("port"));
        QTRY_VERIFY_WITH_TIMEOUT(previewIsCurrent(m_page->pipeline()) && !m_page->banner()->hasError(), kWaitMs);
        QVERIFY(m_page->isComplete());
        // The step's preview shows the new name added and the old one removed.
        const ui::StepRowsModel* after = m_page->pipeline()->previewView()->afterModel();
        const ui::StepRowsModel* before = m_page->pipeline()->previewView()->beforeModel();
        QTRY_VERIFY_WITH_TIMEOUT(after->table() && after->table()->hasColumn("port"), kWaitMs);
        QVERIFY(after->isOnlyHere(int(*after->table()->indexOf("port"))));
        QVERIFY(before->isOnlyHere(int(*before->table()->indexOf("embark_town"))));
    }

    void thePreviewFollowsEveryChange()
    {
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(0);
        ui::StepPreviewView* view = m_page->pipeline()->previewView();
        QTRY_VERIFY_WITH_TIMEOUT(!view->isShowingPlaceholder() && view->afterModel()->rowCount() == 50, kWaitMs);
        const int age = int(*view->afterModel()->table()->indexOf("age"));
        // Filling changes exactly the missing ages among the rows shown.
        const auto& before = *view->beforeModel()->table();
        int missing = 0;
        for (int row = 0; row < 50; ++row)
            missing += before.column("age").isMissing(std::size_t(row)) ? 1 : 0;
        QVERIFY(missing > 0);
        int changed = 0;
        for (int row = 0; row < 50; ++row)
            changed += view->afterModel()->isChanged(row, age) ? 1 : 0;
        QCOMPARE(changed, missing);

        // Filling numbers with a constant: the preview shows it in the filled cells.
        QSignalSpy tables(view, &ui::StepPreviewView::tablesChanged);
        auto* numeric = qobject_cast<QComboBox*>(editor->paramForm()->editor("numeric"));
        numeric->setCurrentText(QStringLiteral("constant"));
        auto* fill = qobject_cast<QLineEdit*>(editor->paramForm()->editor("numeric_fill"));
        fill->clear();
        QTest::keyClicks(fill, QStringLiteral("-7"));
        QTRY_VERIFY_WITH_TIMEOUT(previewIsCurrent(m_page->pipeline()), kWaitMs);
        QVERIFY(tables.count() > 0);
        int sevens = 0;
        for (int row = 0; row < 50; ++row)
            if (view->afterModel()->isChanged(row, age))
                sevens += view->afterModel()->index(row, age).data().toString() == QLatin1String("-7") ? 1 : 0;
        QCOMPARE(sevens, missing);

        // The distribution tab compares the chosen column before and after.
        QTRY_VERIFY_WITH_TIMEOUT(m_page->pipeline()->livePreview()->comparison() != nullptr, kWaitMs);
        QCOMPARE(view->focusColumn(), QStringLiteral("age"));
    }

    void parametersTypedInTheFormLandInTheRecipe()
    {
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(0);
        auto* numeric = qobject_cast<QComboBox*>(editor->paramForm()->editor("numeric"));
        numeric->setCurrentText(QStringLiteral("median"));
        auto* indicator = qobject_cast<QCheckBox*>(editor->paramForm()->editor("indicator"));
        QVERIFY(indicator);
        indicator->setChecked(true);
        auto* categorical = qobject_cast<QComboBox*>(editor->paramForm()->editor("categorical"));
        categorical->setCurrentText(QStringLiteral("constant"));
        auto* fill = qobject_cast<QLineEdit*>(editor->paramForm()->editor("categorical_fill"));
        fill->clear();
        QTest::keyClicks(fill, QStringLiteral("unknown port"));
        const auto& params = m_session->recipe().prep.steps[0].params;
        QCOMPARE(params.at("numeric"), std::string("median"));
        QCOMPARE(params.at("indicator"), std::string("true"));
        QCOMPARE(params.at("categorical"), std::string("constant"));
        QCOMPARE(params.at("categorical_fill"), std::string("unknown port"));
        // The indicator columns appear after the step.
        QTRY_VERIFY_WITH_TIMEOUT(previewIsCurrent(m_page->pipeline()), kWaitMs);
        const auto* after = m_page->pipeline()->previewView()->afterModel();
        int added = 0;
        for (int column = 0; column < after->columnCount(); ++column)
            added += after->isOnlyHere(column) ? 1 : 0;
        QVERIFY(added > 0);
    }

    void theSplitBarShowsTrainValidationAndTest()
    {
        m_page->findChild<QDoubleSpinBox*>(QStringLiteral("validationSizeSpin"))->setValue(0.1);
        QTRY_VERIFY_WITH_TIMEOUT(previewIsCurrent(m_page->pipeline()), kWaitMs);
        const auto& preview = m_page->pipeline()->check()->preview;
        ui::SplitBar* bar = m_page->splitBar();
        QCOMPARE(bar->trainCount(), preview.trainRows);
        QCOMPARE(bar->validationCount(), preview.validationRows);
        QCOMPARE(bar->testCount(), preview.testRows);
        QVERIFY(bar->validationCount() > 0);
        QCOMPARE(bar->trainCount() + bar->validationCount() + bar->testCount(), std::size_t(891));

        // A time order offers date/time and numeric columns only, and turns stratifying off.
        auto* time = m_page->findChild<QComboBox*>(QStringLiteral("timeColumnCombo"));
        QVERIFY(time->findData(QStringLiteral("fare")) > 0);
        QCOMPARE(time->findData(QStringLiteral("sex")), -1);
        QCOMPARE(time->findData(QStringLiteral("survived")), -1);
        time->setCurrentIndex(time->findData(QStringLiteral("fare")));
        QCOMPARE(m_session->recipe().prep.timeColumn, std::string("fare"));
        QVERIFY(!m_session->recipe().prep.stratify);
        QVERIFY(!m_page->findChild<QCheckBox*>(QStringLiteral("stratifyCheck"))->isEnabled());
    }

    void duplicatesAreCountedAndShownBeforeDropping()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_page->pipeline()->check() && m_page->pipeline()->check()->duplicates, kWaitMs);
        const auto check = m_page->pipeline()->check();
        core::TaskControl control;
        const auto expected = prep::findDuplicates(*m_session->table(), check->duplicateColumns, control);
        QVERIFY(!expected.repeats.empty());
        QVERIFY2(m_page->duplicatesText().contains(QString::number(expected.repeats.size())),
                 qPrintable(m_page->duplicatesText()));
        m_page->showDuplicates();
        auto* dialog = m_page->findChild<ui::DuplicateRowsDialog*>();
        QVERIFY(dialog);
        QCOMPARE(dialog->rowsTable()->rowCount(), int(expected.repeats.size()));
        QCOMPARE(dialog->rowsTable()->item(0, 0)->text().toULongLong(), qulonglong(expected.repeats.front()));
        QCOMPARE(dialog->rowsTable()->item(0, 1)->text().toULongLong(), qulonglong(expected.firstOccurrence.front()));
        dialog->close();

        // "Drop them" adds the step first; its row count change shows in the list.
        auto* drop = m_page->findChild<QPushButton*>(QStringLiteral("dropDuplicatesButton"));
        QVERIFY(drop->isVisible());
        drop->click();
        QCOMPARE(m_session->recipe().prep.steps.front().kind, std::string("drop_duplicates"));
        const QString change = QStringLiteral("891 → %1 rows").arg(891 - expected.repeats.size());
        QTRY_COMPARE_WITH_TIMEOUT(m_page->editor()->model()->index(0).data(ui::StepListModel::RowsRole).toString(),
                                  change, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!drop->isVisible(), kWaitMs);
    }

    void outlierCountsShowEachRuleBeforeItIsApplied()
    {
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(0);
        addAction(editor, "remove_outliers")->trigger();
        // Off: nothing is removed yet, but the counts say what each rule would do.
        editor->model()->setData(editor->model()->index(1), Qt::Unchecked, Qt::CheckStateRole);
        QTRY_VERIFY_WITH_TIMEOUT(previewIsCurrent(m_page->pipeline()), kWaitMs);
        const auto check = m_page->pipeline()->check();
        QVERIFY(check->selectedSwitchedOn);
        QVERIFY(check->before);
        QCOMPARE(check->outliers.size(), std::size_t(2));
        core::TaskControl control;
        const auto iqr = prep::findOutliers(*check->before, {}, prep::OutlierRule::Iqr, 1.5, control);
        const auto z = prep::findOutliers(*check->before, {}, prep::OutlierRule::ZScore, 3.0, control);
        std::size_t clipped = 0;
        for (const auto& column : iqr.columns)
            clipped += column.below + column.above;
        const QString note = editor->findChild<QLabel*>(QStringLiteral("stepNote"))->text();
        QVERIFY2(note.contains(QStringLiteral("IQR ×1.5: %1 rows removed / %2 values clipped")
                                   .arg(iqr.rowsAffected)
                                   .arg(clipped)),
                 qPrintable(note));
        QVERIFY2(note.contains(QStringLiteral("z-score ×3: %1 rows removed").arg(z.rowsAffected)), qPrintable(note));
        // The rows entering the step are the training rows, untouched by the step that is off.
        QCOMPARE(check->preview.steps[1].ran, false);
        QCOMPARE(check->before->rowCount(), check->preview.trainRows);
    }
};

QTEST_MAIN(TestPrepPage)
#include "tst_prep_page.moc"
