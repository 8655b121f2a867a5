#include "widgets/charts/training_chart.hpp"

#include "widgets/charts/chart_view.hpp"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace stepwise::ui {
namespace {

QString capitalised(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

TrainingChart::TrainingChart(QWidget* parent)
    : QStackedWidget(parent),
      m_placeholder(new QLabel(this)),
      m_view(new QChartView(this)),
      m_chart(new QChart),
      m_series(new QLineSeries),
      m_last(new QScatterSeries),
      m_x(new QValueAxis),
      m_y(new QValueAxis)
{
    setObjectName(QStringLiteral("trainingChart"));
    stylePlaceholder(m_placeholder);
    styleChart(m_chart, *this);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 8, 4));

    QPen pen(QColor(0x25, 0x63, 0xeb), 2.2);
    m_series->setPen(pen);
    m_last->setColor(QColor(0x25, 0x63, 0xeb));
    m_last->setBorderColor(Qt::white);
    m_last->setMarkerSize(9);
    m_chart->addSeries(m_series);
    m_chart->addSeries(m_last);
    for (QValueAxis* axis : {m_x, m_y}) {
        axis->setTitleFont(font());
        axis->setLabelsColor(palette().color(QPalette::WindowText));
        axis->setTitleBrush(palette().color(QPalette::WindowText));
        axis->setGridLineColor(palette().color(QPalette::Midlight));
    }
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    m_last->attachAxis(m_x);
    m_last->attachAxis(m_y);

    installChart(m_view, m_chart);
    addWidget(m_placeholder);
    addWidget(m_view);
    reset(tr("The training curve appears here while the model trains."));
}

void TrainingChart::reset(const QString& placeholder)
{
    m_series->clear();
    m_last->clear();
    m_totalSteps = 0;
    m_minY = std::numeric_limits<double>::infinity();
    m_maxY = -std::numeric_limits<double>::infinity();
    m_maxX = 0;
    m_placeholder->setText(placeholder);
    setCurrentWidget(m_placeholder);
}

int TrainingChart::pointCount() const { return m_series->count(); }

void TrainingChart::setAxes(const QString& stepName, const QString& metricName, const QString& measuredOn,
                            int totalSteps)
{
    m_totalSteps = std::max(m_totalSteps, totalSteps);
    const QString step = stepName.isEmpty() ? tr("step") : stepName;
    m_x->setTitleText(capitalised(step));
    // "out-of-bag accuracy" measured on "out-of-bag rows" needs no second mention.
    const QString firstWord = measuredOn.section(QLatin1Char(' '), 0, 0);
    const bool said = firstWord.isEmpty() || metricName.contains(firstWord, Qt::CaseInsensitive);
    m_y->setTitleText(said ? capitalised(metricName) : tr("%1 (%2)").arg(capitalised(metricName), measuredOn));
    m_chart->setTitle(tr("%1 by %2").arg(capitalised(metricName), step));
}

void TrainingChart::append(const TrainingUpdate& update)
{
    if (update.points.isEmpty())
        return;
    setAxes(update.stepName, update.metricName, update.measuredOn, update.totalSteps);
    m_series->append(update.points);
    for (const QPointF& point : update.points) {
        m_minY = std::min(m_minY, point.y());
        m_maxY = std::max(m_maxY, point.y());
        m_maxX = std::max(m_maxX, point.x());
    }
    m_last->clear();
    m_last->append(update.points.back());
    setCurrentWidget(m_view);
    rescale();
}

void TrainingChart::showCurve(const std::vector<core::TrainingSnapshot>& curve)
{
    reset(tr("This model reported no training curve."));
    if (curve.empty())
        return;
    TrainingUpdate update;
    update.stepName = QString::fromStdString(curve.back().stepName);
    update.metricName = QString::fromStdString(curve.back().metricName);
    update.measuredOn = QString::fromStdString(curve.back().measuredOn);
    update.totalSteps = curve.back().totalSteps;
    for (const auto& snapshot : curve)
        update.points.append(QPointF(snapshot.step, snapshot.value));
    append(update);
}

void TrainingChart::rescale()
{
    const double xMax = std::max<double>({double(m_totalSteps), m_maxX, 1.0});
    m_x->setRange(0, xMax);
    m_x->applyNiceNumbers();
    double low = m_minY;
    double high = m_maxY;
    if (!std::isfinite(low) || !std::isfinite(high))
        return;
    double span = high - low;
    if (span < 1e-9)
        span = std::max(std::abs(high) * 0.1, 0.01);
    low -= span * 0.1;
    high += span * 0.1;
    // Scores in [0, 1] (accuracy, AUC) should not get an axis beyond what is possible.
    if (m_minY >= 0 && m_maxY <= 1) {
        low = std::max(low, 0.0);
        high = std::min(high, 1.0);
    }
    if (m_minY >= 0)
        low = std::max(low, 0.0);
    m_y->setRange(low, high);
    m_y->applyNiceNumbers();
}

} // namespace stepwise::ui
