#pragma once
// What both encoders learn and look up: the sorted categories that occur in the training
// rows (or a user's order), and for a column to transform, where each of its levels and
// rows sits among them.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// For every level of `column`, its index in `categories` (sorted, or in a user's
/// order), or -1 when `categories` does not hold it. Codes are looked up by text, so a
/// table whose levels are numbered differently from the training table's is encoded the
/// same way.
inline std::vector<std::int32_t> categoryOfEachLevel(const data::Column& column,
                                                     const std::vector<std::string>& categories)
{
    std::unordered_map<std::string_view, std::int32_t> index;
    index.reserve(categories.size());
    for (std::size_t i = 0; i < categories.size(); ++i)
        index.emplace(categories[i], static_cast<std::int32_t>(i));
    std::vector<std::int32_t> result;
    result.reserve(column.levels().size());
    for (const std::string& level : column.levels()) {
        const auto found = index.find(level);
        result.push_back(found != index.end() ? found->second : -1);
    }
    return result;
}

/// The DataError of an encoder set to refuse categories it was not fitted with
/// (unknown=error): names the row of `column`, the column and the value; `ignoredAs` is
/// what unknown=ignore would give ("all zeros").
inline core::DataError unknownCategory(const data::Column& column, std::size_t row, const std::string& step,
                                       const std::string& ignoredAs)
{
    std::string message = "row ";
    message.append(std::to_string(row));
    message.append(", column '");
    message.append(column.name());
    message.append("': the category '");
    message.append(column.textAt(row));
    message.append("' did not occur in the training rows, and the ");
    message.append(step);
    message.append(" is set to refuse unknown categories — set unknown=ignore to encode it as ");
    message.append(ignoredAs);
    message.append(", or fix the value");
    return core::DataError(message);
}

/// What `categoryOfEachRow` gives a row whose category the encoder does not know.
constexpr std::int32_t kUnknownCategory = -1;
/// What `categoryOfEachRow` gives a row with a missing value.
constexpr std::int32_t kMissingCategory = -2;

/// For each row of `column`: its category index, `kUnknownCategory` for a level
/// `categories` does not hold, or `kMissingCategory` for a missing value. With
/// `refuseUnknown`, an unknown level is an `unknownCategory` error instead.
inline std::vector<std::int32_t> categoryOfEachRow(const data::Column& column,
                                                   const std::vector<std::string>& categories, bool refuseUnknown,
                                                   const std::string& step, const std::string& ignoredAs)
{
    const std::vector<std::int32_t> categoryOf = categoryOfEachLevel(column, categories);
    const auto& codes = column.codes();
    std::vector<std::int32_t> result(codes.size(), kMissingCategory);
    for (std::size_t row = 0; row < codes.size(); ++row) {
        if (codes[row] == data::Column::kMissingCode)
            continue;
        result[row] = categoryOf[static_cast<std::size_t>(codes[row])];
        if (result[row] < 0 && refuseUnknown)
            throw unknownCategory(column, row, step, ignoredAs);
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

/// True when `categories` is non-empty and has no repeats — what a user's order must be.
inline bool areDistinctCategories(std::vector<std::string> categories)
{
    std::sort(categories.begin(), categories.end());
    return areSortedCategories(categories);
}

/// True when a loaded encoder's state hangs together: fitted, one category list per
/// column, each non-empty and strictly ascending (or, with `userOrder`, one column whose
/// list has no repeats).
inline bool isConsistentFit(bool fitted, const std::vector<std::string>& names,
                            const std::vector<std::vector<std::string>>& categories, bool userOrder = false)
{
    if (!fitted || names.size() != categories.size())
        return false;
    if (userOrder)
        return names.size() == 1 && areDistinctCategories(categories.front());
    return std::all_of(categories.begin(), categories.end(), areSortedCategories);
}

} // namespace stepwise::features
