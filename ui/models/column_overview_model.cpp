#include "models/column_overview_model.hpp"

#include <QApplication>
#include <QFont>
#include <QIcon>
#include <QLocale>
#include <QStringList>

#include <cmath>

#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

std::optional<double> statisticOf(const data::ColumnProfile& column, ColumnOverviewModel::Field field)
{
    switch (field) {
    case ColumnOverviewModel::Mean:
        return column.mean;
    case ColumnOverviewModel::Std:
        return column.std;
    case ColumnOverviewModel::Min:
        return column.min;
    case ColumnOverviewModel::Q1:
        return column.q1;
    case ColumnOverviewModel::Median:
        return column.median;
    case ColumnOverviewModel::Q3:
        return column.q3;
    case ColumnOverviewModel::Max:
        return column.max;
    default:
        return std::nullopt;
    }
}

QString percentOf(double fraction)
{
    const double percent = 100.0 * fraction;
    if (percent <= 0)
        return QStringLiteral("0%");
    if (percent < 0.1)
        return QStringLiteral("<0.1%");
    return QLocale().toString(percent, 'f', percent < 10 ? 1 : 0) + QLatin1Char('%');
}

QString share(std::size_t count, std::size_t total)
{
    return total == 0 ? QStringLiteral("0%") : percentOf(double(count) / double(total));
}

} // namespace

QString formatStatistic(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("—");
    const double magnitude = std::abs(value);
    const QLocale locale;
    if (value == std::floor(value) && magnitude < 1e12)
        return locale.toString(qlonglong(value));
    if (magnitude >= 1e6 || magnitude < 1e-3)
        return locale.toString(value, 'g', 3);
    if (magnitude >= 1000)
        return locale.toString(value, 'f', magnitude >= 10000 ? 0 : 1);
    return locale.toString(value, 'g', 4);
}

QString flagTitle(const std::string& kind)
{
    if (kind == "target_leak")
        return QObject::tr("Possible target leak");
    if (kind == "id_like")
        return QObject::tr("Looks like an ID");
    if (kind == "constant")
        return QObject::tr("Constant column");
    if (kind == "high_cardinality")
        return QObject::tr("Many categories");
    return QString::fromStdString(kind);
}

QString flagShortTitle(const std::string& kind)
{
    if (kind == "target_leak")
        return QObject::tr("leak?");
    if (kind == "id_like")
        return QObject::tr("ID-like");
    if (kind == "constant")
        return QObject::tr("constant");
    if (kind == "high_cardinality")
        return QObject::tr("many categories");
    return QString::fromStdString(kind);
}

QString columnKindHelp(data::ColumnKind kind)
{
    switch (kind) {
    case data::ColumnKind::Numeric:
        return QObject::tr("numeric — measured quantities; averages and distances make sense");
    case data::ColumnKind::Integer:
        return QObject::tr("integer — whole numbers such as counts; every value must be whole");
    case data::ColumnKind::Boolean:
        return QObject::tr("boolean — two values, true/false (stored as 1/0)");
    case data::ColumnKind::Datetime:
        return QObject::tr("datetime — dates and times (ISO 8601 and common formats)");
    case data::ColumnKind::Categorical:
        return QObject::tr("categorical — labels from a small set; codes that are numbers but mean a group (a "
                           "postcode, a class 1/2/3) belong here");
    case data::ColumnKind::Text:
        return QObject::tr("text — free text, mostly different in every row");
    }
    return {};
}

ColumnOverviewModel::ColumnOverviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void ColumnOverviewModel::setProfile(std::shared_ptr<const data::DataProfile> profile, const std::string& target)
{
    beginResetModel();
    m_profile = std::move(profile);
    m_target = target;
    endResetModel();
}

int ColumnOverviewModel::rowOf(const std::string& column) const
{
    if (!m_profile)
        return -1;
    for (std::size_t i = 0; i < m_profile->columns.size(); ++i)
        if (m_profile->columns[i].name == column)
            return int(i);
    return -1;
}

int ColumnOverviewModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_profile ? 0 : int(m_profile->columns.size());
}

int ColumnOverviewModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : FieldCount; }

Qt::ItemFlags ColumnOverviewModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Kind)
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool ColumnOverviewModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!m_profile || !index.isValid() || index.column() != Kind || role != Qt::EditRole)
        return false;
    const auto kind = data::columnKindFromString(value.toString().toStdString());
    const auto& column = m_profile->columns[std::size_t(index.row())];
    if (!kind || column.kind == data::toString(*kind))
        return false;
    emit kindChangeRequested(QString::fromStdString(column.name), *kind);
    // The shown kind changes only when the converted table arrives.
    return false;
}

