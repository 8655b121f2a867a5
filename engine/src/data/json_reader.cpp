#include "stepwise/data/json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "data/read_progress.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"

namespace stepwise::data {
namespace {

using nlohmann::json;

constexpr std::size_t kRecordsPerReport = 4096;
// Nested values are kept as their JSON text, which is written recursively: refuse
// nesting deeper than any real record has rather than exhaust the stack.
constexpr std::size_t kMaxNesting = 256;

enum class Layout { Array, Lines };

// 1-based line and character column of a byte offset.
core::SourceLocation locate(std::string_view text, std::size_t offset, const std::string& source)
{
    offset = std::min(offset, text.size());
    std::size_t line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    std::size_t column = 1;
    for (std::size_t i = lineStart; i < offset; ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)  // count characters, not UTF-8 bytes
            ++column;
    return {source, line, column};
}

// Offset of the `index`-th element of the top-level array that starts at `open`.
std::size_t offsetOfElement(std::string_view text, std::size_t open, std::size_t index)
{
    int depth = 0;
    std::size_t element = 0;
    bool expectElement = false;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (expectElement && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            if (element == index)
                return i;
            ++element;
            expectElement = false;
        }
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\')
                    ++i;
        } else if (c == '[' || c == '{') {
            ++depth;
            expectElement = depth == 1;
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectElement = true;
        }
    }
    return text.size();
}

const char* describe(json::value_t type)
{
    switch (type) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "a record";
    default: return "a number";
    }
}

// nlohmann's message without its "[json.exception…] parse error at line 1, column 5: "
// prefix (we give the location ourselves, relative to the whole file).
std::string parseProblem(const std::string& what)
{
    const auto column = what.find("column ");
    const auto colon = what.find(": ", column == std::string::npos ? 0 : column);
    std::string problem = colon == std::string::npos ? what : what.substr(colon + 2);
    const auto lastRead = problem.find("; last read:");
    if (lastRead != std::string::npos)
        problem.erase(lastRead);
    return problem;
}

// Where to point for a syntax error nlohmann reports after reading `position` bytes:
// at the start of a malformed string or number (of which it has read `tokenBytes`), of
// a malformed literal (its token text is not reset for literals and punctuation, so
// step back over the letters), at the offending byte otherwise, or at the end of input
// just after the last token rather than past trailing newlines.
std::size_t errorOffset(std::string_view text, std::size_t position, std::size_t tokenBytes, const std::string& problem)
{
    std::size_t offset = position == 0 ? 0 : std::min(position - 1, text.size());
    if (problem.find("invalid literal") != std::string::npos) {
        while (offset > 0 && std::isalpha(static_cast<unsigned char>(text[offset - 1])))
            --offset;
    } else if (problem.find(" - invalid ") != std::string::npos) {
        offset = position > tokenBytes ? position - tokenBytes : 0;
    }
    if (problem.find("unexpected end of input") != std::string::npos) {
        const auto last = text.substr(0, std::min(offset + 1, text.size())).find_last_not_of(" \t\r\n");
        offset = last == std::string_view::npos ? 0 : last + 1;
    }
    return offset;
}

// A pointer iterator that publishes how far the parser has read, for progress.
class CountingIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    CountingIterator() = default;
    CountingIterator(const char* position, const char** published) : m_position(position), m_published(published) {}
    reference operator*() const { return *m_position; }
    CountingIterator& operator++()
    {
        *m_published = ++m_position;
        return *this;
    }
    CountingIterator operator++(int)
    {
        CountingIterator old = *this;
        ++*this;
        return old;
    }
    bool operator==(const CountingIterator& other) const { return m_position == other.m_position; }
    bool operator!=(const CountingIterator& other) const { return m_position != other.m_position; }

private:
    const char* m_position = nullptr;
    const char** m_published = nullptr;
};

struct Cell {
    enum class Kind : std::uint8_t { Unset, Missing, Number, Boolean, Text };
    Kind kind = Kind::Unset;
    bool integer = false;
    double number = 0.0;
    std::string text;
};

// Collects records into columns: keys become columns in order of first appearance.
class RecordColumns {
public:
    explicit RecordColumns(const std::vector<std::string>& missingMarkers) : m_markers(missingMarkers) {}

    Cell& cell(const std::string& key)
    {
        auto found = m_index.find(key);
        if (found == m_index.end()) {
            CellColumnBuilder builder(key);
            for (std::size_t row = 0; row < m_rows; ++row)
                builder.addMissing();
            m_builders.push_back(std::move(builder));
            m_names.push_back(key);
            m_row.emplace_back();
            found = m_index.emplace(key, m_builders.size() - 1).first;
        }
        return m_row[found->second];
    }

