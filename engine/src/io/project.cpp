// The project file (`.stepwise-project`): one JSON object, UTF-8, keys in this order.
//
//   {
//     "format": 1,                          project format (kProjectFormatVersion); newer is refused
//     "stepwise_version": "0.9.0",          the Stepwise that wrote it
//     "created_utc": "2026-11-24T10:15:02Z",
//     "saved_utc": "2026-11-24T11:02:40Z",
//     "recipe": { … },                      exactly recipeToJson's object
//     "data": {
//       "sha256": "ab12…",                  data::dataSha256 of the source ("" = not recorded)
//       "bytes": 61194,                     the file's size; 0 for built-in and generated data
//       "relative_path": "data/titanic.csv",  the file from the project's folder (file sources
//                                           saved to a named file only)
//       "embedded": "UGFzc2Vu…"             the file's bytes, base64 (only when embedded)
//     },
//     "runs": [                             oldest first
//       {
//         "id": 1,
//         "started_utc": "2026-11-24T10:15:02Z",
//         "duration_s": 1.84,
//         "recipe": { … },                  the recipe as trained
//         "metrics": {"accuracy": 0.82, …, "cv_mean": 0.8, "cv_std": 0.02},  in report order
//                                           (null for a value that is not a finite number)
//         "verdict": "f1_macro>=0.75: 0.78 — passed",  "" without a criterion
//         "passed": true,                   null without a criterion
//         "report": { … },                  the run's report (io::reportJson) as an object
//         "manifest": { … },                manifestToJson's object
//         "note": ""
//       }
//     ],
//     "window": {"page": "3", …}            the GUI's state, string to string
//   }
//
// Reading is strict about what it needs and names the field that is wrong
// ("runs[2].metrics"), so a damaged file is refused with a message rather than half-read.

#include "stepwise/io/project.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/utsname.h>

#include "stepwise/core/digest.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/io/atomic_file.hpp"
#include "stepwise/io/report.hpp"

namespace stepwise::io {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// A project holds at most a data file embedded in it plus the runs' reports; anything
// larger is not a project this build wrote.
constexpr std::uint64_t kMaxProjectBytes = std::uint64_t{2} << 30;
// Recipes and reports nest a handful of levels; the bound keeps every recursive walk of
// a hostile file shallow.
constexpr int kMaxDepth = 64;

// ---------------------------------------------------------------------------------------
// Writing

std::string base64Encode(std::string_view bytes)
{
    constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      kVariant);
    out.resize(out.size() - 1);  // the terminating NUL sodium writes
    return out;
}

std::optional<std::string> base64Decode(const std::string& text)
{
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(length);
    return out;
}

