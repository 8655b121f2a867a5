#pragma once
/// \file
/// \brief A dry run of a recipe's prep and feature steps on its training rows — what the
/// Prep and Features pages show after every change: what each step did, which step
/// cannot run and why, and the rows before and after a chosen step. It runs exactly the
/// code training runs (same split, same fitting on training rows only), without a model.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {

/// \brief What one step of `pipelineSteps(recipe)` did to the training rows.
struct StepOutcome {
    bool ran = false;          ///< false when disabled, or after a step that failed
    std::string description;   ///< the fitted step's words, or `describeStep` when it did not run
    std::size_t rowsBefore = 0;  ///< rows entering (all rows with a target for BeforeSplit steps, else training rows)
    std::size_t rowsAfter = 0;
    std::vector<std::string> columnsAdded;
    std::vector<std::string> columnsRemoved;
    std::string error;         ///< why it cannot run; empty when it ran
};

/// \brief The dry run's result.
struct PipelinePreview {
    std::size_t rowsWithTarget = 0;   ///< usable rows before the BeforeSplit steps
    std::size_t rowsAfterFilters = 0; ///< … and after them
    std::size_t trainRows = 0, validationRows = 0, testRows = 0;
    std::vector<StepOutcome> steps;   ///< one per entry of `pipelineSteps(recipe)`
    /// \brief Why training would fail, in words with the fix: a step's error, the split's,
    /// or a column that is not model-ready after the last step. Empty when it would run.
    std::string problem;
    /// \brief Index of the step `problem` comes from, if it comes from one.
    std::optional<std::size_t> problemStep;
    std::vector<std::string> warnings;
    /// \brief Training rows entering and leaving the step asked for (for BeforeSplit
    /// steps: all rows with a target before and after the filter), feature columns only.
    /// Empty when no step was asked for or it did not run.
    data::Table before, after;
};

/// \brief Runs the split and the steps of `recipe` on `data` without training a model.
/// Never throws for problems of the recipe or the data — they land in `problem` — only
/// `Cancelled`.
PipelinePreview previewPipeline(const Recipe& recipe, const data::Table& data,
                                std::optional<std::size_t> selectedStep, core::TaskControl& control);

} // namespace stepwise::workflow
