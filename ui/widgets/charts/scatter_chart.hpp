#pragma once
/// \file
/// \brief Predicted against actual values for a regression model (Qt Charts).

#include <QStackedWidget>

#include <Eigen/Core>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace stepwise::ui {

/// \brief One dot per test row at (actual, predicted) and the y = x line of perfect
/// predictions; dots above the line are over-predictions. Large test sets are thinned
/// to an even sample so the chart stays responsive; the caption says so.
class ScatterChart : public QStackedWidget {
    Q_OBJECT
public:
    /// \brief Most dots drawn.
    static constexpr int kMaxPoints = 4000;

    explicit ScatterChart(QWidget* parent = nullptr);

    /// \brief Shows the pairs; `target` names the axes.
    void setData(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted, const QString& target);
    /// \brief Clears the chart and shows `placeholder`.
    void clear(const QString& placeholder);
    /// \brief Number of dots drawn.
    int pointCount() const;

private:
    QLabel* m_placeholder;
    QChartView* m_view;
    QChart* m_chart;
    QScatterSeries* m_points;
    QLineSeries* m_identity;
    QValueAxis* m_x;
    QValueAxis* m_y;
};

} // namespace stepwise::ui