// JSON has no NaN or infinity: such a metric is written as null and read back as NaN.
Json numberJson(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json manifestObject(const RunManifest& m)
{
    Json libraries = Json::object();
    for (const auto& [name, version] : m.libraryVersions)
        libraries[name] = version;
    return Json{{"stepwise_version", m.stepwiseVersion},
                {"libraries", std::move(libraries)},
                {"seed", m.seed},
                {"data_sha256", m.dataSha256},
                {"data", m.dataDescription},
                {"threads", m.threads},
                {"platform", m.platform},
                {"compiler", m.compiler},
                {"cpu", m.cpu}};
}

Json runObject(const RunRecord& run)
{
    Json metrics = Json::object();
    for (const workflow::NamedScore& score : run.metrics)
        metrics[score.metric] = numberJson(score.value);
    Json report = run.reportJson.empty() ? Json(nullptr) : Json::parse(run.reportJson);
    return Json{{"id", run.id},
                {"started_utc", run.startedUtc},
                {"duration_s", numberJson(run.durationSeconds)},
                {"recipe", Json::parse(workflow::recipeToJson(run.recipe))},
                {"metrics", std::move(metrics)},
                {"verdict", run.verdict},
                {"passed", run.passed ? Json(*run.passed) : Json(nullptr)},
                {"report", std::move(report)},
                {"manifest", manifestObject(run.manifest)},
                {"note", run.note}};
}

// The data file seen from the project's folder, when there is a sensible way there.
std::string relativeDataPath(const std::string& location, const fs::path& projectFile)
{
    std::error_code error;
    const fs::path data = fs::absolute(location, error).lexically_normal();
    if (error)
        return {};
    const fs::path folder = fs::absolute(projectFile, error).parent_path().lexically_normal();
    if (error)
        return {};
    const fs::path relative = data.lexically_relative(folder);
    return relative.empty() ? std::string() : relative.generic_string();
}

// ---------------------------------------------------------------------------------------
// Reading

// Reads fields of one project file, naming the file and the field in every error.
class Reader {
public:
    explicit Reader(std::string fileName) : m_fileName(std::move(fileName)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& problem) const
    {
        std::string message = m_fileName;
        message.append(": field '").append(field).append("' ").append(problem);
        message.append(" — the project file is damaged or was not written by Stepwise");
        throw core::ArchiveError(message);
    }

    const Json& member(const Json& object, const std::string& key, const std::string& path) const
    {
        const auto it = object.find(key);
        if (it == object.end())
            fail(join(path, key), "is missing");
        return *it;
    }

    const Json& typed(const Json& object, const std::string& key, const std::string& path, Json::value_t type,
                      const char* what) const
    {
        const Json& value = member(object, key, path);
        if (value.type() != type && !(type == Json::value_t::number_float && value.is_number()) &&
            !(type == Json::value_t::number_integer && value.is_number_integer()))
            fail(join(path, key), std::string("must be ") + what + " (it is " + typeName(value) + ")");
        return value;
    }

    const Json& object(const Json& parent, const std::string& key, const std::string& path) const
    {
        return typed(parent, key, path, Json::value_t::object, "an object");
    }
    const Json& array(const Json& parent, const std::string& key, const std::string& path) const
    {
        return typed(parent, key, path, Json::value_t::array, "an array");
    }
    std::string text(const Json& parent, const std::string& key, const std::string& path) const
    {
        return typed(parent, key, path, Json::value_t::string, "text").get<std::string>();
    }
    double number(const Json& parent, const std::string& key, const std::string& path) const
    {
        return typed(parent, key, path, Json::value_t::number_float, "a number").get<double>();
    }
    // A finite number, or null (NaN).
    double numberOrNull(const Json& value, const std::string& path) const
    {
        if (value.is_null())
            return std::numeric_limits<double>::quiet_NaN();
        if (!value.is_number())
            fail(path, "must be a number or null (it is " + typeName(value) + ")");
        return value.get<double>();
    }
    bool boolean(const Json& parent, const std::string& key, const std::string& path) const
    {
        return typed(parent, key, path, Json::value_t::boolean, "true or false").get<bool>();
    }
    // A whole number within [low, high].
    std::int64_t integer(const Json& parent, const std::string& key, const std::string& path, std::int64_t low,
                         std::int64_t high) const
    {
        const Json& value = typed(parent, key, path, Json::value_t::number_integer, "a whole number");
        if (value.is_number_unsigned()) {
            const auto u = value.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(high))
                fail(join(path, key), "is " + std::to_string(u) + ", above " + std::to_string(high));
            return static_cast<std::int64_t>(u);
        }
        const auto i = value.get<std::int64_t>();
        if (i < low || i > high)
            fail(join(path, key), "is " + std::to_string(i) + ", outside [" + std::to_string(low) + ", " +
                                      std::to_string(high) + "]");
        return i;
    }
    std::uint64_t unsignedInteger(const Json& parent, const std::string& key, const std::string& path) const
    {
        const Json& value = typed(parent, key, path, Json::value_t::number_integer, "a whole number");
        if (!value.is_number_unsigned() && value.get<std::int64_t>() < 0)
            fail(join(path, key), "is negative");
        return value.get<std::uint64_t>();
    }

    workflow::Recipe recipe(const Json& parent, const std::string& key, const std::string& path) const
    {
        const Json& value = object(parent, key, path);
        try {
            return workflow::recipeFromJson(value.dump());
        } catch (const core::ArchiveError& error) {
            fail(join(path, key), std::string("is not a valid recipe: ") + error.what());
        }
    }

    static std::string join(const std::string& path, const std::string& key)
    {
        return path.empty() ? key : path + "." + key;
    }

    static std::string typeName(const Json& value)
    {
        switch (value.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::object: return "an object";
        case Json::value_t::array: return "an array";
        case Json::value_t::string: return "text";
        case Json::value_t::boolean: return "true or false";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float: return "a number";
        case Json::value_t::binary:
        case Json::value_t::discarded: break;
        }
        return "something else";
    }

    const std::string& fileName() const { return m_fileName; }

private:
    std::string m_fileName;
};

