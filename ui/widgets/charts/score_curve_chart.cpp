#include "widgets/charts/score_curve_chart.hpp"

#include "widgets/charts/chart_view.hpp"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace stepwise::ui {

ScoreCurveChart::ScoreCurveChart(QWidget* parent)
    : QStackedWidget(parent), m_placeholder(new QLabel(this)), m_view(new QChartView(this)), m_chart(new QChart)
{
    setObjectName(QStringLiteral("scoreCurveChart"));
    stylePlaceholder(m_placeholder);
    styleChart(m_chart, *this);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setLabelColor(palette().color(QPalette::WindowText));
    m_chart->setMargins(QMargins(4, 4, 12, 4));
    installChart(m_view, m_chart);
    addWidget(m_placeholder);
    addWidget(m_view);
    clear(QString());
}

QString ScoreCurveChart::title() const { return currentWidget() == m_view ? m_chart->title() : QString(); }

QString ScoreCurveChart::placeholderText() const { return m_placeholder->text(); }

void ScoreCurveChart::resetChart()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    m_curves.clear();
    m_x.clear();
    m_labels.clear();
}

void ScoreCurveChart::clear(const QString& placeholder)
{
    resetChart();
    m_placeholder->setText(placeholder);
    setCurrentWidget(m_placeholder);
}

void ScoreCurveChart::setCurves(const QString& title, const QString& xTitle, const QString& yTitle,
                                const std::vector<double>& x, const std::vector<ScoreCurve>& curves)
{
    resetChart();
    m_x = x;
    auto* axis = new QValueAxis;
    double low = x.empty() ? 0.0 : *std::min_element(x.begin(), x.end());
    double high = x.empty() ? 1.0 : *std::max_element(x.begin(), x.end());
    if (!(high > low))
        high = low + 1.0;
    const double pad = (high - low) * 0.04;
    axis->setRange(std::max(0.0, low - pad), high + pad);
    axis->setTickCount(6);
    axis->applyNiceNumbers();
    axis->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->addAxis(axis, Qt::AlignBottom);
    showCurves(title, xTitle, yTitle, curves);
}

void ScoreCurveChart::setCurves(const QString& title, const QString& xTitle, const QString& yTitle,
                                const QStringList& labels, const std::vector<ScoreCurve>& curves)
{
    resetChart();
    m_labels = labels;
    for (int i = 0; i < labels.size(); ++i)
        m_x.push_back(double(i));
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setRange(-0.4, std::max(0.0, double(labels.size() - 1)) + 0.4);
    axis->setStartValue(-0.4);
    for (int i = 0; i < labels.size(); ++i)
        axis->append(labels[i], double(i));
    m_chart->addAxis(axis, Qt::AlignBottom);
    showCurves(title, xTitle, yTitle, curves);
}

void ScoreCurveChart::showCurves(const QString& title, const QString& xTitle, const QString& yTitle,
                           const std::vector<ScoreCurve>& curves)
{
    m_curves = curves;
    QAbstractAxis* xAxis = m_chart->axes(Qt::Horizontal).value(0);
    xAxis->setTitleText(xTitle);
    auto* yAxis = new QValueAxis;
    double low = INFINITY;
    double high = -INFINITY;
    for (const ScoreCurve& curve : curves)
        for (std::size_t i = 0; i < curve.mean.size(); ++i) {
            const double spread = i < curve.std.size() ? curve.std[i] : 0.0;
            if (!std::isfinite(curve.mean[i]))
                continue;
            low = std::min(low, curve.mean[i] - spread);
            high = std::max(high, curve.mean[i] + spread);
        }
    if (!std::isfinite(low) || !std::isfinite(high)) {
        low = 0.0;
        high = 1.0;
    }
    if (!(high > low))
        high = low + 0.1;
    const double pad = (high - low) * 0.08;
    yAxis->setRange(low - pad, high + pad);
    yAxis->setTickCount(6);
    yAxis->applyNiceNumbers();
    yAxis->setLabelFormat(QStringLiteral("%.3g"));
    yAxis->setTitleText(yTitle);
    styleAxis(xAxis, *this, 0.9);
    styleAxis(yAxis, *this, 0.9);
    m_chart->addAxis(yAxis, Qt::AlignLeft);

    // Every band first, then every line, so no band tints another curve's line.
    std::vector<QLineSeries*> lines;
    for (const ScoreCurve& curve : curves) {
        auto* upper = new QLineSeries;
        auto* lower = new QLineSeries;
        auto* line = new QLineSeries;
        for (std::size_t i = 0; i < curve.mean.size() && i < m_x.size(); ++i) {
            if (!std::isfinite(curve.mean[i]))
                continue;
            const double spread = i < curve.std.size() && std::isfinite(curve.std[i]) ? curve.std[i] : 0.0;
            upper->append(m_x[i], curve.mean[i] + spread);
            lower->append(m_x[i], curve.mean[i] - spread);
            line->append(m_x[i], curve.mean[i]);
        }
        auto* band = new QAreaSeries(upper, lower);
        // The area series does not own its edges; it deletes them with itself.
        upper->setParent(band);
        lower->setParent(band);
        QColor fill = curve.color;
        fill.setAlpha(48);
        band->setBrush(fill);
        band->setPen(Qt::NoPen);
        band->setName(tr("%1 ± 1 std").arg(curve.name));
        m_chart->addSeries(band);
        band->attachAxis(xAxis);
        band->attachAxis(yAxis);
        // The bands explain themselves next to their lines; one legend entry per curve.
        for (QLegendMarker* marker : m_chart->legend()->markers(band))
            marker->setVisible(false);
        line->setName(curve.name);
        line->setPen(QPen(curve.color, 2.2));
        line->setPointsVisible(true);
        line->setMarkerSize(5);
        line->setColor(curve.color);
        lines.push_back(line);
    }
    for (std::size_t c = 0; c < curves.size(); ++c) {
        QLineSeries* line = lines[c];
        m_chart->addSeries(line);
        line->attachAxis(xAxis);
        line->attachAxis(yAxis);
        const QString name = curves[c].name;
        const std::vector<double> means = curves[c].mean;
        const std::vector<double> stds = curves[c].std;
        const QStringList labels = m_labels;
        const std::vector<double> xs = m_x;
        connect(line, &QLineSeries::hovered, this, [this, name, means, stds, labels, xs](const QPointF& point, bool on) {
            if (!on) {
                QToolTip::hideText();
                return;
            }
            std::size_t nearest = 0;
            for (std::size_t i = 1; i < xs.size(); ++i)
                if (std::abs(xs[i] - point.x()) < std::abs(xs[nearest] - point.x()))
                    nearest = i;
            if (nearest >= means.size())
                return;
            const QString at = labels.isEmpty() ? QLocale().toString(xs[nearest], 'f', 0) : labels.value(int(nearest));
            QString text = tr("%1 at %2: %3").arg(name, at, QLocale().toString(means[nearest], 'f', 3));
            if (nearest < stds.size())
                text += QStringLiteral(" ± ") + QLocale().toString(stds[nearest], 'f', 3);
            QToolTip::showText(QCursor::pos(), text, m_view);
        });
    }
    m_chart->setTitle(title);
    setCurrentWidget(m_view);
}

} // namespace stepwise::ui
