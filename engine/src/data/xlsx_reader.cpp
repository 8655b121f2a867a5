#include "stepwise/data/xlsx_reader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <expat.h>
#include <zip.h>

#include "data/read_progress.hpp"
#include "data/system_memory.hpp"
#include "data/xlsx_sheet_size.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"

#include "data/quoting.hpp"

namespace stepwise::data {
namespace {

// A part may not inflate beyond this, nor beyond kMaxExpansion times the whole file:
// real sheets compress 5–50×, zip bombs by a million.
constexpr std::uint64_t kMaxPartBytes = 4ull << 30;
constexpr std::uint64_t kMaxExpansion = 1000;
constexpr std::size_t kChunkBytes = 1 << 16;
// Excel's grid: XFD1048576.
constexpr std::uint32_t kMaxColumns = 16384;
constexpr std::uint32_t kMaxRows = 1048576;
// Bytes a cell takes while the columns are built (CellColumnBuilder) — for refusing a
// sparse sheet whose used range would not fit in memory.
constexpr std::uint64_t kBuilderBytesPerCell = 24;

const char* const kRepair = " — the workbook is damaged; open it in Excel or LibreOffice and save it again";

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw core::DataError(problem, {path, 0, 0});
}

// ---------------------------------------------------------------------------------
// The zip container.

struct ZipFileCloser {
    void operator()(zip_file_t* file) const { zip_fclose(file); }
};

class ZipArchive {
public:
    explicit ZipArchive(const std::string& path) : m_path(path)
    {
        std::error_code error;
        const auto status = std::filesystem::status(path, error);
        if (error || !std::filesystem::exists(status))
            fail(path, "cannot open the file: it does not exist — check the path");
        if (std::filesystem::is_directory(status))
            fail(path, "is a directory, not an .xlsx workbook — give the path of the file");
        m_fileBytes = std::filesystem::file_size(path, error);
        if (error)
            fail(path, "cannot open the file: " + error.message() + " — check the path and permissions");
        if (m_fileBytes == 0)
            fail(path, "the file is empty (0 bytes), not an Excel workbook — save the data again from Excel "
                       "as .xlsx");
        rejectOleContainer();

        int code = 0;
        m_zip = zip_open(path.c_str(), ZIP_RDONLY, &code);
        if (m_zip == nullptr) {
            if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
                fail(path, "is not an .xlsx workbook (not a zip archive) — open it in Excel or LibreOffice "
                           "and save it as .xlsx");
            zip_error_t zipError;
            zip_error_init_with_code(&zipError, code);
            const std::string reason = zip_error_strerror(&zipError);
            zip_error_fini(&zipError);
            fail(path, "cannot open the workbook: " + reason + " — check the file and its permissions");
        }
    }
    ~ZipArchive() { zip_discard(m_zip); }
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    const std::string& path() const { return m_path; }
    bool contains(const std::string& part) const { return locate(part).has_value(); }

    /// Uncompressed size of a part, after checking that inflating it is safe.
    std::uint64_t partSize(const std::string& part) const
    {
        const auto index = locate(part);
        if (!index)
            fail(m_path, "the workbook has no part " + part + kRepair);
        return checkedSize(*index, part);
    }

    /// Streams the uncompressed part to `sink` in chunks; `done(bytes)` after each one.
    void read(const std::string& part, const std::function<void(const char*, std::size_t)>& sink,
              const std::function<void(std::uint64_t)>& done = {}) const
    {
        const auto index = locate(part);
        if (!index)
            fail(m_path, "the workbook has no part " + part + kRepair);
        const std::uint64_t size = checkedSize(*index, part);
        std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(m_zip, *index, 0));
        if (!file)
            fail(m_path, "cannot read " + part + ": " + zip_strerror(m_zip) + kRepair);
        std::vector<char> buffer(kChunkBytes);
        std::uint64_t total = 0;
        for (;;) {
            const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
            if (n < 0)
                fail(m_path, "cannot read " + part + ": " + zip_file_strerror(file.get()) + kRepair);
            if (n == 0)
                break;
            total += static_cast<std::uint64_t>(n);
            // The directory's size is what the bomb check saw; a part must not outgrow it.
            if (total > size)
                fail(m_path, part + " holds more data than the zip directory declares" + kRepair);
            sink(buffer.data(), static_cast<std::size_t>(n));
            if (done)
                done(total);
        }
    }

private:
    std::optional<zip_uint64_t> locate(const std::string& part) const
    {
        // Office matches part names case-insensitively.
        const zip_int64_t index = zip_name_locate(m_zip, part.c_str(), ZIP_FL_NOCASE);
        if (index < 0)
            return std::nullopt;
        return static_cast<zip_uint64_t>(index);
    }

