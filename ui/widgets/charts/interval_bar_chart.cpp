#include "widgets/charts/interval_bar_chart.hpp"

#include "widgets/charts/chart_view.hpp"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace stepwise::ui {
namespace {

constexpr int kLabelChars = 28;
constexpr double kBarWidth = 0.62;
constexpr double kCapHalfHeight = 0.16;

QString elided(const QString& text)
{
    return text.size() > kLabelChars ? text.left(kLabelChars - 1) + QChar(0x2026) : text;
}

} // namespace

IntervalBarChart::IntervalBarChart(QWidget* parent)
    : QStackedWidget(parent), m_placeholder(new QLabel(this)), m_view(new QChartView(this)), m_chart(new QChart)
{
    setObjectName(QStringLiteral("intervalBarChart"));
    stylePlaceholder(m_placeholder);
    styleChart(m_chart, *this);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 12, 4));
    installChart(m_view, m_chart);
    addWidget(m_placeholder);
    addWidget(m_view);
    clear(QString());
}

QString IntervalBarChart::title() const { return currentWidget() == m_view ? m_chart->title() : QString(); }

QString IntervalBarChart::placeholderText() const { return m_placeholder->text(); }

void IntervalBarChart::resetChart()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    m_bars.clear();
    m_whiskers = 0;
    m_valueTitle.clear();
}

void IntervalBarChart::clear(const QString& placeholder)
{
    resetChart();
    m_placeholder->setText(placeholder);
    setCurrentWidget(m_placeholder);
}

