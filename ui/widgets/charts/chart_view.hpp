#pragma once
// Shared set-up of the chart views under widgets/charts/.

class QChart;
class QChartView;
class QLabel;
class QWidget;

namespace stepwise::ui {

/// Shows `chart` in `view` (which takes ownership), deleting the default chart the view
/// made for itself — setChart only releases it — and sets the look every chart shares.
void installChart(QChartView* view, QChart* chart);

/// \brief The look every chart shares, in `owner`'s palette and font: no animation,
/// square corners, a bold title.
void styleChart(QChart* chart, const QWidget& owner);

/// \brief The grey, wrapped, centred text a chart shows before it has data.
void stylePlaceholder(QLabel* placeholder);

} // namespace stepwise::ui
