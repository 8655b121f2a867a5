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
/// removed, the old `path` is untouched and `core::Error` names the path and the OS reason
/// (e.g. "No space left on device", "Read-only file system"); errors of write, fsync, close
/// and rename are all checked. Temporary files of `path` left by a writer that was killed
/// (its PID gone) are removed first. `binary` is kept for callers; POSIX has no text mode.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write,
                         bool binary = false);

/// \brief Throws the `core::Error` that `writeFileAtomically(path, ...)` would throw
/// because `path`'s folder cannot take a new file (missing, read-only, no permission), by
/// creating and removing a temporary file there; a full disk shows only when writing.
/// For commands that work for minutes before they save.
void checkFolderTakesFiles(const std::string& path);

} // namespace stepwise::io