    void setText(Cell& cell, std::string_view text) const
    {
        if (std::find(m_markers.begin(), m_markers.end(), text) != m_markers.end()) {
            cell.kind = Cell::Kind::Missing;
        } else {
            cell.kind = Cell::Kind::Text;
            cell.text.assign(text);
        }
    }

    void endRecord()
    {
        for (std::size_t i = 0; i < m_builders.size(); ++i) {
            Cell& cell = m_row[i];
            switch (cell.kind) {
            case Cell::Kind::Unset:
            case Cell::Kind::Missing: m_builders[i].addMissing(); break;
            case Cell::Kind::Number: m_builders[i].addNumber(cell.number, cell.integer); break;
            case Cell::Kind::Boolean: m_builders[i].addBoolean(cell.number != 0.0); break;
            case Cell::Kind::Text: m_builders[i].addText(cell.text); break;
            }
            cell.kind = Cell::Kind::Unset;
        }
        ++m_rows;
    }

    std::size_t rows() const { return m_rows; }

    Table finish(const std::string& source)
    {
        if (m_rows == 0)
            throw core::DataError("there are no records — the file needs an array of records [{\"column\": value, "
                                  "…}, …] or one record per line",
                                  {source, 0, 0});
        // Rename empty keys as CSV names empty header fields.
        std::unordered_map<std::string, std::size_t> seen;
        Table table;
        for (std::size_t i = 0; i < m_builders.size(); ++i) {
            Column column = m_builders[i].finish();
            if (m_names[i].empty())
                column = column.renamed("column_" + std::to_string(i + 1));
            if (!seen.emplace(column.name(), i).second)
                throw core::DataError("the records have a key '" + column.name() +
                                          "' and an empty key, which is named the same — rename one of them",
                                      {source, 0, 0});
            table.addColumn(std::move(column));
        }
        return table;
    }

private:
    const std::vector<std::string>& m_markers;
    std::vector<CellColumnBuilder> m_builders;
    std::vector<std::string> m_names;
    std::unordered_map<std::string, std::size_t> m_index;
    std::vector<Cell> m_row;
    std::size_t m_rows = 0;
};

// Builds a nested array/object value from SAX events, to keep it as its JSON text.
class NestedValue {
public:
    bool active() const { return !m_stack.empty(); }
    /// False when this would nest deeper than kMaxNesting.
    bool open(json value)
    {
        if (m_stack.size() >= kMaxNesting)
            return false;
        m_stack.push_back(add(std::move(value)));
        return true;
    }
    /// True when the outermost container closed.
    bool close()
    {
        m_stack.pop_back();
        return m_stack.empty();
    }
    void value(json value) { add(std::move(value)); }
    void key(std::string key) { m_key = std::move(key); }
    std::string take() { return std::exchange(m_root, json()).dump(); }

private:
    json* add(json value)
    {
        if (m_stack.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        json& top = *m_stack.back();
        if (top.is_array()) {
            top.push_back(std::move(value));
            return &top.back();
        }
        json& slot = top[m_key];
        slot = std::move(value);
        return &slot;
    }

    json m_root;
    std::vector<json*> m_stack;
    std::string m_key;
};

// SAX events → records. `m_depth` counts the containers open outside nested values:
// in the array layout records sit at depth 1, in JSON Lines at depth 0.
class RecordHandler : public nlohmann::json_sax<json> {
public:
    RecordHandler(RecordColumns& columns, Layout layout)
        : m_columns(columns), m_recordDepth(layout == Layout::Array ? 1 : 0)
    {
    }

    /// Set when the input was valid JSON but not records.
    std::optional<json::value_t> unexpected;
    std::size_t unexpectedElement = 0;  ///< index of the offending top-level element
    struct SyntaxError {
        std::size_t position = 0;   ///< bytes read when the error was found
        std::size_t tokenBytes = 0; ///< bytes of the offending token read by then
        std::string problem;
    };
    std::optional<SyntaxError> syntaxError;
    bool tooDeep = false;  ///< a value nested deeper than kMaxNesting
    std::function<void()> onRecord;

