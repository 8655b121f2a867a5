#pragma once
/// \file
/// \brief The distribution of one column (Qt Charts): a histogram for numbers, bars for
/// categories.

#include <QStackedWidget>

#include "stepwise/data/distribution.hpp"

class QChart;
class QChartView;
class QLabel;

namespace stepwise::ui {

/// \brief Shows a `data::ColumnDistribution`: a histogram (equal-width bins as bars on a
/// value axis, dates on a date axis) with the bin's range and count on hover; vertical
/// bars in value order for a few whole numbers; horizontal bars, most frequent on top,
/// for categories, with the rest folded into "other" and missing values as their own
/// amber bar. The title names the column and says what was left out.
class DistributionChart : public QStackedWidget {
    Q_OBJECT
public:
    /// \brief What is drawn.
    enum class Shape { Empty, Histogram, Bars };

    explicit DistributionChart(QWidget* parent = nullptr);

    /// \brief Shows the distribution of `column`; `datetime` labels a histogram's axis
    /// with dates (values are seconds since 1970).
    void setDistribution(const QString& column, const data::ColumnDistribution& distribution, bool datetime);
    /// \brief Without axis titles (the chart's title names the column), for small charts
    /// such as the step preview, where the room they take would squeeze the tick labels.
    void setCompact(bool compact) { m_compact = compact; }
    /// \brief Clears the chart and shows `placeholder`.
    void clear(const QString& placeholder);

    /// \brief What is drawn now.
    Shape shape() const { return m_shape; }
    /// \brief Number of bars (bins or categories, with "other" and "missing").
    int barCount() const { return m_bars; }
    /// \brief The chart's title.
    QString title() const;
    /// \brief The bar labels of a bar chart, top to bottom or left to right.
    const QStringList& barLabels() const { return m_labels; }

private:
    void showHistogram(const QString& column, const data::Histogram& histogram, bool datetime);
    void showCounts(const QString& column, const data::CategoryCounts& counts, bool byValue);
    void resetChart();

    QLabel* m_placeholder;
    QChartView* m_view;
    QChart* m_chart;
    Shape m_shape = Shape::Empty;
    bool m_compact = false;
    int m_bars = 0;
    QStringList m_labels;
};

} // namespace stepwise::ui
