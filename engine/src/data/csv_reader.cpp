#include "stepwise/data/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <fast_float/fast_float.h>

#include "csv_chunking.hpp"
#include "data/read_progress.hpp"
#include "data/system_memory.hpp"
#include "mapped_file.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/threads.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "text_scan.hpp"

namespace stepwise::data {

namespace csv_chunking {
namespace {
std::atomic<std::size_t> g_chunkBytes{0};
std::atomic<std::size_t> g_bufferLimit{0};
std::atomic<std::size_t> g_availableMemory{0};
} // namespace

void setChunkBytes(std::size_t bytes) { g_chunkBytes.store(bytes); }

std::size_t chunkBytes()
{
    const std::size_t bytes = g_chunkBytes.load();
    return bytes != 0 ? bytes : kDefaultChunkBytes;
}

void setBufferLimit(std::size_t bytes) { g_bufferLimit.store(bytes); }

std::size_t bufferLimit() { return g_bufferLimit.load(); }

void setAvailableMemory(std::size_t bytes) { g_availableMemory.store(bytes); }

std::size_t availableMemory()
{
    const std::size_t pretended = g_availableMemory.load();
    return pretended != 0 ? pretended : static_cast<std::size_t>(availableMemoryBytes());
}

} // namespace csv_chunking

namespace {

/// A NUL byte this early means the file is not text at all, whatever else is wrong with it.
constexpr std::size_t kBinarySampleBytes = 64 * 1024;
constexpr std::size_t kSniffBytes = std::size_t(1) << 20;
constexpr std::size_t kSniffRecords = 20;
/// Bytes a worker parses between looks at the cancel flag and progress updates (~1 ms).
constexpr std::size_t kCheckStride = 256 * 1024;
constexpr auto kReportInterval = std::chrono::milliseconds(50);
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(char c)
{
    if (c == '\t')
        return "tab";
    return std::string("'") + c + "'";
}

/// An error at a byte offset of the text. Errors are compared by offset, so the one
/// reported is the first in the file however the text was split into chunks.
struct LocatedError {
    std::size_t offset;
    core::DataError error;
};

/// 1-based character column of `offset` in the line starting at `lineStart`.
std::size_t columnAt(std::string_view text, std::size_t lineStart, std::size_t offset, bool latin1)
{
    if (latin1)
        return offset - lineStart + 1;
    std::size_t column = 1;
    for (std::size_t i = lineStart; i < offset; ++i)
        column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    return column;
}

std::size_t lineStartBefore(std::string_view text, std::size_t begin, std::size_t offset)
{
    std::size_t start = offset;
    while (start > begin && text[start - 1] != '\n' && text[start - 1] != '\r')
        --start;
    return start;
}

std::string unescape(std::string_view text)
{
    std::string result;
    result.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        result.push_back(text[i]);
        if (text[i] == '"')
            ++i; // the second quote of a doubled pair
    }
    return result;
}

/// The delimiter among ',' ';' tab '|' (not `excluded`) that splits the first records
/// into the same number of fields > 1 most often; quotes are counted by parity, as the
/// chunk splitter does, so delimiters inside quoted fields do not count.
char sniff(std::string_view text, char excluded)
{
    constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
    const std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    const std::size_t limit = std::min(text.size(), start + kSniffBytes);
    std::vector<std::array<std::size_t, 4>> records;
    std::array<std::size_t, 4> counts{};
    bool inQuotes = false;
    bool content = false;
    std::size_t i = start;
    for (; i < limit && records.size() < kSniffRecords; ++i) {
        const char c = text[i];
        if (c == '"') {
            inQuotes = !inQuotes;
            content = true;
        } else if (inQuotes) {
            continue;
        } else if (c == '\n' || c == '\r') {
            if (content)
                records.push_back(counts);
            counts = {};
            content = false;
        } else {
            for (std::size_t k = 0; k < kCandidates.size(); ++k)
                counts[k] += c == kCandidates[k];
            content = true;
        }
    }
    // A last record without a line break counts only when it is the end of the text.
    if (content && !inQuotes && i == text.size())
        records.push_back(counts);

    char best = excluded == ',' ? ';' : ',';
    std::size_t bestScore = 0;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) {
        if (kCandidates[k] == excluded)
            continue;
        // The most frequent field count above one (ties: more fields) and how often it occurs.
        std::size_t modeFields = 0, modeCount = 0;
        for (const auto& record : records) {
            const std::size_t fields = record[k] + 1;
            if (fields < 2)
                continue;
            const auto frequency = static_cast<std::size_t>(std::count_if(
                records.begin(), records.end(), [&](const auto& other) { return other[k] + 1 == fields; }));
            if (frequency > modeCount || (frequency == modeCount && fields > modeFields)) {
                modeCount = frequency;
                modeFields = fields;
            }
        }
        if (modeCount > bestScore) {
            bestScore = modeCount;
            best = kCandidates[k];
        }
    }
    return best;
}

void checkOptions(const CsvOptions& options)
{
    const char delimiter = options.delimiter;
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
        throw core::InvalidParameter(std::string("delimiter: '") + delimiter +
                                     "' cannot separate fields — use ',', ';', tab or another character");
    if (options.decimal != '.' && options.decimal != ',')
        throw core::InvalidParameter(std::string("decimal: '") + options.decimal +
                                     "' is not a decimal separator — use '.' or ','");
    if (delimiter == options.decimal) {
        std::string message = "decimal: ";
        message.append(quoted(options.decimal)).append(" is also the delimiter (delimiter: ");
        message.append(quoted(delimiter)).append(") — numbers like 1,5 would be split into two fields; use ';' ");
        message.append("or tab as the delimiter, or '.' as the decimal separator");
        throw core::InvalidParameter(message);
    }
    const char thousands = options.thousands;
    if (thousands != 0) {
        if (thousands == options.decimal) {
            std::string message = "thousands: ";
            message.append(quoted(thousands)).append(" is also the decimal separator (decimal: ");
            message.append(quoted(options.decimal)).append(") — choose different characters, e.g. decimal ',' ");
            message.append("with thousands '.'");
            throw core::InvalidParameter(message);
        }
        if (isDigit(thousands) || std::strchr("+-eE\"\n\r", thousands) != nullptr)
            throw core::InvalidParameter(std::string("thousands: ") + quoted(thousands) +
                                         " cannot group digits — use ',', '.', a space, an apostrophe or none");
    }
}

constexpr std::array<std::uint64_t, 20> kIntegerPowersOfTen = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
    10000000000000000000ULL};