RunManifest manifestFrom(const Reader& reader, const Json& parent, const std::string& path)
{
    const Json& m = reader.object(parent, "manifest", path);
    const std::string at = Reader::join(path, "manifest");
    RunManifest manifest;
    manifest.stepwiseVersion = reader.text(m, "stepwise_version", at);
    const Json& libraries = reader.object(m, "libraries", at);
    for (const auto& [name, version] : libraries.items()) {
        if (!version.is_string())
            reader.fail(at + ".libraries." + name, "must be text (it is " + Reader::typeName(version) + ")");
        manifest.libraryVersions.emplace_back(name, version.get<std::string>());
    }
    manifest.seed = reader.unsignedInteger(m, "seed", at);
    manifest.dataSha256 = reader.text(m, "data_sha256", at);
    manifest.dataDescription = reader.text(m, "data", at);
    manifest.threads = static_cast<int>(reader.integer(m, "threads", at, 0, 1 << 20));
    manifest.platform = reader.text(m, "platform", at);
    manifest.compiler = reader.text(m, "compiler", at);
    manifest.cpu = reader.text(m, "cpu", at);
    return manifest;
}

RunRecord runFrom(const Reader& reader, const Json& j, const std::string& path)
{
    if (!j.is_object())
        reader.fail(path, "must be an object (it is " + Reader::typeName(j) + ")");
    RunRecord run;
    run.id = static_cast<int>(reader.integer(j, "id", path, 1, std::numeric_limits<int>::max()));
    run.startedUtc = reader.text(j, "started_utc", path);
    run.durationSeconds = reader.numberOrNull(reader.member(j, "duration_s", path), path + ".duration_s");
    run.recipe = reader.recipe(j, "recipe", path);
    for (const auto& [name, value] : reader.object(j, "metrics", path).items())
        run.metrics.push_back({name, reader.numberOrNull(value, path + ".metrics." + name)});
    run.verdict = reader.text(j, "verdict", path);
    if (const Json& passed = reader.member(j, "passed", path); !passed.is_null()) {
        if (!passed.is_boolean())
            reader.fail(path + ".passed", "must be true, false or null (it is " + Reader::typeName(passed) + ")");
        run.passed = passed.get<bool>();
    }
    if (const Json& report = reader.member(j, "report", path); !report.is_null()) {
        if (!report.is_object())
            reader.fail(path + ".report", "must be an object (it is " + Reader::typeName(report) + ")");
        // As reportJson writes it, so the text is the report file's.
        run.reportJson = report.dump(2) + "\n";
    }
    run.manifest = manifestFrom(reader, j, path);
    run.note = reader.text(j, "note", path);
    return run;
}

// 1-based line and column of byte `position` (1-based, as nlohmann counts) of `text`.
std::pair<std::size_t, std::size_t> lineAndColumn(const std::string& text, std::size_t position)
{
    std::size_t line = 1, column = 1;
    const std::size_t end = std::min(text.size(), position > 0 ? position - 1 : 0);
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;  // characters, not the bytes of UTF-8 sequences
        }
    }
    return {line, column};
}

struct TooDeep {};

