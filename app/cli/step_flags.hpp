#pragma once
// The train flags that build the recipe's prep and feature steps. Each friendly flag
// becomes one step of the registry (stepwise/prep/step.hpp); --step reaches every kind.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "stepwise/workflow/recipe.hpp"

namespace stepwise::cli {

/// The step flags as typed.
struct StepFlags {
    std::string dropDuplicates;  // "" = off, "all" = every column, else COLS
    bool dropDuplicatesGiven = false;
    std::string dropMissing;     // as dropDuplicates
    bool dropMissingGiven = false;
    std::string dropSparse;      // MAX_SHARE
    std::string impute;          // numeric=…,categorical=…,COL=…
    bool missingIndicator = false;
    std::string outliers;        // iqr|zscore : remove|clip [:FACTOR]
    std::vector<std::string> renames;  // OLD=NEW
    std::string resample;        // over | under | smote[:K]
    std::vector<std::string> dateParts;  // COL[=parts]
    std::vector<std::string> formulas;   // NAME=EXPR
    std::vector<std::string> maths;      // FUNCTION=COLS
    std::vector<std::string> bins;       // COL=uniform:N | quantile:N | edges:E;E;…[/L;L;…]
    std::string scale = "standard";      // METHOD[=COLS]
    std::string encode = "onehot";
    std::vector<std::string> orders;     // COL=a,b,c
    std::vector<std::string> selects;    // variance:T | correlation:T | kbest:K
    std::vector<std::string> steps;      // KIND[@COLS][:KEY=VALUE,…]
};

/// Adds the step flags to `train`. `impute` excludes --drop-missing.
void addStepOptions(CLI::App* train, StepFlags& flags);

/// Replaces the recipe's prep and feature steps with the ones the flags describe, in the
/// order prep: duplicates, missing rows, sparse columns, renames, outliers, imputation,
/// resampling; features: date parts, formulas, maths, bins, scaling, encoding, selection;
/// each --step last in its stage. Throws `InvalidParameter` naming the flag.
void applyStepFlags(const StepFlags& flags, workflow::Recipe& recipe);

} // namespace stepwise::cli
