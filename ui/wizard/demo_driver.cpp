#include "wizard/demo_driver.hpp"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGroupBox>
#include <QListWidget>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>

#include <cstdio>

#include "pages/data_page.hpp"
#include "pages/evaluation_page.hpp"
#include "pages/export_page.hpp"
#include "pages/features_page.hpp"
#include "pages/prep_page.hpp"
#include "pages/problem_page.hpp"
#include "pages/stage_pipeline.hpp"
#include "pages/training_page.hpp"
#include "models/confusion_matrix_model.hpp"
#include "models/training_progress_model.hpp"
#include "widgets/charts/training_chart.hpp"
#include "session/live_preview.hpp"
#include "session/project_document.hpp"
#include "session/session.hpp"
#include "tasks/background_task.hpp"
#include "widgets/param_form.hpp"
#include "widgets/pipeline_editor.hpp"
#include "widgets/step_preview_view.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "widgets/export/model_card_section.hpp"
#include "widgets/export/onnx_section.hpp"
#include "widgets/export/python_section.hpp"
#include "widgets/export/scoring_section.hpp"
#include "widgets/export/server_section.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/threshold_view.hpp"
#include "widgets/teaching/fold_diagram.hpp"
#include "widgets/history/run_history_dialog.hpp"
#include "widgets/history/run_history_view.hpp"
#include "widgets/theme.hpp"
#include "teaching/quiz.hpp"
#include "teaching/quiz_dialog.hpp"
#include "wizard/main_wizard.hpp"