Json parseProjectText(const std::string& text, const std::string& fileName)
{
    if (text.size() > kMaxProjectBytes)
        throw core::ArchiveError(fileName + " is " + std::to_string(text.size() >> 20) +
                                 " MiB, larger than any project Stepwise writes — it is not a project file");
    try {
        return Json::parse(text, [](int depth, Json::parse_event_t, Json&) {
            if (depth > kMaxDepth)
                throw TooDeep{};
            return true;
        });
    } catch (const TooDeep&) {
        throw core::ArchiveError(fileName + " nests JSON more than " + std::to_string(kMaxDepth) +
                                 " levels deep — it is not a project file Stepwise wrote");
    } catch (const Json::parse_error& error) {
        const auto [line, column] = lineAndColumn(text, error.byte);
        // nlohmann's message after its own position prefix: "syntax error while parsing …".
        std::string reason = error.what();
        if (const auto colon = reason.find(": ", reason.find("parse error")); colon != std::string::npos)
            reason = reason.substr(colon + 2);
        std::string message = fileName;
        message.append(" is not valid JSON: line ").append(std::to_string(line));
        message.append(", column ").append(std::to_string(column)).append(": ").append(reason);
        message.append(" — the project file is damaged; open a backup or save the project again");
        throw core::ArchiveError(message);
    } catch (const Json::exception& error) {
        throw core::ArchiveError(fileName + " is not valid JSON: " + error.what());
    }
}

std::string shortDigest(const std::string& digest) { return digest.size() > 12 ? digest.substr(0, 12) + "…" : digest; }

std::string readWholeFile(const fs::path& file)
{
    std::error_code error;
    const auto size = fs::file_size(file, error);
    if (!error && size > kMaxProjectBytes)
        throw core::ArchiveError(file.string() + " is " + std::to_string(size >> 20) +
                                 " MiB, larger than any project Stepwise writes — it is not a project file");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw core::ArchiveError("cannot open project file " + file.string() + ": " + std::strerror(errno) +
                                 " — check the path");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw core::ArchiveError("cannot read project file " + file.string() + ": reading it failed");
    return std::move(text).str();
}

// The embedded copy on disk: written once per digest, then reused.
fs::path extractEmbedded(const Project& project, const fs::path& extractDir)
{
    const std::string name = fs::path(project.recipe.data.location).filename().string();
    const fs::path target = extractDir / (project.data.sha256.substr(0, 16) + "-" + (name.empty() ? "data" : name));
    std::error_code error;
    if (fs::exists(target, error)) {
        try {
            if (core::fileSha256Hex(target.string()) == project.data.sha256)
                return target;
        } catch (const core::Error&) {
            // Unreadable: written again below.
        }
    }
    fs::create_directories(extractDir, error);
    if (error)
        throw core::Error("cannot create " + extractDir.string() + ": " + error.message() +
                          " — check that the folder is writable");
    writeFileAtomically(
        target.string(), [&](std::ostream& out) { out << *project.data.embedded; }, true);
    return target;
}

// Recipe JSON (sorted keys) flattened side by side: objects by key, arrays element by
// element; where the shapes differ the whole value is one change.
void diffJson(const nlohmann::json* before, const nlohmann::json* after, const std::string& path,
              std::vector<FieldChange>& changes)
{
    if (before && after && before->is_object() && after->is_object()) {
        std::set<std::string> keys;
        for (const auto& item : before->items())
            keys.insert(item.key());
        for (const auto& item : after->items())
            keys.insert(item.key());
        for (const std::string& key : keys) {
            const auto b = before->find(key);
            const auto a = after->find(key);
            diffJson(b == before->end() ? nullptr : &*b, a == after->end() ? nullptr : &*a,
                     path.empty() ? key : path + "." + key, changes);
        }
        return;
    }
    if (before && after && before->is_array() && after->is_array()) {
        const std::size_t n = std::max(before->size(), after->size());
        for (std::size_t i = 0; i < n; ++i)
            diffJson(i < before->size() ? &(*before)[i] : nullptr, i < after->size() ? &(*after)[i] : nullptr,
                     path + "[" + std::to_string(i) + "]", changes);
        return;
    }
    if (before && after && *before == *after)
        return;
    changes.push_back({path, before ? before->dump() : std::string(), after ? after->dump() : std::string()});
}

std::string compilerName()
{
#if defined(__clang__)
    return std::string("Clang ") + __clang_version__;
#elif defined(__GNUC__)
    return std::string("GCC ") + __VERSION__;
#else
    return "unknown compiler";
#endif
}

std::string platformName()
{
    utsname names{};
    if (uname(&names) != 0)
        return {};
    std::string text = names.sysname;
    text.append(" ").append(names.release).append(" ").append(names.machine);
    return text;
}

