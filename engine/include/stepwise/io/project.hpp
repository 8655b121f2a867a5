#pragma once
/// \file
/// \brief Projects (`.stepwise-project`): the recipe, a reference to the data (path and
/// SHA-256, optionally the data itself), every training run with its results, and the
/// window state — what a user needs to come back to a session, and what `stepwise-cli
/// run` replays.
///
/// The file is JSON (UTF-8), written atomically. `"format"` is the project format
/// version; a newer version is refused with `ArchiveError` (exit 4), never half-read.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/pipeline.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::io {

/// \brief The project format this build writes (and the newest it reads).
inline constexpr int kProjectFormatVersion = 1;
/// \brief The file name extension, with the dot.
inline constexpr const char* kProjectExtension = ".stepwise-project";

/// \brief The current time in UTC, ISO 8601 to the second ("2026-11-24T10:15:02Z"): the
/// timestamps of runs and projects.
std::string utcTimestamp();

/// \brief What a run was made with, so anyone can tell whether a re-run can give the
/// same numbers: versions, seed, data digest, threads and machine.
struct RunManifest {
    std::string stepwiseVersion;
    /// \brief {"eigen", "3.4.0"}, {"boost", "1.74"}, … (PipelineMetadata::libraryVersions).
    std::vector<std::pair<std::string, std::string>> libraryVersions;
    std::uint64_t seed = 0;
    std::string dataSha256;       ///< as PipelineMetadata::dataSha256
    std::string dataDescription;  ///< "titanic, 891 rows × 12 columns"
    int threads = 0;              ///< engine threads the run used
    std::string platform;         ///< operating system, kernel and architecture: "Linux 6.1.0-18 x86_64"
    std::string compiler;         ///< "GCC 12.2.0"
    std::string cpu;              ///< processor model name, when the system says
};

/// \brief The manifest of `result` (its pipeline's metadata) made on this machine with
/// `threads` engine threads.
RunManifest makeManifest(const workflow::RunResult& result, int threads);
/// \brief The manifest as a JSON object text (the report's and the project's "manifest").
std::string manifestToJson(const RunManifest& manifest);

/// \brief One training run: what was trained, how it scored, how long it took.
struct RunRecord {
    int id = 0;                   ///< 1, 2, … in the order of the runs; never reused
    std::string startedUtc;       ///< ISO 8601, e.g. "2026-11-24T10:15:02Z"
    double durationSeconds = 0.0; ///< wall clock of the whole run
    workflow::Recipe recipe;      ///< the recipe as trained (seed included)
    /// \brief The test metrics under the report's names, in report order, then
    /// "cv_mean" and "cv_std" with cross-validation and "validation_score" with a
    /// validation set.
    std::vector<workflow::NamedScore> metrics;
    std::string verdict;          ///< the success verdict in words; empty without a criterion
    std::optional<bool> passed;   ///< the verdict; nullopt without a criterion
    std::string reportJson;       ///< the full report JSON (`io::reportJson`) of the run
    RunManifest manifest;
    std::string note;             ///< the user's label for the run (may be empty)
};

/// \brief A record of `result`, produced by `recipe`, which started at `startedUtc` and
/// took `durationSeconds`; the manifest records `threads`.
RunRecord makeRunRecord(int id, const workflow::Recipe& recipe, const workflow::RunResult& result,
                        std::string startedUtc, double durationSeconds, int threads);

/// \brief The data a project was made with.
struct DataReference {
    /// \brief SHA-256 (hex) of the data as the runs compute it (PipelineMetadata::dataSha256:
    /// the file's bytes, the bundled CSV, or the generated table as CSV).
    std::string sha256;
    std::uint64_t bytes = 0;  ///< the file's size; 0 for built-in and generated data
    /// \brief The file's bytes, when the user chose to embed the data in the project.
    std::optional<std::string> embedded;
    /// \brief Where the file was seen from the project's folder when it was saved (the
    /// file's "relative_path"); `loadProject` joins it to the project's folder, so it is the
    /// place to look when the recipe's path is gone (project and data moved together).
    /// Empty when unknown; `projectToJson` with a project file recomputes it.
    std::string relativePath;
};

/// \brief The reference to the recipe's data source as it is now: its digest and size,
/// and with `embed` the file's bytes too (file sources only; built-in and generated data
/// are re-created from the recipe). Throws `DataError` when the file cannot be read.
DataReference referenceData(const data::DataSource& source, bool embed);

/// \brief A whole project.
struct Project {
    workflow::Recipe recipe;   ///< the current recipe (recipe.data is the source)
    DataReference data;
    std::vector<RunRecord> runs;  ///< oldest first
    /// \brief The window's state, opaque to the engine: current page, Learn panel,
    /// presentation mode, geometry (base64), … as the GUI writes it.
    std::map<std::string, std::string> windowState;
    std::string createdUtc;    ///< ISO 8601; set by the first save when empty
};

/// \brief The project as JSON text. File paths are written as given and, when `projectFile`
/// is not empty, also relative to its folder (so a project moved with its data still finds it).
std::string projectToJson(const Project& project, const std::filesystem::path& projectFile = {});
/// \brief Parses what `projectToJson` wrote. Throws `ArchiveError` naming `fileName`
/// and the bad field (malformed JSON names the line and column), or saying the format
/// is newer than this build reads. Embedded data is checked against its digest.
Project projectFromJson(const std::string& text, const std::string& fileName);
/// \brief Writes the project atomically (temporary file, then rename). Throws `Error`
/// when the file cannot be written; the previous file is then unchanged.
void saveProject(const Project& project, const std::filesystem::path& file);
/// \brief Reads a project file; relative data paths are resolved against its folder.
/// Throws `ArchiveError` (see projectFromJson), also when the file cannot be read.
Project loadProject(const std::filesystem::path& file);

/// \brief How the project's data compares with what it was made with.
enum class DataCheck {
    Unchanged,     ///< the source has the recorded digest (or none was recorded)
    Changed,       ///< the file exists but its digest differs
    Missing,       ///< the file is gone and nothing is embedded
    UsedEmbedded,  ///< the file is gone or changed; the embedded copy is used instead
};
/// \brief The source to load for a project and how it compares with the recorded data.
struct ResolvedData {
    data::DataSource source;
    DataCheck check = DataCheck::Unchanged;
    /// \brief One line for the user when the check is not Unchanged, e.g. "titanic.csv has
    /// changed since the project was saved (SHA-256 ab12… instead of cd34…)".
    std::string message;
};
/// \brief Where to load the project's data from. An embedded copy is written once to
/// `extractDir` (created when needed) and used when the file is gone or changed.
ResolvedData resolveProjectData(const Project& project, const std::filesystem::path& extractDir);

/// \brief One field that differs between two recipes.
struct FieldChange {
    std::string field;   ///< dotted path in the recipe JSON: "model.params.max_depth", "prep.steps[2].params.strategy"
    std::string before;  ///< JSON text of the value; empty when the field was absent
    std::string after;
};
/// \brief The fields that differ from `before` to `after`, in recipe JSON order (arrays
/// element by element).
std::vector<FieldChange> recipeDiff(const workflow::Recipe& before, const workflow::Recipe& after);

/// \brief One metric of two runs side by side.
struct MetricChange {
    std::string metric;
    std::optional<double> before;  ///< absent when the first run did not have it
    std::optional<double> after;
};
/// \brief Every metric either run has, in the order of `after` then the ones only `before` has.
std::vector<MetricChange> metricDiff(const RunRecord& before, const RunRecord& after);

} // namespace stepwise::io
