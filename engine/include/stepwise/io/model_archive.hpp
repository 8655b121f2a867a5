#pragma once
/// \file
/// \brief The native model file (`.stepwise`): a fixed header (magic, format version)
/// followed by the Boost.Serialization archive of the fitted pipeline.

#include <memory>
#include <string>

#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::io {

/// \brief Current model file format version.
inline constexpr unsigned kModelFormatVersion = 1;

/// \brief Saves the pipeline to `path` atomically; throws `core::Error` on I/O failure.
void saveModel(const workflow::FittedPipeline& pipeline, const std::string& path);

/// \brief Loads a model file; throws `ArchiveError` for a missing, foreign, truncated or
/// newer-format file, naming the file and what to do.
std::shared_ptr<workflow::FittedPipeline> loadModel(const std::string& path);

} // namespace stepwise::io