/// How many of the 8 bytes of `word` (first byte lowest) are ASCII digits before the first
/// that is not. Per byte: high nibble 3 and low nibble at most 9; nothing carries.
unsigned leadingDigits(std::uint64_t word)
{
    const std::uint64_t highNibble = (word & 0xF0F0F0F0F0F0F0F0ULL) ^ 0x3030303030303030ULL;
    const std::uint64_t lowAbove9 = ((word & 0x0F0F0F0F0F0F0F0FULL) + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL;
    const std::uint64_t notDigit = highNibble | lowAbove9;
    return notDigit == 0 ? 8 : static_cast<unsigned>(__builtin_ctzll(notDigit)) / 8;
}

/// The value of the first `count` (1..8) digit bytes of `word`: moved to the top so that
/// the dropped bytes act as leading zeros, then combined pairwise with three multiplies.
std::uint64_t digitsValue(std::uint64_t word, unsigned count)
{
    // Subtracting '0' can borrow only from the bytes after the digits, which are shifted out.
    std::uint64_t digits = (word - 0x3030303030303030ULL) << (8 * (8 - count));
    digits = (digits * 10 + (digits >> 8)) & 0x00FF00FF00FF00FFULL;
    digits = (digits * 100 + (digits >> 16)) & 0x0000FFFF0000FFFFULL;
    return (digits * 10000 + (digits >> 32)) & 0xFFFFFFFFULL;
}

/// Reads the run of ASCII digits at `p` (advancing it) into `value`; returns its length.
/// Past 19 digits the value is not exact and the caller gives up on it.
[[gnu::always_inline]] inline std::size_t readDigits(const char*& p, const char* readable, std::uint64_t& value)
{
    std::size_t count = 0;
    // The word tricks read the first character from the lowest byte.
    while (std::endian::native == std::endian::little && readable - p >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);
        const unsigned run = leadingDigits(word);
        if (run == 0)
            return count;
        value = value * kIntegerPowersOfTen[run] + digitsValue(word, run);
        count += run;
        p += run;
        if (run < 8 || count > 19)
            return count;
    }
    while (p != readable && isDigit(*p)) {
        value = value * 10 + static_cast<unsigned>(*p++ - '0');
        ++count;
    }
    return count;
}

/// How this text's fields are written; shared read-only by the parallel workers.
struct CsvSyntax {
    std::string_view text;
    std::string source;
    char delimiter = ',';
    char decimal = '.';
    char thousands = 0;
    bool latin1 = false;
    std::vector<std::string> markers;
    std::size_t longestMarker = 0;
    std::array<bool, 256> stops{};        ///< bytes that end an unquoted field (or are an error in one)
    std::array<bool, 256> numberStarts{}; ///< bytes a number can start with
    bool fastNumbers = true;              ///< no missing marker starts like a number

    CsvSyntax(std::string_view text_, std::string source_, const CsvOptions& options, char delimiter_)
        : text(text_), source(std::move(source_)), delimiter(delimiter_), decimal(options.decimal),
          thousands(options.thousands), markers(options.missingMarkers)
    {
        for (const char c : {delimiter, '\n', '\r', '"'})
            stops[static_cast<unsigned char>(c)] = true;
        for (char c = '0'; c <= '9'; ++c)
            numberStarts[static_cast<unsigned char>(c)] = true;
        for (const char c : {'+', '-', decimal})
            numberStarts[static_cast<unsigned char>(c)] = true;
        for (const auto& marker : markers) {
            longestMarker = std::max(longestMarker, marker.size());
            if (!marker.empty() && numberStarts[static_cast<unsigned char>(marker[0])])
                fastNumbers = false;
        }
    }

    bool isSpace(char c) const { return (c == ' ' || c == '\t') && c != delimiter; }

    bool isMissing(std::string_view field, bool quotedField) const
    {
        // Quoting marks literal text: only a quoted empty field is missing, so a category
        // really called "NA" survives a write/read round trip.
        if (quotedField)
            return field.empty();
        if (field.size() > longestMarker)
            return false;
        for (const auto& marker : markers)
            if (marker == field)
                return true;
        return false;
    }

    fast_float::from_chars_result parseDouble(const char* first, const char* last, double& value) const
    {
        if (decimal == '.')
            return fast_float::from_chars(first, last, value);
        return fast_float::from_chars_advanced(first, last, value,
                                               fast_float::parse_options(fast_float::chars_format::general, decimal));
    }

    /// [sign] digits [decimal digits], at most 19 digits, no exponent: the common case,
    /// parsed here without a branch per character. With a mantissa up to 2^53 and at most
    /// 22 decimals, one IEEE division by an exact power of ten is correctly rounded
    /// (Clinger's fast path), so the value is bit-identical to fast_float's. `readable` is
    /// where the text ends (8-byte loads stay before it). Returns where the number ends, or
    /// nullptr when the text needs the general parser (or is not a number).
    const char* parsePlainDecimal(const char* first, const char* last, const char* readable, double& value,
                                  bool& integerSyntax) const
    {
        static constexpr std::array<double, 23> kPowersOfTen = {
            1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        const char* p = first;
        const bool negative = *p == '-';
        p += negative || *p == '+';
        std::uint64_t mantissa = 0;
        std::size_t count = readDigits(p, readable, mantissa);
        std::size_t decimals = 0;
        const bool point = p != last && *p == decimal;
        if (point) {
            ++p;
            std::uint64_t fraction = 0;
            decimals = readDigits(p, readable, fraction);
            if (decimals <= 19)
                mantissa = mantissa * kIntegerPowersOfTen[decimals] + fraction;
            count += decimals;
        }
        if (count == 0 || count > 19 || mantissa > (std::uint64_t(1) << 53) ||
            (p != last && (*p == 'e' || *p == 'E')))
            return nullptr;
        // The sign goes in as a bit: a branch on it would be mispredicted half the time.
        const double magnitude = static_cast<double>(mantissa) / kPowersOfTen[decimals];
        value = std::bit_cast<double>(std::bit_cast<std::uint64_t>(magnitude) | std::uint64_t(negative) << 63);
        integerSyntax = !point;
        return p;
    }

    /// Removes valid thousands grouping from a number's integer part ("1,234,567.5" →
    /// "1234567.5"); false when the grouping is not 1–3 digits then groups of exactly 3,
    /// or a separator appears outside the integer part.
    bool stripThousands(const char* first, const char* digits, const char* last, std::string& out) const
    {
        const char* integerEnd = digits;
        while (integerEnd != last && (isDigit(*integerEnd) || *integerEnd == thousands))
            ++integerEnd;
        if (std::find(integerEnd, last, thousands) != last)
            return false;
        out.assign(first, digits);
        std::size_t group = 0;
        bool separated = false;
        for (const char* p = digits; p != integerEnd; ++p) {
            if (*p == thousands) {
                if (group == 0 || group > 3 || (separated && group != 3))
                    return false;
                separated = true;
                group = 0;
                continue;
            }
            out.push_back(*p);
            ++group;
        }
        if (separated && group != 3)
            return false;
        out.append(integerEnd, last);
        return true;
    }

    /// Whole-field number in this syntax. fast_float takes no leading '+', and it would
    /// read "inf" and "nan" — those are text here.
    bool parseNumber(std::string_view field, double& value, bool& integerSyntax) const
    {
        const char* first = field.data();
        const char* last = first + field.size();
        if (first == last)
            return false;
        if (*first == '+') {
            ++first;
            if (first != last && *first == '-')
                return false;
        }
        const char* digits = (first != last && *first == '-') ? first + 1 : first;
        if (digits == last || !(isDigit(*digits) || *digits == decimal))
            return false;
        std::string stripped;
        if (thousands != 0 && std::find(digits, last, thousands) != last) {
            if (!stripThousands(first, digits, last, stripped))
                return false;
            digits = stripped.data() + (digits - first);
            first = stripped.data();
            last = first + stripped.size();
        }
        const auto result = parseDouble(first, last, value);
        if (result.ec != std::errc() || result.ptr != last)
            return false;
        integerSyntax = std::all_of(digits, last, isDigit);
        return true;
    }

    std::size_t columnOf(std::size_t offset, std::size_t lineStart) const
    {
        return columnAt(text, lineStart, offset, latin1);
    }
};

/// Reads the records of text[begin, end) field by field, keeping the physical line
/// number (line breaks inside quoted fields count) for error locations.
class RecordReader {
public:
    struct Field {
        std::string_view text; ///< without the quotes and, unless quoted, without surrounding spaces
        bool quoted = false;
        bool escaped = false;  ///< quoted and contains doubled quotes
    };

