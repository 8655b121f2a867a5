#pragma once
// Shared set-up of the chart views under widgets/charts/.

class QAbstractAxis;
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

/// \brief Axis colours from `owner`'s palette; labels and title in its font scaled by
/// `fontScale`.
void styleAxis(QAbstractAxis* axis, const QWidget& owner, double fontScale = 1.0);

/// \brief The grey, wrapped, centred text a chart shows before it has data.
void stylePlaceholder(QLabel* placeholder);

} // namespace stepwise::ui
