#include "models/step_rows_model.hpp"

#include <QColor>
#include <QFont>

#include <algorithm>
#include <cmath>

namespace stepwise::ui {
namespace {

bool sameValue(const data::Column& a, const data::Column& b, std::size_t row)
{
    const bool missingA = a.isMissing(row);
    const bool missingB = b.isMissing(row);
    if (missingA || missingB)
        return missingA == missingB;
    if (a.isNumeric() && b.isNumeric())
        return a.values()[row] == b.values()[row];
    return a.textAt(row) == b.textAt(row);
}

} // namespace

StepRowsModel::StepRowsModel(Side side, QObject* parent) : QAbstractTableModel(parent), m_side(side) {}

void StepRowsModel::setTables(std::shared_ptr<const data::Table> shown, std::shared_ptr<const data::Table> other,
                              bool rowsAligned)
{
    beginResetModel();
    m_shown = std::move(shown);
    m_other = std::move(other);
    m_otherColumn.clear();
    m_changed.clear();
    m_changedCount = 0;
    if (m_shown) {
        for (const data::Column& column : m_shown->columns()) {
            const auto at = m_other ? m_other->indexOf(column.name()) : std::nullopt;
            m_otherColumn.push_back(at ? int(*at) : -1);
        }
        const int rows = rowCount();
        const int columns = columnCount();
        m_changed.assign(std::size_t(rows) * std::size_t(columns), 0);
        if (rowsAligned && m_other && m_other->rowCount() == m_shown->rowCount()) {
            for (int c = 0; c < columns; ++c) {
                if (m_otherColumn[std::size_t(c)] < 0)
                    continue;
                const data::Column& mine = m_shown->column(std::size_t(c));
                const data::Column& theirs = m_other->column(std::size_t(m_otherColumn[std::size_t(c)]));
                for (int r = 0; r < rows; ++r) {
                    if (!sameValue(mine, theirs, std::size_t(r))) {
                        m_changed[std::size_t(r) * std::size_t(columns) + std::size_t(c)] = 1;
                        ++m_changedCount;
                    }
                }
            }
        }
    }
    endResetModel();
}

bool StepRowsModel::isOnlyHere(int column) const
{
    return m_other && column >= 0 && std::size_t(column) < m_otherColumn.size() &&
           m_otherColumn[std::size_t(column)] < 0;
}

bool StepRowsModel::isChanged(int row, int column) const
{
    if (row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return false;
    return m_changed[std::size_t(row) * std::size_t(columnCount()) + std::size_t(column)] != 0;
}

int StepRowsModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_shown)
        return 0;
    return int(std::min<std::size_t>(m_shown->rowCount(), kSampleRows));
}

int StepRowsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_shown ? 0 : int(m_shown->columnCount());
}

QVariant StepRowsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_shown)
        return {};
    const data::Column& column = m_shown->column(std::size_t(index.column()));
    const std::size_t row = std::size_t(index.row());
    const bool missing = column.isMissing(row);
    switch (role) {
    case Qt::DisplayRole:
        if (missing)
            return QStringLiteral("—");
        // Six significant digits read at a glance; the tooltip of a changed cell and the
        // Data page keep the full value.
        if (column.kind() == data::ColumnKind::Numeric)
            return QString::number(column.values()[row], 'g', 6);
        return QString::fromStdString(column.textAt(row));
    case Qt::TextAlignmentRole:
        return int((column.isNumeric() ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (missing)
            return QColor(128, 128, 128);
        return {};
    case Qt::BackgroundRole:
        if (isChanged(index.row(), index.column()))
            return QColor(245, 158, 11, 70);  // amber: this value changed
        if (isOnlyHere(index.column()))
            return m_side == Side::After ? QColor(22, 163, 74, 45) : QColor(220, 38, 38, 35);
        return {};
    case Qt::ToolTipRole:
        if (isChanged(index.row(), index.column())) {
            const data::Column& other = m_other->column(std::size_t(m_otherColumn[std::size_t(index.column())]));
            const QString value =
                other.isMissing(row) ? tr("missing") : QString::fromStdString(other.textAt(row));
            return m_side == Side::After ? tr("was %1 before the step").arg(value)
                                         : tr("becomes %1 after the step").arg(value);
        }
        return {};
    default:
        return {};
    }
}

QVariant StepRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (!m_shown || section < 0 || section >= columnCount())
        return {};
    const data::Column& column = m_shown->column(std::size_t(section));
    switch (role) {
    case Qt::DisplayRole:
        return QString::fromStdString(column.name());
    case Qt::ToolTipRole: {
        QString tip = QString::fromLatin1(data::toString(column.kind()));
        if (isOnlyHere(section))
            tip += m_side == Side::After ? tr(" — added by this step") : tr(" — removed by this step");
        return tip;
    }
    case Qt::FontRole:
        if (isOnlyHere(section)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (isOnlyHere(section))
            return m_side == Side::After ? QColor(21, 128, 61) : QColor(185, 28, 28);
        return {};
    default:
        return {};
    }
}

} // namespace stepwise::ui
