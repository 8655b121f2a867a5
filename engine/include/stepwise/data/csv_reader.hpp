#pragma once
/// \file
/// \brief CSV/TSV reading with delimiter sniffing, encoding detection and type
/// inference. Malformed input throws `DataError` naming the line and column. Large
/// files are memory-mapped and parsed in parallel chunks.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief Character encoding of a text file.
enum class TextEncoding {
    Auto,   ///< UTF-8 (a BOM is skipped) unless the bytes are not valid UTF-8, then Latin-1
    Utf8,   ///< invalid UTF-8 is an error naming the line and column
    Latin1  ///< ISO-8859-1, converted to UTF-8
};

/// \brief How to read a delimited text file.
struct CsvOptions {
    /// \brief Field separator; 0 sniffs it from the first lines among ',' ';' tab '|'
    /// (".tsv" files default to tab).
    char delimiter = 0;
    /// \brief Unquoted field texts (after trimming spaces) that mean "missing". Quoted
    /// text is literal ("NA" in quotes is a category), except that `""` is missing too.
    std::vector<std::string> missingMarkers = {"", "NA", "N/A", "NaN", "null", "?"};
    char decimal = '.';    ///< decimal separator in numbers ('.' or ',')
    char thousands = 0;    ///< thousands separator inside numbers (0 = none), e.g. ',' '.' ' '
    TextEncoding encoding = TextEncoding::Auto;
};

/// \brief The delimiter `parseCsv` would use for `text` when none is given: the one of
/// ',' ';' tab '|' that splits the first lines (outside quotes) into the same number of
/// fields > 1 most consistently; ',' when none does.
char sniffDelimiter(std::string_view text);

/// \brief Parses CSV text: first row is the header; quoted fields may contain
/// delimiters, newlines and doubled quotes; CRLF is accepted; a UTF-8 BOM is skipped.
/// Column kinds are inferred (see `column_kinds.hpp`). `sourceName` is used in error
/// locations.
Table parseCsv(std::string_view text, const std::string& sourceName, const CsvOptions& options = {},
               core::TaskControl* control = nullptr);

/// \brief Reads and parses a file. Progress stages report bytes read and rows so far.
/// Throws `DataError` if it cannot be opened.
Table readCsvFile(const std::string& path, const CsvOptions& options = {}, core::TaskControl* control = nullptr);

} // namespace stepwise::data
