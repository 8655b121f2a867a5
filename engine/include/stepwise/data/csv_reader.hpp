#pragma once
/// \file
/// \brief CSV/TSV reading with type inference. Malformed input throws `DataError`
/// naming the line and column.

#include <string>
#include <string_view>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief How to read a delimited text file.
struct CsvOptions {
    char delimiter = ',';  ///< field separator; `readCsvFile` uses tab for ".tsv"
    /// \brief Unquoted field texts (after trimming spaces) that mean "missing". Quoted
    /// text is literal ("NA" in quotes is a category), except that `""` is missing too.
    std::vector<std::string> missingMarkers = {"", "NA", "N/A", "NaN", "null", "?"};
};

/// \brief Parses CSV text: first row is the header; quoted fields may contain
/// delimiters, newlines and doubled quotes; CRLF is accepted. A column whose present
/// values all parse as numbers is numeric, otherwise categorical. `sourceName` is used
/// in error locations.
data::Table parseCsv(std::string_view text, const std::string& sourceName, const CsvOptions& options = {},
                     core::TaskControl* control = nullptr);

/// \brief Reads and parses a file (tab-delimited if it ends in ".tsv" and the options
/// keep the default delimiter). Throws `DataError` if it cannot be opened.
data::Table readCsvFile(const std::string& path, const CsvOptions& options = {},
                        core::TaskControl* control = nullptr);

} // namespace stepwise::data
