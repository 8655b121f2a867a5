#pragma once
/// \file
/// \brief Output files are written atomically: a temporary file beside the target, then
/// a rename, so an interrupted run never leaves half a file.

#include <functional>
#include <ostream>
#include <string>

namespace stepwise::io {

/// \brief Calls `write` with a stream to a temporary file in the target's directory,
/// flushes it to disk and renames it over `path`. On any failure the temporary file is
/// removed, the old `path` is untouched and `core::Error` names the path and the reason.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write,
                         bool binary = false);

} // namespace stepwise::io
