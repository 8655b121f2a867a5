#pragma once
/// \file
/// \brief Writing tables as CSV (RFC 4180 quoting; missing values as empty fields).

#include <ostream>
#include <string>
#include <string_view>

#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief Quotes a field if it contains the delimiter, a quote, CR or LF.
std::string csvField(std::string_view text, char delimiter = ',');

/// \brief Writes header and rows; numbers in shortest round-trip form.
void writeCsv(const Table& table, std::ostream& out, char delimiter = ',');

/// \brief Writes the table to `path` atomically (temporary file, then rename).
void writeCsvFile(const Table& table, const std::string& path);

} // namespace stepwise::data
