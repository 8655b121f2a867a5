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
    for (auto v : m_matrix[row])
        total += v;
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

QVariant ConfusionMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const auto r = std::size_t(index.row());
    const auto c = std::size_t(index.column());
    const std::int64_t count = c < m_matrix[r].size() ? m_matrix[r][c] : 0;
    const std::int64_t total = rowTotal(r);
    const double share = total > 0 ? double(count) / double(total) : 0.0;
    const QString countText = QLocale().toString(qlonglong(count));
    switch (role) {
    case Qt::DisplayRole:
        return m_mode == Mode::Counts ? countText : cellPercent(share);
    case DetailRole:
        return m_mode == Mode::Counts ? cellPercent(share) : tr("n = %1").arg(countText);
    case ValueRole:
        return m_mode == Mode::Counts ? double(count) : share;
    case HighlightRole:
        return r == c;
    case Qt::ToolTipRole: {
        const QString shareText = total > 0 ? cellPercent(share) : QStringLiteral("0%");
        return r == c ? tr("Actual %1, predicted %1 (correct): %2 rows — %3 of the actual %1 rows")
                            .arg(className(r), countText, shareText)
                      : tr("Actual %1, predicted %2 (wrong): %3 rows — %4 of the actual %1 rows")
                            .arg(className(r), className(c), countText, shareText);
    }
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
    return m_mode == Mode::Counts ? tr("rows = actual class · % of the row") : tr("shading = share of the actual class");
}

} // namespace stepwise::ui