    std::uint64_t checkedSize(zip_uint64_t index, const std::string& part) const
    {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(m_zip, index, 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0)
            fail(m_path, "cannot read the size of " + part + kRepair);
        if (stat.size > kMaxPartBytes || stat.size / kMaxExpansion > m_fileBytes)
            fail(m_path, part + " would inflate to " + formatBytes(stat.size) + " from a " +
                             formatBytes(m_fileBytes) +
                             " file — refusing it as a likely zip bomb; if the workbook is genuine, export "
                             "the sheet as CSV");
        return stat.size;
    }

    // Encrypted workbooks and old .xls files are OLE compound documents, not zips.
    void rejectOleContainer() const
    {
        static constexpr std::array<unsigned char, 8> ole = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
        std::array<char, 8> head{};
        std::ifstream in(m_path, std::ios::binary);
        if (!in.read(head.data(), head.size()))
            return;
        if (std::memcmp(head.data(), ole.data(), ole.size()) == 0)
            fail(m_path, "is a password-protected workbook or an old .xls file — save it from Excel as .xlsx "
                         "without a password");
    }

    std::string m_path;
    std::uint64_t m_fileBytes = 0;
    zip_t* m_zip = nullptr;
};

// ---------------------------------------------------------------------------------
// Streaming XML (expat). Handlers see local names: OOXML has two namespace URIs for
// the same elements (transitional and strict) and prefixes vary between writers.

std::string_view localName(const XML_Char* name)
{
    std::string_view text(name);
    const auto colon = text.rfind(':');
    return colon == std::string_view::npos ? text : text.substr(colon + 1);
}

const char* attribute(const XML_Char** attributes, std::string_view name)
{
    for (std::size_t i = 0; attributes[i] != nullptr; i += 2)
        if (localName(attributes[i]) == name)
            return attributes[i + 1];
    return nullptr;
}

class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    virtual void start(std::string_view name, const XML_Char** attributes) = 0;
    virtual void end(std::string_view name) = 0;
    virtual void text(std::string_view) {}
};

class XmlParser {
public:
    XmlParser(XmlHandler& handler, const std::string& path, std::string part)
        : m_handler(handler), m_path(path), m_part(std::move(part)), m_parser(XML_ParserCreate(nullptr))
    {
        if (m_parser == nullptr)
            throw std::bad_alloc();
        XML_SetUserData(m_parser, this);
        XML_SetElementHandler(m_parser, &XmlParser::onStart, &XmlParser::onEnd);
        XML_SetCharacterDataHandler(m_parser, &XmlParser::onText);
        XML_SetStartDoctypeDeclHandler(m_parser, &XmlParser::onDoctype);
    }
    ~XmlParser() { XML_ParserFree(m_parser); }
    XmlParser(const XmlParser&) = delete;
    XmlParser& operator=(const XmlParser&) = delete;

    void feed(const char* data, std::size_t size, bool last)
    {
        if (XML_Parse(m_parser, data, static_cast<int>(size), last ? XML_TRUE : XML_FALSE) == XML_STATUS_OK)
            return;
        if (m_error)
            std::rethrow_exception(m_error);
        std::string problem = m_part;
        problem.append(" line ").append(std::to_string(XML_GetCurrentLineNumber(m_parser)));
        problem.append(", column ").append(std::to_string(XML_GetCurrentColumnNumber(m_parser) + 1));
        problem.append(": ").append(XML_ErrorString(XML_GetErrorCode(m_parser)));
        problem.append(kRepair);
        fail(m_path, problem);
    }

private:
    // Exceptions must not unwind through expat's C frames: keep them and stop the parser.
    template <typename F>
    static void guarded(void* self, F&& f)
    {
        auto* parser = static_cast<XmlParser*>(self);
        try {
            f(parser->m_handler);
        } catch (...) {
            parser->m_error = std::current_exception();
            XML_StopParser(parser->m_parser, XML_FALSE);
        }
    }
    static void onStart(void* self, const XML_Char* name, const XML_Char** attributes)
    {
        guarded(self, [&](XmlHandler& h) { h.start(localName(name), attributes); });
    }
    static void onEnd(void* self, const XML_Char* name)
    {
        guarded(self, [&](XmlHandler& h) { h.end(localName(name)); });
    }
    static void onText(void* self, const XML_Char* text, int length)
    {
        guarded(self, [&](XmlHandler& h) { h.text(std::string_view(text, static_cast<std::size_t>(length))); });
    }
    // OOXML parts never declare a DTD; one here can only be an entity-expansion attack.
    static void onDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int)
    {
        auto* parser = static_cast<XmlParser*>(self);
        guarded(self, [&](XmlHandler&) {
            fail(parser->m_path, parser->m_part + " declares a DTD, which workbooks never do" + kRepair);
        });
    }

    XmlHandler& m_handler;
    const std::string& m_path;
    std::string m_part;
    XML_Parser m_parser;
    std::exception_ptr m_error;
};

void parsePart(const ZipArchive& zip, const std::string& part, XmlHandler& handler,
               const std::function<void(std::uint64_t)>& done = {})
{
    XmlParser parser(handler, zip.path(), part);
    zip.read(part, [&](const char* data, std::size_t size) { parser.feed(data, size, false); }, done);
    parser.feed(nullptr, 0, true);
}

