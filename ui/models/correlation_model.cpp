#include "models/correlation_model.hpp"

#include <QLocale>

#include <cmath>

namespace stepwise::ui {

QString formatCorrelation(double r)
{
    if (!std::isfinite(r))
        return QStringLiteral("—");
    // Only an exact ±1 reads "1": 0.998 shows as "1.00", close to but not the same.
    if (std::abs(r) == 1.0)
        return r < 0 ? QStringLiteral("\u22121") : QStringLiteral("1");
    const QString text = QString::number(std::abs(r), 'f', 2);
    if (text == QLatin1String("0.00"))
        return QStringLiteral("0");
    return r < 0 ? QStringLiteral("\u2212") + text : text;
}

CorrelationModel::CorrelationModel(QObject* parent) : HeatmapModel(parent) {}

void CorrelationModel::setMatrix(std::shared_ptr<const data::CorrelationMatrix> matrix)
{
    beginResetModel();
    m_matrix = std::move(matrix);
    endResetModel();
}

int CorrelationModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_matrix ? 0 : int(m_matrix->size());
}

int CorrelationModel::columnCount(const QModelIndex& parent) const { return rowCount(parent); }

QVariant CorrelationModel::data(const QModelIndex& index, int role) const
{
    if (!m_matrix || !index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const auto i = std::size_t(index.row());
    const auto j = std::size_t(index.column());
    const double r = m_matrix->at(i, j);
    switch (role) {
    case Qt::DisplayRole:
        return formatCorrelation(r);
    case ValueRole:
        return r;
    case Qt::ToolTipRole: {
        const QString a = QString::fromStdString(m_matrix->columns[i]);
        const QString b = QString::fromStdString(m_matrix->columns[j]);
        const std::size_t n = m_matrix->observationsAt(i, j);
        const QString rows = QLocale().toString(qulonglong(n));
        if (!std::isfinite(r))
            return n < 2 ? tr("%1 × %2: no correlation — only %3 rows have both values").arg(a, b, rows)
                         : tr("%1 × %2: no correlation — a column is constant on the %3 rows with both values")
                               .arg(a, b, rows);
        QString strength;
        const double size = std::abs(r);
        if (size >= 0.8)
            strength = tr("very strong");
        else if (size >= 0.6)
            strength = tr("strong");
        else if (size >= 0.4)
            strength = tr("moderate");
        else if (size >= 0.2)
            strength = tr("weak");
        else
            strength = tr("little or no");
        const QString direction = size < 0.2 ? QString() : (r > 0 ? tr(", they rise together") : tr(", one falls as the other rises"));
        return tr("%1 × %2: r = %3 on %4 rows with both values — %5 linear relation%6")
            .arg(a, b, QString::number(r, 'f', 3).replace(QLatin1Char('-'), QChar(0x2212)), rows, strength, direction);
    }
    default:
        return {};
    }
}

QVariant CorrelationModel::headerData(int section, Qt::Orientation, int role) const
{
    if (!m_matrix || section < 0 || section >= int(m_matrix->size()))
        return {};
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return QString::fromStdString(m_matrix->columns[std::size_t(section)]);
    return {};
}

HeatmapModel::Scale CorrelationModel::scale() const
{
    Scale scale;
    scale.kind = Scale::Kind::Diverging;
    scale.low = -1.0;
    scale.high = 1.0;
    scale.lowText = QStringLiteral("\u22121");
    scale.midText = QStringLiteral("0");
    scale.highText = QStringLiteral("+1");
    return scale;
}

QString CorrelationModel::footnote() const
{
    return tr("Pearson r on the rows where both values are present · blue: rise together · red: one falls as the "
              "other rises");
}

} // namespace stepwise::ui
