#include "pages/stage_pipeline.hpp"

#include <QAction>
#include <QEvent>
#include <QGroupBox>
#include <QIcon>
#include <QStyle>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QLocale>

#include <algorithm>

#include "models/step_list_model.hpp"
#include "models/step_rows_model.hpp"
#include "pages/wizard_step_page.hpp"
#include "session/live_preview.hpp"
#include "session/session.hpp"
#include "tasks/background_task.hpp"
#include "widgets/audit_list.hpp"
#include "widgets/pipeline_editor.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/step_preview_view.hpp"

namespace stepwise::ui {
namespace {

const QString kProblemKey = QStringLiteral("pipeline-problem");
const QString kWarningPrefix = QStringLiteral("pipeline-warning:");

std::vector<prep::StepSpec>& stageSteps(workflow::Recipe& recipe, prep::StepStage stage)
{
    return stage == prep::StepStage::Prep ? recipe.prep.steps : recipe.features.steps;
}

const std::vector<prep::StepSpec>& stageSteps(const workflow::Recipe& recipe, prep::StepStage stage)
{
    return stage == prep::StepStage::Prep ? recipe.prep.steps : recipe.features.steps;
}

QString countText(std::size_t count)
{
    return QLocale().toString(qulonglong(count));
}

} // namespace

StagePipeline::StagePipeline(Session* session, prep::StepStage stage, WizardStepPage* page)
    : QObject(page),
      m_session(session),
      m_stage(stage),
      m_page(page),
      m_editor(new PipelineEditor(stage, page)),
      m_view(new StepPreviewView(page)),
      m_audit(new AuditList(page)),
      m_live(new LivePreview(session, this))
{
    m_live->setObjectName(stage == prep::StepStage::Prep ? QStringLiteral("prepLivePreview")
                                                         : QStringLiteral("featureLivePreview"));
    m_audit->showPlaceholder(tr("The audit runs once data is loaded."));
    // Buttons for the window's Ctrl+Z / Ctrl+Shift+Z; the shortcuts live on the window.
    QAction* undo = session->undoStack()->createUndoAction(this, tr("Undo"));
    QAction* redo = session->undoStack()->createRedoAction(this, tr("Redo"));
    undo->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo"), m_editor->style()->standardIcon(QStyle::SP_ArrowBack)));
    redo->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo"), m_editor->style()->standardIcon(QStyle::SP_ArrowForward)));
    for (QAction* action : {undo, redo})
        connect(action, &QAction::changed, action, [action] {
            const QString key = action->text().startsWith(tr("Undo")) ? QStringLiteral("Ctrl+Z") : QStringLiteral("Ctrl+Shift+Z");
            const QString tip = QStringLiteral("%1 (%2)").arg(action->text(), key);
            if (action->toolTip() != tip)
                action->setToolTip(tip);
        });
    undo->setToolTip(tr("Nothing to undo (Ctrl+Z)"));
    redo->setToolTip(tr("Nothing to redo (Ctrl+Shift+Z)"));
    m_editor->addToolActions({undo, redo});

    connect(m_editor, &PipelineEditor::stepsEdited, this,
            [this](const std::vector<prep::StepSpec>& steps, const QString& what, const QString& mergeKey) {
                workflow::Recipe after = m_session->recipe();
                stageSteps(after, m_stage) = steps;
                m_session->editRecipe(after, what, mergeKey);
            });
    connect(m_editor, &PipelineEditor::currentStepChanged, this, &StagePipeline::selectionChanged);
    connect(session, &Session::recipeChanged, this, &StagePipeline::refreshSteps);
    connect(m_live, &LivePreview::updated, this, &StagePipeline::apply);
    connect(m_live, &LivePreview::comparisonUpdated, this, [this] {
        const auto comparison = m_live->comparison();
        if (!comparison || QString::fromStdString(comparison->column) != m_view->focusColumn())
            return;
        m_view->setDistributions(QString::fromStdString(comparison->column), comparison->before,
                                 comparison->beforeDatetime, comparison->after, comparison->afterDatetime);
    });
    connect(m_view, &StepPreviewView::focusColumnChanged, this,
            [this](const QString& column) { m_live->setFocusColumn(column.toStdString()); });
    // A preview of many rows takes a moment; the title says so while it runs — after a
    // short wait, so quick checks do not make it flicker.
    m_slowCheck.setSingleShot(true);
    m_slowCheck.setInterval(400);
    connect(m_live->task(), &BackgroundTask::started, &m_slowCheck, qOverload<>(&QTimer::start));
    connect(&m_slowCheck, &QTimer::timeout, this, [this] {
        if (m_live->task()->isRunning())
            emit checked();
    });
    page->installEventFilter(this);
    refreshSteps();
}

std::size_t StagePipeline::offset() const
{
    return m_stage == prep::StepStage::Prep ? 0 : m_session->recipe().prep.steps.size();
}

QString StagePipeline::blockingProblem() const { return m_problem; }

QGroupBox* StagePipeline::makeStepsBox(const QString& title, QWidget* parent) const
{
    auto* box = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(box);
    layout->setSpacing(4);
    layout->addWidget(m_editor, 1);
    m_audit->setFixedHeight(m_audit->sizeHint().height());
    layout->addWidget(m_audit);
    return box;
}

QString StagePipeline::previewTitle() const
{
    const bool slow = m_live->task()->isRunning() && !m_slowCheck.isActive();
    return slow ? tr("%1 — updating…").arg(m_previewTitle) : m_previewTitle;
}

std::shared_ptr<const PipelineCheck> StagePipeline::check() const { return m_live->result(); }

bool StagePipeline::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_page) {
        if (event->type() == QEvent::Show)
            m_live->setActive(true);
        else if (event->type() == QEvent::Hide)
            m_live->setActive(false);
    }
    return QObject::eventFilter(watched, event);
}

