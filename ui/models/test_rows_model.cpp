#include "models/test_rows_model.hpp"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QPalette>

namespace stepwise::ui {

TestRowsModel::TestRowsModel(QObject* parent) : QAbstractTableModel(parent) {}

void TestRowsModel::setRows(std::shared_ptr<const data::Table> table, std::shared_ptr<const workflow::RunResult> result,
                            std::vector<std::size_t> positions)
{
    beginResetModel();
    m_table = std::move(table);
    m_result = std::move(result);
    m_positions = std::move(positions);
    m_targetColumn = -1;
    if (m_table && m_result && m_result->pipeline) {
        if (const auto target = m_table->indexOf(m_result->pipeline->target()))
            m_targetColumn = int(*target);
    }
    endResetModel();
}

void TestRowsModel::clear() { setRows(nullptr, nullptr, {}); }

std::size_t TestRowsModel::dataRow(int row) const
{
    if (!m_result || row < 0 || std::size_t(row) >= m_positions.size())
        return 0;
    return m_result->testRows.at(m_positions[std::size_t(row)]);
}

int TestRowsModel::dataColumns() const { return m_table ? int(m_table->columnCount()) : 0; }

int TestRowsModel::probabilityCount() const
{
    return m_result && m_result->testPredictions.proba.size() > 0 ? int(m_result->testPredictions.proba.cols()) : 0;
}

int TestRowsModel::probabilityColumn(int classIndex) const
{
    if (classIndex < 0 || classIndex >= probabilityCount())
        return -1;
    return 3 + classIndex;
}

int TestRowsModel::firstDataColumn() const { return 3 + probabilityCount(); }

QString TestRowsModel::className(int index) const
{
    if (m_result && m_result->pipeline && index >= 0 && std::size_t(index) < m_result->pipeline->classes().size())
        return QString::fromStdString(m_result->pipeline->classes()[std::size_t(index)]);
    return QString::number(index);
}

int TestRowsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_result ? 0 : int(m_positions.size());
}

int TestRowsModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_result)
        return 0;
    return firstDataColumn() + dataColumns();
}

QVariant TestRowsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const std::size_t position = m_positions[std::size_t(index.row())];
    const std::size_t row = m_result->testRows.at(position);
    const int column = index.column();
    const int actual = position < m_result->testActualClass.size() ? m_result->testActualClass[position] : -1;
    const auto& predictions = m_result->testPredictions;
    const int predicted = position < predictions.classIndex.size() ? predictions.classIndex[position] : -1;
    const bool wrong = actual != predicted;

    if (column == 0) {
        if (role == Qt::DisplayRole)
            return qulonglong(row);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ToolTipRole)
            return tr("Row %1 of the data (0-based, as the Data step counts)").arg(row);
        return {};
    }
    if (column >= firstDataColumn()) {
        // The result may outlive the table it was evaluated on (new data loaded since).
        if (!m_table || row >= m_table->rowCount())
            return role == Qt::DisplayRole ? QVariant(QStringLiteral("?")) : QVariant();
        const int dataColumn = column - firstDataColumn();
        const data::Column& data = m_table->column(std::size_t(dataColumn));
        switch (role) {
        case Qt::DisplayRole:
            return data.isMissing(row) ? QStringLiteral("—") : QString::fromStdString(data.textAt(row));
        case Qt::TextAlignmentRole:
            return int((data.isNumeric() ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
        case Qt::ForegroundRole:
            if (data.isMissing(row))
                return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
            return {};
        case Qt::BackgroundRole:
            if (dataColumn == m_targetColumn)
                return QColor(37, 99, 235, 20);
            return {};
        default:
            return {};
        }
    }
    if (column == actualColumn() || column == predictedColumn()) {
        const int cls = column == actualColumn() ? actual : predicted;
        switch (role) {
        case Qt::DisplayRole:
            return className(cls);
        case Qt::FontRole:
            if (column == predictedColumn()) {
                QFont bold = QApplication::font();
                bold.setBold(true);
                return bold;
            }
            return {};
        case Qt::ForegroundRole:
            if (column == predictedColumn())
                return wrong ? QColor(0xc6, 0x28, 0x28) : QColor(0x2e, 0x7d, 0x32);
            return {};
        case Qt::ToolTipRole:
            if (column == predictedColumn())
                return wrong ? tr("Wrong: predicted %1, actually %2").arg(className(predicted), className(actual))
                             : tr("Correct");
            return {};
        default:
            return {};
        }
    }
    const int cls = column - probabilityColumn(0);
    if (role == Qt::DisplayRole)
        return QString::number(predictions.proba(Eigen::Index(position), cls), 'f', 3);
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole)
        return predictions.proba(Eigen::Index(position), cls);
    return {};
}

QVariant TestRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    if (section == 0) {
        if (role == Qt::DisplayRole)
            return tr("Row");
        if (role == Qt::ToolTipRole)
            return tr("The row's number in the data (0-based)");
        return {};
    }
    if (section >= firstDataColumn()) {
        const int dataColumn = section - firstDataColumn();
        const QString name = QString::fromStdString(m_table->column(std::size_t(dataColumn)).name());
        if (role == Qt::DisplayRole)
            return name;
        if (role == Qt::ToolTipRole)
            return dataColumn == m_targetColumn ? tr("%1 — the target").arg(name) : name;
        if (role == Qt::FontRole && dataColumn == m_targetColumn) {
            QFont bold = QApplication::font();
            bold.setBold(true);
            return bold;
        }
        return {};
    }
    if (section == actualColumn()) {
        if (role == Qt::DisplayRole)
            return tr("Actual");
        if (role == Qt::ToolTipRole)
            return tr("The class the row really has");
        return {};
    }
    if (section == predictedColumn()) {
        if (role == Qt::DisplayRole)
            return tr("Predicted");
        if (role == Qt::ToolTipRole)
            return tr("The class the model predicted");
        return {};
    }
    const QString name = className(section - probabilityColumn(0));
    if (role == Qt::DisplayRole)
        return tr("P(%1)").arg(name);
    if (role == Qt::ToolTipRole)
        return tr("The model's probability that the row is %1").arg(name);
    return {};
}

} // namespace stepwise::ui
