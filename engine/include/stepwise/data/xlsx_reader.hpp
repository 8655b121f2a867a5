#pragma once
/// \file
/// \brief Excel `.xlsx` reading (libzip for the container, expat for the XML): the
/// first row of a sheet is the header; cell types carry over (numbers, booleans,
/// shared and inline strings; date-formatted numbers become datetimes).

#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief The workbook's sheet names in workbook order. Throws `DataError` for a file
/// that is not a readable xlsx workbook (empty, not a zip, missing parts).
std::vector<std::string> xlsxSheetNames(const std::string& path);

/// \brief Reads one sheet (empty `sheet` = the first). Text cells equal to one of
/// `missingMarkers` are missing, as in CSV. Errors name the file, the sheet and the cell
/// ("Sheet1!C7") where there is one.
Table readXlsxFile(const std::string& path, const std::string& sheet,
                   const std::vector<std::string>& missingMarkers, core::TaskControl* control = nullptr);

} // namespace stepwise::data