namespace stepwise::ui {
namespace {

// Time for posted layout and paint events to run before a grab; no busy waiting.
constexpr int kSettleMs = 150;

} // namespace

DemoDriver::DemoDriver(MainWizard* wizard, const QString& screenshotDir, QObject* parent)
    : QObject(parent), m_wizard(wizard), m_dir(screenshotDir), m_screenshots(!screenshotDir.isEmpty())
{
}

void DemoDriver::start()
{
    if (m_screenshots && !m_dir.mkpath(QStringLiteral("."))) {
        fail(tr("cannot create the screenshot folder %1").arg(m_dir.absolutePath()));
        return;
    }
    QTimer::singleShot(kSettleMs, this, &DemoDriver::problemStep);
}

void DemoDriver::fail(const QString& message)
{
    if (m_done)
        return;
    m_done = true;
    std::fprintf(stderr, "stepwise: demo failed: %s\n", qPrintable(message));
    emit finished(1);
}

template<typename T>
T* DemoDriver::control(const char* name)
{
    T* widget = m_wizard->findChild<T*>(QString::fromLatin1(name));
    if (!widget)
        fail(tr("the wizard has no control named %1").arg(QString::fromLatin1(name)));
    return widget;
}

template<typename Sender, typename Signal>
void DemoDriver::waitFor(Sender* sender, Signal signal, const QString& what, std::function<void()> next)
{
    const int generation = ++m_generation;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(sender, signal, this, [this, connection, generation, next] {
        disconnect(*connection);
        if (generation == m_generation && !m_done)
            next();
    });
    QTimer::singleShot(kStepTimeoutMs, this, [this, connection, generation, what] {
        if (generation != m_generation || !*connection)
            return;
        disconnect(*connection);
        fail(tr("timed out waiting for %1").arg(what));
    });
}

void DemoDriver::capture(const QString& name, std::function<void()> next)
{
    QTimer::singleShot(kSettleMs, this, [this, name, next] {
        if (m_done || !grabNow(name))
            return;
        next();
    });
}

bool DemoDriver::grabNow(const QString& name) { return grabWidget(m_wizard, name); }

bool DemoDriver::grabWidget(QWidget* widget, const QString& name)
{
    if (!m_screenshots)
        return true;
    const QString path = m_dir.filePath(name + QStringLiteral(".png"));
    const QPixmap shot = widget->grab();
    if (shot.isNull() || !shot.save(path, "PNG")) {
        fail(tr("could not write the screenshot %1").arg(path));
        return false;
    }
    return true;
}

void DemoDriver::clickNext(int expectedId, std::function<void()> next)
{
    QAbstractButton* button = m_wizard->button(QWizard::NextButton);
    if (!button->isEnabled()) {
        auto* page = m_wizard->stepPage(m_wizard->currentId());
        fail(tr("Next is disabled on the %1 step: %2 %3")
                 .arg(page ? page->stepTitle() : QString(), page ? page->incompleteReason() : QString(),
                      page ? page->banner()->text() : QString()));
        return;
    }
    button->click();
    if (m_wizard->currentId() != expectedId) {
        fail(tr("Next did not reach step %1").arg(expectedId + 1));
        return;
    }
    QTimer::singleShot(0, this, [this, next] {
        if (!m_done)
            next();
    });
}

void DemoDriver::problemStep()
{
    auto* classification = control<QRadioButton>("classificationRadio");
    auto* objective = control<QLineEdit>("objectiveEdit");
    auto* target = control<QComboBox>("problemTargetCombo");
    auto* success = control<QCheckBox>("successCheck");
    auto* metric = control<QComboBox>("metricCombo");
    auto* threshold = control<QDoubleSpinBox>("thresholdSpin");
    if (m_done)
        return;
    classification->click();
    objective->setText(tr("Predict who survived the Titanic from passenger data"));
    target->setCurrentText(QStringLiteral("survived"));
    success->setChecked(true);
    const int f1 = metric->findData(QStringLiteral("f1_macro"));
    if (f1 < 0) {
        fail(tr("the metric list has no f1_macro"));
        return;
    }
    metric->setCurrentIndex(f1);
    threshold->setValue(0.75);
    capture(QStringLiteral("01-problem"), [this] { clickNext(MainWizard::DataId, [this] { dataStep(); }); });
}

void DemoDriver::dataStep()
{
    auto* builtin = control<QComboBox>("builtinCombo");
    if (m_done)
        return;
    const int titanic = builtin->findData(QStringLiteral("titanic"));
    if (titanic < 0) {
        fail(tr("the bundled dataset titanic is missing"));
        return;
    }
    Session* session = m_wizard->session();
    connect(session, &Session::dataLoadFailed, this,
            [this](const QString& message) { fail(tr("loading titanic failed: %1").arg(message)); });
    waitFor(session, &Session::dataChanged, tr("the Titanic data to load"), [this, session] {
        if (session->recipe().problem.target != "survived") {
            fail(tr("the target is “%1”, not survived").arg(QString::fromStdString(session->recipe().problem.target)));
            return;
        }
        capture(QStringLiteral("02-data"), [this] { dataViews(); });
    });
    builtin->setCurrentIndex(titanic);
}

void DemoDriver::dataViews()
{
    auto* tabs = control<QTabWidget>("dataTabs");
    auto* overview = control<QTableView>("columnOverview");
    if (m_done)
        return;
    // Choose "age" in the overview as a user would, then look at its distribution.
    const QModelIndexList matches = overview->model()->match(overview->model()->index(0, 0), Qt::DisplayRole,
                                                             QStringLiteral("age"), 1, Qt::MatchExactly);
    if (matches.isEmpty()) {
        fail(tr("the column overview has no row for age"));
        return;
    }
    overview->selectionModel()->setCurrentIndex(matches.front(),
                                                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    tabs->setCurrentIndex(DataPage::DistributionsTab);
    if (m_wizard->dataPage()->currentColumn() != QLatin1String("age")) {
        fail(tr("selecting age in the overview did not show its distribution"));
        return;
    }
    capture(QStringLiteral("02b-data-distribution"), [this, tabs] {
        tabs->setCurrentIndex(DataPage::CorrelationsTab);
        capture(QStringLiteral("02c-data-correlations"), [this, tabs] {
            tabs->setCurrentIndex(DataPage::OverviewTab);
            clickNext(MainWizard::PrepId, [this] { prepStep(); });
        });
    });
}

void DemoDriver::prepStep()
{
    auto* testSize = control<QDoubleSpinBox>("testSizeSpin");
    auto* validationSize = control<QDoubleSpinBox>("validationSizeSpin");
    auto* stratify = control<QCheckBox>("stratifyCheck");
    auto* seed = control<QSpinBox>("seedSpin");
    if (m_done)
        return;
    testSize->setValue(0.2);
    validationSize->setValue(0.1);
    stratify->setChecked(true);
    seed->setValue(42);
    // The pipeline a careful user builds on titanic: fill numbers with the median (robust to
    // the skew of fare) and keep a note of which were missing where the step offers it.
    PrepPage* page = m_wizard->prepPage();
    PipelineEditor* editor = page->editor();
    const int impute = rowOfKind(editor, "impute");
    if (impute < 0) {
        fail(tr("the Prep pipeline has no “Fill missing values” step"));
        return;
    }
    editor->setCurrentStep(impute);
    auto* numeric = qobject_cast<QComboBox*>(editor->paramForm()->editor("numeric"));
    if (!numeric) {
        fail(tr("the “Fill missing values” form has no numeric rule"));
        return;
    }
    numeric->setCurrentText(QStringLiteral("median"));
    if (auto* indicator = qobject_cast<QCheckBox*>(editor->paramForm()->editor("indicator")))
        indicator->setChecked(true);
    // Duplicates would straddle the split (the audit says so): drop them first, with the
    // page's own button; then cap the extreme fares at the IQR fences.
    auto* dropDuplicates = control<QPushButton>("dropDuplicatesButton");
    if (m_done)
        return;
    dropDuplicates->click();
    editor->setCurrentStep(rowOfKind(editor, "impute"));
    editor->addStep("clip_outliers");
    editor->setCurrentColumns({"fare"});
    const auto& prep = m_wizard->session()->recipe().prep;
    if (rowOfKind(editor, "drop_duplicates") != 0 || rowOfKind(editor, "clip_outliers") < 0) {
        fail(tr("the Prep page did not add the duplicate and outlier steps"));
        return;
    }
    const auto& params = prep.steps.at(std::size_t(rowOfKind(editor, "impute"))).params;
    if (params.count("numeric") == 0 || params.at("numeric") != "median" || !prep.stratify ||
        prep.validationSize != 0.1) {
        fail(tr("the Prep controls did not update the recipe"));
        return;
    }
    waitForPreview(page->pipeline(), tr("the Prep preview"), [this, page] {
        capture(QStringLiteral("03-prep"), [this, page] {
            showDistribution(page->pipeline(), QStringLiteral("03b-prep-distribution"),
                             [this] { clickNext(MainWizard::FeaturesId, [this] { featuresStep(); }); });
        });
    });
}

void DemoDriver::featuresStep()
{
    if (m_done)
        return;
    // The profile flags `alive` (survived written as yes/no) as a leak and the page leaves
    // it out; should it not, the demo unticks it with the same checkbox a user would use.
    FeaturesPage* page = m_wizard->featuresPage();
    if (page->isChecked(QStringLiteral("alive")))
        page->setChecked(QStringLiteral("alive"), false);
    if (m_wizard->session()->isFeatureUsed("alive")) {
        fail(tr("the leak column alive is still used"));
        return;
    }
    // Standard scaling, then one-hot categories, set through each step's form.
    PipelineEditor* editor = page->editor();
    const int scale = rowOfKind(editor, "scale");
    const int encode = rowOfKind(editor, "encode");
    if (scale < 0 || encode < 0) {
        fail(tr("the Features pipeline lacks its scaling or encoding step"));
        return;
    }
    editor->setCurrentStep(scale);
    auto* scaling = qobject_cast<QComboBox*>(editor->paramForm()->editor("method"));
    if (!scaling) {
        fail(tr("the scaling form has no method"));
        return;
    }
    scaling->setCurrentText(QStringLiteral("standard"));
    editor->setCurrentStep(encode);
    auto* encoding = qobject_cast<QComboBox*>(editor->paramForm()->editor("method"));
    if (!encoding) {
        fail(tr("the encoding form has no method"));
        return;
    }
    encoding->setCurrentText(QStringLiteral("onehot"));
    // A derived feature, typed into the formula editor, placed first so it gets scaled.
    editor->setCurrentStep(scale);
    editor->addStep("formula");
    while (editor->currentStep() > 0)
        editor->moveCurrentStep(-1);
    auto* name = qobject_cast<QLineEdit*>(editor->paramForm()->editor("name"));
    auto* expression = editor->findChild<QLineEdit*>(QStringLiteral("expressionEdit"));
    if (!name || !expression) {
        fail(tr("the formula form has no name or expression field"));
        return;
    }
    name->setText(QStringLiteral("family"));
    expression->clear();
    expression->insert(QStringLiteral("sibsp + parch + 1"));  // as typed: setText is not an edit
    const auto& featureSteps = m_wizard->session()->recipe().features.steps;
    if (featureSteps.empty() || featureSteps.front().kind != "formula" ||
        featureSteps.front().params.count("expression") == 0) {
        fail(tr("the formula did not reach the recipe"));
        return;
    }
    waitForPreview(page->pipeline(), tr("the Features preview"), [this, page] {
        capture(QStringLiteral("04-features"), [this, page] {
            showDistribution(page->pipeline(), QStringLiteral("04b-features-distribution"),
                             [this] { clickNext(MainWizard::TrainingId, [this] { trainingStep(); }); });
        });
    });
}

int DemoDriver::rowOfKind(PipelineEditor* editor, const std::string& kind) const
{
    const auto& steps = editor->steps();
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].kind == kind)
            return int(i);
    return -1;
}

