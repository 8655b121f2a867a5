#include "widgets/leaderboard_table.hpp"

#include <QHeaderView>
#include <QSignalBlocker>

#include <algorithm>
#include <cmath>

#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "widgets/score_text.hpp"
#include "widgets/share_bar_delegate.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

QString modelName(const std::string& model)
{
    for (const auto& info : models::modelRegistry())
        if (info.name == model)
            return QString::fromStdString(info.displayName);
    return QString::fromStdString(model);
}

QTableWidgetItem* readOnlyItem(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

LeaderboardTable::LeaderboardTable(QWidget* parent) : QTableWidget(parent)
{
    setObjectName(QStringLiteral("leaderboardTable"));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    verticalHeader()->setVisible(false);
    setWordWrap(false);
    setAlternatingRowColors(true);
    horizontalHeader()->setHighlightSections(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setItemDelegateForColumn(RankingColumn, new ShareBarDelegate(QColor(0x16, 0xa3, 0x4a), this));
    clearRun();
}

void LeaderboardTable::clearRun()
{
    const QSignalBlocker block(this);
    clear();
    setRowCount(0);
    setColumnCount(0);
    m_note = tr("Tick more models to compare them here.");
}

int LeaderboardTable::entryAt(int row) const
{
    const QTableWidgetItem* rank = row >= 0 && row < rowCount() ? item(row, RankColumn) : nullptr;
    return rank ? rank->data(Qt::UserRole).toInt() : -1;
}

void LeaderboardTable::showRun(const workflow::RunResult& result, core::TaskType task)
{
    clearRun();
    if (result.leaderboard.empty())
        return;
    const QSignalBlocker block(this);
    const std::string& metric = result.leaderboardMetric;
    const QString metricName = metricDisplayName(task, metric);
    const QString rankedOn = QString::fromStdString(result.leaderboardRankedOn);
    const bool rankedByCv = rankedOn.contains(QLatin1String("cross"));
    const bool rankedByValidation = !rankedByCv && rankedOn.contains(QLatin1String("validation"));
    bool higherIsBetter = true;
    for (const auto& info : evaluation::metricsFor(task))
        if (info.name == metric)
            higherIsBetter = info.higherIsBetter;
    const bool anyCv = std::any_of(result.leaderboard.begin(), result.leaderboard.end(),
                                   [](const auto& entry) { return entry.crossValidation.has_value(); });

    setColumnCount(ColumnCount);
    setHorizontalHeaderLabels(
        {tr("#"), tr("Model"), tr("%1 · %2").arg(metricName, rankedOn), tr("Cross-validation (mean ± std)"),
         tr("Test %1").arg(metricName), tr("Fit time")});
    horizontalHeaderItem(RankingColumn)
        ->setToolTip(tr("What the models are ranked by: %1 measured on the %2, never on the test rows.")
                         .arg(metricName, rankedOn));
    horizontalHeaderItem(TestColumn)
        ->setToolTip(tr("For reference: choosing a model by its test score makes that score optimistic. Choose by "
                        "the ranking column."));
    horizontalHeaderItem(FitColumn)->setToolTip(tr("Time to fit the model on the training rows"));
    // The ranking column already says mean ± std when it is the cross-validation.
    setColumnHidden(CvColumn, !anyCv || rankedByCv);

    const auto testValue = [&](const workflow::LeaderboardEntry& entry) -> std::optional<double> {
        if (entry.classification)
            return evaluation::metricValue(*entry.classification, metric);
        if (entry.regression)
            return evaluation::metricValue(*entry.regression, metric);
        return std::nullopt;
    };
    const auto& first = result.leaderboard.front();
    // Bars behind the ranking scores: longer is better, whichever way the metric runs.
    std::vector<double> rankingValues;
    for (const auto& entry : result.leaderboard) {
        if (rankedByCv && entry.crossValidation)
            rankingValues.push_back(entry.crossValidation->mean);
        else if (rankedByValidation && entry.validationScore)
            rankingValues.push_back(*entry.validationScore);
        else if (!rankedByCv && !rankedByValidation && testValue(entry))
            rankingValues.push_back(*testValue(entry));
        else
            rankingValues.push_back(std::nan(""));
    }
    const double top = *std::max_element(rankingValues.begin(), rankingValues.end(), [](double a, double b) {
        return std::isnan(a) || (!std::isnan(b) && a < b);
    });
    const double bottom = *std::min_element(rankingValues.begin(), rankingValues.end(), [](double a, double b) {
        return !std::isnan(a) && (std::isnan(b) || a < b);
    });
    const bool unitScale = bottom >= 0 && top <= 1;
    const auto barShare = [&](double value) -> QVariant {
        if (std::isnan(value))
            return {};
        if (higherIsBetter)
            return unitScale ? value : (top > 0 ? value / top : 0.0);
        // Lower is better (an error): the best gets the full bar.
        return value > 0 ? bottom / value : 1.0;
    };
    QString best;
    for (std::size_t i = 0; i < result.leaderboard.size(); ++i) {
        const auto& entry = result.leaderboard[i];
        const int row = rowCount();
        insertRow(row);
        const QString name = modelName(entry.model.name);
        if (i == 0)
            best = name;
        QString ranking = tr("—");
        if (rankedByCv && entry.crossValidation)
            ranking = meanStdText(entry.crossValidation->mean, entry.crossValidation->std);
        else if (rankedByValidation && entry.validationScore)
            ranking = scoreText(*entry.validationScore);
        else if (!rankedByCv && !rankedByValidation)
            ranking = testValue(entry) ? scoreText(*testValue(entry)) : tr("—");
        const auto test = testValue(entry);
        QStringList paramText;
        for (const auto& [key, value] : entry.model.params)
            paramText << QStringLiteral("%1 = %2").arg(QString::fromStdString(key), QString::fromStdString(value));
        const QStringList cells{QString::number(i + 1),
                                entry.kept ? tr("★ %1 (kept)").arg(name) : name,
                                ranking,
                                entry.crossValidation
                                    ? meanStdText(entry.crossValidation->mean, entry.crossValidation->std)
                                    : tr("—"),
                                test ? scoreText(*test) : tr("—"),
                                formatElapsed(qint64(entry.fitSeconds * 1000.0))};
        for (int column = 0; column < ColumnCount; ++column) {
            auto* cell = readOnlyItem(cells[column]);
            if (column != ModelColumn)
                cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (entry.kept) {
                QFont bold = font();
                bold.setBold(true);
                cell->setFont(bold);
            }
            if (column == ModelColumn)
                cell->setToolTip(paramText.isEmpty() ? tr("Default hyper-parameters")
                                                     : paramText.join(QLatin1Char('\n')));
            if (column == CvColumn && entry.crossValidation) {
                QStringList folds;
                for (double score : entry.crossValidation->scores)
                    folds << scoreText(score);
                cell->setToolTip(tr("Folds (%1): %2")
                                     .arg(cvText(entry.crossValidation->strategy), folds.join(QStringLiteral(", "))));
            }
            setItem(row, column, cell);
        }
        item(row, RankColumn)->setData(Qt::UserRole, int(i));
        item(row, RankingColumn)->setData(Qt::UserRole, barShare(rankingValues[i]));
    }
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(ModelColumn, QHeaderView::Stretch);

    QString where = tr("the %1").arg(rankedOn);
    if (rankedByCv && first.crossValidation)
        where = tr("the %1 cross-validation of the training rows").arg(cvText(first.crossValidation->strategy));
    else if (!rankedByCv && !rankedByValidation)
        where = tr("the test rows — there are no validation rows or cross-validation to choose on, so the test "
                   "score is not an unbiased estimate any more");
    QString note = tr("Ranked by <b>%1</b> on %2 (%3 is better). The test column is for reference only.")
                       .arg(metricName.toHtmlEscaped(), where.toHtmlEscaped(),
                            higherIsBetter ? tr("higher") : tr("lower"));
    if (!first.kept)
        note += QLatin1Char(' ') + tr("<b>%1</b> ranks first: select it and press <i>Keep this model</i> to make it "
                                      "the kept one.")
                                       .arg(best.toHtmlEscaped());
    m_note = note;
}

} // namespace stepwise::ui
