#pragma once
// What both encoders learn and look up: the sorted categories that occur in the training
// rows, and for a column to transform, where each of its levels sits among them.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "stepwise/data/column.hpp"

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

/// True when `categories` is non-empty, strictly ascending — what a loaded encoder
/// must hold for its lookups to be right.
inline bool areSortedCategories(const std::vector<std::string>& categories)
{
    return !categories.empty() &&
           std::adjacent_find(categories.begin(), categories.end(), [](const std::string& a, const std::string& b) {
               return !(a < b);
           }) == categories.end();
}

} // namespace stepwise::features