    RecordReader(const CsvSyntax& syntax, std::size_t begin, std::size_t end, std::size_t line)
        : m_syntax(syntax), m_data(syntax.text.data()), m_readable(m_data + syntax.text.size()), m_pos(begin),
          m_end(end), m_line(line), m_lineStart(begin)
    {
    }

    std::size_t position() const { return m_pos; }
    std::size_t line() const { return m_line; }
    std::size_t columnOf(std::size_t offset) const { return m_syntax.columnOf(offset, m_lineStart); }

    /// Skips empty lines (as pandas does); false at the end.
    bool skipBlankLines()
    {
        while (m_pos < m_end && (m_data[m_pos] == '\n' || m_data[m_pos] == '\r'))
            consumeLineBreak();
        return m_pos < m_end;
    }

    bool atDelimiter() const { return m_pos < m_end && m_data[m_pos] == m_syntax.delimiter; }
    void skipDelimiter() { ++m_pos; }
    void endRecord()
    {
        if (m_pos < m_end)
            consumeLineBreak();
    }

    /// Reads one field; leaves the position on the delimiter, a line break or the end.
    void readField(Field& field)
    {
        field.quoted = false;
        field.escaped = false;
        std::size_t p = m_pos;
        while (p < m_end && m_syntax.isSpace(m_data[p]))
            ++p;
        if (p < m_end && m_data[p] == '"') {
            readQuoted(p, field);
            return;
        }
        const std::size_t begin = p;
        while (p < m_end && !m_syntax.stops[static_cast<unsigned char>(m_data[p])])
            ++p;
        if (p < m_end && m_data[p] == '"')
            fail(p,
                 "a quote (\") inside an unquoted field — put the whole field in quotes and double the quotes "
                 "inside it, e.g. \"say \"\"hi\"\"\"",
                 m_line, columnOf(p));
        std::size_t end = p;
        while (end > begin && m_syntax.isSpace(m_data[end - 1]))
            --end;
        field.text = {m_data + begin, end - begin};
        m_pos = p;
    }

    /// The record has a field beyond the header's count, starting at `start` (just after
    /// the delimiter): count the rest of the record for the message, then throw.
    [[noreturn]] void tooManyFields(std::size_t start, std::size_t expected)
    {
        const std::size_t line = m_line;
        const std::size_t column = columnOf(start);
        Field ignored;
        readField(ignored);
        std::size_t count = expected + 1;
        while (atDelimiter()) {
            skipDelimiter();
            readField(ignored);
            ++count;
        }
        std::string message = "line ";
        message.append(std::to_string(line)).append(" has ").append(std::to_string(count));
        message.append(" fields but the header has ").append(std::to_string(expected));
        message.append(" — the extra field starts at column ").append(std::to_string(column));
        message.append("; remove it, or quote the value that contains ").append(quoted(m_syntax.delimiter));
        fail(start, message, line, column);
    }

    [[noreturn]] void tooFewFields(std::size_t count, std::size_t expected)
    {
        std::string message = "line ";
        message.append(std::to_string(m_line)).append(" has ").append(std::to_string(count));
        message.append(count == 1 ? " field" : " fields").append(" but the header has ");
        message.append(std::to_string(expected)).append(" — the row ends early at column ");
        message.append(std::to_string(columnOf(m_pos)));
        message.append("; add the missing fields (leave a field empty for a missing value)");
        fail(m_pos, message, m_line, columnOf(m_pos));
    }

protected:
    [[noreturn]] void fail(std::size_t offset, const std::string& message, std::size_t line,
                           std::size_t column) const
    {
        throw LocatedError{offset, core::DataError(message, {m_syntax.source, line, column})};
    }

    /// Consumes one line break (LF, CRLF or a lone CR). A chunk never ends between CR and LF.
    void consumeLineBreak()
    {
        if (m_data[m_pos] == '\r' && m_pos + 1 < m_end && m_data[m_pos + 1] == '\n')
            ++m_pos;
        ++m_pos;
        ++m_line;
        m_lineStart = m_pos;
    }

    void readQuoted(std::size_t quote, Field& field)
    {
        const std::size_t openLine = m_line;
        const std::size_t openLineStart = m_lineStart;
        field.quoted = true;
        const std::size_t contentBegin = quote + 1;
        std::size_t p = contentBegin;
        for (;;) {
            const void* hit = std::memchr(m_data + p, '"', m_end - p);
            const std::size_t next =
                hit != nullptr ? static_cast<std::size_t>(static_cast<const char*>(hit) - m_data) : m_end;
            // Line breaks inside the quotes still advance the physical line count.
            for (std::size_t i = p; i < next; ++i) {
                if (endsLine(m_syntax.text, i)) {
                    ++m_line;
                    m_lineStart = i + 1;
                }
            }
            if (hit == nullptr) {
                const std::size_t openColumn = m_syntax.columnOf(quote, openLineStart);
                std::string message = "the quoted field that starts at line ";
                message.append(std::to_string(openLine)).append(", column ").append(std::to_string(openColumn));
                message.append(" is never closed — add the closing quote (\"), or double any quote that "
                               "belongs inside the text");
                fail(quote, message, openLine, openColumn);
            }
            if (next + 1 < m_end && m_data[next + 1] == '"') {
                field.escaped = true;
                p = next + 2;
                continue;
            }
            field.text = {m_data + contentBegin, next - contentBegin};
            p = next + 1;
            break;
        }
        while (p < m_end && m_syntax.isSpace(m_data[p]))
            ++p;
        if (p < m_end && m_data[p] != m_syntax.delimiter && m_data[p] != '\n' && m_data[p] != '\r')
            fail(p,
                 "text after the closing quote of a quoted field — put the whole field inside the quotes, or "
                 "separate it with " + quoted(m_syntax.delimiter),
                 m_line, columnOf(p));
        m_pos = p;
    }

    const CsvSyntax& m_syntax;
    const char* m_data;
    const char* m_readable; ///< end of the whole text: loads may look past the chunk up to here
    std::size_t m_pos;
    std::size_t m_end;
    std::size_t m_line;
    std::size_t m_lineStart;
};

/// Distinct texts in order of first appearance.
struct Levels {
    std::deque<std::string> texts; ///< a deque: the map's views must survive growth
    std::unordered_map<std::string_view, std::int32_t> codes;

