#pragma once
/// \file
/// \brief Horizontal bars with optional ± whiskers (Qt Charts): importances, and scores
/// measured in different ways side by side.

#include <QStackedWidget>
#include <QStringList>

#include <vector>

class QChart;
class QChartView;
class QLabel;

namespace stepwise::ui {

/// \brief One labelled value, with the half-width of its whisker (0: none).
struct IntervalBar {
    QString label;
    double value = 0.0;
    double spread = 0.0;  ///< the whisker reaches value ± spread
    QString tooltip;      ///< shown on hover; empty: the label and the value
};

/// \brief One horizontal bar per entry, the first on top, from zero to the value, with
/// a whisker (a line with end caps) for every bar that has a spread. Qt Charts has no
/// error bars, so each whisker is a small line series over the same axes. In the dot
/// style each value is a dot on an axis fitted to the values, for comparing scores
/// that differ in the second decimal (bars from zero would hide that).
class IntervalBarChart : public QStackedWidget {
    Q_OBJECT
public:
    /// \brief How a value is drawn.
    enum class Marks { Bars, Dots };

    explicit IntervalBarChart(QWidget* parent = nullptr);

    /// \brief Bars (the default) or dots; applies to the next `setBars`.
    void setMarks(Marks marks) { m_marks = marks; }
    Marks marks() const { return m_marks; }

    /// \brief Shows `bars` (first on top) titled `title`; `valueTitle` names the value
    /// axis. `color` fills every bar unless `colors` gives one per bar.
    void setBars(const QString& title, const QString& valueTitle, const std::vector<IntervalBar>& bars,
                 const QColor& color, const std::vector<QColor>& colors = {});
    /// \brief Clears the chart and shows `placeholder`.
    void clear(const QString& placeholder);

    /// \brief The bars as shown, first on top.
    const std::vector<IntervalBar>& bars() const { return m_bars; }
    /// \brief Number of whiskers drawn.
    int whiskerCount() const { return m_whiskers; }
    /// \brief The chart's title (empty while the placeholder shows).
    QString title() const;
    /// \brief The value axis title.
    QString valueTitle() const { return m_valueTitle; }
    /// \brief The placeholder text.
    QString placeholderText() const;

private:
    void resetChart();

    QLabel* m_placeholder;
    QChartView* m_view;
    QChart* m_chart;
    std::vector<IntervalBar> m_bars;
    Marks m_marks = Marks::Bars;
    QString m_valueTitle;
    int m_whiskers = 0;
};

} // namespace stepwise::ui
