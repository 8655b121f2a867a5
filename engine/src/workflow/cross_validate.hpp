#pragma once
// Cross-validation on a recipe's training rows, shared by the recipe's own
// cross-validation, the hyper-parameter search and the leaderboard: the steps are
// refitted on each fold's training rows (once per fold, shared by every model scored on
// it — they depend on the rows and the seed only), and every model × fold fit runs as one
// parallel task. Also the small conversions the runner and the folds share.

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/cross_validation.hpp"
#include "stepwise/evaluation/success.hpp"
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

/// One split of the training rows: the rows a model trains on and the rows it is scored on.
struct CvSplit {
    std::vector<std::size_t> train;  ///< rows of the data, in fold order (time order when split by time)
    std::vector<std::size_t> test;
    std::string label;               ///< in progress texts and errors: "fold 2 of 5"
};

/// The fold scores of one model.
struct CvScores {
    std::vector<double> scores;  ///< one per fold, in fold order
    std::vector<double> trainScores;  ///< one per fold on its training rows, when asked for
    double mean = 0.0;
    double std = 0.0;            ///< population standard deviation (numpy's default)
    double fitSeconds = 0.0;     ///< fit time summed over the folds
};

/// The metric's entry for the task; throws `InvalidParameter` naming the metrics there
/// are, `what` ("metric", "scoring") saying what the name was given as.
const evaluation::MetricInfo& metricInfo(core::TaskType task, const std::string& metric, const char* what);

/// The metric runs are judged by: the success criterion's, else accuracy / r2.
std::string defaultMetric(const Recipe& recipe);

/// The cross-validation the search (and the model analysis) uses: the recipe's, else
/// scikit-learn's cv=5 default (stratified for classification, k-fold for regression) —
/// or, when the split is by time, five time-series folds, so no model is scored on rows
/// older than the ones it trained on.
evaluation::CvSpec searchCv(const Recipe& recipe);

/// The training rows in the order the folds are cut from them, and the folds over them.
struct CvFolds {
    std::vector<std::size_t> rows;        ///< rows of the data, time order when split by time
    std::vector<int> rowClasses;          ///< class of each entry of `rows` (classification only)
    std::vector<evaluation::Fold> folds;  ///< positions into `rows`
};

/// The folds of `spec` over the training rows of `prepared`, in time order when the recipe
/// splits by time (throws like `evaluation::makeFolds`). The one place the runner, the
/// search, the model analysis and the fold preview cut their folds.
CvFolds cvFolds(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                const evaluation::CvSpec& spec);

/// `cvFolds` as rows of the data per split.
std::vector<CvSplit> cvSplits(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                              const evaluation::CvSpec& spec);

/// Scores every model of `models` on every split of `splits` (the steps refitted on each
/// split's training rows), by `metric` on each split's test rows and, with `trainScores`,
/// on its training rows too (as they were before training-only steps such as resampling:
/// the rows through the fitted steps, as scikit-learn scores X_train). Fits run in
/// parallel over model × split (results do not depend on the thread count); progress
/// covers all of them, `stage` starts its text; after each split of each model a snapshot
/// (step = split, stepName "fold", measuredOn "cross-validation fold", source = the
/// model's) goes to `control`. Throws `DataError` when the metric cannot be computed on a
/// split, `Cancelled`, or the first error of a fit (in task order).
std::vector<CvScores> crossValidateModels(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                                          const std::vector<CvSplit>& splits, const std::string& metric,
                                          const std::vector<CvModel>& models, const std::string& stage,
                                          core::TaskControl& control, bool trainScores = false);

/// Mean and population standard deviation, as numpy's `mean` and `std` compute them
/// (its pairwise summation).
struct Spread {
    double mean = 0.0;
    double std = 0.0;
};
Spread spreadOf(const std::vector<double>& values);

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
/// Class indices of `rows` of `target` by their text among `labels` (the training
/// classes); throws `DataError` for a class not among them, naming the row.
std::vector<int> classesByLabel(const data::Column& target, const std::vector<std::string>& labels,
                                const std::vector<std::size_t>& rows);
/// Actual target values of `rows` of `table` (regression).
Eigen::VectorXd actualValues(const Recipe& recipe, const data::Table& table, const std::vector<std::size_t>& rows);

/// `metric` of predictions against the actual classes (classification) or values;
/// nullopt when it cannot be computed (e.g. roc_auc with a class absent).
std::optional<double> predictionScore(const Predictions& predictions, const std::vector<int>& actualClass,
                                      const Eigen::VectorXd& actualValue, int classCount, const std::string& metric);
/// `predictionScore`, or the error that says why there is none: `InvalidParameter` when
/// the metric needs class probabilities that `model` does not give, `DataError` naming
/// `where` ("cross-validation fold 2 of 5") when the rows lack a class.
double requiredScore(const Predictions& predictions, const std::vector<int>& actualClass,
                     const Eigen::VectorXd& actualValue, int classCount, const std::string& metric,
                     const std::string& model, const std::string& where);

/// True when `error` is a `core::Cancelled`.
bool isCancellation(const std::exception_ptr& error);
/// Rethrows the first error of parallel tasks that is not a cancellation, in task order
/// (the tasks it stopped report `Cancelled`), else the first cancellation; returns when
/// there is none.
void rethrowFirstError(const std::vector<std::exception_ptr>& errors);

} // namespace stepwise::workflow
