#include "widgets/export/scoring_section.hpp"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/atomic_file.hpp"
#include "stepwise/io/report.hpp"
#include "tasks/background_task.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {

struct ScoringSection::Outcome {
    QString path;
    std::shared_ptr<const workflow::FittedPipeline> pipeline;
    std::shared_ptr<const data::Table> table;
    workflow::SchemaCheck check;
    std::shared_ptr<const workflow::Predictions> predictions;
};

namespace {

/// The target's values as text when the scored file has the target column (labelled
/// rows), else empty: the `actual` column of the predictions CSV.
std::vector<std::string> actualTexts(const workflow::FittedPipeline& pipeline, const data::Table& table)
{
    std::vector<std::string> actual;
    if (!table.hasColumn(pipeline.target()))
        return actual;
    const data::Column& column = table.column(pipeline.target());
    actual.reserve(table.rowCount());
    for (std::size_t row = 0; row < table.rowCount(); ++row)
        actual.push_back(column.textAt(row));
    return actual;
}

} // namespace

ScoringSection::ScoringSection(Session* session, StatusBanner* banner, QWidget* parent)
    : ExportSection(tr("Predictions"), session, banner, QStringLiteral("export-scoring"), parent),
      m_score(new QPushButton(tr("Score a CSV…"), this)),
      m_save(new QPushButton(tr("Save predictions…"), this)),
      m_summary(new QLabel(this)),
      m_issues(new QListWidget(this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this)),
      m_preview(new QTableWidget(this)),
      m_task(new BackgroundTask(tr("Scoring"), this)),
      m_saveTask(new BackgroundTask(tr("Saving predictions"), this))
{
    setObjectName(QStringLiteral("scoringSection"));
    m_score->setObjectName(QStringLiteral("scoreCsvButton"));
    m_save->setObjectName(QStringLiteral("savePredictionsButton"));
    m_summary->setObjectName(QStringLiteral("scoringSummary"));
    m_issues->setObjectName(QStringLiteral("schemaIssues"));
    m_progress->setObjectName(QStringLiteral("scoringProgress"));
    m_preview->setObjectName(QStringLiteral("predictionsPreview"));
    m_score->setToolTip(tr("Predict every row of a CSV with the same columns as the training data; the columns and "
                           "their values are checked against the training data first"));
    m_save->setToolTip(tr("Save row, actual (when the file has the target), predicted and the class probabilities "
                          "as CSV"));
    m_issues->setWordWrap(true);
    m_issues->setSelectionMode(QAbstractItemView::NoSelection);
    m_issues->setFocusPolicy(Qt::NoFocus);
    m_issues->setResizeMode(QListView::Adjust);
    m_issues->setTextElideMode(Qt::ElideNone);
    m_progress->setTask(m_task);
    m_progress->setHiddenWhenIdle(true);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->verticalHeader()->hide();
    m_preview->setMinimumHeight(140);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(actionRow({m_score, m_save}, m_summary));
    layout->addWidget(m_progress);
    layout->addWidget(m_issues);
    layout->addWidget(m_preview, 1);

    connect(m_score, &QPushButton::clicked, this, &ScoringSection::scoreInteractively);
    connect(m_save, &QPushButton::clicked, this, &ScoringSection::savePredictionsInteractively);
    connect(session, &Session::resultChanged, this, [this] {
        // Predictions of another model would be mislabelled; a new model starts afresh.
        m_task->cancel();
        m_path.clear();
        m_savedPath.clear();
        m_table.reset();
        m_check = {};
        m_predictions.reset();
        m_scoredWith.reset();
        clearMessage();
        showIssues();
        fillPreview();
        refresh();
    });
    followTask(m_task,
               [this](const QString& error) { return tr("%1 was not scored: %2").arg(QFileInfo(m_path).fileName(), error); });
    followTask(m_saveTask, [](const QString& error) { return tr("The predictions were not saved: %1").arg(error); });
    showIssues();
    fillPreview();
    refresh();
}

ScoringSection::~ScoringSection()
{
    delete m_saveTask;
    m_saveTask = nullptr;
    delete m_task;
    m_task = nullptr;
}

void ScoringSection::scoreInteractively()
{
    if (!pipeline())
        return;
    const QString path = askOpenPath(tr("Score a data file"),
                                     tr("Data files (*.csv *.tsv *.txt *.xlsx *.json *.jsonl *.ndjson *.sqlite *.db);;"
                                        "All files (*)"));
    if (!path.isEmpty())
        scoreFile(path);
}

