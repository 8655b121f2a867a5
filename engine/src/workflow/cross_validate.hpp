#pragma once
// Cross-validation on a recipe's training rows, shared by the recipe's own
// cross-validation, the hyper-parameter search and the leaderboard: the steps are
// refitted on each fold's training rows (once per fold, shared by every model scored on
// it — they depend on the rows and the seed only), and every model × fold fit runs as one
// parallel task. Also the small conversions the runner and the folds share.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/models/dataset.hpp"
#include "stepwise/models/model.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/prep/transformer.hpp"
#include "stepwise/workflow/pipeline.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "stepwise/workflow/runner.hpp"
#include "workflow/run_stages.hpp"

namespace stepwise::workflow {

/// One model to score on the folds.
struct CvModel {
    std::string name;
    std::map<std::string, std::string> params;  ///< as given to `createModel`
    /// Source of its fold snapshots ("random_forest #3", "knn"); empty: the control's label.
    std::string source;
};

/// The fold scores of one model.
struct CvScores {
    std::vector<double> scores;  ///< one per fold, in fold order
    double mean = 0.0;
    double std = 0.0;            ///< population standard deviation (numpy's default)
    double fitSeconds = 0.0;     ///< fit time summed over the folds
};

/// The metric runs are judged by: the success criterion's, else accuracy / r2.
std::string defaultMetric(const Recipe& recipe);

/// Scores every model of `models` on every fold of `spec` over the training rows of
/// `prepared` (in time order when the recipe splits by time), by `metric` on each fold's
/// test rows. Fits run in parallel over model × fold (results do not depend on the thread
/// count); progress covers all of them, `stage` starts its text; after each fold of each
/// model a snapshot (step = fold, stepName "fold", measuredOn "cross-validation fold",
/// source = the model's) goes to `control`. Throws `DataError` when the metric cannot be
/// computed on a fold, `Cancelled`, or the first error of a fit (in task order).
std::vector<CvScores> crossValidateModels(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                                          const evaluation::CvSpec& spec, const std::string& metric,
                                          const std::vector<CvModel>& models, const std::string& stage,
                                          core::TaskControl& control);

/// `scores` as the run result reports cross-validation.
CrossValidationResult crossValidationResult(const evaluation::CvSpec& spec, const std::string& metric,
                                            const CvScores& scores);

/// The input schema of the training table.
std::vector<InputColumn> inputSchema(const data::Table& train);

/// The model's training data from the rows the steps produced (throws `DataError` when a
/// column is not ready for a model).
models::Dataset toDataset(const prep::LabelledRows& train, std::uint64_t seed);

/// `table` through the fitted steps, as a matrix (throws `DataError` for a value that
/// is not a finite number afterwards, naming the row and column).
Eigen::MatrixXd transformedRows(const std::vector<std::unique_ptr<prep::Transformer>>& steps,
                                const data::Table& table);

/// Makes the validation rows of `prepared` (through the fitted `steps`) the monitor rows
/// of `dataset`, so models report their live snapshots on them; leaves them empty
/// without validation rows. `features` is the data's feature columns, `data` has the target.
void setMonitorRows(models::Dataset& dataset, const std::vector<std::unique_ptr<prep::Transformer>>& steps,
                    const data::Table& features, const Recipe& recipe, const data::Table& data,
                    const PreparedData& prepared);

/// The model's predictions for already transformed rows, as `FittedPipeline::predict`
/// makes them (class probabilities and their argmax, the class alone for a model without
/// probabilities, or values).
Predictions modelPredictions(const models::Model& model, core::TaskType task, const Eigen::MatrixXd& x);

/// False when the recipe drops rows with gaps and fills none, so the pipeline refuses
/// rows with a missing value up front, with a message that says why.
bool pipelineImputes(const Recipe& recipe);

/// Actual classes of `rows` of `table`: the data's own encoding, or for separate test
/// data, its labels mapped onto the training classes by their text.
std::vector<int> actualClasses(const Recipe& recipe, const data::Table& table, bool separate,
                               const TargetClasses& classes, const std::vector<std::size_t>& rows);
/// Actual target values of `rows` of `table` (regression).
Eigen::VectorXd actualValues(const Recipe& recipe, const data::Table& table, const std::vector<std::size_t>& rows);

/// `metric` of predictions against the actual classes (classification) or values;
/// nullopt when it cannot be computed (e.g. roc_auc with a class absent).
std::optional<double> predictionScore(const Predictions& predictions, const std::vector<int>& actualClass,
                                      const Eigen::VectorXd& actualValue, int classCount, const std::string& metric);

} // namespace stepwise::workflow
