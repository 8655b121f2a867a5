#pragma once
/// \file
/// \brief Step 1: what is predicted, in whose words, and what counts as success.

#include "pages/wizard_step_page.hpp"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace stepwise::ui {

class RecipeSummary;

/// \brief Edits `recipe.problem` — the problem-statement template made interactive: task
/// type, objective, target column (the same field the Data page edits), the optional
/// success criterion with a guide for choosing its metric, and the constraints (latency
/// budget, interpretability, retraining cadence). Exports the statement as JSON and warns
/// when accuracy judges an imbalanced target.
class ProblemPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit ProblemPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    /// \brief The "Answer one row within … ms" check box and its spin box.
    QCheckBox* latencyCheck() const { return m_latencyEnabled; }
    QDoubleSpinBox* latencySpin() const { return m_latency; }
    /// \brief The interpretability constraint (item data: `toString(Interpretability)`).
    QComboBox* interpretabilityCombo() const { return m_interpretability; }
    /// \brief The retraining cadence constraint (item data: `toString(RetrainingCadence)`).
    QComboBox* retrainingCombo() const { return m_retraining; }
    /// \brief The metric guide's "which mistake costs more?" (item data: int(MistakeCost)).
    QComboBox* mistakeCombo() const { return m_mistake; }
    /// \brief The metric guide's recommendation and its reason.
    QString metricAdvice() const;
    /// \brief The metric guide's "Use …" button: makes the recommended metric the success
    /// metric (switching the criterion on).
    QPushButton* applyAdviceButton() const { return m_applyAdvice; }
    /// \brief Writes `workflow::problemToJson` of the current problem to `path` atomically;
    /// false (and a banner error) when it cannot be written.
    bool exportProblemStatement(const QString& path);
    void initializePage() override;

private:
    void refresh();
    void fillMetrics();
    void fillTargets();
    void writeSuccess();
    void writeLatency();
    void buildConstraints(QWidget* box);
    void buildGuide(QWidget* box);
    void refreshGuide();
    void refreshWarnings();
    void askExport();

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
    QComboBox* m_interpretability;
    QLabel* m_interpretabilityNote;
    QComboBox* m_retraining;
    QComboBox* m_mistake;
    QLabel* m_advice;
    QPushButton* m_applyAdvice;
    QPushButton* m_export;
    QString m_adviceMetric;
    RecipeSummary* m_summary;
};

} // namespace stepwise::ui
