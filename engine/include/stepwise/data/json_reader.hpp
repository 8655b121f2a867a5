#pragma once
/// \file
/// \brief JSON reading: an array of records (`[{"a": 1}, …]`) or JSON Lines (one record
/// per line). Keys become columns in order of first appearance; a key absent from a
/// record is missing there, as is `null`. Nested arrays/objects are kept as their JSON
/// text. Errors name the line and column.

#include <string>
#include <string_view>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief Parses JSON text in either layout (detected from the first non-space byte:
/// '[' array, '{' lines). String values equal to one of `missingMarkers` are missing.
Table parseJson(std::string_view text, const std::string& sourceName,
                const std::vector<std::string>& missingMarkers, core::TaskControl* control = nullptr);

/// \brief Reads and parses a `.json`, `.jsonl` or `.ndjson` file.
Table readJsonFile(const std::string& path, const std::vector<std::string>& missingMarkers,
                   core::TaskControl* control = nullptr);

} // namespace stepwise::data
