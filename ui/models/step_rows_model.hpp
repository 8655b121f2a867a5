#pragma once
/// \file
/// \brief A sample of the rows entering or leaving a pipeline step, with what the step
/// changed highlighted.

#include <QAbstractTableModel>

#include <memory>
#include <vector>

#include "stepwise/data/table.hpp"

namespace stepwise::ui {

/// \brief The first `kSampleRows` rows of one side of a step (before or after), compared
/// with the other side by column name: on the after side, columns the step added are
/// tinted green; on the before side, columns it removed are tinted red; when both sides
/// hold the same rows, cells whose value changed are tinted amber on both, with the other
/// side's value as tooltip. Missing values show as a greyed "—".
class StepRowsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// \brief Rows shown of each side.
    static constexpr int kSampleRows = 50;
    /// \brief Which side of the step this model shows.
    enum class Side { Before, After };

    explicit StepRowsModel(Side side, QObject* parent = nullptr);

    /// \brief Shows `shown` compared with `other` (either may be null). `rowsAligned`:
    /// row i of both is the same row (the step kept every row), so cells can be compared.
    void setTables(std::shared_ptr<const data::Table> shown, std::shared_ptr<const data::Table> other,
                   bool rowsAligned);
    /// \brief The table shown (may be null).
    const std::shared_ptr<const data::Table>& table() const { return m_shown; }
    /// \brief True when column `column` is only on this side (added after, removed before).
    bool isOnlyHere(int column) const;
    /// \brief True when the cell's value differs on the other side.
    bool isChanged(int row, int column) const;
    /// \brief Number of changed cells among the rows shown.
    int changedCount() const { return m_changedCount; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Side m_side;
    std::shared_ptr<const data::Table> m_shown;
    std::shared_ptr<const data::Table> m_other;
    std::vector<int> m_otherColumn;  // per shown column: its index in the other table, -1 if absent
    std::vector<char> m_changed;     // rows × columns of the sample
    int m_changedCount = 0;
};

} // namespace stepwise::ui
