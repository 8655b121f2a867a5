#include "widgets/charts/distribution_chart.hpp"

#include "widgets/charts/chart_view.hpp"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QTimeZone>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace stepwise::ui {
namespace {

const QColor kBar(0x25, 0x63, 0xeb);
const QColor kMissing(0xd9, 0x77, 0x06);
constexpr int kLabelChars = 26;

QString percentText(std::size_t count, std::size_t total)
{
    if (total == 0)
        return QStringLiteral("0%");
    const double percent = 100.0 * double(count) / double(total);
    return QLocale().toString(percent, 'f', percent < 10 ? 1 : 0) + QLatin1Char('%');
}

QString elided(const QString& text)
{
    return text.size() > kLabelChars ? text.left(kLabelChars - 1) + QChar(0x2026) : text;
}

QString edgeText(double value, bool datetime)
{
    if (datetime)
        return QDateTime::fromMSecsSinceEpoch(qint64(value * 1000.0), QTimeZone::utc()).toString(Qt::ISODate);
    return QLocale().toString(value, 'g', 6);
}

} // namespace

DistributionChart::DistributionChart(QWidget* parent)
    : QStackedWidget(parent), m_placeholder(new QLabel(this)), m_view(new QChartView(this)), m_chart(new QChart)
{
    setObjectName(QStringLiteral("distributionChart"));
    stylePlaceholder(m_placeholder);
    styleChart(m_chart, *this);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 12, 4));

    installChart(m_view, m_chart);
    addWidget(m_placeholder);
    addWidget(m_view);
    clear(tr("Choose a column to see how its values are distributed."));
}

QString DistributionChart::title() const { return m_shape == Shape::Empty ? QString() : m_chart->title(); }

void DistributionChart::resetChart()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    m_labels.clear();
    m_bars = 0;
}

void DistributionChart::clear(const QString& placeholder)
{
    resetChart();
    m_shape = Shape::Empty;
    m_placeholder->setText(placeholder);
    setCurrentWidget(m_placeholder);
}

void DistributionChart::setDistribution(const QString& column, const data::ColumnDistribution& distribution,
                                        bool datetime)
{
    resetChart();
    if (distribution.shape == data::ColumnDistribution::Shape::Histogram)
        showHistogram(column, distribution.histogram, datetime);
    else
        showCounts(column, distribution.counts, distribution.countsByValue);
    setCurrentWidget(m_view);
}

void DistributionChart::showHistogram(const QString& column, const data::Histogram& histogram, bool datetime)
{
    const auto& edges = histogram.edges;
    const auto& counts = histogram.counts;
    std::size_t total = 0;
    std::size_t highest = 0;
    for (std::size_t c : counts) {
        total += c;
        highest = std::max(highest, c);
    }
    // One series of bars: the outline drops to zero at every edge, and the white border
    // of the area draws the gaps between neighbouring bins.
    auto* outline = new QLineSeries;
    QList<QPointF> points;
    points.reserve(int(counts.size()) * 4);
    const double scale = datetime ? 1000.0 : 1.0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double left = edges[i] * scale;
        const double right = edges[i + 1] * scale;
        points << QPointF(left, 0) << QPointF(left, double(counts[i])) << QPointF(right, double(counts[i]))
               << QPointF(right, 0);
    }
    outline->replace(points);
    auto* area = new QAreaSeries(outline);
    QColor fill = kBar;
    fill.setAlpha(210);
    area->setBrush(fill);
    area->setPen(QPen(palette().color(QPalette::Base), counts.size() > 60 ? 0.5 : 1.0));
    m_chart->addSeries(area);

    QAbstractAxis* x = nullptr;
    if (datetime) {
        auto* axis = new QDateTimeAxis;
        const double span = edges.back() - edges.front();
        axis->setFormat(span > 2 * 365 * 86400.0 ? QStringLiteral("yyyy")
                                                 : (span > 60 * 86400.0 ? QStringLiteral("yyyy-MM") : QStringLiteral("yyyy-MM-dd")));
        axis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(edges.front() * 1000), QTimeZone::utc()),
                       QDateTime::fromMSecsSinceEpoch(qint64(edges.back() * 1000), QTimeZone::utc()));
        axis->setTickCount(5);
        x = axis;
    } else {
        auto* axis = new QValueAxis;
        axis->setRange(edges.front(), edges.back());
        axis->setTickCount(6);
        axis->applyNiceNumbers();
        axis->setLabelFormat(QStringLiteral("%.4g"));
        x = axis;
    }
    auto* y = new QValueAxis;
    y->setRange(0, std::max<double>(1.0, double(highest) * 1.08));
    y->setLabelFormat(QStringLiteral("%.0f"));
    if (!m_compact) {
        x->setTitleText(column);
        y->setTitleText(tr("rows"));
    }
    y->applyNiceNumbers();
    for (QAbstractAxis* axis : {x, static_cast<QAbstractAxis*>(y)}) {
        styleAxis(axis, *this, 0.9);
    }
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    area->attachAxis(x);
    area->attachAxis(y);

    connect(area, &QAreaSeries::hovered, this, [this, edges, counts, total, datetime, scale](const QPointF& point, bool on) {
        if (!on) {
            QToolTip::hideText();
            return;
        }
        const double value = point.x() / scale;
        const auto above = std::upper_bound(edges.begin(), edges.end(), value);
        const auto bin = std::size_t(std::clamp<std::ptrdiff_t>(above - edges.begin() - 1, 0, std::ptrdiff_t(counts.size()) - 1));
        const bool last = bin + 1 == counts.size();
        QToolTip::showText(QCursor::pos(),
                           tr("%1 to %2%3: %4 rows (%5)")
                               .arg(edgeText(edges[bin], datetime), edgeText(edges[bin + 1], datetime),
                                    last ? tr(" (inclusive)") : QString(),
                                    QLocale().toString(qulonglong(counts[bin])), percentText(counts[bin], total)),
                           m_view);
    });

    QString title = tr("%1 · %2 values in %3 bins").arg(column, QLocale().toString(qulonglong(total))).arg(counts.size());
    if (histogram.missing > 0)
        title += tr(" · %1 missing not shown").arg(QLocale().toString(qulonglong(histogram.missing)));
    if (histogram.infinite > 0)
        title += tr(" · %1 infinite not shown").arg(QLocale().toString(qulonglong(histogram.infinite)));
    m_chart->setTitle(title);
    m_shape = Shape::Histogram;
    m_bars = int(counts.size());
}

