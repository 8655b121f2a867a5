#include "widgets/evaluation/model_comparison_view.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTableWidget>
#include <QEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <optional>

#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/runner.hpp"
#include "widgets/charts/chart_view.hpp"
#include "widgets/charts/interval_bar_chart.hpp"
#include "widgets/score_text.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

constexpr int kEntryRole = Qt::UserRole + 1;

QString modelName(const std::string& model)
{
    for (const auto& info : models::modelRegistry())
        if (info.name == model)
            return QString::fromStdString(info.displayName);
    return QString::fromStdString(model);
}

QString paramsText(const workflow::ModelChoice& choice)
{
    QStringList parts;
    for (const auto& [name, value] : choice.params)
        parts << QString::fromStdString(name) + QStringLiteral(" = ") + QString::fromStdString(value);
    return parts.isEmpty() ? QObject::tr("default hyper-parameters") : parts.join(QStringLiteral(", "));
}

std::optional<double> testMetric(const workflow::LeaderboardEntry& entry, const std::string& metric)
{
    if (entry.classification)
        return evaluation::metricValue(*entry.classification, metric);
    if (entry.regression)
        return evaluation::metricValue(*entry.regression, metric);
    return std::nullopt;
}

QString durationText(double seconds)
{
    if (seconds >= 1.0)
        return QObject::tr("%1 s").arg(QLocale().toString(seconds, 'f', seconds < 10 ? 2 : 1));
    const double ms = seconds * 1000.0;
    return QObject::tr("%1 ms").arg(QLocale().toString(ms, 'f', ms < 10 ? 1 : 0));
}

const QColor kKept(0x25, 0x63, 0xeb);
const QColor kOther(0x93, 0xb4, 0xf5);

QTableWidgetItem* cell(const QString& text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter)
{
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(alignment);
    return item;
}

} // namespace

ModelComparisonView::ModelComparisonView(Session* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_stack(new QStackedWidget(this)),
      m_empty(new QLabel(this)),
      m_note(makeNote({}, this)),
      m_table(new QTableWidget(this)),
      m_chart(new IntervalBarChart(this)),
      m_use(new QPushButton(tr("Use this model for export"), this)),
      m_useNote(makeNote({}, this))
{
    setObjectName(QStringLiteral("modelComparisonView"));
    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_chart->setObjectName(QStringLiteral("comparisonChart"));
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_chart->setMarks(IntervalBarChart::Marks::Dots);
    m_table->installEventFilter(this);
    m_use->setObjectName(QStringLiteral("useModelButton"));
    m_note->setObjectName(QStringLiteral("comparisonNote"));
    m_note->setTextFormat(Qt::RichText);
    stylePlaceholder(m_empty);
    m_empty->setObjectName(QStringLiteral("comparisonPlaceholder"));

    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_use->setToolTip(tr("Make the selected model the kept one. It is trained again as the kept model on the same "
                         "rows, steps and folds, so every number on this page and the exported file are its own."));

    auto* progress = new TaskProgressPanel(TaskProgressPanel::Form::Full, this);
    progress->setTask(session->trainingTask());
    progress->setHiddenWhenIdle(true);

    auto* board = new QWidget(this);
    auto* boardLayout = new QVBoxLayout(board);
    boardLayout->setContentsMargins(0, 0, 0, 0);
    boardLayout->addWidget(m_note);
    boardLayout->addWidget(m_table);
    auto* useRow = new QHBoxLayout;
    useRow->addWidget(m_use);
    useRow->addWidget(m_useNote, 1);
    boardLayout->addLayout(useRow);
    boardLayout->addWidget(progress);
    boardLayout->addWidget(m_chart);
    boardLayout->addStretch(1);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(board);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ModelComparisonView::refreshButton);
    connect(m_table, &QTableWidget::itemDoubleClicked, this, [this] {
        if (m_use->isEnabled())
            m_use->click();
    });
    connect(m_use, &QPushButton::clicked, this, [this] {
        const int entry = entryAt(m_table->currentRow());
        if (entry >= 0)
            m_session->useLeaderboardEntry(std::size_t(entry));
        refreshButton();
    });
    connect(session, &Session::resultChanged, this, &ModelComparisonView::refresh);
    connect(session, &Session::recipeChanged, this, &ModelComparisonView::refreshButton);
    connect(session->trainingTask(), &BackgroundTask::started, this, &ModelComparisonView::refreshButton);
    connect(session->trainingTask(), &BackgroundTask::finished, this, &ModelComparisonView::refreshButton);
    refresh();
}

