#include "models/table_model.hpp"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QPalette>

#include <algorithm>
#include <any>
#include <limits>
#include <numeric>

#include "tasks/background_task.hpp"

namespace stepwise::ui {
namespace {

int clampRows(std::size_t rows)
{
    return static_cast<int>(std::min<std::size_t>(rows, std::numeric_limits<int>::max()));
}

} // namespace

TableModel::TableModel(QObject* parent)
    : QAbstractTableModel(parent), m_task(new BackgroundTask(tr("Arranging rows"), this))
{
    connect(m_task, &BackgroundTask::finished, this, [this] {
        if (m_task->state() == BackgroundTask::State::Succeeded)
            return;
        // A run cancelled by a newer request is followed at once by that request; only
        // when nothing follows do the rows stay as they were, and so must the sort and
        // filter state.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_task->isRunning())
                    return;
                m_sortColumn = m_appliedSortColumn;
                m_sortOrder = m_appliedSortOrder;
                m_filterText = m_appliedFilterText;
                m_filterColumn = m_appliedFilterColumn;
                emit arranged();
            },
            Qt::QueuedConnection);
    });
}

// The task cancels and waits for its worker, which holds only shared pointers.
TableModel::~TableModel() { delete m_task; }

void TableModel::setTable(std::shared_ptr<const data::Table> table)
{
    m_task->cancel();
    beginResetModel();
    m_table = std::move(table);
    m_filtered.reset();
    m_rows.reset();
    m_targetColumn = -1;
    m_sortColumn = -1;
    m_sortOrder = Qt::AscendingOrder;
    m_filterText.clear();
    m_filterColumn = -1;
    m_appliedSortColumn = -1;
    m_appliedSortOrder = Qt::AscendingOrder;
    m_appliedFilterText.clear();
    m_appliedFilterColumn = -1;
    endResetModel();
    emit arranged();
}

void TableModel::setTargetColumn(const std::string& name)
{
    int index = -1;
    if (m_table) {
        if (auto found = m_table->indexOf(name))
            index = static_cast<int>(*found);
    }
    if (index == m_targetColumn)
        return;
    const int previous = m_targetColumn;
    m_targetColumn = index;
    for (int column : {previous, index}) {
        if (column < 0)
            continue;
        emit headerDataChanged(Qt::Horizontal, column, column);
        if (rowCount() > 0)
            emit dataChanged(this->index(0, column), this->index(rowCount() - 1, column), {Qt::BackgroundRole});
    }
}

std::size_t TableModel::sourceRow(int row) const
{
    return m_rows ? std::size_t((*m_rows)[std::size_t(row)]) : std::size_t(row);
}

void TableModel::sort(int column, Qt::SortOrder order)
{
    if (!m_table)
        return;
    if (column >= int(m_table->columnCount()))
        column = -1;
    if (column == m_sortColumn && (column < 0 || order == m_sortOrder))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    arrange(false);
}

void TableModel::setFilter(const QString& text, int column)
{
    if (!m_table)
        return;
    if (column >= int(m_table->columnCount()))
        column = -1;
    if (text == m_filterText && column == m_filterColumn)
        return;
    m_filterText = text;
    m_filterColumn = column;
    arrange(true);
}

void TableModel::arrange(bool refilter)
{
    // A run under way may be a filter not yet applied; the next run must include it.
    if (m_task->isRunning())
        refilter = true;
    Arrangement input;
    input.table = m_table;
    input.filtered = refilter ? nullptr : m_filtered;
    input.sortColumn = m_sortColumn;
    input.sortOrder = m_sortOrder;
    input.filterText = m_filterText;
    input.filterColumn = m_filterColumn;
    const std::string needle = m_filterText.toStdString();
    const int filterColumn = m_filterColumn;
    const int sortColumn = m_sortColumn;
    const bool descending = m_sortOrder == Qt::DescendingOrder;
    auto work = [input, refilter, needle, filterColumn, sortColumn, descending](core::TaskControl& control) -> std::any {
        Arrangement out = input;
        const data::Table& table = *input.table;
        if (refilter) {
            core::TaskControl filtering = control.subRange(0.0, sortColumn >= 0 ? 0.5 : 1.0);
            out.filtered = needle.empty() ? nullptr
                                          : std::make_shared<const RowIndex>(filterRows(table, needle, filterColumn, filtering));
        }
        if (sortColumn >= 0) {
            RowIndex base;
            if (out.filtered) {
                base = *out.filtered;
            } else {
                base.resize(std::size_t(clampRows(table.rowCount())));
                std::iota(base.begin(), base.end(), 0u);
            }
            core::TaskControl sorting = control.subRange(refilter ? 0.5 : 0.0, 1.0);
            out.rows = std::make_shared<const RowIndex>(
                sortRows(table, std::move(base), std::size_t(sortColumn), descending, sorting));
        } else {
            out.rows = out.filtered;
        }
        return out;
    };
    if (m_table->rowCount() <= kBackgroundRows) {
        core::TaskControl control;
        apply(std::any_cast<Arrangement>(work(control)), refilter);
        return;
    }
    const QString title = refilter ? (m_filterText.isEmpty() ? tr("Showing all rows") : tr("Filtering rows for “%1”").arg(m_filterText))
                                   : (sortColumn >= 0 ? tr("Sorting by %1").arg(QString::fromStdString(m_table->column(std::size_t(sortColumn)).name()))
                                                      : tr("Restoring the file order"));
    m_task->start(title, std::move(work), [this, refilter](const std::any& value) {
        apply(std::any_cast<const Arrangement&>(value), refilter);
    });
}

