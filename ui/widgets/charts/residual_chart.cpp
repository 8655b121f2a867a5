#include "widgets/charts/residual_chart.hpp"

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

ResidualChart::ResidualChart(QWidget* parent)
    : QStackedWidget(parent),
      m_placeholder(new QLabel(this)),
      m_view(new QChartView(this)),
      m_chart(new QChart),
      m_points(new QScatterSeries),
      m_zero(new QLineSeries),
      m_x(new QValueAxis),
      m_y(new QValueAxis)
{
    setObjectName(QStringLiteral("residualChart"));
    stylePlaceholder(m_placeholder);
    styleChart(m_chart, *this);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setLabelColor(palette().color(QPalette::WindowText));
    m_chart->setMargins(QMargins(4, 4, 12, 4));

    m_points->setName(tr("test rows"));
    m_points->setMarkerSize(7);
    m_points->setColor(QColor(37, 99, 235, 150));
    m_points->setBorderColor(QColor(37, 99, 235, 0));
    m_zero->setName(tr("perfect prediction (residual = 0)"));
    m_zero->setPen(QPen(QColor(0x2e, 0x7d, 0x32), 1.8, Qt::DashLine));
    m_chart->addSeries(m_points);
    m_chart->addSeries(m_zero);
    for (QValueAxis* axis : {m_x, m_y}) {
        styleAxis(axis, *this, 0.9);
        axis->setLabelFormat(QStringLiteral("%.4g"));
    }
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    for (QXYSeries* series : {static_cast<QXYSeries*>(m_points), static_cast<QXYSeries*>(m_zero)}) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    installChart(m_view, m_chart);
    addWidget(m_placeholder);
    addWidget(m_view);
    clear(tr("Residuals appear here for regression models."));
}

QString ResidualChart::title() const { return currentWidget() == m_view ? m_chart->title() : QString(); }

QString ResidualChart::placeholderText() const { return m_placeholder->text(); }

QList<QPointF> ResidualChart::points() const { return m_points->points(); }

void ResidualChart::clear(const QString& placeholder)
{
    m_points->clear();
    m_zero->clear();
    m_stride = 1;
    m_placeholder->setText(placeholder);
    setCurrentWidget(m_placeholder);
}

void ResidualChart::setData(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted, const QString& target)
{
    const Eigen::Index n = std::min(actual.size(), predicted.size());
    if (n == 0) {
        clear(tr("There are no test rows to plot."));
        return;
    }
    // An even stride keeps the shape of the cloud and is the same every time.
    const Eigen::Index stride = std::max<Eigen::Index>(1, (n + kMaxPoints - 1) / kMaxPoints);
    m_stride = int(stride);
    QList<QPointF> points;
    points.reserve(int(n / stride + 1));
    double xLow = INFINITY, xHigh = -INFINITY, largest = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double residual = actual[i] - predicted[i];
        if (!std::isfinite(residual) || !std::isfinite(predicted[i]))
            continue;
        xLow = std::min(xLow, predicted[i]);
        xHigh = std::max(xHigh, predicted[i]);
        largest = std::max(largest, std::abs(residual));
        if (i % stride == 0)
            points.append(QPointF(predicted[i], residual));
    }
    if (points.isEmpty()) {
        clear(tr("No test row has a finite prediction to plot."));
        return;
    }
    m_points->replace(points);
    if (!(xHigh > xLow))
        xHigh = xLow + 1.0;
    const double pad = (xHigh - xLow) * 0.04;
    m_x->setRange(xLow - pad, xHigh + pad);
    m_x->setTickCount(6);
    m_x->applyNiceNumbers();
    // Symmetric about zero, so over- and under-predictions compare at a glance.
    const double reach = largest > 0.0 ? largest * 1.06 : 1.0;
    m_y->setRange(-reach, reach);
    m_y->setTickCount(7);
    m_y->applyNiceNumbers();
    m_zero->replace(QList<QPointF>{{m_x->min(), 0.0}, {m_x->max(), 0.0}});
    m_x->setTitleText(tr("Predicted %1").arg(target));
    m_y->setTitleText(tr("Residual (actual − predicted)"));
    const QString rows = QLocale().toString(qlonglong(n));
    m_chart->setTitle(stride > 1 ? tr("Residuals (every %1th of %2 test rows)").arg(stride).arg(rows)
                                 : tr("Residuals (%1 test rows)").arg(rows));
    setCurrentWidget(m_view);
}

} // namespace stepwise::ui
