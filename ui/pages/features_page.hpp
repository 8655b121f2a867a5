#pragma once
/// \file
/// \brief Step 4: which columns are inputs, and how they become numbers.

#include "pages/wizard_step_page.hpp"

class QLabel;
class QRadioButton;
class QTableWidget;
class QTableWidgetItem;

namespace stepwise::ui {

/// \brief Edits `recipe.features` (scaling, encoding) and the used columns
/// (`recipe.prep.dropColumns`). Columns the profile flags as leaks or IDs start
/// unchecked, with the reason beside them.
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

private:
    void refresh();
    void rebuildColumns();
    void writeScalingEncoding();
    void onItemChanged(QTableWidgetItem* item);

    QRadioButton* m_standard;
    QRadioButton* m_minMax;
    QRadioButton* m_noScaling;
    QRadioButton* m_oneHot;
    QRadioButton* m_ordinal;
    QTableWidget* m_columns;
    QLabel* m_count;
    QLabel* m_inputs;
};

} // namespace stepwise::ui
