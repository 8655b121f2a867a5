#pragma once
/// \file
/// \brief Deciding what a column's values mean (type inference, shared by every reader)
/// and changing it on the user's request (type override).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "stepwise/data/column.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief "true"/"false" in the spellings pandas reads as booleans (True, TRUE, true,
/// False, FALSE, false); nothing for anything else.
std::optional<bool> parseBoolean(std::string_view text);

/// \brief A date or date-time text as seconds since 1970-01-01 00:00:00 UTC. Accepts
/// ISO 8601 (`2024-03-01`, `2024-03-01 13:45`, `2024-03-01T13:45:30.25`, with `Z` or a
/// `±hh:mm` offset) and `2024/03/01`; with `dayFirst` false also `03/01/2024`
/// (month first, as pandas), with `dayFirst` true `01/03/2024` and `01.03.2024`.
std::optional<double> parseDatetime(std::string_view text, bool dayFirst = false);

/// \brief ISO 8601 text of seconds since the epoch: "2024-03-01" at midnight,
/// "2024-03-01 13:45:30" otherwise (fractions of a second kept when present).
std::string formatDatetime(double secondsSinceEpoch);

/// \brief Finishes a column read as text: given its distinct present texts (codes index
/// `levels`, -1 = missing), decides Boolean (all levels parse as booleans), Datetime
/// (all parse as dates in one format), Text (free text: mostly unique, multi-word) or
/// Categorical, and builds the column in that kind.
Column finishTextColumn(std::string name, std::vector<std::int32_t> codes, std::vector<std::string> levels);

/// \brief Finishes a column whose present values were all numbers: Integer when every
/// value was written without a fraction or exponent (`allIntegerSyntax`, as pandas
/// decides int64) and is a whole number, else Numeric.
Column finishNumericColumn(std::string name, std::vector<double> values, bool allIntegerSyntax);

/// \brief The column in another kind, for a user's type override. Numbers → text kinds
/// keep their display text; text → numeric kinds parse every level and throw `DataError`
/// naming the column, the first row (1-based data row) and the value that does not
/// parse; Integer rejects fractions the same way.
Column convertColumn(const Column& column, ColumnKind kind);

/// \brief A user's choice of kind for one column.
struct ColumnKindOverride {
    std::string column;
    ColumnKind kind = ColumnKind::Categorical;
};

/// \brief Applies overrides in order; throws `DataError` naming `sourceName` for an
/// unknown column or a value that cannot convert.
Table applyColumnKinds(Table table, const std::vector<ColumnKindOverride>& overrides,
                       const std::string& sourceName);

/// \brief Builds one column from typed cells, for readers whose cells carry a type
/// (JSON, SQLite, xlsx): all numbers → `finishNumericColumn`, all booleans → Boolean,
/// all datetimes → Datetime, otherwise every present value as text → `finishTextColumn`
/// (numbers, booleans and datetimes then keep their text — `formatNumber`, "True"/"False",
/// `formatDatetime` — as pandas keeps mixed columns as objects).
class CellColumnBuilder {
public:
    explicit CellColumnBuilder(std::string name) : m_name(std::move(name)) {}
    void addMissing();
    /// \brief `integerSyntax`: the source wrote it as a whole number (JSON `3`, SQLite
    /// INTEGER), not `3.0`.
    void addNumber(double value, bool integerSyntax);
    void addBoolean(bool value);
    /// \brief A date/time cell (xlsx date-formatted number), in seconds since the epoch.
    void addDatetime(double secondsSinceEpoch);
    void addText(std::string_view text);
    std::size_t size() const { return m_cells.size(); }
    /// \brief The finished column; the builder is left empty.
    Column finish();

private:
    enum class CellType : std::uint8_t { Missing, Number, Boolean, Datetime, Text };
    struct Cell {
        CellType type = CellType::Missing;
        bool integerSyntax = false;
        double number = 0.0;
        std::uint32_t textIndex = 0;
    };
    std::string m_name;
    std::vector<Cell> m_cells;
    std::vector<std::string> m_texts;  ///< distinct texts, in order of first appearance
    std::unordered_map<std::string, std::uint32_t> m_textIndex;
};

} // namespace stepwise::data
