#include "prep/outlier_remover.hpp"

#include "prep/fitted_columns.hpp"
#include "prep/outlier_bounds.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::prep {

OutlierRemover::OutlierRemover(OutlierRule rule, double factor, std::vector<std::string> columns)
    : m_rule(rule), m_factor(factor), m_columns(std::move(columns))
{
}

std::string OutlierRemover::describe() const
{
    std::string text = "removal of training rows outside ";
    text.append(describeOutlierRule(m_rule, m_factor));
    if (m_columns.empty()) {
        text.append(" in any non-boolean numeric column");
    } else {
        text.append(" in any of ");
        text.append(countOf(m_columns.size(), "chosen column"));
    }
    return text;
}

LabelledRows OutlierRemover::apply(LabelledRows rows, std::uint64_t, core::TaskControl& control) const
{
    // The same bounds and the same rows the Prep page counts.
    const OutlierReport report = findOutliers(rows.table, m_columns, m_rule, m_factor, control);
    const std::vector<bool> outliers = rowsWithOutliers(rows.table, report, control);
    std::vector<std::size_t> kept;
    kept.reserve(outliers.size());
    for (std::size_t row = 0; row < outliers.size(); ++row)
        if (!outliers[row])
            kept.push_back(row);
    if (kept.size() == outliers.size())
        return rows;
    if (kept.empty())
        throw core::DataError("removing outliers would drop every training row — raise the factor, choose fewer "
                              "columns, or clip instead of removing");
    LabelledRows result{rows.table.selectRows(kept), rows.target};
    if (!rows.target.values.empty()) {
        result.target.values.clear();
        for (std::size_t row : kept)
            result.target.values.push_back(rows.target.values.at(row));
    }
    return result;
}

} // namespace stepwise::prep