void DemoDriver::waitForPreview(StagePipeline* pipeline, const QString& what, std::function<void()> next)
{
    LivePreview* live = pipeline->livePreview();
    const auto current = [live] { return live->isCurrent(); };
    if (current()) {
        next();
        return;
    }
    waitFor(live, &LivePreview::updated, what, [this, pipeline, what, next, current] {
        // An earlier check may land first; the one for the recipe as it is now counts.
        if (current())
            next();
        else
            waitForPreview(pipeline, what, next);
    });
}

void DemoDriver::showDistribution(StagePipeline* pipeline, const QString& name, std::function<void()> next)
{
    StepPreviewView* view = pipeline->previewView();
    LivePreview* live = pipeline->livePreview();
    const auto then = [this, view, name, next] {
        capture(name, [view, next] {
            view->tabs()->setCurrentIndex(StepPreviewView::RowsTab);
            next();
        });
    };
    view->tabs()->setCurrentIndex(StepPreviewView::DistributionTab);
    const auto comparison = live->comparison();
    if (comparison && QString::fromStdString(comparison->column) == view->focusColumn()) {
        then();
        return;
    }
    waitFor(live, &LivePreview::comparisonUpdated, tr("the distributions before and after the step"), then);
}

void DemoDriver::trainingStep()
{
    if (m_done)
        return;
    TrainingPage* page = m_wizard->trainingPage();
    Session* session = m_wizard->session();
    // Random forest is kept; logistic regression and the boosted trees (or whatever else
    // the registry offers) are compared with it on the same rows.
    if (!page->selectModel("random_forest")) {
        fail(tr("the model list has no random_forest"));
        return;
    }
    if (page->keepButton()->isEnabled())
        page->keepButton()->click();
    if (session->recipe().model.name != "random_forest") {
        fail(tr("Keep selected did not make random_forest the kept model"));
        return;
    }
    auto* trees = qobject_cast<QLineEdit*>(page->paramForm()->editor("n_estimators"));
    if (!trees) {
        fail(tr("the random forest form has no n_estimators field"));
        return;
    }
    // A big forest, so there is something to watch; the search below uses a smaller one.
    trees->setText(QStringLiteral("1000"));
    int compared = 0;
    for (const char* other : {"logistic_regression", "gradient_boosting", "knn", "decision_tree"}) {
        for (int row = 0; row < page->modelList()->count() && compared < 2; ++row) {
            QListWidgetItem* item = page->modelList()->item(row);
            if (item->data(Qt::UserRole).toString() == QLatin1String(other)) {
                item->setCheckState(Qt::Checked);
                ++compared;
            }
        }
    }
    if (session->recipe().compareWith.size() != std::size_t(compared) || compared == 0) {
        fail(tr("ticking models did not add them to the comparison"));
        return;
    }
    page->selectModel("random_forest");

    connect(session, &Session::trainingFailed, this,
            [this](const QString& message) { fail(tr("training failed: %1").arg(message)); });
    connect(session, &Session::trainingCancelled, this, [this] { fail(tr("training was cancelled")); });
    // The forest half grown, with its curve and matrix in: what a person watches while it
    // trains. Grabbed right when a live update has been shown (the page takes it first),
    // so the picture is the one on screen at that moment, progress bar and Cancel included.
    BackgroundTask* task = session->trainingTask();
    auto liveShot = std::make_shared<QMetaObject::Connection>();
    *liveShot = connect(task, &BackgroundTask::trainingUpdated, this, [this, page, liveShot] {
        const TrainingProgressModel* progress = page->progressModel();
        const int forest = progress->rowOf(QStringLiteral("random_forest"));
        if (forest < 0 || progress->totalStepsAt(forest) == 0 ||
            progress->stepAt(forest) * 2 < progress->totalStepsAt(forest) ||
            page->liveMatrixModel()->rowCount() == 0)
            return;
        disconnect(*liveShot);
        grabNow(QStringLiteral("05a-training-live"));
    });
    waitFor(session, &Session::resultChanged, tr("training to finish"), [this, page, session, liveShot] {
        if (*liveShot) {
            disconnect(*liveShot);
            fail(tr("no live update came half way through the training with curves and a confusion matrix"));
            return;
        }
        if (session->result()->leaderboard.size() < 2) {
            fail(tr("the leaderboard has %1 models").arg(session->result()->leaderboard.size()));
            return;
        }
        capture(QStringLiteral("05-training"), [this] { trainingSearchStep(); });
    });
    QPushButton* train = page->trainButton();
    if (!train->isEnabled()) {
        fail(tr("the Train button is disabled: %1").arg(page->banner()->text()));
        return;
    }
    train->click();
}

