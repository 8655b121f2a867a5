#include "widgets/charts/scatter_chart.hpp"

#include "widgets/charts/chart_view.hpp"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace stepwise::ui {

ScatterChart::ScatterChart(QWidget* parent)
    : QStackedWidget(parent),
      m_placeholder(new QLabel(this)),
      m_view(new QChartView(this)),
      m_chart(new QChart),
      m_points(new QScatterSeries),
      m_identity(new QLineSeries),
      m_x(new QValueAxis),
      m_y(new QValueAxis)
{
    setObjectName(QStringLiteral("scatterChart"));
    stylePlaceholder(m_placeholder);
    styleChart(m_chart, *this);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setLabelColor(palette().color(QPalette::WindowText));

    m_points->setName(tr("test rows"));
    m_points->setMarkerSize(7);
    m_points->setColor(QColor(37, 99, 235, 150));
    m_points->setBorderColor(QColor(37, 99, 235, 0));
    m_identity->setName(tr("perfect prediction (y = x)"));
    QPen identityPen(QColor(0x2e, 0x7d, 0x32), 1.8, Qt::DashLine);
    m_identity->setPen(identityPen);
    m_chart->addSeries(m_points);
    m_chart->addSeries(m_identity);
    for (QValueAxis* axis : {m_x, m_y}) {
        axis->setTitleFont(font());
        axis->setLabelsColor(palette().color(QPalette::WindowText));
        axis->setTitleBrush(palette().color(QPalette::WindowText));
        axis->setGridLineColor(palette().color(QPalette::Midlight));
    }
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    for (QXYSeries* series : {static_cast<QXYSeries*>(m_points), static_cast<QXYSeries*>(m_identity)}) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    installChart(m_view, m_chart);
    addWidget(m_placeholder);
    addWidget(m_view);
    clear(tr("Predicted against actual values appear here for regression models."));
}

void ScatterChart::clear(const QString& placeholder)
{
    m_points->clear();
    m_identity->clear();
    m_placeholder->setText(placeholder);
    setCurrentWidget(m_placeholder);
}

int ScatterChart::pointCount() const { return m_points->count(); }

void ScatterChart::setData(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted, const QString& target)
{
    const Eigen::Index n = std::min(actual.size(), predicted.size());
    if (n == 0) {
        clear(tr("There are no test rows to plot."));
        return;
    }
    // An even stride keeps the shape of the cloud and is the same every time.
    const Eigen::Index stride = std::max<Eigen::Index>(1, (n + kMaxPoints - 1) / kMaxPoints);
    QList<QPointF> points;
    points.reserve(int(n / stride + 1));
    double low = std::min(actual.minCoeff(), predicted.minCoeff());
    double high = std::max(actual.maxCoeff(), predicted.maxCoeff());
    for (Eigen::Index i = 0; i < n; i += stride)
        points.append(QPointF(actual[i], predicted[i]));
    m_points->replace(points);
    if (!(high > low))
        high = low + 1.0;
    const double pad = (high - low) * 0.05;
    low -= pad;
    high += pad;
    m_x->setRange(low, high);
    m_x->applyNiceNumbers();
    // Same nice range on both axes, so the diagonal is the true y = x from corner to corner.
    low = m_x->min();
    high = m_x->max();
    m_y->setRange(low, high);
    m_y->setTickCount(m_x->tickCount());
    m_identity->replace(QList<QPointF>{{low, low}, {high, high}});
    m_x->setTitleText(tr("Actual %1").arg(target));
    m_y->setTitleText(tr("Predicted %1").arg(target));
    m_chart->setTitle(stride > 1 ? tr("Predicted vs actual (every %1th of %2 test rows)")
                                       .arg(stride)
                                       .arg(QLocale().toString(qlonglong(n)))
                                 : tr("Predicted vs actual (%1 test rows)").arg(QLocale().toString(qlonglong(n))));
    setCurrentWidget(m_view);
}

} // namespace stepwise::ui
