#pragma once
/// \file
/// \brief One row per column of the loaded table: its kind, missing values, summary
/// statistics, most frequent values and flags (pandas `info()` and `describe()` in one).

#include <QAbstractTableModel>

#include <memory>
#include <string>

#include "stepwise/data/column.hpp"
#include "stepwise/data/profile.hpp"

namespace stepwise::ui {

/// \brief Shows a `data::DataProfile`. The Kind column is editable: setting it to a kind
/// name does not change the model but emits `kindChangeRequested`, and the change shows
/// when the converted table's profile arrives (a conversion may fail, then nothing
/// changes). Missing carries its share in `Qt::UserRole` for `ShareBarDelegate`.
class ColumnOverviewModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// \brief The model's columns.
    enum Field { Name, Kind, Missing, Unique, Mean, Std, Min, Q1, Median, Q3, Max, Top, Flags, FieldCount };

    explicit ColumnOverviewModel(QObject* parent = nullptr);

    /// \brief Shows `profile` (null empties the model); `target` is shown in bold.
    void setProfile(std::shared_ptr<const data::DataProfile> profile, const std::string& target);
    /// \brief The profile shown.
    const std::shared_ptr<const data::DataProfile>& profile() const { return m_profile; }
    /// \brief Row of the named column, or -1.
    int rowOf(const std::string& column) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

signals:
    /// \brief The user chose another kind for `column`.
    void kindChangeRequested(const QString& column, stepwise::data::ColumnKind kind);

private:
    QVariant statistic(const data::ColumnProfile& column, Field field, int role) const;

    std::shared_ptr<const data::DataProfile> m_profile;
    std::string m_target;
};

/// \brief A summary statistic as the overview shows it: whole numbers with group
/// separators, otherwise four significant digits ("32.2", "0.3838", "1.2e+06"); "—"
/// for NaN.
QString formatStatistic(double value);
/// \brief A flag's kind in words ("Possible target leak").
QString flagTitle(const std::string& kind);
/// \brief A flag's kind in a word or two, for a narrow column ("leak?").
QString flagShortTitle(const std::string& kind);
/// \brief What choosing `kind` for a column means, for tooltips.
QString columnKindHelp(data::ColumnKind kind);

} // namespace stepwise::ui