// ---------------------------------------------------------------------------------
// Package structure: relationships, workbook, styles, shared strings.

std::string directoryOf(const std::string& part)
{
    const auto slash = part.rfind('/');
    return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// A relationship target relative to `baseDirectory` as a normalised part name.
std::string resolvePart(const std::string& baseDirectory, const std::string& target)
{
    const std::string joined = !target.empty() && target.front() == '/' ? target.substr(1) : baseDirectory + target;
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= joined.size()) {
        auto slash = joined.find('/', start);
        if (slash == std::string::npos)
            slash = joined.size();
        const std::string segment = joined.substr(start, slash - start);
        if (segment == "..") {
            if (!segments.empty())
                segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = slash + 1;
    }
    std::string part;
    for (const auto& segment : segments) {
        if (!part.empty())
            part.push_back('/');
        part.append(segment);
    }
    return part;
}

bool typeIs(const std::string& type, std::string_view suffix)
{
    return type.size() >= suffix.size() && type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Relationship {
    std::string type;
    std::string part;  ///< resolved part name
};

class RelationshipsHandler : public XmlHandler {
public:
    explicit RelationshipsHandler(std::string baseDirectory) : m_base(std::move(baseDirectory)) {}
    void start(std::string_view name, const XML_Char** attributes) override
    {
        if (name != "Relationship")
            return;
        const char* id = attribute(attributes, "Id");
        const char* type = attribute(attributes, "Type");
        const char* target = attribute(attributes, "Target");
        const char* mode = attribute(attributes, "TargetMode");
        if (id == nullptr || type == nullptr || target == nullptr || (mode != nullptr && std::strcmp(mode, "External") == 0))
            return;
        relationships.emplace(id, Relationship{type, resolvePart(m_base, target)});
    }
    void end(std::string_view) override {}

    std::unordered_map<std::string, Relationship> relationships;

private:
    std::string m_base;
};

std::unordered_map<std::string, Relationship> readRelationships(const ZipArchive& zip, const std::string& part)
{
    const auto slash = part.rfind('/');
    const std::string relsPart = directoryOf(part) + "_rels/" +
                                 (slash == std::string::npos ? part : part.substr(slash + 1)) + ".rels";
    RelationshipsHandler handler(directoryOf(part));
    if (zip.contains(relsPart))
        parsePart(zip, relsPart, handler);
    return std::move(handler.relationships);
}

struct SheetEntry {
    std::string name;
    std::string part;
};

struct Workbook {
    std::vector<SheetEntry> sheets;  ///< worksheets only, in workbook order
    bool date1904 = false;
    std::string sharedStringsPart;
    std::string stylesPart;
};

class WorkbookHandler : public XmlHandler {
public:
    void start(std::string_view name, const XML_Char** attributes) override
    {
        if (name == "workbookPr") {
            const char* value = attribute(attributes, "date1904");
            date1904 = value != nullptr && (std::strcmp(value, "1") == 0 || std::strcmp(value, "true") == 0);
        } else if (name == "sheet") {
            const char* sheetName = attribute(attributes, "name");
            const char* id = attribute(attributes, "id");
            if (sheetName != nullptr && id != nullptr)
                sheets.emplace_back(sheetName, id);
        }
    }
    void end(std::string_view) override {}

    bool date1904 = false;
    std::vector<std::pair<std::string, std::string>> sheets;  ///< name, relationship id
};

Workbook readWorkbook(const ZipArchive& zip)
{
    std::string workbookPart = "xl/workbook.xml";
    for (const auto& [id, relationship] : readRelationships(zip, ""))
        if (typeIs(relationship.type, "/officeDocument"))
            workbookPart = relationship.part;
    if (!zip.contains(workbookPart))
        fail(zip.path(), "is a zip archive but not an Excel workbook (it has no " + workbookPart +
                             ") — open it in Excel or LibreOffice and save it as .xlsx");

    WorkbookHandler handler;
    parsePart(zip, workbookPart, handler);
    const auto relationships = readRelationships(zip, workbookPart);

    Workbook workbook;
    workbook.date1904 = handler.date1904;
    for (const auto& [id, relationship] : relationships) {
        if (typeIs(relationship.type, "/sharedStrings"))
            workbook.sharedStringsPart = relationship.part;
        else if (typeIs(relationship.type, "/styles"))
            workbook.stylesPart = relationship.part;
    }
    for (const auto& [name, id] : handler.sheets) {
        const auto found = relationships.find(id);
        if (found == relationships.end() || !typeIs(found->second.type, "/worksheet"))
            continue;  // chart sheets, dialog sheets: nothing tabular to read
        workbook.sheets.push_back({name, found->second.part});
    }
    return workbook;
}

// Whether a number format shows a date or time: a d, m, y, h or s outside quoted text,
// escapes and [colour]/[$locale] brackets (elapsed-time brackets like [h] count).
bool isDateFormatCode(std::string_view code)
{
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c == ';')
            return false;  // only the first (positive numbers) section decides, as openpyxl does
        if (c == '"') {
            const auto close = code.find('"', i + 1);
            if (close == std::string_view::npos)
                return false;
            i = close;
        } else if (c == '\\' || c == '_' || c == '*') {
            ++i;
        } else if (c == '[') {
            const auto close = code.find(']', i + 1);
            if (close == std::string_view::npos)
                return false;
            const std::string_view inside = code.substr(i + 1, close - i - 1);
            if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos)
                return true;
            i = close;
        } else if (std::strchr("dDmMyYhHsS", c) != nullptr) {
            return true;
        }
    }
    return false;
}