    bool null() override { return scalar(json::value_t::null, [](Cell& c) { c.kind = Cell::Kind::Missing; }, nullptr); }
    bool boolean(bool value) override
    {
        return scalar(json::value_t::boolean,
                      [&](Cell& c) {
                          c.kind = Cell::Kind::Boolean;
                          c.number = value ? 1.0 : 0.0;
                      },
                      [&] { return json(value); });
    }
    bool number_integer(number_integer_t value) override
    {
        return number(static_cast<double>(value), true, [&] { return json(value); });
    }
    bool number_unsigned(number_unsigned_t value) override
    {
        return number(static_cast<double>(value), true, [&] { return json(value); });
    }
    bool number_float(number_float_t value, const string_t&) override
    {
        return number(value, false, [&] { return json(value); });
    }
    bool string(string_t& value) override
    {
        return scalar(json::value_t::string, [&](Cell& c) { m_columns.setText(c, value); },
                      [&] { return json(value); });
    }
    bool binary(binary_t&) override { return reject(json::value_t::binary); }
    bool start_object(std::size_t) override
    {
        if (m_nested.active() || m_depth == m_recordDepth + 1)
            return openNested(json::object());
        if (m_depth != m_recordDepth)
            return reject(json::value_t::object);
        ++m_depth;
        return true;
    }
    bool key(string_t& value) override
    {
        if (m_nested.active())
            m_nested.key(value);
        else
            m_key = value;
        return true;
    }
    bool end_object() override
    {
        if (m_nested.active())
            return closeNested();
        --m_depth;
        m_columns.endRecord();
        ++m_element;
        if (onRecord && m_columns.rows() % kRecordsPerReport == 0)
            onRecord();
        return true;
    }
    bool start_array(std::size_t) override
    {
        if (m_nested.active() || m_depth == m_recordDepth + 1)
            return openNested(json::array());
        if (m_depth == 0 && m_recordDepth == 1) {
            m_depth = 1;
            return true;
        }
        return reject(json::value_t::array);
    }
    bool end_array() override
    {
        if (m_nested.active())
            return closeNested();
        m_depth = 0;
        return true;
    }
    bool parse_error(std::size_t position, const std::string& lastToken, const nlohmann::detail::exception& error) override
    {
        syntaxError = SyntaxError{position, lastToken.size(), parseProblem(error.what())};
        return false;
    }

private:
    template <typename Set, typename Make>
    bool scalar(json::value_t type, Set&& set, Make&& make)
    {
        if (m_nested.active()) {
            if constexpr (std::is_same_v<std::decay_t<Make>, std::nullptr_t>)
                m_nested.value(json(nullptr));
            else
                m_nested.value(make());
            return true;
        }
        if (m_depth != m_recordDepth + 1)
            return reject(type);
        set(m_columns.cell(m_key));
        return true;
    }
    template <typename Make>
    bool number(double value, bool integer, Make&& make)
    {
        return scalar(json::value_t::number_float,
                      [&](Cell& c) {
                          c.kind = Cell::Kind::Number;
                          c.number = value;
                          c.integer = integer;
                      },
                      std::forward<Make>(make));
    }
    bool openNested(json value)
    {
        if (m_nested.open(std::move(value)))
            return true;
        tooDeep = true;
        unexpectedElement = m_element;
        return false;
    }
    bool closeNested()
    {
        if (m_nested.close())
            m_columns.setText(m_columns.cell(m_key), m_nested.take());
        return true;
    }
    bool reject(json::value_t type)
    {
        unexpected = type;
        unexpectedElement = m_element;
        return false;
    }

