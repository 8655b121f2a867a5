#include "widgets/evaluation/estimate_check_view.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/workflow/runner.hpp"
#include "widgets/charts/interval_bar_chart.hpp"
#include "widgets/score_text.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/engine_text.hpp"

namespace stepwise::ui {
namespace {

const QColor kTrain(0x25, 0x63, 0xeb);
const QColor kEstimate(0xe6, 0x9f, 0x00);
const QColor kTest(0x00, 0x9e, 0x73);

QString milliseconds(double ms) { return QLocale().toString(ms, 'f', ms < 10 ? 2 : 1) + QStringLiteral(" ms"); }

QString colored(const QColor& color, const QString& text)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color.name(), text);
}

} // namespace

EstimateCheckView::EstimateCheckView(Session* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_banner(new StatusBanner(this)),
      m_numbers(new QLabel(this)),
      m_chart(new IntervalBarChart(this)),
      m_latency(new QLabel(this))
{
    setObjectName(QStringLiteral("estimateCheckView"));
    m_banner->setObjectName(QStringLiteral("estimateBanner"));
    m_numbers->setObjectName(QStringLiteral("estimateNumbers"));
    m_latency->setObjectName(QStringLiteral("latencyLine"));
    m_chart->setObjectName(QStringLiteral("estimateChart"));
    m_chart->setMarks(IntervalBarChart::Marks::Dots);
    m_chart->setFixedHeight(300);
    for (QLabel* label : {m_numbers, m_latency}) {
        label->setTextFormat(Qt::RichText);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_numbers->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    auto* how = makeNote(tr("The estimate is measured without the test rows. It should be close to the test score; a "
                            "training score far above both means the model learned its training rows by heart "
                            "(overfitting)."),
                         this);
    layout->addWidget(how);
    auto* row = new QHBoxLayout;
    row->addWidget(m_chart, 3);
    row->addSpacing(8);
    row->addWidget(m_numbers, 2);
    layout->addLayout(row);
    layout->addSpacing(8);
    layout->addWidget(makeSectionTitle(tr("Latency: one row at a time"), this));
    layout->addWidget(m_latency);
    layout->addStretch(1);

    connect(session, &Session::resultChanged, this, &EstimateCheckView::refresh);
    connect(session, &Session::recipeChanged, this, &EstimateCheckView::refresh);
    refresh();
}

QString EstimateCheckView::numbersText() const { return m_numbers->text(); }

QString EstimateCheckView::latencyText() const { return m_latency->text(); }

void EstimateCheckView::refresh()
{
    m_banner->clearAll();
    const auto result = m_session->result();
    if (!result) {
        const QString why = tr("Training, estimated and test scores appear side by side once a model is trained — "
                               "train one on the Training step.");
        m_chart->clear(why);
        m_numbers->clear();
        m_latency->setText(tr("The single-row latency is measured when a model is trained."));
        return;
    }
    const workflow::EstimateCheck& check = result->estimateCheck;
    const core::TaskType task = result->classification ? core::TaskType::Classification : core::TaskType::Regression;
    const QString metric = metricDisplayName(task, check.metric);

    for (std::size_t i = 0; i < check.warnings.size(); ++i)
        m_banner->setMessage(QStringLiteral("estimate-%1").arg(i), StatusBanner::Level::Warning,
                             engineText(check.warnings[i]));

    std::vector<IntervalBar> bars;
    std::vector<QColor> colors;
    QStringList lines;
    if (check.train) {
        bars.push_back({tr("Training rows"), *check.train, 0.0, {}});
        colors.push_back(kTrain);
        lines << tr("%1 on the <b>training rows</b>: <b>%2</b> — what the model saw; always the most flattering.")
                     .arg(colored(kTrain, QStringLiteral("■")), scoreText(*check.train));
    }
    if (check.estimate) {
        const bool cv = check.estimateSource == "cross-validation";
        const QString source = cv ? tr("Cross-validation") : tr("Validation rows");
        bars.push_back({source, *check.estimate, check.estimateSpread, {}});
        colors.push_back(kEstimate);
        lines << (cv ? tr("%1 <b>cross-validation</b> estimate: <b>%2</b> (mean ± std over the folds of the training "
                          "rows).")
                           .arg(colored(kEstimate, QStringLiteral("■")),
                                meanStdText(*check.estimate, check.estimateSpread))
                     : tr("%1 on the <b>validation rows</b>: <b>%2</b> — held out from training, used to choose.")
                           .arg(colored(kEstimate, QStringLiteral("■")), scoreText(*check.estimate)));
    } else {
        lines << tr("No estimate without the test rows: add validation rows (Prep step) or cross-validation "
                    "(Training step) to get one.");
    }
    if (check.test) {
        bars.push_back({tr("Test rows"), *check.test, 0.0, {}});
        colors.push_back(kTest);
        lines << tr("%1 on the <b>test rows</b>: <b>%2</b> — data the model never saw; the number to report.")
                     .arg(colored(kTest, QStringLiteral("■")), scoreText(*check.test));
    }
    if (bars.empty()) {
        m_chart->clear(tr("This result has no training, estimated or test score to compare."));
    } else {
        m_chart->setBars(tr("%1: training, estimate and test").arg(metric), metric, bars, kTest, colors);
    }
    if (check.warnings.empty() && check.test && check.estimate)
        m_banner->setMessage(QStringLiteral("estimate-ok"), StatusBanner::Level::Success,
                             tr("The estimate and the test score agree, and the training score is not far above "
                                "them."));
    m_numbers->setText(QStringLiteral("<p>") + lines.join(QStringLiteral("</p><p>")) + QStringLiteral("</p>"));

    const workflow::LatencyMeasurement& latency = result->latency;
    if (latency.samples == 0) {
        m_latency->setText(tr("The single-row latency was not measured for this result."));
        return;
    }
    QString text = tr("Median <b>%1</b>, 99th percentile <b>%2</b> per row, over %3 predicted one at a time "
                      "through the whole pipeline.")
                       .arg(milliseconds(latency.medianMs), milliseconds(latency.p99Ms),
                            latency.samples == 1 ? tr("1 row") : tr("%1 rows").arg(latency.samples));
    // The budget judged is the current one: changing it does not make the result stale.
    if (const auto verdict = m_session->latencyVerdict()) {
        const QColor color = bannerColor(verdict->passed ? StatusBanner::Level::Success : StatusBanner::Level::Error);
        text += QStringLiteral(" ") +
                colored(color, verdict->passed ? tr("<b>✓ Within the %1 budget</b> (99th percentile %2).")
                                                     .arg(milliseconds(verdict->budgetMs), milliseconds(verdict->measuredMs))
                                               : tr("<b>✗ Over the %1 budget</b> (99th percentile %2): choose a "
                                                    "smaller model or fewer steps.")
                                                     .arg(milliseconds(verdict->budgetMs), milliseconds(verdict->measuredMs)));
        if (!verdict->passed)
            m_banner->setMessage(QStringLiteral("latency"), StatusBanner::Level::Warning,
                                 tr("Single-row latency %1 (99th percentile) is over the %2 budget set on the Problem "
                                    "step.")
                                     .arg(milliseconds(verdict->measuredMs), milliseconds(verdict->budgetMs)));
    } else {
        text += tr(" No budget is set — set a maximum latency on the Problem step to have it judged.");
    }
    m_latency->setText(text);
}

} // namespace stepwise::ui
