#pragma once
/// \file
/// \brief ROC, precision-recall and calibration curves of the test rows, for the kept
/// model's classes or for every compared model.

#include <QStringList>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QStackedWidget;

namespace stepwise::ui {

class BackgroundTask;
class CurveChart;
class TaskProgressPanel;
struct EvaluationCurves;

/// \brief Three charts side by side — ROC (AUC in the legend, the chance diagonal),
/// precision-recall (AP in the legend, the share of positive rows as baseline) and
/// calibration (the perfect diagonal; each bin's counts on hover) — and a choice of what
/// they compare: the kept model's classes (binary: class 1 against class 0; more classes:
/// each against the rest), or, when several models were trained, every model on one
/// class, one colour per model. The legends are checkable: a click hides or shows a
/// curve in all three charts.
class CurvesView : public QWidget {
    Q_OBJECT
public:
    explicit CurvesView(QWidget* parent = nullptr);

    /// \brief Shows the kept model's curves; `modelCount` > 1 offers the model overlay,
    /// whose curves come later through `setComparedCurves`.
    void setCurves(std::shared_ptr<const EvaluationCurves> kept, const QStringList& classNames, int modelCount);
    /// \brief The curves of every model (kept first), for the overlay.
    void setComparedCurves(std::shared_ptr<const EvaluationCurves> compared);
    /// \brief Why the overlay is not there (scoring failed, data changed).
    void setComparisonMessage(const QString& message);
    /// \brief Shows `message` instead of the charts (no result, no probabilities).
    void showMessage(const QString& message);
    /// \brief The message shown instead of the charts, empty when they show.
    QString message() const;
    /// \brief Follows `task` (the scoring of the compared models) with a progress line.
    void setComparisonTask(BackgroundTask* task);

    /// \brief What the charts compare: item data -1 = the kept model's classes, c ≥ 0 =
    /// every model on class c.
    QComboBox* viewCombo() const { return m_view; }
    /// \brief Selects the view with item data `data`; false when there is none.
    bool selectView(int data);
    CurveChart* rocChart() const { return m_roc; }
    CurveChart* precisionRecallChart() const { return m_pr; }
    CurveChart* calibrationChart() const { return m_calibration; }
    /// \brief Sentences about what has no curve (a model without probabilities, a class
    /// without test rows).
    QLabel* notes() const { return m_notes; }

private:
    void render();
    QString modelLabel(int index, bool kept) const;

    std::shared_ptr<const EvaluationCurves> m_kept;
    std::shared_ptr<const EvaluationCurves> m_compared;
    QStringList m_classes;
    QString m_comparisonMessage;
    QStackedWidget* m_pages;
    QLabel* m_message;
    QComboBox* m_view;
    TaskProgressPanel* m_progress;
    CurveChart* m_roc;
    CurveChart* m_pr;
    CurveChart* m_calibration;
    QLabel* m_notes;
};

} // namespace stepwise::ui