bool isBuiltinDateFormat(long id) { return (id >= 14 && id <= 22) || (id >= 45 && id <= 47); }

std::optional<long> parseIndex(const char* text)
{
    if (text == nullptr)
        return std::nullopt;
    long value = 0;
    const char* end = text + std::strlen(text);
    const auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || ptr != end || value < 0)
        return std::nullopt;
    return value;
}

class StylesHandler : public XmlHandler {
public:
    void start(std::string_view name, const XML_Char** attributes) override
    {
        if (name == "numFmts") {
            m_inNumFmts = true;
        } else if (name == "numFmt" && m_inNumFmts) {  // not the numFmt of conditional formats (dxf)
            const auto id = parseIndex(attribute(attributes, "numFmtId"));
            const char* code = attribute(attributes, "formatCode");
            if (id && code != nullptr)
                m_customDate[*id] = isDateFormatCode(code);
        } else if (name == "cellXfs") {
            m_inCellXfs = true;
        } else if (name == "xf" && m_inCellXfs) {
            const auto id = parseIndex(attribute(attributes, "numFmtId"));
            bool date = false;
            if (id) {
                const auto custom = m_customDate.find(*id);
                date = custom != m_customDate.end() ? custom->second : isBuiltinDateFormat(*id);
            }
            dateStyle.push_back(date);
        }
    }
    void end(std::string_view name) override
    {
        if (name == "cellXfs")
            m_inCellXfs = false;
        else if (name == "numFmts")
            m_inNumFmts = false;
    }

    std::vector<bool> dateStyle;  ///< by cell style index (the cell's s attribute)

private:
    std::unordered_map<long, bool> m_customDate;
    bool m_inNumFmts = false;
    bool m_inCellXfs = false;
};

// OOXML writes characters XML cannot hold as _xHHHH_ (e.g. _x000D_ for CR).
std::string unescapeOoxml(std::string text)
{
    if (text.find("_x") == std::string::npos)
        return text;
    std::string result;
    result.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned code = 0;
        if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_') {
            const auto [ptr, ec] = std::from_chars(text.data() + i + 2, text.data() + i + 6, code, 16);
            // Lone UTF-16 surrogates have no UTF-8 form: keep those escapes as written.
            if (ec == std::errc() && ptr == text.data() + i + 6 && (code < 0xD800 || code > 0xDFFF)) {
                if (code < 0x80) {
                    result.push_back(static_cast<char>(code));
                } else if (code < 0x800) {
                    result.push_back(static_cast<char>(0xC0 | (code >> 6)));
                    result.push_back(static_cast<char>(0x80 | (code & 0x3F)));
                } else {
                    result.push_back(static_cast<char>(0xE0 | (code >> 12)));
                    result.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
                    result.push_back(static_cast<char>(0x80 | (code & 0x3F)));
                }
                i += 6;
                continue;
            }
        }
        result.push_back(text[i]);
    }
    return result;
}

// Collects the text of a string item: plain <t>, or the <t> of every rich-text run <r>,
// but not phonetic guides (<rPh>), which are not part of the value.
class StringItemText {
public:
    void start(std::string_view name)
    {
        if (name == "rPh")
            ++m_phonetic;
        else if (name == "t" && m_phonetic == 0)
            m_inText = true;
    }
    void end(std::string_view name)
    {
        if (name == "rPh" && m_phonetic > 0)
            --m_phonetic;
        else if (name == "t")
            m_inText = false;
    }
    void text(std::string_view text)
    {
        if (m_inText)
            m_value.append(text);
    }
    std::string take()
    {
        m_inText = false;
        m_phonetic = 0;
        return unescapeOoxml(std::exchange(m_value, {}));
    }

private:
    std::string m_value;
    bool m_inText = false;
    int m_phonetic = 0;
};

class SharedStringsHandler : public XmlHandler {
public:
    void start(std::string_view name, const XML_Char**) override
    {
        if (name == "si")
            m_inItem = true;
        else if (m_inItem)
            m_item.start(name);
    }
    void end(std::string_view name) override
    {
        if (name == "si") {
            strings.push_back(m_item.take());
            m_inItem = false;
        } else if (m_inItem) {
            m_item.end(name);
        }
    }
    void text(std::string_view text) override
    {
        if (m_inItem)
            m_item.text(text);
    }