    std::int32_t intern(std::string_view text)
    {
        const auto found = codes.find(text);
        if (found != codes.end())
            return found->second;
        const auto code = static_cast<std::int32_t>(texts.size());
        codes.emplace(texts.emplace_back(text), code);
        return code;
    }
};

/// One column within one chunk.
struct ChunkColumn {
    bool text = false;          ///< a present value is not a number (codes, not values, hold the column)
    bool integerSyntax = true;  ///< every number so far was written as a whole number
    bool present = false;       ///< some value is not missing (for numbers: known once the chunk is parsed)
    bool presentBeforeText = false;
    std::size_t textFrom = 0;   ///< first row whose code was taken while parsing; rows before it are re-read
    std::unique_ptr<Levels> levels;
};

/// Memory a chunk is parsed into: numbers column-major in `values`, category codes in
/// `codes`. Recycled from chunk to chunk, so only the finished columns take new pages.
struct ChunkBuffers {
    PageBuffer values;
    PageBuffer codes;
};

/// A piece of the body that starts at a record boundary, parsed by one thread into its own
/// buffers, then copied into the columns once every chunk before it has been.
struct Chunk {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t firstLine = 1;    ///< line number at `begin`
    std::size_t rowCapacity = 0;  ///< line breaks in the chunk + 1: no chunk has more records
    std::size_t rows = 0;
    std::size_t rowOffset = 0;    ///< rows in the chunks before (known once copied)
    bool parsed = false;
    std::unique_ptr<ChunkBuffers> buffers; ///< from parsing until copied into the columns
    std::vector<ChunkColumn> columns;      ///< text columns keep their chunk-local levels to the end
    std::optional<LocatedError> error;

    double* valuesOf(std::size_t column) const
    {
        return static_cast<double*>(buffers->values.data()) + column * rowCapacity;
    }
    std::int32_t* codesOf(std::size_t column) const
    {
        return static_cast<std::int32_t*>(buffers->codes.data()) + column * rowCapacity;
    }
};

/// Page buffers for the chunks, failing as the system would past the test limit.
class BufferAllocator {
public:
    BufferAllocator() : m_limit(csv_chunking::bufferLimit()) {}
    PageBuffer allocate(std::size_t bytes)
    {
        if (m_limit != 0 && m_used.fetch_add(bytes) + bytes > m_limit)
            throw std::bad_alloc();
        return PageBuffer(bytes);
    }

private:
    std::size_t m_limit;
    std::atomic<std::size_t> m_used{0};
};

/// Progress of one read, fed by every worker thread; reports at most every 50 ms and
/// carries the cancel flag between threads.
class ReadProgress {
public:
    ReadProgress(core::TaskControl* control, std::string name, std::uint64_t totalBytes)
        : m_control(control), m_name(std::move(name)), m_total(std::max<std::uint64_t>(totalBytes, 1))
    {
    }

    /// Starts a phase that moves the overall fraction from `from` to `to` as it covers the
    /// text once. Called between parallel sections.
    void phase(bool scanning, double from, double to)
    {
        m_scanning = scanning;
        m_from = from;
        m_to = to;
        m_bytes.store(0);
        report(true);
    }

    /// Adds work done; may throw `Cancelled`.
    void add(std::uint64_t bytes, std::uint64_t rows)
    {
        m_bytes.fetch_add(bytes, std::memory_order_relaxed);
        m_rows.fetch_add(rows, std::memory_order_relaxed);
        report(false);
    }

    /// The final report.
    void finish(std::uint64_t rows)
    {
        m_scanning = false;
        m_from = m_to = 1.0;
        m_bytes.store(m_total);
        m_rows.store(rows);
        report(true);
    }

    bool stopped() const { return m_stop.load(std::memory_order_relaxed); }
    void stop() { m_stop.store(true); }

private:
    void report(bool force)
    {
        if (m_control == nullptr)
            return;
        const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
        const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kReportInterval).count();
        if (!force && now - m_lastReport.load(std::memory_order_relaxed) < interval)
            return;
        std::unique_lock lock(m_mutex, std::defer_lock);
        if (force)
            lock.lock();
        else if (!lock.try_lock())
            return;
        m_lastReport.store(now);
        const std::uint64_t bytes = std::min(m_bytes.load(), m_total);
        const double fraction = m_from + (m_to - m_from) * static_cast<double>(bytes) / static_cast<double>(m_total);
        m_fraction = std::max(m_fraction, std::min(fraction, 1.0));
        std::string stage = m_scanning ? "Checking " : "Reading ";
        stage.append(m_name).append(" — ").append(progressMegabytes(bytes, m_total)).append(" of ");
        stage.append(progressMegabytes(m_total, m_total)).append(" MB");
        if (!m_scanning)
            stage.append(", ").append(progressRows(m_rows.load()));
        m_control->progress(m_fraction, stage);
    }

    core::TaskControl* m_control;
    std::string m_name;
    std::uint64_t m_total;
    bool m_scanning = true;
    double m_from = 0.0;
    double m_to = 0.0;
    double m_fraction = 0.0;
    std::atomic<std::uint64_t> m_bytes{0};
    std::atomic<std::uint64_t> m_rows{0};
    std::atomic<std::int64_t> m_lastReport{0};
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
};

/// Re-reads the records of a parsed chunk for the texts of some columns: those that
/// turned out to hold text after rows of them had been read as numbers.
class TextCollector : public RecordReader {
public:
    struct Request {
        std::size_t column;
        std::size_t rows;       ///< rows [0, rows) of the chunk
        Levels* levels;
        std::int32_t* codes;
    };

    TextCollector(const CsvSyntax& syntax, const Chunk& chunk)
        : RecordReader(syntax, chunk.begin, chunk.end, chunk.firstLine), m_columns(chunk.columns.size())
    {
    }

    void collect(const std::vector<Request>& requests)
    {
        std::vector<const Request*> byColumn(m_columns, nullptr);
        std::size_t rowLimit = 0;
        for (const auto& request : requests) {
            byColumn[request.column] = &request;
            rowLimit = std::max(rowLimit, request.rows);
        }
        Field field;
        std::string unescaped;
        for (std::size_t row = 0; row < rowLimit && skipBlankLines(); ++row) {
            for (std::size_t column = 0;; ++column) {
                readField(field);
                const Request* request = column < m_columns ? byColumn[column] : nullptr;
                if (request != nullptr && row < request->rows) {
                    std::string_view text = field.text;
                    if (field.escaped) {
                        unescaped = unescape(text);
                        text = unescaped;
                    }
                    request->codes[row] =
                        m_syntax.isMissing(text, field.quoted) ? Column::kMissingCode : request->levels->intern(text);
                }
                if (!atDelimiter())
                    break;
                skipDelimiter();
            }
            endRecord();
        }
    }

private:
    std::size_t m_columns;
};

/// Parses one chunk: numbers straight into the column segments while a column's values
/// parse, codes from the first value that does not.
class ChunkParser : public RecordReader {
public:
    ChunkParser(const CsvSyntax& syntax, Chunk& chunk, BufferAllocator& buffers, ReadProgress& progress)
        : RecordReader(syntax, chunk.begin, chunk.end, chunk.firstLine), m_chunk(chunk), m_buffers(buffers),
          m_progress(progress)
    {
    }

