#include "widgets/charts/curve_chart.hpp"

#include "widgets/charts/chart_view.hpp"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <array>
#include <cmath>
#include <limits>

namespace stepwise::ui {
namespace {

const QColor kMarkerColor(0xd6, 0x27, 0x28);

} // namespace

QColor seriesColor(int index)
{
    static const std::array<QColor, 10> colors = {
        QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2),
        QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48), QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
        QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};
    return colors[std::size_t(std::max(0, index)) % colors.size()];
}

QList<QPointF> stepsPost(const std::vector<double>& x, const std::vector<double>& y)
{
    QList<QPointF> points;
    const std::size_t n = std::min(x.size(), y.size());
    points.reserve(int(2 * n));
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0)
            points.append(QPointF(x[i], y[i - 1]));
        points.append(QPointF(x[i], y[i]));
    }
    return points;
}

CurveChart::CurveChart(QWidget* parent)
    : QStackedWidget(parent),
      m_placeholder(new QLabel(this)),
      m_plot(new QWidget(this)),
      m_view(new QChartView(m_plot)),
      m_legend(new QLabel(m_plot)),
      m_chart(new QChart),
      m_x(new QValueAxis),
      m_y(new QValueAxis),
      m_reference(new QLineSeries),
      m_marker(new QScatterSeries)
{
    setObjectName(QStringLiteral("curveChart"));
    stylePlaceholder(m_placeholder);
    styleChart(m_chart, *this);
    // Qt's legend cuts long names to "Logisti…" when several share a row; ours wraps.
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_legend->setObjectName(QStringLiteral("curveLegend"));
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_legend->setContentsMargins(8, 0, 8, 6);
    // Plot and legend on one Base-coloured card.
    m_plot->setAutoFillBackground(true);
    QPalette cardPalette = m_plot->palette();
    cardPalette.setColor(QPalette::Window, palette().color(QPalette::Base));
    m_plot->setPalette(cardPalette);
    m_view->setBackgroundBrush(palette().color(QPalette::Base));
    QFont legendFont = font();
    legendFont.setPointSizeF(font().pointSizeF() * 0.9);
    m_legend->setFont(legendFont);
    connect(m_legend, &QLabel::linkActivated, this, [this](const QString& link) {
        bool ok = false;
        const int index = link.mid(6).toInt(&ok);  // "curve:N"
        if (ok && m_legendCheckable)
            setCurveVisible(index, !isCurveVisible(index));
    });
    auto* plotLayout = new QVBoxLayout(m_plot);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->setSpacing(0);
    plotLayout->addWidget(m_view, 1);
    plotLayout->addWidget(m_legend);

    for (QValueAxis* axis : {m_x, m_y}) {
        styleAxis(axis, *this, 0.9);
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
        axis->setTickInterval(0.2);
        axis->setLabelFormat(QStringLiteral("%.1f"));
    }
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    setRanges(0.0, 1.0, 0.0, 1.0);

    QPen referencePen(palette().color(QPalette::Mid), 1.4, Qt::DashLine);
    m_reference->setPen(referencePen);
    m_chart->addSeries(m_reference);
    attach(m_reference);
    m_marker->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_marker->setMarkerSize(13);
    m_marker->setColor(kMarkerColor);
    m_marker->setBorderColor(Qt::white);
    m_chart->addSeries(m_marker);
    attach(m_marker);

    installChart(m_view, m_chart);
    addWidget(m_placeholder);
    addWidget(m_plot);
    setCurrentWidget(m_placeholder);
}

void CurveChart::attach(QXYSeries* series)
{
    series->attachAxis(m_x);
    series->attachAxis(m_y);
}

void CurveChart::setTitle(const QString& title) { m_chart->setTitle(title); }

void CurveChart::setAxisTitles(const QString& x, const QString& y)
{
    m_x->setTitleText(x);
    m_y->setTitleText(y);
}

void CurveChart::setRanges(double xMin, double xMax, double yMin, double yMax)
{
    // A margin of 2 % so a curve along an edge is not hidden under the plot frame.
    const double padX = (xMax - xMin) * 0.02;
    const double padY = (yMax - yMin) * 0.02;
    m_x->setRange(xMin - padX, xMax + padX);
    m_y->setRange(yMin - padY, yMax + padY);
}

void CurveChart::setCurves(const std::vector<ChartCurve>& curves)
{
    for (const Series& series : m_curves) {
        m_chart->removeSeries(series.line);
        delete series.line;
        if (series.dots) {
            m_chart->removeSeries(series.dots);
            delete series.dots;
        }
    }
    m_curves.clear();
    // The marker goes last so it is drawn on top of the curves.
    m_chart->removeSeries(m_marker);
    for (std::size_t i = 0; i < curves.size(); ++i) {
        const ChartCurve& curve = curves[i];
        const QColor color = curve.color.isValid() ? curve.color : seriesColor(int(i));
        Series series;
        series.line = new QLineSeries;
        series.line->setName(curve.name);
        series.line->setPen(QPen(color, 2.2));
        series.line->replace(curve.points);
        m_chart->addSeries(series.line);
        attach(series.line);
        if (!curve.pointTips.isEmpty()) {
            series.tips = curve.pointTips;
            series.dots = new QScatterSeries;
            series.dots->setMarkerSize(8);
            series.dots->setColor(color);
            series.dots->setBorderColor(palette().color(QPalette::Base));
            series.dots->replace(curve.points);
            m_chart->addSeries(series.dots);
            attach(series.dots);
            const int index = int(i);
            connect(series.dots, &QScatterSeries::hovered, this,
                    [this, index](const QPointF& point, bool state) { showPointTip(index, point, state); });
        }
        m_curves.push_back(series);
    }
    m_chart->addSeries(m_marker);
    attach(m_marker);
    updateLegend();
    setCurrentWidget(m_plot);
}