std::string cpuModel()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) != 0)
            continue;
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string model = line.substr(colon + 1);
        model.erase(0, model.find_first_not_of(" \t"));
        return model;
    }
    return {};
}

} // namespace

std::string utcTimestamp()
{
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
}

RunManifest makeManifest(const workflow::RunResult& result, int threads)
{
    RunManifest manifest;
    manifest.stepwiseVersion = core::kVersion;
    if (result.pipeline) {
        const workflow::PipelineMetadata& metadata = result.pipeline->metadata();
        manifest.libraryVersions = metadata.libraryVersions;
        manifest.seed = metadata.seed;
        manifest.dataSha256 = metadata.dataSha256;
        manifest.dataDescription = metadata.dataDescription;
    }
    manifest.threads = threads;
    manifest.platform = platformName();
    manifest.compiler = compilerName();
    manifest.cpu = cpuModel();
    return manifest;
}

std::string manifestToJson(const RunManifest& manifest) { return manifestObject(manifest).dump(2); }

RunRecord makeRunRecord(int id, const workflow::Recipe& recipe, const workflow::RunResult& result,
                        std::string startedUtc, double durationSeconds, int threads)
{
    if (!result.pipeline)
        throw core::InvalidParameter("makeRunRecord needs a finished run — the result has no fitted pipeline");
    RunRecord run;
    run.id = id;
    run.startedUtc = std::move(startedUtc);
    run.durationSeconds = durationSeconds;
    run.recipe = recipe;
    run.metrics = result.pipeline->metadata().testScores;
    if (const auto& cv = result.crossValidation) {
        run.metrics.push_back({"cv_mean", cv->mean});
        run.metrics.push_back({"cv_std", cv->std});
    }
    std::optional<double> validation;
    if (result.validationClassification)
        validation = evaluation::metricValue(*result.validationClassification, result.estimateCheck.metric);
    else if (result.validationRegression)
        validation = evaluation::metricValue(*result.validationRegression, result.estimateCheck.metric);
    if (validation)
        run.metrics.push_back({"validation_score", *validation});
    run.verdict = result.pipeline->metadata().verdict;
    if (const auto& latency = result.latencyVerdict) {
        std::string text = "latency p99 ";
        text.append(core::formatGeneral(latency->measuredMs, 3)).append(" ms within ");
        text.append(core::formatGeneral(latency->budgetMs, 3)).append(" ms — ");
        text.append(latency->passed ? "passed" : "failed");
        run.verdict.append(run.verdict.empty() ? "" : "; ").append(text);
    }
    // As the report's "success.passed": the metric and the latency budget together.
    if (result.verdict || result.latencyVerdict)
        run.passed = (!result.verdict || result.verdict->passed) &&
                     (!result.latencyVerdict || result.latencyVerdict->passed);
    run.reportJson = reportJson(recipe, result);
    run.manifest = makeManifest(result, threads);
    return run;
}

