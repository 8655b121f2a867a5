#include "widgets/history/run_history_view.hpp"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "widgets/history/run_comparison.hpp"
#include "widgets/history/run_table_model.hpp"
#include "widgets/score_text.hpp"

namespace stepwise::ui {

namespace {

QString signedScore(double value)
{
    const QString text = scoreText(value);
    return value > 0.0 ? QStringLiteral("+") + text : text;
}

QTableWidgetItem* cell(const QString& text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(alignment);
    return item;
}

} // namespace

RunHistoryView::RunHistoryView(QWidget* parent)
    : QWidget(parent),
      m_model(new RunTableModel(this)),
      m_table(new QTableView(this)),
      m_empty(new QLabel(this)),
      m_title(new QLabel(this)),
      m_changes(new QListWidget(this)),
      m_metrics(new QTableWidget(0, MetricColumnCount, this)),
      m_restore(new QPushButton(tr("Restore this run's recipe"), this))
{
    setObjectName(QStringLiteral("runHistoryView"));
    m_table->setObjectName(QStringLiteral("runTable"));
    m_title->setObjectName(QStringLiteral("comparisonTitle"));
    m_changes->setObjectName(QStringLiteral("recipeChanges"));
    m_metrics->setObjectName(QStringLiteral("metricChanges"));
    m_restore->setObjectName(QStringLiteral("restoreRunButton"));

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RunTableModel::NoteColumn, QHeaderView::Stretch);
    m_table->setToolTip(tr("Select two runs to compare them (Ctrl+click), or one to compare it with the current "
                           "recipe. Double-click a note to label a run."));

    m_empty->setWordWrap(true);
    m_empty->setText(tr("No runs yet. Each time you train on the Training step, the run is recorded here with its "
                        "recipe, metrics, duration and seed."));

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);

    m_changes->setWordWrap(true);
    m_changes->setSpacing(3);
    m_changes->setSelectionMode(QAbstractItemView::NoSelection);
    m_changes->setFocusPolicy(Qt::NoFocus);

    m_metrics->setHorizontalHeaderLabels({tr("Metric"), tr("Before"), tr("After"), tr("Change")});
    m_metrics->verticalHeader()->hide();
    const int rowHeight = fontMetrics().height() + 8;
    m_metrics->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_table->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->setSelectionMode(QAbstractItemView::NoSelection);
    m_metrics->setFocusPolicy(Qt::NoFocus);
    m_metrics->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_metrics->horizontalHeader()->setSectionResizeMode(MetricNameColumn, QHeaderView::Stretch);

    m_restore->setToolTip(tr("Make this run's recipe the current one (one step: Ctrl+Z undoes it). Its data is "
                             "loaded first when it differs from the loaded data."));
    m_restore->setEnabled(false);

    auto* changesBox = new QGroupBox(tr("What changed in the recipe"), this);
    auto* changesLayout = new QVBoxLayout(changesBox);
    changesLayout->addWidget(m_changes);
    auto* metricsBox = new QGroupBox(tr("Metrics on the test rows"), this);
    auto* metricsLayout = new QVBoxLayout(metricsBox);
    metricsLayout->addWidget(m_metrics);

    auto* comparison = new QWidget(this);
    auto* comparisonLayout = new QVBoxLayout(comparison);
    comparisonLayout->setContentsMargins(0, 0, 0, 0);
    comparisonLayout->addWidget(m_title);
    auto* panes = new QHBoxLayout;
    panes->addWidget(changesBox, 2);
    panes->addWidget(metricsBox, 3);
    comparisonLayout->addLayout(panes, 1);
    auto* actions = new QHBoxLayout;
    actions->addStretch(1);
    actions->addWidget(m_restore);
    comparisonLayout->addLayout(actions);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_table);
    splitter->addWidget(comparison);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunHistoryView::refreshComparison);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RunHistoryView::refreshComparison);
    connect(m_model, &RunTableModel::noteEdited, this, &RunHistoryView::noteEdited);
    connect(m_restore, &QPushButton::clicked, this, [this] {
        if (m_restoreId >= 0)
            emit restoreRequested(m_restoreId);
    });
    refreshComparison();
}

void RunHistoryView::setRuns(const std::vector<io::RunRecord>& runs)
{
    const QList<int> selected = selectedRunIds();
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const int currentId = current.isValid() ? m_model->data(current, Qt::UserRole).toInt() : -1;
    const int newestId = m_model->rowCount() > 0 ? m_model->data(m_model->index(0, 0), Qt::UserRole).toInt() : -1;
    {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_model->setRuns(runs);
    }
    m_empty->setVisible(runs.empty());
    QList<int> keep;
    // Looking at the newest run alone follows the runs as they come.
    if (selected == QList<int>{newestId} && m_model->rowCount() > 0) {
        selectRuns({m_model->data(m_model->index(0, 0), Qt::UserRole).toInt()});
        return;
    }
    for (int id : selected)
        if (m_model->rowOf(id) >= 0 && id != currentId)
            keep << id;
    if (currentId >= 0 && m_model->rowOf(currentId) >= 0)
        keep << currentId;
    if (keep.isEmpty() && m_model->rowCount() > 0)
        keep << m_model->data(m_model->index(0, 0), Qt::UserRole).toInt();
    if (!selectRuns(keep))
        refreshComparison();
}

void RunHistoryView::setCurrentRecipe(const workflow::Recipe& recipe)
{
    m_current = recipe;
    refreshComparison();
}