void DemoDriver::trainingSearchStep()
{
    TrainingPage* page = m_wizard->trainingPage();
    Session* session = m_wizard->session();
    // Five stratified folds for every model, and a grid over the forest's depth and leaf
    // size, with 200 trees a candidate.
    page->selectModel("random_forest");
    auto* trees = qobject_cast<QLineEdit*>(page->paramForm()->editor("n_estimators"));
    if (!trees) {
        fail(tr("the random forest form has no n_estimators field"));
        return;
    }
    trees->setText(QStringLiteral("200"));
    page->setupTabs()->setCurrentIndex(TrainingPage::ValidationTab);
    auto* cv = control<QGroupBox>("cvGroup");
    auto* search = control<QGroupBox>("searchGroup");
    if (m_done)
        return;
    cv->setChecked(true);
    page->setupTabs()->setCurrentIndex(TrainingPage::SearchSetupTab);
    search->setChecked(true);
    QTableWidget* space = page->searchSpaceTable();
    int filled = 0;
    for (int row = 0; row < space->rowCount(); ++row) {
        const QString name = space->item(row, 0)->text();
        if (name == QLatin1String("max_depth")) {
            space->item(row, 1)->setText(QStringLiteral("4, 8, none"));
            ++filled;
        } else if (name == QLatin1String("min_samples_leaf")) {
            space->item(row, 1)->setText(QStringLiteral("1, 5"));
            ++filled;
        }
    }
    const auto& recipe = session->recipe();
    if (filled != 2 || !recipe.crossValidation || !recipe.search || recipe.search->space.size() != 2) {
        fail(tr("the cross-validation and search controls did not update the recipe"));
        return;
    }
    waitFor(session, &Session::resultChanged, tr("the search to finish"), [this, page, session] {
        const auto result = session->result();
        if (!result->search || result->search->candidates.size() != 6 || !result->crossValidation) {
            fail(tr("the run has no search of 6 candidates or no cross-validation"));
            return;
        }
        page->resultTabs()->setCurrentIndex(TrainingPage::SearchTab);
        capture(QStringLiteral("05b-training-search"), [this, page] {
            page->resultTabs()->setCurrentIndex(TrainingPage::LeaderboardTab);
            capture(QStringLiteral("05c-training-cv"), [this, page] {
                page->resultTabs()->setCurrentIndex(TrainingPage::LiveTab);
                capture(QStringLiteral("05d-training-folds"), [this, page] {
                    // The fold diagram of the same folds, still on fold 2 for the picture.
                    page->resultTabs()->setCurrentIndex(TrainingPage::FoldsTab);
                    auto* folds = page->findChild<FoldDiagramPanel*>();
                    folds->recompute();
                    whenIdle(folds->task(), tr("the folds"), [this, folds] {
                        folds->diagram()->setAnimationEnabled(false);
                        folds->diagram()->setCurrentFold(1);
                        capture(QStringLiteral("05e-training-fold-diagram"),
                                [this] { clickNext(MainWizard::EvaluationId, [this] { evaluationStep(); }); });
                    });
                });
            });
        });
    });
    page->trainButton()->click();
}

