#include "stepwise/data/column_kinds.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include <fast_float/fast_float.h>

#include "stepwise/core/errors.hpp"

namespace stepwise::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSecondsPerDay = 86400.0;
/// Largest magnitude below which every integer is exactly representable in a double.
constexpr double kMaxExactInteger = 9007199254740992.0;

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day)
{
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yearOfEra = static_cast<unsigned>(year - era * 400);
    const unsigned dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

CivilDate civilFromDays(std::int64_t days)
{
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto dayOfEra = static_cast<unsigned>(days - era * 146097);
    const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned mp = (5 * dayOfYear + 2) / 153;
    const unsigned day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yearOfEra) + era * 400 + (month <= 2), month, day};
}

bool isLeapYear(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned daysInMonth(std::int64_t year, unsigned month)
{
    static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

/// A cursor over a date text; every read returns false without consuming on mismatch.
class Scanner {
public:
    explicit Scanner(std::string_view text) : m_text(text) {}
    bool atEnd() const { return m_pos == m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    bool accept(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    /// Exactly `minDigits`..`maxDigits` decimal digits.
    bool digits(std::size_t minDigits, std::size_t maxDigits, unsigned& value)
    {
        std::size_t count = 0;
        unsigned result = 0;
        while (count < maxDigits && m_pos + count < m_text.size() && m_text[m_pos + count] >= '0' &&
               m_text[m_pos + count] <= '9') {
            result = result * 10 + static_cast<unsigned>(m_text[m_pos + count] - '0');
            ++count;
        }
        if (count < minDigits)
            return false;
        // More digits than allowed means a different layout (e.g. a 5-digit year).
        if (m_pos + count < m_text.size() && m_text[m_pos + count] >= '0' && m_text[m_pos + count] <= '9')
            return false;
        m_pos += count;
        value = result;
        return true;
    }
    /// Digits after a decimal point, as a fraction of one.
    double fraction()
    {
        double value = 0.0;
        double scale = 0.1;
        while (peek() >= '0' && peek() <= '9') {
            value += scale * (m_text[m_pos] - '0');
            scale /= 10.0;
            ++m_pos;
        }
        return value;
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

/// "HH:MM[:SS[.fff]]" then an optional "Z" or "±HH[:]MM" offset, to the end of the text.
bool parseTimeOfDay(Scanner& in, double& seconds)
{
    unsigned hour = 0, minute = 0, second = 0;
    if (!in.digits(1, 2, hour) || !in.accept(':') || !in.digits(2, 2, minute))
        return false;
    double fraction = 0.0;
    if (in.accept(':')) {
        if (!in.digits(2, 2, second))
            return false;
        if (in.accept('.') || in.accept(','))
            fraction = in.fraction();
    }
    if (hour > 23 || minute > 59 || second > 60)
        return false;
    double offset = 0.0;
    if (in.accept('Z')) {
    } else if (in.peek() == '+' || in.peek() == '-') {
        const double sign = in.peek() == '-' ? -1.0 : 1.0;
        in.accept(in.peek());
        unsigned offsetHours = 0, offsetMinutes = 0;
        if (!in.digits(2, 2, offsetHours))
            return false;
        in.accept(':');
        if (!in.digits(2, 2, offsetMinutes) || offsetHours > 23 || offsetMinutes > 59)
            return false;
        offset = sign * (offsetHours * 3600.0 + offsetMinutes * 60.0);
    }
    seconds = hour * 3600.0 + minute * 60.0 + second + fraction - offset;
    return in.atEnd();
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

/// Full-text number in the usual syntax (no "inf"/"nan", optional leading '+').
std::optional<double> parsePlainNumber(std::string_view text)
{
    text = trimmed(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty() || text.front() == '+')
        return std::nullopt;
    const std::size_t firstDigit = text.front() == '-' ? 1 : 0;
    if (firstDigit >= text.size() || !((text[firstDigit] >= '0' && text[firstDigit] <= '9') || text[firstDigit] == '.'))
        return std::nullopt;
    double value = 0.0;
    const auto result = fast_float::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

/// Booleans a user may mean when asking for a boolean column explicitly; inference
/// only takes pandas' spellings (`parseBoolean`), because "yes"/"no" or 0/1 are also
/// ordinary categories and counts.
std::optional<bool> parseBooleanLoosely(std::string_view text)
{
    text = trimmed(text);
    if (auto strict = parseBoolean(text))
        return strict;
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "yes" || lower == "y" || lower == "t" || lower == "1" || lower == "1.0")
        return true;
    if (lower == "no" || lower == "n" || lower == "f" || lower == "0" || lower == "0.0")
        return false;
    return std::nullopt;
}

bool isWholeNumber(double value) { return std::floor(value) == value && std::fabs(value) <= kMaxExactInteger; }

/// Seconds for every level in one day-order, if all parse.
std::optional<std::vector<double>> parseAllDatetimes(const std::vector<std::string>& levels, bool dayFirst)
{
    std::vector<double> seconds(levels.size());
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const auto parsed = parseDatetime(levels[i], dayFirst);
        if (!parsed)
            return std::nullopt;
        seconds[i] = *parsed;
    }
    return seconds;
}

/// Free text rather than categories: enough values, mostly distinct, mostly several words.
bool looksLikeFreeText(const std::vector<std::int32_t>& codes, const std::vector<std::string>& levels)
{
    constexpr std::size_t kMinimumValues = 20;
    const auto present = static_cast<std::size_t>(
        std::count_if(codes.begin(), codes.end(), [](std::int32_t code) { return code != Column::kMissingCode; }));
    if (present < kMinimumValues || levels.size() * 2 < present)
        return false;
    const auto multiWord = std::count_if(levels.begin(), levels.end(), [](const std::string& level) {
        const std::string_view text = trimmed(level);
        return text.find(' ') != std::string_view::npos;
    });
    return static_cast<std::size_t>(multiWord) * 2 >= levels.size();
}

Column numericFromLevels(const std::string& name, const std::vector<std::int32_t>& codes,
                         const std::vector<double>& levelValues, ColumnKind kind)
{
    std::vector<double> values(codes.size(), kNaN);
    for (std::size_t row = 0; row < codes.size(); ++row)
        if (codes[row] != Column::kMissingCode)
            values[row] = levelValues[static_cast<std::size_t>(codes[row])];
    return Column::numeric(name, std::move(values), kind);
}

[[noreturn]] void throwNotConvertible(const Column& column, std::size_t row, ColumnKind kind, const std::string& what)
{
    std::string message = "column '";
    message.append(column.name()).append("', row ").append(std::to_string(row + 1)).append(": '");
    message.append(column.textAt(row)).append("' is not ").append(what);
    message.append(" — fix the value, mark it as missing, or keep the column ");
    message.append(toString(column.kind())).append(" instead of ").append(toString(kind));
    throw core::DataError(message);
}

const char* describeKind(ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Integer: return "a whole number";
    case ColumnKind::Boolean: return "a boolean (true/false, yes/no, 1/0)";
    case ColumnKind::Datetime: return "a date (e.g. 2024-03-01 or 2024-03-01 13:45)";
    default: return "a number";
    }
}

/// Text column → a kind stored as numbers: parse each level once.
Column convertCategoricalToNumeric(const Column& column, ColumnKind kind)
{
    const auto& levels = column.levels();
    std::vector<double> levelValues(levels.size(), kNaN);
    std::vector<bool> parsed(levels.size(), false);
    std::optional<std::vector<double>> dates;
    if (kind == ColumnKind::Datetime) {
        dates = parseAllDatetimes(levels, false);
        if (!dates)
            dates = parseAllDatetimes(levels, true);
    }
    for (std::size_t i = 0; i < levels.size(); ++i) {
        std::optional<double> value;
        switch (kind) {
        case ColumnKind::Boolean:
            if (auto flag = parseBooleanLoosely(levels[i]))
                value = *flag ? 1.0 : 0.0;
            break;
        case ColumnKind::Datetime:
            value = dates ? std::optional<double>((*dates)[i]) : parseDatetime(levels[i]);
            break;
        case ColumnKind::Integer:
            value = parsePlainNumber(levels[i]);
            if (value && !isWholeNumber(*value))
                value.reset();
            break;
        default:
            value = parsePlainNumber(levels[i]);
            break;
        }
        parsed[i] = value.has_value();
        if (value)
            levelValues[i] = *value;
    }
    const auto& codes = column.codes();
    for (std::size_t row = 0; row < codes.size(); ++row)
        if (codes[row] != Column::kMissingCode && !parsed[static_cast<std::size_t>(codes[row])])
            throwNotConvertible(column, row, kind, describeKind(kind));
    return numericFromLevels(column.name(), codes, levelValues, kind);
}

Column convertNumericToNumeric(const Column& column, ColumnKind kind)
{
    const auto& values = column.values();
    for (std::size_t row = 0; row < values.size(); ++row) {
        const double value = values[row];
        if (std::isnan(value))
            continue;
        if (kind == ColumnKind::Integer && !isWholeNumber(value))
            throwNotConvertible(column, row, kind, describeKind(kind));
        if (kind == ColumnKind::Boolean && value != 0.0 && value != 1.0)
            throwNotConvertible(column, row, kind, "0 or 1");
    }
    // Numbers read as datetimes are taken as Unix timestamps (seconds since 1970).
    return Column::numeric(column.name(), values, kind);
}

} // namespace

std::optional<bool> parseBoolean(std::string_view text)
{
    text = trimmed(text);
    if (text == "True" || text == "TRUE" || text == "true")
        return true;
    if (text == "False" || text == "FALSE" || text == "false")
        return false;
    return std::nullopt;
}

std::optional<double> parseDatetime(std::string_view text, bool dayFirst)
{
    text = trimmed(text);
    if (text.size() < 8)
        return std::nullopt;
    Scanner in(text);
    unsigned first = 0, second = 0, third = 0;
    unsigned year = 0, month = 0, day = 0;
    if (!in.digits(1, 4, first))
        return std::nullopt;
    const char separator = in.peek();
    if (separator != '-' && separator != '/' && separator != '.')
        return std::nullopt;
    in.accept(separator);
    if (!in.digits(1, 2, second) || !in.accept(separator))
        return std::nullopt;
    const bool yearFirst = first >= 1000;
    if (yearFirst) {
        if (separator == '.' || !in.digits(1, 2, third))
            return std::nullopt;
        year = first, month = second, day = third;
    } else {
        // Day and month first: only with '/' (either order) or '.' (day first).
        if (separator == '-' || (separator == '.' && !dayFirst) || !in.digits(4, 4, third))
            return std::nullopt;
        year = third;
        month = dayFirst ? second : first;
        day = dayFirst ? first : second;
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return std::nullopt;
    double seconds = static_cast<double>(daysFromCivil(year, month, day)) * kSecondsPerDay;
    if (in.atEnd())
        return seconds;
    if (!in.accept('T') && !in.accept(' '))
        return std::nullopt;
    double timeOfDay = 0.0;
    if (!parseTimeOfDay(in, timeOfDay))
        return std::nullopt;
    return seconds + timeOfDay;
}

std::string formatDatetime(double secondsSinceEpoch)
{
    if (!std::isfinite(secondsSinceEpoch))
        return {};
    const double days = std::floor(secondsSinceEpoch / kSecondsPerDay);
    double secondOfDay = secondsSinceEpoch - days * kSecondsPerDay;
    // Round to microseconds so 13:45:30 does not print as 13:45:29.999999.
    secondOfDay = std::round(secondOfDay * 1e6) / 1e6;
    auto dayNumber = static_cast<std::int64_t>(days);
    if (secondOfDay >= kSecondsPerDay) {
        secondOfDay -= kSecondsPerDay;
        ++dayNumber;
    }
    const CivilDate date = civilFromDays(dayNumber);
    std::array<char, 64> buffer{};
    int length = std::snprintf(buffer.data(), buffer.size(), "%04lld-%02u-%02u", static_cast<long long>(date.year),
                               date.month, date.day);
    std::string text(buffer.data(), static_cast<std::size_t>(length));
    if (secondOfDay == 0.0)
        return text;
    const auto whole = static_cast<unsigned>(secondOfDay);
    length = std::snprintf(buffer.data(), buffer.size(), " %02u:%02u:%02u", whole / 3600, whole / 60 % 60, whole % 60);
    text.append(buffer.data(), static_cast<std::size_t>(length));
    const auto micros = static_cast<unsigned>(std::lround((secondOfDay - whole) * 1e6));
    if (micros != 0) {
        length = std::snprintf(buffer.data(), buffer.size(), ".%06u", micros);
        std::string fraction(buffer.data(), static_cast<std::size_t>(length));
        while (fraction.back() == '0')
            fraction.pop_back();
        text.append(fraction);
    }
    return text;
}

Column finishTextColumn(std::string name, std::vector<std::int32_t> codes, std::vector<std::string> levels)
{
    if (!levels.empty()) {
        std::vector<double> flags(levels.size());
        bool allBoolean = true;
        for (std::size_t i = 0; i < levels.size() && allBoolean; ++i) {
            const auto flag = parseBoolean(levels[i]);
            allBoolean = flag.has_value();
            flags[i] = flag.value_or(false) ? 1.0 : 0.0;
        }
        if (allBoolean)
            return numericFromLevels(name, codes, flags, ColumnKind::Boolean);
        auto dates = parseAllDatetimes(levels, false);
        if (!dates)
            dates = parseAllDatetimes(levels, true);
        if (dates)
            return numericFromLevels(name, codes, *dates, ColumnKind::Datetime);
    }
    const ColumnKind kind = looksLikeFreeText(codes, levels) ? ColumnKind::Text : ColumnKind::Categorical;
    return Column::categorical(std::move(name), std::move(codes), std::move(levels), kind);
}

Column finishNumericColumn(std::string name, std::vector<double> values, bool allIntegerSyntax)
{
    bool anyPresent = false;
    bool integral = allIntegerSyntax;
    for (std::size_t i = 0; i < values.size() && integral; ++i) {
        if (std::isnan(values[i]))
            continue;
        anyPresent = true;
        integral = isWholeNumber(values[i]);
    }
    const ColumnKind kind = integral && anyPresent ? ColumnKind::Integer : ColumnKind::Numeric;
    return Column::numeric(std::move(name), std::move(values), kind);
}

Column convertColumn(const Column& column, ColumnKind kind)
{
    if (column.kind() == kind)
        return column;
    if (storageOf(kind) == ColumnType::Categorical) {
        Column categorical = column.asCategorical();
        return Column::categorical(categorical.name(), categorical.codes(), categorical.levels(), kind);
    }
    return column.isCategorical() ? convertCategoricalToNumeric(column, kind) : convertNumericToNumeric(column, kind);
}

Table applyColumnKinds(Table table, const std::vector<ColumnKindOverride>& overrides, const std::string& sourceName)
{
    for (const auto& override : overrides) {
        if (!table.hasColumn(override.column)) {
            std::string message = sourceName;
            message.append(": there is no column '").append(override.column).append("' to set the type of — columns are: ");
            const auto names = table.columnNames();
            for (std::size_t i = 0; i < names.size(); ++i)
                message.append(i == 0 ? "" : ", ").append(names[i]);
            throw core::DataError(message);
        }
        try {
            table.replaceColumn(convertColumn(table.column(override.column), override.kind));
        } catch (const core::DataError& error) {
            throw core::DataError(sourceName + ": " + error.what());
        }
    }
    return table;
}

void CellColumnBuilder::addMissing() { m_cells.push_back({}); }

void CellColumnBuilder::addNumber(double value, bool integerSyntax)
{
    m_cells.push_back({CellType::Number, integerSyntax, value, 0});
}

void CellColumnBuilder::addBoolean(bool value) { m_cells.push_back({CellType::Boolean, false, value ? 1.0 : 0.0, 0}); }

void CellColumnBuilder::addDatetime(double secondsSinceEpoch)
{
    m_cells.push_back({CellType::Datetime, false, secondsSinceEpoch, 0});
}

void CellColumnBuilder::addText(std::string_view text)
{
    auto [it, inserted] = m_textIndex.try_emplace(std::string(text), static_cast<std::uint32_t>(m_texts.size()));
    if (inserted)
        m_texts.emplace_back(text);
    m_cells.push_back({CellType::Text, false, 0.0, it->second});
}

Column CellColumnBuilder::finish()
{
    bool anyNumber = false, anyBoolean = false, anyDatetime = false, anyText = false, allIntegerSyntax = true;
    for (const auto& cell : m_cells) {
        anyNumber = anyNumber || cell.type == CellType::Number;
        anyBoolean = anyBoolean || cell.type == CellType::Boolean;
        anyDatetime = anyDatetime || cell.type == CellType::Datetime;
        anyText = anyText || cell.type == CellType::Text;
        if (cell.type == CellType::Number)
            allIntegerSyntax = allIntegerSyntax && cell.integerSyntax;
    }
    std::vector<Cell> cells = std::move(m_cells);
    std::vector<std::string> texts = std::move(m_texts);
    m_cells.clear();
    m_texts.clear();
    m_textIndex.clear();
    const int presentTypes = int(anyNumber) + int(anyBoolean) + int(anyDatetime) + int(anyText);
    if (presentTypes <= 1 && !anyText) {
        std::vector<double> values(cells.size(), kNaN);
        for (std::size_t row = 0; row < cells.size(); ++row)
            if (cells[row].type != CellType::Missing)
                values[row] = cells[row].number;
        if (anyDatetime)
            return Column::numeric(m_name, std::move(values), ColumnKind::Datetime);
        if (anyBoolean)
            return Column::numeric(m_name, std::move(values), ColumnKind::Boolean);
        return finishNumericColumn(m_name, std::move(values), allIntegerSyntax);
    }
    if (presentTypes == 1) {
        std::vector<std::int32_t> codes(cells.size(), Column::kMissingCode);
        for (std::size_t row = 0; row < cells.size(); ++row)
            if (cells[row].type == CellType::Text)
                codes[row] = static_cast<std::int32_t>(cells[row].textIndex);
        return finishTextColumn(m_name, std::move(codes), std::move(texts));
    }
    // Mixed: every value keeps its own text, as pandas keeps such columns as objects.
    std::vector<std::string> values(cells.size());
    std::vector<bool> missing(cells.size(), false);
    for (std::size_t row = 0; row < cells.size(); ++row) {
        const Cell& cell = cells[row];
        switch (cell.type) {
        case CellType::Missing: missing[row] = true; break;
        case CellType::Number: values[row] = formatNumber(cell.number); break;
        case CellType::Boolean: values[row] = cell.number != 0.0 ? "True" : "False"; break;
        case CellType::Datetime: values[row] = formatDatetime(cell.number); break;
        case CellType::Text: values[row] = texts[cell.textIndex]; break;
        }
    }
    Column mixed = Column::categoricalFromText(m_name, values, missing);
    return Column::categorical(m_name, mixed.codes(), mixed.levels(),
                               looksLikeFreeText(mixed.codes(), mixed.levels()) ? ColumnKind::Text
                                                                                : ColumnKind::Categorical);
}

} // namespace stepwise::data
