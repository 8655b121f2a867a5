// The wizard end to end: all seven steps on builtin:iris with the real widgets —
// Next enablement rules, background loading and training, the evaluation page showing
// the run's numbers, and a saved model that loads back.
#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QAction>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>

#include "models/confusion_matrix_model.hpp"
#include "models/table_model.hpp"
#include "pages/data_page.hpp"
#include "pages/evaluation_page.hpp"
#include "pages/export_page.hpp"
#include "pages/features_page.hpp"
#include "pages/prep_page.hpp"
#include "pages/problem_page.hpp"
#include "pages/training_page.hpp"
#include "session/session.hpp"
#include "stepwise/io/model_archive.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/param_form.hpp"
#include "widgets/pipeline_editor.hpp"
#include "widgets/split_bar.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/verdict_badge.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/step_rail.hpp"

using namespace stepwise;
using stepwise::ui::MainWizard;

class TestWizard : public QObject {
    Q_OBJECT

private:
    template<typename T>
    T* find(QWidget* root, const char* name)
    {
        T* widget = root->findChild<T*>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no widget named %s", name);
        return widget;
    }
    static bool nextEnabled(MainWizard& wizard) { return wizard.button(QWizard::NextButton)->isEnabled(); }
    static void clickNext(MainWizard& wizard, int expected)
    {
        QVERIFY2(nextEnabled(wizard), qPrintable(wizard.stepPage(wizard.currentId())->incompleteReason()));
        wizard.button(QWizard::NextButton)->click();
        QCOMPARE(wizard.currentId(), expected);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void walksAllSevenSteps()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        ui::Session* session = wizard.session();
        QCOMPARE(wizard.windowTitle(), QStringLiteral("Untitled[*] — Stepwise"));
        // Building the pages must not rewrite the recipe's defaults.
        QCOMPARE(session->recipe().prep.testSize, workflow::PrepSpec{}.testSize);
        QVERIFY(session->recipe().features.steps == workflow::FeatureSpec{}.steps);
        QVERIFY(session->recipe().prep.steps == workflow::PrepSpec{}.steps);

        // 1 Problem: Next waits for the objective, and says so.
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(wizard.problemPage()->hintText().contains(QStringLiteral("objective")));
        find<QRadioButton>(&wizard, "classificationRadio")->click();
        QTest::keyClicks(find<QLineEdit>(&wizard, "objectiveEdit"), QStringLiteral("Tell iris species apart"));
        QVERIFY(nextEnabled(wizard));
        QVERIFY(wizard.problemPage()->hintText().isEmpty());
        find<QCheckBox>(&wizard, "successCheck")->setChecked(true);
        auto* metric = find<QComboBox>(&wizard, "metricCombo");
        metric->setCurrentIndex(metric->findData(QStringLiteral("accuracy")));
        find<QDoubleSpinBox>(&wizard, "thresholdSpin")->setValue(0.8);
        QVERIFY(session->recipe().problem.success.has_value());
        QCOMPARE(session->recipe().problem.success->metric, std::string("accuracy"));
        QCOMPARE(session->recipe().problem.success->threshold, 0.8);
        QVERIFY(session->recipe().problem.success->atLeast);
        clickNext(wizard, MainWizard::DataId);

        // 2 Data: nothing loaded yet, so no Next; a builtin loads in the background
        // and brings its suggested target.
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(wizard.dataPage()->hintText().contains(QStringLiteral("load")));
        QSignalSpy loaded(session, &ui::Session::dataChanged);
        auto* builtin = find<QComboBox>(&wizard, "builtinCombo");
        builtin->setCurrentIndex(builtin->findData(QStringLiteral("iris")));
        QVERIFY(loaded.wait(20000));
        QVERIFY(session->table());
        QCOMPARE(session->table()->rowCount(), std::size_t(150));
        QCOMPARE(session->recipe().problem.target, std::string("species"));
        QCOMPARE(session->recipe().data.kind, data::DataSourceKind::Builtin);
        const QString summary = find<QLabel>(&wizard, "dataSummary")->text();
        QVERIFY2(summary.contains(QStringLiteral("150 rows × 5 columns")), qPrintable(summary));
        auto* view = find<QTableView>(&wizard, "dataTable");
        QCOMPARE(view->model()->rowCount(), 150);
        QCOMPARE(view->model()->columnCount(), 5);
        QCOMPARE(find<QComboBox>(&wizard, "dataTargetCombo")->currentText(), QStringLiteral("species"));
        QVERIFY(nextEnabled(wizard));
        // Regression needs a numeric target: the page refuses and says why.
        const auto success = session->recipe().problem.success;
        session->setTask(core::TaskType::Regression);
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(wizard.dataPage()->hintText().contains(QStringLiteral("numeric")));
        session->setTask(core::TaskType::Classification);
        session->setSuccess(success);
        QVERIFY(nextEnabled(wizard));
        // The target combo on the Problem page is the same recipe field.
        find<QComboBox>(&wizard, "dataTargetCombo")->setCurrentText(QStringLiteral("petal_width"));
        QCOMPARE(session->recipe().problem.target, std::string("petal_width"));
        QCOMPARE(find<QComboBox>(&wizard, "problemTargetCombo")->currentText(), QStringLiteral("petal_width"));
        find<QComboBox>(&wizard, "dataTargetCombo")->setCurrentText(QStringLiteral("species"));
        QCOMPARE(session->recipe().problem.target, std::string("species"));
        clickNext(wizard, MainWizard::PrepId);

        // 3 Prep: the default pipeline fills gaps; the median rule is set in the step's form,
        // and the window's undo action takes it back.
        ui::PipelineEditor* prepSteps = wizard.prepPage()->editor();
        QCOMPARE(prepSteps->steps().size(), std::size_t(1));
        QCOMPARE(prepSteps->steps().front().kind, std::string("impute"));
        prepSteps->setCurrentStep(0);
        auto* numeric = qobject_cast<QComboBox*>(prepSteps->paramForm()->editor("numeric"));
        QVERIFY(numeric);
        numeric->setCurrentText(QStringLiteral("median"));
        QCOMPARE(session->recipe().prep.steps.front().params.at("numeric"), std::string("median"));
        wizard.undoAction()->trigger();
        QVERIFY(session->recipe().prep.steps.front().params.empty());
        // The form follows the restored recipe (it is rebuilt: fetch its editor again).
        numeric = qobject_cast<QComboBox*>(prepSteps->paramForm()->editor("numeric"));
        QVERIFY(numeric);
        QCOMPARE(numeric->currentText(), QStringLiteral("mean"));
        wizard.redoAction()->trigger();
        QCOMPARE(session->recipe().prep.steps.front().params.at("numeric"), std::string("median"));
        // The same from the keyboard: Ctrl+Z, Ctrl+Shift+Z, and Ctrl+Y for redo.
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        prepSteps->listView()->setFocus();
        QTest::keyClick(prepSteps->listView(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(session->recipe().prep.steps.front().params.empty());
        QTest::keyClick(prepSteps->listView(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(session->recipe().prep.steps.front().params.at("numeric"), std::string("median"));
        QTest::keyClick(prepSteps->listView(), Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(prepSteps->listView(), Qt::Key_Y, Qt::ControlModifier);
        QCOMPARE(session->recipe().prep.steps.front().params.at("numeric"), std::string("median"));
        find<QDoubleSpinBox>(&wizard, "testSizeSpin")->setValue(0.25);
        find<QCheckBox>(&wizard, "stratifyCheck")->setChecked(true);
        find<QSpinBox>(&wizard, "seedSpin")->setValue(7);
        QCOMPARE(session->recipe().prep.testSize, 0.25);
        QVERIFY(session->recipe().prep.stratify);
        QCOMPARE(session->recipe().seed, std::uint64_t(7));
        // The preview of the selected step comes in the background; iris splits cleanly.
        QTRY_VERIFY_WITH_TIMEOUT(wizard.prepPage()->splitBar()->testCount() == 38, 20000);
        QVERIFY(!wizard.prepPage()->banner()->hasError());
        clickNext(wizard, MainWizard::FeaturesId);

        // 4 Features: the target is not offered; no inputs means no Next.
        QCOMPARE(wizard.featuresPage()->columnCount(), 4);
        QVERIFY(!wizard.featuresPage()->isChecked(QStringLiteral("species")));
        find<QPushButton>(&wizard, "useNoneButton")->click();
        QVERIFY(!nextEnabled(wizard));
        QCOMPARE(session->recipe().prep.dropColumns.size(), std::size_t(4));
        find<QPushButton>(&wizard, "useAllButton")->click();
        QVERIFY(nextEnabled(wizard));
        QVERIFY(session->recipe().prep.dropColumns.empty());
        // The feature steps a new recipe starts with: standard scaling, one-hot encoding.
        QCOMPARE(wizard.featuresPage()->editor()->steps(), workflow::defaultFeatureSteps());
        clickNext(wizard, MainWizard::TrainingId);

        // 5 Training: Next waits for a result; a bad parameter blocks Train with the
        // engine's own message.
        QVERIFY(wizard.trainingPage()->selectModel("logistic_regression"));
        QTest::mouseClick(wizard.trainingPage()->keepButton(), Qt::LeftButton);
        QCOMPARE(session->recipe().model.name, std::string("logistic_regression"));
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(wizard.trainingPage()->hintText().contains(QStringLiteral("Train")));
        auto* c = qobject_cast<QLineEdit*>(wizard.findChild<QWidget*>(QStringLiteral("param_C")));
        QVERIFY(c);
        c->setText(QStringLiteral("-1"));
        QVERIFY(!wizard.trainingPage()->trainButton()->isEnabled());
        QVERIFY(wizard.trainingPage()->banner()->hasError());
        QVERIFY(wizard.trainingPage()->banner()->text().contains(QStringLiteral("C")));
        c->setText(QString());
        QVERIFY(wizard.trainingPage()->trainButton()->isEnabled());
        QVERIFY(!wizard.trainingPage()->banner()->hasError());

        QSignalSpy result(session, &ui::Session::resultChanged);
        QTest::mouseClick(wizard.trainingPage()->trainButton(), Qt::LeftButton);
        QVERIFY(result.wait(60000));
        QVERIFY(session->hasCurrentResult());
        QVERIFY(nextEnabled(wizard));
        const auto run = session->result();
        QVERIFY(run->classification.has_value());
        QCOMPARE(run->pipeline->classes(), (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
        QCOMPARE(run->testRows.size(), std::size_t(38));  // ceil(0.25 × 150)
        // Changing the recipe invalidates the result; changing it back restores it.
        find<QSpinBox>(&wizard, "seedSpin")->setValue(8);
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(wizard.trainingPage()->hintText().contains(QStringLiteral("changed")));
        find<QSpinBox>(&wizard, "seedSpin")->setValue(7);
        QVERIFY(nextEnabled(wizard));
        // Objective and success criterion do not change what is trained.
        session->setObjective(QStringLiteral("Tell iris species apart, quickly"));
        QVERIFY(session->hasCurrentResult());
        clickNext(wizard, MainWizard::EvaluationId);

        // 6 Evaluation: the page shows this run's numbers.
        QTableWidget* metrics = wizard.evaluationPage()->metricsTable();
        int accuracyRow = -1;
        for (int row = 0; row < metrics->rowCount(); ++row) {
            if (metrics->item(row, 0)->data(Qt::UserRole).toString() == QLatin1String("accuracy"))
                accuracyRow = row;
        }
        QVERIFY(accuracyRow >= 0);
        QCOMPARE(metrics->item(accuracyRow, 1)->data(Qt::UserRole).toDouble(), run->classification->accuracy);
        QCOMPARE(metrics->item(accuracyRow, 1)->text(), ui::formatMetric(run->classification->accuracy));
        QCOMPARE(metrics->rowCount(), int(evaluation::metricsFor(core::TaskType::Classification).size()));
        ui::ConfusionMatrixModel* confusion = wizard.evaluationPage()->matrixModel();
        QCOMPARE(wizard.evaluationPage()->matrix()->model(), confusion);
        QVERIFY(confusion->matrix() == run->classification->confusion);
        QCOMPARE(confusion->classNames(),
                 (QStringList{QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")}));
        std::int64_t total = 0;
        for (const auto& row : confusion->matrix())
            for (auto count : row)
                total += count;
        QCOMPARE(total, std::int64_t(38));
        // The Row % toggle in the heatmap's corner switches the model.
        auto* rowPercent = wizard.evaluationPage()->matrix()->findChild<QToolButton*>(QStringLiteral("rowPercentButton"));
        QVERIFY(rowPercent);
        rowPercent->click();
        QCOMPARE(confusion->mode(), ui::ConfusionMatrixModel::Mode::RowNormalized);
        QVERIFY(!wizard.evaluationPage()->matrix()->grab().isNull());
        const bool passed = run->classification->accuracy >= 0.8;
        ui::VerdictBadge* verdict = wizard.evaluationPage()->verdict();
        QCOMPARE(verdict->outcome(), passed ? ui::VerdictBadge::Outcome::Passed : ui::VerdictBadge::Outcome::Failed);
        QVERIFY2(verdict->detail().startsWith(QStringLiteral("accuracy = ") +
                                              ui::formatMetric(run->classification->accuracy, 0.8)),
                 qPrintable(verdict->detail()));
        QVERIFY(verdict->detail().contains(passed ? QStringLiteral("≥ 0.8 ✓") : QStringLiteral("< 0.8 ✗")));
        const QString report = find<QPlainTextEdit>(&wizard, "classificationReport")->toPlainText();
        QVERIFY(report.contains(QStringLiteral("versicolor")));
        QVERIFY(report.contains(QStringLiteral("macro avg")));
        QCOMPARE(find<QTableWidget>(&wizard, "perClassTable")->rowCount(), 3);
        clickNext(wizard, MainWizard::ExportId);

        // 7 Export: Finish waits for the model file.
        QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("iris.stepwise"));
        QSignalSpy saved(session, &ui::Session::savedModelChanged);
        wizard.exportPage()->saveModelTo(path);
        QVERIFY(saved.wait(20000));
        QCOMPARE(session->savedModelPath(), path);
        QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
        QCOMPARE(wizard.exportPage()->predictCommand(),
                 QStringLiteral("stepwise-cli predict %1 builtin:iris --out predictions.csv").arg(ui::shellQuote(path)));
        QVERIFY(wizard.exportPage()->trainCommand().contains(QStringLiteral("--model logistic_regression")));
        QVERIFY(wizard.exportPage()->trainCommand().contains(QStringLiteral("--seed 7")));
        // Prep steps other than the default are spelled out; default feature steps are not.
        QVERIFY2(wizard.exportPage()->trainCommand().contains(QStringLiteral("--impute none --step impute:numeric=median")),
                 qPrintable(wizard.exportPage()->trainCommand()));
        QVERIFY(!wizard.exportPage()->trainCommand().contains(QStringLiteral("--scale")));
        QVERIFY(wizard.exportPage()->trainCommand().contains(QStringLiteral("--success 'accuracy>=0.8'")));

        const auto reloaded = io::loadModel(path.toStdString());
        QCOMPARE(reloaded->classes(), run->pipeline->classes());
        QCOMPARE(reloaded->target(), std::string("species"));
        const auto again = reloaded->predict(*session->table());
        const auto original = run->pipeline->predict(*session->table());
        QVERIFY(again.classIndex == original.classIndex);

        // The rail: six steps done, the last current; a click goes back.
        ui::StepRail* rail = wizard.rail();
        for (int i = 0; i < MainWizard::ExportId; ++i)
            QCOMPARE(rail->item(i)->state(), ui::StepState::Done);
        QCOMPARE(rail->item(MainWizard::ExportId)->state(), ui::StepState::Current);
        rail->item(MainWizard::DataId)->click();
        QCOMPARE(wizard.currentId(), int(MainWizard::DataId));
        // Steps reached before stay reachable after going back.
        QCOMPARE(rail->item(MainWizard::TrainingId)->state(), ui::StepState::Done);
        QVERIFY(rail->item(MainWizard::ExportId)->isEnabled());
        QVERIFY(wizard.goToStep(MainWizard::EvaluationId));
        QCOMPARE(wizard.currentId(), int(MainWizard::EvaluationId));
    }

    void theTrainCommandSpellsOutEveryStep()
    {
        // Single-quoted words as a POSIX shell reads them ('\'' is an escaped quote).
        const auto words = [](const QString& command) {
            QStringList result;
            QString word;
            bool quoted = false, any = false;
            for (const QChar c : command) {
                if (c == QLatin1Char('\'')) {
                    quoted = !quoted;
                    any = true;
                } else if (c == QLatin1Char(' ') && !quoted) {
                    if (any || !word.isEmpty())
                        result << word;
                    word.clear();
                    any = false;
                } else {
                    word += c;
                }
            }
            if (any || !word.isEmpty())
                result << word;
            return result;
        };
        workflow::Recipe recipe;
        recipe.data.kind = data::DataSourceKind::Builtin;
        recipe.data.location = "titanic";
        recipe.problem.target = "survived";
        // Defaults need no step flags.
        QStringList args = words(ui::trainCommandFor(recipe, QStringLiteral("m.stepwise")));
        QVERIFY(!args.contains(QStringLiteral("--step")));
        QVERIFY(!args.contains(QStringLiteral("--impute")));
        QVERIFY(!args.contains(QStringLiteral("--scale")));
        // A recipe spelling out a default is still the default.
        recipe.prep.steps = {{"impute", true, {}, {{"numeric", "mean"}}}};
        QVERIFY(!words(ui::trainCommandFor(recipe, QStringLiteral("m.stepwise"))).contains(QStringLiteral("--impute")));

        recipe.prep.steps = {{"drop_duplicates", true, {}, {}},
                             {"impute", true, {}, {{"numeric", "median"}, {"indicator", "true"}}},
                             {"clip_outliers", false, {"fare"}, {}}};
        recipe.features.steps = {{"formula", true, {}, {{"name", "per head"}, {"expression", "fare / (sibsp + 1)"}}},
                                 {"scale", true, {"age", "fare"}, {{"method", "robust"}}},
                                 {"encode", true, {"class"}, {{"method", "ordinal"}, {"order", "Third,Second,First"}}},
                                 {"encode", true, {}, {}}};
        recipe.prep.validationSize = 0.1;
        recipe.prep.timeColumn = "fare";
        args = words(ui::trainCommandFor(recipe, QStringLiteral("m.stepwise")));
        const auto after = [&](const char* flag) {
            const int at = args.indexOf(QLatin1String(flag));
            return at >= 0 && at + 1 < args.size() ? args[at + 1] : QString();
        };
        QCOMPARE(after("--impute"), QStringLiteral("none"));
        QCOMPARE(after("--scale"), QStringLiteral("none"));
        QCOMPARE(after("--encode"), QStringLiteral("none"));
        QCOMPARE(after("--validation-size"), QStringLiteral("0.1"));
        QCOMPARE(after("--time-column"), QStringLiteral("fare"));
        std::vector<prep::StepSpec> steps;
        for (int i = 0; i + 1 < args.size(); ++i)
            if (args[i] == QLatin1String("--step"))
                steps.push_back(prep::parseStepArgument(args[i + 1].toStdString()));
        // Every step that is on, in order, exactly; the one that is off is left out.
        std::vector<prep::StepSpec> expected = {recipe.prep.steps[0], recipe.prep.steps[1]};
        expected.insert(expected.end(), recipe.features.steps.begin(), recipe.features.steps.end());
        QCOMPARE(steps.size(), expected.size());
        for (std::size_t i = 0; i < steps.size(); ++i)
            QVERIFY2(steps[i] == expected[i], prep::formatStepArgument(steps[i]).c_str());
        QVERIFY(!args.contains(QStringLiteral("--compare")));
        QVERIFY(!args.contains(QStringLiteral("--cv")));
        QVERIFY(!args.contains(QStringLiteral("--search")));

        // The Training page's sections: compared models, cross-validation, a search.
        recipe.compareWith = {{"logistic_regression", {{"C", "0.5"}, {"max_iter", "200"}}}, {"random_forest", {}}};
        recipe.crossValidation = evaluation::parseCvSpec("timeseries:4:2");
        workflow::SearchSpec search = workflow::parseSearchKind("random:7");
        workflow::addSearchValues(search, "max_depth=2,4,none");
        workflow::addSearchValues(search, "min_samples_leaf=randint(1, 6)");
        search.scoring = "f1_macro";
        recipe.search = search;
        args = words(ui::trainCommandFor(recipe, QStringLiteral("m.stepwise")));
        QStringList compared;
        workflow::SearchSpec parsed = workflow::parseSearchKind(after("--search").toStdString());
        for (int i = 0; i + 1 < args.size(); ++i) {
            if (args[i] == QLatin1String("--compare"))
                compared << args[i + 1];
            if (args[i] == QLatin1String("--grid"))
                workflow::addSearchValues(parsed, args[i + 1].toStdString());
        }
        QCOMPARE(compared, (QStringList{QStringLiteral("logistic_regression:C=0.5;max_iter=200"),
                                        QStringLiteral("random_forest")}));
        QVERIFY(evaluation::parseCvSpec(after("--cv").toStdString()) == *recipe.crossValidation);
        parsed.scoring = after("--scoring").toStdString();
        QVERIFY(parsed == search);
    }

    void droppingACsvFileOpensIt()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        const QString path = QStringLiteral(STEPWISE_DATASETS_DIR "/wine.csv");
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        const QPointF centre = QRectF(wizard.rect()).center();

        QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&wizard, &enter);
        QVERIFY(enter.isAccepted());

        QSignalSpy loaded(wizard.session(), &ui::Session::dataChanged);
        QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&wizard, &drop);
        QVERIFY(drop.isAccepted());
        QTRY_VERIFY_WITH_TIMEOUT(wizard.session()->table() && wizard.session()->table()->rowCount() == 178, 20000);
        QCOMPARE(wizard.session()->table()->columnCount(), std::size_t(14));

        // Anything but a data file is refused.
        QMimeData other;
        other.setUrls({QUrl::fromLocalFile(QStringLiteral(STEPWISE_SOURCE_DIR "/README.md"))});
        QDragEnterEvent refused(centre.toPoint(), Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
        refused.setAccepted(false);
        QApplication::sendEvent(&wizard, &refused);
        QVERIFY(!refused.isAccepted());
    }
};

QTEST_MAIN(TestWizard)
#include "tst_wizard.moc"