bool RunHistoryView::selectRuns(const QList<int>& runIds)
{
    for (int id : runIds)
        if (m_model->rowOf(id) < 0)
            return false;
    QItemSelectionModel* selection = m_table->selectionModel();
    {
        const QSignalBlocker blocker(selection);
        selection->clearSelection();
        for (int id : runIds)
            selection->select(m_model->index(m_model->rowOf(id), 0),
                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
        if (!runIds.isEmpty())
            selection->setCurrentIndex(m_model->index(m_model->rowOf(runIds.back()), 0), QItemSelectionModel::NoUpdate);
    }
    // The blocked signals leave the view unpainted and the pane stale: refresh both.
    m_table->viewport()->update();
    refreshComparison();
    return true;
}

QList<int> RunHistoryView::selectedRunIds() const
{
    QList<int> ids;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        ids << m_model->data(index, Qt::UserRole).toInt();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunHistoryView::showMetrics(const io::RunRecord& before, const io::RunRecord* after, const QString& beforeTitle,
                                 const QString& afterTitle, const workflow::Recipe& recipe)
{
    m_metrics->setHorizontalHeaderLabels({tr("Metric"), beforeTitle, afterTitle, tr("Change")});
    const std::vector<io::MetricChange> changes = io::metricDiff(before, after ? *after : io::RunRecord{});
    m_metrics->setRowCount(static_cast<int>(changes.size()));
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const io::MetricChange& change = changes[i];
        const int row = static_cast<int>(i);
        const MetricDirection direction = metricDirection(recipe, change.metric);
        auto* name = cell(metricLabel(recipe, change.metric), Qt::AlignLeft | Qt::AlignVCenter);
        name->setData(Qt::UserRole, QString::fromStdString(change.metric));
        name->setToolTip(direction == MetricDirection::HigherIsBetter  ? tr("Higher is better")
                         : direction == MetricDirection::LowerIsBetter ? tr("Lower is better")
                                                                       : tr("Neither way is better"));
        m_metrics->setItem(row, MetricNameColumn, name);
        m_metrics->setItem(row, BeforeColumn,
                           cell(change.before ? scoreText(*change.before) : QStringLiteral("—")));
        auto* afterCell = cell(change.after ? scoreText(*change.after) : QStringLiteral("—"));
        const MetricMove move = metricMove(change.before, change.after, direction);
        QString changeText = QStringLiteral("—");
        if (change.before && change.after)
            changeText = signedScore(*change.after - *change.before);
        auto* changeCell = cell(changeText);
        changeCell->setData(Qt::UserRole, static_cast<int>(move));
        if (const QColor colour = metricMoveColor(move); colour.isValid()) {
            afterCell->setForeground(colour);
            changeCell->setForeground(colour);
            QFont bold = changeCell->font();
            bold.setBold(true);
            changeCell->setFont(bold);
            changeCell->setToolTip(move == MetricMove::Better ? tr("Better") : tr("Worse"));
        }
        m_metrics->setItem(row, AfterColumn, afterCell);
        m_metrics->setItem(row, ChangeColumn, changeCell);
    }
}

void RunHistoryView::refreshComparison()
{
    const QList<int> ids = selectedRunIds();
    m_changes->clear();
    m_metrics->setRowCount(0);

    // Restore acts on the run clicked last when it is selected, else the newest selected.
    m_restoreId = -1;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const int currentId = current.isValid() ? m_model->data(current, Qt::UserRole).toInt() : -1;
    if (ids.contains(currentId))
        m_restoreId = currentId;
    else if (!ids.isEmpty())
        m_restoreId = ids.back();
    m_restore->setEnabled(m_restoreId >= 0);
    m_restore->setText(m_restoreId >= 0 ? tr("Restore run #%1's recipe").arg(m_restoreId)
                                        : tr("Restore this run's recipe"));

    if (ids.isEmpty()) {
        m_title->setText(m_model->rowCount() > 0
                             ? tr("Select two runs to compare them, or one to compare it with the current recipe.")
                             : QString());
        return;
    }
    if (ids.size() > 2) {
        m_title->setText(tr("%n runs selected: select two to compare them.", nullptr, static_cast<int>(ids.size())));
        return;
    }
    const io::RunRecord& first = *m_model->run(ids.front());
    if (ids.size() == 2) {
        const io::RunRecord& second = *m_model->run(ids.back());
        m_title->setText(tr("Run #%1 → run #%2").arg(first.id).arg(second.id));
        const QStringList lines = recipeChangeLines(first.recipe, second.recipe);
        if (lines.isEmpty())
            m_changes->addItem(tr("Nothing: both runs were trained with the same recipe."));
        m_changes->addItems(lines);
        showMetrics(first, &second, tr("Run #%1").arg(first.id), tr("Run #%1").arg(second.id), second.recipe);
        return;
    }
    if (!m_current) {
        m_title->setText(tr("Run #%1").arg(first.id));
        m_changes->addItem(tr("Select a second run to see what changed."));
        showMetrics(first, nullptr, tr("Run #%1").arg(first.id), QString(), first.recipe);
        return;
    }
    m_title->setText(tr("Run #%1 → the current recipe").arg(first.id));
    const QStringList lines = recipeChangeLines(first.recipe, *m_current);
    if (lines.isEmpty())
        m_changes->addItem(tr("Nothing: the current recipe is the one run #%1 was trained with.").arg(first.id));
    m_changes->addItems(lines);
    // The current recipe's numbers are those of its newest run, if it was trained.
    const io::RunRecord* trained = nullptr;
    for (int row = 0; row < m_model->rowCount() && !trained; ++row) {
        const io::RunRecord* run = m_model->runAt(row);
        if (io::recipeDiff(run->recipe, *m_current).empty())
            trained = run;
    }
    const QString afterTitle = trained ? tr("Current (run #%1)").arg(trained->id) : tr("Current (not trained)");
    showMetrics(first, trained, tr("Run #%1").arg(first.id), afterTitle, *m_current);
}

} // namespace stepwise::ui
