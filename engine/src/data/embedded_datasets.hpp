#pragma once
// The bundled CSV files, compiled in by cmake/EmbedDatasets.cmake.

#include <string_view>
#include <vector>

namespace stepwise::data::embedded {

struct EmbeddedFile {
    const char* name;      // file name without extension, e.g. "titanic"
    std::string_view text; // the whole CSV
};

/// All bundled files in alphabetical order.
const std::vector<EmbeddedFile>& files();

} // namespace stepwise::data::embedded