void DemoDriver::whenIdle(BackgroundTask* task, const QString& what, std::function<void()> next)
{
    if (!task->isRunning()) {
        next();
        return;
    }
    waitFor(task, &BackgroundTask::finished, what, [this, task, what, next] { whenIdle(task, what, next); });
}

void DemoDriver::evaluationStep()
{
    EvaluationPage* page = m_wizard->evaluationPage();
    const auto result = m_wizard->session()->result();
    // The survivors the model missed, listed under the matrix.
    if (result->classification && result->classification->confusion.size() == 2)
        page->showCellRows(1, 0);
    capture(QStringLiteral("06-evaluation"), [this, page] {
        // The curves are computed once the result arrives; the overlay scores the compared
        // models after that.
        whenIdle(page->curvesTask(), tr("the evaluation curves"), [this, page] {
            if (!page->thresholdView()->hasData()) {
                fail(tr("the threshold tab has no data: %1").arg(page->thresholdView()->message()));
                return;
            }
            page->tabs()->setCurrentIndex(EvaluationPage::ThresholdTab);
            page->thresholdView()->maximiseF1Button()->click();
            capture(QStringLiteral("06b-evaluation-threshold"), [this, page] {
                whenIdle(page->comparisonTask(), tr("the compared models' curves"), [this, page] {
                    page->tabs()->setCurrentIndex(EvaluationPage::CurvesTab);
                    capture(QStringLiteral("06c-evaluation-curves"), [this, page] {
                        page->tabs()->setCurrentIndex(EvaluationPage::OverviewTab);
                        clickNext(MainWizard::ExportId, [this] { exportStep(); });
                    });
                });
            });
        });
    });
}