bool ScoringSection::scoreFile(const QString& path)
{
    const auto model = pipeline();
    if (!model)
        return false;
    clearMessage();
    m_path = QFileInfo(path).absoluteFilePath();
    m_savedPath.clear();
    m_check = {};
    m_predictions.reset();
    m_table.reset();
    showIssues();
    fillPreview();
    m_task->start(
        tr("Scoring %1").arg(QFileInfo(m_path).fileName()),
        [model, file = m_path](core::TaskControl& control) -> std::any {
            Outcome outcome;
            outcome.path = file;
            outcome.pipeline = model;
            core::TaskControl reading = control.subRange(0.0, 0.3);
            const data::DataSource source = data::parseDataLocation(file.toStdString());
            reading.progress(0.0, "Reading " + source.describe());
            auto table = std::make_shared<const data::Table>(data::loadTable(source, &reading));
            outcome.table = table;
            control.progress(0.3, "Checking the columns against the training data");
            outcome.check = workflow::checkSchema(*model, *table);
            if (outcome.check.canScore()) {
                core::TaskControl scoring = control.subRange(0.3, 1.0);
                outcome.predictions =
                    std::make_shared<const workflow::Predictions>(workflow::scoreTable(*model, *table, scoring));
            }
            control.progress(1.0);
            return outcome;
        },
        [this](const std::any& value) { showOutcome(std::any_cast<const Outcome&>(value)); });
    refresh();
    return true;
}

void ScoringSection::showOutcome(const Outcome& outcome)
{
    if (outcome.pipeline != pipeline())
        return;
    m_scoredWith = outcome.pipeline;
    m_table = outcome.table;
    m_check = outcome.check;
    m_predictions = outcome.predictions;
    showIssues();
    fillPreview();
    emit scored();
}

void ScoringSection::showIssues()
{
    m_issues->clear();
    for (const workflow::SchemaIssue& issue : m_check.issues) {
        StatusBanner::Level level = StatusBanner::Level::Warning;
        if (issue.blocking)
            level = StatusBanner::Level::Error;
        else if (issue.kind == workflow::SchemaIssue::Kind::ExtraColumn)
            level = StatusBanner::Level::Info;
        auto* item = new QListWidgetItem(QIcon(bannerIcon(level, 16, devicePixelRatioF())),
                                         QString::fromStdString(issue.message), m_issues);
        if (level != StatusBanner::Level::Info)
            item->setForeground(bannerColor(level));
        item->setData(Qt::UserRole, issue.blocking);
        item->setToolTip(issue.blocking ? tr("Blocks scoring: fix the file and score it again")
                                        : tr("The model handles this; check that it is expected"));
    }
    m_issues->setVisible(m_issues->count() > 0);
    fitIssuesHeight();
}

void ScoringSection::fitIssuesHeight()
{
    // As tall as its wrapped messages, up to about seven lines; more scroll.
    const QFontMetrics metrics(m_issues->font());
    const int width = std::max(m_issues->viewport()->width(), 300) - 16 - 3 * m_issues->spacing() - 12;
    int height = 2 * m_issues->frameWidth() + 4;
    for (int i = 0; i < m_issues->count(); ++i)
        height += metrics.boundingRect(QRect(0, 0, width, 0), Qt::TextWordWrap, m_issues->item(i)->text()).height() + 4;
    m_issues->setFixedHeight(std::min(height, metrics.lineSpacing() * 7 + 2 * m_issues->frameWidth()));
}

void ScoringSection::resizeEvent(QResizeEvent* event)
{
    ExportSection::resizeEvent(event);
    fitIssuesHeight();
}

