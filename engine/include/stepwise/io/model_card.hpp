#pragma once
/// \file
/// \brief The model card: what the model is for, what it was trained on, how it
/// scored, and where it should not be used — from the pipeline and its metadata.

#include <string>

#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::io {

/// \brief The card as Markdown: problem statement, data summary (source, hash, rows,
/// input columns and their types), pipeline steps, model and parameters, test metrics,
/// verdict, intended use and limits, versions.
std::string modelCardMarkdown(const workflow::FittedPipeline& pipeline);

/// \brief The same card as a self-contained HTML page.
std::string modelCardHtml(const workflow::FittedPipeline& pipeline);

/// \brief Writes the card to `path` atomically: HTML when `path` ends in `.html` or
/// `.htm`, Markdown otherwise.
void exportModelCard(const workflow::FittedPipeline& pipeline, const std::string& path);

} // namespace stepwise::io