void DemoDriver::exportStep()
{
    Session* session = m_wizard->session();
    ExportPage* page = m_wizard->exportPage();
    // The model goes beside the screenshots (stepwise --help promises demo.stepwise there);
    // the other forms go to a folder of their own outside it, since the screenshot folder
    // may be docs/screenshots in the repository.
    const QDir out(QDir::temp().filePath(QStringLiteral("stepwise-demo-export")));
    if (!out.mkpath(QStringLiteral("."))) {
        fail(tr("cannot create the export folder %1").arg(out.absolutePath()));
        return;
    }
    m_exportDir = out.absolutePath();
    const QString path = m_screenshots ? m_dir.filePath(QStringLiteral("demo.stepwise"))
                                       : out.filePath(QStringLiteral("demo.stepwise"));
    connect(session, &Session::modelSaveFailed, this,
            [this](const QString& message) { fail(tr("saving the model failed: %1").arg(message)); });
    waitFor(session, &Session::savedModelChanged, tr("the model file to be written"), [this, path, session] {
        if (session->savedModelPath().isEmpty() || !QFileInfo(path).isFile()) {
            fail(tr("the model file %1 was not written").arg(path));
            return;
        }
        if (!m_wizard->button(QWizard::FinishButton)->isEnabled()) {
            fail(tr("Finish is disabled after saving: %1").arg(m_wizard->exportPage()->incompleteReason()));
            return;
        }
        exportFormsStep();
    });
    page->saveModelTo(path);
}

