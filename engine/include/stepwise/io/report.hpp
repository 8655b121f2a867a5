#pragma once
/// \file
/// \brief The report JSON and predictions CSV of `stepwise-cli train` and `evaluate` (see CLI.md).

#include <ostream>
#include <string>
#include <vector>

#include "stepwise/data/table.hpp"
#include "stepwise/workflow/pipeline.hpp"
#include "stepwise/workflow/pipeline_evaluation.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::io {

/// \brief The report JSON text (pretty-printed) of a run, with the keys CLI.md fixes.
std::string reportJson(const workflow::Recipe& recipe, const workflow::RunResult& result);

/// \brief The report JSON text of a saved pipeline scored on labelled data (`stepwise-cli
/// evaluate`): "metrics", "per_class", "confusion_matrix", "success" and "latency" as
/// `reportJson` writes them, "rows" {"evaluated", "skipped"}, and `data` (where the rows
/// came from) under "data".
std::string evaluationReportJson(const workflow::FittedPipeline& pipeline,
                                 const workflow::PipelineEvaluation& evaluation, const std::string& data);

/// \brief Writes predictions as CSV: `row`, `actual` (when `actual` is non-empty),
/// `predicted`, and with `withProba` one `proba_<class>` column per class.
void writePredictionsCsv(std::ostream& out, const workflow::FittedPipeline& pipeline,
                         const std::vector<std::size_t>& rows, const std::vector<std::string>& actual,
                         const workflow::Predictions& predictions, bool withProba);

/// \brief The predicted label of row i as text (class name, or the regression value).
std::string predictedText(const workflow::FittedPipeline& pipeline, const workflow::Predictions& predictions,
                          std::size_t i);

} // namespace stepwise::io
