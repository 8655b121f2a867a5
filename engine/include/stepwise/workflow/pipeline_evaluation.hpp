#pragma once
/// \file
/// \brief A fitted pipeline scored on a new labelled table (`stepwise-cli evaluate`): the
/// same metrics, verdict and latency a run reports for its test rows.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/workflow/model_analysis.hpp"
#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::workflow {

/// \brief What a pipeline scored on a labelled table.
struct PipelineEvaluation {
    /// \brief Rows of the table that were scored (those with a target value), ascending;
    /// the order of every per-row vector below.
    std::vector<std::size_t> rows;
    std::size_t skippedRows = 0;       ///< rows without a target value, left out
    std::vector<int> actualClass;      ///< classification: index into the pipeline's classes
    Eigen::VectorXd actualValue;       ///< regression
    Predictions predictions;
    std::optional<evaluation::ClassificationMetrics> classification;
    std::optional<evaluation::RegressionMetrics> regression;
    /// \brief The success criterion of the recipe the pipeline was trained with, judged
    /// on these rows; absent when the recipe had none.
    std::optional<evaluation::SuccessVerdict> verdict;
    /// \brief Single-row prediction time, measured on up to 200 of the rows.
    LatencyMeasurement latency;
    /// \brief The recipe's latency budget judged; absent when it had none.
    std::optional<evaluation::LatencyVerdict> latencyVerdict;
    /// \brief Things the user should know (rows skipped, an AUC that is undefined, …).
    std::vector<std::string> warnings;
};

/// \brief Predicts every row of `table` that has a value in the pipeline's target column
/// and scores the predictions as a run scores its test rows. Throws `DataError` when the
/// table has no target column, no labelled row, a class the pipeline was not trained on,
/// or a non-numeric regression target; `ArchiveError` when the pipeline's recorded recipe
/// cannot be read. Progress and cancel through `control`.
PipelineEvaluation evaluatePipeline(const FittedPipeline& pipeline, const data::Table& table,
                                    core::TaskControl& control);

} // namespace stepwise::workflow
