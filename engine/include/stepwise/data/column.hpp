#pragma once
/// \file
/// \brief One typed column of a table. Missing values stay missing: NaN in numeric
/// columns, code -1 in categorical ones.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stepwise::data {

/// \brief Storage type of a column.
enum class ColumnType { Numeric, Categorical };

/// \brief "numeric" or "categorical".
const char* toString(ColumnType type);

/// \brief A named column: numbers (NaN = missing) or category codes into a level list
/// (-1 = missing). Levels keep the order in which they first appeared.
class Column {
public:
    /// \brief Code of a missing categorical value.
    static constexpr std::int32_t kMissingCode = -1;

    Column() = default;
    /// \brief A numeric column; NaN entries are missing values.
    static Column numeric(std::string name, std::vector<double> values);
    /// \brief A categorical column from codes into `levels` (-1 = missing).
    static Column categorical(std::string name, std::vector<std::int32_t> codes,
                              std::vector<std::string> levels);
    /// \brief A categorical column from text values; empty optional = missing.
    static Column categoricalFromText(std::string name, const std::vector<std::string>& values,
                                      const std::vector<bool>& missing);

    const std::string& name() const { return m_name; }
    ColumnType type() const { return m_type; }
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

    /// \brief The value as display text: shortest round-trip number, the category name,
    /// or an empty string when missing.
    std::string textAt(std::size_t row) const;

    /// \brief A copy with only the given rows, in the given order.
    Column selectRows(const std::vector<std::size_t>& rows) const;
    /// \brief A copy under another name.
    Column renamed(std::string name) const;
    /// \brief The column as categorical: numbers become their shortest text.
    Column asCategorical() const;

private:
    std::string m_name;
    ColumnType m_type = ColumnType::Numeric;
    std::vector<double> m_values;
    std::vector<std::int32_t> m_codes;
    std::vector<std::string> m_levels;
};

/// \brief Shortest text that reads back as the same double ("3", "0.1", "1e-07").
std::string formatNumber(double value);

} // namespace stepwise::data
