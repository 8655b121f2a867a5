#include "report/evaluation_report.hpp"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStringList>
#include <QTextDocument>
#include <QTextFrame>
#include <QUrl>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <string>

#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/misconceptions.hpp"
#include "tasks/background_task.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

// Millimetres of paper around the printed body; the footer sits in the bottom margin.
constexpr double kMarginMm = 15.0;
constexpr double kFooterMm = 8.0;
// Figures print at most this wide (CSS pixels): the A4 body is 180 mm ≈ 680 px.
constexpr int kFigureMaxWidth = 660;

// Kept to what QTextDocument's CSS subset understands (type and class selectors, colours,
// fonts, margins, cell padding and borders, page-break-*), so the PDF and a browser agree.
const char* const kStyleSheet = R"(
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 9.5pt; color: #1d1d1f; }
h1 { font-size: 17pt; font-weight: bold; color: #17324d; margin-top: 0px; margin-bottom: 2px; }
h2 { font-size: 12.5pt; font-weight: bold; color: #17324d; margin-top: 16px; margin-bottom: 5px; }
h3 { font-size: 10.5pt; font-weight: bold; color: #17324d; margin-top: 10px; margin-bottom: 4px; }
p { margin-top: 3px; margin-bottom: 3px; }
.meta { color: #5f6368; font-size: 8.5pt; }
.muted { color: #5f6368; }
.help { color: #5f6368; font-size: 8.5pt; }
.pass { color: #1e6b2f; font-weight: bold; }
.fail { color: #b3261e; font-weight: bold; }
.none { color: #5f6368; font-weight: bold; }
.warn { color: #8a4b00; }
table.grid { border-collapse: collapse; border-width: 1px; border-color: #b8c2cc; border-style: solid;
             margin-top: 2px; margin-bottom: 4px; }
table.grid td { border-width: 1px; border-color: #b8c2cc; border-style: solid; padding: 3px; padding-left: 5px;
                padding-right: 5px; }
table.grid th { border-width: 1px; border-color: #b8c2cc; border-style: solid; padding: 3px; padding-left: 5px;
                padding-right: 5px; background-color: #e8eef4; font-weight: bold; }
ol.steps { margin-top: 0px; margin-bottom: 0px; margin-left: -18px; }
td.num { text-align: right; }
td.key { font-weight: bold; background-color: #f4f6f8; }
td.hit { background-color: #d7ead9; font-weight: bold; }
td.star { font-weight: bold; }
table.verdict { border-collapse: collapse; margin-top: 6px; margin-bottom: 6px; }
td.passbox { background-color: #e3f1e5; border-width: 2px; border-color: #2e7d32; border-style: solid; padding: 6px; }
td.failbox { background-color: #fbe4e2; border-width: 2px; border-color: #c62828; border-style: solid; padding: 6px; }
td.nonebox { background-color: #f1f3f4; border-width: 2px; border-color: #9aa0a6; border-style: solid; padding: 6px; }
pre { font-family: 'DejaVu Sans Mono', 'Courier New', monospace; font-size: 8.5pt; background-color: #f6f8fa;
      margin-top: 2px; margin-bottom: 4px; }
p.caption { color: #5f6368; font-size: 8.5pt; font-style: italic; margin-bottom: 10px; }
)";

QString esc(const QString& text) { return text.toHtmlEscaped(); }
QString esc(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

QString modelName(const std::string& name)
{
    for (const auto& info : models::modelRegistry()) {
        if (info.name == name)
            return QString::fromStdString(info.displayName);
    }
    return QString::fromStdString(name);
}

const evaluation::MetricInfo* findMetric(core::TaskType task, const std::string& name)
{
    for (const auto& info : evaluation::metricsFor(task)) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

QString metricName(core::TaskType task, const std::string& name)
{
    const evaluation::MetricInfo* info = findMetric(task, name);
    return info ? QString::fromStdString(info->displayName) : QString::fromStdString(name);
}

std::optional<double> valueOf(const workflow::RunResult& result, const std::string& metric)
{
    try {
        if (result.classification)
            return evaluation::metricValue(*result.classification, metric);
        if (result.regression)
            return evaluation::metricValue(*result.regression, metric);
    } catch (const core::InvalidParameter&) {
        // A name from another task (the task changed since): nothing to show.
    }
    return std::nullopt;
}

template <class Metrics>
std::optional<double> valueIn(const std::optional<Metrics>& metrics, const std::string& name)
{
    if (!metrics)
        return std::nullopt;
    try {
        return evaluation::metricValue(*metrics, name);
    } catch (const core::InvalidParameter&) {
        return std::nullopt;
    }
}

QString orDash(const std::optional<double>& value, std::optional<double> threshold = std::nullopt)
{
    return value ? formatReportValue(*value, threshold) : QStringLiteral("—");
}

QString milliseconds(double ms)
{
    if (ms >= 100.0)
        return QString::number(ms, 'f', 0) + QStringLiteral(" ms");
    if (ms >= 1.0)
        return QString::number(ms, 'f', 2) + QStringLiteral(" ms");
    return QString::number(ms, 'f', 3) + QStringLiteral(" ms");
}

QString percent(double share) { return QString::number(share * 100.0, 'f', 1) + QStringLiteral(" %"); }

QString count(std::size_t n) { return QLocale::c().toString(qulonglong(n)); }

QString stepsList(const std::vector<prep::StepSpec>& steps)
{
    QStringList items;
    for (const prep::StepSpec& step : steps) {
        if (!step.enabled)
            continue;
        QString text;
        try {
            text = QString::fromStdString(prep::describeStep(step));
        } catch (const core::Error&) {
            text = QString::fromStdString(prep::formatStepArgument(step));
        }
        items << QStringLiteral("<li>%1</li>").arg(esc(text));
    }
    if (items.isEmpty())
        return QStringLiteral("<span class=\"muted\">none</span>");
    return QStringLiteral("<ol class=\"steps\">%1</ol>").arg(items.join(QString()));
}

QString paramsText(const std::map<std::string, std::string>& params)
{
    if (params.empty())
        return QStringLiteral("<span class=\"muted\">defaults</span>");
    QStringList parts;
    for (const auto& [name, value] : params)
        parts << esc(name + "=" + value);
    return parts.join(QStringLiteral(", "));
}

QString cvName(const std::string& strategy)
{
    try {
        const evaluation::CvSpec spec = evaluation::parseCvSpec(strategy);
        switch (spec.strategy) {
        case evaluation::CvStrategy::StratifiedKFold:
            return QStringLiteral("%1-fold stratified").arg(spec.folds);
        case evaluation::CvStrategy::KFold:
            return QStringLiteral("%1-fold").arg(spec.folds);
        case evaluation::CvStrategy::LeaveOneOut:
            return QStringLiteral("leave-one-out");
        case evaluation::CvStrategy::TimeSeries:
            return spec.gap > 0 ? QStringLiteral("%1-fold time series, gap %2").arg(spec.folds).arg(spec.gap)
                                : QStringLiteral("%1-fold time series").arg(spec.folds);
        }
    } catch (const core::InvalidParameter&) {
        // An unknown spelling reads best as the engine wrote it.
    }
    return QString::fromStdString(strategy);
}

/// A "key | value" row of a two-column table.
QString keyRow(const QString& key, const QString& valueHtml)
{
    return QStringLiteral("<tr><td class=\"key\" width=\"24%\">%1</td><td>%2</td></tr>").arg(esc(key), valueHtml);
}

QString pngDataUri(const QImage& image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(bytes.toBase64());
}

/// The printed width of a figure in CSS pixels: its logical width, at most the body's.
int figureWidth(const QImage& image)
{
    const qreal ratio = image.devicePixelRatio() > 0 ? image.devicePixelRatio() : 1.0;
    return std::min(kFigureMaxWidth, std::max(1, int(std::lround(image.width() / ratio))));
}

QString verdictBox(const QString& boxClass, const QString& html)
{
    return QStringLiteral("<table class=\"verdict\" width=\"100%\" cellspacing=\"0\" cellpadding=\"6\" border=\"1\">"
                          "<tr><td class=\"%1\">%2</td></tr></table>")
        .arg(boxClass, html);
}

class ReportWriter {
public:
    ReportWriter(const EvaluationReportInput& input, ReportImages images, core::TaskControl* control)
        : m_in(input), m_result(*input.result), m_recipe(input.recipe), m_task(input.recipe.problem.task),
          m_images(images), m_control(control)
    {
    }

    QString html()
    {
        progress(0.0, "Writing the report");
        m_out += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");
        m_out += QStringLiteral("<title>%1</title>").arg(esc(title()));
        m_out += QStringLiteral("<style>%1</style></head><body>\n").arg(QString::fromLatin1(kStyleSheet));
        header();
        verdict();
        problem();
        dataSummary();
        recipe();
        estimateCheck();
        metrics();
        perClass();
        confusion();
        classificationReport();
        leaderboard();
        audit();
        figures();
        m_out += QStringLiteral("</body></html>\n");
        return m_out;
    }

private:
    void progress(double fraction, const char* stage)
    {
        if (m_control)
            m_control->progress(fraction, stage);
    }

    QString title() const
    {
        return QStringLiteral("Evaluation report — %1 predicting “%2”")
            .arg(modelName(m_recipe.model.name), QString::fromStdString(m_recipe.problem.target));
    }

    QString successName() const
    {
        return m_in.verdict ? metricName(m_task, m_in.verdict->criterion.metric) : QString();
    }

    void section(const QString& heading) { m_out += QStringLiteral("<h2>%1</h2>\n").arg(esc(heading)); }

    /// The measured results start on a fresh page, so a heading is never left at the foot
    /// of the first one and the description of the run reads as a cover page.
    void resultsSection(const QString& heading)
    {
        if (m_resultsStarted) {
            section(heading);
            return;
        }
        m_resultsStarted = true;
        m_out += QStringLiteral("<h2 style=\"page-break-before: always;\">%1</h2>\n").arg(esc(heading));
    }

    void header()
    {
        m_out += QStringLiteral("<h1>%1</h1>\n").arg(esc(title()));
        m_out += QStringLiteral("<p class=\"meta\">Created %1 · Stepwise %2 · %3</p>\n")
                     .arg(esc(m_in.created.toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                          esc(QString::fromLatin1(core::kVersion)),
                          esc(QString::fromStdString(m_recipe.data.describe())));
        if (!m_in.resultIsCurrent)
            m_out += QStringLiteral("<p class=\"warn\">The recipe was changed after this model was trained; this "
                                    "report describes the model as it was trained. Train again to report the "
                                    "current recipe.</p>\n");
    }

    void verdict()
    {
        section(QStringLiteral("Verdict"));
        const std::size_t testRows = m_result.testRows.size();
        if (const auto& v = m_in.verdict) {
            const QString name = metricName(m_task, v->criterion.metric);
            const QString comparator = v->criterion.atLeast ? QStringLiteral("≥") : QStringLiteral("≤");
            const QString bar = formatReportValue(v->criterion.threshold);
            QString text;
            if (!v->value) {
                text = QStringLiteral("<span class=\"fail\">FAIL</span> — %1 could not be measured on the test "
                                      "rows (a class is missing there, or the model gives no probabilities); the goal "
                                      "was %1 %2 %3.")
                           .arg(esc(name), comparator, bar);
            } else {
                text = QStringLiteral("<span class=\"%1\">%2</span> — %3 = <b>%4</b> on the %5 test rows; the goal "
                                      "was %3 %6 %7.")
                           .arg(v->passed ? QStringLiteral("pass") : QStringLiteral("fail"),
                                v->passed ? QStringLiteral("PASS") : QStringLiteral("FAIL"), esc(name),
                                formatReportValue(*v->value, v->criterion.threshold), count(testRows), comparator,
                                bar);
            }
            m_out += verdictBox(v->passed ? QStringLiteral("passbox") : QStringLiteral("failbox"),
                                QStringLiteral("<b>Success criterion:</b> ") + text);
        } else {
            m_out += verdictBox(QStringLiteral("nonebox"),
                                QStringLiteral("<b>Success criterion:</b> <span class=\"none\">not set</span> — "
                                               "no goal was written down on the Problem step, so there is no pass or "
                                               "fail; read the metrics below against your own bar."));
        }

        const auto& latency = m_result.latency;
        const QString measured =
            latency.samples > 0
                ? QStringLiteral("99th percentile %1 over %2 single-row predictions of the whole pipeline on test "
                                 "rows (median %3, slowest %4)")
                      .arg(milliseconds(latency.p99Ms), count(latency.samples), milliseconds(latency.medianMs),
                           milliseconds(latency.maxMs))
                : QString();
        if (const auto& v = m_in.latencyVerdict) {
            m_out += verdictBox(
                v->passed ? QStringLiteral("passbox") : QStringLiteral("failbox"),
                QStringLiteral("<b>Latency budget:</b> <span class=\"%1\">%2</span> — %3 %4 the budget of %5 per row.%6")
                    .arg(v->passed ? QStringLiteral("pass") : QStringLiteral("fail"),
                         v->passed ? QStringLiteral("PASS") : QStringLiteral("FAIL"), milliseconds(v->measuredMs),
                         v->passed ? QStringLiteral("is within") : QStringLiteral("exceeds"),
                         milliseconds(v->budgetMs),
                         measured.isEmpty() ? QString() : QStringLiteral(" <span class=\"muted\">(%1)</span>").arg(measured)));
        } else if (m_recipe.problem.maxLatencyMs) {
            m_out += verdictBox(QStringLiteral("nonebox"),
                                QStringLiteral("<b>Latency budget:</b> %1 per row — <span class=\"none\">not "
                                               "measured</span> for this model; train again to measure it.")
                                    .arg(milliseconds(*m_recipe.problem.maxLatencyMs)));
        } else if (!measured.isEmpty()) {
            m_out += QStringLiteral("<p><b>Latency:</b> %1. No budget was set on the Problem step.</p>\n").arg(measured);
        }
    }

    void problem()
    {
        section(QStringLiteral("Problem"));
        const auto& p = m_recipe.problem;
        m_out += QStringLiteral("<table class=\"grid\" width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
        m_out += keyRow(QStringLiteral("Objective"), p.objective.empty() ? QStringLiteral("<span class=\"muted\">not written down</span>")
                                                                          : esc(p.objective));
        m_out += keyRow(QStringLiteral("Task"), esc(QString::fromLatin1(core::toString(p.task))));
        m_out += keyRow(QStringLiteral("Target"), esc(p.target));
        QString success = QStringLiteral("<span class=\"muted\">none</span>");
        if (p.success)
            success = QStringLiteral("%1 %2 %3 <span class=\"muted\">(%4)</span>")
                          .arg(esc(metricName(p.task, p.success->metric)),
                               p.success->atLeast ? QStringLiteral("≥") : QStringLiteral("≤"),
                               formatReportValue(p.success->threshold), esc(p.success->toString()));
        m_out += keyRow(QStringLiteral("Success criterion"), success);
        m_out += keyRow(QStringLiteral("Latency budget"),
                        p.maxLatencyMs ? QStringLiteral("one row within %1 (99th percentile of single-row "
                                                        "predictions of the whole pipeline)")
                                             .arg(milliseconds(*p.maxLatencyMs))
                                       : QStringLiteral("<span class=\"muted\">none</span>"));
        static const char* const interpretability[] = {
            "not decided", "not needed — only the predictions matter", "preferred — explanations help",
            "required — every prediction must be explainable (linear models, shallow trees)"};
        m_out += keyRow(QStringLiteral("Interpretability"),
                        p.interpretability == workflow::Interpretability::Unspecified
                            ? QStringLiteral("<span class=\"muted\">not decided</span>")
                            : esc(QString::fromUtf8(interpretability[int(p.interpretability)])));
        m_out += keyRow(QStringLiteral("Retraining"),
                        p.retraining == workflow::RetrainingCadence::Unspecified
                            ? QStringLiteral("<span class=\"muted\">not decided</span>")
                            : esc(QString::fromLatin1(workflow::toString(p.retraining))));
        m_out += QStringLiteral("</table>\n");
        if (const auto conflict = workflow::interpretabilityConflict(p.interpretability, m_recipe.model))
            m_out += QStringLiteral("<p class=\"warn\">%1 %2</p>\n")
                         .arg(esc(QString::fromStdString(conflict->seen)), esc(QString::fromStdString(conflict->fix)));
    }

    void dataSummary()
    {
        section(QStringLiteral("Data"));
        m_out += QStringLiteral("<table class=\"grid\" width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
        m_out += keyRow(QStringLiteral("Source"), esc(m_recipe.data.describe()));
        if (m_in.table) {
            m_out += keyRow(QStringLiteral("Rows × columns"), QStringLiteral("%1 × %2").arg(
                                                                  count(m_in.table->rowCount()),
                                                                  count(m_in.table->columnCount())));
        }
        QString split = QStringLiteral("%1 training rows").arg(count(m_result.trainRowCount));
        if (!m_result.trainingOnlySteps.empty())
            split += QStringLiteral(" (after the steps that change the training rows only)");
        if (!m_result.validationRows.empty())
            split += QStringLiteral(", %1 validation rows").arg(count(m_result.validationRows.size()));
        split += m_result.separateTestData
                     ? QStringLiteral(", %1 rows of separate test data").arg(count(m_result.testRows.size()))
                     : QStringLiteral(", %1 test rows").arg(count(m_result.testRows.size()));
        m_out += keyRow(QStringLiteral("Rows used"), split);
        if (!m_recipe.prep.dropColumns.empty()) {
            QStringList dropped;
            for (const auto& column : m_recipe.prep.dropColumns)
                dropped << esc(column);
            m_out += keyRow(QStringLiteral("Columns left out"), dropped.join(QStringLiteral(", ")));
        }
        m_out += QStringLiteral("</table>\n");

        if (m_task != core::TaskType::Classification || !m_in.table || !m_in.table->hasColumn(m_recipe.problem.target))
            return;
        const workflow::TargetClasses classes = workflow::encodeClasses(m_in.table->column(m_recipe.problem.target));
        std::vector<std::size_t> counts(classes.labels.size(), 0);
        std::size_t missing = 0;
        for (const int c : classes.rowClass) {
            if (c < 0)
                ++missing;
            else
                ++counts[std::size_t(c)];
        }
        const std::size_t labelled = m_in.table->rowCount() - missing;
        m_out += QStringLiteral("<h3>Class balance of “%1”</h3>\n").arg(esc(m_recipe.problem.target));
        m_out += QStringLiteral("<table class=\"grid\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><thead><tr>"
                                "<th>Class</th><th>Rows</th><th>Share</th></tr></thead>");
        for (std::size_t c = 0; c < counts.size(); ++c)
            m_out += QStringLiteral("<tr><td>%1</td><td class=\"num\" align=\"right\">%2</td>"
                                    "<td class=\"num\" align=\"right\">%3</td></tr>")
                         .arg(esc(classes.labels[c]), count(counts[c]),
                              percent(labelled > 0 ? double(counts[c]) / double(labelled) : 0.0));
        m_out += QStringLiteral("</table>\n");
        if (missing > 0)
            m_out += QStringLiteral("<p class=\"muted\">%1 rows have no target value and were not used.</p>\n")
                         .arg(count(missing));
    }

    void recipe()
    {
        section(QStringLiteral("Recipe"));
        const auto& prep = m_recipe.prep;
        m_out += QStringLiteral("<table class=\"grid\" width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
        m_out += keyRow(QStringLiteral("Prep steps"), stepsList(prep.steps));
        m_out += keyRow(QStringLiteral("Feature steps"), stepsList(m_recipe.features.steps));
        if (m_result.pipeline) {
            QStringList fitted;
            for (const auto& step : m_result.pipeline->steps())
                fitted << QStringLiteral("<li>%1</li>").arg(esc(step->describe()));
            m_out += keyRow(QStringLiteral("Fitted pipeline"),
                            fitted.isEmpty() ? QStringLiteral("<span class=\"muted\">no fitted steps</span>")
                                             : QStringLiteral("<ol class=\"steps\">%1</ol>")
                                                   .arg(fitted.join(QString())));
        }
        if (!m_result.trainingOnlySteps.empty()) {
            QStringList only;
            for (const auto& step : m_result.trainingOnlySteps)
                only << esc(step);
            m_out += keyRow(QStringLiteral("Training rows only"), only.join(QStringLiteral("; ")));
        }
        QString split;
        if (m_result.separateTestData) {
            split = QStringLiteral("trained on all rows, tested on separate data");
        } else if (!prep.timeColumn.empty()) {
            split = QStringLiteral("by time on “%1”: oldest rows train, newest %2 test")
                        .arg(esc(prep.timeColumn), percent(prep.testSize));
        } else {
            split = QStringLiteral("random, %1 test").arg(percent(prep.testSize));
            if (prep.stratify && m_task == core::TaskType::Classification)
                split += QStringLiteral(", stratified");
        }
        if (prep.validationSize > 0.0)
            split += QStringLiteral(", %1 validation").arg(percent(prep.validationSize));
        m_out += keyRow(QStringLiteral("Split"), split);
        m_out += keyRow(QStringLiteral("Seed"), QString::number(m_recipe.seed));
        m_out += keyRow(QStringLiteral("Model"), QStringLiteral("%1 <span class=\"muted\">(%2)</span>")
                                                     .arg(esc(modelName(m_recipe.model.name)), esc(m_recipe.model.name)));
        m_out += keyRow(QStringLiteral("Hyper-parameters"),
                        m_result.pipeline ? paramsText(m_result.pipeline->model().params().all())
                                          : paramsText(m_recipe.model.params));
        QString fit = QStringLiteral("%1 s").arg(QString::number(m_result.timings.fitSeconds, 'f', 2));
        if (!m_result.fit.message.empty())
            fit += QStringLiteral(" — %1").arg(esc(m_result.fit.message));
        else if (m_result.fit.iterations > 0)
            fit += m_result.fit.iterations == 1 ? QStringLiteral(" — 1 iteration")
                                                : QStringLiteral(" — %1 iterations").arg(m_result.fit.iterations);
        if (!m_result.fit.converged)
            fit += QStringLiteral(" — <span class=\"warn\">did not converge</span>");
        m_out += keyRow(QStringLiteral("Fit"), fit);
        if (const auto& cv = m_result.crossValidation) {
            QStringList folds;
            for (const double score : cv->scores)
                folds << formatReportValue(score);
            m_out += keyRow(QStringLiteral("Cross-validation"),
                            QStringLiteral("%1 on the training rows, %2 = %3 ± %4 <span class=\"muted\">(folds: %5)</span>")
                                .arg(esc(cvName(cv->strategy)), esc(metricName(m_task, cv->metric)),
                                     formatReportValue(cv->mean), formatReportValue(cv->std),
                                     folds.join(QStringLiteral(", "))));
        } else if (m_recipe.crossValidation) {
            m_out += keyRow(QStringLiteral("Cross-validation"), esc(cvName(evaluation::toString(*m_recipe.crossValidation))));
        }
        if (const auto& search = m_result.search) {
            QString text = QStringLiteral("%1 over %2 candidates, %3 by %4 cross-validation")
                               .arg(esc(search->kind), count(search->candidates.size()),
                                    esc(metricName(m_task, search->metric)), esc(cvName(search->strategy)));
            if (search->best < search->candidates.size()) {
                const auto& best = search->candidates[search->best];
                text += QStringLiteral("; best: %1 with %2 ± %3")
                            .arg(paramsText(best.params), formatReportValue(best.mean), formatReportValue(best.std));
            }
            m_out += keyRow(QStringLiteral("Search"), text);
        }
        m_out += QStringLiteral("</table>\n");
        if (!m_result.warnings.empty()) {
            m_out += QStringLiteral("<p class=\"warn\"><b>Run warnings:</b></p><ul>");
            for (const auto& warning : m_result.warnings)
                m_out += QStringLiteral("<li class=\"warn\">%1</li>").arg(esc(warning));
            m_out += QStringLiteral("</ul>\n");
        }
    }

    void estimateCheck()
    {
        const auto& check = m_result.estimateCheck;
        if (!check.train && !check.estimate && !check.test)
            return;
        resultsSection(QStringLiteral("Estimate check"));
        m_out += QStringLiteral("<p>%1 measured three ways: on the rows the model trained on, without the test rows "
                                "(%2), and on the test rows.</p>\n")
                     .arg(esc(metricName(m_task, check.metric)),
                          check.estimateSource.empty() ? QStringLiteral("no estimate: use cross-validation or "
                                                                        "validation rows")
                                                       : esc(check.estimateSource));
        QString estimate = orDash(check.estimate);
        if (check.estimate && check.estimateSpread > 0.0)
            estimate += QStringLiteral(" ± %1").arg(formatReportValue(check.estimateSpread));
        m_out += QStringLiteral("<table class=\"grid\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><thead><tr>"
                                "<th>Metric</th><th>Train</th><th>Estimate</th><th>Test</th></tr></thead>"
                                "<tr><td>%1</td><td class=\"num\" align=\"right\">%2</td>"
                                "<td class=\"num\" align=\"right\">%3</td><td class=\"num\" align=\"right\">%4</td>"
                                "</tr></table>\n")
                     .arg(esc(metricName(m_task, check.metric)), orDash(check.train), estimate, orDash(check.test));
        if (check.warnings.empty()) {
            m_out += QStringLiteral("<p class=\"muted\">The numbers agree: no sign of overfitting or of a lucky "
                                    "split.</p>\n");
        } else {
            for (const auto& warning : check.warnings)
                m_out += QStringLiteral("<p class=\"warn\">⚠ %1</p>\n").arg(esc(warning));
        }
    }

    void metrics()
    {
        resultsSection(QStringLiteral("Metrics on the test rows"));
        const bool withValidation = m_result.validationClassification || m_result.validationRegression;
        const std::string successMetric = m_in.verdict ? m_in.verdict->criterion.metric : std::string();
        m_out += QStringLiteral("<table class=\"grid\" width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">"
                                "<thead><tr><th>Metric</th><th>Test</th>%1<th>What it measures</th></tr></thead>")
                     .arg(withValidation ? QStringLiteral("<th>Validation</th>") : QString());
        bool anyMissing = false;
        for (const auto& info : evaluation::metricsFor(m_task)) {
            const bool star = info.name == successMetric;
            const std::optional<double> threshold =
                star && m_in.verdict ? std::optional<double>(m_in.verdict->criterion.threshold) : std::nullopt;
            QString row = QStringLiteral("<tr><td%1>%2%3<br><span class=\"help\">%4 · %5</span></td>")
                              .arg(star ? QStringLiteral(" class=\"star\"") : QString(), esc(info.displayName),
                                   star ? QStringLiteral(" ★") : QString(), esc(info.name),
                                   info.higherIsBetter ? QStringLiteral("higher is better")
                                                       : QStringLiteral("lower is better"));
            const std::optional<double> test = valueOf(m_result, info.name);
            anyMissing = anyMissing || !test;
            row += QStringLiteral("<td class=\"num\" align=\"right\">%1</td>").arg(orDash(test, threshold));
            if (withValidation) {
                const auto value = m_result.validationClassification ? valueIn(m_result.validationClassification, info.name)
                                                                     : valueIn(m_result.validationRegression, info.name);
                anyMissing = anyMissing || !value;
                row += QStringLiteral("<td class=\"num\" align=\"right\">%1</td>").arg(orDash(value));
            }
            row += QStringLiteral("<td class=\"help\">%1</td></tr>").arg(esc(info.help));
            m_out += row;
        }
        m_out += QStringLiteral("</table>\n");
        QStringList notes;
        if (anyMissing)
            notes << QStringLiteral("— : not computed (a class is missing from the rows, or the model gives no "
                                    "probabilities).");
        if (!successMetric.empty())
            notes << QStringLiteral("★ marks the success metric.");
        if (!notes.isEmpty())
            m_out += QStringLiteral("<p class=\"muted\">%1</p>\n").arg(notes.join(QLatin1Char(' ')));
    }

    std::vector<std::string> classNames() const
    {
        if (m_result.pipeline)
            return m_result.pipeline->classes();
        return {};
    }

    QString className(std::size_t c) const
    {
        const auto names = classNames();
        return c < names.size() ? QString::fromStdString(names[c]) : QString::number(c);
    }

    void perClass()
    {
        if (!m_result.classification)
            return;
        const auto& m = *m_result.classification;
        section(QStringLiteral("Per class"));
        m_out += QStringLiteral("<table class=\"grid\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><thead><tr>"
                                "<th>Class</th><th>Precision</th><th>Recall</th><th>F1</th><th>Specificity</th>"
                                "<th>Support</th></tr></thead>");
        for (std::size_t c = 0; c < m.perClass.size(); ++c) {
            const auto& s = m.perClass[c];
            m_out += QStringLiteral("<tr><td>%1</td><td class=\"num\" align=\"right\">%2</td>"
                                    "<td class=\"num\" align=\"right\">%3</td><td class=\"num\" align=\"right\">%4</td>"
                                    "<td class=\"num\" align=\"right\">%5</td><td class=\"num\" align=\"right\">%6</td>"
                                    "</tr>")
                         .arg(esc(className(c)), formatReportValue(s.precision), formatReportValue(s.recall),
                              formatReportValue(s.f1), formatReportValue(s.specificity), count(s.support));
        }
        m_out += QStringLiteral("</table>\n");
    }

    void confusion()
    {
        if (!m_result.classification)
            return;
        const auto& matrix = m_result.classification->confusion;
        if (matrix.empty())
            return;
        section(QStringLiteral("Confusion matrix of the test rows"));
        m_out += QStringLiteral("<p class=\"muted\">Rows: actual class; columns: predicted class. The diagonal "
                                "(shaded) is correct; the share is of the row.</p>\n");
        m_out += QStringLiteral("<table class=\"grid\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><thead>"
                                "<tr><th>actual ↓ · predicted →</th>");
        for (std::size_t c = 0; c < matrix.size(); ++c)
            m_out += QStringLiteral("<th>%1</th>").arg(esc(className(c)));
        m_out += QStringLiteral("<th>Total</th></tr></thead>");
        for (std::size_t r = 0; r < matrix.size(); ++r) {
            std::int64_t total = 0;
            for (const auto cell : matrix[r])
                total += cell;
            m_out += QStringLiteral("<tr><th>%1</th>").arg(esc(className(r)));
            for (std::size_t c = 0; c < matrix[r].size(); ++c) {
                const std::int64_t cell = matrix[r][c];
                const QString share = total > 0 ? percent(double(cell) / double(total)) : QStringLiteral("—");
                m_out += QStringLiteral("<td class=\"%1\" align=\"right\">%2 <span class=\"help\">(%3)</span></td>")
                             .arg(r == c ? QStringLiteral("num hit") : QStringLiteral("num"),
                                  QString::number(cell), share);
            }
            m_out += QStringLiteral("<td class=\"num\" align=\"right\">%1</td></tr>").arg(QString::number(total));
        }
        m_out += QStringLiteral("</table>\n");
    }

    void classificationReport()
    {
        if (!m_result.classification)
            return;
        section(QStringLiteral("Classification report"));
        m_out += QStringLiteral("<p class=\"muted\">As scikit-learn's classification_report prints it.</p>\n");
        m_out += QStringLiteral("<pre>%1</pre>\n")
                     .arg(esc(evaluation::classificationReport(*m_result.classification, classNames(), 3)));
    }

    void leaderboard()
    {
        if (m_result.leaderboard.empty())
            return;
        section(QStringLiteral("Models compared"));
        const QString metric = metricName(m_task, m_result.leaderboardMetric);
        m_out += QStringLiteral("<p>Ranked by %1 on the %2; every model saw the same split, steps and folds. ★ is "
                                "the kept model.</p>\n")
                     .arg(esc(metric), esc(m_result.leaderboardRankedOn));
        m_out += QStringLiteral("<table class=\"grid\" width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">"
                                "<thead><tr><th>#</th><th>Model</th><th>%1 (%2)</th><th>%1 (test)</th>"
                                "<th>Fit</th></tr></thead>")
                     .arg(esc(metric), esc(m_result.leaderboardRankedOn));
        int rank = 0;
        for (const auto& entry : m_result.leaderboard) {
            ++rank;
            QString ranked = QStringLiteral("—");
            if (entry.crossValidation)
                ranked = QStringLiteral("%1 ± %2").arg(formatReportValue(entry.crossValidation->mean),
                                                      formatReportValue(entry.crossValidation->std));
            else if (entry.validationScore)
                ranked = formatReportValue(*entry.validationScore);
            else if (m_result.leaderboardRankedOn == "test rows")
                ranked = orDash(entry.classification ? valueIn(entry.classification, m_result.leaderboardMetric)
                                                     : valueIn(entry.regression, m_result.leaderboardMetric));
            const auto test = entry.classification ? valueIn(entry.classification, m_result.leaderboardMetric)
                                                   : valueIn(entry.regression, m_result.leaderboardMetric);
            m_out += QStringLiteral("<tr><td align=\"right\">%1</td><td%2>%3%4<br><span class=\"help\">%5</span></td>"
                                    "<td class=\"num\" align=\"right\">%6</td><td class=\"num\" align=\"right\">%7</td>"
                                    "<td class=\"num\" align=\"right\">%8 s</td></tr>")
                         .arg(QString::number(rank), entry.kept ? QStringLiteral(" class=\"star\"") : QString(),
                              esc(modelName(entry.model.name)), entry.kept ? QStringLiteral(" ★") : QString(),
                              entry.pipeline ? paramsText(entry.pipeline->model().params().all())
                                             : paramsText(entry.model.params),
                              ranked, orDash(test), QString::number(entry.fitSeconds, 'f', 2));
        }
        m_out += QStringLiteral("</table>\n");
    }

    void audit()
    {
        section(QStringLiteral("Audit"));
        if (m_result.audit.empty()) {
            m_out += QStringLiteral("<p class=\"muted\">The leakage and data-health audit found nothing.</p>\n");
            return;
        }
        m_out += QStringLiteral("<table class=\"grid\" width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">"
                                "<thead><tr><th>Severity</th><th>Finding</th><th>What to do</th></tr></thead>");
        for (const auto& finding : m_result.audit) {
            QString columns;
            if (!finding.columns.empty()) {
                QStringList names;
                for (const auto& column : finding.columns)
                    names << esc(column);
                columns = QStringLiteral("<br><span class=\"help\">%1</span>").arg(names.join(QStringLiteral(", ")));
            }
            const bool serious = finding.severity != workflow::AuditSeverity::Info;
            m_out += QStringLiteral("<tr><td%1>%2</td><td>%3%4</td><td>%5</td></tr>")
                         .arg(serious ? QStringLiteral(" class=\"warn\"") : QString(),
                              esc(QString::fromLatin1(workflow::toString(finding.severity))), esc(finding.message),
                              columns, esc(finding.fix));
        }
        m_out += QStringLiteral("</table>\n");
    }

    void figures()
    {
        if (m_in.figures.isEmpty())
            return;
        m_out += QStringLiteral("<h2 style=\"page-break-before: always;\">Charts</h2>\n");
        for (qsizetype i = 0; i < m_in.figures.size(); ++i) {
            progress(0.1 + 0.8 * double(i) / double(m_in.figures.size()), "Adding the charts");
            const ReportFigure& figure = m_in.figures[i];
            if (!figure.title.isEmpty())
                m_out += QStringLiteral("<h3>%1</h3>\n").arg(esc(figure.title));
            if (!figure.image.isNull()) {
                const QString source = m_images == ReportImages::Inline
                                           ? pngDataUri(figure.image)
                                           : QStringLiteral("figure-%1.png").arg(i + 1);
                m_out += QStringLiteral("<p><img src=\"%1\" width=\"%2\" alt=\"%3\"></p>\n")
                             .arg(source, QString::number(figureWidth(figure.image)), esc(figure.title));
            }
            if (!figure.caption.isEmpty())
                m_out += QStringLiteral("<p class=\"caption\">%1</p>\n").arg(esc(figure.caption));
        }
    }

    const EvaluationReportInput& m_in;
    const workflow::RunResult& m_result;
    const workflow::Recipe& m_recipe;
    core::TaskType m_task;
    ReportImages m_images;
    core::TaskControl* m_control;
    QString m_out;
    bool m_resultsStarted = false;
};

/// The document laid out on pages of `device`: `paper` is the whole sheet and `body` the
/// printed area, both in device pixels.
struct PageSetup {
    QRectF paper;
    QRectF body;
    double dpi = 96.0;
};

/// The PDF's resolution; previews lay out at it too, so they break pages the same way.
constexpr double kPdfDpi = 300.0;

PageSetup a4Setup(double dpi)
{
    const QSizeF mm = QPageSize(QPageSize::A4).size(QPageSize::Millimeter);
    const double perMm = dpi / 25.4;
    PageSetup setup;
    setup.dpi = dpi;
    setup.paper = QRectF(0, 0, mm.width() * perMm, mm.height() * perMm);
    setup.body = setup.paper.adjusted(kMarginMm * perMm, kMarginMm * perMm, -kMarginMm * perMm,
                                      -(kMarginMm + kFooterMm) * perMm);
    return setup;
}

int layOut(QTextDocument& document, QPaintDevice* device, const PageSetup& setup)
{
    document.documentLayout()->setPaintDevice(device);
    // The body's own margins are ours; the document adds none of its own.
    document.setDocumentMargin(0);
    document.setPageSize(setup.body.size());
    return std::max(1, document.pageCount());
}

void paintPage(QPainter& painter, QTextDocument& document, const PageSetup& setup, int page, int pageCount,
               const QString& footer)
{
    painter.save();
    painter.translate(setup.body.left(), setup.body.top() - page * setup.body.height());
    QAbstractTextDocumentLayout::PaintContext context;
    context.clip = QRectF(0, page * setup.body.height(), setup.body.width(), setup.body.height());
    context.palette.setColor(QPalette::Text, Qt::black);
    painter.setClipRect(context.clip);
    document.documentLayout()->draw(&painter, context);
    painter.restore();

    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(7.5);
    painter.save();
    painter.setFont(QFont(font, painter.device()));
    painter.setPen(QColor(0x5f, 0x63, 0x68));
    const double perMm = setup.dpi / 25.4;
    const QRectF line(setup.body.left(), setup.body.bottom() + 3.0 * perMm, setup.body.width(), 5.0 * perMm);
    painter.drawLine(QPointF(line.left(), line.top()), QPointF(line.right(), line.top()));
    const QRectF text = line.adjusted(0, 1.2 * perMm, 0, 0);
    painter.drawText(text, Qt::AlignLeft | Qt::AlignTop, footer);
    painter.drawText(text, Qt::AlignRight | Qt::AlignTop,
                     QStringLiteral("page %1 of %2").arg(page + 1).arg(pageCount));
    painter.restore();
}

QString footerText(const EvaluationReportInput& input)
{
    return QStringLiteral("Stepwise evaluation report · %1 · %2")
        .arg(modelName(input.recipe.model.name), input.created.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
}

[[noreturn]] void writeFailed(const QString& path, const QString& reason)
{
    std::string message = "could not write the report to '";
    message.append(QDir::toNativeSeparators(path).toStdString());
    message.append("': ");
    message.append(reason.toStdString());
    message.append(" — choose a folder you can write to");
    throw core::Error(message);
}

void requireResult(const EvaluationReportInput& input)
{
    if (!input.result || !input.result->pipeline)
        throw core::InvalidParameter(
            "there is no trained model to report on — train one on the Training step first");
}

} // namespace

ReportFigure grabFigure(QWidget* widget, const QString& title, const QString& caption, qreal scale)
{
    ReportFigure figure;
    figure.title = title;
    figure.caption = caption;
    if (!widget || widget->size().isEmpty())
        return figure;
    const qreal ratio = std::max<qreal>(scale, 1.0);
    QImage image(widget->size() * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::white);
    widget->render(&image);
    figure.image = image;
    return figure;
}

EvaluationReportInput evaluationReportInput(const Session& session, QList<ReportFigure> figures)
{
    EvaluationReportInput input;
    input.recipe = session.resultRecipe();
    const auto& now = session.recipe().problem;
    input.recipe.problem.objective = now.objective;
    input.recipe.problem.success = now.success;
    input.recipe.problem.maxLatencyMs = now.maxLatencyMs;
    input.result = session.result();
    input.table = session.table();
    input.verdict = session.verdict();
    input.latencyVerdict = session.latencyVerdict();
    input.resultIsCurrent = session.hasCurrentResult();
    input.created = QDateTime::currentDateTime();
    input.figures = std::move(figures);
    return input;
}

QString formatReportValue(double value, std::optional<double> threshold)
{
    if (!std::isfinite(value))
        return QStringLiteral("n/a");
    const double magnitude = std::abs(value);
    if (magnitude != 0.0 && magnitude < 0.001)
        return QString::number(value, 'g', 3);
    int decimals = magnitude >= 1000 ? 1 : 3;
    QString text = QString::number(value, 'f', decimals);
    // 0.7496 must not print as "0.750" beside a goal of 0.75.
    while (threshold && value != *threshold && text.toDouble() == *threshold && decimals < 10)
        text = QString::number(value, 'f', ++decimals);
    return text;
}

QString evaluationReportHtml(const EvaluationReportInput& input, ReportImages images, core::TaskControl* control)
{
    requireResult(input);
    return ReportWriter(input, images, control).html();
}

std::unique_ptr<QTextDocument> evaluationReportDocument(const EvaluationReportInput& input, core::TaskControl* control)
{
    requireResult(input);
    auto document = std::make_unique<QTextDocument>();
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9.5);
    document->setDefaultFont(font);
    for (qsizetype i = 0; i < input.figures.size(); ++i) {
        if (!input.figures[i].image.isNull())
            document->addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("figure-%1.png").arg(i + 1)),
                                  input.figures[i].image);
    }
    document->setHtml(evaluationReportHtml(input, ReportImages::Resources, control));
    return document;
}

void writeEvaluationReportHtml(const EvaluationReportInput& input, const QString& path, core::TaskControl* control)
{
    const QByteArray bytes = evaluationReportHtml(input, ReportImages::Inline, control).toUtf8();
    if (control)
        control->progress(0.95, "Writing the file");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        writeFailed(path, file.errorString());
    if (file.write(bytes) != bytes.size())
        writeFailed(path, file.errorString());
    if (!file.commit())
        writeFailed(path, file.errorString());
}

int writeEvaluationReportPdf(const EvaluationReportInput& input, const QString& path, core::TaskControl* control)
{
    std::unique_ptr<QTextDocument> document = evaluationReportDocument(input, control);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        writeFailed(path, file.errorString());
    int pages = 0;
    {
        QPdfWriter writer(&file);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setResolution(int(kPdfDpi));
        writer.setTitle(QStringLiteral("Evaluation report — %1").arg(modelName(input.recipe.model.name)));
        writer.setCreator(QStringLiteral("Stepwise %1").arg(QString::fromLatin1(core::kVersion)));
        const PageSetup setup = a4Setup(writer.resolution());
        pages = layOut(*document, &writer, setup);
        QPainter painter;
        if (!painter.begin(&writer))
            writeFailed(path, QStringLiteral("the PDF writer did not start"));
        const QString footer = footerText(input);
        for (int page = 0; page < pages; ++page) {
            if (control)
                control->progress(0.9 + 0.1 * double(page) / double(pages), "Printing the pages");
            if (page > 0)
                writer.newPage();
            paintPage(painter, *document, setup, page, pages, footer);
        }
        painter.end();
    }
    if (!file.commit())
        writeFailed(path, file.errorString());
    return pages;
}

void writeEvaluationReport(const EvaluationReportInput& input, const QString& path, core::TaskControl* control)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf")) {
        writeEvaluationReportPdf(input, path, control);
    } else if (suffix == QLatin1String("html") || suffix == QLatin1String("htm")) {
        writeEvaluationReportHtml(input, path, control);
    } else {
        std::string message = "report file '";
        message.append(path.toStdString());
        message.append("' must end in .pdf or .html");
        throw core::InvalidParameter(message);
    }
}

QImage renderEvaluationReportPage(const EvaluationReportInput& input, int page, double dpi, int* pageCount)
{
    std::unique_ptr<QTextDocument> document = evaluationReportDocument(input);
    // Laid out at the PDF's resolution: text metrics differ between resolutions, and
    // with them the page breaks; the page is then scaled to `dpi`.
    const PageSetup setup = a4Setup(kPdfDpi);
    QImage image(setup.paper.size().toSize(), QImage::Format_RGB32);
    image.setDotsPerMeterX(int(std::lround(kPdfDpi / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(kPdfDpi / 0.0254)));
    image.fill(Qt::white);
    const int pages = layOut(*document, &image, setup);
    if (pageCount)
        *pageCount = pages;
    if (page < 0 || page >= pages) {
        std::string message = "page ";
        message.append(std::to_string(page));
        message.append(" is not in the report — it has ");
        message.append(std::to_string(pages));
        message.append(" pages (0-based)");
        throw core::InvalidParameter(message);
    }
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    paintPage(painter, *document, setup, page, pages, footerText(input));
    painter.end();
    const QSizeF size = a4Setup(dpi).paper.size();
    return image.scaled(size.toSize(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

EvaluationReportExport::EvaluationReportExport(Session* session, StatusBanner* banner, QWidget* parent)
    : QObject(parent), m_session(session), m_banner(banner), m_dialogParent(parent),
      m_task(new BackgroundTask(tr("Exporting the report"), this))
{
    setObjectName(QStringLiteral("evaluationReportExport"));
    connect(m_task, &BackgroundTask::finished, this, [this] {
        if (m_task->state() == BackgroundTask::State::Failed) {
            const QString message = m_task->errorMessage();
            if (m_banner)
                m_banner->setMessage(QStringLiteral("report"), StatusBanner::Level::Error,
                                     tr("The report was not saved: %1").arg(message));
            emit failed(message);
        }
    });
}

void EvaluationReportExport::chooseFileAndExport(const QList<ReportFigure>& figures)
{
    if (!m_session->result()) {
        if (m_banner)
            m_banner->setMessage(QStringLiteral("report"), StatusBanner::Level::Info,
                                 tr("There is nothing to report yet — train a model on the Training step."));
        return;
    }
    if (m_folder.isEmpty())
        m_folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString stem = QString::fromStdString(m_session->resultRecipe().problem.target);
    if (stem.isEmpty())
        stem = QStringLiteral("model");
    const QString suggested = QDir(m_folder).filePath(
        QStringLiteral("%1-%2-report.pdf").arg(stem, QString::fromStdString(m_session->resultRecipe().model.name)));
    const QString pdfFilter = tr("PDF document (*.pdf)");
    const QString htmlFilter = tr("Web page, one self-contained file (*.html)");
    QString chosenFilter = pdfFilter;
    QString path = QFileDialog::getSaveFileName(m_dialogParent, tr("Export evaluation report"), suggested,
                                                pdfFilter + QStringLiteral(";;") + htmlFilter, &chosenFilter);
    if (path.isEmpty())
        return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("pdf") && suffix != QLatin1String("html") && suffix != QLatin1String("htm"))
        path += chosenFilter == htmlFilter ? QStringLiteral(".html") : QStringLiteral(".pdf");
    m_folder = QFileInfo(path).absolutePath();
    exportTo(path, figures);
}

void EvaluationReportExport::exportTo(const QString& path, const QList<ReportFigure>& figures)
{
    if (!m_session->result()) {
        const QString message = tr("There is nothing to report yet — train a model on the Training step.");
        if (m_banner)
            m_banner->setMessage(QStringLiteral("report"), StatusBanner::Level::Info, message);
        emit failed(message);
        return;
    }
    QString target = QFileInfo(path).absoluteFilePath();
    if (QFileInfo(target).suffix().isEmpty())
        target += QStringLiteral(".pdf");
    if (m_banner)
        m_banner->clearMessage(QStringLiteral("report"));
    const auto input = std::make_shared<const EvaluationReportInput>(evaluationReportInput(*m_session, figures));
    m_task->start(
        tr("Writing %1").arg(QFileInfo(target).fileName()),
        [input, target](core::TaskControl& control) -> std::any {
            writeEvaluationReport(*input, target, &control);
            return target;
        },
        [this](const std::any& value) {
            m_lastPath = std::any_cast<QString>(value);
            if (m_banner)
                m_banner->setMessage(QStringLiteral("report"), StatusBanner::Level::Success,
                                     tr("Report saved to %1").arg(QDir::toNativeSeparators(m_lastPath)));
            emit exported(m_lastPath);
        });
}

} // namespace stepwise::ui