    /// False when stopped early because another thread failed or the user cancelled.
    bool parse()
    {
        const std::size_t columns = m_chunk.columns.size();
        std::size_t row = 0;
        std::size_t reportedBytes = m_pos;
        std::size_t reportedRows = 0;
        std::size_t nextCheck = m_pos + kCheckStride;
        Field field;
        while (skipBlankLines()) {
            if (m_pos >= nextCheck) {
                m_progress.add(m_pos - reportedBytes, row - reportedRows);
                reportedBytes = m_pos;
                reportedRows = row;
                if (m_progress.stopped())
                    return false;
                nextCheck = m_pos + kCheckStride;
            }
            if (row == m_chunk.rowCapacity)
                throw std::logic_error("CSV chunk holds more records than line breaks");
            std::size_t column = 0;
            for (;;) {
                ChunkColumn& state = m_chunk.columns[column];
                if (state.text || !m_syntax.fastNumbers || !readNumber(state, m_chunk.valuesOf(column), row)) {
                    readField(field);
                    addField(state, column, row, field);
                }
                ++column;
                if (!atDelimiter())
                    break;
                skipDelimiter();
                if (column == columns)
                    tooManyFields(m_pos, columns);
            }
            if (column < columns)
                tooFewFields(column, columns);
            endRecord();
            ++row;
        }
        m_chunk.rows = row;
        m_progress.add(m_pos - reportedBytes, row - reportedRows);
        for (std::size_t index = 0; index < columns; ++index) {
            ChunkColumn& state = m_chunk.columns[index];
            const double* values = m_chunk.valuesOf(index);
            if (!state.text && !state.present)
                state.present = std::any_of(values, values + row, [](double v) { return !std::isnan(v); });
        }
        completeTexts();
        return true;
    }

private:
    /// Fast path for an unquoted number: parse straight from the text, then check that the
    /// field ends there. False (nothing consumed) sends the field down the general path.
    bool readNumber(ChunkColumn& state, double* values, std::size_t row)
    {
        std::size_t p = m_pos;
        while (p < m_end && m_syntax.isSpace(m_data[p]))
            ++p;
        if (p == m_end || !m_syntax.numberStarts[static_cast<unsigned char>(m_data[p])])
            return false;
        const char* first = m_data + p;
        const char* last = m_data + m_end;
        double value;
        bool integerSyntax = false;
        const char* stop = m_syntax.parsePlainDecimal(first, last, m_readable, value, integerSyntax);
        if (stop == nullptr) {
            if (*first == '+') {
                ++first;
                if (first == last || *first == '-')
                    return false;
            }
            const char* digits = *first == '-' ? first + 1 : first;
            if (digits == last || !(isDigit(*digits) || *digits == m_syntax.decimal))
                return false;
            const auto result = m_syntax.parseDouble(first, last, value);
            if (result.ec != std::errc())
                return false;
            stop = result.ptr;
            integerSyntax = std::all_of(digits, stop, isDigit);
        }
        auto q = static_cast<std::size_t>(stop - m_data);
        if (q < m_end && m_data[q] != m_syntax.delimiter) {
            while (q < m_end && m_syntax.isSpace(m_data[q]))
                ++q;
            if (q < m_end && m_data[q] != m_syntax.delimiter && m_data[q] != '\n' && m_data[q] != '\r')
                return false;
        }
        values[row] = value;
        // No store per field into the flags: a char-sized store may alias anything and
        // would make the compiler reload the reader's state after every number.
        // `present` is worked out from the values when the chunk is done.
        if (!integerSyntax && state.integerSyntax)
            state.integerSyntax = false;
        m_pos = q;
        return true;
    }

    void addField(ChunkColumn& state, std::size_t column, std::size_t row, const Field& field)
    {
        std::string_view text = field.text;
        if (field.escaped) {
            m_unescaped = unescape(text);
            text = m_unescaped;
        }
        const bool missing = m_syntax.isMissing(text, field.quoted);
        if (!state.text) {
            if (missing) {
                m_chunk.valuesOf(column)[row] = kNaN;
                return;
            }
            double value = kNaN;
            bool integerSyntax = false;
            if (m_syntax.parseNumber(text, value, integerSyntax)) {
                m_chunk.valuesOf(column)[row] = value;
                state.present = true;
                state.integerSyntax = state.integerSyntax && integerSyntax;
                return;
            }
            // The first value that is not a number: keep codes from here; the rows
            // before get theirs from a re-read once the chunk is done.
            state.text = true;
            state.textFrom = row;
            const double* before = m_chunk.valuesOf(column);
            state.presentBeforeText =
                state.present || std::any_of(before, before + row, [](double v) { return !std::isnan(v); });
            state.levels = std::make_unique<Levels>();
            const std::size_t codeBytes = m_chunk.rowCapacity * m_chunk.columns.size() * sizeof(std::int32_t);
            if (m_chunk.buffers->codes.size() < codeBytes)
                m_chunk.buffers->codes = m_buffers.allocate(codeBytes);
        }
        m_chunk.codesOf(column)[row] = missing ? Column::kMissingCode : state.levels->intern(text);
        state.present = state.present || !missing;
    }

    /// Codes for the rows read as numbers before a column of this chunk turned to text.
    void completeTexts()
    {
        std::vector<TextCollector::Request> requests;
        std::vector<std::unique_ptr<Levels>> heads;
        for (std::size_t column = 0; column < m_chunk.columns.size(); ++column) {
            ChunkColumn& state = m_chunk.columns[column];
            if (!state.text || state.textFrom == 0)
                continue;
            if (!state.presentBeforeText) {
                std::fill_n(m_chunk.codesOf(column), state.textFrom, Column::kMissingCode);
                continue;
            }
            heads.push_back(std::make_unique<Levels>());
            requests.push_back({column, state.textFrom, heads.back().get(), m_chunk.codesOf(column)});
        }
        if (requests.empty())
            return;
        TextCollector(m_syntax, m_chunk).collect(requests);
        // Levels in order of first appearance: the re-read rows' first, then the rest's.
        for (std::size_t i = 0; i < requests.size(); ++i) {
            ChunkColumn& state = m_chunk.columns[requests[i].column];
            Levels& head = *heads[i];
            std::vector<std::int32_t> remap(state.levels->texts.size());
            for (std::size_t code = 0; code < remap.size(); ++code)
                remap[code] = head.intern(state.levels->texts[code]);
            std::int32_t* codes = m_chunk.codesOf(requests[i].column);
            for (std::size_t row = state.textFrom; row < m_chunk.rows; ++row)
                if (codes[row] >= 0)
                    codes[row] = remap[static_cast<std::size_t>(codes[row])];
            state.levels = std::move(heads[i]);
        }
    }

    Chunk& m_chunk;
    BufferAllocator& m_buffers;
    ReadProgress& m_progress;
    std::string m_unescaped;
};

/// Runs `body(i)` for i in [0, count) on the engine's threads. Exceptions cannot leave an
/// OpenMP region, so the first one (by index) is kept, the others stop early, and it is
/// rethrown afterwards.
template <class Body>
void forEachInParallel(std::size_t count, ReadProgress& progress, Body body)
{
    if (count == 0)
        return;
    const int threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(core::threadCount()), count));
    std::mutex mutex;
    std::exception_ptr failure;
    std::size_t failedIndex = count;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(count); ++i) {
        if (progress.stopped())
            continue;
        try {
            body(static_cast<std::size_t>(i));
        } catch (...) {
            progress.stop();
            const std::lock_guard lock(mutex);
            if (static_cast<std::size_t>(i) < failedIndex) {
                failedIndex = static_cast<std::size_t>(i);
                failure = std::current_exception();
            }
        }
    }
    if (failure)
        std::rethrow_exception(failure);
}

/// One read of one text: scan, header, parallel chunk parse, texts, columns.
class CsvRead {
public:
    CsvRead(std::string_view text, std::string source, const CsvOptions& options, core::TaskControl* control,
            const MappedFile* file)
        : m_text(text), m_source(std::move(source)), m_options(options), m_file(file),
          m_progress(control, progressName(m_source), text.size())
    {
    }

