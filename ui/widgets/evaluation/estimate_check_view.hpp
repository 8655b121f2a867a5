#pragma once
/// \file
/// \brief The Evaluation page's honesty check: the success metric on the training rows,
/// estimated without the test rows, and on the test rows, side by side; and the
/// single-row latency against its budget.

#include <QWidget>

class QLabel;

namespace stepwise::ui {

class IntervalBarChart;
class Session;
class StatusBanner;

/// \brief Shows `RunResult::estimateCheck`: a bar each for the training score, the
/// validation or cross-validation estimate (whisker ± its spread) and the test score,
/// the numbers in words beside them, its warnings (overfitting, estimate and test
/// disagreeing) in a `StatusBanner`, and the latency line from `RunResult::latency`
/// judged against the current budget (`Session::latencyVerdict`). Follows
/// `Session::resultChanged` and `recipeChanged`; nothing here is long work.
class EstimateCheckView : public QWidget {
    Q_OBJECT
public:
    explicit EstimateCheckView(Session* session, QWidget* parent = nullptr);

    /// \brief The warnings (or the all-clear).
    StatusBanner* banner() const { return m_banner; }
    /// \brief Train, estimate and test as bars.
    IntervalBarChart* chart() const { return m_chart; }
    /// \brief The three numbers in words.
    QString numbersText() const;
    /// \brief The latency sentence.
    QString latencyText() const;

private:
    void refresh();

    Session* m_session;
    StatusBanner* m_banner;
    QLabel* m_numbers;
    IntervalBarChart* m_chart;
    QLabel* m_latency;
};

} // namespace stepwise::ui
