#pragma once
/// \file
/// \brief The live training curve (Qt Charts; kept under widgets/charts/ only).

#include <QStackedWidget>

#include <vector>

#include "stepwise/core/training_snapshot.hpp"
#include "tasks/training_update.hpp"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace stepwise::ui {

/// \brief A line chart of a model's training metric: x = trees or iterations, y = the
/// metric, axis titles from the snapshots (name and the rows it was measured on).
/// Points are appended as live updates arrive; a placeholder text shows before the
/// first point.
class TrainingChart : public QStackedWidget {
    Q_OBJECT
public:
    explicit TrainingChart(QWidget* parent = nullptr);

    /// \brief Clears the curve and shows `placeholder`.
    void reset(const QString& placeholder);
    /// \brief Appends the update's points (and takes its axis names).
    void append(const TrainingUpdate& update);
    /// \brief Shows a complete curve (e.g. from a finished run's fit report).
    void showCurve(const std::vector<core::TrainingSnapshot>& curve);
    /// \brief Number of points plotted.
    int pointCount() const;

private:
    void setAxes(const QString& stepName, const QString& metricName, const QString& measuredOn, int totalSteps);
    void rescale();

    QLabel* m_placeholder;
    QChartView* m_view;
    QChart* m_chart;
    QLineSeries* m_series;
    QScatterSeries* m_last;
    QValueAxis* m_x;
    QValueAxis* m_y;
    int m_totalSteps = 0;
    double m_minY = 0;
    double m_maxY = 0;
    double m_maxX = 0;
};

} // namespace stepwise::ui
