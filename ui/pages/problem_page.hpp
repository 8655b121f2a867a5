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
/// the Data page edits) and the optional success criterion.
class ProblemPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit ProblemPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

private:
    void refresh();
    void fillMetrics();
    void fillTargets();
    void writeSuccess();

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
    RecipeSummary* m_summary;
};

} // namespace stepwise::ui