    std::vector<std::string> strings;

private:
    StringItemText m_item;
    bool m_inItem = false;
};

const SheetEntry& chooseSheet(const Workbook& workbook, const std::string& path, const std::string& sheet)
{
    std::vector<std::string> names;
    for (const auto& entry : workbook.sheets)
        names.push_back(entry.name);
    if (workbook.sheets.empty())
        fail(path, "the workbook has no worksheets — add a sheet with a header row and data");
    if (sheet.empty())
        return workbook.sheets.front();
    for (const auto& entry : workbook.sheets)
        if (entry.name == sheet)
            return entry;
    fail(path, "the workbook has no sheet named " + inQuotes(sheet) + " — its sheets are: " + joinQuoted(names));
}

// ---------------------------------------------------------------------------------
// The sheet's cells.

double excelSerialToEpochSeconds(double serial, bool date1904)
{
    // Excel's 1900 system counts the non-existent 1900-02-29 (serial 60); before it,
    // serials are one day early. Same correction as openpyxl.
    if (!date1904 && serial > 0 && serial < 60)
        serial += 1;
    const double epochSerial = date1904 ? 24107.0 : 25569.0;  // serial of 1970-01-01
    double days = std::floor(serial);
    const double millis = std::round((serial - days) * 86'400'000.0);
    return (days - epochSerial) * 86400.0 + millis / 1000.0;
}

