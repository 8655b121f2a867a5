#pragma once
/// \file
/// \brief Step 3: the split and the prep steps (cleaning, missing values, outliers, class
/// balance), with a live preview of what each step does.

#include "pages/wizard_step_page.hpp"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTableWidget;

namespace stepwise::ui {

class PipelineEditor;
class SplitBar;
class StagePipeline;

/// \brief Edits the split of `recipe.prep` (test and validation size, stratify, time
/// order) and `recipe.seed`, and the prep steps with a `PipelineEditor`. Beside them: the
/// columns with gaps, the repeated rows, and the audit; below, the training rows before
/// and after the selected step. Every edit is undoable. Next waits while a prep step or
/// the split cannot run.
class PrepPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit PrepPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief The shared pipeline part (editor, preview, audit).
    StagePipeline* pipeline() const { return m_pipeline; }
    /// \brief The prep steps' editor.
    PipelineEditor* editor() const;
    /// \brief The split picture.
    SplitBar* splitBar() const { return m_splitBar; }
    /// \brief The duplicates note's text.
    QString duplicatesText() const;
    /// \brief Opens the list of repeated rows (the "Show" button).
    void showDuplicates();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();
    void refreshColumns();
    void applyCheck();
    void writeSplit(const QString& what, const QString& mergeKey);

    StagePipeline* m_pipeline;
    QDoubleSpinBox* m_testSize;
    QDoubleSpinBox* m_validationSize;
    QCheckBox* m_stratify;
    QComboBox* m_timeColumn;
    QSpinBox* m_seed;
    SplitBar* m_splitBar;
    QLabel* m_splitNote;
    QTableWidget* m_missing;
    QLabel* m_missingNote;
    QLabel* m_duplicates;
    QPushButton* m_showDuplicates;
    QPushButton* m_dropDuplicates;
    QGroupBox* m_previewBox;
    QSplitter* m_splitter = nullptr;
    bool m_splitterPlaced = false;
};

} // namespace stepwise::ui
