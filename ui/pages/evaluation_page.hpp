#pragma once
/// \file
/// \brief Step 6: how good is the model on rows it never saw, and did it meet the bar.

#include <optional>

#include "pages/wizard_step_page.hpp"

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTableWidget;
class QWidget;

namespace stepwise::ui {

class ConfusionMatrixModel;
class HeatmapWidget;
class ScatterChart;
class VerdictBadge;

/// \brief Shows the last result: the verdict badge, every metric of the task with its
/// meaning as tooltip, and for classification the confusion-matrix heatmap, the
/// per-class table and scikit-learn's text report; for regression a predicted-vs-actual
/// scatter.
class EvaluationPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit EvaluationPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief The confusion-matrix heatmap of the test rows.
    HeatmapWidget* matrix() const { return m_matrix; }
    /// \brief What the heatmap shows (matrix, class names, counts or row shares).
    ConfusionMatrixModel* matrixModel() const { return m_matrixModel; }
    /// \brief The verdict badge.
    VerdictBadge* verdict() const { return m_verdict; }
    /// \brief The metrics table (column 0 name, column 1 value; the exact value in UserRole).
    QTableWidget* metricsTable() const { return m_metrics; }

private:
    void refresh();
    void refreshVerdict();

    VerdictBadge* m_verdict;
    QLabel* m_summary;
    QTableWidget* m_metrics;
    QStackedWidget* m_views;
    QWidget* m_classificationView;
    ConfusionMatrixModel* m_matrixModel;
    HeatmapWidget* m_matrix;
    ScatterChart* m_scatter;
    QWidget* m_reportBox;
    QTableWidget* m_perClass;
    QPlainTextEdit* m_report;
};

/// \brief A metric value as text: 3 decimals, more when needed so that a value just
/// under a threshold never prints as equal to it.
QString formatMetric(double value, std::optional<double> threshold = std::nullopt);

} // namespace stepwise::ui
