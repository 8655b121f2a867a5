#pragma once
/// \file
/// \brief The decision-threshold slider of a binary classifier: the confusion matrix,
/// the rates and the point on the ROC and precision-recall curves at any threshold.

#include <QStringList>
#include <QWidget>

#include <memory>

#include "stepwise/evaluation/curves.hpp"

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QStackedWidget;
class QTableWidget;
class QVariantAnimation;

namespace stepwise::ui {

class ConfusionMatrixModel;
class CurveChart;
class HeatmapWidget;
struct ClassCurves;

/// \brief A slider over [0, 1] in steps of 0.001 and a spin box on the class-1
/// probability: rows whose probability is above the threshold are read as class 1.
/// Moving either updates at once the 2 × 2 confusion matrix, precision, recall, F1,
/// specificity and accuracy (beside their values at 0.5, the saved model's reading) and
/// the marker on the ROC and precision-recall curves. "Maximise F1" and "Recall ≥ x" move
/// the slider to `ThresholdAnalysis::bestF1` / `forRecall`. A note says that the
/// threshold changes how the probabilities are read, not the trained model.
class ThresholdView : public QWidget {
    Q_OBJECT
public:
    explicit ThresholdView(QWidget* parent = nullptr);

    /// \brief Shows the kept model's class-1 `analysis` and `curves` (class 1 against 0);
    /// `classNames` are the two labels, `target` the target column's name.
    void setData(std::shared_ptr<const evaluation::ThresholdAnalysis> analysis, const ClassCurves& curves,
                 const QStringList& classNames, const QString& target);
    /// \brief Shows `message` instead of the controls (no data yet, no probabilities).
    void showMessage(const QString& message);
    /// \brief True when the controls show data.
    bool hasData() const { return m_analysis != nullptr; }
    /// \brief The message shown without data.
    QString message() const;

    /// \brief The threshold in use (exact; the slider and spin box show it rounded).
    double threshold() const { return m_threshold; }
    /// \brief Moves the threshold to `threshold` (clamped to [0, 1]).
    void setThreshold(double threshold);
    /// \brief The matrix and rates at `threshold()`.
    const evaluation::ThresholdPoint& point() const { return m_point; }

    QSlider* slider() const { return m_slider; }
    QDoubleSpinBox* spinBox() const { return m_spin; }
    QPushButton* maximiseF1Button() const { return m_bestF1; }
    QPushButton* recallButton() const { return m_recallButton; }
    QDoubleSpinBox* recallSpinBox() const { return m_recall; }
    QPushButton* resetButton() const { return m_reset; }
    ConfusionMatrixModel* matrixModel() const { return m_matrixModel; }
    HeatmapWidget* matrix() const { return m_matrix; }
    /// \brief Rows: precision, recall, F1, specificity, accuracy; columns: name, at the
    /// threshold (exact value in UserRole), at 0.5.
    QTableWidget* ratesTable() const { return m_rates; }
    CurveChart* rocChart() const { return m_roc; }
    CurveChart* precisionRecallChart() const { return m_pr; }
    /// \brief The teaching text under the slider: rows predicted positive, the rows that
    /// flipped class against 0.5 and how precision and recall traded off
    /// (`explainThreshold`), updated with every move.
    QLabel* explanationLabel() const { return m_explanation; }
    /// \brief "Sweep 0 → 1": moves the threshold from 0 to 1 over a few seconds so the
    /// matrix can be watched changing (in steps of 0.1 under reduced motion); again stops it.
    QPushButton* sweepButton() const { return m_sweepButton; }
    /// \brief The animation behind the sweep.
    QVariantAnimation* sweepAnimation() const { return m_sweep; }

signals:
    /// \brief The threshold moved.
    void thresholdChanged(double threshold);

private:
    void apply(double threshold);
    void pickForRecall();

    std::shared_ptr<const evaluation::ThresholdAnalysis> m_analysis;
    double m_threshold = 0.5;
    evaluation::ThresholdPoint m_point;
    evaluation::ThresholdPoint m_atHalf;
    QStringList m_classes;
    QString m_target;

    QStackedWidget* m_pages;
    QLabel* m_message;
    QLabel* m_rule;
    QLabel* m_status;
    QSlider* m_slider;
    QDoubleSpinBox* m_spin;
    QPushButton* m_bestF1;
    QPushButton* m_recallButton;
    QDoubleSpinBox* m_recall;
    QPushButton* m_reset;
    ConfusionMatrixModel* m_matrixModel;
    HeatmapWidget* m_matrix;
    QTableWidget* m_rates;
    CurveChart* m_roc;
    CurveChart* m_pr;
    QLabel* m_explanation;
    QPushButton* m_sweepButton;
    QVariantAnimation* m_sweep;
};

} // namespace stepwise::ui