void TableModel::apply(const Arrangement& arrangement, bool refiltered)
{
    if (arrangement.table != m_table)
        return;
    m_appliedSortColumn = arrangement.sortColumn;
    m_appliedSortOrder = arrangement.sortOrder;
    m_appliedFilterText = arrangement.filterText;
    m_appliedFilterColumn = arrangement.filterColumn;
    if (refiltered) {
        beginResetModel();
        m_filtered = arrangement.filtered;
        m_rows = arrangement.rows;
        endResetModel();
        emit arranged();
        return;
    }
    // A new order of the same rows: keep the selection and current cell on their rows.
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<std::size_t> sources;
    sources.reserve(std::size_t(before.size()));
    for (const QModelIndex& index : before)
        sources.push_back(sourceRow(index.row()));
    m_rows = arrangement.rows;
    if (!before.isEmpty()) {
        std::vector<int> viewRow(m_table->rowCount(), -1);
        for (int row = 0; row < rowCount(); ++row)
            viewRow[sourceRow(row)] = row;
        QModelIndexList after;
        after.reserve(before.size());
        for (int i = 0; i < before.size(); ++i) {
            const int row = viewRow[sources[std::size_t(i)]];
            after.append(row >= 0 ? index(row, before[i].column()) : QModelIndex());
        }
        changePersistentIndexList(before, after);
    }
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    emit arranged();
}

int TableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_table)
        return 0;
    return m_rows ? clampRows(m_rows->size()) : clampRows(m_table->rowCount());
}

int TableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : static_cast<int>(m_table->columnCount());
}

QVariant TableModel::data(const QModelIndex& index, int role) const
{
    if (!m_table || !index.isValid() || index.row() >= rowCount())
        return {};
    const data::Column& column = m_table->column(static_cast<std::size_t>(index.column()));
    const std::size_t row = sourceRow(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return column.isMissing(row) ? QStringLiteral("—") : QString::fromStdString(column.textAt(row));
    case Qt::TextAlignmentRole:
        if (column.isMissing(row))
            return int(Qt::AlignCenter);
        return int((column.isNumeric() ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column.isMissing(row))
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::BackgroundRole: {
        if (column.isMissing(row))
            return QColor(255, 176, 32, 46);  // amber tint: "look here", not "error"
        if (index.column() == m_targetColumn)
            return QColor(37, 99, 235, 20);
        return {};
    }
    case Qt::ToolTipRole:
        if (column.isMissing(row))
            return tr("Missing value in “%1”").arg(QString::fromStdString(column.name()));
        return {};
    default:
        return {};
    }
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_table)
        return {};
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= rowCount())
            return {};
        // 0-based row of the file, the numbering of the `row` column in prediction files;
        // it stays with its row when sorted or filtered.
        if (role == Qt::DisplayRole)
            return qulonglong(sourceRow(section));
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (section < 0 || section >= static_cast<int>(m_table->columnCount()))
        return {};
    const data::Column& column = m_table->column(static_cast<std::size_t>(section));
    switch (role) {
    case Qt::DisplayRole:
        return QString::fromStdString(column.name());
    case Qt::ToolTipRole: {
        QString tip = tr("%1 — %2 column").arg(QString::fromStdString(column.name()),
                                                QString::fromLatin1(data::toString(column.kind())));
        if (column.isCategorical())
            tip += tr(", %n categories", nullptr, static_cast<int>(column.levels().size()));
        const std::size_t missing = column.missingCount();
        if (missing > 0)
            tip += tr(", %1 missing").arg(missing);
        if (section == m_targetColumn)
            tip += tr("\nThis is the target: the column the model learns to predict.");
        tip += tr("\nClick to sort (missing values stay last); click again to reverse, a third time for the file "
                  "order.");
        return tip;
    }
    case Qt::FontRole:
        if (section == m_targetColumn) {
            QFont font = QApplication::font();
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        return int((column.isNumeric() ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    default:
        return {};
    }
}

} // namespace stepwise::ui
