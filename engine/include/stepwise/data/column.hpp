#pragma once
/// \file
/// \brief One typed column of a table. Missing values stay missing: NaN in numeric
/// columns, code -1 in categorical ones.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepwise::data {

/// \brief Storage type of a column.
enum class ColumnType { Numeric, Categorical };

/// \brief "numeric" or "categorical".
const char* toString(ColumnType type);

/// \brief What the values mean, inferred on load and overridable by the user. Numeric,
/// Integer, Boolean (0/1) and Datetime (seconds since 1970-01-01 UTC) are stored as
/// numbers; Categorical and Text (free text: mostly unique, multi-word values) as codes.
enum class ColumnKind { Numeric, Integer, Boolean, Datetime, Categorical, Text };

/// \brief "numeric", "integer", "boolean", "datetime", "categorical" or "text".
const char* toString(ColumnKind kind);
/// \brief The kind named by `text` (the names `toString` gives), if any.
std::optional<ColumnKind> columnKindFromString(std::string_view text);
/// \brief How a column of this kind stores its values.
ColumnType storageOf(ColumnKind kind);

/// \brief A named column: numbers (NaN = missing) or category codes into a level list
/// (-1 = missing). Levels keep the order in which they first appeared.
class Column {
public:
    /// \brief Code of a missing categorical value.
    static constexpr std::int32_t kMissingCode = -1;

    Column() = default;
    /// \brief A numeric column; NaN entries are missing values. `kind` must be stored
    /// as numbers (`storageOf(kind) == Numeric`), else `std::invalid_argument`.
    static Column numeric(std::string name, std::vector<double> values, ColumnKind kind = ColumnKind::Numeric);
    /// \brief A categorical column from codes into `levels` (-1 = missing). `kind` is
    /// Categorical or Text, else `std::invalid_argument`.
    static Column categorical(std::string name, std::vector<std::int32_t> codes,
                              std::vector<std::string> levels, ColumnKind kind = ColumnKind::Categorical);
    /// \brief A categorical column from text values; empty optional = missing.
    static Column categoricalFromText(std::string name, const std::vector<std::string>& values,
                                      const std::vector<bool>& missing);

    const std::string& name() const { return m_name; }
    ColumnType type() const { return m_type; }
    /// \brief What the values mean (storage follows from it).
    ColumnKind kind() const { return m_kind; }
    bool isNumeric() const { return m_type == ColumnType::Numeric; }
    bool isCategorical() const { return m_type == ColumnType::Categorical; }
    /// \brief Number of rows.
    std::size_t size() const;

    /// \brief True if the value in `row` is missing.
    bool isMissing(std::size_t row) const;
    /// \brief Number of missing values.
    std::size_t missingCount() const;

    /// \brief Numeric values (numeric columns only; NaN = missing).
    const std::vector<double>& values() const { return m_values; }
    /// \brief Category codes (categorical columns only; -1 = missing).
    const std::vector<std::int32_t>& codes() const { return m_codes; }
    /// \brief Category names, indexed by code.
    const std::vector<std::string>& levels() const { return m_levels; }

    /// \brief The value as display text: shortest round-trip number, "True"/"False" for
    /// booleans, ISO 8601 for datetimes, the category name, or "" when missing.
    std::string textAt(std::size_t row) const;

    /// \brief A copy with only the given rows, in the given order.
    Column selectRows(const std::vector<std::size_t>& rows) const;
    /// \brief A copy under another name.
    Column renamed(std::string name) const;
    /// \brief The column as categorical: each value becomes its `textAt` text.
    Column asCategorical() const;

private:
    std::string m_name;
    ColumnType m_type = ColumnType::Numeric;
    ColumnKind m_kind = ColumnKind::Numeric;
    std::vector<double> m_values;
    std::vector<std::int32_t> m_codes;
    std::vector<std::string> m_levels;
};

/// \brief Shortest text that reads back as the same double ("3", "0.1", "1e-07").
std::string formatNumber(double value);

} // namespace stepwise::data