void ScoringSection::fillPreview()
{
    m_preview->clear();
    m_preview->setRowCount(0);
    m_preview->setColumnCount(0);
    m_preview->setVisible(m_predictions != nullptr);
    if (!m_predictions || !m_scoredWith || !m_table)
        return;
    const workflow::FittedPipeline& model = *m_scoredWith;
    const workflow::Predictions& predictions = *m_predictions;
    const std::vector<std::string> actual = actualTexts(model, *m_table);
    QStringList headers{tr("row")};
    if (!actual.empty())
        headers << tr("actual");
    headers << tr("predicted");
    const bool withProba = predictions.proba.size() > 0;
    if (withProba)
        for (const auto& name : model.classes())
            headers << tr("P(%1)").arg(QString::fromStdString(name));
    const int rows = int(std::min<std::size_t>(predictions.size(), kPreviewRows));
    m_preview->setColumnCount(int(headers.size()));
    m_preview->setHorizontalHeaderLabels(headers);
    m_preview->setRowCount(rows);
    for (int i = 0; i < rows; ++i) {
        int column = 0;
        auto set = [&](const QString& text, bool number) {
            auto* item = new QTableWidgetItem(text);
            if (number)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_preview->setItem(i, column++, item);
        };
        set(QString::number(i), true);
        if (!actual.empty())
            set(QString::fromStdString(actual[std::size_t(i)]), false);
        set(QString::fromStdString(io::predictedText(model, predictions, std::size_t(i))),
            model.task() == core::TaskType::Regression);
        if (withProba)
            for (Eigen::Index c = 0; c < predictions.proba.cols(); ++c)
                set(QString::number(predictions.proba(i, c), 'f', 3), true);
    }
    m_preview->resizeColumnsToContents();
}

void ScoringSection::savePredictionsInteractively()
{
    if (!m_predictions)
        return;
    const QString path = askSavePath(tr("Save predictions"),
                                     QFileInfo(m_path).completeBaseName() + QStringLiteral("-predictions.csv"),
                                     {tr("CSV files (*.csv)"), tr("All files (*)")});
    if (!path.isEmpty())
        savePredictionsTo(path);
}

bool ScoringSection::savePredictionsTo(const QString& path)
{
    if (!m_predictions || !m_scoredWith || !m_table)
        return false;
    clearMessage();
    const QString target = QFileInfo(path).absoluteFilePath();
    m_saveTask->start(
        tr("Writing %1").arg(QFileInfo(target).fileName()),
        [model = m_scoredWith, table = m_table, predictions = m_predictions,
         target](core::TaskControl& control) -> std::any {
            control.progress(0.0, "Writing " + target.toStdString());
            std::vector<std::size_t> rows(predictions->size());
            std::iota(rows.begin(), rows.end(), std::size_t(0));
            const std::vector<std::string> actual = actualTexts(*model, *table);
            io::writeFileAtomically(target.toStdString(), [&](std::ostream& out) {
                io::writePredictionsCsv(out, *model, rows, actual, *predictions, predictions->proba.size() > 0);
            });
            control.progress(1.0);
            return {};
        },
        [this, target](const std::any&) {
            m_savedPath = target;
            showSuccess(tr("Predictions saved to %1").arg(QDir::toNativeSeparators(target)));
        });
    return true;
}

void ScoringSection::refresh()
{
    if (!m_task || !m_saveTask)
        return;
    const bool hasModel = pipeline() != nullptr;
    const bool busy = m_task->isRunning();
    m_score->setEnabled(hasModel && !busy);
    m_save->setEnabled(m_predictions != nullptr && !busy && !m_saveTask->isRunning());
    const QLocale locale;
    QString text;
    if (!hasModel) {
        text = tr("Train a model first.");
    } else if (busy) {
        text = tr("Reading and scoring %1…").arg(QFileInfo(m_path).fileName().toHtmlEscaped());
    } else if (m_predictions) {
        text = tr("<b>%1</b>: %2 rows scored in %3.")
                   .arg(QFileInfo(m_path).fileName().toHtmlEscaped(),
                        locale.toString(qulonglong(m_predictions->size())), formatDuration(m_task->elapsedMs()));
        if (!m_savedPath.isEmpty())
            text += tr(" Saved to %1.").arg(QDir::toNativeSeparators(m_savedPath).toHtmlEscaped());
    } else if (!m_path.isEmpty() && m_table && !m_check.canScore()) {
        text = tr("<b>%1</b> was not scored: fix the problems listed below and score it again.")
                   .arg(QFileInfo(m_path).fileName().toHtmlEscaped());
    } else if (m_task->state() == BackgroundTask::State::Cancelled) {
        text = tr("Scoring was cancelled; nothing was scored.");
    } else {
        text = tr("Predict the rows of a new file with the same columns as the training data.");
    }
    m_summary->setText(text);
}

} // namespace stepwise::ui