int ModelComparisonView::entryAt(int row) const
{
    if (row < 0 || row >= m_table->rowCount() || !m_table->item(row, ModelColumn))
        return -1;
    return m_table->item(row, ModelColumn)->data(kEntryRole).toInt();
}

QString ModelComparisonView::noteText() const
{
    return m_stack->currentIndex() == 0 ? m_empty->text() : m_note->text();
}

void ModelComparisonView::refresh()
{
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    const auto result = m_session->result();
    if (!result || result->leaderboard.empty()) {
        m_empty->setText(
            result ? tr("Only one model was trained. To compare models, go back to the Training step, tick more "
                        "models in the list and train again: they train on the same rows, steps and folds, and "
                        "appear here side by side on every metric.")
                   : tr("Models are compared here once several are trained — on the Training step, tick more models "
                        "in the list and train."));
        m_stack->setCurrentIndex(0);
        return;
    }
    const core::TaskType task = result->classification ? core::TaskType::Classification : core::TaskType::Regression;
    const auto& metrics = evaluation::metricsFor(task);
    const bool ranked = std::any_of(result->leaderboard.begin(), result->leaderboard.end(), [](const auto& entry) {
        return entry.crossValidation.has_value() || entry.validationScore.has_value();
    });
    const bool crossValidated = result->leaderboardRankedOn == "cross-validation";
    const QString rankingMetric = metricDisplayName(task, result->leaderboardMetric);

    QStringList headers{tr("Model")};
    for (const auto& info : metrics)
        headers << QString::fromStdString(info.displayName);
    const int rankingColumn = ranked ? int(headers.size()) : -1;
    if (ranked) {
        QString where = tr("validation rows");
        if (crossValidated)
            for (const auto& entry : result->leaderboard)
                if (entry.crossValidation)
                    where = cvText(entry.crossValidation->strategy) + tr(" CV");
        headers << tr("%1 (%2)").arg(rankingMetric, where);
    }
    const int fitColumn = int(headers.size());
    headers << tr("Fit time");
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    for (std::size_t m = 0; m < metrics.size(); ++m)
        m_table->horizontalHeaderItem(int(m) + FirstMetricColumn)
            ->setToolTip(tr("On the test rows. %1").arg(QString::fromStdString(metrics[m].help)));
    if (ranked)
        m_table->horizontalHeaderItem(rankingColumn)
            ->setToolTip(tr("What the leaderboard ranked the models on — measured without the test rows, so it is "
                            "the fair way to choose."));
    m_table->horizontalHeaderItem(fitColumn)->setToolTip(tr("Seconds to train on all training rows"));

    m_table->setRowCount(int(result->leaderboard.size()));
    std::vector<std::optional<double>> best(metrics.size());
    for (std::size_t i = 0; i < result->leaderboard.size(); ++i)
        for (std::size_t m = 0; m < metrics.size(); ++m)
            if (const auto value = testMetric(result->leaderboard[i], metrics[m].name))
                if (!best[m] || (metrics[m].higherIsBetter ? *value > *best[m] : *value < *best[m]))
                    best[m] = value;
    int keptRow = -1;
    for (std::size_t i = 0; i < result->leaderboard.size(); ++i) {
        const workflow::LeaderboardEntry& entry = result->leaderboard[i];
        const int row = int(i);
        QString name = modelName(entry.model.name);
        if (entry.kept) {
            name = QStringLiteral("★ ") + name + tr(" (kept)");
            keptRow = row;
        }
        auto* model = cell(name, Qt::AlignLeft | Qt::AlignVCenter);
        model->setData(kEntryRole, row);
        model->setToolTip(paramsText(entry.model));
        if (entry.kept) {
            QFont bold = model->font();
            bold.setBold(true);
            model->setFont(bold);
        }
        m_table->setItem(row, ModelColumn, model);
        for (std::size_t m = 0; m < metrics.size(); ++m) {
            const auto value = testMetric(entry, metrics[m].name);
            auto* item = cell(value ? scoreText(*value) : QStringLiteral("—"));
            if (!value)
                item->setToolTip(tr("Not computed for this model (e.g. it gives no probabilities)"));
            if (value && best[m] && *value == *best[m] && result->leaderboard.size() > 1) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_table->setItem(row, FirstMetricColumn + int(m), item);
        }
        if (ranked) {
            QString text = QStringLiteral("—");
            if (entry.crossValidation)
                text = meanStdText(entry.crossValidation->mean, entry.crossValidation->std);
            else if (entry.validationScore)
                text = scoreText(*entry.validationScore);
            m_table->setItem(row, rankingColumn, cell(text));
        }
        m_table->setItem(row, fitColumn, cell(durationText(entry.fitSeconds)));
    }
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(ModelColumn, m_table->columnWidth(ModelColumn) + 24);
    fitTableHeight();

    // The fair comparison as a picture: what the models were ranked on.
    std::vector<IntervalBar> bars;
    std::vector<QColor> colors;
    for (const workflow::LeaderboardEntry& entry : result->leaderboard) {
        IntervalBar bar;
        bar.label = modelName(entry.model.name) + (entry.kept ? tr(" ★") : QString());
        std::optional<double> value;
        if (entry.crossValidation) {
            value = entry.crossValidation->mean;
            bar.spread = entry.crossValidation->std;
        } else if (ranked) {
            value = entry.validationScore;
        } else {
            value = testMetric(entry, result->leaderboardMetric);
        }
        if (!value)
            continue;
        bar.value = *value;
        bars.push_back(bar);
        colors.push_back(entry.kept ? kKept : kOther);
    }
    const QString chartTitle = crossValidated ? tr("%1 by model, cross-validation mean ± std").arg(rankingMetric)
                               : ranked       ? tr("%1 by model, on the validation rows").arg(rankingMetric)
                                              : tr("%1 by model, on the test rows").arg(rankingMetric);
    m_chart->setBars(chartTitle, rankingMetric, bars, kOther, colors);
    m_chart->setFixedHeight(130 + 56 * int(bars.size()));

    QString note = tr("Every model trained on the same rows, steps and folds; metrics on the test rows, the best "
                      "of each column in bold, ★ the kept model.");
    if (ranked)
        note += tr(" Choose by the <b>%1</b> column: the test rows should judge the model you chose, not choose it.")
                    .arg(crossValidated ? tr("cross-validation") : tr("validation rows"));
    else
        note += tr(" The ranking used the test rows: add validation rows (Prep step) or cross-validation (Training "
                   "step) to choose without them.");
    m_note->setText(note);
    m_stack->setCurrentIndex(1);
    if (keptRow >= 0)
        m_table->selectRow(keptRow);
    refreshButton();
}

