#include "models/confusion_matrix_model.hpp"

#include <QLocale>

#include <algorithm>

namespace stepwise::ui {

QString cellPercent(double fraction)
{
    if (fraction > 0 && fraction < 0.001)
        return QStringLiteral("<0.1%");
    return QString::number(fraction * 100.0, 'f', fraction >= 0.9995 || fraction == 0 ? 0 : 1) + QLatin1Char('%');
}

ConfusionMatrixModel::ConfusionMatrixModel(QObject* parent) : HeatmapModel(parent) {}

void ConfusionMatrixModel::setMatrix(const Matrix& matrix, const QStringList& classNames)
{
    beginResetModel();
    m_matrix = matrix;
    m_names = classNames;
    endResetModel();
}

void ConfusionMatrixModel::clear() { setMatrix({}, {}); }

void ConfusionMatrixModel::setTargetName(const QString& target)
{
    if (target == m_target)
        return;
    m_target = target;
    if (!m_matrix.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::ToolTipRole});
}

void ConfusionMatrixModel::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    // The scale and every cell change; a reset is the honest signal for that.
    beginResetModel();
    m_mode = mode;
    endResetModel();
    emit modeChanged(mode);
}

int ConfusionMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_matrix.size());
}

int ConfusionMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_matrix.size());
}

std::int64_t ConfusionMatrixModel::rowTotal(std::size_t row) const
{
    std::int64_t total = 0;
    if (row < m_matrix.size())
        for (auto v : m_matrix[row])
            total += v;
    return total;
}

std::int64_t ConfusionMatrixModel::columnTotal(std::size_t column) const
{
    std::int64_t total = 0;
    for (const auto& row : m_matrix)
        if (column < row.size())
            total += row[column];
    return total;
}

std::int64_t ConfusionMatrixModel::maxCount() const
{
    std::int64_t best = 0;
    for (const auto& row : m_matrix)
        for (auto v : row)
            best = std::max(best, v);
    return best;
}

QString ConfusionMatrixModel::className(std::size_t index) const
{
    if (index < std::size_t(m_names.size()) && !m_names[int(index)].isEmpty())
        return m_names[int(index)];
    return tr("class %1").arg(index);
}

QString ConfusionMatrixModel::rowsOf(std::size_t index, std::int64_t count) const
{
    const QString rows = count == 1 ? tr("1 row") : tr("%1 rows").arg(QLocale().toString(qlonglong(count)));
    return m_target.isEmpty() ? tr("%1 of class %2").arg(rows, className(index))
                              : tr("%1 with %2 = %3").arg(rows, m_target, className(index));
}

QString ConfusionMatrixModel::cellToolTip(std::size_t r, std::size_t c) const
{
    const std::int64_t count = m_matrix[r][c];
    const std::int64_t actual = rowTotal(r);
    const std::int64_t predicted = columnTotal(c);
    const QString actualName = className(r);
    const QString predictedName = className(c);
    QStringList lines;
    if (m_matrix.size() == 2) {
        // Class 1 is the positive class, as scikit-learn's pos_label=1 on encoded labels.
        const bool positiveActual = r == 1;
        const bool positivePredicted = c == 1;
        const QString kind = positiveActual ? (positivePredicted ? tr("True positives") : tr("False negatives"))
                                            : (positivePredicted ? tr("False positives") : tr("True negatives"));
        lines << tr("%1: %2 were predicted as %3.").arg(kind, rowsOf(r, count), predictedName);
        if (positiveActual && positivePredicted)
            lines << tr("Correct — the model found them.");
        else if (!positiveActual && !positivePredicted)
            lines << tr("Correct — the model rightly left them out of %1.").arg(className(1));
        else if (positivePredicted)
            lines << tr("Wrong — false alarms: they are %1, not %2.").arg(actualName, predictedName);
        else
            lines << tr("Wrong — missed: they are %1, but the model said %2.").arg(actualName, predictedName);
    } else {
        lines << tr("%1 were predicted as %2.").arg(rowsOf(r, count), predictedName);
        if (r == c)
            lines << tr("Correct — for %1 these are true positives.").arg(actualName);
        else
            lines << tr("Wrong — for %1 these are false positives, for %2 false negatives.")
                         .arg(predictedName, actualName);
    }
    lines << tr("%1 of the actual %2 rows · %3 of the rows predicted as %4")
                 .arg(actual > 0 ? cellPercent(double(count) / double(actual)) : QStringLiteral("0%"), actualName,
                      predicted > 0 ? cellPercent(double(count) / double(predicted)) : QStringLiteral("0%"),
                      predictedName);
    if (count > 0)
        lines << tr("Click to list these rows.");
    return lines.join(QLatin1Char('\n'));
}