    Table run()
    {
        m_textStart = m_text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
        if (m_text.find_first_not_of(" \t\r\n", m_textStart) == std::string_view::npos)
            throw core::DataError("the file is empty — a CSV file needs a header row naming the columns, then "
                                  "one row per record",
                                  {m_source, 0, 0});
        const std::size_t sampleEnd = std::min(m_text.size(), m_textStart + kBinarySampleBytes);
        if (const void* nul = std::memchr(m_text.data() + m_textStart, 0, sampleEnd - m_textStart))
            throw binaryError(static_cast<std::size_t>(static_cast<const char*>(nul) - m_text.data()), true);

        char delimiter = m_options.delimiter;
        if (delimiter == 0)
            delimiter = sniff(m_text, m_options.decimal == ',' ? ',' : 0);
        m_syntax.emplace(m_text, m_source, m_options, delimiter);

        scanBlocks();
        readHeader();
        splitChunks();
        parseChunks();
        collectTexts();
        Table table = assemble();
        m_progress.finish(table.rowCount());
        return table;
    }

private:
    std::size_t blockBegin(std::size_t block) const { return m_textStart + block * m_blockBytes; }
    std::size_t blockEnd(std::size_t block) const { return std::min(m_text.size(), blockBegin(block + 1)); }

    /// Line number of a byte offset (after `scanBlocks`).
    std::size_t lineOf(std::size_t offset) const
    {
        const std::size_t block = (offset - m_textStart) / m_blockBytes;
        return 1 + m_linesBefore[block] + countLineBreaks(m_text, blockBegin(block), offset);
    }

    core::DataError binaryError(std::size_t offset, bool early) const
    {
        const std::size_t line = early ? 1 + countLineBreaks(m_text, m_textStart, offset) : lineOf(offset);
        const std::size_t column = columnAt(m_text, lineStartBefore(m_text, m_textStart, offset), offset, false);
        return core::DataError("this looks like a binary file, not text (it contains a NUL byte) — choose a CSV or "
                               "TSV text file; a UTF-16 text file must be saved as UTF-8 first",
                               {m_source, line, column});
    }

