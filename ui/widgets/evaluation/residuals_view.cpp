#include "widgets/evaluation/residuals_view.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/workflow/runner.hpp"
#include "tasks/background_task.hpp"
#include "widgets/charts/distribution_chart.hpp"
#include "widgets/charts/residual_chart.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

QString number(double value) { return QLocale().toString(value, 'g', 4); }

} // namespace

ResidualSummary summarizeResiduals(const workflow::RunResult& result)
{
    ResidualSummary summary;
    const Eigen::VectorXd& actual = result.testActualValue;
    const Eigen::VectorXd& predicted = result.testPredictions.values;
    const Eigen::Index n = std::min(actual.size(), predicted.size());
    summary.residuals.reserve(std::size_t(n));
    std::vector<double> finite;
    finite.reserve(std::size_t(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        const double residual = actual[i] - predicted[i];
        summary.residuals.push_back(residual);
        if (std::isfinite(residual))
            finite.push_back(residual);
    }
    summary.histogram = data::histogram(summary.residuals);
    if (!finite.empty()) {
        double sum = 0.0, absolute = 0.0;
        for (double r : finite) {
            sum += r;
            absolute += std::abs(r);
        }
        summary.mean = sum / double(finite.size());
        summary.meanAbsolute = absolute / double(finite.size());
        if (finite.size() > 1) {
            double squares = 0.0;
            for (double r : finite)
                squares += (r - summary.mean) * (r - summary.mean);
            summary.standardError = std::sqrt(squares / double(finite.size() - 1) / double(finite.size()));
        }
        // numpy's median: the mean of the two middle values for an even count.
        const std::size_t half = finite.size() / 2;
        std::nth_element(finite.begin(), finite.begin() + std::ptrdiff_t(half), finite.end());
        summary.median = finite[half];
        if (finite.size() % 2 == 0)
            summary.median =
                (summary.median + *std::max_element(finite.begin(), finite.begin() + std::ptrdiff_t(half))) / 2.0;
    }
    return summary;
}

ResidualsView::ResidualsView(Session* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_task(new BackgroundTask(tr("Residuals"), this)),
      m_summaryLabel(makeNote({}, this)),
      m_residuals(new ResidualChart(this)),
      m_histogram(new DistributionChart(this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this))
{
    setObjectName(QStringLiteral("residualsView"));
    m_summaryLabel->setObjectName(QStringLiteral("residualSummary"));
    m_summaryLabel->setTextFormat(Qt::RichText);
    m_histogram->setObjectName(QStringLiteral("errorHistogram"));
    m_progress->setTask(m_task);
    m_progress->setHiddenWhenIdle(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summaryLabel);
    auto* charts = new QHBoxLayout;
    charts->addWidget(m_residuals, 3);
    charts->addWidget(m_histogram, 2);
    layout->addLayout(charts, 1);
    layout->addWidget(m_progress);

    connect(session, &Session::resultChanged, this, &ResidualsView::refresh);
    refresh();
}

QString ResidualsView::summaryText() const { return m_summaryLabel->text(); }

void ResidualsView::refresh()
{
    m_summary.reset();
    const auto result = m_session->result();
    QString why;
    if (!result)
        why = tr("Residuals appear once a regression model is trained — train one on the Training step.");
    else if (!result->regression)
        why = tr("Residuals are for regression: this model predicts classes. The confusion matrix and the curves "
                 "show its errors.");
    else if (result->testActualValue.size() == 0)
        why = tr("There are no test rows to compute residuals on.");
    if (!why.isEmpty()) {
        m_task->cancel();
        m_summaryLabel->setText(why);
        m_residuals->clear(why);
        m_histogram->clear(why);
        return;
    }
    m_summaryLabel->setText(tr("Computing the residuals…"));
    m_task->start(
        tr("Computing residuals"),
        [result](core::TaskControl& control) -> std::any {
            control.progress(0.0, "residuals of the test rows");
            auto summary = std::make_shared<const ResidualSummary>(summarizeResiduals(*result));
            control.progress(1.0);
            return summary;
        },
        [this, result](const std::any& value) {
            if (result != m_session->result())
                return;
            showSummary(std::any_cast<std::shared_ptr<const ResidualSummary>>(value));
        });
}

void ResidualsView::showSummary(const std::shared_ptr<const ResidualSummary>& summary)
{
    m_summary = summary;
    const auto result = m_session->result();
    const QString target = QString::fromStdString(m_session->resultRecipe().problem.target);
    m_residuals->setData(result->testActualValue, result->testPredictions.values, target);
    data::ColumnDistribution distribution;
    distribution.shape = data::ColumnDistribution::Shape::Histogram;
    distribution.histogram = summary->histogram;
    m_histogram->setDistribution(tr("Error (actual − predicted)"), distribution, false);

    QString bias;
    // A mean error within two standard errors of zero is what chance alone gives.
    if (std::abs(summary->mean) <= 2.0 * summary->standardError)
        bias = tr("within chance of zero: no systematic over- or under-prediction");
    else if (summary->mean > 0)
        bias = tr("above zero: the model predicts too low on average");
    else
        bias = tr("below zero: the model predicts too high on average");
    m_summaryLabel->setText(
        tr("<b>Mean error %1</b> (%2) · <b>median error %3</b> · mean absolute error %4. Each dot is a test row: "
           "above the line the model predicted too low, below too high. A funnel or a curve means the errors "
           "depend on the size of the prediction.")
            .arg(number(summary->mean), bias, number(summary->median), number(summary->meanAbsolute)));
}

} // namespace stepwise::ui
