#include "widgets/charts/chart_view.hpp"

#include <QChart>
#include <QChartView>
#include <QLabel>

namespace stepwise::ui {

void installChart(QChartView* view, QChart* chart)
{
    QChart* defaultChart = view->chart();
    view->setChart(chart);
    delete defaultChart;
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
}

void styleChart(QChart* chart, const QWidget& owner)
{
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setBackgroundBrush(owner.palette().color(QPalette::Base));
    chart->setTitleBrush(owner.palette().color(QPalette::WindowText));
    QFont titleFont = owner.font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
}

void stylePlaceholder(QLabel* placeholder)
{
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setEnabled(false);
    placeholder->setMargin(16);
}

} // namespace stepwise::ui