void CurveChart::setReference(const QString& name, const QList<QPointF>& points)
{
    m_reference->setName(name);
    m_reference->replace(points);
    updateLegend();
}

void CurveChart::setMarker(const QPointF& point, const QString& name)
{
    m_marker->setName(name);
    if (m_marker->count() == 1)
        m_marker->replace(0, point);
    else
        m_marker->replace(QList<QPointF>{point});
    updateLegend();
}

void CurveChart::clearMarker()
{
    m_marker->clear();
    updateLegend();
}

void CurveChart::clear(const QString& placeholder)
{
    setCurves({});
    m_reference->clear();
    m_marker->clear();
    m_placeholder->setText(placeholder);
    setCurrentWidget(m_placeholder);
}

bool CurveChart::isShowingPlaceholder() const { return currentWidget() == m_placeholder; }

QString CurveChart::placeholderText() const { return m_placeholder->text(); }

void CurveChart::setLegendCheckable(bool checkable)
{
    m_legendCheckable = checkable;
    m_legend->setTextInteractionFlags(checkable ? Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard
                                                : Qt::NoTextInteraction);
    m_legend->setToolTip(checkable ? tr("Click an entry to hide or show its curve") : QString());
    updateLegend();
}

QString CurveChart::curveName(int index) const
{
    return index >= 0 && index < curveCount() ? m_curves[std::size_t(index)].line->name() : QString();
}

QList<QPointF> CurveChart::curvePoints(int index) const
{
    return index >= 0 && index < curveCount() ? m_curves[std::size_t(index)].line->points() : QList<QPointF>();
}

bool CurveChart::isCurveVisible(int index) const
{
    return index >= 0 && index < curveCount() && m_curves[std::size_t(index)].line->isVisible();
}

void CurveChart::setCurveVisible(int index, bool visible)
{
    if (index < 0 || index >= curveCount() || isCurveVisible(index) == visible)
        return;
    const Series& series = m_curves[std::size_t(index)];
    series.line->setVisible(visible);
    if (series.dots)
        series.dots->setVisible(visible);
    updateLegend();
    emit curveVisibilityChanged(index, visible);
}

QList<QPointF> CurveChart::referencePoints() const { return m_reference->points(); }

std::optional<QPointF> CurveChart::marker() const
{
    if (m_marker->count() == 0)
        return std::nullopt;
    return m_marker->at(0);
}

QString CurveChart::markerName() const { return m_marker->name(); }

void CurveChart::updateLegend()
{
    const QColor text = palette().color(QPalette::WindowText);
    QColor faded = text;
    faded.setAlphaF(0.4);
    // Each entry keeps its swatch and name together (non-breaking spaces); entries wrap
    // between each other.
    auto entry = [](const QString& swatch, const QColor& swatchColor, const QString& name, const QColor& nameColor,
                    const QString& link, bool struck) {
        QString html = QStringLiteral("<span style=\"color:%1\">%2</span>&nbsp;").arg(swatchColor.name(QColor::HexArgb), swatch);
        QString label = name.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
        if (struck)
            label = QStringLiteral("<s>%1</s>").arg(label);
        const QString style = QStringLiteral("color:%1; text-decoration:none").arg(nameColor.name(QColor::HexArgb));
        html += link.isEmpty() ? QStringLiteral("<span style=\"%1\">%2</span>").arg(style, label)
                               : QStringLiteral("<a href=\"%1\" style=\"%2\">%3</a>").arg(link, style, label);
        return html;
    };
    QStringList entries;
    for (int i = 0; i < curveCount(); ++i) {
        const Series& series = m_curves[std::size_t(i)];
        const bool visible = series.line->isVisible();
        QColor swatch = series.line->pen().color();
        if (!visible)
            swatch.setAlphaF(0.3);
        entries << entry(QStringLiteral("━━"), swatch, series.line->name(), visible ? text : faded,
                         m_legendCheckable ? QStringLiteral("curve:%1").arg(i) : QString(), !visible);
    }
    if (m_reference->count() > 0 && !m_reference->name().isEmpty())
        entries << entry(QStringLiteral("╍╍"), m_reference->pen().color(), m_reference->name(), text, {}, false);
    if (m_marker->count() > 0 && !m_marker->name().isEmpty())
        entries << entry(QStringLiteral("●"), m_marker->color(), m_marker->name(), text, {}, false);
    m_legend->setText(entries.join(QStringLiteral(" &nbsp;&nbsp; ")));
    m_legend->setVisible(!entries.isEmpty());
}

void CurveChart::showPointTip(int index, const QPointF& point, bool entered)
{
    if (!entered || index < 0 || index >= curveCount()) {
        QToolTip::hideText();
        return;
    }
    const Series& series = m_curves[std::size_t(index)];
    const QList<QPointF> points = series.dots->points();
    int nearest = -1;
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < points.size(); ++i) {
        const double d = std::hypot(points[i].x() - point.x(), points[i].y() - point.y());
        if (d < best) {
            best = d;
            nearest = i;
        }
    }
    if (nearest >= 0 && nearest < series.tips.size())
        QToolTip::showText(QCursor::pos(), series.line->name() + QLatin1Char('\n') + series.tips[nearest], m_view);
}

} // namespace stepwise::ui
