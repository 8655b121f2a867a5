#pragma once
/// \file
/// \brief Step 3: missing values and the train/test split.

#include "pages/wizard_step_page.hpp"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace stepwise::ui {

class SplitBar;

/// \brief Edits `recipe.prep` (imputation or dropping rows, test size, stratify) and
/// `recipe.seed`, next to a table of the columns that have missing values.
class PrepPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit PrepPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

private:
    void refresh();
    void write();

    QRadioButton* m_impute;
    QRadioButton* m_dropRows;
    QComboBox* m_numeric;
    QDoubleSpinBox* m_numericValue;
    QComboBox* m_categorical;
    QLineEdit* m_categoricalValue;
    QTableWidget* m_missing;
    QLabel* m_missingNote;
    QDoubleSpinBox* m_testSize;
    QLabel* m_splitNote;
    SplitBar* m_splitBar;
    QLabel* m_rowsNote;
    QCheckBox* m_stratify;
    QSpinBox* m_seed;
};

} // namespace stepwise::ui