void DemoDriver::exportFormsStep()
{
    ExportPage* page = m_wizard->exportPage();
    const QDir out(m_exportDir);
    OnnxSection* onnx = page->onnxSection();
    whenIdle(onnx->checkTask(), tr("the ONNX check"), [this, page, onnx, out] {
        if (!onnx->problem().isEmpty() || !onnx->exportTo(out.filePath(QStringLiteral("titanic.onnx")))) {
            fail(tr("the ONNX export is not possible: %1").arg(onnx->problem()));
            return;
        }
        whenIdle(onnx->exportTask(), tr("the ONNX file"), [this, page, onnx, out] {
            if (onnx->exportTask()->state() != BackgroundTask::State::Succeeded) {
                fail(tr("the ONNX export failed: %1").arg(onnx->exportTask()->errorMessage()));
                return;
            }
            PythonSection* python = page->pythonSection();
            python->exportTo(out.filePath(QStringLiteral("titanic.py")));
            whenIdle(python->task(), tr("the Python script"), [this, page, python, out] {
                if (python->task()->state() != BackgroundTask::State::Succeeded) {
                    fail(tr("the Python export failed: %1").arg(python->task()->errorMessage()));
                    return;
                }
                ModelCardSection* card = page->modelCardSection();
                card->exportTo(out.filePath(QStringLiteral("titanic-card.md")));
                whenIdle(card->exportTask(), tr("the model card"), [this, card] {
                    if (card->exportTask()->state() != BackgroundTask::State::Succeeded) {
                        fail(tr("the model card export failed: %1").arg(card->exportTask()->errorMessage()));
                        return;
                    }
                    serverStep();
                });
            });
        });
    });
}

bool DemoDriver::saveProject()
{
    // Beside the model, like it: the project replays the walk's runs (stepwise-cli run).
    const QString path = m_screenshots ? m_dir.filePath(QStringLiteral("demo.stepwise-project"))
                                       : QDir(m_exportDir).filePath(QStringLiteral("demo.stepwise-project"));
    ProjectDocument* project = m_wizard->project();
    if (project->runs().empty()) {
        fail(tr("no training run was recorded in the project"));
        return false;
    }
    QString error;
    if (!project->saveAs(path, &error)) {
        fail(tr("the project %1 was not saved: %2").arg(path, error));
        return false;
    }
    return true;
}

void DemoDriver::serverStep()
{
    ServerSection* server = m_wizard->exportPage()->serverSection();
    server->tokenEdit()->setText(QStringLiteral("demo-token"));
    auto started = [this, server] {
        if (!server->isRunning()) {
            // 8080 is taken on this computer: any free port shows the same page.
            if (server->portSpin()->value() != 0) {
                m_wizard->exportPage()->banner()->clearMessage(QStringLiteral("export-server"));
                server->portSpin()->setValue(0);
                serverStep();
                return;
            }
            fail(tr("the prediction server did not start: %1").arg(server->startTask()->errorMessage()));
            return;
        }
        capture(QStringLiteral("07-export"), [this] { scoringStep(); });
    };
    if (!server->start()) {
        fail(tr("the prediction server cannot start"));
        return;
    }
    whenIdle(server->startTask(), tr("the prediction server"), started);
}