void IntervalBarChart::setBars(const QString& title, const QString& valueTitle, const std::vector<IntervalBar>& bars,
                               const QColor& color, const std::vector<QColor>& colors)
{
    resetChart();
    if (bars.empty()) {
        clear(tr("There is nothing to show."));
        return;
    }
    m_bars = bars;
    m_valueTitle = valueTitle;
    const int n = int(bars.size());
    // Qt Charts puts the first category at the bottom; the reader starts at the top.
    const auto slot = [n](int bar) { return n - 1 - bar; };

    // One group per colour: a bar set (zero everywhere but on its own bars) in one
    // stacked series, or a scatter series of dots.
    std::vector<QColor> groupColors;
    std::vector<int> groupOf(std::size_t(n), 0);
    for (int i = 0; i < n; ++i) {
        const QColor wanted = std::size_t(i) < colors.size() ? colors[std::size_t(i)] : color;
        auto it = std::find(groupColors.begin(), groupColors.end(), wanted);
        if (it == groupColors.end()) {
            groupColors.push_back(wanted);
            it = std::prev(groupColors.end());
        }
        groupOf[std::size_t(i)] = int(it - groupColors.begin());
    }
    auto* categories = new QBarCategoryAxis;
    QStringList labels;
    for (int s = 0; s < n; ++s)
        labels << elided(bars[std::size_t(n - 1 - s)].label);
    categories->append(labels);
    auto* values = new QValueAxis;
    double low = INFINITY;
    double high = -INFINITY;
    for (const IntervalBar& bar : bars) {
        low = std::min({low, bar.value, bar.value - bar.spread});
        high = std::max({high, bar.value, bar.value + bar.spread});
    }
    if (m_marks == Marks::Bars) {
        low = std::min(low, 0.0);
        high = std::max(high, 0.0);
    }
    if (!(high > low)) {
        low -= 0.5;
        high += 0.5;
    }
    const double pad = (high - low) * (m_marks == Marks::Dots ? 0.15 : 0.04);
    if (m_marks == Marks::Bars)
        values->setRange(low < 0.0 ? low - pad : 0.0, high + pad);
    else
        values->setRange(low - pad, high + pad);
    values->setTickCount(6);
    values->applyNiceNumbers();
    values->setLabelFormat(QStringLiteral("%.3g"));
    values->setTitleText(valueTitle);
    styleAxis(categories, *this, 0.9);
    styleAxis(values, *this, 0.9);
    categories->setGridLineVisible(false);
    m_chart->addAxis(values, Qt::AlignBottom);
    m_chart->addAxis(categories, Qt::AlignLeft);

    const auto tooltipOf = [this](int bar) {
        const IntervalBar& shown = m_bars[std::size_t(bar)];
        QString text = shown.tooltip;
        if (text.isEmpty()) {
            text = shown.label + QStringLiteral(": ") + QLocale().toString(shown.value, 'g', 4);
            if (shown.spread > 0.0)
                text += QStringLiteral(" ± ") + QLocale().toString(shown.spread, 'g', 3);
        }
        return text;
    };
    if (m_marks == Marks::Bars) {
        auto* series = new QHorizontalStackedBarSeries;
        series->setBarWidth(kBarWidth);
        for (std::size_t g = 0; g < groupColors.size(); ++g) {
            auto* set = new QBarSet(QString());
            for (int k = 0; k < n; ++k)
                set->append(0.0);
            for (int i = 0; i < n; ++i)
                if (groupOf[std::size_t(i)] == int(g))
                    set->replace(slot(i), bars[std::size_t(i)].value);
            set->setColor(groupColors[g]);
            set->setBorderColor(groupColors[g].darker(115));
            series->append(set);
        }
        m_chart->addSeries(series);
        series->attachAxis(values);
        series->attachAxis(categories);
        connect(series, &QHorizontalStackedBarSeries::hovered, this, [this, slot, tooltipOf](bool on, int index, QBarSet*) {
            const int bar = slot(index);
            if (!on || bar < 0 || bar >= int(m_bars.size())) {
                QToolTip::hideText();
                return;
            }
            QToolTip::showText(QCursor::pos(), tooltipOf(bar), m_view);
        });
    }

    // A whisker is one polyline: the low cap, across, the high cap.
    const QColor ink = palette().color(QPalette::WindowText);
    for (int i = 0; i < n; ++i) {
        const IntervalBar& bar = bars[std::size_t(i)];
        if (!(bar.spread > 0.0) || !std::isfinite(bar.spread))
            continue;
        const double y = slot(i);
        const double from = bar.value - bar.spread;
        const double to = bar.value + bar.spread;
        auto* whisker = new QLineSeries;
        whisker->replace(QList<QPointF>{{from, y - kCapHalfHeight},
                                        {from, y + kCapHalfHeight},
                                        {from, y},
                                        {to, y},
                                        {to, y + kCapHalfHeight},
                                        {to, y - kCapHalfHeight}});
        whisker->setPen(QPen(ink, 1.4));
        m_chart->addSeries(whisker);
        whisker->attachAxis(values);
        whisker->attachAxis(categories);
        ++m_whiskers;
    }

    // Dots go over the whiskers.
    if (m_marks == Marks::Dots) {
        for (std::size_t g = 0; g < groupColors.size(); ++g) {
            auto* dots = new QScatterSeries;
            dots->setMarkerSize(13);
            dots->setColor(groupColors[g]);
            dots->setBorderColor(groupColors[g].darker(125));
            for (int i = 0; i < n; ++i)
                if (groupOf[std::size_t(i)] == int(g))
                    dots->append(bars[std::size_t(i)].value, slot(i));
            m_chart->addSeries(dots);
            dots->attachAxis(values);
            dots->attachAxis(categories);
            connect(dots, &QScatterSeries::hovered, this, [this, slot, tooltipOf](const QPointF& point, bool on) {
                const int bar = slot(int(std::lround(point.y())));
                if (!on || bar < 0 || bar >= int(m_bars.size())) {
                    QToolTip::hideText();
                    return;
                }
                QToolTip::showText(QCursor::pos(), tooltipOf(bar), m_view);
            });
        }
    }

    m_chart->setTitle(title);
    setCurrentWidget(m_view);
}

} // namespace stepwise::ui
