// The Learn panels, the "Why?" links and the knowledge-check dialog, driven through the
// wizard: every step's panel has the five sections with text; every link of every page
// names a glossary entry and opens that page's Learn panel on it (and the wizard shows
// the panel); the listed controls carry their link and their why on hover; every metric
// the engine reports and every model hyper-parameter has an entry; the quiz opens from a
// panel and from the Learn menu and scores what is clicked. With STEPWISE_TEST_PICTURES=DIR
// a page with its panel open and the quiz dialog are saved there as pictures.
#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QHelpEvent>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocumentFragment>
#include <QToolTip>

#include "pages/evaluation_page.hpp"
#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/step.hpp"
#include "teaching/glossary.hpp"
#include "teaching/learn_content.hpp"
#include "teaching/quiz.hpp"
#include "teaching/quiz_dialog.hpp"
#include "teaching/why_link.hpp"
#include "widgets/param_form.hpp"
#include "wizard/main_wizard.hpp"

using namespace stepwise;
using namespace stepwise::ui::teaching;
using stepwise::ui::MainWizard;

namespace {

WhyLink* linkOf(QWidget* page, QWidget* target)
{
    for (WhyLink* link : page->findChildren<WhyLink*>())
        if (link->target() == target)
            return link;
    return nullptr;
}

/// The block the Learn panel's cursor is on.
QString cursorBlock(const ui::WizardStepPage* page) { return page->learnPanel()->textCursor().block().text(); }

} // namespace

class TestLearnPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyPanelHasTheFiveSections()
    {
        MainWizard wizard(false);
        const QStringList titles = learnSectionTitles();
        QCOMPARE(titles.size(), 5);
        for (int id = 0; id < MainWizard::PageCount; ++id) {
            const Step step = Step(id);
            const LearnContent content = learnContent(step);
            QVERIFY2(content.purpose.size() > 30, qPrintable(stepId(step)));
            for (const QStringList* list : {&content.activities, &content.pitfalls, &content.tips}) {
                QVERIFY2(list->size() >= 2, qPrintable(stepId(step)));
                for (const QString& item : *list)
                    QVERIFY2(item.size() > 15, qPrintable(stepId(step)));
            }
            QVERIFY2(content.timeShare.contains(QLatin1Char('%')), qPrintable(stepId(step)));
            QVERIFY2(content.timeShare.contains(QStringLiteral("var")), qPrintable(stepId(step)));  // "vary"/"varies"

            const QString panel = wizard.stepPage(id)->learnPanel()->toPlainText();
            QVERIFY2(panel.contains(stepName(step)), qPrintable(panel.left(80)));
            int last = -1;
            for (const QString& title : titles) {
                const int at = panel.indexOf(title);
                QVERIFY2(at > last, qPrintable(stepId(step) + QStringLiteral(": ") + title));
                last = at;
            }
            QVERIFY(panel.contains(QTextDocumentFragment::fromHtml(content.activities.first()).toPlainText()));
            QVERIFY(panel.contains(QStringLiteral("Check yourself: %1 questions").arg(quizQuestions(step).size())));
        }
    }

    void everyWhyLinkOpensItsEntry()
    {
        MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        int links = 0;
        for (int id = 0; id < MainWizard::PageCount; ++id) {
            ui::WizardStepPage* page = wizard.stepPage(id);
            const auto pageLinks = page->findChildren<WhyLink*>();
            QVERIFY2(!pageLinks.isEmpty(), qPrintable(page->stepTitle()));
            const QStringList listed = page->learnGlossaryKeys();
            for (WhyLink* link : pageLinks) {
                const QString key = link->currentKey();
                if (key.isEmpty())
                    continue;  // an item view without rows yet
                const auto entry = glossaryEntry(key);
                QVERIFY2(entry, qPrintable(key));
                for (const QString& other : link->keys())
                    QVERIFY2(glossaryEntry(other) && listed.contains(other), qPrintable(other));
                wizard.setLearnVisible(false);
                QVERIFY(!page->isLearnVisible());
                link->activate();
                QVERIFY2(page->isLearnVisible(), qPrintable(key));
                // The wizard shows the panel on every page (F1 state follows).
                QVERIFY(wizard.stepPage((id + 1) % MainWizard::PageCount)->isLearnVisible());
                QVERIFY2(cursorBlock(page).startsWith(entry->term), qPrintable(key + QStringLiteral(": ") + cursorBlock(page)));
                QVERIFY(page->learnPanel()->toHtml().contains(glossaryAnchor(key)));
                ++links;
            }
        }
        QVERIFY(links >= 25);

        // A click on the link does the same as activate().
        ui::WizardStepPage* problem = wizard.stepPage(MainWizard::ProblemId);
        wizard.setLearnVisible(false);
        WhyLink* objective = linkOf(problem, problem->findChild<QWidget*>(QStringLiteral("objectiveEdit")));
        QVERIFY(objective);
        QVERIFY(objective->isVisible());
        emit objective->linkActivated(QStringLiteral("why"));
        QVERIFY(problem->isLearnVisible());
        QVERIFY(cursorBlock(problem).startsWith(glossaryEntry(QStringLiteral("option/objective"))->term));
        savePicture(wizard.grab().toImage(), QStringLiteral("learn-panel-problem.png"));

        // Unknown keys open nothing.
        wizard.setLearnVisible(false);
        problem->showGlossaryEntry(QStringLiteral("metric/no_such_metric"));
        QVERIFY(!problem->isLearnVisible());
    }

    void picturesOfThePagesWithTheirPanel()
    {
        if (qEnvironmentVariableIsEmpty("STEPWISE_TEST_PICTURES"))
            QSKIP("pictures only with STEPWISE_TEST_PICTURES");
        for (const auto& [id, key] : std::vector<std::pair<int, QString>>{
                 {MainWizard::PrepId, QStringLiteral("option/test_size")},
                 {MainWizard::TrainingId, QStringLiteral("option/cv_stratified")},
                 {MainWizard::EvaluationId, QStringLiteral("option/confusion_matrix")}}) {
            MainWizard wizard(false);
            wizard.setFixedSize(1280, 800);
            wizard.setStartId(id);
            wizard.restart();
            wizard.show();
            QVERIFY(QTest::qWaitForWindowExposed(&wizard));
            wizard.stepPage(id)->showGlossaryEntry(key);
            QVERIFY(wizard.stepPage(id)->isLearnVisible());
            savePicture(wizard.grab().toImage(), QStringLiteral("learn-panel-%1.png").arg(stepId(Step(id))));
        }
    }

    void theListedControlsHaveLinksAndTooltips_data()
    {
        QTest::addColumn<int>("page");
        QTest::addColumn<QString>("widget");
        QTest::addColumn<QString>("key");
        const auto row = [](int page, const char* widget, const char* key) {
            QTest::newRow(widget) << page << QString::fromLatin1(widget) << QString::fromLatin1(key);
        };
        row(MainWizard::ProblemId, "classificationRadio", "option/task");
        row(MainWizard::ProblemId, "objectiveEdit", "option/objective");
        row(MainWizard::ProblemId, "problemTargetCombo", "option/target");
        row(MainWizard::ProblemId, "metricCombo", "metric/accuracy");
        row(MainWizard::ProblemId, "successCheck", "option/success_threshold");
        row(MainWizard::ProblemId, "latencySpin", "option/latency_budget");
        row(MainWizard::DataId, "builtinCombo", "option/dataset");
        row(MainWizard::DataId, "dataTargetCombo", "option/target");
        row(MainWizard::DataId, "columnOverview", "option/column_kind");
        row(MainWizard::PrepId, "testSizeSpin", "option/test_size");
        row(MainWizard::PrepId, "validationSizeSpin", "option/validation_size");
        row(MainWizard::PrepId, "stratifyCheck", "option/stratify");
        row(MainWizard::PrepId, "timeColumnCombo", "option/time_column");
        row(MainWizard::PrepId, "seedSpin", "option/seed");
        row(MainWizard::PrepId, "showDuplicatesButton", "option/duplicates");
        row(MainWizard::FeaturesId, "featureColumns", "option/target_leak");
        row(MainWizard::TrainingId, "modelList", "option/models");
        row(MainWizard::TrainingId, "cvStrategyCombo", "option/cv_stratified");
        row(MainWizard::TrainingId, "cvFoldsSpin", "option/cv_folds");
        row(MainWizard::TrainingId, "cvGapSpin", "option/cv_gap");
        row(MainWizard::TrainingId, "searchKindCombo", "option/search_kind");
        row(MainWizard::TrainingId, "searchIterationsSpin", "option/search_iterations");
        row(MainWizard::TrainingId, "searchScoringCombo", "option/search_scoring");
        row(MainWizard::EvaluationId, "evaluationConfusionMatrix", "option/confusion_matrix");
        row(MainWizard::ExportId, "saveModelButton", "option/model_file");
        row(MainWizard::ExportId, "exportOnnxButton", "option/onnx");
        row(MainWizard::ExportId, "scoreCsvButton", "option/drift");
    }

    void theListedControlsHaveLinksAndTooltips()
    {
        QFETCH(int, page);
        QFETCH(QString, widget);
        QFETCH(QString, key);
        MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::WizardStepPage* stepPage = wizard.stepPage(page);
        auto* control = stepPage->findChild<QWidget*>(widget);
        QVERIFY(control);
        WhyLink* link = linkOf(stepPage, control);
        QVERIFY(link);
        QCOMPARE(link->currentKey(), key);
        // The why follows the control's own tooltip.
        const QString why = glossaryEntry(key)->why.toHtmlEscaped();
        const QString tip = whyToolTip(control);
        QVERIFY2(tip.contains(why), qPrintable(tip));
        if (!control->toolTip().isEmpty() && !Qt::mightBeRichText(control->toolTip()))
            QVERIFY(tip.contains(control->toolTip().toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))));

        // Hovering really shows it (on the current page, where the control is visible).
        if (page == MainWizard::ProblemId) {
            QHelpEvent help(QEvent::ToolTip, QPoint(4, 4), control->mapToGlobal(QPoint(4, 4)));
            QApplication::sendEvent(control, &help);
            QTRY_VERIFY(QToolTip::isVisible());
            QVERIFY(QToolTip::text().contains(why));
            QToolTip::hideText();
        }
    }

    void theMetricComboFollowsItsChoice()
    {
        MainWizard wizard(false);
        auto* combo = wizard.stepPage(MainWizard::ProblemId)->findChild<QComboBox*>(QStringLiteral("metricCombo"));
        QVERIFY(combo);
        WhyLink* link = linkOf(wizard.stepPage(MainWizard::ProblemId), combo);
        QVERIFY(link);
        combo->setCurrentIndex(combo->findData(QStringLiteral("f1_macro")));
        QCOMPARE(link->currentKey(), QStringLiteral("metric/f1_macro"));
        QVERIFY(whyToolTip(combo).contains(glossaryEntry(QStringLiteral("metric/f1_macro"))->why.toHtmlEscaped()));
        QCOMPARE(link->keys().size(), int(evaluation::metricsFor(core::TaskType::Classification).size()));
    }

    void theMetricsTableExplainsEachRow()
    {
        MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::WizardStepPage* page = wizard.stepPage(MainWizard::EvaluationId);
        auto* table = page->findChild<QTableWidget*>(QStringLiteral("metricsTable"));
        QVERIFY(table);
        WhyLink* link = linkOf(page, table);
        QVERIFY(link);
        // Rows as the page writes them: the report name in UserRole of column 0.
        table->setRowCount(2);
        for (int row = 0; row < 2; ++row) {
            auto* item = new QTableWidgetItem(row == 0 ? QStringLiteral("Accuracy") : QStringLiteral("Log loss"));
            item->setData(Qt::UserRole, row == 0 ? QStringLiteral("accuracy") : QStringLiteral("log_loss"));
            table->setItem(row, 0, item);
            table->setItem(row, 1, new QTableWidgetItem(QStringLiteral("0.5")));
        }
        QCOMPARE(link->currentKey(), QStringLiteral("metric/accuracy"));
        QCOMPARE(link->keys(), (QStringList{QStringLiteral("metric/accuracy"), QStringLiteral("metric/log_loss")}));
        table->setCurrentCell(1, 1);
        QCOMPARE(link->currentKey(), QStringLiteral("metric/log_loss"));
        // Activating a row (double-click, Enter) opens its entry.
        emit table->activated(table->model()->index(1, 1));
        QVERIFY(page->isLearnVisible());
        QVERIFY(cursorBlock(page).startsWith(QStringLiteral("Log loss")));
    }

    void everyMetricAndHyperParameterHasAnEntry()
    {
        for (const auto task : {core::TaskType::Classification, core::TaskType::Regression})
            for (const auto& metric : evaluation::metricsFor(task)) {
                const auto entry = glossaryEntry(metricGlossaryKey(metric.name));
                QVERIFY2(entry, metric.name.c_str());
                QVERIFY(!entry->term.isEmpty() && entry->why.size() > 20 && entry->more.size() > 20);
            }
        for (const auto& model : models::modelRegistry())
            for (const auto& param : model.params)
                QVERIFY2(!paramGlossaryKey(model.name, param.name).isEmpty(), (model.name + "." + param.name).c_str());
        // The prep and feature options the issue names.
        for (const auto& [kind, name] : std::vector<std::pair<std::string, std::string>>{
                 {"impute", "numeric"}, {"impute", "categorical"}, {"clip_outliers", "method"},
                 {"remove_outliers", "method"}, {"resample", "method"}, {"scale", "method"}, {"encode", "method"}}) {
            QVERIFY2(prep::findStep(kind).params.size() > 0, kind.c_str());
            QCOMPARE(paramGlossaryKey(kind, name), QStringLiteral("param/%1/%2").arg(QString::fromStdString(kind), QString::fromStdString(name)));
        }
        QVERIFY(paramGlossaryKey("random_forest", "no_such_parameter").isEmpty());
        QVERIFY(!glossaryEntry(QStringLiteral("metric/no_such_metric")));
        // Keys are unique and every entry has all its text.
        QSet<QString> keys;
        for (const GlossaryEntry& entry : glossaryEntries()) {
            QVERIFY2(!keys.contains(entry.key), qPrintable(entry.key));
            keys.insert(entry.key);
            QVERIFY2(!entry.term.isEmpty() && !entry.why.isEmpty() && !entry.more.isEmpty(), qPrintable(entry.key));
        }
    }

    void theParameterFormLinksEveryHyperParameter()
    {
        for (const auto& model : models::modelRegistry()) {
            ui::ParamForm form;
            form.setSpecs(model.params, {}, model.name);
            for (const auto& param : model.params) {
                QWidget* editor = form.editor(param.name);
                QVERIFY(editor);
                WhyLink* link = linkOf(&form, editor);
                QVERIFY2(link, (model.name + "." + param.name).c_str());
                QCOMPARE(link->currentKey(), paramGlossaryKey(model.name, param.name));
                QVERIFY(whyToolTip(editor).contains(glossaryEntry(link->currentKey())->why.toHtmlEscaped()));
            }
        }
    }

    void theQuizOpensFromAPanelAndScores()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::WizardStepPage* page = wizard.stepPage(MainWizard::PrepId);
        emit page->learnPanel()->anchorClicked(QUrl(QStringLiteral("quiz:prep")));
        auto* dialog = page->findChild<QuizDialog*>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        const auto questions = quizQuestions(Step::Prep);
        QCOMPARE(dialog->check().questionCount(), int(questions.size()));
        // First wrong, the rest right.
        for (int i = 0; i < int(questions.size()); ++i) {
            QCOMPARE(dialog->currentQuestion(), i);
            const int choice = i == 0 ? (questions[0].correct + 1) % int(questions[0].options.size()) : questions[std::size_t(i)].correct;
            auto* option = dialog->findChild<QRadioButton*>(QStringLiteral("quizOption%1").arg(choice));
            QVERIFY(option);
            auto* checkButton = dialog->findChild<QPushButton*>(QStringLiteral("quizCheckButton"));
            QVERIFY(!checkButton->isEnabled());
            option->click();
            QVERIFY(checkButton->isEnabled());
            checkButton->click();
            const QString feedback = dialog->findChild<QLabel*>(QStringLiteral("quizFeedback"))->text();
            QVERIFY(feedback.contains(questions[std::size_t(i)].options[std::size_t(choice)].explanation.toHtmlEscaped()));
            QVERIFY(feedback.contains(i == 0 ? QStringLiteral("Not quite") : QStringLiteral("</b> Right:")));
            // The right option is marked in place.
            QVERIFY(dialog->findChild<QRadioButton*>(QStringLiteral("quizOption%1").arg(questions[std::size_t(i)].correct))
                        ->text()
                        .startsWith(QStringLiteral("✓ ")));
            // Every other option is explained too.
            for (const QuizOption& other : questions[std::size_t(i)].options)
                QVERIFY(feedback.contains(other.explanation.toHtmlEscaped()));
            if (i == 0)
                savePicture(dialog->grab().toImage(), QStringLiteral("quiz-dialog.png"));
            dialog->findChild<QPushButton*>(QStringLiteral("quizNextButton"))->click();
        }
        QCOMPARE(dialog->currentQuestion(), -1);
        QCOMPARE(dialog->scoreText(), QStringLiteral("%1 of %2 correct").arg(questions.size() - 1).arg(questions.size()));
        QVERIFY(dialog->summaryText().contains(QStringLiteral("Worth revisiting: Prep")));
        savePicture(dialog->grab().toImage(), QStringLiteral("quiz-score.png"));
        dialog->findChild<QPushButton*>(QStringLiteral("quizRestartButton"))->click();
        QCOMPARE(dialog->currentQuestion(), 0);
        QCOMPARE(dialog->check().answeredCount(), 0);
        dialog->close();
    }

    void theLearnMenuOpensTheWholeCheck()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QAction* action = wizard.learnMenu()->findChild<QAction*>(QStringLiteral("knowledgeCheckAction"));
        if (!action)
            for (QAction* candidate : wizard.learnMenu()->actions())
                if (candidate->objectName() == QLatin1String("knowledgeCheckAction"))
                    action = candidate;
        QVERIFY(action);
        action->trigger();
        auto* dialog = wizard.findChild<QuizDialog*>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->check().questionCount(), int(quizQuestions().size()));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("quizProgress"))->text().contains(QStringLiteral("Step: Problem")));
        dialog->close();
    }

private:
    static void savePicture(const QImage& image, const QString& name)
    {
        const QString folder = qEnvironmentVariable("STEPWISE_TEST_PICTURES");
        if (folder.isEmpty())
            return;
        QDir().mkpath(folder);
        QVERIFY(image.save(QDir(folder).filePath(name)));
    }
};

QTEST_MAIN(TestLearnPanel)
#include "tst_learn_panel.moc"
