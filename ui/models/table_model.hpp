#pragma once
/// \file
/// \brief A read-only Qt item model over an immutable engine table.

#include <QAbstractTableModel>

#include <memory>
#include <string>

#include "stepwise/data/table.hpp"

namespace stepwise::ui {

/// \brief Shows a `data::Table` in a view without copying it. Rows are exposed in blocks
/// (`canFetchMore`/`fetchMore`), so a view over a million rows opens instantly and
/// grows as the user scrolls. Missing values show as a greyed "—" on a tinted cell;
/// numbers are right-aligned; the header tooltip gives the column's type.
class TableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// \brief Rows made visible per `fetchMore`.
    static constexpr int kFetchBlock = 5000;

    explicit TableModel(QObject* parent = nullptr);

    /// \brief Shows `table` (null clears the model).
    void setTable(std::shared_ptr<const data::Table> table);
    /// \brief The table shown.
    const std::shared_ptr<const data::Table>& table() const { return m_table; }
    /// \brief Marks the target column (bold header, tinted).
    void setTargetColumn(const std::string& name);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

private:
    std::shared_ptr<const data::Table> m_table;
    int m_loadedRows = 0;
    int m_targetColumn = -1;
};

} // namespace stepwise::ui
