#pragma once
/// \file
/// \brief The recipe: one value describing a whole workbench session. Each wizard page
/// edits its section, `stepwise-cli train` builds it from flags, and running it is one
/// engine call (`runRecipe`).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_type.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/features/encoding.hpp"
#include "stepwise/prep/imputation.hpp"

namespace stepwise::workflow {

/// \brief Step 1: what is to be predicted and what counts as success.
struct ProblemStatement {
    core::TaskType task = core::TaskType::Classification;
    std::string objective;  ///< the user's own words
    std::string target;     ///< the column to predict
    std::optional<evaluation::SuccessCriterion> success;
};

/// \brief Steps 3: rows and columns kept, missing values, the split.
struct PrepSpec {
    std::vector<std::string> dropColumns;  ///< never used as features
    bool dropMissingRows = false;          ///< drop rows with a missing feature instead of imputing
    prep::ImputationSpec imputation;       ///< used when dropMissingRows is false
    double testSize = 0.2;                 ///< fraction of rows held out for the test
    bool stratify = true;                  ///< keep class balance in both sides
};

/// \brief Step 4: how columns become model inputs.
struct FeatureSpec {
    features::Scaling scaling = features::Scaling::Standard;
    features::Encoding encoding = features::Encoding::OneHot;
};

/// \brief Step 5: the model and its hyper-parameters (as typed; validated when run).
struct ModelChoice {
    std::string name = "random_forest";
    std::map<std::string, std::string> params;
};

/// \brief The whole session as one value.
struct Recipe {
    ProblemStatement problem;
    data::DataSource data;
    PrepSpec prep;
    FeatureSpec features;
    ModelChoice model;
    std::uint64_t seed = 42;
};

/// \brief JSON text of the recipe (stable keys; used in model files and reports).
std::string recipeToJson(const Recipe& recipe);
/// \brief Parses what `recipeToJson` wrote; throws `ArchiveError` on malformed text.
Recipe recipeFromJson(const std::string& json);

/// \brief Spelling of choices as in the CLI: "standard", "onehot", "mean", …
const char* toString(features::Scaling scaling);
const char* toString(features::Encoding encoding);
const char* toString(prep::NumericImputation imputation);
const char* toString(prep::CategoricalImputation imputation);

} // namespace stepwise::workflow
