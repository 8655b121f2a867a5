#pragma once
/// \file
/// \brief The rows that repeat an earlier row, listed beside the row they repeat.

#include <QDialog>

#include <memory>
#include <string>
#include <vector>

#include "stepwise/data/table.hpp"
#include "stepwise/prep/row_checks.hpp"

class QTableWidget;

namespace stepwise::ui {

/// \brief A non-modal window listing each repeated row (0-based row number in the data,
/// the row it repeats, and the compared columns' values), so the user can judge whether
/// the repeats are real events or copies before dropping them.
class DuplicateRowsDialog : public QDialog {
    Q_OBJECT
public:
    /// \brief Rows listed at most; the title says how many there are in all.
    static constexpr std::size_t kMaxRows = 1000;

    DuplicateRowsDialog(std::shared_ptr<const data::Table> table, const prep::DuplicateReport& report,
                        const std::vector<std::string>& columns, QWidget* parent = nullptr);

    /// \brief The table of repeated rows (for tests).
    QTableWidget* rowsTable() const { return m_rows; }

private:
    QTableWidget* m_rows;
};

} // namespace stepwise::ui
