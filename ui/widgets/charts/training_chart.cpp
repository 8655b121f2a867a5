#include "widgets/charts/training_chart.hpp"

#include "widgets/charts/chart_view.hpp"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QValueAxis>
#include <QVBoxLayout>

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

// Okabe–Ito and Tableau hues: distinct for most colour-blind readers, readable on white
// and on a dark base.
const QColor kPalette[] = {QColor(0x25, 0x63, 0xeb), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73),
                           QColor(0xcc, 0x79, 0xa7), QColor(0xd5, 0x5e, 0x00), QColor(0x56, 0xb4, 0xe9),
                           QColor(0x8c, 0x56, 0x4b), QColor(0x6b, 0x72, 0x80)};

// Few points read better as dots on the line (fold scores, short fits).
constexpr int kDotsUpTo = 30;

} // namespace

struct TrainingChart::Group {
    QString metricName;
    QString stepName;
    QString measuredOn;
    QString title;
    int rank = 2;
    QChartView* view = nullptr;
    QChart* chart = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    std::vector<Series> series;
    int totalSteps = 0;
    double minY = std::numeric_limits<double>::infinity();
    double maxY = -std::numeric_limits<double>::infinity();
    double maxX = 0;
    quint64 touched = 0;
};

TrainingChart::TrainingChart(QWidget* parent)
    : QWidget(parent),
      m_choice(new QComboBox(this)),
      m_choiceLabel(new QLabel(tr("&Chart:"), this)),
      m_stack(new QStackedWidget(this)),
      m_placeholder(new QLabel(this))
{
    setObjectName(QStringLiteral("trainingChart"));
    m_choice->setObjectName(QStringLiteral("chartChoiceCombo"));
    m_choice->setToolTip(tr("Which metric to plot. Until you choose, the chart follows the model that is training "
                            "and shows its most honest metric: validation rows first, then out-of-bag rows, then the "
                            "training rows."));
    m_choice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_choiceLabel->setBuddy(m_choice);
    stylePlaceholder(m_placeholder);
    m_stack->addWidget(m_placeholder);

    auto* chooser = new QHBoxLayout;
    chooser->setContentsMargins(4, 0, 4, 0);
    chooser->addWidget(m_choiceLabel);
    chooser->addWidget(m_choice);
    chooser->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(chooser);
    layout->addWidget(m_stack, 1);

    connect(m_choice, &QComboBox::activated, this, [this](int index) {
        m_following = false;
        showGroup(index);
    });
    m_namer = [](const QString& source) { return source; };
    reset(tr("The training curves appear here while the models train."));
}

TrainingChart::~TrainingChart() = default;

void TrainingChart::setSourceNamer(std::function<QString(const QString&)> namer)
{
    m_namer = std::move(namer);
    for (auto& group : m_groups)
        restyle(*group);
}

void TrainingChart::setEmphasisedSource(const QString& source)
{
    m_emphasised = source;
    for (auto& group : m_groups)
        restyle(*group);
}

void TrainingChart::setSourceOrder(const QStringList& sources)
{
    m_colors.clear();
    for (const QString& source : sources)
        colorFor(source);
    for (auto& group : m_groups)
        restyle(*group);
}

QString TrainingChart::nameOf(const QString& source) const { return m_namer ? m_namer(source) : source; }

void TrainingChart::reset(const QString& placeholder)
{
    for (auto& group : m_groups) {
        m_stack->removeWidget(group->view);
        delete group->view;  // owns its chart, which owns the series and axes
    }
    m_groups.clear();
    m_colors.clear();
    m_following = true;
    m_placeholder->setText(placeholder);
    m_stack->setCurrentWidget(m_placeholder);
    refreshChooser();
}

int TrainingChart::pointCount() const
{
    int count = 0;
    for (const auto& group : m_groups)
        for (const Series& series : group->series)
            count += series.line->count();
    return count;
}

QStringList TrainingChart::groupTitles() const
{
    QStringList titles;
    for (const auto& group : m_groups)
        titles << group->title;
    return titles;
}

int TrainingChart::currentGroup() const
{
    for (std::size_t i = 0; i < m_groups.size(); ++i)
        if (m_stack->currentWidget() == m_groups[i]->view)
            return int(i);
    return -1;
}

void TrainingChart::setCurrentGroup(int index)
{
    if (index < 0 || index >= groupCount())
        return;
    m_following = false;
    showGroup(index);
}

QStringList TrainingChart::seriesSources(int index) const
{
    QStringList sources;
    if (index >= 0 && index < groupCount())
        for (const Series& series : m_groups[std::size_t(index)]->series)
            sources << series.source;
    return sources;
}

int TrainingChart::seriesPointCount(int index, const QString& source) const
{
    if (index < 0 || index >= groupCount())
        return -1;
    for (const Series& series : m_groups[std::size_t(index)]->series)
        if (series.source == source)
            return series.line->count();
    return -1;
}

QColor TrainingChart::colorFor(const QString& source)
{
    auto it = m_colors.find(source);
    if (it == m_colors.end())
        it = m_colors.insert(source, kPalette[m_colors.size() % std::size(kPalette)]);
    return *it;
}

