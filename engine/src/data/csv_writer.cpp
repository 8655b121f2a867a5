#include "stepwise/data/csv_writer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

#include "stepwise/io/atomic_file.hpp"

namespace stepwise::data {
namespace {

/// Texts the reader takes as missing when unquoted (CsvOptions' defaults); a category
/// spelled like one is quoted so it reads back as text.
bool looksLikeMissingMarker(std::string_view text)
{
    static constexpr std::array<std::string_view, 5> markers = {"NA", "N/A", "NaN", "null", "?"};
    return std::find(markers.begin(), markers.end(), text) != markers.end();
}

void appendField(std::string& line, std::string_view text, char delimiter)
{
    bool quote = !text.empty() && (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' ||
                                   text.back() == '\t' || looksLikeMissingMarker(text));
    for (char c : text) {
        if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        line.append(text);
        return;
    }
    line.push_back('"');
    for (char c : text) {
        line.push_back(c);
        if (c == '"')
            line.push_back('"');
    }
    line.push_back('"');
}

bool endsWithTsv(const std::string& path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension == ".tsv";
}

} // namespace

std::string csvField(std::string_view text, char delimiter)
{
    std::string field;
    appendField(field, text, delimiter);
    return field;
}

void writeCsv(const Table& table, std::ostream& out, char delimiter)
{
    std::string line;
    for (std::size_t c = 0; c < table.columnCount(); ++c) {
        if (c > 0)
            line.push_back(delimiter);
        appendField(line, table.column(c).name(), delimiter);
    }
    line.push_back('\n');
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    for (std::size_t row = 0; row < table.rowCount(); ++row) {
        line.clear();
        for (std::size_t c = 0; c < table.columnCount(); ++c) {
            if (c > 0)
                line.push_back(delimiter);
            const Column& column = table.column(c);
            if (column.isNumeric()) {
                line.append(formatNumber(column.values()[row]));
            } else {
                const std::int32_t code = column.codes()[row];
                if (code != Column::kMissingCode)
                    appendField(line, column.levels()[static_cast<std::size_t>(code)], delimiter);
            }
        }
        // A lone missing value would be a blank line, which readers skip: quote it.
        if (line.empty())
            line.append("\"\"");
        line.push_back('\n');
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
    }
}

void writeCsvFile(const Table& table, const std::string& path)
{
    const char delimiter = endsWithTsv(path) ? '\t' : ',';
    io::writeFileAtomically(path, [&](std::ostream& out) { writeCsv(table, out, delimiter); });
}

} // namespace stepwise::data
