#pragma once
/// \file
/// \brief The data-health and leakage audit: checks a recipe against its data after every
/// change and explains each finding — what was seen, why it matters, what to do.

#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {

/// \brief How much a finding matters.
enum class AuditSeverity {
    Info,     ///< worth knowing
    Warning,  ///< likely to mislead the evaluation or the model
    Leak,     ///< information the model would not have at prediction time reaches it
};

/// \brief One finding of the audit.
struct AuditFinding {
    AuditSeverity severity = AuditSeverity::Warning;
    /// \brief Stable key: "id_like", "near_perfect_predictor", "target_derived",
    /// "duplicates_across_split", "random_split_of_time_data", "prescaled",
    /// "ordinal_on_nominal", "constant".
    std::string kind;
    std::vector<std::string> columns;  ///< the columns concerned (may be empty)
    std::string message;               ///< what was seen and why it matters
    std::string fix;                   ///< what to do about it
};

/// \brief Audits `recipe` on `data` (the columns it will use, its split and its steps).
/// Dropped columns are not reported. Never throws for data problems (those are the
/// preview's); only `Cancelled`.
std::vector<AuditFinding> auditRecipe(const Recipe& recipe, const data::Table& data, core::TaskControl& control);

/// \brief "info", "warning", "leak".
const char* toString(AuditSeverity severity);

} // namespace stepwise::workflow
