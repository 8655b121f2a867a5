#pragma once
/// \file
/// \brief Some test rows of a classification result, with their data, actual and
/// predicted class and probabilities: what one confusion-matrix cell holds.

#include <QAbstractTableModel>

#include <cstddef>
#include <memory>
#include <vector>

#include "stepwise/data/table.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::ui {

/// \brief Lists chosen test rows of a `RunResult`: the row number in the data
/// (0-based, as the Data page counts), the actual class, the predicted class, one
/// probability per class when the model gives them, then every column of the data
/// table. Cell
/// text is made when the view asks, so a cell of thousands of rows opens at once. The
/// target column is tinted, a wrong prediction is shown in red.
class TestRowsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit TestRowsModel(QObject* parent = nullptr);

    /// \brief Shows the test rows at `positions` (indexes into `result->testRows` and the
    /// per-row vectors) with the data of `table`, the table the result was evaluated on.
    void setRows(std::shared_ptr<const data::Table> table, std::shared_ptr<const workflow::RunResult> result,
                 std::vector<std::size_t> positions);
    /// \brief Empties the model.
    void clear();
    /// \brief The positions shown (indexes into the result's test vectors).
    const std::vector<std::size_t>& positions() const { return m_positions; }
    /// \brief The data row shown in view row `row`.
    std::size_t dataRow(int row) const;
    /// \brief The "Actual" column (after "Row").
    int actualColumn() const { return 1; }
    /// \brief The "Predicted" column.
    int predictedColumn() const { return 2; }
    /// \brief The column of the probability of class `classIndex`, or -1 without
    /// probabilities.
    int probabilityColumn(int classIndex) const;
    /// \brief The column of the data table's first column.
    int firstDataColumn() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString className(int index) const;
    int dataColumns() const;
    int probabilityCount() const;

    std::shared_ptr<const data::Table> m_table;
    std::shared_ptr<const workflow::RunResult> m_result;
    std::vector<std::size_t> m_positions;
    int m_targetColumn = -1;
};

} // namespace stepwise::ui