QVariant ColumnOverviewModel::statistic(const data::ColumnProfile& column, Field field, int role) const
{
    const auto value = statisticOf(column, field);
    if (!value)
        return {};
    const bool datetime = column.kind == "datetime";
    switch (role) {
    case Qt::DisplayRole:
        if (datetime)
            return QString::fromStdString(data::formatProfileValue(column, *value));
        if (column.kind == "boolean" && field == Mean)
            return tr("%1 True").arg(percentOf(*value));
        return formatStatistic(*value);
    case Qt::ToolTipRole:
        if (column.kind == "boolean" && field == Mean)
            return tr("Share of rows that are True: %1").arg(QString::fromStdString(data::formatNumber(*value)));
        return QString::fromStdString(data::formatProfileValue(column, *value));
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant ColumnOverviewModel::data(const QModelIndex& index, int role) const
{
    if (!m_profile || !index.isValid() || index.row() >= rowCount())
        return {};
    const auto& column = m_profile->columns[std::size_t(index.row())];
    const auto field = Field(index.column());
    const QLocale locale;
    const QString name = QString::fromStdString(column.name);
    QStringList flagTitles;
    QStringList flagMessages;
    bool leak = false;
    for (const auto& flag : m_profile->flags) {
        if (flag.column != column.name)
            continue;
        flagTitles << flagShortTitle(flag.kind);
        flagMessages << flagTitle(flag.kind) + QStringLiteral(": ") + QString::fromStdString(flag.message);
        leak = leak || flag.kind == "target_leak";
    }
    switch (field) {
    case Name:
        if (role == Qt::DisplayRole)
            return name;
        if (role == Qt::FontRole && column.name == m_target) {
            QFont font = QApplication::font();
            font.setBold(true);
            return font;
        }
        if (role == Qt::ToolTipRole)
            return column.name == m_target ? tr("%1 — the target column").arg(name) : name;
        return {};
    case Kind:
        if (role == Qt::DisplayRole || role == Qt::EditRole)
            return QString::fromStdString(column.kind);
        if (role == Qt::ToolTipRole) {
            const auto kind = data::columnKindFromString(column.kind);
            return (kind ? columnKindHelp(*kind) : QString::fromStdString(column.kind)) +
                   tr("\nClick to change the type; the change is kept in the recipe.");
        }
        return {};
    case Missing:
        if (role == Qt::DisplayRole)
            return column.missing == 0 ? QStringLiteral("–")
                                       : QStringLiteral("%1 · %2").arg(locale.toString(qulonglong(column.missing)),
                                                                       share(column.missing, m_profile->rows));
        if (role == Qt::UserRole && column.missing > 0)
            return double(column.missing) / double(std::max<std::size_t>(1, m_profile->rows));
        if (role == Qt::ToolTipRole)
            return tr("%1 of %2 rows missing").arg(locale.toString(qulonglong(column.missing)),
                                                  locale.toString(qulonglong(m_profile->rows)));
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Unique:
        if (role == Qt::DisplayRole)
            return locale.toString(qulonglong(column.unique));
        if (role == Qt::ToolTipRole)
            return tr("%1 distinct values among the present ones").arg(locale.toString(qulonglong(column.unique)));
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Mean:
    case Std:
    case Min:
    case Q1:
    case Median:
    case Q3:
    case Max:
        return statistic(column, field, role);
    case Top: {
        if (column.top.empty())
            return {};
        if (role == Qt::DisplayRole) {
            QStringList parts;
            for (std::size_t i = 0; i < column.top.size() && i < 3; ++i)
                parts << QStringLiteral("%1 (%2)").arg(QString::fromStdString(column.top[i].first),
                                                       locale.toString(qulonglong(column.top[i].second)));
            return parts.join(QStringLiteral(", "));
        }
        if (role == Qt::ToolTipRole) {
            QStringList lines;
            for (const auto& [value, count] : column.top)
                lines << tr("%1: %2 rows (%3)")
                             .arg(QString::fromStdString(value), locale.toString(qulonglong(count)),
                                  share(count, m_profile->rows));
            return tr("Most frequent values\n") + lines.join(QLatin1Char('\n'));
        }
        return {};
    }
    case Flags:
        if (flagTitles.isEmpty())
            return {};
        if (role == Qt::DisplayRole)
            return flagTitles.join(QStringLiteral(", "));
        if (role == Qt::ToolTipRole)
            return flagMessages.join(QLatin1Char('\n'));
        if (role == Qt::DecorationRole)
            return QIcon(bannerIcon(leak ? StatusBanner::Level::Warning : StatusBanner::Level::Info, 14,
                                    qApp->devicePixelRatio()));
        return {};
    case FieldCount:
        return {};
    }
    return {};
}

QVariant ColumnOverviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= FieldCount)
        return {};
    static const char* const titles[FieldCount] = {
        QT_TR_NOOP("Column"), QT_TR_NOOP("Type"), QT_TR_NOOP("Missing"), QT_TR_NOOP("Unique"),
        QT_TR_NOOP("Mean"),   QT_TR_NOOP("Std"),  QT_TR_NOOP("Min"),     QT_TR_NOOP("25%"),
        QT_TR_NOOP("Median"), QT_TR_NOOP("75%"),  QT_TR_NOOP("Max"),     QT_TR_NOOP("Top values"),
        QT_TR_NOOP("Flags")};
    static const char* const tips[FieldCount] = {
        QT_TR_NOOP("The column's name (bold: the target)"),
        QT_TR_NOOP("What the values mean — click a type to change it"),
        QT_TR_NOOP("Missing values: how many, and their share of all rows"),
        QT_TR_NOOP("Distinct present values"),
        QT_TR_NOOP("Average of the present values (booleans: share of True)"),
        QT_TR_NOOP("Standard deviation (sample, as pandas): how far values typically are from the mean"),
        QT_TR_NOOP("Smallest value"),
        QT_TR_NOOP("First quartile: a quarter of the values are below it"),
        QT_TR_NOOP("Median: half of the values are below it"),
        QT_TR_NOOP("Third quartile: three quarters of the values are below it"),
        QT_TR_NOOP("Largest value"),
        QT_TR_NOOP("Most frequent values with their counts"),
        QT_TR_NOOP("Warnings about the column — hover for what to do")};
    if (role == Qt::DisplayRole)
        return tr(titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    if (role == Qt::TextAlignmentRole)
        return int((section >= Missing && section <= Max ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    return {};
}

} // namespace stepwise::ui
