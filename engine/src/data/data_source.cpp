#include "stepwise/data/data_source.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>

#include "data/embedded_datasets.hpp"
#include "data/sqlite_table_size.hpp"
#include "data/system_memory.hpp"
#include "data/xlsx_sheet_size.hpp"
#include "stepwise/core/digest.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/json_reader.hpp"
#include "stepwise/data/sqlite_reader.hpp"
#include "stepwise/data/xlsx_reader.hpp"

namespace stepwise::data {
namespace {

constexpr std::string_view kBuiltinPrefix = "builtin:";

// The start of a text file that the estimate looks at.
constexpr std::size_t kSampleBytes = 256 * 1024;
// Peak bytes per cell while loading. The CSV reader keeps each parsed number once plus
// bookkeeping (its budget is 1.5 × the numbers); the typed readers (xlsx, SQLite, JSON)
// hold a 24-byte CellColumnBuilder cell per value, then build the 8-byte column.
constexpr std::uint64_t kCsvBytesPerCell = 12;
constexpr std::uint64_t kTypedBytesPerCell = 32;
// The least a CSV takes per byte of file, whatever the sample at its start suggested: the
// start can be unlike the rest (a short header over long lines, a file that is mostly
// empty space). Peak memory loading the bundled datasets scaled up to 100 MB measured
// 1.3–2.0 × the file (the mapped text counts while it is parsed).
constexpr double kCsvMinBytesPerFileByte = 2.0;
// Smallest XML a sheet cell can take (<c r="A1"><v>1</v></c> is 22 bytes; without the
// reference 15): bounds the cell count when the declared used range is implausible.
constexpr std::uint64_t kMinXmlBytesPerCell = 15;

std::string formatBool(bool value) { return value ? "true" : "false"; }

std::string describeGenerator(const ClassificationSpec& spec)
{
    std::string text = "make_classification(samples=";
    text.append(std::to_string(spec.samples));
    text.append(", features=").append(std::to_string(spec.features));
    text.append(", informative=").append(std::to_string(spec.informative));
    text.append(", redundant=").append(std::to_string(spec.redundant));
    text.append(", repeated=").append(std::to_string(spec.repeated));
    text.append(", classes=").append(std::to_string(spec.classes));
    text.append(", clusters_per_class=").append(std::to_string(spec.clustersPerClass));
    if (!spec.weights.empty()) {
        text.append(", weights=[");
        for (std::size_t i = 0; i < spec.weights.size(); ++i) {
            if (i > 0)
                text.append(", ");
            text.append(formatNumber(spec.weights[i]));
        }
        text.append("]");
    }
    text.append(", flip_y=").append(formatNumber(spec.flipY));
    text.append(", class_sep=").append(formatNumber(spec.classSep));
    text.append(", hypercube=").append(formatBool(spec.hypercube));
    text.append(", shift=").append(formatNumber(spec.shift));
    text.append(", scale=").append(formatNumber(spec.scale));
    text.append(", shuffle=").append(formatBool(spec.shuffle));
    text.append(", seed=").append(std::to_string(spec.seed));
    text.append(")");
    return text;
}

std::string lowerExtension(const std::string& path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

std::string readSample(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string sample(kSampleBytes, '\0');
    in.read(sample.data(), static_cast<std::streamsize>(sample.size()));
    sample.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return sample;
}

// Scales a count seen in the sample to the whole file.
std::uint64_t scaleToFile(std::uint64_t inSample, std::size_t sampleBytes, std::uint64_t fileBytes)
{
    if (sampleBytes == 0 || sampleBytes >= fileBytes)
        return inSample;
    return static_cast<std::uint64_t>(std::ceil(static_cast<double>(inSample) * static_cast<double>(fileBytes) /
                                                static_cast<double>(sampleBytes)));
}

void estimateCsv(const std::string& path, const CsvOptions& options, LoadEstimate& estimate)
{
    const std::string sample = readSample(path);
    char delimiter = options.delimiter;
    if (delimiter == 0 && lowerExtension(path) == ".tsv")
        delimiter = '\t';
    if (delimiter == 0)
        delimiter = sniffDelimiter(sample);
    // Fields of the header (outside quotes) and line breaks (outside quotes) in the sample.
    std::uint64_t lines = 0;
    std::size_t fields = 1;
    bool inQuotes = false;
    for (char c : sample) {
        if (c == '"')
            inQuotes = !inQuotes;
        else if (!inQuotes && c == '\n')
            ++lines;
        else if (!inQuotes && lines == 0 && c == delimiter)
            ++fields;
    }
    if (!sample.empty() && sample.back() != '\n' && sample.size() >= estimate.fileBytes)
        ++lines;
    const std::uint64_t totalLines = scaleToFile(lines, sample.size(), estimate.fileBytes);
    estimate.columns = fields;
    estimate.estimatedRows = totalLines > 0 ? totalLines - 1 : 0;
    const auto byCells = estimate.estimatedRows * estimate.columns * kCsvBytesPerCell;
    const auto bySize = static_cast<std::uint64_t>(static_cast<double>(estimate.fileBytes) * kCsvMinBytesPerFileByte);
    estimate.estimatedBytes = std::max(byCells, bySize);
}

void estimateJson(const std::string& path, LoadEstimate& estimate)
{
    const std::string sample = readSample(path);
    const auto first = sample.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    const bool array = first != std::string::npos && sample[first] == '[';
    const int recordDepth = array ? 1 : 0;
    // Records are objects opened at the record depth; values are keys inside them.
    std::uint64_t records = 0;
    std::uint64_t values = 0;
    int depth = 0;
    for (std::size_t i = 0; i < sample.size(); ++i) {
        const char c = sample[i];
        if (c == '"') {
            for (++i; i < sample.size() && sample[i] != '"'; ++i)
                if (sample[i] == '\\')
                    ++i;
        } else if (c == '{' || c == '[') {
            if (c == '{' && depth == recordDepth)
                ++records;
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ':' && depth == recordDepth + 1) {
            ++values;
        }
    }
    estimate.estimatedRows = scaleToFile(records, sample.size(), estimate.fileBytes);
    estimate.columns = records > 0 ? static_cast<std::size_t>((values + records - 1) / records) : 0;
    // The reader holds the whole text while it builds the columns.
    estimate.estimatedBytes =
        estimate.fileBytes + scaleToFile(values, sample.size(), estimate.fileBytes) * kTypedBytesPerCell;
}

void estimateXlsx(const DataSource& source, LoadEstimate& estimate)
{
    const XlsxSheetSize size = xlsxSheetSize(source.location, source.read.sheet);
    const std::uint64_t cellBound = size.xmlBytes / kMinXmlBytesPerCell;
    std::uint64_t cells = cellBound;
    if (size.rows > 0 && size.columns > 0) {
        estimate.estimatedRows = size.rows - 1;
        estimate.columns = size.columns;
        cells = std::min<std::uint64_t>(cellBound, size.rows * size.columns);
    }
    estimate.estimatedBytes = cells * kTypedBytesPerCell + size.sharedStringsBytes;
}

void estimateSqlite(const DataSource& source, LoadEstimate& estimate)
{
    const SqliteTableSize size = sqliteTableSize(source.location, source.read.table, source.read.query);
    estimate.estimatedRows = size.rows;
    estimate.columns = size.columns;
    estimate.rowsKnown = size.counted;
    estimate.estimatedBytes = size.rows * size.columns * kTypedBytesPerCell;
}

Table readFile(const DataSource& source, FileFormat format, core::TaskControl* control)
{
    const ReadOptions& read = source.read;
    switch (format) {
    case FileFormat::Csv: return readCsvFile(source.location, read.csv, control);
    case FileFormat::Xlsx: return readXlsxFile(source.location, read.sheet, read.csv.missingMarkers, control);
    case FileFormat::Sqlite:
        return readSqliteFile(source.location, read.table, read.query, read.csv.missingMarkers, control);
    case FileFormat::Json: return readJsonFile(source.location, read.csv.missingMarkers, control);
    }
    throw core::DataError("unknown file format", {source.location, 0, 0});
}

} // namespace

std::string memoryRefusal(const LoadEstimate& estimate, FileFormat format)
{
    std::string message = "is ";
    message.append(formatBytes(estimate.fileBytes)).append("; loading it needs about ");
    message.append(formatBytes(estimate.estimatedBytes)).append(" but only ");
    message.append(formatBytes(estimate.availableBytes)).append(" of memory is available — ");
    switch (format) {
    case FileFormat::Csv:
    case FileFormat::Json: message.append("load a sample of its rows (e.g. the first ones: head -n 100001)"); break;
    case FileFormat::Xlsx: message.append("load a smaller sheet, or save a sample of its rows as CSV"); break;
    case FileFormat::Sqlite: message.append("load a query that selects fewer rows or columns"); break;
    }
    message.append(", close other programs, or use a machine with more memory");
    return message;
}

FileFormat fileFormatOf(const std::string& path)
{
    const std::string extension = lowerExtension(path);
    if (extension == ".csv" || extension == ".tsv" || extension == ".txt")
        return FileFormat::Csv;
    if (extension == ".xlsx")
        return FileFormat::Xlsx;
    if (extension == ".sqlite" || extension == ".sqlite3" || extension == ".db")
        return FileFormat::Sqlite;
    if (extension == ".json" || extension == ".jsonl" || extension == ".ndjson")
        return FileFormat::Json;
    if (extension == ".xls")
        throw core::DataError("old .xls workbooks cannot be read — open it in Excel or LibreOffice and save it as "
                              ".xlsx (or CSV)",
                              {path, 0, 0});
    throw core::DataError("Stepwise reads .csv, .tsv, .txt, .xlsx, .json, .jsonl, .ndjson, .sqlite, .sqlite3 and "
                          ".db files — save the data in one of these formats",
                          {path, 0, 0});
}

const char* toString(TextEncoding encoding)
{
    switch (encoding) {
    case TextEncoding::Auto: return "auto";
    case TextEncoding::Utf8: return "utf-8";
    case TextEncoding::Latin1: return "latin-1";
    }
    return "auto";
}

std::optional<TextEncoding> textEncodingFromString(std::string_view text)
{
    for (TextEncoding encoding : {TextEncoding::Auto, TextEncoding::Utf8, TextEncoding::Latin1})
        if (text == toString(encoding))
            return encoding;
    return std::nullopt;
}

std::string DataSource::describe() const
{
    switch (kind) {
    case DataSourceKind::File: {
        std::string text = location;
        if (!read.sheet.empty())
            text.append(" [").append(read.sheet).append("]");
        if (!read.query.empty())
            text.append(" [").append(read.query).append("]");
        else if (!read.table.empty())
            text.append(" [").append(read.table).append("]");
        return text;
    }
    case DataSourceKind::Builtin:
        return std::string(kBuiltinPrefix) + location;
    case DataSourceKind::Generated:
        return describeGenerator(generator);
    }
    return location;
}

DataSource parseDataLocation(const std::string& text)
{
    DataSource source;
    if (text.compare(0, kBuiltinPrefix.size(), kBuiltinPrefix) == 0) {
        source.kind = DataSourceKind::Builtin;
        source.location = text.substr(kBuiltinPrefix.size());
    } else {
        source.kind = DataSourceKind::File;
        source.location = text;
    }
    return source;
}

LoadEstimate estimateLoad(const DataSource& source)
{
    LoadEstimate estimate;
    estimate.availableBytes = availableMemoryBytes();
    switch (source.kind) {
    case DataSourceKind::Builtin: {
        const Table table = loadBuiltinDataset(source.location);  // small, compiled in
        estimate.estimatedRows = table.rowCount();
        estimate.columns = table.columnCount();
        estimate.estimatedBytes = estimate.estimatedRows * estimate.columns * sizeof(double);
        return estimate;
    }
    case DataSourceKind::Generated:
        estimate.estimatedRows = static_cast<std::uint64_t>(std::max(source.generator.samples, 0));
        estimate.columns = static_cast<std::size_t>(std::max(source.generator.features, 0)) + 1;
        estimate.estimatedBytes = estimate.estimatedRows * estimate.columns * sizeof(double);
        return estimate;
    case DataSourceKind::File:
        break;
    }
    const FileFormat format = fileFormatOf(source.location);
    std::error_code error;
    if (std::filesystem::is_directory(source.location, error))
        throw core::DataError("is a folder, not a data file — choose a file", {source.location, 0, 0});
    estimate.fileBytes = std::filesystem::file_size(source.location, error);
    if (error)
        throw core::DataError("cannot open the file: " + error.message() + " — check the path", {source.location, 0, 0});
    switch (format) {
    case FileFormat::Csv: estimateCsv(source.location, source.read.csv, estimate); break;
    case FileFormat::Json: estimateJson(source.location, estimate); break;
    case FileFormat::Xlsx: estimateXlsx(source, estimate); break;
    case FileFormat::Sqlite: estimateSqlite(source, estimate); break;
    }
    return estimate;
}

Table loadTable(const DataSource& source, core::TaskControl* control)
{
    Table table;
    switch (source.kind) {
    case DataSourceKind::Builtin:
        table = loadBuiltinDataset(source.location);
        break;
    case DataSourceKind::Generated:
        table = makeClassification(source.generator);
        break;
    case DataSourceKind::File: {
        const FileFormat format = fileFormatOf(source.location);
        const LoadEstimate estimate = estimateLoad(source);
        if (estimate.tooLarge())
            throw core::DataError(memoryRefusal(estimate, format), {source.location, 0, 0});
        try {
            table = readFile(source, format, control);
        } catch (const std::bad_alloc&) {
            throw core::DataError("ran out of memory while loading (about " + formatBytes(estimate.estimatedBytes) +
                                      " needed) — close other programs, or load a part of it",
                                  {source.location, 0, 0});
        }
        break;
    }
    }
    if (!source.read.columnKinds.empty())
        table = applyColumnKinds(std::move(table), source.read.columnKinds, source.describe());
    return table;
}

std::string dataSha256(const DataSource& source, const Table& table)
{
    if (source.kind == DataSourceKind::File) {
        try {
            return core::fileSha256Hex(source.location);
        } catch (const core::Error&) {
            // The table came from somewhere else than the file (a caller that loaded it
            // itself, or a file removed since): the table as given is what was used.
        }
    } else if (source.kind == DataSourceKind::Builtin) {
        for (const auto& file : embedded::files())
            if (source.location == file.name)
                return core::sha256Hex(file.text);
    }
    std::ostringstream csv;
    writeCsv(table, csv);
    return core::sha256Hex(std::move(csv).str());
}

} // namespace stepwise::data