std::string cellName(std::uint32_t column, std::uint32_t row)
{
    std::string letters;
    for (std::uint32_t c = column + 1; c > 0; c = (c - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return letters + std::to_string(row);
}

struct CellValue {
    enum class Kind : std::uint8_t { Missing, Number, Boolean, Text, SharedText, Datetime };
    std::uint32_t column = 0;
    Kind kind = Kind::Missing;
    double number = 0.0;
    std::uint32_t shared = 0;
    std::string text;
};

class SheetHandler : public XmlHandler {
public:
    SheetHandler(const std::string& path, const std::string& sheetName, const std::vector<std::string>& sharedStrings,
                 const std::vector<bool>& dateStyle, bool date1904, const std::vector<std::string>& missingMarkers)
        : m_path(path), m_sheet(sheetName), m_shared(sharedStrings), m_dateStyle(dateStyle), m_date1904(date1904),
          m_markers(missingMarkers), m_memory(availableMemoryBytes())
    {
    }

    void start(std::string_view name, const XML_Char** attributes) override
    {
        if (m_inCell) {
            if (name == "v") {
                m_inValue = true;
                m_hasValue = true;
            } else if (name == "is") {
                m_inInline = true;
                m_hasInline = true;
            } else if (m_inInline) {
                m_inlineText.start(name);
            }
            return;
        }
        if (name == "row") {
            const char* r = attribute(attributes, "r");
            const auto number = r != nullptr ? parseIndex(r) : std::optional<long>(m_row + 1);
            if (!number || *number < 1 || *number > static_cast<long>(kMaxRows))
                fail(m_path, "sheet " + inQuotes(m_sheet) + " has an invalid row number " + inQuotes(r ? r : "") + kRepair);
            m_row = static_cast<std::uint32_t>(*number);
            m_nextColumn = 0;
            m_cells.clear();
        } else if (name == "c") {
            startCell(attributes);
        }
    }

    void end(std::string_view name) override
    {
        if (m_inCell) {
            if (name == "c")
                finishCell();
            else if (name == "v")
                m_inValue = false;
            else if (name == "is")
                m_inInline = false;
            else if (m_inInline)
                m_inlineText.end(name);
            return;
        }
        if (name == "row")
            finishRow();
    }

    void text(std::string_view text) override
    {
        if (m_inValue)
            m_value.append(text);
        else if (m_inInline)
            m_inlineText.text(text);
    }

    std::size_t dataRows() const { return m_dataRows; }

    Table finish()
    {
        if (!m_haveHeader)
            fail(m_path, "sheet " + inQuotes(m_sheet) +
                             " is empty — put a header row naming the columns in its first row, data below");
        Table table;
        for (auto& builder : m_builders)
            table.addColumn(builder.finish());
        return table;
    }

private:
    std::string here() const { return m_sheet + "!" + cellName(m_column, m_row); }

    void startCell(const XML_Char** attributes)
    {
        m_inCell = true;
        m_hasValue = m_hasInline = m_inValue = m_inInline = false;
        m_value.clear();
        const char* ref = attribute(attributes, "r");
        m_column = ref != nullptr ? parseColumn(ref) : m_nextColumn;
        if (m_column >= kMaxColumns)
            fail(m_path, "sheet " + inQuotes(m_sheet) + " has a cell beyond column XFD" + kRepair);
        m_nextColumn = m_column + 1;
        const char* type = attribute(attributes, "t");
        m_type = type != nullptr ? type : "n";
        const auto style = parseIndex(attribute(attributes, "s"));
        m_dateFormatted = style && static_cast<std::size_t>(*style) < m_dateStyle.size() && m_dateStyle[*style];
    }

    std::uint32_t parseColumn(const char* ref) const
    {
        std::uint32_t column = 0;
        std::size_t i = 0;
        for (; ref[i] >= 'A' && ref[i] <= 'Z' && i < 4; ++i)
            column = column * 26 + static_cast<std::uint32_t>(ref[i] - 'A' + 1);
        if (i == 0 || column > kMaxColumns || !parseIndex(ref + i))
            fail(m_path, "sheet " + inQuotes(m_sheet) + " row " + std::to_string(m_row) +
                             " has an invalid cell reference " + inQuotes(ref) + kRepair);
        return column - 1;
    }

    double parseNumber(const std::string& text) const
    {
        double value = 0.0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (ec != std::errc() || ptr != end)
            throw core::DataError(here() + " holds " + inQuotes(text) + " where a number should be" + kRepair,
                                  {m_path, 0, 0});
        return value;
    }

    void finishCell()
    {
        m_inCell = false;
        CellValue cell;
        cell.column = m_column;
        if (m_type == "inlineStr") {
            if (!m_hasInline && !m_hasValue)
                return;
            cell.kind = CellValue::Kind::Text;
            cell.text = m_hasInline ? m_inlineText.take() : unescapeOoxml(m_value);
        } else if (!m_hasValue) {
            return;  // a formatted but empty cell
        } else if (m_type == "s") {
            const auto index = parseIndex(m_value.c_str());
            if (!index || static_cast<std::size_t>(*index) >= m_shared.size())
                throw core::DataError(here() + " refers to shared string " + inQuotes(m_value) + ", but the workbook has " +
                                          std::to_string(m_shared.size()) + kRepair,
                                      {m_path, 0, 0});
            cell.kind = CellValue::Kind::SharedText;
            cell.shared = static_cast<std::uint32_t>(*index);
        } else if (m_type == "str") {
            cell.kind = CellValue::Kind::Text;
            cell.text = unescapeOoxml(m_value);
        } else if (m_type == "b") {
            if (m_value != "0" && m_value != "1" && m_value != "true" && m_value != "false")
                throw core::DataError(here() + " holds " + inQuotes(m_value) + " where a boolean should be" + kRepair,
                                      {m_path, 0, 0});
            cell.kind = CellValue::Kind::Boolean;
            cell.number = m_value == "1" || m_value == "true" ? 1.0 : 0.0;
        } else if (m_type == "e") {
            cell.kind = CellValue::Kind::Missing;  // #N/A, #DIV/0!, …: no value
        } else if (m_type == "d") {
            const auto seconds = parseDatetime(m_value);
            if (!seconds)
                throw core::DataError(here() + " holds " + inQuotes(m_value) + " where an ISO 8601 date should be" +
                                          kRepair,
                                      {m_path, 0, 0});
            cell.kind = CellValue::Kind::Datetime;
            cell.number = *seconds;
        } else if (m_type == "n") {
            if (m_value.empty())
                return;
            const double value = parseNumber(m_value);
            cell.kind = m_dateFormatted ? CellValue::Kind::Datetime : CellValue::Kind::Number;
            cell.number = m_dateFormatted ? excelSerialToEpochSeconds(value, m_date1904) : value;
        } else {
            throw core::DataError(here() + " has an unknown cell type " + inQuotes(m_type) + kRepair, {m_path, 0, 0});
        }
        m_cells.push_back(std::move(cell));
    }

    std::string_view textOf(const CellValue& cell) const
    {
        return cell.kind == CellValue::Kind::SharedText ? std::string_view(m_shared[cell.shared])
                                                        : std::string_view(cell.text);
    }

    std::string headerName(const CellValue& cell) const
    {
        switch (cell.kind) {
        case CellValue::Kind::Missing: return {};
        case CellValue::Kind::Number: return formatNumber(cell.number);
        case CellValue::Kind::Boolean: return cell.number != 0.0 ? "True" : "False";
        case CellValue::Kind::Datetime: return formatDatetime(cell.number);
        case CellValue::Kind::Text:
        case CellValue::Kind::SharedText: return std::string(textOf(cell));
        }
        return {};
    }

    void finishRow()
    {
        if (m_cells.empty())
            return;  // blank rows count once a later row has values (see below)
        // Cells come in column order from every writer we know; sort for the others and
        // keep the last of duplicates.
        if (!std::is_sorted(m_cells.begin(), m_cells.end(),
                            [](const CellValue& a, const CellValue& b) { return a.column < b.column; }))
            std::stable_sort(m_cells.begin(), m_cells.end(),
                             [](const CellValue& a, const CellValue& b) { return a.column < b.column; });
        if (!m_haveHeader) {
            readHeader();
            m_lastRow = m_row;
            return;
        }
        const std::size_t needed = static_cast<std::size_t>(m_cells.back().column) + 1;
        if (needed > m_builders.size())
            addColumns(needed);
        // Blank rows between values stay as rows with every value missing (as pandas
        // reads them), so data row i is sheet row header + 1 + i; trailing ones do not.
        if (m_row > m_lastRow + 1) {
            const std::size_t blank = m_row - m_lastRow - 1;
            checkMemory(blank);
            for (auto& builder : m_builders)
                for (std::size_t i = 0; i < blank; ++i)
                    builder.addMissing();
            m_dataRows += blank;
        }
        m_lastRow = std::max(m_lastRow, m_row);
        std::size_t next = 0;
        for (std::size_t i = 0; i < m_cells.size(); ++i) {
            const CellValue& cell = m_cells[i];
            if (i + 1 < m_cells.size() && m_cells[i + 1].column == cell.column)
                continue;
            for (; next < cell.column; ++next)
                m_builders[next].addMissing();
            addCell(m_builders[next], cell);
            ++next;
        }
        for (; next < m_builders.size(); ++next)
            m_builders[next].addMissing();
        ++m_dataRows;
        if (m_dataRows % 1024 == 0)
            checkMemory(0);
    }

    void addCell(CellColumnBuilder& builder, const CellValue& cell) const
    {
        switch (cell.kind) {
        case CellValue::Kind::Missing: builder.addMissing(); return;
        case CellValue::Kind::Number: {
            // Excel stores every number as a double; pandas (via openpyxl) reads whole
            // ones as integers, so "integer syntax" here means "whole".
            const bool whole = std::isfinite(cell.number) && std::abs(cell.number) < 9.007199254740992e15 &&
                               cell.number == std::floor(cell.number);
            builder.addNumber(cell.number, whole);
            return;
        }
        case CellValue::Kind::Boolean: builder.addBoolean(cell.number != 0.0); return;
        case CellValue::Kind::Datetime: builder.addDatetime(cell.number); return;
        case CellValue::Kind::Text:
        case CellValue::Kind::SharedText: {
            const std::string_view text = textOf(cell);
            if (std::find(m_markers.begin(), m_markers.end(), text) != m_markers.end())
                builder.addMissing();
            else
                builder.addText(text);
            return;
        }
        }
    }

    void readHeader()
    {
        m_haveHeader = true;
        std::vector<std::string> names(static_cast<std::size_t>(m_cells.back().column) + 1);
        for (const CellValue& cell : m_cells)
            names[cell.column] = headerName(cell);
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i].empty())
                names[i] = "column_" + std::to_string(i + 1);
        std::unordered_map<std::string, std::size_t> seen;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto [it, inserted] = seen.emplace(names[i], i);
            if (!inserted)
                fail(m_path, "cells " + m_sheet + "!" + cellName(static_cast<std::uint32_t>(it->second), m_row) +
                                 " and " + cellName(static_cast<std::uint32_t>(i), m_row) + " are both named " +
                                 inQuotes(names[i]) + " — column names must be unique; rename one of them");
        }
        for (auto& name : names)
            m_builders.emplace_back(std::move(name));
    }

    // Columns beyond the header (a value with no name above it) get "column_N".
    void addColumns(std::size_t count)
    {
        while (m_builders.size() < count) {
            const std::size_t index = m_builders.size();
            CellColumnBuilder builder("column_" + std::to_string(index + 1));
            for (std::size_t row = 0; row < m_dataRows; ++row)
                builder.addMissing();
            m_builders.push_back(std::move(builder));
        }
        checkMemory(0);
    }

    // A sparse sheet (a value in row 1 048 576 or column XFD) fills every cell of its
    // used range; refuse before that exhausts memory.
    void checkMemory(std::size_t moreRows) const
    {
        if (m_memory == 0)
            return;
        const std::uint64_t cells = static_cast<std::uint64_t>(m_dataRows + moreRows + 1) * m_builders.size();
        if (cells * kBuilderBytesPerCell > m_memory)
            fail(m_path, "sheet " + inQuotes(m_sheet) + " needs more than the " + formatBytes(m_memory) +
                             " of free memory for its " + std::to_string(m_builders.size()) + " columns by " +
                             std::to_string(m_dataRows + moreRows) + "+ rows — delete unused rows and columns, or export the "
                             "sheet as CSV");
    }

    const std::string& m_path;
    const std::string& m_sheet;
    const std::vector<std::string>& m_shared;
    const std::vector<bool>& m_dateStyle;
    bool m_date1904;
    const std::vector<std::string>& m_markers;
    std::uint64_t m_memory;

    std::uint32_t m_row = 0;
    std::uint32_t m_nextColumn = 0;
    std::uint32_t m_column = 0;
    bool m_inCell = false;
    bool m_inValue = false;
    bool m_inInline = false;
    bool m_hasValue = false;
    bool m_hasInline = false;
    bool m_dateFormatted = false;
    std::string m_type;
    std::string m_value;
    StringItemText m_inlineText;
    std::vector<CellValue> m_cells;

    bool m_haveHeader = false;
    std::uint32_t m_lastRow = 0;  ///< sheet row of the last row with values
    std::size_t m_dataRows = 0;
    std::vector<CellColumnBuilder> m_builders;
};