DataReference referenceData(const data::DataSource& source, bool embed)
{
    DataReference reference;
    if (source.kind != data::DataSourceKind::File) {
        // Built-in data hashes its bundled CSV without loading; generated data is made again.
        // Built-in and generated data are loaded (made again) as a run would load them.
        reference.sha256 = data::dataSha256(source, data::loadTable(source));
        return reference;
    }
    try {
        reference.sha256 = core::fileSha256Hex(source.location);
        reference.bytes = fs::file_size(source.location);
        if (embed) {
            std::ifstream in(source.location, std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            if (!in || in.bad())
                throw core::Error("reading it failed");
            reference.embedded = std::move(bytes).str();
            // The bytes embedded are the bytes hashed, even if the file changed in between.
            reference.sha256 = core::sha256Hex(*reference.embedded);
            reference.bytes = reference.embedded->size();
        }
    } catch (const fs::filesystem_error& error) {
        throw core::DataError("cannot read " + source.location + ": " + error.code().message() +
                              " — check that the file exists and is readable");
    } catch (const core::DataError&) {
        throw;
    } catch (const core::Error& error) {
        throw core::DataError("cannot read " + source.location + ": " + error.what() +
                              " — check that the file exists and is readable");
    }
    return reference;
}

std::string projectToJson(const Project& project, const fs::path& projectFile)
{
    Json dataJson = {{"sha256", project.data.sha256}, {"bytes", project.data.bytes}};
    if (project.recipe.data.kind == data::DataSourceKind::File) {
        // From the file as it is now; a project opened through its relative path (the
        // recipe's path gone) keeps pointing there.
        std::error_code error;
        const std::string& location = project.recipe.data.location;
        const std::string& seen = fs::exists(location, error) || project.data.relativePath.empty()
                                      ? location
                                      : project.data.relativePath;
        const std::string relative = projectFile.empty() ? project.data.relativePath : relativeDataPath(seen, projectFile);
        if (!relative.empty())
            dataJson["relative_path"] = relative;
    }
    if (project.data.embedded)
        dataJson["embedded"] = base64Encode(*project.data.embedded);

    Json runs = Json::array();
    for (const RunRecord& run : project.runs)
        runs.push_back(runObject(run));
    Json window = Json::object();
    for (const auto& [key, value] : project.windowState)
        window[key] = value;

    const std::string now = utcTimestamp();
    const Json all = {{"format", kProjectFormatVersion},
                      {"stepwise_version", core::kVersion},
                      {"created_utc", project.createdUtc.empty() ? now : project.createdUtc},
                      {"saved_utc", now},
                      {"recipe", Json::parse(workflow::recipeToJson(project.recipe))},
                      {"data", std::move(dataJson)},
                      {"runs", std::move(runs)},
                      {"window", std::move(window)}};
    return all.dump(2) + "\n";
}

Project projectFromJson(const std::string& text, const std::string& fileName)
{
    const Json all = parseProjectText(text, fileName);
    const Reader reader(fileName);
    if (!all.is_object())
        reader.fail("(top level)", "must be an object (it is " + Reader::typeName(all) + ")");
    // The format first: a newer file may have any other layout.
    const Json& format = reader.member(all, "format", "");
    if (!format.is_number_integer())
        reader.fail("format", "must be a whole number (it is " + Reader::typeName(format) + ")");
    if (format.is_number_unsigned() ? format.get<std::uint64_t>() > static_cast<std::uint64_t>(kProjectFormatVersion)
                                    : format.get<std::int64_t>() > kProjectFormatVersion) {
        std::string message = fileName + " was written by a newer Stepwise (format ";
        message.append(format.dump()).append("; this build reads up to ");
        message.append(std::to_string(kProjectFormatVersion)).append(") — update Stepwise to open it");
        throw core::ArchiveError(message);
    }
    if (format.get<std::int64_t>() < 1)
        reader.fail("format", "is " + format.dump() + "; project formats start at 1");

    Project project;
    project.createdUtc = reader.text(all, "created_utc", "");
    project.recipe = reader.recipe(all, "recipe", "");

    const Json& dataJson = reader.object(all, "data", "");
    project.data.sha256 = reader.text(dataJson, "sha256", "data");
    project.data.bytes = reader.unsignedInteger(dataJson, "bytes", "data");
    if (dataJson.contains("relative_path"))
        project.data.relativePath = reader.text(dataJson, "relative_path", "data");
    if (dataJson.contains("embedded")) {
        auto bytes = base64Decode(reader.text(dataJson, "embedded", "data"));
        if (!bytes)
            reader.fail("data.embedded", "is not base64 text");
        const std::string digest = core::sha256Hex(*bytes);
        if (digest != project.data.sha256)
            throw core::ArchiveError(fileName + ": the data embedded in the project has SHA-256 " +
                                     shortDigest(digest) + " but the project records " +
                                     shortDigest(project.data.sha256) +
                                     " — the file is damaged; use the original data file instead");
        project.data.embedded = std::move(bytes);
    }

    const Json& runs = reader.array(all, "runs", "");
    std::set<int> ids;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string path = "runs[" + std::to_string(i) + "]";
        RunRecord run = runFrom(reader, runs[i], path);
        if (!ids.insert(run.id).second)
            reader.fail(path + ".id", "is " + std::to_string(run.id) + ", the id of an earlier run");
        project.runs.push_back(std::move(run));
    }

    for (const auto& [key, value] : reader.object(all, "window", "").items()) {
        if (!value.is_string())
            reader.fail("window." + key, "must be text (it is " + Reader::typeName(value) + ")");
        project.windowState[key] = value.get<std::string>();
    }
    return project;
}

