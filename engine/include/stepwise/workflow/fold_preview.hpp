#pragma once
/// \file
/// \brief The cross-validation folds of a recipe on its data, row by row, exactly as
/// `runRecipe` cuts them — for showing how k-fold, stratified and time-series folds are
/// made from the user's own rows.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {

/// \brief The training rows of a recipe and the fold each one is tested in.
struct FoldPreview {
    evaluation::CvSpec spec;  ///< the folds shown
    /// \brief True when `spec` is the recipe's own cross-validation; false when the recipe
    /// has none and `spec` is what its search would use (scikit-learn's cv=5 default).
    bool fromRecipe = false;
    /// \brief Rows of the data the model trains on (after the row filters and the split),
    /// in the order the folds are cut from them: ascending, or by time when the recipe
    /// splits by time.
    std::vector<std::size_t> rows;
    /// \brief The folds, as positions into `rows` (ascending), in fold order.
    std::vector<evaluation::Fold> folds;
    /// \brief For each position of `rows`: the fold whose test block holds it, or -1 when
    /// no fold tests it (the first window of a time-series split).
    std::vector<int> testFold;
    /// \brief Classification: the class index of each position of `rows` (into
    /// `classLabels`); empty for regression.
    std::vector<int> rowClass;
    std::vector<std::string> classLabels;  ///< classification: the target's classes, in model order
    /// \brief Split by time: the time column's value (a number, or seconds for a date) at
    /// each position of `rows`, ascending; empty otherwise.
    std::vector<double> time;
    std::string timeColumn;  ///< the recipe's time column, empty for a random split
    std::size_t validationRows = 0;  ///< rows held out for validation (never in a fold)
    std::size_t testRows = 0;        ///< rows held out for the final test (never in a fold)
};

/// \brief The folds `runRecipe(recipe, data, nullptr, …)` cross-validates on: the same
/// row filters, split and fold code. `spec` defaults to the recipe's cross-validation,
/// else the folds its search would use. Throws what `runRecipe` would for the data and
/// the split (`DataError`, `InvalidParameter`, e.g. fewer rows than folds), `Cancelled`.
FoldPreview previewFolds(const Recipe& recipe, const data::Table& data, core::TaskControl& control,
                         std::optional<evaluation::CvSpec> spec = std::nullopt);

} // namespace stepwise::workflow
