#pragma once
/// \file
/// \brief Step 2: load the data (CSV, bundled dataset or generated), look at it, and
/// choose the target column.

#include "pages/wizard_step_page.hpp"

#include "stepwise/data/data_source.hpp"

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;

namespace stepwise::ui {

class ClassBalanceBar;
class TableModel;
class TaskProgressPanel;

/// \brief Sets `recipe.data` and `recipe.problem.target`. Loading runs in the
/// background with progress; the table is shown through `TableModel` beside a
/// per-column summary, and the profile's flags (leaks, IDs, constants) appear in the
/// banner.
class DataPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit DataPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief Asks for a CSV/TSV file (starting in the last folder used) and loads it.
    void openFileDialog();
    /// \brief Loads the file at `path`.
    void openFile(const QString& path);
    /// \brief Asks for synthetic data settings and generates the table.
    void openGenerateDialog();
    /// \brief Whether the last-folder setting is read and written (off in demo mode).
    void setUsesSettings(bool uses) { m_usesSettings = uses; }

private:
    void refreshData();
    void refreshTarget();
    void refreshProfile();

    QPushButton* m_open;
    QComboBox* m_builtin;
    QPushButton* m_generate;
    TaskProgressPanel* m_progress;
    QLabel* m_summary;
    QComboBox* m_target;
    QLabel* m_targetNote;
    ClassBalanceBar* m_balance;
    QTableView* m_view;
    TableModel* m_model;
    QTableWidget* m_columns;
    bool m_usesSettings = true;
};

/// \brief A share as a percentage: "20%", "0.2%", "<0.1%".
QString formatShare(double fraction);

} // namespace stepwise::ui
