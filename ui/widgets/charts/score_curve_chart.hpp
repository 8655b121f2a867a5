#pragma once
/// \file
/// \brief Scores against a setting (Qt Charts): mean lines with ± one standard deviation
/// bands, for learning and validation curves.

#include <QColor>
#include <QStackedWidget>
#include <QStringList>

#include <vector>

class QChart;
class QChartView;
class QLabel;

namespace stepwise::ui {

/// \brief One line of a `ScoreCurveChart`: the mean at each x and its spread.
struct ScoreCurve {
    QString name;               ///< legend text ("training rows")
    QColor color;
    std::vector<double> mean;   ///< one per x
    std::vector<double> std;    ///< one per x; the band is mean ± std
};

/// \brief Each curve as a line with markers over a translucent band of ± one standard
/// deviation (a `QAreaSeries` between mean − std and mean + std). The x axis is either
/// numeric (training rows) or a row of labels at even spacing (the values of a
/// hyper-parameter as typed, which may include words such as "none").
class ScoreCurveChart : public QStackedWidget {
    Q_OBJECT
public:
    explicit ScoreCurveChart(QWidget* parent = nullptr);

    /// \brief Curves over numeric `x`.
    void setCurves(const QString& title, const QString& xTitle, const QString& yTitle, const std::vector<double>& x,
                   const std::vector<ScoreCurve>& curves);
    /// \brief Curves over evenly spaced `labels`.
    void setCurves(const QString& title, const QString& xTitle, const QString& yTitle, const QStringList& labels,
                   const std::vector<ScoreCurve>& curves);
    /// \brief Clears the chart and shows `placeholder`.
    void clear(const QString& placeholder);

    /// \brief The curves shown (empty while the placeholder shows).
    const std::vector<ScoreCurve>& curves() const { return m_curves; }
    /// \brief The x of every point (label positions 0, 1, … for labelled axes).
    const std::vector<double>& x() const { return m_x; }
    /// \brief The x labels of a labelled axis.
    const QStringList& xLabels() const { return m_labels; }
    /// \brief The chart's title (empty while the placeholder shows).
    QString title() const;
    /// \brief The placeholder text.
    QString placeholderText() const;

private:
    void showCurves(const QString& title, const QString& xTitle, const QString& yTitle, const std::vector<ScoreCurve>& curves);
    void resetChart();

    QLabel* m_placeholder;
    QChartView* m_view;
    QChart* m_chart;
    std::vector<ScoreCurve> m_curves;
    std::vector<double> m_x;
    QStringList m_labels;
};

} // namespace stepwise::ui
