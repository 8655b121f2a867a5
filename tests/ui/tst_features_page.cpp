// The Features page driven through its widgets on builtin:titanic: the feature steps of a
// new recipe are listed; reordering, switching off and parameters edit the recipe and undo
// restores each recipe exactly; a pipeline that leaves a column unencoded blocks Next
// here (and only informs on the Prep page); the preview shows what a step added and
// removed; the order editor writes an ordinal encoding's order; the input columns stay.
#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QUndoStack>

#include "models/step_list_model.hpp"
#include "models/step_rows_model.hpp"
#include "pages/features_page.hpp"
#include "pages/prep_page.hpp"
#include "pages/stage_pipeline.hpp"
#include "session/live_preview.hpp"
#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "tasks/pipeline_check.hpp"
#include "widgets/param_form.hpp"
#include "widgets/pipeline_editor.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/step_preview_view.hpp"
#include "pipeline_page_support.hpp"

using namespace stepwise;
using namespace pipeline_page_test;

namespace {

} // namespace

class TestFeaturesPage : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ui::Session> m_session;
    std::unique_ptr<ui::FeaturesPage> m_page;

    bool current() { return previewIsCurrent(m_page->pipeline()); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_session = std::make_unique<ui::Session>();
        m_page = std::make_unique<ui::FeaturesPage>(m_session.get());
        m_page->resize(1100, 720);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QVERIFY(loadTitanic(*m_session));
        QTRY_VERIFY_WITH_TIMEOUT(current(), kWaitMs);
    }

    void cleanup()
    {
        m_page.reset();
        m_session.reset();
    }

    void listsTheFeatureStepsOfTheRecipe()
    {
        ui::PipelineEditor* editor = m_page->editor();
        QCOMPARE(editor->steps(), workflow::defaultFeatureSteps());
        QCOMPARE(editor->model()->rowCount(), 2);
        // Only feature kinds can be added here.
        QVERIFY(editor->addMenu()->findChild<QAction*>(QStringLiteral("add_scale")));
        QVERIFY(!editor->addMenu()->findChild<QAction*>(QStringLiteral("add_impute")));
        // Once the preview ran them, each row says what was fitted.
        QVERIFY(m_session->recipe().prep.steps.size() == 1);
        const auto& outcome = m_page->pipeline()->check()->preview.steps[2];
        QVERIFY(outcome.ran);
        QCOMPARE(editor->model()->index(1).data(ui::StepListModel::DetailRole).toString(),
                 QString::fromStdString(outcome.description));
        QVERIFY(m_page->isComplete());
        QVERIFY(m_page->inputsSummary().contains(QStringLiteral("numeric inputs")));
    }

    void editsAreUndoneToTheExactRecipe()
    {
        ui::PipelineEditor* editor = m_page->editor();
        QUndoStack* undo = m_session->undoStack();
        std::vector<std::string> seen{json(m_session->recipe())};
        editor->setCurrentStep(1);
        editor->moveCurrentStep(-1);
        QCOMPARE(kinds(m_session->recipe().features.steps), (std::vector<std::string>{"encode", "scale"}));
        seen.push_back(json(m_session->recipe()));
        editor->setCurrentStep(1);
        auto* method = qobject_cast<QComboBox*>(editor->paramForm()->editor("method"));
        QVERIFY(method);
        method->setCurrentText(QStringLiteral("robust"));
        QCOMPARE(m_session->recipe().features.steps[1].params.at("method"), std::string("robust"));
        seen.push_back(json(m_session->recipe()));
        editor->addStep("math");
        QCOMPARE(kinds(m_session->recipe().features.steps), (std::vector<std::string>{"encode", "scale", "math"}));
        seen.push_back(json(m_session->recipe()));
        // Leaving out a column is an edit of the same history.
        m_page->setChecked(QStringLiteral("fare"), false);
        QVERIFY(!m_session->isFeatureUsed("fare"));
        seen.push_back(json(m_session->recipe()));
        QCOMPARE(undo->index(), 4);

        for (int i = 3; i >= 0; --i) {
            undo->undo();
            QCOMPARE(json(m_session->recipe()), seen[std::size_t(i)]);
            QCOMPARE(editor->steps(), m_session->recipe().features.steps);
        }
        QVERIFY(m_page->isChecked(QStringLiteral("fare")));
        for (std::size_t i = 1; i < seen.size(); ++i) {
            undo->redo();
            QCOMPARE(json(m_session->recipe()), seen[i]);
        }
        QVERIFY(!m_page->isChecked(QStringLiteral("fare")));
    }

    void anUnencodedColumnBlocksNextHereButNotOnThePrepPage()
    {
        ui::PrepPage prep(m_session.get());
        prep.resize(1100, 720);
        prep.show();
        QVERIFY(QTest::qWaitForWindowExposed(&prep));
        ui::PipelineEditor* editor = m_page->editor();
        // Switch the encoding off: categories reach the model as text.
        editor->model()->setData(editor->model()->index(1), Qt::Unchecked, Qt::CheckStateRole);
        QTRY_VERIFY_WITH_TIMEOUT(current() && m_page->banner()->hasError(), kWaitMs);
        QVERIFY(!m_page->isComplete());
        QVERIFY(m_page->banner()->text().contains(QStringLiteral("categor"), Qt::CaseInsensitive));
        QTRY_VERIFY_WITH_TIMEOUT(previewIsCurrent(prep.pipeline()), kWaitMs);
        QVERIFY(!prep.banner()->hasError());
        QVERIFY(prep.banner()->text().contains(QStringLiteral("Features step")));
        QVERIFY(prep.isComplete());
        // Ctrl+Z (the session's undo) switches it back on.
        m_session->undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(current() && !m_page->banner()->hasError(), kWaitMs);
        QVERIFY(m_page->isComplete());
    }

    void thePreviewShowsWhatAStepAddedAndRemoved()
    {
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(1);
        QTRY_VERIFY_WITH_TIMEOUT(current() && m_page->pipeline()->check()->selectedStep == std::size_t(2), kWaitMs);
        ui::StepPreviewView* view = m_page->pipeline()->previewView();
        QVERIFY(!view->isShowingPlaceholder());
        const ui::StepRowsModel* before = view->beforeModel();
        const ui::StepRowsModel* after = view->afterModel();
        QVERIFY(before->isOnlyHere(int(*before->table()->indexOf("sex"))));
        QVERIFY(after->table()->hasColumn("sex=male"));
        QVERIFY(after->isOnlyHere(int(*after->table()->indexOf("sex=male"))));
        QVERIFY(!after->isOnlyHere(int(*after->table()->indexOf("age"))));
        // Same rows on both sides, and the encoding changes no number.
        QCOMPARE(before->rowCount(), after->rowCount());
        QCOMPARE(after->changedCount(), 0);
        // The columns offered to the step are the categorical ones reaching it.
        QListWidget* columns = editor->columnList();
        QStringList offered;
        for (int i = 0; i < columns->count(); ++i)
            offered << columns->item(i)->text();
        QVERIFY(offered.contains(QStringLiteral("sex")));
        QVERIFY(!offered.contains(QStringLiteral("age")));
    }

    void theOrderEditorWritesAnOrdinalOrder()
    {
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(1);
        auto* method = qobject_cast<QComboBox*>(editor->paramForm()->editor("method"));
        method->setCurrentText(QStringLiteral("ordinal"));
        QCOMPARE(m_session->recipe().features.steps[1].params.at("method"), std::string("ordinal"));
        // One column: its categories, sorted, ready to be dragged into order.
        editor->setCurrentColumns({"class"});
        QTRY_VERIFY_WITH_TIMEOUT(current(), kWaitMs);
        QListWidget* order = editor->orderList();
        QVERIFY(order->isVisibleTo(m_page.get()));
        QStringList shown;
        for (int i = 0; i < order->count(); ++i)
            shown << order->item(i)->text();
        QCOMPARE(shown, (QStringList{QStringLiteral("First"), QStringLiteral("Second"), QStringLiteral("Third")}));
        // Third class lowest: a drag of the last row to the top.
        QVERIFY(order->model()->moveRow({}, 2, {}, 0));
        QCOMPARE(m_session->recipe().features.steps[1].params.at("order"), std::string("Third,First,Second"));
        QTRY_VERIFY_WITH_TIMEOUT(current(), kWaitMs);
        // The step runs with that order; the other categorical columns are left for another step.
        const auto& outcome = m_page->pipeline()->check()->preview.steps[2];
        QVERIFY2(outcome.ran && outcome.error.empty(), outcome.error.c_str());
        const auto& after = *m_page->pipeline()->previewView()->afterModel()->table();
        QVERIFY(after.column("class").isNumeric());
        const auto& classBefore = m_page->pipeline()->previewView()->beforeModel()->table()->column("class");
        for (std::size_t row = 0; row < after.rowCount(); ++row) {
            const std::string name = classBefore.textAt(row);
            const double code = name == "Third" ? 0.0 : name == "First" ? 1.0 : 2.0;
            QCOMPARE(after.column("class").values()[row], code);
        }
        // Back to one-hot: the order goes, since only ordinal encoding takes one.
        method = qobject_cast<QComboBox*>(editor->paramForm()->editor("method"));
        method->setCurrentText(QStringLiteral("onehot"));
        QCOMPARE(m_session->recipe().features.steps[1].params.count("order"), std::size_t(0));
        QVERIFY(!order->isVisibleTo(m_page.get()));
    }

    void aFormulaIsCheckedAsItIsTyped()
    {
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(-1);
        editor->addStep("formula");
        QCOMPARE(kinds(m_session->recipe().features.steps), (std::vector<std::string>{"scale", "encode", "formula"}));
        QCOMPARE(editor->currentStep(), 2);
        // The expression has its own field; the name stays in the generic form.
        QVERIFY(!editor->paramForm()->editor("expression"));
        auto* name = qobject_cast<QLineEdit*>(editor->paramForm()->editor("name"));
        QVERIFY(name);
        QTest::keyClicks(name, QStringLiteral("ratio"));
        QLineEdit* expression = editor->expressionEdit();
        QVERIFY(expression->isVisibleTo(m_page.get()));
        auto* status = editor->findChild<QLabel*>(QStringLiteral("expressionStatus"));
        QTRY_VERIFY_WITH_TIMEOUT(current(), kWaitMs);
        // Unfinished: the parser says where.
        QTest::keyClicks(expression, QStringLiteral("fare / (age +"));
        QVERIFY2(status->text().startsWith(QStringLiteral("✗ At character")), qPrintable(status->text()));
        QCOMPARE(m_session->recipe().features.steps[2].params.at("expression"), std::string("fare / (age +"));
        // A column that does not reach the step (sex is one-hot encoded by now).
        expression->clear();
        QTest::keyClicks(expression, QStringLiteral("fare / sex"));
        QVERIFY2(status->text().contains(QStringLiteral("sex")), qPrintable(status->text()));
        QVERIFY(status->text().startsWith(QStringLiteral("✗")));
        expression->selectAll();
        QTest::keyClicks(expression, QStringLiteral("fare / (age + 1)"));
        QVERIFY2(status->text().startsWith(QStringLiteral("✓")), qPrintable(status->text()));
        QCOMPARE(m_session->recipe().features.steps[2].params.at("expression"), std::string("fare / (age + 1)"));
        // Typing the expression was one edit per field.
        QCOMPARE(m_session->undoStack()->count(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(current() && !m_page->banner()->hasError(), kWaitMs);
        const auto* after = m_page->pipeline()->previewView()->afterModel();
        QVERIFY(after->table()->hasColumn("ratio"));
        QVERIFY(after->isOnlyHere(int(*after->table()->indexOf("ratio"))));
    }

    void aFormulaMovedFirstIsCheckedAgainstTheColumnsReachingIt()
    {
        // The demo's order of events: add after the first step, move to the top, type at
        // once, before any preview of the new step has come back.
        ui::PipelineEditor* editor = m_page->editor();
        editor->setCurrentStep(0);
        editor->addStep("formula");
        while (editor->currentStep() > 0)
            editor->moveCurrentStep(-1);
        auto* title = editor->findChild<QLabel*>(QStringLiteral("stepTitle"));
        QVERIFY2(title->text().startsWith(QStringLiteral("1. ")), qPrintable(title->text()));
        qobject_cast<QLineEdit*>(editor->paramForm()->editor("name"))->setText(QStringLiteral("family"));
        QLineEdit* expression = editor->expressionEdit();
        expression->insert(QStringLiteral("sibsp + parch + 1"));
        auto* status = editor->findChild<QLabel*>(QStringLiteral("expressionStatus"));
        QTRY_VERIFY_WITH_TIMEOUT(current(), kWaitMs);
        // Once the preview is current, the check has seen the columns reaching the step.
        QVERIFY2(status->text().startsWith(QStringLiteral("✓")), qPrintable(status->text()));
        QCOMPARE(m_session->recipe().features.steps.front().kind, std::string("formula"));
    }

    void inputColumnsStayEditable()
    {
        QCOMPARE(m_page->columnCount(), 14);
        QVERIFY(!m_page->isChecked(QStringLiteral("alive")));
        m_page->findChild<QPushButton*>(QStringLiteral("useNoneButton"))->click();
        QVERIFY(!m_page->isComplete());
        QCOMPARE(m_session->undoStack()->count(), 1);
        m_session->undoStack()->undo();
        QVERIFY(m_page->isComplete());
        QVERIFY(!m_page->isChecked(QStringLiteral("alive")));
        QVERIFY(m_page->isChecked(QStringLiteral("age")));
    }
};

QTEST_MAIN(TestFeaturesPage)
#include "tst_features_page.moc"