void saveProject(const Project& project, const fs::path& file)
{
    const std::string text = projectToJson(project, file);
    writeFileAtomically(file.string(), [&](std::ostream& out) { out << text; }, true);
}

Project loadProject(const fs::path& file)
{
    Project project = projectFromJson(readWholeFile(file), file.string());
    const fs::path folder = file.parent_path();
    data::DataSource& source = project.recipe.data;
    if (source.kind == data::DataSourceKind::File && !source.location.empty() &&
        fs::path(source.location).is_relative())
        source.location = (folder / source.location).lexically_normal().string();
    if (!project.data.relativePath.empty() && fs::path(project.data.relativePath).is_relative())
        project.data.relativePath = (folder / project.data.relativePath).lexically_normal().string();
    return project;
}

ResolvedData resolveProjectData(const Project& project, const fs::path& extractDir)
{
    ResolvedData resolved;
    resolved.source = project.recipe.data;
    const std::string& recorded = project.data.sha256;
    if (resolved.source.kind != data::DataSourceKind::File) {
        const std::string now = referenceData(resolved.source, false).sha256;
        if (!recorded.empty() && now != recorded) {
            resolved.check = DataCheck::Changed;
            resolved.message = resolved.source.describe() + " has changed since the project was saved (SHA-256 " +
                               shortDigest(now) + " instead of " + shortDigest(recorded) + ")";
        }
        return resolved;
    }

    std::error_code error;
    const std::string original = resolved.source.location;
    if (!fs::is_regular_file(original, error) && !project.data.relativePath.empty() &&
        fs::is_regular_file(project.data.relativePath, error))
        resolved.source.location = project.data.relativePath;  // moved together with the project

    const auto useEmbedded = [&](const std::string& why) {
        resolved.source.location = extractEmbedded(project, extractDir).string();
        resolved.check = DataCheck::UsedEmbedded;
        resolved.message = why + "; using the copy embedded in the project";
    };
    if (!fs::is_regular_file(resolved.source.location, error)) {
        if (project.data.embedded) {
            useEmbedded(original + " is missing");
        } else {
            resolved.check = DataCheck::Missing;
            resolved.message = original + " is missing and the project holds no copy of it";
        }
        return resolved;
    }
    std::string now;
    try {
        now = core::fileSha256Hex(resolved.source.location);
    } catch (const core::Error& e) {
        throw core::DataError(std::string(e.what()));
    }
    if (recorded.empty() || now == recorded)
        return resolved;
    const std::string changed = resolved.source.location + " has changed since the project was saved (SHA-256 " +
                                shortDigest(now) + " instead of " + shortDigest(recorded) + ")";
    if (project.data.embedded) {
        useEmbedded(changed);
    } else {
        resolved.check = DataCheck::Changed;
        resolved.message = changed;
    }
    return resolved;
}

std::vector<FieldChange> recipeDiff(const workflow::Recipe& before, const workflow::Recipe& after)
{
    const nlohmann::json a = nlohmann::json::parse(workflow::recipeToJson(before));
    const nlohmann::json b = nlohmann::json::parse(workflow::recipeToJson(after));
    std::vector<FieldChange> changes;
    diffJson(&a, &b, "", changes);
    return changes;
}

std::vector<MetricChange> metricDiff(const RunRecord& before, const RunRecord& after)
{
    const auto find = [](const RunRecord& run, const std::string& metric) -> std::optional<double> {
        for (const workflow::NamedScore& score : run.metrics)
            if (score.metric == metric)
                return score.value;
        return std::nullopt;
    };
    std::vector<MetricChange> changes;
    for (const workflow::NamedScore& score : after.metrics)
        changes.push_back({score.metric, find(before, score.metric), score.value});
    for (const workflow::NamedScore& score : before.metrics)
        if (!find(after, score.metric))
            changes.push_back({score.metric, score.value, std::nullopt});
    return changes;
}

} // namespace stepwise::io
