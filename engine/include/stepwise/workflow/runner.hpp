#pragma once
/// \file
/// \brief Runs a recipe: row filters, split, fit the steps on the training rows, fit the
/// model, evaluate on the validation and test rows, judge the success criterion.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/model.hpp"
#include "stepwise/workflow/audit.hpp"
#include "stepwise/workflow/model_analysis.hpp"
#include "stepwise/workflow/pipeline.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {

/// \brief Wall-clock seconds per phase.
struct RunTimings {
    double loadSeconds = 0.0;  ///< filled by whoever loaded the data
    double auditSeconds = 0.0;  ///< the leakage and data-health audit
    double prepSeconds = 0.0;   ///< row filters, split, fitting and applying the steps
    /// \brief The hyper-parameter search (cross-validation of every candidate), wall clock.
    double searchSeconds = 0.0;
    double fitSeconds = 0.0;  ///< the kept model on all training rows
    double predictSeconds = 0.0;
    double latencySeconds = 0.0;  ///< measuring single-row latency
};

/// \brief Cross-validation scores on the training rows.
struct CrossValidationResult {
    std::string strategy;         ///< "stratified:5"
    std::string metric;           ///< the success criterion's metric, else accuracy / r2
    std::vector<double> scores;   ///< one per fold, in fold order
    double mean = 0.0;
    double std = 0.0;             ///< population standard deviation (numpy's default)
};

/// \brief One candidate of a hyper-parameter search (a row of scikit-learn's `cv_results_`).
struct SearchCandidate {
    std::map<std::string, std::string> params;  ///< the searched parameters only
    std::vector<double> foldScores;             ///< one per fold, in fold order
    double mean = 0.0;
    double std = 0.0;        ///< population standard deviation
    int rank = 0;            ///< 1 = best; ties share the lower rank (scipy's "min")
    double fitSeconds = 0.0; ///< total over its folds
};

/// \brief What a search found; the kept model is then trained with `bestParams` on all
/// training rows.
struct SearchResult {
    std::string kind;      ///< "grid" or "random:20"
    std::string strategy;  ///< the cross-validation, e.g. "stratified:5"
    std::string metric;    ///< what candidates are ranked by
    std::vector<SearchCandidate> candidates;  ///< in the order they were generated
    std::size_t best = 0;                     ///< index of the rank-1 candidate (first on ties)
    std::map<std::string, std::string> bestParams;  ///< the model's full parameters used for the refit
};

/// \brief One model of the leaderboard, trained on the same split, steps and folds as
/// the others.
struct LeaderboardEntry {
    ModelChoice model;
    bool kept = false;  ///< true for the recipe's own model (the saved pipeline)
    std::shared_ptr<const FittedPipeline> pipeline;
    std::optional<evaluation::ClassificationMetrics> classification;  ///< on the test rows
    std::optional<evaluation::RegressionMetrics> regression;          ///< on the test rows
    std::optional<double> validationScore;           ///< the ranking metric on the validation rows
    std::optional<CrossValidationResult> crossValidation;
    double fitSeconds = 0.0;
    models::FitReport fit;
};

/// \brief The test score beside the scores measured without the test rows, so a
/// reader can tell overfitting and a lucky or unlucky split from a real result.
struct EstimateCheck {
    std::string metric;  ///< the success metric, else accuracy / r2
    std::optional<double> train;     ///< on the rows the model trained on
    std::optional<double> estimate;  ///< cross-validation mean, else the validation rows
    double estimateSpread = 0.0;     ///< cross-validation std (0 for validation rows)
    std::string estimateSource;      ///< "cross-validation", "validation rows", or empty
    std::optional<double> test;
    /// \brief Empty when the numbers agree. Overfitting: held-out scores much worse than
    /// the training score (by more than 0.10 for scores in [0, 1], or 1.5× for errors).
    /// Disagreement: the test score further from the estimate than max(2 × spread, 0.05)
    /// (scores) or 15 % of the estimate (errors).
    std::vector<std::string> warnings;
};

/// \brief Everything a run produced.
struct RunResult {
    std::shared_ptr<const FittedPipeline> pipeline;
    /// \brief Rows the model trained on, after the training-only steps (outlier removal
    /// drops rows, resampling adds or removes them).
    std::size_t trainRowCount = 0;
    /// \brief What the training-only steps (outlier removal, resampling) did; they are not
    /// part of the fitted pipeline, so they are listed here.
    std::vector<std::string> trainingOnlySteps;
    /// \brief Rows of the evaluated table (the data, or the separate test data) that were
    /// scored, ascending; the order of every per-row vector below.
    std::vector<std::size_t> testRows;
    bool separateTestData = false;
    std::vector<int> testActualClass;   ///< classification
    Eigen::VectorXd testActualValue;    ///< regression
    Predictions testPredictions;
    std::optional<evaluation::ClassificationMetrics> classification;
    std::optional<evaluation::RegressionMetrics> regression;
    /// \brief Rows of the data held out for validation (empty without a validation set),
    /// their predictions and metrics.
    std::vector<std::size_t> validationRows;
    Predictions validationPredictions;
    std::optional<evaluation::ClassificationMetrics> validationClassification;
    std::optional<evaluation::RegressionMetrics> validationRegression;
    std::optional<evaluation::SuccessVerdict> verdict;
    /// \brief Metrics on the training rows (the raw rows through the fitted pipeline;
    /// rows that training-only steps added or removed do not count).
    std::optional<evaluation::ClassificationMetrics> trainClassification;
    std::optional<evaluation::RegressionMetrics> trainRegression;
    /// \brief Train, estimate and test of the success metric side by side.
    EstimateCheck estimateCheck;
    /// \brief Single-row prediction time of the fitted pipeline, measured on test rows.
    LatencyMeasurement latency;
    /// \brief With `problem.maxLatencyMs`: the budget judged.
    std::optional<evaluation::LatencyVerdict> latencyVerdict;
    models::FitReport fit;
    RunTimings timings;
    /// \brief Things the user should know (rows dropped for a missing target, …).
    std::vector<std::string> warnings;
    /// \brief With `recipe.crossValidation`: the fold scores.
    std::optional<CrossValidationResult> crossValidation;
    /// \brief The leakage and data-health audit of the recipe on this data.
    std::vector<AuditFinding> audit;
    /// \brief With `recipe.search`: every candidate and the best one.
    std::optional<SearchResult> search;
    /// \brief With `recipe.compareWith`: every model, best first by `leaderboardMetric`
    /// measured on `leaderboardRankedOn` — cross-validation when the recipe has it, else
    /// the validation rows, else the test rows (then the kept model is still the recipe's
    /// own, never the test winner).
    std::vector<LeaderboardEntry> leaderboard;
    std::string leaderboardMetric;
    std::string leaderboardRankedOn;  ///< "cross-validation", "validation rows" or "test rows"
};

/// \brief Runs `recipe` on `data`. With `testData` the model trains on all of `data` and
/// is evaluated on `testData` (the split settings do not apply). Progress and cancel go
/// through `control`. Throws `DataError`, `InvalidParameter`, `Cancelled`.
RunResult runRecipe(const Recipe& recipe, const data::Table& data, const data::Table* testData,
                    core::TaskControl& control);

/// \brief Class labels and per-row class indices of a classification target: sorted
/// unique values (numerically for numeric columns), as scikit-learn's LabelEncoder.
/// Rows with a missing target get -1.
struct TargetClasses {
    std::vector<std::string> labels;
    std::vector<int> rowClass;
};
/// \brief Encodes a target column for classification.
TargetClasses encodeClasses(const data::Column& target);

} // namespace stepwise::workflow
