#pragma once
/// \file
/// \brief The pipeline part the Prep and Features pages share: one stage's editor, the
/// live before/after preview of the selected step, the audit list, and the banner
/// message for a step that cannot run.

#include <QObject>
#include <QString>
#include <QTimer>

#include <cstddef>
#include <memory>
#include <optional>

#include "stepwise/prep/step.hpp"

class QGroupBox;

namespace stepwise::ui {

class AuditList;
class LivePreview;
class PipelineEditor;
class Session;
class StepPreviewView;
class WizardStepPage;
struct PipelineCheck;

/// \brief Binds a `PipelineEditor` for `stage` to the session: each edit becomes one
/// undoable recipe edit; every recipe change (and a change of the selected step) runs
/// the pipeline check in the background while the page is shown; the result goes to
/// the editor (words, errors, row counts, the columns at the selected step), to the
/// before/after preview, to the audit list and to the page's banner. The page places
/// the widgets and asks `blockingProblem()` for its `incompleteReason()`.
class StagePipeline : public QObject {
    Q_OBJECT
public:
    StagePipeline(Session* session, prep::StepStage stage, WizardStepPage* page);

    PipelineEditor* editor() const { return m_editor; }
    StepPreviewView* previewView() const { return m_view; }
    AuditList* auditList() const { return m_audit; }
    /// \brief A group box titled `title` with the editor and the audit list under it, as
    /// both pages place them.
    QGroupBox* makeStepsBox(const QString& title, QWidget* parent) const;
    LivePreview* livePreview() const { return m_live; }

    /// \brief Index of this stage's first step in `workflow::pipelineSteps`.
    std::size_t offset() const;
    /// \brief The problem that keeps this page from continuing (in words, with the step
    /// it comes from), or empty. Problems the other page must fix do not block the Prep page.
    QString blockingProblem() const;
    /// \brief The latest check (may be for an older recipe while a new one runs).
    std::shared_ptr<const PipelineCheck> check() const;

    /// \brief What the preview shows, for its box's title ("Preview of Prep step 1 “Fill
    /// missing values”", with "— updating…" while a check runs).
    QString previewTitle() const;

signals:
    /// \brief A new check was shown (or one started); the page updates its own parts from
    /// `check()` and `previewTitle()`.
    void checked();
    /// \brief The blocking problem may have changed.
    void problemChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class Origin { None, PrepStep, FeatureStep, Split, Readiness };

    void refreshSteps();
    void selectionChanged();
    void apply();
    void applyPreview(const PipelineCheck& check);
    void applyBanner(const PipelineCheck& check);
    void applyColumns(const PipelineCheck& check);
    QString stepLabel(std::size_t globalIndex, const PipelineCheck& check) const;

    Session* m_session;
    prep::StepStage m_stage;
    WizardStepPage* m_page;
    PipelineEditor* m_editor;
    StepPreviewView* m_view;
    AuditList* m_audit;
    LivePreview* m_live;
    QString m_problem;          // blocking problem shown
    QString m_previewTitle = tr("Preview of the selected step");
    QTimer m_slowCheck;
    std::optional<std::size_t> m_focusStep;  // the step the focus column was chosen for
};

} // namespace stepwise::ui
