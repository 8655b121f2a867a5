#include "widgets/charts/chart_view.hpp"

#include <QChart>
#include <QChartView>

namespace stepwise::ui {

void installChart(QChartView* view, QChart* chart)
{
    QChart* defaultChart = view->chart();
    view->setChart(chart);
    delete defaultChart;
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
}

} // namespace stepwise::ui