void DemoDriver::scoringStep()
{
    Session* session = m_wizard->session();
    ExportPage* page = m_wizard->exportPage();
    const auto table = session->table();
    const auto pipeline = session->result()->pipeline;
    // New rows as they often arrive: an extra column the model does not use, and a
    // category it never saw in training in a few rows.
    data::Table rows = *table;
    std::vector<std::string> notes(rows.rowCount(), "batch 2");
    rows.addColumn(data::Column::categoricalFromText("batch", notes, std::vector<bool>(rows.rowCount(), false)));
    for (const workflow::InputColumn& input : pipeline->inputColumns()) {
        if (input.kind != data::ColumnKind::Categorical || !rows.hasColumn(input.name))
            continue;
        const data::Column& column = rows.column(input.name);
        std::vector<std::string> texts;
        std::vector<bool> missing;
        for (std::size_t row = 0; row < column.size(); ++row) {
            texts.push_back(row % 97 == 3 ? std::string("Atlantis") : column.textAt(row));
            missing.push_back(row % 97 != 3 && column.isMissing(row));
        }
        rows.replaceColumn(data::Column::categoricalFromText(input.name, texts, missing));
        break;
    }
    const QString path = QDir(m_exportDir).filePath(QStringLiteral("new-passengers.csv"));
    try {
        data::writeCsvFile(rows, path.toStdString());
    } catch (const std::exception& error) {
        fail(tr("could not write %1: %2").arg(path, QString::fromStdString(error.what())));
        return;
    }
    ScoringSection* scoring = page->scoringSection();
    scoring->scoreFile(path);
    whenIdle(scoring->task(), tr("scoring the new rows"), [this, page, scoring] {
        if (!scoring->predictions()) {
            fail(tr("the new rows were not scored: %1 %2").arg(scoring->task()->errorMessage(), page->banner()->text()));
            return;
        }
        if (auto* scroll = page->findChild<QScrollArea*>(QStringLiteral("exportScroll")))
            scroll->ensureWidgetVisible(scoring, 0, 0);
        capture(QStringLiteral("07b-export-scoring"), [this, page] {
            ServerSection* server = page->serverSection();
            server->stop();
            whenIdle(server->stopTask(), tr("the prediction server to stop"), [this] {
                if (!saveProject())
                    return;
                teachingStep();
            });
        });
    });
}

void DemoDriver::teachingStep()
{
    // What a class sees: the Learn panel beside the results, the same page on a
    // projector, in the dark theme, the runs compared, and the knowledge check.
    if (!m_wizard->goToStep(MainWizard::TrainingId)) {
        fail(tr("the Training step could not be reached again"));
        return;
    }
    m_wizard->setLearnVisible(true);
    capture(QStringLiteral("08a-teaching-learn-training"), [this] {
        if (!m_wizard->goToStep(MainWizard::EvaluationId)) {
            fail(tr("the Evaluation step could not be reached again"));
            return;
        }
        capture(QStringLiteral("08-teaching-learn-panel"), [this] { teachingViewsStep(); });
    });
}

void DemoDriver::teachingViewsStep()
{
    m_wizard->setLearnVisible(false);
    // A projector's full-HD screen, where presentation mode is meant to run.
    const QSize windowSize = m_wizard->size();
    m_wizard->setFixedSize(1920, 1080);
    m_wizard->setPresentationMode(true);
    capture(QStringLiteral("08b-teaching-presentation"), [this, windowSize] {
        m_wizard->setPresentationMode(false);
        m_wizard->setFixedSize(windowSize);
        m_wizard->theme()->setScheme(ColorScheme::Dark);
        capture(QStringLiteral("08c-teaching-dark-theme"), [this] {
            m_wizard->theme()->setScheme(ColorScheme::Light);
            historyStep();
        });
    });
}

void DemoDriver::historyStep()
{
    RunHistoryDialog* history = m_wizard->runHistory();
    const auto& runs = m_wizard->project()->runs();
    if (runs.size() < 2) {
        fail(tr("the demo recorded %1 runs; the history needs two to compare").arg(runs.size()));
        return;
    }
    history->resize(1100, 640);
    history->show();
    history->view()->selectRuns({runs.front().id, runs.back().id});
    QTimer::singleShot(kSettleMs, this, [this, history] {
        if (m_done || !grabWidget(history, QStringLiteral("08d-teaching-run-history")))
            return;
        history->hide();
        auto* quiz = new teaching::QuizDialog(teaching::quizQuestions(), tr("Knowledge check"), m_wizard);
        quiz->setAttribute(Qt::WA_DeleteOnClose);
        quiz->show();
        // The first question answered, so the picture shows every option explained.
        if (auto* option = quiz->findChild<QRadioButton*>(QStringLiteral("quizOption1")))
            option->click();
        if (auto* check = quiz->findChild<QPushButton*>(QStringLiteral("quizCheckButton")))
            check->click();
        QTimer::singleShot(kSettleMs, this, [this, quiz] {
            if (m_done || !grabWidget(quiz, QStringLiteral("08e-teaching-knowledge-check")))
                return;
            quiz->close();
            m_done = true;
            emit finished(0);
        });
    });
}

} // namespace stepwise::ui
