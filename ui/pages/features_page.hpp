#pragma once
/// \file
/// \brief Step 4: which columns are inputs, and the feature steps that turn them into
/// the numbers the model sees.

#include "pages/wizard_step_page.hpp"

class QLabel;
class QSplitter;
class QTableWidget;
class QTableWidgetItem;

namespace stepwise::ui {

class PipelineEditor;
class StagePipeline;

/// \brief Edits the used columns (`recipe.prep.dropColumns`) and the feature steps
/// (`recipe.features.steps`: scaling, encoding, binning, dates, formulas, selection) with
/// a `PipelineEditor`, a live preview of the selected step and the audit. Columns the
/// profile flags as leaks or IDs start unchecked, with the reason beside them. Every edit
/// is undoable; Next waits while the pipeline cannot produce model-ready inputs.
class FeaturesPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit FeaturesPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief Number of columns offered as features (all but the target).
    int columnCount() const;
    /// \brief True when the column's box is checked.
    bool isChecked(const QString& column) const;
    /// \brief Checks or unchecks a column's box, as a click would.
    void setChecked(const QString& column, bool checked);
    /// \brief The shared pipeline part (editor, preview, audit).
    StagePipeline* pipeline() const { return m_pipeline; }
    /// \brief The feature steps' editor.
    PipelineEditor* editor() const;
    /// \brief The "the model will see …" summary.
    QString inputsSummary() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();
    void rebuildColumns();
    void applyCheck();
    void onItemChanged(QTableWidgetItem* item);

    StagePipeline* m_pipeline;
    QTableWidget* m_columns;
    QLabel* m_count;
    QLabel* m_inputs;
    QSplitter* m_splitter = nullptr;
    bool m_splitterPlaced = false;
};

} // namespace stepwise::ui
