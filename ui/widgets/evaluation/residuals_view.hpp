#pragma once
/// \file
/// \brief The Evaluation page's residual tab for regression: residuals against the
/// prediction and the distribution of the errors.

#include <QWidget>

#include <memory>

#include "stepwise/data/distribution.hpp"

class QLabel;

namespace stepwise::workflow {
struct RunResult;
}

namespace stepwise::ui {

class BackgroundTask;
class DistributionChart;
class ResidualChart;
class Session;
class TaskProgressPanel;

/// \brief What the residual tab shows of one result, computed off the GUI thread.
struct ResidualSummary {
    std::vector<double> residuals;  ///< actual − predicted, one per test row in result order
    data::Histogram histogram;      ///< of the finite residuals, numpy's "auto" bins
    double mean = 0.0;              ///< mean error (bias: above 0 the model predicts too low)
    double median = 0.0;
    double meanAbsolute = 0.0;
    double standardError = 0.0;     ///< of the mean error (sample std / √n)
};

/// \brief Computes the residuals, their histogram and mean and median of a regression
/// result's test rows.
ResidualSummary summarizeResiduals(const workflow::RunResult& result);

/// \brief A residual plot (residual = actual − predicted against the prediction, with
/// the zero line) beside a histogram of the errors (numpy's "auto" bins), the mean and
/// median error stated in words. Follows `Session::resultChanged`; the work runs on its
/// own `BackgroundTask`, restarted for each new result. Without a regression result it
/// says why it is empty.
class ResidualsView : public QWidget {
    Q_OBJECT
public:
    explicit ResidualsView(Session* session, QWidget* parent = nullptr);

    /// \brief The residual plot.
    ResidualChart* residualChart() const { return m_residuals; }
    /// \brief The error histogram.
    DistributionChart* histogramChart() const { return m_histogram; }
    /// \brief What is shown now (null without a regression result).
    std::shared_ptr<const ResidualSummary> summary() const { return m_summary; }
    /// \brief The sentence with the mean and median error, or why nothing is shown.
    QString summaryText() const;
    /// \brief The background slot the residuals are computed on.
    BackgroundTask* task() const { return m_task; }

private:
    void refresh();
    void showSummary(const std::shared_ptr<const ResidualSummary>& summary);

    Session* m_session;
    BackgroundTask* m_task;
    QLabel* m_summaryLabel;
    ResidualChart* m_residuals;
    DistributionChart* m_histogram;
    TaskProgressPanel* m_progress;
    std::shared_ptr<const ResidualSummary> m_summary;
};

} // namespace stepwise::ui
