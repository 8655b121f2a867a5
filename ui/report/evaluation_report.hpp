#pragma once
/// \file
/// \brief The evaluation report: the verdict, every metric, the recipe and the charts of
/// the last run as one HTML page or a printed PDF, and the "Export report…" action that
/// writes it off the GUI thread.

#include <QDateTime>
#include <QImage>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "stepwise/workflow/runner.hpp"

class QTextDocument;
class QWidget;

namespace stepwise::ui {

class BackgroundTask;
class Session;
class StatusBanner;

/// \brief One chart of the report: a title above the picture, a caption below it.
struct ReportFigure {
    QString title;
    QImage image;  ///< its devicePixelRatio sets the printed size (a 2× grab prints at half its pixels)
    QString caption;
};

/// \brief A picture of `widget` for the report, rendered at `scale` times its size so it
/// stays sharp on paper. GUI thread only (it paints the widget).
ReportFigure grabFigure(QWidget* widget, const QString& title, const QString& caption = {}, qreal scale = 2.0);

/// \brief Everything the report shows, captured on the GUI thread. Only immutable
/// values, so a copy can be written on a worker thread.
struct EvaluationReportInput {
    /// \brief The recipe the result was trained with, carrying the current problem
    /// statement's objective, success criterion and latency budget (they do not change
    /// what was trained, and the report judges against what the user asks now).
    workflow::Recipe recipe;
    std::shared_ptr<const workflow::RunResult> result;
    /// \brief The loaded data (for its size and class balance); may be null.
    std::shared_ptr<const data::Table> table;
    /// \brief The success criterion judged on the result (`Session::verdict`).
    std::optional<evaluation::SuccessVerdict> verdict;
    /// \brief The latency budget judged on the result (`Session::latencyVerdict`).
    std::optional<evaluation::LatencyVerdict> latencyVerdict;
    /// \brief False when the recipe was edited after this result was trained.
    bool resultIsCurrent = true;
    QDateTime created;
    QList<ReportFigure> figures;
};

/// \brief The report input of `session`'s last result (which must exist) with `figures`.
EvaluationReportInput evaluationReportInput(const Session& session, QList<ReportFigure> figures = {});

/// \brief A metric value as the report prints it: three decimals (one from 1000 up, three
/// significant digits below 0.001), with more decimals when rounding would make a value
/// look equal to `threshold` when it is not. Non-finite values print as "n/a".
QString formatReportValue(double value, std::optional<double> threshold = std::nullopt);

/// \brief How the report's HTML refers to its figures.
enum class ReportImages {
    Inline,     ///< `data:image/png;base64,…` URIs: one self-contained file
    Resources,  ///< `figure-N.png` names, added to a QTextDocument as image resources
};

/// \brief The report as HTML with a print-friendly style sheet that browsers and
/// QTextDocument both render. Throws `InvalidParameter` when `input` has no result;
/// with `control`, honours cancel between figures.
QString evaluationReportHtml(const EvaluationReportInput& input, ReportImages images = ReportImages::Inline,
                             core::TaskControl* control = nullptr);

/// \brief The report as a QTextDocument, figures added as image resources. Safe on any
/// thread: the document belongs to the calling thread.
std::unique_ptr<QTextDocument> evaluationReportDocument(const EvaluationReportInput& input,
                                                        core::TaskControl* control = nullptr);

/// \brief Writes one self-contained HTML file (UTF-8, figures inline) atomically: on any
/// failure `path` is left as it was and `core::Error` says why.
void writeEvaluationReportHtml(const EvaluationReportInput& input, const QString& path,
                               core::TaskControl* control = nullptr);

/// \brief Prints the report to an A4 PDF (15 mm margins, "page i of n" footers) atomically;
/// returns the number of pages. Throws `core::Error` on failure, leaving `path` as it was.
int writeEvaluationReportPdf(const EvaluationReportInput& input, const QString& path,
                             core::TaskControl* control = nullptr);

/// \brief Writes `.pdf` as PDF and `.html`/`.htm` as HTML; any other suffix throws
/// `InvalidParameter`.
void writeEvaluationReport(const EvaluationReportInput& input, const QString& path,
                           core::TaskControl* control = nullptr);

/// \brief Page `page` (0-based) of the printed report as a picture at `dpi`, laid out as
/// the PDF is; the page count goes to `pageCount`. For previews and tests.
QImage renderEvaluationReportPage(const EvaluationReportInput& input, int page, double dpi = 96.0,
                                  int* pageCount = nullptr);

/// \brief The "Export report…" action of the Evaluation page: asks for a file (PDF or
/// HTML by the chosen filter), writes the report on its own background slot and says in
/// `banner` (when given) where it went or why it failed. Usage on the page:
/// `m_reportExport = new EvaluationReportExport(session, banner(), this);` and on the
/// button `m_reportExport->chooseFileAndExport(figures)`.
class EvaluationReportExport : public QObject {
    Q_OBJECT
public:
    /// \brief `parent` is also the file dialog's parent.
    EvaluationReportExport(Session* session, StatusBanner* banner, QWidget* parent);

    /// \brief Asks for a file name, then exports to it (nothing happens on cancel). Says in
    /// the banner when there is no result to report.
    void chooseFileAndExport(const QList<ReportFigure>& figures);
    /// \brief Writes the report of the current result to `path` in the background; the
    /// suffix chooses the format (".pdf", ".html"; none: PDF).
    void exportTo(const QString& path, const QList<ReportFigure>& figures);
    /// \brief The background slot writing the report (for progress displays and tests).
    BackgroundTask* task() const { return m_task; }
    /// \brief Where the last report went (empty until one was written).
    const QString& lastPath() const { return m_lastPath; }

signals:
    /// \brief The report was written to `path`.
    void exported(const QString& path);
    /// \brief Writing failed; `message` says why and what to do.
    void failed(const QString& message);

private:
    Session* m_session;
    StatusBanner* m_banner;
    QWidget* m_dialogParent;
    BackgroundTask* m_task;
    QString m_folder;
    QString m_lastPath;
};

} // namespace stepwise::ui
