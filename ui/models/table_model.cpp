#include "models/table_model.hpp"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QPalette>

#include <algorithm>
#include <limits>

namespace stepwise::ui {
namespace {

int clampRows(std::size_t rows)
{
    return static_cast<int>(std::min<std::size_t>(rows, std::numeric_limits<int>::max()));
}

} // namespace

TableModel::TableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TableModel::setTable(std::shared_ptr<const data::Table> table)
{
    beginResetModel();
    m_table = std::move(table);
    m_loadedRows = m_table ? std::min(clampRows(m_table->rowCount()), kFetchBlock) : 0;
    m_targetColumn = -1;
    endResetModel();
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
        if (m_loadedRows > 0)
            emit dataChanged(this->index(0, column), this->index(m_loadedRows - 1, column), {Qt::BackgroundRole});
    }
}

int TableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_loadedRows; }

int TableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : static_cast<int>(m_table->columnCount());
}

bool TableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_table && m_loadedRows < clampRows(m_table->rowCount());
}

void TableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    const int total = clampRows(m_table->rowCount());
    const int next = std::min(total, m_loadedRows + kFetchBlock);
    beginInsertRows({}, m_loadedRows, next - 1);
    m_loadedRows = next;
    endInsertRows();
}

QVariant TableModel::data(const QModelIndex& index, int role) const
{
    if (!m_table || !index.isValid() || index.row() >= m_loadedRows)
        return {};
    const data::Column& column = m_table->column(static_cast<std::size_t>(index.column()));
    const auto row = static_cast<std::size_t>(index.row());
    const bool missing = column.isMissing(row);
    switch (role) {
    case Qt::DisplayRole:
        return missing ? QStringLiteral("—") : QString::fromStdString(column.textAt(row));
    case Qt::TextAlignmentRole:
        if (missing)
            return int(Qt::AlignCenter);
        return int((column.isNumeric() ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (missing)
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::BackgroundRole: {
        if (missing)
            return QColor(255, 176, 32, 46);  // amber tint: "look here", not "error"
        if (index.column() == m_targetColumn)
            return QColor(37, 99, 235, 20);
        return {};
    }
    case Qt::ToolTipRole:
        if (missing)
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
        // 0-based, the numbering of the `row` column in prediction files.
        if (role == Qt::DisplayRole)
            return section;
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
                                                QString::fromLatin1(data::toString(column.type())));
        if (column.isCategorical())
            tip += tr(", %n categories", nullptr, static_cast<int>(column.levels().size()));
        const std::size_t missing = column.missingCount();
        if (missing > 0)
            tip += tr(", %1 missing").arg(missing);
        if (section == m_targetColumn)
            tip += tr("\nThis is the target: the column the model learns to predict.");
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
