#pragma once
/// \file
/// \brief Step 1: what is predicted, in whose words, and what counts as success.

#include "pages/wizard_step_page.hpp"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace stepwise::ui {

class RecipeSummary;

/// \brief Edits `recipe.problem`: task type, objective, target column (the same field
/// the Data page edits), the optional success criterion and the optional latency budget.
class ProblemPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit ProblemPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    /// \brief The "Answer one row within … ms" check box and its spin box.
    QCheckBox* latencyCheck() const { return m_latencyEnabled; }
    QDoubleSpinBox* latencySpin() const { return m_latency; }
    void initializePage() override;

private:
    void refresh();
    void fillMetrics();
    void fillTargets();
    void writeSuccess();
    void writeLatency();

    QRadioButton* m_classification;
    QRadioButton* m_regression;
    QLineEdit* m_objective;
    QComboBox* m_target;
    QLabel* m_targetNote;
    QCheckBox* m_successEnabled;
    QComboBox* m_metric;
    QLabel* m_comparator;
    QDoubleSpinBox* m_threshold;
    QLabel* m_metricHelp;
    QCheckBox* m_latencyEnabled;
    QDoubleSpinBox* m_latency;
    QLabel* m_latencyHelp;
    RecipeSummary* m_summary;
};

} // namespace stepwise::ui
