#pragma once
/// \file
/// \brief Where a recipe's data comes from: a file, a bundled dataset or a generator.

#include <string>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief The kinds of data source.
enum class DataSourceKind { File, Builtin, Generated };

/// \brief A reproducible reference to the data: re-loading it gives the same table.
struct DataSource {
    DataSourceKind kind = DataSourceKind::Builtin;
    std::string location = "titanic";  ///< file path, or the builtin dataset's name
    ClassificationSpec generator;       ///< used when kind == Generated

    /// \brief "data.csv", "builtin:titanic" or "make_classification(samples=1000, …)".
    std::string describe() const;
};

/// \brief "builtin:NAME" → a builtin source; anything else → a file path.
DataSource parseDataLocation(const std::string& text);

/// \brief Loads the table (CSV/TSV files by extension). Throws `DataError` naming the
/// file for unreadable files and unsupported formats.
Table loadTable(const DataSource& source, core::TaskControl* control = nullptr);

} // namespace stepwise::data