QVariant ConfusionMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const auto r = std::size_t(index.row());
    const auto c = std::size_t(index.column());
    const std::int64_t count = c < m_matrix[r].size() ? m_matrix[r][c] : 0;
    const std::int64_t rows = rowTotal(r);
    const std::int64_t columns = columnTotal(c);
    const double rowShare = rows > 0 ? double(count) / double(rows) : 0.0;
    const double columnShare = columns > 0 ? double(count) / double(columns) : 0.0;
    const QString countText = QLocale().toString(qlonglong(count));
    switch (role) {
    case Qt::DisplayRole:
        switch (m_mode) {
        case Mode::Counts: return countText;
        case Mode::RowNormalized: return cellPercent(rowShare);
        case Mode::ColumnNormalized: return cellPercent(columnShare);
        }
        return {};
    case DetailRole:
        return m_mode == Mode::Counts ? cellPercent(rowShare) : tr("n = %1").arg(countText);
    case ValueRole:
        switch (m_mode) {
        case Mode::Counts: return double(count);
        case Mode::RowNormalized: return rowShare;
        case Mode::ColumnNormalized: return columnShare;
        }
        return {};
    case HighlightRole:
        return r == c;
    case Qt::ToolTipRole:
        return cellToolTip(r, c);
    default:
        return {};
    }
}

QVariant ConfusionMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section < 0 || section >= int(m_matrix.size()))
        return {};
    if (role == Qt::DisplayRole)
        return className(std::size_t(section));
    if (role == Qt::ToolTipRole)
        return orientation == Qt::Vertical ? tr("Rows that are actually %1").arg(className(std::size_t(section)))
                                           : tr("Rows predicted as %1").arg(className(std::size_t(section)));
    return {};
}

HeatmapModel::Scale ConfusionMatrixModel::scale() const
{
    Scale scale;
    scale.kind = Scale::Kind::Sequential;
    if (m_mode == Mode::Counts) {
        const std::int64_t best = maxCount();
        scale.low = 0.0;
        scale.high = double(std::max<std::int64_t>(1, best));
        scale.lowText = QStringLiteral("0");
        scale.midText = QLocale().toString(qlonglong(best / 2));
        scale.highText = QLocale().toString(qlonglong(best));
    } else {
        scale.low = 0.0;
        scale.high = 1.0;
        scale.lowText = QStringLiteral("0%");
        scale.midText = QStringLiteral("50%");
        scale.highText = QStringLiteral("100%");
    }
    return scale;
}

QString ConfusionMatrixModel::rowTitle() const { return tr("Actual"); }

QString ConfusionMatrixModel::columnTitle() const { return tr("Predicted"); }

QString ConfusionMatrixModel::highlightMeaning() const { return tr("correct predictions"); }

QString ConfusionMatrixModel::footnote() const
{
    switch (m_mode) {
    case Mode::Counts: return tr("rows = actual class · % of the row");
    case Mode::RowNormalized: return tr("shading = share of the actual class (diagonal = recall)");
    case Mode::ColumnNormalized: return tr("shading = share of the predicted class (diagonal = precision)");
    }
    return {};
}

} // namespace stepwise::ui
