#pragma once
/// \file
/// \brief Where a recipe's data comes from (a file, a bundled dataset or a generator)
/// and how to read it; re-loading the same source gives the same table.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief The kinds of data source.
enum class DataSourceKind { File, Builtin, Generated };

/// \brief File formats Stepwise reads.
enum class FileFormat { Csv, Xlsx, Sqlite, Json };

/// \brief The format of `path`: by extension (.csv .tsv .txt → Csv, .xlsx → Xlsx,
/// .sqlite .sqlite3 .db → Sqlite, .json .jsonl .ndjson → Json); throws `DataError`
/// listing the supported extensions otherwise.
FileFormat fileFormatOf(const std::string& path);

/// \brief "auto", "utf-8" or "latin-1" (the spelling of the CLI and recipe files).
const char* toString(TextEncoding encoding);
/// \brief The encoding named by `text` (the names `toString` gives), if any.
std::optional<TextEncoding> textEncodingFromString(std::string_view text);

/// \brief Everything about reading a source that a user can choose.
struct ReadOptions {
    CsvOptions csv;        ///< CSV/TSV; `csv.missingMarkers` also applies to text in other formats
    std::string sheet;     ///< xlsx: sheet name (empty = first sheet)
    std::string table;     ///< SQLite: table name
    std::string query;     ///< SQLite: a SELECT statement instead of a table
    std::vector<ColumnKindOverride> columnKinds;  ///< type overrides, applied after reading
};

/// \brief A reproducible reference to the data: re-loading it gives the same table.
struct DataSource {
    DataSourceKind kind = DataSourceKind::Builtin;
    std::string location = "titanic";  ///< file path, or the builtin dataset's name
    ClassificationSpec generator;       ///< used when kind == Generated
    ReadOptions read;                   ///< how to read a file (and overrides for any kind)

    /// \brief "data.csv", "data.xlsx [Sheet2]", "builtin:titanic" or
    /// "make_classification(samples=1000, …)".
    std::string describe() const;
};

/// \brief "builtin:NAME" → a builtin source; anything else → a file path.
DataSource parseDataLocation(const std::string& text);

/// \brief What loading a source will cost, known before loading it.
struct LoadEstimate {
    std::uint64_t fileBytes = 0;       ///< 0 for builtin and generated data
    std::uint64_t estimatedRows = 0;   ///< from a sample of the start of the file
    std::size_t columns = 0;
    std::uint64_t estimatedBytes = 0;  ///< peak memory loading will take (the reader's working set included)
    /// \brief Memory the load can take now: the least of MemAvailable, the cgroup's
    /// remaining allowance, and what RLIMIT_DATA and RLIMIT_AS leave; 0 when none is known.
    std::uint64_t availableBytes = 0;
    /// \brief False when the rows cannot be known before reading (an SQLite view or
    /// query: counting would run it); `estimatedRows` and `estimatedBytes` are then 0.
    bool rowsKnown = true;
    /// \brief True when `estimatedBytes` exceeds `availableBytes`: loading would fail.
    bool tooLarge() const { return availableBytes != 0 && estimatedBytes > availableBytes; }
};

/// \brief Why a load is refused, for a `DataError` at the file: "is 5.0 GB; loading it
/// needs about 7.5 GB but only 2.1 GB of memory is available — " and what to do instead
/// (load a sample of the rows, a smaller sheet or query, a machine with more memory).
std::string memoryRefusal(const LoadEstimate& estimate, FileFormat format);

/// \brief Estimates a load from the file size and a sample of its start (cheap: reads at
/// most a few hundred kilobytes). Throws `DataError` if the file cannot be opened.
LoadEstimate estimateLoad(const DataSource& source);

/// \brief Loads the table in the format of its extension, then applies
/// `source.read.columnKinds`. Refuses with `DataError` before reading when the estimate
/// says the table cannot fit in memory; running out of memory anyway also ends in a
/// `DataError`. Errors name the file.
Table loadTable(const DataSource& source, core::TaskControl* control = nullptr);

/// \brief SHA-256 (hex) of the data `table` was loaded from, the digest models and projects
/// record: the file's bytes for a file source, the bundled CSV of a built-in dataset, the
/// table written as CSV for generated data (and for a file that can no longer be read —
/// the table as given is then what was used).
std::string dataSha256(const DataSource& source, const Table& table);

} // namespace stepwise::data
