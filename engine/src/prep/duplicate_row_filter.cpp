#include "prep/duplicate_row_filter.hpp"

#include <limits>

#include "prep/fitted_columns.hpp"
#include "stepwise/prep/row_checks.hpp"

namespace stepwise::prep {

DuplicateRowFilter::DuplicateRowFilter(std::vector<std::string> columns, KeepDuplicate keep)
    : m_columns(std::move(columns)), m_keep(keep)
{
}

std::string DuplicateRowFilter::describe() const
{
    std::string text = "drop duplicate rows";
    if (!m_columns.empty()) {
        text.append(" (equal in ");
        text.append(countOf(m_columns.size(), "chosen column"));
        text.push_back(')');
    }
    switch (m_keep) {
    case KeepDuplicate::First:
        text.append(", keeping the first of each group");
        break;
    case KeepDuplicate::Last:
        text.append(", keeping the last of each group");
        break;
    case KeepDuplicate::None:
        text.append(", keeping none of them");
        break;
    }
    return text;
}

std::vector<std::size_t> DuplicateRowFilter::keptRows(const data::Table& table, core::TaskControl& control) const
{
    // The counting API finds the groups, so the Prep page's count is what this removes.
    const DuplicateReport report = findDuplicates(table, m_columns, control);
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    // For each repeat, the first row of its group; for each first row, the last row
    // repeating it (repeats are ascending, so the last write wins).
    std::vector<std::size_t> firstOf(table.rowCount(), kNone);
    std::vector<std::size_t> lastRepeat(table.rowCount(), kNone);
    for (std::size_t i = 0; i < report.repeats.size(); ++i) {
        firstOf[report.repeats[i]] = report.firstOccurrence[i];
        lastRepeat[report.firstOccurrence[i]] = report.repeats[i];
    }

    std::vector<std::size_t> kept;
    kept.reserve(table.rowCount() - report.repeats.size());
    for (std::size_t row = 0; row < table.rowCount(); ++row) {
        const bool isRepeat = firstOf[row] != kNone;
        const bool unique = !isRepeat && lastRepeat[row] == kNone;
        bool keep = unique;
        switch (m_keep) {
        case KeepDuplicate::First:
            keep = !isRepeat;
            break;
        case KeepDuplicate::Last:
            keep = unique || (isRepeat && lastRepeat[firstOf[row]] == row);
            break;
        case KeepDuplicate::None:
            break;
        }
        if (keep)
            kept.push_back(row);
    }
    return kept;
}

} // namespace stepwise::prep
