#pragma once
/// \file
/// \brief Runs a recipe: row filters, split, fit the steps on the training rows, fit the
/// model, evaluate on the validation and test rows, judge the success criterion.

#include <cstddef>
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
#include "stepwise/workflow/pipeline.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {

/// \brief Wall-clock seconds per phase.
struct RunTimings {
    double loadSeconds = 0.0;  ///< filled by whoever loaded the data
    double auditSeconds = 0.0;  ///< the leakage and data-health audit
    double prepSeconds = 0.0;   ///< row filters, split, fitting and applying the steps
    double fitSeconds = 0.0;
    double predictSeconds = 0.0;
};

/// \brief Cross-validation scores on the training rows.
struct CrossValidationResult {
    std::string strategy;         ///< "stratified:5"
    std::string metric;           ///< the success criterion's metric, else accuracy / r2
    std::vector<double> scores;   ///< one per fold, in fold order
    double mean = 0.0;
    double std = 0.0;             ///< population standard deviation (numpy's default)
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
    models::FitReport fit;
    RunTimings timings;
    /// \brief Things the user should know (rows dropped for a missing target, …).
    std::vector<std::string> warnings;
    /// \brief With `recipe.crossValidation`: the fold scores.
    std::optional<CrossValidationResult> crossValidation;
    /// \brief The leakage and data-health audit of the recipe on this data.
    std::vector<AuditFinding> audit;
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