// Reads the <dimension ref="A1:N892"/> near the start of a sheet part.
class DimensionHandler : public XmlHandler {
public:
    void start(std::string_view name, const XML_Char** attributes) override
    {
        if (name == "dimension") {
            if (const char* ref = attribute(attributes, "ref"))
                parse(ref);
            throw Found();
        }
        if (name == "sheetData")
            throw Found();  // the dimension, when written, comes before the cells
    }
    void end(std::string_view) override {}

    struct Found {};
    std::uint64_t rows = 0;
    std::size_t columns = 0;

private:
    static bool parseRef(std::string_view ref, std::uint64_t& column, std::uint64_t& row)
    {
        column = 0;
        std::size_t i = 0;
        for (; i < ref.size() && i < 4 && ref[i] >= 'A' && ref[i] <= 'Z'; ++i)
            column = column * 26 + static_cast<std::uint64_t>(ref[i] - 'A' + 1);
        const auto [ptr, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), row);
        return i > 0 && ec == std::errc() && ptr == ref.data() + ref.size();
    }
    void parse(std::string_view ref)
    {
        const auto colon = ref.find(':');
        std::uint64_t c1 = 0, r1 = 0, c2 = 0, r2 = 0;
        if (!parseRef(ref.substr(0, colon), c1, r1))
            return;
        if (colon == std::string_view::npos) {
            c2 = c1;
            r2 = r1;
        } else if (!parseRef(ref.substr(colon + 1), c2, r2)) {
            return;
        }
        if (c2 < c1 || r2 < r1)
            return;
        rows = r2 - r1 + 1;
        columns = static_cast<std::size_t>(c2 - c1 + 1);
    }
};

} // namespace

