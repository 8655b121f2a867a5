#pragma once
/// \file
/// \brief Export of a fitted pipeline's recipe as a readable scikit-learn script: the
/// teaching bridge to the notebook world.

#include <string>

#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::io {

/// \brief A self-contained Python script (pandas + scikit-learn) that reads the CSV at
/// `dataPath` (a relative path is taken from the script's own folder), rebuilds the same steps and model with the same parameters, splits the
/// rows as Stepwise did (same test size, stratification and seed), trains, and prints
/// the test metrics as `name: value` lines using the report's metric names. Every
/// block is commented in plain words. Throws `core::UnsupportedExport` for a step or
/// model scikit-learn has no equivalent of, naming it.
std::string pythonScript(const workflow::FittedPipeline& pipeline, const std::string& dataPath);

/// \brief Writes `pythonScript(pipeline, dataPath)` to `path` atomically.
void exportPython(const workflow::FittedPipeline& pipeline, const std::string& path, const std::string& dataPath);

} // namespace stepwise::io
