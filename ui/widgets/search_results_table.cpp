#include "widgets/search_results_table.hpp"

#include <QHeaderView>

#include <algorithm>

#include "widgets/score_text.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

QTableWidgetItem* readOnlyItem(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

SearchResultsTable::SearchResultsTable(QWidget* parent) : QTableWidget(parent)
{
    setObjectName(QStringLiteral("searchResultsTable"));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    verticalHeader()->setVisible(false);
    setWordWrap(false);
    setAlternatingRowColors(true);
    horizontalHeader()->setHighlightSections(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    clearSearch();
}

void SearchResultsTable::clearSearch()
{
    clear();
    setRowCount(0);
    setColumnCount(0);
    m_bestRow = -1;
    m_note = tr("Turn on a search on the Search tab to see its candidates here.");
}

void SearchResultsTable::showSearch(const workflow::SearchResult& search, core::TaskType task)
{
    clearSearch();
    if (search.candidates.empty())
        return;
    const QString metricName = metricDisplayName(task, search.metric);
    std::vector<std::string> names;
    for (const auto& candidate : search.candidates)
        for (const auto& [name, value] : candidate.params)
            if (std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(name);
    std::sort(names.begin(), names.end());
    QStringList headers{tr("Rank")};
    for (const auto& name : names)
        headers << QString::fromStdString(name);
    headers << tr("%1 (mean ± std)").arg(metricName) << tr("Fit time");
    setColumnCount(int(headers.size()));
    setHorizontalHeaderLabels(headers);

    std::vector<std::size_t> order(search.candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return search.candidates[a].rank < search.candidates[b].rank;
    });
    const QColor bestFill = [this] {
        QColor fill(0x16, 0xa3, 0x4a);
        fill.setAlphaF(palette().color(QPalette::Base).lightness() > 128 ? 0.16 : 0.35);
        return fill;
    }();
    for (std::size_t index : order) {
        const auto& candidate = search.candidates[index];
        const bool isBest = index == search.best;
        const int row = rowCount();
        insertRow(row);
        if (isBest)
            m_bestRow = row;
        QStringList cells{isBest ? tr("★ %1").arg(candidate.rank) : QString::number(candidate.rank)};
        for (const auto& name : names) {
            const auto it = candidate.params.find(name);
            cells << (it == candidate.params.end() ? QString() : QString::fromStdString(it->second));
        }
        cells << meanStdText(candidate.mean, candidate.std) << formatElapsed(qint64(candidate.fitSeconds * 1000.0));
        QStringList folds;
        for (double score : candidate.foldScores)
            folds << scoreText(score);
        for (int column = 0; column < int(cells.size()); ++column) {
            auto* item = readOnlyItem(cells[column]);
            item->setTextAlignment((column == 0 || column >= int(names.size()) + 1 ? Qt::AlignRight : Qt::AlignLeft) |
                                   Qt::AlignVCenter);
            if (isBest) {
                QFont bold = font();
                bold.setBold(true);
                item->setFont(bold);
                item->setBackground(bestFill);
                item->setToolTip(tr("The best candidate: the kept model was trained with these values"));
            }
            if (column == int(names.size()) + 1)
                item->setToolTip(tr("Fold scores: %1").arg(folds.join(QStringLiteral(", "))));
            setItem(row, column, item);
        }
    }
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);

    QStringList bestParams;
    if (search.best < search.candidates.size())
        for (const auto& [name, value] : search.candidates[search.best].params)
            bestParams << QStringLiteral("%1 = %2").arg(QString::fromStdString(name), QString::fromStdString(value));
    const auto& bestCandidate = search.candidates.at(std::min(search.best, search.candidates.size() - 1));
    // The engine spells the kind "grid" or "random:N".
    const QString kind = search.kind == "grid" ? tr("Grid search") : tr("Random search");
    m_note = tr("%1 over %2 candidates, each cross-validated %3 and ranked by %4. Best: <b>%5</b> — %6. The kept model "
                "was trained with these on all training rows.")
                 .arg(kind, QString::number(search.candidates.size()), cvText(search.strategy).toHtmlEscaped(),
                      metricName.toHtmlEscaped(), bestParams.join(QStringLiteral(", ")).toHtmlEscaped(),
                      meanStdText(bestCandidate.mean, bestCandidate.std));
}

} // namespace stepwise::ui
