#pragma once
/// \file
/// \brief What the Prep and Features pages show after every recipe change, computed in
/// one background run: the pipeline's dry run (`workflow::previewPipeline`), the
/// leakage audit, the repeated rows, and what each outlier rule would touch. Plain engine
/// calls, no Qt: the result is an immutable value handed to the GUI thread.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/distribution.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/prep/row_checks.hpp"
#include "stepwise/workflow/audit.hpp"
#include "stepwise/workflow/pipeline_preview.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::ui {

/// \brief What to check.
struct PipelineCheckRequest {
    workflow::Recipe recipe;
    std::shared_ptr<const data::Table> table;
    /// \brief The step whose rows before and after are wanted, as an index into
    /// `workflow::pipelineSteps(recipe)`.
    std::optional<std::size_t> selectedStep;
    /// \brief Count the repeated rows of the columns the recipe uses (the Prep page).
    bool countDuplicates = false;
};

/// \brief What one outlier rule would do to the rows entering the selected step.
struct OutlierChoice {
    prep::OutlierRule rule = prep::OutlierRule::Iqr;
    double factor = 1.5;
    std::size_t rowsRemoved = 0;    ///< rows with an outlier (what removing drops)
    std::size_t valuesClipped = 0;  ///< values outside the bounds (what clipping changes)
};

/// \brief The result of one check, for the recipe it was made for.
struct PipelineCheck {
    workflow::Recipe recipe;   ///< the recipe checked
    std::optional<std::size_t> selectedStep;
    workflow::PipelinePreview preview;  ///< of `recipe` as it is (its `before`/`after` moved below)
    /// \brief Rows entering and leaving the selected step, feature columns only; null when
    /// no step is selected or it could not run.
    std::shared_ptr<const data::Table> before, after;
    /// \brief True when the selected step is off and `before`/`after` come from a dry run
    /// with it switched on — what it would do.
    bool selectedSwitchedOn = false;
    /// \brief The selected step's outcome in that dry run (when `selectedSwitchedOn`).
    std::optional<workflow::StepOutcome> switchedOnOutcome;
    std::vector<workflow::AuditFinding> findings;
    /// \brief Repeated rows of the used columns and the target (when asked for).
    std::optional<prep::DuplicateReport> duplicates;
    /// \brief The columns the duplicate check compared.
    std::vector<std::string> duplicateColumns;
    /// \brief For a selected clip/remove-outliers step: each rule with the step's factor.
    std::vector<OutlierChoice> outliers;
};

/// \brief Runs the checks of `request` (its table must be set). Problems of the recipe
/// or the data land in the result; only `Cancelled` is thrown.
PipelineCheck checkPipeline(const PipelineCheckRequest& request, core::TaskControl& control);

/// \brief The audit of `recipe` on `data`: the one place the workbench calls
/// `workflow::auditRecipe`.
std::vector<workflow::AuditFinding> auditFindings(const workflow::Recipe& recipe, const data::Table& data,
                                                  core::TaskControl& control);

/// \brief The distributions of one column before and after a step.
struct ColumnComparison {
    std::string column;
    std::optional<data::ColumnDistribution> before, after;  ///< unset where the column is absent
    bool beforeDatetime = false, afterDatetime = false;
};

/// \brief Distributions of `column` in `before` and `after` (either may be null).
ColumnComparison compareColumn(const std::shared_ptr<const data::Table>& before,
                               const std::shared_ptr<const data::Table>& after, const std::string& column,
                               core::TaskControl& control);

/// \brief True for the kinds whose effect the outlier counts describe.
bool isOutlierStep(const std::string& kind);

} // namespace stepwise::ui
