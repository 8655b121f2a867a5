#pragma once
/// \file
/// \brief Step 6: how good is the model on rows it never saw, and did it meet the bar.

#include <memory>
#include <optional>

#include <QList>

#include "pages/wizard_step_page.hpp"

class QLabel;
class QPlainTextEdit;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTableWidget;
class QWidget;

namespace stepwise::data {
class Table;
}

namespace stepwise::ui {

class BackgroundTask;
class EvaluationReportExport;
class EstimateCheckView;
class ImportanceView;
class LearningCurveView;
class ModelComparisonView;
class ResidualsView;
struct ReportFigure;
class ConfusionMatrixModel;
class CurvesView;
class HeatmapWidget;
class ScatterChart;
class TestRowsModel;
class ThresholdView;
class VerdictBadge;

/// \brief Shows the last result: the verdict badge (the success criterion and, with a
/// latency budget, the measured latency: passed only when both pass) over tabs.
/// "Overview": every metric of the task with its meaning as tooltip, and for
/// classification the confusion-matrix heatmap (counts, row % or column %; hover a cell
/// for what its rows are, click it to list them), the per-class table and scikit-learn's
/// text report; for regression a predicted-vs-actual scatter. "Threshold" (binary
/// classification): the decision-threshold slider. "Curves" (classification): ROC,
/// precision-recall and calibration curves, overlaid for every trained model. Curves and
/// the compared models' predictions are computed on background tasks owned by the page.
/// More tabs are added with `addTab`.
class EvaluationPage : public WizardStepPage {
    Q_OBJECT
public:
    /// \brief The page's own tabs, in order; `addTab` appends after them.
    enum Tab {
        OverviewTab = 0,
        ThresholdTab = 1,   ///< binary classification
        CurvesTab = 2,      ///< classification
        ResidualsTab = 3,   ///< regression
        TrainVsTestTab = 4, ///< the estimate check and latency
        ImportanceTab = 5,
        LearningTab = 6,    ///< learning and validation curves
        CompareTab = 7      ///< the models side by side
    };

    explicit EvaluationPage(Session* session, QWidget* parent = nullptr);
    ~EvaluationPage() override;
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief Appends `tab` (reparented) titled `title`; returns its index.
    int addTab(QWidget* tab, const QString& title);
    /// \brief The tabs under the verdict.
    QTabWidget* tabs() const { return m_tabs; }

    /// \brief The confusion-matrix heatmap of the test rows.
    HeatmapWidget* matrix() const { return m_matrix; }
    /// \brief What the heatmap shows (matrix, class names, counts, row or column shares).
    ConfusionMatrixModel* matrixModel() const { return m_matrixModel; }
    /// \brief The verdict badge.
    VerdictBadge* verdict() const { return m_verdict; }
    /// \brief The metrics table (column 0 name, column 1 value; the metric's report name
    /// in column 0's UserRole, the exact value in column 1's UserRole).
    QTableWidget* metricsTable() const { return m_metrics; }
    /// \brief The test rows of the clicked confusion-matrix cell.
    TestRowsModel* cellRowsModel() const { return m_cellRowsModel; }
    /// \brief The view of `cellRowsModel()`.
    QTableView* cellRowsView() const { return m_cellRows; }
    /// \brief What the pointed-at or clicked matrix cell means, in words with its counts
    /// (`explainConfusionCell`).
    QLabel* cellExplanation() const { return m_cellExplanation; }
    /// \brief The decision-threshold tab.
    ThresholdView* thresholdView() const { return m_threshold; }
    /// \brief The curves tab.
    CurvesView* curvesView() const { return m_curves; }
    /// \brief Computes the kept model's curves.
    BackgroundTask* curvesTask() const { return m_curvesTask; }
    /// \brief Scores every compared model on the test rows for the overlaid curves.
    BackgroundTask* comparisonTask() const { return m_comparisonTask; }

    /// \brief Exports the evaluation report (HTML or PDF) with the page's charts.
    EvaluationReportExport* reportExport() const { return m_reportExport; }
    /// \brief The charts that have something to show, grabbed as report figures (every tab
    /// is laid out once for it, with painting held back so nothing flickers).
    QList<ReportFigure> reportFigures();

    /// \brief Lists the test rows whose actual class is `actual` and predicted class
    /// `predicted` (as a click on that heatmap cell does).
    void showCellRows(int actual, int predicted);

private:
    void refresh();
    void refreshMetrics();
    void refreshVerdict();
    void refreshCurves();

    VerdictBadge* m_verdict;
    QLabel* m_summary;
    QTabWidget* m_tabs;
    QTableWidget* m_metrics;
    QStackedWidget* m_views;
    QWidget* m_classificationView;
    ConfusionMatrixModel* m_matrixModel;
    HeatmapWidget* m_matrix;
    QSplitter* m_matrixSplit;
    QLabel* m_cellCaption;
    QLabel* m_cellExplanation = nullptr;
    TestRowsModel* m_cellRowsModel;
    QTableView* m_cellRows;
    ScatterChart* m_scatter;
    QTabWidget* m_details;
    QTableWidget* m_perClass;
    QPlainTextEdit* m_report;
    ThresholdView* m_threshold;
    CurvesView* m_curves;
    BackgroundTask* m_curvesTask;
    BackgroundTask* m_comparisonTask;
    ResidualsView* m_residuals;
    EstimateCheckView* m_estimate;
    ImportanceView* m_importance;
    LearningCurveView* m_learning;
    ModelComparisonView* m_comparison;
    EvaluationReportExport* m_reportExport;
    /// The table the result's test rows index (kept when other data is loaded later);
    /// null when it is not at hand.
    std::shared_ptr<const data::Table> m_resultTable;
};

/// \brief A metric value as text: 3 decimals, more when needed so that a value just
/// under a threshold never prints as equal to it.
QString formatMetric(double value, std::optional<double> threshold = std::nullopt);

} // namespace stepwise::ui