void ModelComparisonView::fitTableHeight()
{
    // As tall as its rows (and the scroll bar when the metrics do not fit across): the
    // chart below takes the rest.
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int row = 0; row < m_table->rowCount(); ++row)
        height += m_table->rowHeight(row);
    if (m_table->horizontalHeader()->length() > m_table->width() - 2 * m_table->frameWidth())
        height += m_table->horizontalScrollBar()->sizeHint().height();
    m_table->setFixedHeight(height);
}

bool ModelComparisonView::eventFilter(QObject* watched, QEvent* event)
{
    // Whether the scroll bar is needed depends on the table's own width.
    if (watched == m_table && event->type() == QEvent::Resize)
        fitTableHeight();
    return QWidget::eventFilter(watched, event);
}

void ModelComparisonView::refreshButton()
{
    const auto result = m_session->result();
    const int entry = entryAt(m_table->currentRow());
    const bool valid = result && entry >= 0 && entry < int(result->leaderboard.size());
    const bool kept = valid && result->leaderboard[std::size_t(entry)].kept;
    const bool current = m_session->hasCurrentResult();
    const bool training = m_session->isTraining();
    m_use->setEnabled(valid && !kept && current && !training);
    if (training)
        m_useNote->setText(tr("Training…"));
    else if (!current && result)
        m_useNote->setText(tr("The recipe changed since this training — train again to compare and choose."));
    else if (kept)
        m_useNote->setText(tr("This is the kept model: the one that is evaluated and exported."));
    else if (valid)
        m_useNote->setText(tr("%1 becomes the kept model and is trained again as it (no search), so Evaluation and "
                              "Export use its pipeline.")
                               .arg(modelName(result->leaderboard[std::size_t(entry)].model.name)));
    else
        m_useNote->setText(tr("Select a model to use it for export."));
}

} // namespace stepwise::ui