TrainingChart::Group& TrainingChart::groupFor(const CurveUpdate& curve)
{
    for (auto& group : m_groups)
        if (group->metricName == curve.metricName && group->stepName == curve.stepName)
            return *group;
    auto group = std::make_unique<Group>();
    group->metricName = curve.metricName;
    group->stepName = curve.stepName;
    group->measuredOn = curve.measuredOn;
    group->rank = metricHonesty(curve.metricName, curve.measuredOn);
    const QString step = curve.stepName.isEmpty() ? tr("step") : curve.stepName;
    group->title = tr("%1 by %2").arg(capitalised(curve.metricName), step);

    group->view = new QChartView(m_stack);
    group->chart = new QChart;
    styleChart(group->chart, *this);
    group->chart->setMargins(QMargins(4, 4, 8, 4));
    group->chart->legend()->setAlignment(Qt::AlignBottom);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9);
    group->chart->legend()->setFont(legendFont);
    // A name cut short for room is there in full on hover.
    group->chart->legend()->setShowToolTips(true);
    group->chart->legend()->setLabelColor(palette().color(QPalette::WindowText));
    group->x = new QValueAxis;
    group->y = new QValueAxis;
    styleAxis(group->x, *this);
    styleAxis(group->y, *this);
    group->x->setLabelFormat(QStringLiteral("%d"));
    group->x->setTitleText(capitalised(step));
    // "out-of-bag accuracy" measured on "out-of-bag rows" needs no second mention.
    const QString firstWord = curve.measuredOn.section(QLatin1Char(' '), 0, 0);
    const bool said = firstWord.isEmpty() || curve.metricName.contains(firstWord, Qt::CaseInsensitive);
    group->y->setTitleText(said ? capitalised(curve.metricName)
                                : tr("%1 (%2)").arg(capitalised(curve.metricName), curve.measuredOn));
    group->chart->addAxis(group->x, Qt::AlignBottom);
    group->chart->addAxis(group->y, Qt::AlignLeft);
    installChart(group->view, group->chart);
    // The chart fills its view: no band of the view's background around it.
    group->chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_stack->addWidget(group->view);
    m_groups.push_back(std::move(group));
    refreshChooser();
    return *m_groups.back();
}

TrainingChart::Series& TrainingChart::seriesFor(Group& group, const QString& source)
{
    for (Series& series : group.series)
        if (series.source == source)
            return series;
    if (int(group.series.size()) >= kMaxSeries) {
        // The run that reported longest ago makes room; the kept model stays.
        auto oldest = group.series.end();
        for (auto it = group.series.begin(); it != group.series.end(); ++it)
            if (it->source != m_emphasised && (oldest == group.series.end() || it->touched < oldest->touched))
                oldest = it;
        if (oldest != group.series.end()) {
            group.chart->removeSeries(oldest->line);
            delete oldest->line;
            group.series.erase(oldest);
        }
    }
    Series series;
    series.source = source;
    series.line = new QLineSeries;
    series.line->setName(nameOf(source));
    group.chart->addSeries(series.line);
    series.line->attachAxis(group.x);
    series.line->attachAxis(group.y);
    group.series.push_back(series);
    restyle(group);
    return group.series.back();
}

void TrainingChart::restyle(Group& group)
{
    const bool several = group.series.size() > 1;
    group.chart->legend()->setVisible(several);
    for (Series& series : group.series) {
        QPen pen(colorFor(series.source), series.source == m_emphasised && several ? 3.0 : 2.0);
        series.line->setPen(pen);
        series.line->setName(nameOf(series.source));
    }
    group.chart->setTitle(groupCount() > 1 ? QString() : group.title);
}

void TrainingChart::addPoints(Group& group, Series& series, const QList<QPointF>& points)
{
    if (isIndexedCurve(group.stepName)) {
        // Fold scores arrive in whatever order the parallel fits finish: each lands at
        // its fold, and a fold that reports again replaces its point.
        QList<QPointF> merged = series.line->points();
        for (const QPointF& point : points) {
            auto at = std::lower_bound(merged.begin(), merged.end(), point.x(),
                                       [](const QPointF& p, double x) { return p.x() < x; });
            if (at != merged.end() && at->x() == point.x())
                *at = point;
            else
                merged.insert(at, point);
            if (std::isfinite(point.y())) {
                group.minY = std::min(group.minY, point.y());
                group.maxY = std::max(group.maxY, point.y());
            }
            group.maxX = std::max(group.maxX, point.x());
        }
        series.line->replace(merged);
        series.hasPoints = true;
        series.line->setPointsVisible(true);
        return;
    }
    // One replace per batch: appending point by point redraws the series for each.
    QList<QPointF> all = series.line->points();
    all.reserve(all.size() + points.size());
    for (const QPointF& point : points) {
        if (series.hasPoints && point.x() <= series.lastX) {
            // A new fit of the same run (the next fold, the refit): start its curve again.
            all.clear();
        }
        all.append(point);
        series.lastX = point.x();
        series.hasPoints = true;
        if (std::isfinite(point.y())) {
            group.minY = std::min(group.minY, point.y());
            group.maxY = std::max(group.maxY, point.y());
        }
        group.maxX = std::max(group.maxX, point.x());
    }
    while (all.size() > kMaxPoints) {
        QList<QPointF> thinned;
        thinned.reserve(all.size() / 2 + 1);
        for (qsizetype i = 0; i < all.size(); i += 2)
            thinned.append(all[i]);
        if (thinned.back() != all.back())
            thinned.append(all.back());
        all = std::move(thinned);
    }
    series.line->replace(all);
    series.line->setPointsVisible(all.size() <= kDotsUpTo);
}

