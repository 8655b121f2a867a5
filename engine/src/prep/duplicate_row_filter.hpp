#pragma once
// Dropping repeated rows before the split (pandas' drop_duplicates), so the same row
// cannot land in both the training and the test rows and flatter the scores.

#include <string>
#include <vector>

#include "stepwise/prep/step.hpp"

namespace stepwise::prep {

/// Which of a group of equal rows stays (pandas' `keep`).
enum class KeepDuplicate {
    First,  ///< the first of each group (keep="first")
    Last,   ///< the last of each group (keep="last")
    None,   ///< none of them (keep=False)
};

/// Keeps one row (or none) of each group of rows that are equal in the chosen columns
/// (all columns when none are chosen); missing values count as equal to each other.
class DuplicateRowFilter final : public RowFilter {
public:
    DuplicateRowFilter(std::vector<std::string> columns, KeepDuplicate keep);

    std::string describe() const override;
    std::vector<std::size_t> keptRows(const data::Table& table, core::TaskControl& control) const override;

private:
    std::vector<std::string> m_columns;
    KeepDuplicate m_keep;
};

} // namespace stepwise::prep