std::vector<std::string> xlsxSheetNames(const std::string& path)
{
    const ZipArchive zip(path);
    std::vector<std::string> names;
    for (const auto& sheet : readWorkbook(zip).sheets)
        names.push_back(sheet.name);
    return names;
}

Table readXlsxFile(const std::string& path, const std::string& sheet, const std::vector<std::string>& missingMarkers,
                   core::TaskControl* control)
{
    const ZipArchive zip(path);
    const Workbook workbook = readWorkbook(zip);
    const SheetEntry& entry = chooseSheet(workbook, path, sheet);
    // "Reading sheet 'Data' of book.xlsx — 12 k rows".
    const std::string stage = "Reading sheet " + inQuotes(entry.name) + " of " + progressName(path) + " — ";
    if (control)
        control->progress(0.0, stage + progressRows(0));

    // Shared strings and styles are small next to the sheet; they count as the first 5 %.
    StylesHandler styles;
    if (!workbook.stylesPart.empty() && zip.contains(workbook.stylesPart))
        parsePart(zip, workbook.stylesPart, styles);
    SharedStringsHandler shared;
    if (!workbook.sharedStringsPart.empty() && zip.contains(workbook.sharedStringsPart))
        parsePart(zip, workbook.sharedStringsPart, shared, [&](std::uint64_t) {
            if (control)
                control->checkCancelled();
        });
    if (control)
        control->progress(0.05, stage + progressRows(0));

    if (!zip.contains(entry.part))
        fail(path, "sheet " + inQuotes(entry.name) + " has no data part (" + entry.part + ")" + kRepair);
    const double total = static_cast<double>(std::max<std::uint64_t>(zip.partSize(entry.part), 1));
    SheetHandler handler(path, entry.name, shared.strings, styles.dateStyle, workbook.date1904, missingMarkers);
    parsePart(zip, entry.part, handler, [&](std::uint64_t done) {
        if (control)
            control->progress(0.05 + 0.9 * static_cast<double>(done) / total, stage + progressRows(handler.dataRows()));
    });
    Table table = handler.finish();
    if (control)
        control->progress(1.0, stage + progressRows(table.rowCount()));
    return table;
}

XlsxSheetSize xlsxSheetSize(const std::string& path, const std::string& sheet)
{
    const ZipArchive zip(path);
    const Workbook workbook = readWorkbook(zip);
    const SheetEntry& entry = chooseSheet(workbook, path, sheet);
    XlsxSheetSize size;
    size.xmlBytes = zip.partSize(entry.part);
    if (!workbook.sharedStringsPart.empty() && zip.contains(workbook.sharedStringsPart))
        size.sharedStringsBytes = zip.partSize(workbook.sharedStringsPart);
    DimensionHandler dimension;
    XmlParser parser(dimension, path, entry.part);
    try {
        zip.read(entry.part, [&](const char* data, std::size_t n) { parser.feed(data, n, false); });
    } catch (const DimensionHandler::Found&) {
        size.rows = dimension.rows;
        size.columns = dimension.columns;
    }
    return size;
}

} // namespace stepwise::data
