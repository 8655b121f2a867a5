#include "widgets/history/run_table_model.hpp"

#include <QColor>
#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <cmath>

#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"
#include "widgets/history/run_comparison.hpp"
#include "widgets/score_text.hpp"

namespace stepwise::ui {

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunTableModel::setRuns(const std::vector<io::RunRecord>& runs)
{
    beginResetModel();
    m_runs = runs;
    std::stable_sort(m_runs.begin(), m_runs.end(),
                     [](const io::RunRecord& a, const io::RunRecord& b) { return a.id > b.id; });
    endResetModel();
}

const io::RunRecord* RunTableModel::runAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_runs.size()) ? &m_runs[static_cast<std::size_t>(row)] : nullptr;
}

const io::RunRecord* RunTableModel::run(int id) const { return runAt(rowOf(id)); }

int RunTableModel::rowOf(int id) const
{
    for (std::size_t row = 0; row < m_runs.size(); ++row)
        if (m_runs[row].id == id)
            return static_cast<int>(row);
    return -1;
}

QString RunTableModel::durationText(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0.0)
        return QStringLiteral("—");
    if (seconds < 10.0)
        return tr("%1 s").arg(QLocale().toString(seconds, 'f', 1));
    const long long whole = std::llround(seconds);
    if (whole < 60)
        return tr("%1 s").arg(whole);
    if (whole < 3600)
        return tr("%1 min %2 s").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(whole / 3600).arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString RunTableModel::startedText(const std::string& startedUtc)
{
    const QDateTime time = QDateTime::fromString(QString::fromStdString(startedUtc), Qt::ISODate);
    if (!time.isValid())
        return QString::fromStdString(startedUtc);
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

int RunTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunTableModel::data(const QModelIndex& index, int role) const
{
    const io::RunRecord* record = index.isValid() ? runAt(index.row()) : nullptr;
    if (!record)
        return {};
    if (role == Qt::UserRole)
        return record->id;
    const workflow::Recipe& recipe = record->recipe;
    const std::string metric = mainMetricName(recipe);
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case RunColumn:
            return tr("#%1").arg(record->id);
        case StartedColumn:
            return startedText(record->startedUtc);
        case ModelColumn:
            try {
                return QString::fromStdString(models::findModel(recipe.model.name).displayName);
            } catch (const core::Error&) {
                return QString::fromStdString(recipe.model.name);
            }
        case ScoreColumn:
            if (const auto value = runMetric(*record, metric))
                return QStringLiteral("%1 %2").arg(metricDisplayName(recipe.problem.task, metric), scoreText(*value));
            return QStringLiteral("—");
        case VerdictColumn:
            if (!record->passed)
                return QStringLiteral("—");
            return *record->passed ? tr("pass") : tr("fail");
        case DurationColumn:
            return durationText(record->durationSeconds);
        case SeedColumn:
            return QString::number(recipe.seed);
        case ThreadsColumn:
            return record->manifest.threads > 0 ? QVariant(record->manifest.threads) : QVariant(QStringLiteral("—"));
        case NoteColumn:
            return QString::fromStdString(record->note);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == VerdictColumn && record->passed)
        return metricMoveColor(*record->passed ? MetricMove::Better : MetricMove::Worse);
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case VerdictColumn:
            return record->verdict.empty() ? tr("No success criterion was set for this run")
                                           : QString::fromStdString(record->verdict);
        case ScoreColumn:
            return tr("The run's main metric on the test rows: the success metric, else accuracy or R²");
        case ThreadsColumn:
            return tr("Engine threads the run used; the same seed gives the same numbers with any number");
        case NoteColumn:
            return tr("Your label for this run; double-click to edit");
        case StartedColumn:
            return QString::fromStdString(record->startedUtc);
        default:
            break;
        }
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case RunColumn:
        case DurationColumn:
        case SeedColumn:
        case ThreadsColumn:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            break;
        }
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RunColumn:
        return tr("Run");
    case StartedColumn:
        return tr("Started");
    case ModelColumn:
        return tr("Model");
    case ScoreColumn:
        return tr("Score");
    case VerdictColumn:
        return tr("Verdict");
    case DurationColumn:
        return tr("Duration");
    case SeedColumn:
        return tr("Seed");
    case ThreadsColumn:
        return tr("Threads");
    case NoteColumn:
        return tr("Note");
    default:
        return {};
    }
}

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == NoteColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool RunTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.column() != NoteColumn || !runAt(index.row()))
        return false;
    io::RunRecord& record = m_runs[static_cast<std::size_t>(index.row())];
    const std::string note = value.toString().trimmed().toStdString();
    if (note == record.note)
        return false;
    record.note = note;
    emit dataChanged(index, index);
    emit noteEdited(record.id, QString::fromStdString(note));
    return true;
}

} // namespace stepwise::ui
