#pragma once
// Shared set-up of the chart views under widgets/charts/.

class QChart;
class QChartView;

namespace stepwise::ui {

/// Shows `chart` in `view` (which takes ownership), deleting the default chart the view
/// made for itself — setChart only releases it — and sets the look every chart shares.
void installChart(QChartView* view, QChart* chart);

} // namespace stepwise::ui
