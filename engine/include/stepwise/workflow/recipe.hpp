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
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/search_spec.hpp"

namespace stepwise::workflow {

/// \brief How much the people who use the model need to see why it predicts what it does.
enum class Interpretability {
    Unspecified,  ///< not said
    NotNeeded,    ///< only the predictions matter
    Preferred,    ///< explanations help; a black box is acceptable if it is clearly better
    Required,     ///< every prediction must be explainable (linear models, shallow trees)
};
/// \brief How often the model is expected to be trained again on new data.
enum class RetrainingCadence { Unspecified, Once, Daily, Weekly, Monthly, Quarterly, Yearly };
/// \brief "unspecified", "not_needed", "preferred", "required".
const char* toString(Interpretability value);
/// \brief "unspecified", "once", "daily", "weekly", "monthly", "quarterly", "yearly".
const char* toString(RetrainingCadence value);
/// \brief The value `toString` spells `text`, if any.
std::optional<Interpretability> parseInterpretability(const std::string& text);
/// \brief The value `toString` spells `text`, if any.
std::optional<RetrainingCadence> parseRetrainingCadence(const std::string& text);

/// \brief Step 1: what is to be predicted and what counts as success (the problem-statement
/// template: objective, problem type, target, success metric and threshold, constraints).
struct ProblemStatement {
    core::TaskType task = core::TaskType::Classification;
    std::string objective;  ///< the user's own words
    std::string target;     ///< the column to predict
    std::optional<evaluation::SuccessCriterion> success;
    /// \brief Latency budget: the fitted pipeline must answer one row within this many
    /// milliseconds (99th percentile of single-row predictions); none by default.
    std::optional<double> maxLatencyMs;
    /// \brief Constraint: how explainable the predictions must be.
    Interpretability interpretability = Interpretability::Unspecified;
    /// \brief Constraint: how often the model will be retrained.
    RetrainingCadence retraining = RetrainingCadence::Unspecified;
};

/// \brief The problem statement as JSON text (the "problem" object of `recipeToJson`;
/// also what the Problem page exports and the report embeds).
std::string problemToJson(const ProblemStatement& problem);

/// \brief The steps a new recipe starts with: fill missing values (mean, most frequent).
std::vector<prep::StepSpec> defaultPrepSteps();
/// \brief The steps a new recipe starts with: standard scaling, one-hot encoding.
std::vector<prep::StepSpec> defaultFeatureSteps();

/// \brief Step 3: columns kept, the split, and the prep steps (cleaning, missing values,
/// outliers, class balance).
struct PrepSpec {
    std::vector<std::string> dropColumns;  ///< never used as features
    double testSize = 0.2;                 ///< fraction of the usable rows held out for the test
    /// \brief Fraction of the usable rows held out as a validation set (0: none), for
    /// choosing and checking before the test set is touched.
    double validationSize = 0.0;
    bool stratify = true;                  ///< keep class balance in every part (random split only)
    /// \brief When set, the split is time-ordered by this column: the oldest rows train,
    /// the next ones validate, the newest ones test (no shuffling, no stratifying).
    std::string timeColumn;
    std::vector<prep::StepSpec> steps = defaultPrepSteps();
};

/// \brief Step 4: the feature steps (scaling, encoding, binning, dates, formulas,
/// selection), run after the prep steps.
struct FeatureSpec {
    std::vector<prep::StepSpec> steps = defaultFeatureSteps();
};

/// \brief Step 5: the model and its hyper-parameters (as typed; validated when run).
struct ModelChoice {
    std::string name = "random_forest";
    std::map<std::string, std::string> params;
    bool operator==(const ModelChoice&) const = default;
};

/// \brief The whole session as one value.
struct Recipe {
    ProblemStatement problem;
    data::DataSource data;
    PrepSpec prep;
    FeatureSpec features;
    ModelChoice model;  ///< the model that is kept: saved, evaluated, exported
    /// \brief More models trained on the same split, steps and cross-validation, for the
    /// leaderboard (RunResult::leaderboard); none by default.
    std::vector<ModelChoice> compareWith;
    /// \brief Tunes `model`'s hyper-parameters by cross-validation on the training rows
    /// before it is trained with the best ones (GridSearchCV's refit); none by default.
    /// The folds are `crossValidation`'s, else scikit-learn's cv=5 default (stratified for
    /// classification, k-fold for regression), or five time-series folds when the split is
    /// by time.
    std::optional<SearchSpec> search;
    /// \brief Cross-validation on the training rows (every step refitted in each fold),
    /// reported beside the test score; none by default.
    std::optional<evaluation::CvSpec> crossValidation;
    std::uint64_t seed = 42;
};

/// \brief JSON text of the recipe (stable keys; used in model files and reports).
std::string recipeToJson(const Recipe& recipe);
/// \brief Parses what `recipeToJson` wrote; throws `ArchiveError` on malformed text.
Recipe recipeFromJson(const std::string& json);

/// \brief Every step of the recipe in the order they run: the prep steps, then the feature
/// steps (disabled ones included; callers skip them).
std::vector<prep::StepSpec> pipelineSteps(const Recipe& recipe);

} // namespace stepwise::workflow
