#pragma once
/// \file
/// \brief Residuals against predicted values for a regression model (Qt Charts).

#include <QList>
#include <QPointF>
#include <QStackedWidget>

#include <Eigen/Core>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace stepwise::ui {

/// \brief One dot per test row at (predicted, actual − predicted) and the zero line of
/// perfect predictions: dots above it are under-predictions, below over-predictions; a
/// funnel or a curve means the errors depend on the size of the prediction. Large test
/// sets are thinned to an even sample (as `ScatterChart`); the title says so.
class ResidualChart : public QStackedWidget {
    Q_OBJECT
public:
    /// \brief Most dots drawn.
    static constexpr int kMaxPoints = 4000;

    explicit ResidualChart(QWidget* parent = nullptr);

    /// \brief Shows the residuals of `predicted` against `actual`; `target` names the axes.
    void setData(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted, const QString& target);
    /// \brief Clears the chart and shows `placeholder`.
    void clear(const QString& placeholder);
    /// \brief The dots drawn, as (predicted, residual).
    QList<QPointF> points() const;
    /// \brief Every how many test rows a dot is drawn (1: all of them).
    int stride() const { return m_stride; }
    /// \brief The chart's title (empty while the placeholder shows).
    QString title() const;
    /// \brief The placeholder text.
    QString placeholderText() const;

private:
    QLabel* m_placeholder;
    QChartView* m_view;
    QChart* m_chart;
    QScatterSeries* m_points;
    QLineSeries* m_zero;
    QValueAxis* m_x;
    QValueAxis* m_y;
    int m_stride = 1;
};

} // namespace stepwise::ui
