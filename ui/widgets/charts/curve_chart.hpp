#pragma once
/// \file
/// \brief A chart of named polylines on fixed axes, with a dashed reference line and an
/// optional marker point: ROC, precision-recall and calibration curves (Qt Charts).

#include <QColor>
#include <QList>
#include <QPointF>
#include <QStackedWidget>
#include <QStringList>

#include <optional>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QXYSeries;

namespace stepwise::ui {

/// \brief One named line of a `CurveChart`.
struct ChartCurve {
    QString name;           ///< legend text, e.g. "class 1 (AUC 0.904)"
    QList<QPointF> points;  ///< drawn in this order
    QColor color;           ///< invalid: `seriesColor` of the curve's position
    /// \brief One text per point, shown when the pointer rests on it; when given, the
    /// points are drawn as dots on the line.
    QStringList pointTips;
};

/// \brief Shows curves over fixed axes (default [0, 1] × [0, 1], ticks every 0.2, a
/// small margin so lines on the edges stay visible), a grey dashed reference line
/// (chance diagonal, baseline), and a marker point (where the threshold is). The legend
/// is a wrapped line of text under the plot, so long names are never cut; with a
/// checkable legend, clicking a curve's entry (or Tab to it and Enter) hides or shows the
/// curve (its entry greys and is struck through). Before any data it shows a placeholder
/// sentence instead of empty axes.
class CurveChart : public QStackedWidget {
    Q_OBJECT
public:
    explicit CurveChart(QWidget* parent = nullptr);

    /// \brief The bold title above the plot.
    void setTitle(const QString& title);
    /// \brief The axis titles.
    void setAxisTitles(const QString& x, const QString& y);
    /// \brief The visible ranges (ticks every 0.2 from 0 stay).
    void setRanges(double xMin, double xMax, double yMin, double yMax);
    /// \brief Replaces the curves and shows the chart.
    void setCurves(const std::vector<ChartCurve>& curves);
    /// \brief The grey dashed reference line named `name` in the legend; no points removes it.
    void setReference(const QString& name, const QList<QPointF>& points);
    /// \brief Puts the marker at `point`, named `name` in the legend.
    void setMarker(const QPointF& point, const QString& name);
    /// \brief Removes the marker.
    void clearMarker();
    /// \brief Removes everything and shows `placeholder`.
    void clear(const QString& placeholder);
    /// \brief True while the placeholder shows.
    bool isShowingPlaceholder() const;
    /// \brief The placeholder sentence.
    QString placeholderText() const;
    /// \brief Lets a click on a curve's legend entry hide or show the curve.
    void setLegendCheckable(bool checkable);

    /// \brief Number of curves.
    int curveCount() const { return int(m_curves.size()); }
    /// \brief Legend text of curve `index`.
    QString curveName(int index) const;
    /// \brief Points of curve `index`.
    QList<QPointF> curvePoints(int index) const;
    /// \brief True when curve `index` is shown.
    bool isCurveVisible(int index) const;
    /// \brief Hides or shows curve `index` (as a click on its legend entry does).
    void setCurveVisible(int index, bool visible);
    /// \brief Points of the reference line.
    QList<QPointF> referencePoints() const;
    /// \brief Where the marker is, if shown.
    std::optional<QPointF> marker() const;
    /// \brief The legend text of the marker.
    QString markerName() const;
    /// \brief The chart (for grabbing and tests).
    QChart* chart() const { return m_chart; }
    /// \brief The legend under the plot.
    QLabel* legend() const { return m_legend; }

signals:
    /// \brief Curve `index` was hidden or shown.
    void curveVisibilityChanged(int index, bool visible);

private:
    struct Series {
        QLineSeries* line = nullptr;
        QScatterSeries* dots = nullptr;  ///< the points with tooltips, or null
        QStringList tips;
    };
    void attach(QXYSeries* series);
    void updateLegend();
    void showPointTip(int index, const QPointF& point, bool entered);

    QLabel* m_placeholder;
    QWidget* m_plot;
    QChartView* m_view;
    QLabel* m_legend;
    QChart* m_chart;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QLineSeries* m_reference;
    QScatterSeries* m_marker;
    std::vector<Series> m_curves;
    bool m_legendCheckable = false;
};

/// \brief The colour of the `index`-th series (Tableau 10: blue, orange, red, teal, …),
/// distinct for ten series and then repeating.
QColor seriesColor(int index);

/// \brief A step line through (x[i], y[i]) that holds each y until the next x, as
/// matplotlib's drawstyle "steps-post" that scikit-learn's PrecisionRecallDisplay uses.
QList<QPointF> stepsPost(const std::vector<double>& x, const std::vector<double>& y);

} // namespace stepwise::ui