void StagePipeline::refreshSteps()
{
    m_editor->setSteps(stageSteps(m_session->recipe(), m_stage));
    // The prep list's length moves the feature steps' place in the whole pipeline.
    selectionChanged();
}

void StagePipeline::selectionChanged()
{
    const int row = m_editor->currentStep();
    m_live->setSelectedStep(row < 0 ? std::nullopt : std::optional<std::size_t>(offset() + std::size_t(row)));
}

QString StagePipeline::stepLabel(std::size_t globalIndex, const PipelineCheck& check) const
{
    const std::vector<prep::StepSpec> steps = workflow::pipelineSteps(check.recipe);
    const std::size_t prepCount = check.recipe.prep.steps.size();
    const QString name = globalIndex < steps.size() ? stepDisplayName(steps[globalIndex].kind) : QString();
    if (globalIndex < prepCount)
        return tr("Prep step %1 “%2”").arg(globalIndex + 1).arg(name);
    return tr("Feature step %1 “%2”").arg(globalIndex - prepCount + 1).arg(name);
}

void StagePipeline::apply()
{
    const auto check = m_live->result();
    if (!check) {
        m_editor->setOutcomes({}, {});
        m_view->showPlaceholder(tr("Load data on the Data step to preview the steps."));
        m_audit->showPlaceholder(tr("The audit runs once data is loaded."));
        m_page->banner()->clearMessage(kProblemKey);
        m_page->banner()->clearMessagesWithPrefix(kWarningPrefix);
        m_problem.clear();
        emit problemChanged();
        emit checked();
        return;
    }
    // Each outcome goes with the step it was for; the editor shows it only on that step.
    const std::size_t first = m_stage == prep::StepStage::Prep ? 0 : check->recipe.prep.steps.size();
    const std::size_t count = stageSteps(check->recipe, m_stage).size();
    if (first + count <= check->preview.steps.size())
        m_editor->setOutcomes({check->preview.steps.begin() + std::ptrdiff_t(first),
                               check->preview.steps.begin() + std::ptrdiff_t(first + count)},
                              stageSteps(check->recipe, m_stage));
    applyColumns(*check);
    applyPreview(*check);
    m_audit->setFindings(check->findings);
    applyBanner(*check);
    emit checked();
}

void StagePipeline::applyColumns(const PipelineCheck& check)
{
    const int row = m_editor->currentStep();
    if (row < 0)
        return;
    const std::size_t global = offset() + std::size_t(row);
    // A check for another selection is on its way out; the one for this step follows.
    if (check.selectedStep != global)
        return;
    if (check.before) {
        m_editor->setColumns(stepColumnsOf(*check.before), check.selectedSwitchedOn
                                                               ? tr("the columns that would reach it")
                                                               : tr("the columns reaching this step"));
        return;
    }
    if (const auto table = m_session->table()) {
        std::vector<std::string> excluded = m_session->recipe().prep.dropColumns;
        excluded.push_back(m_session->recipe().problem.target);
        m_editor->setColumns(stepColumnsOf(*table, excluded), tr("the columns of the data"));
    }
}