void DistributionChart::showCounts(const QString& column, const data::CategoryCounts& counts, bool byValue)
{
    QStringList labels;
    QList<qreal> values;
    std::size_t total = counts.other + counts.missing;
    std::size_t highest = 0;
    for (const auto& [value, count] : counts.top) {
        labels << elided(QString::fromStdString(value));
        values << qreal(count);
        total += count;
        highest = std::max(highest, count);
    }
    if (counts.other > 0) {
        labels << tr("other (%n values)", nullptr, int(counts.otherDistinct));
        values << qreal(counts.other);
        highest = std::max(highest, counts.other);
    }
    int missingBar = -1;
    if (counts.missing > 0) {
        missingBar = int(labels.size());
        labels << tr("missing");
        values << qreal(counts.missing);
        highest = std::max(highest, counts.missing);
    }
    m_labels = labels;
    m_bars = int(labels.size());

    // Horizontal bars list categories top to bottom; the axis counts from the bottom.
    const bool horizontal = !byValue;
    QStringList axisLabels = labels;
    QList<qreal> axisValues = values;
    if (horizontal) {
        std::reverse(axisLabels.begin(), axisLabels.end());
        std::reverse(axisValues.begin(), axisValues.end());
        if (missingBar >= 0)
            missingBar = int(labels.size()) - 1 - missingBar;
    }
    auto* set = new QBarSet(column);
    set->append(axisValues);
    set->setColor(kBar);
    set->setBorderColor(kBar);
    set->setSelectedColor(kMissing);
    if (missingBar >= 0)
        set->selectBar(missingBar);
    set->setLabelColor(palette().color(QPalette::WindowText));
    QAbstractBarSeries* series = horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries)
                                            : static_cast<QAbstractBarSeries*>(new QBarSeries);
    series->append(set);
    series->setBarWidth(0.72);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsPrecision(12);
    m_chart->addSeries(series);

    auto* categories = new QBarCategoryAxis;
    categories->append(axisLabels);
    auto* numbers = new QValueAxis;
    numbers->setRange(0, std::max<double>(1.0, double(highest) * 1.15));
    numbers->setLabelFormat(QStringLiteral("%.0f"));
    numbers->applyNiceNumbers();
    if (!m_compact) {
        numbers->setTitleText(tr("rows"));
        if (byValue)
            categories->setTitleText(column);
    }
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(categories), static_cast<QAbstractAxis*>(numbers)}) {
        styleAxis(axis, *this, 0.9);
    }
    categories->setGridLineVisible(false);
    m_chart->addAxis(categories, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    m_chart->addAxis(numbers, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(numbers);

    connect(set, &QBarSet::hovered, this, [this, axisLabels, axisValues, total, column](bool on, int index) {
        if (!on || index < 0 || index >= axisLabels.size()) {
            QToolTip::hideText();
            return;
        }
        const auto count = std::size_t(axisValues[index]);
        QToolTip::showText(QCursor::pos(),
                           tr("%1 = %2: %3 rows (%4)")
                               .arg(column, axisLabels[index], QLocale().toString(qulonglong(count)),
                                    percentText(count, total)),
                           m_view);
    });

    const std::size_t distinct = counts.top.size() + counts.otherDistinct;
    QString title = tr("%1 · %n distinct values", nullptr, int(distinct)).arg(column);
    if (counts.other > 0)
        title += tr(" · the %1 most frequent shown").arg(counts.top.size());
    if (counts.missing > 0)
        title += tr(" · %1 missing").arg(QLocale().toString(qulonglong(counts.missing)));
    m_chart->setTitle(title);
    m_shape = Shape::Bars;
}

} // namespace stepwise::ui
