#pragma once
// The size of an xlsx sheet as the zip directory and the sheet's <dimension> tell it,
// without reading the cells (for the load estimate).

#include <cstddef>
#include <cstdint>
#include <string>

namespace stepwise::data {

/// What a sheet will hold, known before reading it.
struct XlsxSheetSize {
    std::uint64_t xmlBytes = 0;  ///< uncompressed size of the sheet's XML part
    std::uint64_t sharedStringsBytes = 0;  ///< uncompressed size of the shared strings (held while reading)
    std::uint64_t rows = 0;      ///< rows of the used range (header included); 0 when not declared
    std::size_t columns = 0;     ///< columns of the used range; 0 when not declared
};

/// The size of `sheet` (empty = the first) of the workbook at `path`. Throws `DataError`
/// as `readXlsxFile` does for a file that is not a workbook or an unknown sheet.
XlsxSheetSize xlsxSheetSize(const std::string& path, const std::string& sheet);

} // namespace stepwise::data