    RecordColumns& m_columns;
    const int m_recordDepth;
    int m_depth = 0;
    std::size_t m_element = 0;
    std::string m_key;
    NestedValue m_nested;
};

[[noreturn]] void throwTooDeep(core::SourceLocation location)
{
    throw core::DataError("a value in this record is nested more than " + std::to_string(kMaxNesting) +
                              " levels deep — flatten the record",
                          std::move(location));
}

[[noreturn]] void throwUnexpected(json::value_t type, core::SourceLocation location)
{
    throw core::DataError(std::string("expected a record {…}, got ") + describe(type) +
                              " — each element must be an object of column names and values",
                          std::move(location));
}

// "Reading data.json — 1.2 of 4.5 MB, 12 k rows".
std::string readingStage(const std::string& source, std::size_t done, std::size_t total, std::size_t rows)
{
    std::string stage = "Reading ";
    stage.append(progressName(source)).append(" — ").append(progressMegabytes(done, total)).append(" of ");
    stage.append(progressMegabytes(total, total)).append(" MB, ").append(progressRows(rows));
    return stage;
}

Table parseArray(std::string_view text, std::size_t open, const std::string& source,
                 const std::vector<std::string>& missingMarkers, core::TaskControl* control)
{
    RecordColumns columns(missingMarkers);
    RecordHandler handler(columns, Layout::Array);
    const char* published = text.data();
    if (control) {
        control->progress(0.0, readingStage(source, 0, text.size(), 0));
        handler.onRecord = [&] {
            const auto done = static_cast<std::size_t>(published - text.data());
            control->progress(static_cast<double>(done) / static_cast<double>(text.size()),
                              readingStage(source, done, text.size(), columns.rows()));
        };
    }
    const char* begin = text.data();
    const bool ok = json::sax_parse(CountingIterator(begin, &published), CountingIterator(begin + text.size(), &published),
                                    &handler);
    if (!ok) {
        if (handler.syntaxError)
            throw core::DataError("invalid JSON: " + handler.syntaxError->problem + " — fix the file or export it again",
                                  locate(text,
                                         errorOffset(text, handler.syntaxError->position, handler.syntaxError->tokenBytes,
                                                     handler.syntaxError->problem),
                                         source));
        const core::SourceLocation element = locate(text, offsetOfElement(text, open, handler.unexpectedElement), source);
        if (handler.tooDeep)
            throwTooDeep(element);
        if (handler.unexpected)
            throwUnexpected(*handler.unexpected, element);
    }
    Table table = columns.finish(source);
    if (control)
        control->progress(1.0, readingStage(source, text.size(), text.size(), table.rowCount()));
    return table;
}

Table parseLines(std::string_view text, const std::string& source, const std::vector<std::string>& missingMarkers,
                 core::TaskControl* control)
{
    RecordColumns columns(missingMarkers);
    if (control)
        control->progress(0.0, readingStage(source, 0, text.size(), 0));
    std::size_t start = 0;
    std::size_t lineNumber = 0;
    while (start < text.size()) {
        ++lineNumber;
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = text.substr(start, end - start);
        const std::size_t first = line.find_first_not_of(" \t\r");
        if (first != std::string_view::npos) {
            RecordHandler handler(columns, Layout::Lines);
            if (!json::sax_parse(line, &handler)) {
                if (handler.syntaxError) {
                    std::string problem = handler.syntaxError->problem;
                    if (problem.find("unexpected end of input") != std::string::npos)
                        problem.append(" (in JSON Lines every record must be complete on its own line)");
                    const std::size_t offset =
                        errorOffset(line, handler.syntaxError->position, handler.syntaxError->tokenBytes, problem);
                    throw core::DataError("invalid JSON: " + problem + " — fix the line or export the file again",
                                          locate(text, start + offset, source));
                }
                if (handler.tooDeep)
                    throwTooDeep(locate(text, start + first, source));
                if (handler.unexpected)
                    throwUnexpected(*handler.unexpected, locate(text, start + first, source));
            }
            if (control && columns.rows() % kRecordsPerReport == 0)
                control->progress(static_cast<double>(end) / static_cast<double>(text.size()),
                                  readingStage(source, end, text.size(), columns.rows()));
        }
        start = end + 1;
    }
    Table table = columns.finish(source);
    if (control)
        control->progress(1.0, readingStage(source, text.size(), text.size(), table.rowCount()));
    return table;
}

Table parseJsonAs(std::string_view text, std::optional<Layout> layout, const std::string& source,
                  const std::vector<std::string>& missingMarkers, core::TaskControl* control)
{
    std::size_t first = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        first = 3;
    first = text.find_first_not_of(" \t\r\n", first);
    if (first == std::string_view::npos)
        throw core::DataError("the file is empty — it needs an array of records [{\"column\": value, …}, …] or one "
                              "record per line",
                              {source, 0, 0});
    if (!layout) {
        if (text[first] == '[')
            layout = Layout::Array;
        else if (text[first] == '{')
            layout = Layout::Lines;
        else
            throw core::DataError("expected an array of records [{…}, …] or one record {…} per line — this is not "
                                  "a table in JSON",
                                  locate(text, first, source));
    }
    // nlohmann skips a leading BOM itself, so positions stay those of the whole text.
    if (*layout == Layout::Array)
        return parseArray(text, first, source, missingMarkers, control);
    return parseLines(text, source, missingMarkers, control);
}

} // namespace

Table parseJson(std::string_view text, const std::string& sourceName, const std::vector<std::string>& missingMarkers,
                core::TaskControl* control)
{
    return parseJsonAs(text, std::nullopt, sourceName, missingMarkers, control);
}

Table readJsonFile(const std::string& path, const std::vector<std::string>& missingMarkers, core::TaskControl* control)
{
    std::ifstream in(path, std::ios::binary);
    std::error_code error;
    if (!in || std::filesystem::is_directory(path, error))
        throw core::DataError("cannot open the file — check the path and permissions", {path, 0, 0});
    std::string text;
    const auto size = std::filesystem::file_size(path, error);
    if (!error)
        text.reserve(static_cast<std::size_t>(size));
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool lines = extension == ".jsonl" || extension == ".ndjson";
    return parseJsonAs(text, lines ? std::optional(Layout::Lines) : std::nullopt, path, missingMarkers, control);
}

} // namespace stepwise::data
