#pragma once
/// \file
/// \brief Step 2: load the data (a file, a bundled dataset or a generator), understand
/// it, and choose the target column.

#include "pages/wizard_step_page.hpp"

#include "stepwise/data/data_source.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;

namespace stepwise::ui {

class ClassBalanceBar;
class ColumnOverviewModel;
class CorrelationModel;
class DistributionChart;
class HeatmapWidget;
class TableModel;
class TaskProgressPanel;

/// \brief Sets `recipe.data` (with its read options and type overrides) and
/// `recipe.problem.target`. Loading runs in the background with progress and Cancel; a
/// failed load says why in the banner and keeps the data that was loaded. Four tabs
/// show the data: the column overview (kind — editable —, missing values, statistics,
/// top values, flags), the rows (sortable, filterable, a million of them), each
/// column's distribution, and the correlations of the numeric columns.
class DataPage : public WizardStepPage {
    Q_OBJECT
public:
    /// \brief The tabs, in order.
    enum Tab { OverviewTab, TableTab, DistributionsTab, CorrelationsTab };

    explicit DataPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief Asks for a data file (starting in the last folder used), then how to read
    /// it, and loads it.
    void openFileDialog();
    /// \brief The rest of `openFileDialog` for a file the user picked elsewhere (the
    /// window's Open…): remembers its folder, asks how to read it, and loads it.
    void openChosenFile(const QString& path);
    /// \brief The folder the last data file was picked in (Documents at first).
    QString lastDataFolder() const;
    /// \brief Opens `path` with default read options. Asks first (the read-options
    /// dialog) when the file needs a choice (a workbook with several sheets, a database
    /// with several tables) or the load is large; refuses in the banner when it cannot
    /// fit in memory.
    void openFile(const QString& path);
    /// \brief Re-reads the loaded file — or the file whose load just failed — with options
    /// chosen in the read-options dialog.
    void openReadOptionsDialog();
    /// \brief Loads `source` as it is (no questions).
    void loadSource(const data::DataSource& source);
    /// \brief Asks for synthetic data settings and generates the table.
    void openGenerateDialog();
    /// \brief Loads estimated above `bytes` ask first (default
    /// `OpenDataDialog::kLargeLoadBytes`).
    void setLargeLoadBytes(std::uint64_t bytes) { m_largeLoadBytes = bytes; }
    /// \brief Whether the last-folder setting is read and written (off in demo mode).
    void setUsesSettings(bool uses) { m_usesSettings = uses; }

    /// \brief Shows the distribution of `column` (and selects it in the overview).
    void showColumn(const QString& column);
    /// \brief The column whose distribution is shown.
    QString currentColumn() const;

    QTabWidget* tabs() const { return m_tabs; }
    QTableView* overviewView() const { return m_overview; }
    ColumnOverviewModel* overviewModel() const { return m_overviewModel; }
    QTableView* tableView() const { return m_view; }
    TableModel* tableModel() const { return m_model; }
    DistributionChart* distributionChart() const { return m_distribution; }
    HeatmapWidget* correlationHeatmap() const { return m_correlation; }
    CorrelationModel* correlationModel() const { return m_correlationModel; }

private:
    void showLoadError(const QString& message);
    void refreshData();
    void refreshTarget();
    void refreshProfile();
    void refreshCorrelation();
    void refreshDistribution();
    void refreshRowCount();
    void applyFilter();

    QPushButton* m_open;
    QPushButton* m_readOptions;
    QComboBox* m_builtin;
    QPushButton* m_generate;
    TaskProgressPanel* m_progress;
    TaskProgressPanel* m_conversionProgress;
    QLabel* m_summary;
    QComboBox* m_target;
    QLabel* m_targetNote;
    ClassBalanceBar* m_balance;
    QTabWidget* m_tabs;

    QTableView* m_overview;
    ColumnOverviewModel* m_overviewModel;

    QLineEdit* m_filter;
    QComboBox* m_filterColumn;
    QLabel* m_rowCount;
    TaskProgressPanel* m_arrangeProgress;
    QTableView* m_view;
    TableModel* m_model;
    QTimer* m_filterDelay;

    QListWidget* m_columnList;
    DistributionChart* m_distribution;
    QLabel* m_columnDetails;

    HeatmapWidget* m_correlation;
    CorrelationModel* m_correlationModel;
    QLabel* m_correlationNote;

    bool m_usesSettings = true;
    std::uint64_t m_largeLoadBytes;
};

/// \brief A share as a percentage: "20%", "0.2%", "<0.1%".
QString formatShare(double fraction);
/// \brief The file-name suffixes the Data page opens ("csv", "xlsx", …), lower case.
QStringList dataFileSuffixes();

} // namespace stepwise::ui
