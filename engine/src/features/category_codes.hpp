#pragma once
// What both encoders learn and look up: the sorted categories that occur in the training
// rows, and for a column to transform, where each of its levels sits among them.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "prep/fitted_columns.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::features {

/// The levels that occur in the column's present values, sorted by their text (byte
/// order, which for UTF-8 is code-point order, as NumPy sorts Python strings).
inline std::vector<std::string> sortedPresentLevels(const data::Column& column)
{
    std::vector<bool> used(column.levels().size(), false);
    for (std::int32_t code : column.codes())
        if (code != data::Column::kMissingCode)
            used[static_cast<std::size_t>(code)] = true;
    std::vector<std::string> levels;
    for (std::size_t level = 0; level < used.size(); ++level)
        if (used[level])
            levels.push_back(column.levels()[level]);
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    return levels;
}

/// For every level of `column`, its index in the sorted `categories`, or -1 when the
/// training rows never had it. Codes are looked up by text, so a table whose levels are
/// numbered differently from the training table's is encoded the same way.
inline std::vector<std::int32_t> categoryOfEachLevel(const data::Column& column,
                                                     const std::vector<std::string>& categories)
{
    std::vector<std::int32_t> result;
    result.reserve(column.levels().size());
    for (const std::string& level : column.levels()) {
        const auto found = std::lower_bound(categories.begin(), categories.end(), level);
        result.push_back(found != categories.end() && *found == level
                             ? static_cast<std::int32_t>(found - categories.begin())
                             : -1);
    }
    return result;
}

/// What an encoder learns: each categorical training column and its sorted categories.
struct FittedCategories {
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> categories;
};

/// Learns the categories of the `requested` categorical columns of `train` (empty: all
/// of them); throws `DataError` for a column without a present value. `step` names the
/// encoder in messages.
inline FittedCategories fitCategories(const data::Table& train, const std::vector<std::string>& requested,
                                      core::TaskControl& control, const std::string& step)
{
    FittedCategories fitted;
    const std::vector<std::string> encoded =
        prep::columnsInScope(train, requested, prep::ColumnScope::Categorical, step);
    for (std::size_t index = 0; index < encoded.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(encoded.size()), "fitting the " + step);
        const data::Column& column = train.column(encoded[index]);
        std::vector<std::string> levels = sortedPresentLevels(column);
        if (levels.empty())
            throw prep::noTrainingValues(column.name());
        fitted.names.push_back(column.name());
        fitted.categories.push_back(std::move(levels));
    }
    control.progress(1.0);
    return fitted;
}

/// True when `categories` is non-empty, strictly ascending — what a loaded encoder
/// must hold for its lookups to be right.
inline bool areSortedCategories(const std::vector<std::string>& categories)
{
    return !categories.empty() &&
           std::adjacent_find(categories.begin(), categories.end(), [](const std::string& a, const std::string& b) {
               return !(a < b);
           }) == categories.end();
}

/// True when a loaded encoder's state hangs together: fitted, one category list per
/// column, each non-empty and strictly ascending.
inline bool isConsistentFit(bool fitted, const std::vector<std::string>& names,
                            const std::vector<std::vector<std::string>>& categories)
{
    return fitted && names.size() == categories.size() &&
           std::all_of(categories.begin(), categories.end(), areSortedCategories);
}

} // namespace stepwise::features
