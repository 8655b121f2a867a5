#pragma once
/// \file
/// \brief The rows and the distribution of a column before and after a pipeline step,
/// side by side.

#include <QWidget>

#include <memory>
#include <optional>

#include "stepwise/data/distribution.hpp"
#include "stepwise/data/table.hpp"

class QComboBox;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace stepwise::ui {

class DistributionChart;
class StepRowsModel;

/// \brief Two tabs: "Rows" shows a sample of the training rows entering and leaving the
/// step in two tables (added columns green, removed ones red, changed cells amber;
/// scrolling one scrolls the other when they hold the same rows); "Distribution" shows
/// the chosen column before and after. A placeholder stands in while there is nothing
/// to show.
class StepPreviewView : public QWidget {
    Q_OBJECT
public:
    /// \brief The tabs.
    enum Tab { RowsTab, DistributionTab };

    explicit StepPreviewView(QWidget* parent = nullptr);

    /// \brief Shows `text` instead of the tables and charts.
    void showPlaceholder(const QString& text);
    /// \brief Shows the rows before and after; `rowsAligned`: the step kept every row.
    void setTables(std::shared_ptr<const data::Table> before, std::shared_ptr<const data::Table> after,
                   const QString& beforeCaption, const QString& afterCaption, bool rowsAligned);
    /// \brief The columns offered for the distribution, and the one chosen.
    void setColumnChoices(const QStringList& columns, const QString& current);
    /// \brief The column chosen for the distribution.
    QString focusColumn() const;
    /// \brief The distributions of the chosen column (unset: not on that side).
    void setDistributions(const QString& column, const std::optional<data::ColumnDistribution>& before,
                          bool beforeDatetime, const std::optional<data::ColumnDistribution>& after,
                          bool afterDatetime);

    StepRowsModel* beforeModel() const { return m_beforeModel; }
    StepRowsModel* afterModel() const { return m_afterModel; }
    DistributionChart* beforeChart() const { return m_beforeChart; }
    DistributionChart* afterChart() const { return m_afterChart; }
    QTabWidget* tabs() const { return m_tabs; }
    /// \brief True while the placeholder is shown.
    bool isShowingPlaceholder() const;

signals:
    /// \brief The user chose another column for the distribution.
    void focusColumnChanged(const QString& column);
    /// \brief The tables were replaced.
    void tablesChanged();

private:
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    QTabWidget* m_tabs;
    StepRowsModel* m_beforeModel;
    StepRowsModel* m_afterModel;
    QTableView* m_beforeView;
    QTableView* m_afterView;
    QLabel* m_beforeCaption;
    QLabel* m_afterCaption;
    QComboBox* m_column;
    DistributionChart* m_beforeChart;
    DistributionChart* m_afterChart;
    bool m_aligned = false;
};

} // namespace stepwise::ui