void StagePipeline::applyPreview(const PipelineCheck& check)
{
    const int row = m_editor->currentStep();
    if (row < 0) {
        m_previewTitle = tr("Preview of the selected step");
        m_view->showPlaceholder(tr("Choose a step to see the training rows before and after it."));
        return;
    }
    const std::size_t global = offset() + std::size_t(row);
    // A check for another selection is on its way out; the next one shows this step.
    if (check.selectedStep != global || global >= check.preview.steps.size())
        return;
    m_previewTitle = tr("Preview of %1").arg(stepLabel(global, check));
    const workflow::StepOutcome& outcome =
        check.selectedSwitchedOn && check.switchedOnOutcome ? *check.switchedOnOutcome : check.preview.steps[global];
    const QString label = stepLabel(global, check);
    if (!check.before || !check.after) {
        if (!outcome.error.empty())
            m_view->showPlaceholder(tr("%1 cannot run, so there are no rows to show:\n%2")
                                        .arg(label, stepErrorText(outcome.error)));
        else if (!check.preview.problem.empty())
            m_view->showPlaceholder(tr("The pipeline stops before %1:\n%2")
                                        .arg(label, stepErrorText(check.preview.problem)));
        else
            m_view->showPlaceholder(tr("%1 did not run.").arg(label));
        return;
    }
    const data::Table& before = *check.before;
    const data::Table& after = *check.after;
    const std::vector<prep::StepSpec> steps = workflow::pipelineSteps(check.recipe);
    bool beforeSplit = false;
    for (const prep::StepInfo& info : prep::stepRegistry())
        if (info.kind == steps[global].kind)
            beforeSplit = info.phase == prep::StepPhase::BeforeSplit;
    const QString rowsWord = beforeSplit ? tr("rows") : tr("training rows");
    const QString beforeCaption = tr("Before — %1 %2, %3 columns")
                                      .arg(countText(before.rowCount()), rowsWord)
                                      .arg(before.columnCount());
    QString columnsChange;
    if (!outcome.columnsAdded.empty())
        columnsChange += tr(", +%1 added").arg(outcome.columnsAdded.size());
    if (!outcome.columnsRemoved.empty())
        columnsChange += tr(", −%1 removed").arg(outcome.columnsRemoved.size());
    const QString afterCaption = (check.selectedSwitchedOn ? tr("After, if it were on — %1 %2, %3 columns%4")
                                                           : tr("After — %1 %2, %3 columns%4"))
                                     .arg(countText(after.rowCount()), rowsWord)
                                     .arg(after.columnCount())
                                     .arg(columnsChange);
    m_view->setTables(check.before, check.after, beforeCaption, afterCaption, before.rowCount() == after.rowCount());

    // The distribution follows the step: its own column, else what it made or changed.
    QStringList choices;
    for (const std::string& name : before.columnNames())
        choices << QString::fromStdString(name);
    for (const std::string& name : after.columnNames())
        if (!before.hasColumn(name))
            choices << QString::fromStdString(name);
    QString focus = m_view->focusColumn();
    if (m_focusStep != global || !choices.contains(focus)) {
        focus.clear();
        for (const std::string& name : steps[global].columns)
            if (focus.isEmpty() && choices.contains(QString::fromStdString(name)))
                focus = QString::fromStdString(name);
        if (focus.isEmpty() && !outcome.columnsAdded.empty())
            focus = QString::fromStdString(outcome.columnsAdded.front());
        const StepRowsModel* changed = m_view->afterModel();
        for (int column = 0; focus.isEmpty() && column < changed->columnCount(); ++column)
            for (int r = 0; r < changed->rowCount(); ++r)
                if (changed->isChanged(r, column)) {
                    focus = QString::fromStdString(after.column(std::size_t(column)).name());
                    break;
                }
        if (focus.isEmpty() && !choices.isEmpty())
            focus = choices.front();
    }
    m_focusStep = global;
    m_view->setColumnChoices(choices, focus);
    m_live->setFocusColumn(focus.toStdString());
}

void StagePipeline::applyBanner(const PipelineCheck& check)
{
    StatusBanner* banner = m_page->banner();
    const auto& preview = check.preview;
    const std::size_t prepCount = check.recipe.prep.steps.size();
    Origin origin = Origin::None;
    if (!preview.problem.empty()) {
        if (preview.problemStep)
            origin = *preview.problemStep < prepCount ? Origin::PrepStep : Origin::FeatureStep;
        else
            origin = preview.trainRows == 0 ? Origin::Split : Origin::Readiness;
    }
    const bool prepPage = m_stage == prep::StepStage::Prep;
    // The Prep page answers for its steps and the split; what the feature steps must fix
    // is said there too, but does not keep the user from getting to them.
    const bool blocking =
        origin != Origin::None && (!prepPage || origin == Origin::PrepStep || origin == Origin::Split);
    QString text;
    if (origin != Origin::None) {
        // The engine numbers steps across both stages; each page numbers its own.
        const QString message = stepErrorText(preview.problem);
        switch (origin) {
        case Origin::PrepStep:
        case Origin::FeatureStep:
            text = tr("%1 cannot run: %2").arg(stepLabel(*preview.problemStep, check), message);
            break;
        case Origin::Split:
            text = tr("The split cannot be made: %1").arg(message);
            break;
        case Origin::Readiness:
            text = tr("After the last step: %1").arg(message);
            break;
        case Origin::None:
            break;
        }
        if (prepPage && !blocking)
            text += tr(" The Features step is where this is fixed.");
        else if (!prepPage && (origin == Origin::PrepStep || origin == Origin::Split))
            text += tr(" Fix it on the Prep step.");
        banner->setMessage(kProblemKey, blocking ? StatusBanner::Level::Error : StatusBanner::Level::Info, text);
    } else {
        banner->clearMessage(kProblemKey);
    }
    banner->clearMessagesWithPrefix(kWarningPrefix);
    for (std::size_t i = 0; i < preview.warnings.size(); ++i)
        banner->setMessage(kWarningPrefix + QString::number(i), StatusBanner::Level::Warning,
                           QString::fromStdString(preview.warnings[i]));
    const QString problem = blocking ? text : QString();
    if (problem != m_problem) {
        m_problem = problem;
        emit problemChanged();
    }
}

} // namespace stepwise::ui
