// The evaluation report of real runs (a random forest compared with a logistic
// regression under 3-fold cross-validation on builtin:titanic; ridge on builtin:tips): the
// HTML names every metric of the task with its value as printed, the verdict, the recipe's
// model, steps, cross-validation and leaderboard, and carries the figure as a data URI
// that decodes to the same picture; the PDF starts with %PDF, has as many page objects as
// pages printed, and its document holds every metric; the latency verdict and the estimate
// check read as the result says; a read-only folder gives a clear error and leaves no file,
// nor does cancelling mid-print; the export action writes in the background and says in the
// banner where the report went or why it did not. With STEPWISE_TEST_PICTURES=DIR the
// printed pages and a text-browser view of the HTML are saved there as PNG files to look at.
#include <QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextDocument>

#include "models/confusion_matrix_model.hpp"
#include "report/evaluation_report.hpp"
#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/prep/step.hpp"
#include "tasks/background_task.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/status_banner.hpp"

using namespace stepwise;
using ui::EvaluationReportInput;
using ui::ReportFigure;

namespace {

bool trainBuiltin(ui::Session& session, const char* name)
{
    session.setObjective(QStringLiteral("Report on a trained model"));
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = name;
    QSignalSpy loaded(&session, &ui::Session::dataChanged);
    session.loadData(source);
    if (!loaded.wait(30000) || !session.table())
        return false;
    QSignalSpy result(&session, &ui::Session::resultChanged);
    session.train();
    return result.wait(120000) && session.result();
}

QString html(const QString& text) { return text.toHtmlEscaped(); }

std::optional<double> metricOf(const workflow::RunResult& result, const std::string& name)
{
    return result.classification ? evaluation::metricValue(*result.classification, name)
                                 : evaluation::metricValue(*result.regression, name);
}

QString pictureFolder() { return qEnvironmentVariable("STEPWISE_TEST_PICTURES"); }

void savePicture(const QImage& image, const QString& name)
{
    const QString folder = pictureFolder();
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    QVERIFY(image.save(QDir(folder).filePath(name)));
}

/// A folder the test cannot write into: a read-only temporary folder, or, when the
/// process ignores permissions (root), /sys, which no one can create files in.
QString unwritableFolder(const QTemporaryDir& temp)
{
    const QString folder = temp.filePath(QStringLiteral("read-only"));
    QDir().mkpath(folder);
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup);
    QFile probe(QDir(folder).filePath(QStringLiteral("probe")));
    if (!probe.open(QIODevice::WriteOnly))
        return folder;
    probe.close();
    probe.remove();
    return QStringLiteral("/sys");
}

QStringList reportFilesIn(const QString& folder)
{
    return QDir(folder).entryList({QStringLiteral("stepwise-report*")}, QDir::Files | QDir::Hidden | QDir::System);
}

} // namespace