void TrainingChart::append(const TrainingUpdate& update)
{
    if (update.curves.isEmpty())
        return;
    ++m_batch;
    for (const CurveUpdate& curve : update.curves) {
        if (curve.points.isEmpty())
            continue;
        Group& group = groupFor(curve);
        Series& series = seriesFor(group, curve.source);
        group.totalSteps = std::max(group.totalSteps, curve.totalSteps);
        group.touched = m_batch;
        series.touched = m_batch;
        addPoints(group, series, curve.points);
        rescale(group);
    }
    if (m_following)
        followTraining();
    else if (currentGroup() < 0 && !m_groups.empty())
        showGroup(0);
}

void TrainingChart::appendCurve(const QString& source, const std::vector<core::TrainingSnapshot>& curve)
{
    TrainingUpdate update;
    for (const auto& snapshot : curve) {
        const QString metric = QString::fromStdString(snapshot.metricName);
        const QString stepName = QString::fromStdString(snapshot.stepName);
        auto it = std::find_if(update.curves.begin(), update.curves.end(), [&](const CurveUpdate& c) {
            return c.metricName == metric && c.stepName == stepName;
        });
        if (it == update.curves.end()) {
            update.curves.append(CurveUpdate{source, metric, stepName, QString::fromStdString(snapshot.measuredOn), 0, {}});
            it = update.curves.end() - 1;
        }
        it->totalSteps = snapshot.totalSteps;
        it->points.append(QPointF(snapshot.step, snapshot.value));
    }
    append(update);
}

void TrainingChart::followTraining()
{
    int best = -1;
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
        const Group& group = *m_groups[i];
        if (group.touched != m_batch)
            continue;
        const bool current = m_stack->currentWidget() == group.view;
        if (best < 0 || group.rank < m_groups[std::size_t(best)]->rank ||
            (group.rank == m_groups[std::size_t(best)]->rank && current))
            best = int(i);
    }
    if (best >= 0)
        showGroup(best);
}

void TrainingChart::showGroup(int index)
{
    if (index < 0 || index >= groupCount())
        return;
    m_stack->setCurrentWidget(m_groups[std::size_t(index)]->view);
    const QSignalBlocker block(m_choice);
    m_choice->setCurrentIndex(index);
}

void TrainingChart::refreshChooser()
{
    const QSignalBlocker block(m_choice);
    const int current = currentGroup();
    m_choice->clear();
    m_choice->addItems(groupTitles());
    m_choice->setCurrentIndex(current);
    const bool several = groupCount() > 1;
    m_choice->setVisible(several);
    m_choiceLabel->setVisible(several);
    for (auto& group : m_groups)
        group->chart->setTitle(several ? QString() : group->title);
}

void TrainingChart::rescale(Group& group)
{
    const double xMax = std::max<double>({double(group.totalSteps), group.maxX, 1.0});
    if (isIndexedCurve(group.stepName)) {
        // Folds 1…k, each a tick, with room for the dots at both ends.
        const double every = std::max(1.0, std::ceil(xMax / 10.0));
        group.x->setTickType(QValueAxis::TicksDynamic);
        group.x->setTickAnchor(1);
        group.x->setTickInterval(every);
        group.x->setRange(0.5, xMax + 0.5);
    } else {
        group.x->setRange(0, xMax);
        group.x->applyNiceNumbers();
    }
    double low = group.minY;
    double high = group.maxY;
    if (!std::isfinite(low) || !std::isfinite(high))
        return;
    double span = high - low;
    if (span < 1e-9)
        span = std::max(std::abs(high) * 0.1, 0.01);
    low -= span * 0.1;
    high += span * 0.1;
    // Scores in [0, 1] (accuracy, AUC) should not get an axis beyond what is possible.
    if (group.minY >= 0 && group.maxY <= 1) {
        low = std::max(low, 0.0);
        high = std::min(high, 1.0);
    }
    if (group.minY >= 0)
        low = std::max(low, 0.0);
    // Round ticks (…, 0.72, 0.74, …) at about five intervals.
    const double rough = (high - low) / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step >= rough)
            break;
    }
    low = std::floor(low / step) * step;
    high = std::ceil(high / step) * step;
    const int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)) + (step / magnitude == 2.5 ? 1 : 0));
    group.y->setTickType(QValueAxis::TicksDynamic);
    group.y->setTickAnchor(low);
    group.y->setTickInterval(step);
    group.y->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f"));
    // A hair of slack, so the tick at either end is not lost to rounding.
    group.y->setRange(low - step * 1e-6, high + step * 1e-6);
}

} // namespace stepwise::ui