    core::DataError encodingError(std::size_t offset) const
    {
        std::array<char, 8> hex{};
        std::snprintf(hex.data(), hex.size(), "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(m_text[offset])));
        std::string message = "byte ";
        message.append(hex.data()).append(" is not valid UTF-8 — the file is in another encoding; read it as ");
        message.append("Latin-1 (ISO-8859-1) or with automatic detection, or save it as UTF-8");
        const std::size_t column = columnAt(m_text, lineStartBefore(m_text, m_textStart, offset), offset, false);
        return core::DataError(message, {m_source, lineOf(offset), column});
    }

    /// The error found before parsing (a NUL byte, invalid strict UTF-8), if any.
    core::DataError scanError() const
    {
        return m_nulOffset <= m_invalidUtf8Offset ? binaryError(m_nulOffset, false) : encodingError(m_invalidUtf8Offset);
    }
    std::size_t scanErrorOffset() const { return std::min(m_nulOffset, m_invalidUtf8Offset); }

    /// Pass 1, in parallel blocks: quotes and line breaks per block (where chunks may
    /// start, and their line numbers), NUL bytes and the encoding.
    void scanBlocks()
    {
        m_blockBytes = csv_chunking::chunkBytes();
        const std::size_t blocks = (m_text.size() - m_textStart + m_blockBytes - 1) / m_blockBytes;
        std::vector<TextBlockScan> scans(blocks);
        const bool checkUtf8 = m_options.encoding != TextEncoding::Latin1;
        m_progress.phase(true, 0.0, 0.1);
        forEachInParallel(blocks, m_progress, [&](std::size_t block) {
            scans[block] = scanTextBlock(m_text, blockBegin(block), blockEnd(block), checkUtf8);
            if (m_file != nullptr)
                m_file->release(blockBegin(block), blockEnd(block));
            m_progress.add(blockEnd(block) - blockBegin(block), 0);
        });
        m_linesBefore.assign(blocks + 1, 0);
        m_quotesBefore.assign(blocks + 1, 0);
        std::size_t invalidUtf8 = kNoOffset;
        for (std::size_t block = 0; block < blocks; ++block) {
            m_linesBefore[block + 1] = m_linesBefore[block] + scans[block].lineBreaks;
            m_quotesBefore[block + 1] = m_quotesBefore[block] + scans[block].quotes;
            m_nulOffset = std::min(m_nulOffset, scans[block].firstNul);
            invalidUtf8 = std::min(invalidUtf8, scans[block].firstInvalidUtf8);
        }
        switch (m_options.encoding) {
        case TextEncoding::Auto: m_syntax->latin1 = invalidUtf8 != kNoOffset; break;
        case TextEncoding::Latin1: m_syntax->latin1 = true; break;
        case TextEncoding::Utf8: m_invalidUtf8Offset = invalidUtf8; break;
        }
    }

    std::string decoded(std::string text) const { return m_syntax->latin1 ? latin1ToUtf8(text) : text; }

    void readHeader()
    {
        RecordReader reader(*m_syntax, m_textStart, m_text.size(), 1);
        try {
            reader.skipBlankLines();
            const std::size_t headerStart = reader.position();
            const std::size_t headerLine = reader.line();
            std::vector<RecordReader::Field> fields;
            std::vector<std::size_t> starts;
            for (;;) {
                starts.push_back(reader.position());
                fields.emplace_back();
                reader.readField(fields.back());
                if (!reader.atDelimiter())
                    break;
                reader.skipDelimiter();
            }
            reader.endRecord();
            m_bodyStart = reader.position();
            m_bodyLine = reader.line();

            bool allNumbers = true;
            for (const auto& field : fields) {
                m_names.push_back(decoded(field.escaped ? unescape(field.text) : std::string(field.text)));
                double ignored = 0.0;
                bool integer = false;
                allNumbers = allNumbers && m_syntax->parseNumber(m_names.back(), ignored, integer);
            }
            if (allNumbers)
                throw LocatedError{headerStart,
                                   core::DataError("line " + std::to_string(headerLine) +
                                                       " looks like data, not a header — add a header row naming "
                                                       "the columns",
                                                   {m_source, headerLine, 1})};
            for (std::size_t i = 0; i < m_names.size(); ++i)
                if (m_names[i].empty())
                    m_names[i] = "column_" + std::to_string(i + 1);
            for (std::size_t i = 0; i < m_names.size(); ++i) {
                for (std::size_t j = 0; j < i; ++j) {
                    if (m_names[i] != m_names[j])
                        continue;
                    std::string message = "columns ";
                    message.append(std::to_string(j + 1)).append(" and ").append(std::to_string(i + 1));
                    message.append(" are both named '").append(m_names[i]);
                    message.append("' — column names must be unique; rename one of them");
                    const std::size_t column = m_syntax->columnOf(starts[i], lineStartBefore(m_text, m_textStart, starts[i]));
                    throw LocatedError{starts[i], core::DataError(message, {m_source, headerLine, column})};
                }
            }
        } catch (LocatedError& error) {
            if (scanErrorOffset() < error.offset)
                throw scanError();
            throw error.error;
        }
        if (scanErrorOffset() < m_bodyStart)
            throw scanError();
    }

    /// Cuts the body into chunks at line breaks outside quotes: a quote-count prefix sum
    /// gives the quote state at each block start, then a short scan finds the next line
    /// break outside quotes.
    void splitChunks()
    {
        const std::size_t blocks = m_linesBefore.size() - 1;
        std::vector<std::pair<std::size_t, std::size_t>> cuts(blocks, {kNoOffset, 0}); // offset, line
        forEachInParallel(blocks, m_progress, [&](std::size_t block) {
            const std::size_t begin = blockBegin(block);
            if (begin <= m_bodyStart)
                return;
            bool inQuotes = m_quotesBefore[block] % 2 != 0;
            std::size_t line = 1 + m_linesBefore[block];
            for (std::size_t p = begin; p < m_text.size(); ++p) {
                const char c = m_text[p];
                if (c == '"') {
                    inQuotes = !inQuotes;
                } else if (endsLine(m_text, p)) {
                    ++line;
                    if (!inQuotes) {
                        cuts[block] = {p + 1, line};
                        return;
                    }
                }
            }
        });
        if (m_bodyStart >= m_text.size())
            return;
        m_chunks.emplace_back();
        m_chunks.back().begin = m_bodyStart;
        m_chunks.back().firstLine = m_bodyLine;
        for (const auto& [offset, line] : cuts) {
            if (offset == kNoOffset || offset >= m_text.size() || offset <= m_chunks.back().begin)
                continue;
            m_chunks.emplace_back();
            m_chunks.back().begin = offset;
            m_chunks.back().firstLine = line;
        }
        const std::size_t lastLine = 1 + m_linesBefore.back();
        for (std::size_t i = 0; i < m_chunks.size(); ++i) {
            Chunk& chunk = m_chunks[i];
            const bool last = i + 1 == m_chunks.size();
            chunk.end = last ? m_text.size() : m_chunks[i + 1].begin;
            chunk.rowCapacity = (last ? lastLine : m_chunks[i + 1].firstLine) - chunk.firstLine + 1;
        }
    }

    /// Pass 2: every chunk in parallel, each copied into the columns as soon as the
    /// chunks before it are. A chunk that starts after an error already found is skipped:
    /// nothing in it can be the first error.
    void parseChunks()
    {
        const std::size_t columns = m_names.size();
        m_columns.resize(columns);
        const std::size_t rowBound = m_chunks.empty() ? 0 : 1 + m_linesBefore.back() - m_bodyLine + 1;
        checkMemory(rowBound);
        for (auto& column : m_columns) {
            column.values.reserve(rowBound); // pages are only taken as rows arrive
        }
        m_rowBound = rowBound;
        m_done.assign(m_chunks.size(), false);
        std::atomic<std::size_t> firstError{scanErrorOffset()};
        m_progress.phase(false, 0.1, 0.9);
        forEachInParallel(m_chunks.size(), m_progress, [&](std::size_t index) {
            Chunk& chunk = m_chunks[index];
            if (chunk.begin < firstError.load()) {
                try {
                    chunk.columns.resize(columns);
                    chunk.buffers = acquireBuffers(chunk.rowCapacity * columns * sizeof(double));
                    chunk.parsed = ChunkParser(*m_syntax, chunk, m_buffers, m_progress).parse();
                } catch (LocatedError& error) {
                    chunk.error.emplace(std::move(error));
                    std::size_t seen = firstError.load();
                    while (chunk.error->offset < seen &&
                           !firstError.compare_exchange_weak(seen, chunk.error->offset)) {
                    }
                }
                if (m_file != nullptr)
                    m_file->release(chunk.begin, chunk.end);
            }
            chunkDone(index);
        });
        const Chunk* failed = nullptr;
        for (const auto& chunk : m_chunks)
            if (chunk.error && (failed == nullptr || chunk.error->offset < failed->error->offset))
                failed = &chunk;
        if (failed != nullptr && failed->error->offset < scanErrorOffset())
            throw failed->error->error;
        if (scanErrorOffset() != kNoOffset)
            throw scanError();
        if (m_copied != m_chunks.size())
            throw std::logic_error("CSV chunks were parsed but not all copied");
        m_pool.clear();
    }

    /// Refuses before parsing when the columns cannot fit: the system would otherwise
    /// promise the memory and end the process when it runs out.
    void checkMemory(std::size_t rowBound) const
    {
        const double needed = static_cast<double>(rowBound) * static_cast<double>(m_names.size()) * sizeof(double);
        const std::size_t available = csv_chunking::availableMemory();
        if (available == 0 || needed <= static_cast<double>(available))
            return;
        const auto neededBytes = static_cast<std::uint64_t>(needed);
        std::string message = "not enough memory to load ";
        message.append(m_source).append(" (").append(progressMegabytes(m_text.size(), m_text.size())).append(" MB) — ");
        message.append("its columns need about ").append(progressMegabytes(neededBytes, neededBytes)).append(" MB (");
        message.append(std::to_string(rowBound)).append(" lines × ").append(std::to_string(m_names.size()));
        message.append(" columns) and ").append(progressMegabytes(available, available)).append(" MB is available; ");
        message.append("close other programs, or load a smaller part of the file");
        throw core::DataError(message);
    }

    std::unique_ptr<ChunkBuffers> acquireBuffers(std::size_t valueBytes)
    {
        std::unique_ptr<ChunkBuffers> buffers;
        {
            const std::lock_guard lock(m_poolMutex);
            if (!m_pool.empty()) {
                buffers = std::move(m_pool.back());
                m_pool.pop_back();
            }
        }
        if (!buffers)
            buffers = std::make_unique<ChunkBuffers>();
        if (buffers->values.size() < valueBytes)
            buffers->values = m_buffers.allocate(valueBytes);
        return buffers;
    }

    /// Marks a chunk finished and copies every finished chunk at the front into the
    /// columns. One thread copies at a time; a thread that finds the copier busy leaves its
    /// chunk to it, and the copier looks again after letting go, so no chunk is left behind.
    void chunkDone(std::size_t index)
    {
        {
            const std::lock_guard lock(m_doneMutex);
            m_done[index] = true;
        }
        for (;;) {
            std::unique_lock copying(m_copyMutex, std::try_to_lock);
            if (!copying.owns_lock())
                return;
            for (;;) {
                {
                    const std::lock_guard lock(m_doneMutex);
                    if (m_copied == m_chunks.size() || !m_done[m_copied])
                        break;
                }
                Chunk& chunk = m_chunks[m_copied];
                if (!chunk.parsed)
                    return; // an error or a stop: nothing after it is used
                copyIntoColumns(chunk);
                {
                    const std::lock_guard lock(m_poolMutex);
                    m_pool.push_back(std::move(chunk.buffers));
                }
                const std::lock_guard lock(m_doneMutex);
                ++m_copied;
            }
            copying.unlock();
            const std::lock_guard lock(m_doneMutex);
            if (m_copied == m_chunks.size() || !m_done[m_copied])
                return;
        }
    }

    /// Appends a parsed chunk to the columns. A column that turns out to be text in this
    /// chunk drops its numbers; the chunks that had it as numbers are re-read later.
    void copyIntoColumns(Chunk& chunk)
    {
        chunk.rowOffset = m_rows;
        for (std::size_t index = 0; index < m_columns.size(); ++index) {
            ColumnData& column = m_columns[index];
            const ChunkColumn& state = chunk.columns[index];
            if (!column.text && !state.text) {
                const double* segment = chunk.valuesOf(index);
                prefaultForWriting(column.values.data() + column.values.size(), chunk.rows * sizeof(double));
                column.values.insert(column.values.end(), segment, segment + chunk.rows);
                column.integerSyntax = column.integerSyntax && state.integerSyntax;
                continue;
            }
            if (!column.text) {
                column.text = true;
                column.values = {};
                column.codes.reserve(m_rowBound);
                column.codes.assign(m_rows, Column::kMissingCode);
                for (std::size_t before = 0; before < m_copied; ++before)
                    if (m_chunks[before].columns[index].present)
                        column.rereads.push_back(before);
            }
            if (state.text) {
                const std::int32_t* segment = chunk.codesOf(index);
                column.codes.insert(column.codes.end(), segment, segment + chunk.rows);
            } else {
                column.codes.resize(column.codes.size() + chunk.rows, Column::kMissingCode);
                if (state.present)
                    column.rereads.push_back(m_copied);
            }
        }
        m_rows += chunk.rows;
    }

    /// Pass 3: a column that is text anywhere is text everywhere, so chunks that read it as
    /// numbers are re-read for its original texts ("007" stays "007").
    void collectTexts()
    {
        std::vector<std::vector<std::size_t>> rereads(m_chunks.size());
        for (std::size_t index = 0; index < m_columns.size(); ++index)
            for (const std::size_t chunk : m_columns[index].rereads)
                rereads[chunk].push_back(index);
        std::vector<std::size_t> chunks;
        for (std::size_t chunk = 0; chunk < m_chunks.size(); ++chunk)
            if (!rereads[chunk].empty())
                chunks.push_back(chunk);
        if (chunks.empty())
            return;
        m_progress.phase(false, 0.9, 0.95);
        forEachInParallel(chunks.size(), m_progress, [&](std::size_t i) {
            Chunk& chunk = m_chunks[chunks[i]];
            std::vector<TextCollector::Request> requests;
            for (const std::size_t index : rereads[chunks[i]]) {
                ChunkColumn& state = chunk.columns[index];
                state.text = true;
                state.levels = std::make_unique<Levels>();
                requests.push_back({index, chunk.rows, state.levels.get(), m_columns[index].codes.data() + chunk.rowOffset});
            }
            try {
                TextCollector(*m_syntax, chunk).collect(requests);
            } catch (const LocatedError& error) {
                throw error.error; // a re-read of a chunk that parsed finds none; if it did, say so plainly
            }
            if (m_file != nullptr)
                m_file->release(chunk.begin, chunk.end);
            m_progress.add(chunk.end - chunk.begin, 0);
        });
    }

    /// The finished columns. Text columns hold chunk-local codes until here; the chunks'
    /// levels are merged in file order, which keeps levels in order of first appearance.
    Table assemble()
    {
        Table table;
        if (m_rows == 0) {
            // Like pandas, a header without rows gives text (object) columns.
            for (auto& name : m_names)
                table.addColumn(finishTextColumn(std::move(name), {}, {}));
            return table;
        }
        for (std::size_t index = 0; index < m_columns.size(); ++index) {
            ColumnData& column = m_columns[index];
            if (!column.text) {
                table.addColumn(
                    finishNumericColumn(std::move(m_names[index]), std::move(column.values), column.integerSyntax));
                continue;
            }
            Levels levels;
            for (auto& chunk : m_chunks) {
                const auto& local = chunk.columns[index].levels;
                if (!local)
                    continue;
                std::vector<std::int32_t> remap;
                remap.reserve(local->texts.size());
                for (const auto& text : local->texts)
                    remap.push_back(levels.intern(text));
                std::int32_t* codes = column.codes.data() + chunk.rowOffset;
                for (std::size_t row = 0; row < chunk.rows; ++row)
                    if (codes[row] >= 0)
                        codes[row] = remap[static_cast<std::size_t>(codes[row])];
                chunk.columns[index].levels.reset();
            }
            std::vector<std::string> names;
            names.reserve(levels.texts.size());
            for (auto& text : levels.texts)
                names.push_back(m_syntax->latin1 ? latin1ToUtf8(text) : std::move(text));
            table.addColumn(finishTextColumn(std::move(m_names[index]), std::move(column.codes), std::move(names)));
        }
        return table;
    }

    /// A column as the chunks are copied into it: numbers until a chunk finds text in it.
    struct ColumnData {
        bool text = false;
        bool integerSyntax = true;
        std::vector<double> values;
        std::vector<std::int32_t> codes;       ///< chunk-local codes until `assemble`
        std::vector<std::size_t> rereads;      ///< chunks that read it as numbers, to re-read for texts
    };

    std::string_view m_text;
    std::string m_source;
    const CsvOptions& m_options;
    const MappedFile* m_file;
    ReadProgress m_progress;
    BufferAllocator m_buffers;
    std::optional<CsvSyntax> m_syntax;
    std::size_t m_textStart = 0;
    std::size_t m_blockBytes = 1;
    std::vector<std::size_t> m_linesBefore;  ///< line breaks before each block
    std::vector<std::size_t> m_quotesBefore; ///< quotes before each block
    std::size_t m_nulOffset = kNoOffset;
    std::size_t m_invalidUtf8Offset = kNoOffset;
    std::size_t m_bodyStart = 0;
    std::size_t m_bodyLine = 1;
    std::vector<std::string> m_names;
    std::vector<Chunk> m_chunks;
    std::vector<ColumnData> m_columns;
    std::size_t m_rowBound = 0;   ///< rows there can be at most (body lines)
    std::size_t m_rows = 0;       ///< rows copied into the columns so far
    std::mutex m_poolMutex;
    std::vector<std::unique_ptr<ChunkBuffers>> m_pool;
    std::mutex m_doneMutex;
    std::vector<bool> m_done;     ///< chunks finished (parsed, failed or skipped)
    std::size_t m_copied = 0;     ///< chunks copied into the columns, in order
    std::mutex m_copyMutex;
};

bool endsWithTsv(const std::string& path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension == ".tsv";
}

Table readText(std::string_view text, const std::string& source, const CsvOptions& options,
               core::TaskControl* control, const MappedFile* file)
{
    checkOptions(options);
    try {
        return CsvRead(text, source, options, control, file).run();
    } catch (const std::bad_alloc&) {
        std::string message = "not enough memory to load ";
        message.append(source).append(" (").append(progressMegabytes(text.size(), text.size())).append(" MB)");
        message.append(" — close other programs to free memory, or load a smaller part of the file");
        throw core::DataError(message);
    }
}

} // namespace

char sniffDelimiter(std::string_view text) { return sniff(text, 0); }

Table parseCsv(std::string_view text, const std::string& sourceName, const CsvOptions& options,
               core::TaskControl* control)
{
    return readText(text, sourceName, options, control, nullptr);
}

Table readCsvFile(const std::string& path, const CsvOptions& options, core::TaskControl* control)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw core::DataError("cannot open " + path + ": it is a folder, not a file — choose a .csv or .tsv file");
    CsvOptions effective = options;
    if (effective.delimiter == 0 && endsWithTsv(path))
        effective.delimiter = '\t';
    checkOptions(effective);
    try {
        const MappedFile file(path);
        return readText(file.text(), path, effective, control, &file);
    } catch (const std::bad_alloc&) {
        throw core::DataError("not enough memory to load " + path + " — close other programs to free memory");
    }
}

} // namespace stepwise::data