class TestEvaluationReport : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<ui::Session> m_titanic;
    std::unique_ptr<ui::Session> m_tips;
    ReportFigure m_figure;

    EvaluationReportInput titanicInput() const { return ui::evaluationReportInput(*m_titanic, {m_figure}); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_titanic = std::make_unique<ui::Session>();
        m_titanic->setSuccess(evaluation::SuccessCriterion{"f1_macro", true, 0.7});
        workflow::Recipe recipe = m_titanic->recipe();
        recipe.model.params["n_estimators"] = "40";
        recipe.compareWith = {workflow::ModelChoice{"logistic_regression", {}}};
        recipe.crossValidation = evaluation::CvSpec{evaluation::CvStrategy::StratifiedKFold, 3, 0};
        m_titanic->editRecipe(recipe, QStringLiteral("fewer trees, one more model, 3-fold cross-validation"));
        QVERIFY(trainBuiltin(*m_titanic, "titanic"));
        QVERIFY(m_titanic->result()->classification);

        m_tips = std::make_unique<ui::Session>();
        m_tips->setTask(core::TaskType::Regression);
        recipe = m_tips->recipe();
        recipe.model.name = "ridge";
        m_tips->editRecipe(recipe, QStringLiteral("ridge"));
        QVERIFY(trainBuiltin(*m_tips, "tips"));
        QVERIFY(m_tips->result()->regression);

        // A real chart of the run: the confusion matrix heatmap, grabbed at twice its size.
        ui::ConfusionMatrixModel model;
        const auto& classes = m_titanic->result()->pipeline->classes();
        QStringList names;
        for (const auto& name : classes)
            names << QString::fromStdString(name);
        model.setMatrix(m_titanic->result()->classification->confusion, names);
        ui::HeatmapWidget heatmap;
        heatmap.setModel(&model);
        heatmap.resize(420, 320);
        m_figure = ui::grabFigure(&heatmap, QStringLiteral("Confusion matrix"),
                                  QStringLiteral("Counts of the test rows, actual by predicted."));
        QCOMPARE(m_figure.image.size(), QSize(840, 640));
        QCOMPARE(m_figure.image.devicePixelRatio(), 2.0);
    }

    void htmlHasEveryMetricTheVerdictAndTheRecipe()
    {
        const EvaluationReportInput input = titanicInput();
        const auto& result = *input.result;
        const QString text = ui::evaluationReportHtml(input);

        // Every metric of the task: its name, report spelling, value as printed, help sentence.
        const auto verdict = m_titanic->verdict();
        QVERIFY(verdict);
        for (const auto& info : evaluation::metricsFor(core::TaskType::Classification)) {
            QVERIFY2(text.contains(html(QString::fromStdString(info.displayName))), info.name.c_str());
            QVERIFY2(text.contains(html(QString::fromStdString(info.help))), info.name.c_str());
            const auto value = metricOf(result, info.name);
            const std::optional<double> threshold =
                info.name == "f1_macro" ? std::optional<double>(0.7) : std::nullopt;
            const QString printed = value ? ui::formatReportValue(*value, threshold) : QStringLiteral("—");
            const QString cell = QStringLiteral("align=\"right\">%1</td>").arg(printed);
            QVERIFY2(text.contains(cell), qPrintable(QStringLiteral("%1: %2").arg(
                                              QString::fromStdString(info.name), printed)));
        }
        QCOMPARE(ui::formatReportValue(0.81234), QStringLiteral("0.812"));
        QCOMPARE(ui::formatReportValue(0.74996, 0.75), QStringLiteral("0.74996"));
        QCOMPARE(ui::formatReportValue(1234.567), QStringLiteral("1234.6"));
        QCOMPARE(ui::formatReportValue(0.000123456), QStringLiteral("0.000123"));

        // The verdict with its numbers.
        const QString outcome = verdict->passed ? QStringLiteral("PASS") : QStringLiteral("FAIL");
        QVERIFY(text.contains(QStringLiteral("%1</span> — F1 (macro) = <b>%2</b> on the %3 test rows")
                                  .arg(outcome, ui::formatReportValue(*verdict->value, 0.7))
                                  .arg(result.testRows.size())));
        QVERIFY(text.contains(QStringLiteral("the goal was F1 (macro) ≥ 0.700")));

        // The recipe: model, its parameters as fitted, every enabled step in words.
        const workflow::Recipe& recipe = m_titanic->resultRecipe();
        QVERIFY(text.contains(QStringLiteral("Random forest <span class=\"muted\">(random_forest)</span>")));
        QVERIFY(text.contains(QStringLiteral("n_estimators=40")));
        for (const auto& step : workflow::pipelineSteps(recipe)) {
            if (step.enabled)
                QVERIFY2(text.contains(html(QString::fromStdString(prep::describeStep(step)))), step.kind.c_str());
        }
        for (const auto& step : result.pipeline->steps())
            QVERIFY(text.contains(html(QString::fromStdString(step->describe()))));
        QVERIFY(text.contains(QStringLiteral("seed</td><td>%1").arg(recipe.seed), Qt::CaseInsensitive));

        // The data: source, size, class balance with the counts of the table.
        QVERIFY(text.contains(html(QString::fromStdString(recipe.data.describe()))));
        QVERIFY(text.contains(QStringLiteral("891 × ")));
        const auto& counts = m_titanic->classCounts();
        QCOMPARE(counts.size(), std::size_t(2));
        QVERIFY(text.contains(QStringLiteral("<td class=\"num\" align=\"right\">%1</td>").arg(counts[0])));
        QVERIFY(text.contains(QStringLiteral("<td class=\"num\" align=\"right\">%1</td>").arg(counts[1])));

        // Per class, the confusion matrix cell by cell, the text report as scikit-learn prints it.
        const auto& confusion = result.classification->confusion;
        for (std::size_t r = 0; r < confusion.size(); ++r)
            for (std::size_t c = 0; c < confusion[r].size(); ++c)
                QVERIFY(text.contains(QStringLiteral("align=\"right\">%1 <span class=\"help\">").arg(confusion[r][c])));
        QVERIFY(text.contains(
            html(QString::fromStdString(evaluation::classificationReport(*result.classification,
                                                                         result.pipeline->classes(), 3)))));
        QVERIFY(text.contains(QStringLiteral("Per class")));

        // The figure as a data URI that decodes to the grabbed picture.
        const QRegularExpression uri(QStringLiteral("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\""));
        const auto match = uri.match(text);
        QVERIFY(match.hasMatch());
        QImage decoded;
        QVERIFY(decoded.loadFromData(QByteArray::fromBase64(match.captured(1).toLatin1()), "PNG"));
        QCOMPARE(decoded.size(), m_figure.image.size());
        QImage expected = m_figure.image.convertToFormat(QImage::Format_RGB32);
        expected.setDevicePixelRatio(1.0);
        QCOMPARE(decoded.convertToFormat(QImage::Format_RGB32), expected);
        QCOMPARE(match.captured(2), QStringLiteral("420"));  // printed at its logical size
        QVERIFY(text.contains(QStringLiteral("Counts of the test rows, actual by predicted.")));
        QVERIFY(text.contains(QStringLiteral("Stepwise ") + QString::fromLatin1(core::kVersion)));
        QVERIFY(!text.contains(QStringLiteral("figure-1.png")));

        // Cross-validation in the recipe with its folds; the leaderboard with both models.
        QVERIFY(result.crossValidation);
        QVERIFY(text.contains(QStringLiteral("3-fold stratified on the training rows, F1 (macro) = %1 ± %2")
                                  .arg(ui::formatReportValue(result.crossValidation->mean),
                                       ui::formatReportValue(result.crossValidation->std))));
        QCOMPARE(result.leaderboard.size(), std::size_t(2));
        QVERIFY(text.contains(QStringLiteral("Models compared")));
        QVERIFY(text.contains(QStringLiteral("Ranked by F1 (macro) on the cross-validation")));
        QVERIFY(text.contains(QStringLiteral("Logistic regression")));
        int rank = 0;
        for (const auto& entry : result.leaderboard) {
            ++rank;
            QVERIFY(entry.crossValidation);
            const QString row = QStringLiteral("<tr><td align=\"right\">%1</td><td%2>%3%4")
                                    .arg(QString::number(rank), entry.kept ? QStringLiteral(" class=\"star\"") : QString(),
                                         entry.model.name == "random_forest" ? QStringLiteral("Random forest")
                                                                             : QStringLiteral("Logistic regression"),
                                         entry.kept ? QStringLiteral(" ★") : QString());
            QVERIFY2(text.contains(row), qPrintable(row));
            QVERIFY(text.contains(QStringLiteral("%1 ± %2").arg(ui::formatReportValue(entry.crossValidation->mean),
                                                               ui::formatReportValue(entry.crossValidation->std))));
        }
    }

    void problemSectionShowsTheConstraints()
    {
        EvaluationReportInput input = titanicInput();
        QString text = ui::evaluationReportHtml(input);
        QVERIFY(text.contains(QStringLiteral("Interpretability")));
        QVERIFY(!text.contains(QStringLiteral("required — every prediction")));
        input.recipe.problem.interpretability = workflow::Interpretability::Required;
        input.recipe.problem.retraining = workflow::RetrainingCadence::Weekly;
        input.recipe.model.name = "random_forest";
        text = ui::evaluationReportHtml(input);
        QVERIFY(text.contains(QStringLiteral("required — every prediction must be explainable")));
        QVERIFY(text.contains(QStringLiteral("<td>weekly</td>")));
        QVERIFY(text.contains(QStringLiteral("the kept model is &#x27;random_forest&#x27;")) ||
                text.contains(QStringLiteral("the kept model is 'random_forest'")));
        input.recipe.model.name = "logistic_regression";
        text = ui::evaluationReportHtml(input);
        QVERIFY(!text.contains(QStringLiteral("the kept model is")));
    }

    void latencyAndEstimateCheckReadAsTheResultSays()
    {
        EvaluationReportInput input = titanicInput();
        auto result = std::make_shared<workflow::RunResult>(*input.result);
        result->latency = {200, 0.41, 1.234, 3.5};
        result->estimateCheck.metric = "f1_macro";
        result->estimateCheck.train = 0.953;
        result->estimateCheck.estimate = 0.81;
        result->estimateCheck.estimateSpread = 0.02;
        result->estimateCheck.estimateSource = "cross-validation";
        result->estimateCheck.test = 0.7;
        result->estimateCheck.warnings = {"Overfitting: the training score is far above the held-out scores."};
        input.result = result;
        input.recipe.problem.maxLatencyMs = 1.0;
        input.latencyVerdict = evaluation::LatencyVerdict{1.0, 1.234, false};
        QString text = ui::evaluationReportHtml(input);
        QVERIFY(text.contains(QStringLiteral("<b>Latency budget:</b> <span class=\"fail\">FAIL</span> — 1.23 ms "
                                             "exceeds the budget of 1.00 ms per row.")));
        QVERIFY(text.contains(QStringLiteral("99th percentile 1.23 ms over 200 single-row predictions")));
        QVERIFY(text.contains(QStringLiteral("median 0.410 ms, slowest 3.50 ms")));
        QVERIFY(text.contains(QStringLiteral("one row within 1.00 ms")));
        QVERIFY(text.contains(QStringLiteral("Estimate check")));
        QVERIFY(text.contains(QStringLiteral("align=\"right\">0.953</td>")));
        QVERIFY(text.contains(QStringLiteral("align=\"right\">0.810 ± 0.020</td>")));
        QVERIFY(text.contains(QStringLiteral("align=\"right\">0.700</td></tr></table>")));
        QVERIFY(text.contains(QStringLiteral("⚠ Overfitting: the training score is far above the held-out scores.")));
        QVERIFY(text.contains(QStringLiteral("(cross-validation)")));

        input.latencyVerdict = evaluation::LatencyVerdict{5.0, 1.234, true};
        text = ui::evaluationReportHtml(input);
        QVERIFY(text.contains(QStringLiteral("<span class=\"pass\">PASS</span> — 1.23 ms is within the budget of 5.00 ms")));

        // Without a budget the measurement is still reported; without one either, nothing.
        input.latencyVerdict.reset();
        input.recipe.problem.maxLatencyMs.reset();
        text = ui::evaluationReportHtml(input);
        QVERIFY(text.contains(QStringLiteral("No budget was set on the Problem step.")));
        QVERIFY(!text.contains(QStringLiteral("Latency budget:")));

        // The session judges its current budget on the result's measurement.
        const auto run = m_titanic->result();
        QVERIFY(!m_titanic->latencyVerdict());
        m_titanic->setMaxLatency(2.5);
        QVERIFY(m_titanic->hasCurrentResult());  // a budget judges a result, it does not make it stale
        if (run->latency.samples > 0) {
            const auto verdict = m_titanic->latencyVerdict();
            QVERIFY(verdict);
            QCOMPARE(verdict->budgetMs, 2.5);
            QCOMPARE(verdict->measuredMs, run->latency.p99Ms);
            QCOMPARE(verdict->passed, run->latency.p99Ms <= 2.5);
        } else {
            QVERIFY(!m_titanic->latencyVerdict());
            QVERIFY(ui::evaluationReportHtml(titanicInput()).contains(QStringLiteral("not measured")));
        }
        m_titanic->setMaxLatency(std::nullopt);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, m_titanic->setMaxLatency(0.0));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, m_titanic->setMaxLatency(-3.0));
        QVERIFY(!m_titanic->recipe().problem.maxLatencyMs);
    }

    void pdfHasPagesAndEveryMetric()
    {
        const EvaluationReportInput input = titanicInput();
        QTemporaryDir temp;
        const QString path = temp.filePath(QStringLiteral("report.pdf"));
        QElapsedTimer clock;
        clock.start();
        const int pages = ui::writeEvaluationReportPdf(input, path);
        const qint64 elapsed = clock.elapsed();
        qInfo("PDF of %d pages with one 840×640 figure written in %lld ms", pages, elapsed);
        QVERIFY(pages >= 2);  // the charts start on a page of their own

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        // Page objects (not the /Pages tree) are written uncompressed.
        const QRegularExpression pageObject(QStringLiteral("/Type\\s*/Page(?![s])"));
        QCOMPARE(int(QString::fromLatin1(bytes).count(pageObject)), pages);
        QVERIFY(bytes.contains("/Subtype /Image"));
        QCOMPARE(reportFilesIn(temp.path()).size(), 0);
        QCOMPARE(QDir(temp.path()).entryList(QDir::Files), QStringList{QStringLiteral("report.pdf")});

        // What was printed: the document holds every metric with its value and the figure.
        const auto document = ui::evaluationReportDocument(input);
        const QString printed = document->toPlainText();
        for (const auto& info : evaluation::metricsFor(core::TaskType::Classification)) {
            QVERIFY2(printed.contains(QString::fromStdString(info.displayName)), info.name.c_str());
            const auto value = metricOf(*input.result, info.name);
            if (value)
                QVERIFY2(printed.contains(ui::formatReportValue(*value, info.name == "f1_macro"
                                                                            ? std::optional<double>(0.7)
                                                                            : std::nullopt)),
                         info.name.c_str());
        }
        QVERIFY(printed.contains(QStringLiteral("Random forest")));
        const QVariant figure = document->resource(QTextDocument::ImageResource, QUrl(QStringLiteral("figure-1.png")));
        QCOMPARE(figure.value<QImage>().size(), QSize(840, 640));

        // The pages as printed, at screen resolution: the first one to look at.
        int count = 0;
        const QImage first = ui::renderEvaluationReportPage(input, 0, 110.0, &count);
        QCOMPARE(count, pages);
        QCOMPARE(first.size(), QSize(909, 1286));  // A4 at 110 dpi
        savePicture(first, QStringLiteral("report-page-1.png"));
        if (!pictureFolder().isEmpty()) {
            for (int page = 1; page < count; ++page)
                savePicture(ui::renderEvaluationReportPage(input, page, 110.0),
                            QStringLiteral("report-page-%1.png").arg(page + 1));
        }
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, ui::renderEvaluationReportPage(input, count, 110.0));

        // What a page with six charts costs (it runs on a worker thread, off the GUI).
        EvaluationReportInput six = input;
        for (int i = 0; i < 5; ++i) {
            // Distinct pictures: the PDF writer stores one copy of an image it sees twice.
            ReportFigure figure = m_figure;
            figure.image = m_figure.image.mirrored(i % 2 == 0, i % 3 == 0);
            figure.image.setPixel(i, i, 0xff000000u + unsigned(i));
            six.figures.append(figure);
        }
        clock.restart();
        const int sixPages = ui::writeEvaluationReportPdf(six, temp.filePath(QStringLiteral("six.pdf")));
        const qint64 pdfMs = clock.elapsed();
        clock.restart();
        ui::writeEvaluationReportHtml(six, temp.filePath(QStringLiteral("six.html")));
        qInfo("six 840×640 figures: PDF of %d pages in %lld ms, HTML in %lld ms", sixPages, pdfMs, clock.elapsed());
        QVERIFY(sixPages > pages);
    }

    void htmlFileIsSelfContainedAndRendersInATextBrowser()
    {
        const EvaluationReportInput input = titanicInput();
        QTemporaryDir temp;
        const QString path = temp.filePath(QStringLiteral("report.html"));
        QElapsedTimer clock;
        clock.start();
        ui::writeEvaluationReport(input, path);
        qInfo("HTML written in %lld ms", clock.elapsed());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(text.contains(QStringLiteral("<meta charset=\"utf-8\">")));
        QVERIFY(text.contains(QStringLiteral("data:image/png;base64,")));
        QVERIFY(!text.contains(QStringLiteral("src=\"figure")));
        QVERIFY(!text.contains(QStringLiteral("http")));  // nothing fetched from elsewhere

        // A text browser shows it with the picture: the inline image loads.
        QTextBrowser browser;
        browser.resize(900, 1300);
        browser.setHtml(text);
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QVERIFY(browser.toPlainText().contains(QStringLiteral("Metrics on the test rows")));
        const auto uri = QRegularExpression(QStringLiteral("src=\"(data:image/png;base64,[^\"]+)\"")).match(text);
        QVERIFY(uri.hasMatch());
        const QVariant shown = browser.document()->resource(QTextDocument::ImageResource, QUrl(uri.captured(1)));
        QVERIFY(shown.isValid());
        savePicture(browser.grab().toImage(), QStringLiteral("report-html-top.png"));
        browser.verticalScrollBar()->setValue(browser.verticalScrollBar()->maximum());
        savePicture(browser.grab().toImage(), QStringLiteral("report-html-bottom.png"));

        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 ui::writeEvaluationReport(input, temp.filePath(QStringLiteral("report.txt"))));
        QVERIFY(!QFile::exists(temp.filePath(QStringLiteral("report.txt"))));
    }

    void regressionReportHasItsMetrics()
    {
        const EvaluationReportInput input = ui::evaluationReportInput(*m_tips);
        const QString text = ui::evaluationReportHtml(input);
        for (const auto& info : evaluation::metricsFor(core::TaskType::Regression)) {
            QVERIFY2(text.contains(html(QString::fromStdString(info.displayName))), info.name.c_str());
            const auto value = metricOf(*input.result, info.name);
            QVERIFY(value);
            QVERIFY2(text.contains(QStringLiteral("align=\"right\">%1</td>").arg(ui::formatReportValue(*value))),
                     info.name.c_str());
        }
        QVERIFY(text.contains(QStringLiteral("Ridge")));
        QVERIFY(text.contains(QStringLiteral("not set</span>")));  // no success criterion
        QVERIFY(!text.contains(QStringLiteral("Confusion matrix")));
        QVERIFY(!text.contains(QStringLiteral("Class balance")));
        QVERIFY(!text.contains(QStringLiteral("Charts")));  // no figures given

        QTemporaryDir temp;
        const QString path = temp.filePath(QStringLiteral("tips.pdf"));
        const int pages = ui::writeEvaluationReportPdf(input, path);
        QVERIFY(pages >= 1);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");
        savePicture(ui::renderEvaluationReportPage(input, 0, 110.0), QStringLiteral("report-regression.png"));
        savePicture(ui::renderEvaluationReportPage(input, pages - 1, 110.0), QStringLiteral("report-regression-last.png"));
    }

    void anUnwritableFolderGivesAClearErrorAndLeavesNothing()
    {
        const EvaluationReportInput input = titanicInput();
        QTemporaryDir temp;
        const QString folder = unwritableFolder(temp);
        for (const char* name : {"stepwise-report.pdf", "stepwise-report.html"}) {
            const QString path = QDir(folder).filePath(QString::fromLatin1(name));
            try {
                ui::writeEvaluationReport(input, path);
                QFAIL("writing into a read-only folder succeeded");
            } catch (const core::Error& error) {
                const QString message = QString::fromUtf8(error.what());
                QVERIFY2(message.contains(path), qPrintable(message));
                QVERIFY2(message.contains(QStringLiteral("choose a folder you can write to")), qPrintable(message));
            }
            QVERIFY(!QFile::exists(path));
            QCOMPARE(reportFilesIn(folder), QStringList());
        }
        // An existing report is left as it was when the new one cannot be written.
        const QString existing = temp.filePath(QStringLiteral("stepwise-report.pdf"));
        QFile old(existing);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old report");
        old.close();
        QFile::setPermissions(temp.path(), QFile::ReadOwner | QFile::ExeOwner);
        const bool permissionsHold = !QFile(temp.filePath(QStringLiteral("probe"))).open(QIODevice::WriteOnly);
        if (permissionsHold) {
            QVERIFY_THROWS_EXCEPTION(core::Error, ui::writeEvaluationReport(input, existing));
            QFile again(existing);
            QVERIFY(again.open(QIODevice::ReadOnly));
            QCOMPARE(again.readAll(), QByteArray("old report"));
        }
        QFile::setPermissions(temp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile::setPermissions(temp.filePath(QStringLiteral("read-only")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    void cancellingWhilePrintingLeavesNothing()
    {
        // Cancels once the first page is printed; the next page's progress call stops the run.
        struct CancelWhenPrinting : core::TaskObserver {
            core::TaskControl* control = nullptr;
            QStringList stages;
            void onProgress(double, const std::string& stage) override
            {
                stages << QString::fromStdString(stage);
                if (stage == "Printing the pages")
                    control->cancel();
            }
        } observer;
        core::TaskControl control(&observer);
        observer.control = &control;
        QTemporaryDir temp;
        const QString path = temp.filePath(QStringLiteral("stepwise-report.pdf"));
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, ui::writeEvaluationReportPdf(titanicInput(), path, &control));
        QVERIFY(observer.stages.contains(QStringLiteral("Adding the charts")));
        QCOMPARE(observer.stages.count(QStringLiteral("Printing the pages")), 1);
        QCOMPARE(QDir(temp.path()).entryList(QDir::Files | QDir::Hidden | QDir::System), QStringList());

        core::TaskControl cancelled;
        cancelled.cancel();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, ui::writeEvaluationReportHtml(titanicInput(), path, &cancelled));
        QCOMPARE(QDir(temp.path()).entryList(QDir::Files | QDir::Hidden | QDir::System), QStringList());
    }

    void theExportActionWritesInTheBackgroundAndSaysWhere()
    {
        QWidget page;
        ui::StatusBanner banner(&page);
        ui::EvaluationReportExport exporter(m_titanic.get(), &banner, &page);
        QTemporaryDir temp;

        QSignalSpy exported(&exporter, &ui::EvaluationReportExport::exported);
        QSignalSpy failed(&exporter, &ui::EvaluationReportExport::failed);
        exporter.exportTo(temp.filePath(QStringLiteral("titanic")), {m_figure});  // no suffix: PDF
        QVERIFY(exporter.task()->isRunning());
        QVERIFY(exported.wait(30000));
        const QString written = temp.filePath(QStringLiteral("titanic.pdf"));
        QCOMPARE(exported.at(0).at(0).toString(), written);
        QCOMPARE(exporter.lastPath(), written);
        QVERIFY(QFile::exists(written));
        QVERIFY(banner.text().contains(QStringLiteral("Report saved to")));
        QVERIFY(banner.text().contains(QDir::toNativeSeparators(written)));

        exporter.exportTo(QDir(unwritableFolder(temp)).filePath(QStringLiteral("stepwise-report.html")), {});
        QVERIFY(failed.wait(30000));
        QVERIFY(banner.hasError());
        QVERIFY(banner.text().contains(QStringLiteral("The report was not saved")));
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("choose a folder you can write to")));
        QFile::setPermissions(temp.filePath(QStringLiteral("read-only")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

        // Without a result there is nothing to report, said in the banner, no file written.
        ui::Session empty;
        ui::EvaluationReportExport none(&empty, &banner, &page);
        QSignalSpy noneFailed(&none, &ui::EvaluationReportExport::failed);
        none.exportTo(temp.filePath(QStringLiteral("empty.pdf")), {});
        QCOMPARE(noneFailed.size(), 1);
        QVERIFY(banner.text().contains(QStringLiteral("nothing to report yet")));
        QVERIFY(!QFile::exists(temp.filePath(QStringLiteral("empty.pdf"))));
    }
};

QTEST_MAIN(TestEvaluationReport)
#include "tst_evaluation_report.moc"
