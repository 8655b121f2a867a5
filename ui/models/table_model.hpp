#pragma once
/// \file
/// \brief A read-only Qt item model over an immutable engine table, with sort and filter.

#include <QAbstractTableModel>
#include <QString>

#include <memory>
#include <string>

#include "models/row_arrangement.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::ui {

class BackgroundTask;

/// \brief Shows a `data::Table` in a view without copying it: the model holds the shared
/// table and, once sorted or filtered, a vector of the row numbers shown in order; cell
/// text is made only when the view asks for it, so a million rows open instantly and
/// scroll at the speed of the visible cells. Clicking a header sorts (stable, missing
/// last; a third click restores the file order); `setFilter` keeps the rows containing a
/// text. Tables larger than `kBackgroundRows` are sorted and filtered on `task()`, off
/// the GUI thread, with progress and Cancel. Missing values show as a greyed "—" on a
/// tinted cell; numbers are right-aligned; the vertical header gives the row number in
/// the file (0-based); the header tooltip gives the column's kind.
class TableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// \brief Tables with more rows are sorted and filtered in the background.
    static constexpr std::size_t kBackgroundRows = 200000;

    explicit TableModel(QObject* parent = nullptr);
    ~TableModel() override;

    /// \brief Shows `table` (null clears the model) in file order, unfiltered.
    void setTable(std::shared_ptr<const data::Table> table);
    /// \brief The table shown.
    const std::shared_ptr<const data::Table>& table() const { return m_table; }
    /// \brief Marks the target column (bold header, tinted).
    void setTargetColumn(const std::string& name);

    /// \brief The table row shown in view row `row`.
    std::size_t sourceRow(int row) const;
    /// \brief The column sorted by (-1 = file order) and the direction.
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    /// \brief Sorts by `column` (-1 = file order). Synchronous for small tables; for
    /// large ones the rows change when `task()` finishes (`arranged()` is emitted).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    /// \brief Keeps the rows whose text contains `text` (ASCII case ignored) in `column`,
    /// or in any column when `column < 0`; empty text shows all rows.
    void setFilter(const QString& text, int column = -1);
    /// \brief The filter text and column.
    const QString& filterText() const { return m_filterText; }
    int filterColumn() const { return m_filterColumn; }
    /// \brief The background slot that sorts and filters large tables.
    BackgroundTask* task() const { return m_task; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    /// \brief A sort or filter took effect (also after a background run).
    void arranged();

private:
    struct Arrangement {
        std::shared_ptr<const data::Table> table;
        int sortColumn = -1;
        Qt::SortOrder sortOrder = Qt::AscendingOrder;
        QString filterText;
        int filterColumn = -1;
        std::shared_ptr<const RowIndex> filtered;  ///< rows passing the filter, file order; null = all
        std::shared_ptr<const RowIndex> rows;      ///< rows shown, in order; null = all in file order
    };
    void arrange(bool refilter);
    void apply(const Arrangement& arrangement, bool refiltered);

    std::shared_ptr<const data::Table> m_table;
    std::shared_ptr<const RowIndex> m_filtered;
    std::shared_ptr<const RowIndex> m_rows;
    int m_targetColumn = -1;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QString m_filterText;
    int m_filterColumn = -1;
    // What the rows shown were made for; a cancelled run reverts the request to it.
    int m_appliedSortColumn = -1;
    Qt::SortOrder m_appliedSortOrder = Qt::AscendingOrder;
    QString m_appliedFilterText;
    int m_appliedFilterColumn = -1;
    BackgroundTask* m_task;
};

} // namespace stepwise::ui
