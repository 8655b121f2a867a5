#pragma once
/// \file
/// \brief The ROC, precision-recall and calibration curves of a result's test rows, for
/// the kept model and every compared model, computed off the GUI thread.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/curves.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::ui {

/// \brief One class against the rest, for one model.
struct ClassCurves {
    int classIndex = 0;
    std::size_t positives = 0;  ///< test rows of this class
    std::size_t rows = 0;       ///< test rows
    std::optional<evaluation::RocCurve> roc;                          ///< absent: one side has no rows
    std::optional<evaluation::PrecisionRecallCurve> precisionRecall;  ///< absent: no rows of the class
    std::optional<evaluation::CalibrationCurve> calibration;          ///< 10 uniform bins
};

/// \brief The curves of one model on the test rows.
struct ModelCurves {
    std::string model;  ///< registry name
    bool kept = false;  ///< the recipe's own model (the saved pipeline)
    bool hasProbabilities = false;
    /// \brief Binary: class 1 only; more classes: one per class, in class order. Empty
    /// without probabilities.
    std::vector<ClassCurves> classes;
};

/// \brief The curves of a result.
struct EvaluationCurves {
    std::vector<ModelCurves> models;  ///< the kept model first, then the leaderboard order
    /// \brief Binary with probabilities: the kept model's class-1 probabilities sorted for
    /// the threshold slider; null otherwise.
    std::shared_ptr<const evaluation::ThresholdAnalysis> threshold;
};

/// \brief The kept model's curves from the result's test predictions (no prediction is
/// run). Progress and cancel go through `control`.
std::shared_ptr<const EvaluationCurves> keptModelCurves(const workflow::RunResult& result,
                                                        core::TaskControl& control);

/// \brief Every leaderboard model's curves: each pipeline other than the kept one
/// predicts the test rows of `table` (the table the result was evaluated on), the kept
/// one uses the result's predictions. Throws `DataError` when `table` lacks a test row or
/// an input column, `Cancelled` on cancel.
std::shared_ptr<const EvaluationCurves> comparedModelCurves(const workflow::RunResult& result,
                                                            const data::Table& table, core::TaskControl& control);

/// \brief The class-1 probabilities of a binary result's test rows, or empty without
/// probabilities or for more classes.
std::vector<double> positiveScores(const workflow::RunResult& result);

} // namespace stepwise::ui
