#pragma once
/// \file
/// \brief Questions asked of a recipe or a fitted pipeline after training: would more
/// data help (learning curve), how does one hyper-parameter move the score (validation
/// curve), which input columns matter (permutation importance), and how fast does it
/// answer one row (latency).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/workflow/pipeline.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {

/// \brief Train and validation scores of one setting over the folds.
struct CurvePoint {
    std::vector<double> trainScores;  ///< one per fold, on the rows the fold trained on
    std::vector<double> testScores;   ///< one per fold, on the fold's held-out rows
    double trainMean = 0.0, trainStd = 0.0;  ///< population std (numpy's default)
    double testMean = 0.0, testStd = 0.0;
};

/// \brief scikit-learn's `learning_curve`: the score as the training set grows.
struct LearningCurve {
    std::string metric;    ///< what is scored (the recipe's success metric, else accuracy / r2)
    std::string strategy;  ///< the folds, e.g. "stratified:5"
    std::vector<std::size_t> trainSizes;  ///< absolute row counts, ascending
    std::vector<CurvePoint> points;       ///< one per size
};

/// \brief The learning curve of the recipe's model (with its own hyper-parameters; a search
/// in the recipe is not run) on the training rows of `data` (the test rows are never
/// touched): for each fraction of the first fold's training rows (truncated to whole rows,
/// sizes that coincide kept once, as `learning_curve`), every step and the model are
/// refitted on the first that many training rows of each fold (in order, as
/// `learning_curve(shuffle=False)`) and scored on them (as they were before training-only
/// steps such as resampling) and on the fold's held-out rows. The folds are the recipe's
/// cross-validation, else the search's default (scikit-learn's cv=5; five time-series
/// folds when the split is by time). `fractions` in (0, 1], strictly ascending (else
/// `InvalidParameter`); default `np.linspace(0.1, 1, 5)`. A training subset the model
/// cannot learn from (one class only) throws the model's `DataError` — scikit-learn
/// scores it NaN. Fits run in parallel; progress and cancel through `control`.
LearningCurve learningCurve(const Recipe& recipe, const data::Table& data, core::TaskControl& control,
                            const std::vector<double>& fractions = {0.1, 0.325, 0.55, 0.775, 1.0});

/// \brief scikit-learn's `validation_curve`: the score for each value of one
/// hyper-parameter of the recipe's model.
struct ValidationCurve {
    std::string metric;
    std::string strategy;
    std::string param;                ///< the hyper-parameter varied
    std::vector<std::string> values;  ///< as given
    std::vector<CurvePoint> points;   ///< one per value
};

/// \brief The validation curve of `param` (a hyper-parameter of the recipe's model, else
/// `InvalidParameter` naming the model's parameters) over `values` (at least one, each
/// validated as `--param` would be; the model's other parameters are the recipe's), on the
/// same folds as `learningCurve`, scored the same way on every fold's training and
/// held-out rows.
ValidationCurve validationCurve(const Recipe& recipe, const data::Table& data, const std::string& param,
                                const std::vector<std::string>& values, core::TaskControl& control);

/// \brief scikit-learn's `permutation_importance`: how much the score drops when one raw
/// input column is shuffled.
struct PermutationImportance {
    std::string metric;                     ///< the score whose drop is measured
    double baseline = 0.0;                  ///< the score with nothing shuffled
    std::vector<std::string> columns;       ///< the pipeline's input columns, in schema order
    std::vector<std::vector<double>> drops; ///< per column, one drop per repeat
    std::vector<double> mean, std;          ///< per column (population std)
};

/// \brief Shuffles each input column of `rows` of `table` (a labelled table in the
/// pipeline's input schema) `repeats` times (in [1, 100]) and re-scores the whole
/// pipeline by `metric` (one of the task's), with the same shuffles as
/// `permutation_importance(pipeline, X, y, n_repeats=repeats, random_state=seed)` (numpy's
/// legacy RandomState, which takes seeds in [0, 2**32 − 1] only: a larger `seed` is an
/// `InvalidParameter`). For an error metric (lower is better) the drop is the score's
/// increase, so a positive drop always means the column helps (scikit-learn's neg_*
/// scorers give the same numbers). `DataError` for no rows or a row without a target.
/// Columns are scored in parallel; progress and cancel through `control`.
PermutationImportance permutationImportance(const FittedPipeline& pipeline, const data::Table& table,
                                            const std::vector<std::size_t>& rows, const std::string& metric,
                                            int repeats, std::uint64_t seed, core::TaskControl& control);

/// \brief Single-row prediction time of the whole fitted pipeline (raw row in, answer
/// out), each row predicted alone as a prediction service would.
struct LatencyMeasurement {
    std::size_t samples = 0;  ///< single-row predictions timed
    double medianMs = 0.0;
    double p99Ms = 0.0;       ///< 99th percentile (numpy's linear interpolation)
    double maxMs = 0.0;
};

/// \brief Predicts up to `maxSamples` of `rows` of `table` one at a time (after one
/// untimed warm-up), stopping early after about `budgetSeconds` once 20 have been timed;
/// throws `DataError` for no rows.
LatencyMeasurement measureLatency(const FittedPipeline& pipeline, const data::Table& table,
                                  const std::vector<std::size_t>& rows, core::TaskControl& control,
                                  std::size_t maxSamples = 200, double budgetSeconds = 0.5);

} // namespace stepwise::workflow
