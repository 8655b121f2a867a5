#include "commands.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "progress_bar.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/core/threads.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/data/profile.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/io/atomic_file.hpp"
#include "stepwise/io/model_archive.hpp"
#include "stepwise/io/model_card.hpp"
#include "stepwise/io/onnx_export.hpp"
#include "stepwise/io/project.hpp"
#include "stepwise/io/python_export.hpp"
#include "stepwise/io/report.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/core/digest.hpp"
#include "stepwise/workflow/misconceptions.hpp"
#include "stepwise/workflow/pipeline_evaluation.hpp"
#include "stepwise/workflow/runner.hpp"
#include "stepwise/workflow/scoring.hpp"

namespace stepwise::cli {
namespace {

std::atomic<core::TaskControl*> g_activeControl{nullptr};

// Makes `control` the one Ctrl-C cancels while it is in scope.
class ActiveControl {
public:
    explicit ActiveControl(core::TaskControl& control) { g_activeControl.store(&control); }
    ~ActiveControl() { g_activeControl.store(nullptr); }
    ActiveControl(const ActiveControl&) = delete;
    ActiveControl& operator=(const ActiveControl&) = delete;
};

void applyCommon(const CommonOptions& common)
{
    if (common.threads != 0)
        core::setThreadCount(common.threads);
}

void warn(const std::string& message) { std::fprintf(stderr, "stepwise-cli: warning: %s\n", message.c_str()); }

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string fixed(double value, int digits = 4)
{
    return core::formatFixed(value, digits);
}

std::map<std::string, std::string> parseParams(const std::vector<std::string>& pairs)
{
    std::map<std::string, std::string> params;
    for (const std::string& pair : pairs) {
        const auto equals = pair.find('=');
        if (equals == std::string::npos || equals == 0)
            throw core::InvalidParameter("--param '" + pair + "' is not KEY=VALUE — write e.g. --param n_estimators=200");
        const std::string key = pair.substr(0, equals);
        if (params.count(key))
            throw core::InvalidParameter("--param " + key + " is given twice — give each parameter once");
        params[key] = pair.substr(equals + 1);
    }
    return params;
}

std::vector<std::string> splitCommas(const std::string& text)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        parts.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos)
            return parts;
        start = comma + 1;
    }
}

char parseDelimiter(const std::string& text)
{
    if (text == "tab" || text == "\\t" || text == "\t")
        return '\t';
    if (text == "comma")
        return ',';
    if (text == "semicolon")
        return ';';
    if (text == "pipe")
        return '|';
    if (text == "space")
        return ' ';
    if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r')
        return text[0];
    throw core::InvalidParameter("--delimiter '" + text +
                                 "' is not allowed — use one character (e.g. ; or |) or tab, comma, semicolon, "
                                 "pipe, space");
}

char parseThousands(const std::string& text)
{
    if (text == "none")
        return 0;
    if (text == "space" || text == " ")
        return ' ';
    if (text == "," || text == "." || text == "'" || text == "_")
        return text[0];
    throw core::InvalidParameter("--thousands '" + text + "' is not allowed — use , . ' _ space or none");
}

void requireFormat(const std::string& flag, bool given, bool applies, const std::string& where,
                   const std::string& data)
{
    if (given && !applies)
        throw core::InvalidParameter(flag + " applies to " + where + ", not to " + data +
                                     " — leave it out or give a matching file");
}

// DATA and the reading flags → the data source (validated: bad values are usage errors).
data::DataSource dataSourceFrom(const std::string& location, const ReadFlags& flags)
{
    data::DataSource source = data::parseDataLocation(location);
    data::ReadOptions& read = source.read;
    const bool file = source.kind == data::DataSourceKind::File;
    const data::FileFormat format = file ? data::fileFormatOf(source.location) : data::FileFormat::Csv;
    const bool csv = file && format == data::FileFormat::Csv;
    const bool xlsx = file && format == data::FileFormat::Xlsx;
    const bool sqlite = file && format == data::FileFormat::Sqlite;
    requireFormat("--sheet", !flags.sheet.empty(), xlsx, ".xlsx files", location);
    requireFormat("--table", !flags.table.empty(), sqlite, ".sqlite/.db files", location);
    requireFormat("--query", !flags.query.empty(), sqlite, ".sqlite/.db files", location);
    requireFormat("--na", flags.naGiven, file, "data files", location);
    requireFormat("--delimiter", !flags.delimiter.empty(), csv, "CSV/TSV files", location);
    requireFormat("--decimal", !flags.decimal.empty(), csv, "CSV/TSV files", location);
    requireFormat("--thousands", !flags.thousands.empty(), csv, "CSV/TSV files", location);
    requireFormat("--encoding", !flags.encoding.empty(), csv, "CSV/TSV files", location);
    read.sheet = flags.sheet;
    read.table = flags.table;
    read.query = flags.query;
    if (flags.naGiven)
        read.csv.missingMarkers = splitCommas(flags.na);
    if (!flags.delimiter.empty())
        read.csv.delimiter = parseDelimiter(flags.delimiter);
    if (!flags.decimal.empty()) {
        if (flags.decimal != "." && flags.decimal != ",")
            throw core::InvalidParameter("--decimal '" + flags.decimal + "' is not allowed — use . or ,");
        read.csv.decimal = flags.decimal[0];
    }
    if (!flags.thousands.empty())
        read.csv.thousands = parseThousands(flags.thousands);
    if (read.csv.thousands != 0 && read.csv.thousands == read.csv.decimal)
        throw core::InvalidParameter(std::string("--thousands and --decimal are both '") + read.csv.decimal +
                                     "' — they must differ");
    if (!flags.encoding.empty()) {
        const auto encoding = data::textEncodingFromString(flags.encoding);
        if (!encoding)
            throw core::InvalidParameter("--encoding '" + flags.encoding + "' is not allowed — use auto, utf-8 or latin-1");
        read.csv.encoding = *encoding;
    }
    for (const std::string& type : flags.types) {
        // Column names may hold '='; kinds never do.
        const auto equals = type.rfind('=');
        const std::string column = equals == std::string::npos ? std::string() : type.substr(0, equals);
        const std::string kindName = equals == std::string::npos ? std::string() : type.substr(equals + 1);
        const auto kind = data::columnKindFromString(kindName);
        if (column.empty() || !kind)
            throw core::InvalidParameter("--type '" + type +
                                         "' is not COL=KIND with KIND one of numeric, integer, boolean, datetime, "
                                         "categorical, text — write e.g. --type zip=categorical");
        read.columnKinds.push_back({column, *kind});
    }
    return source;
}

// The test file is read like DATA; the sheet, table or query only when it has that format.
data::DataSource testSourceFrom(const std::string& location, const data::DataSource& trainSource)
{
    data::DataSource source = data::parseDataLocation(location);
    source.read = trainSource.read;
    const bool file = source.kind == data::DataSourceKind::File;
    const data::FileFormat format = file ? data::fileFormatOf(location) : data::FileFormat::Csv;
    if (!file || format != data::FileFormat::Xlsx)
        source.read.sheet.clear();
    if (!file || format != data::FileFormat::Sqlite) {
        source.read.table.clear();
        source.read.query.clear();
    }
    return source;
}

// Prefixes an engine message with the flag it came from.
template <typename Work>
auto forFlag(const std::string& flag, Work&& work)
{
    try {
        return work();
    } catch (const core::InvalidParameter& error) {
        throw core::InvalidParameter(flag + ": " + error.what());
    }
}

// `MODEL[:K=V;K=V...]` of --compare.
workflow::ModelChoice parseCompare(const std::string& text)
{
    const auto colon = text.find(':');
    workflow::ModelChoice choice;
    choice.name = text.substr(0, colon);
    if (choice.name.empty())
        throw core::InvalidParameter("--compare '" + text +
                                     "' names no model — write MODEL or MODEL:K=V;K=V, e.g. --compare knn:n_neighbors=7");
    if (colon == std::string::npos)
        return choice;
    std::size_t start = colon + 1;
    for (;;) {
        const auto semicolon = text.find(';', start);
        const std::string pair = text.substr(start, semicolon == std::string::npos ? std::string::npos : semicolon - start);
        const auto equals = pair.find('=');
        if (equals == std::string::npos || equals == 0)
            throw core::InvalidParameter("--compare '" + text + "': '" + pair +
                                         "' is not KEY=VALUE — write e.g. --compare knn:n_neighbors=7;weights=distance");
        const std::string key = pair.substr(0, equals);
        if (choice.params.count(key))
            throw core::InvalidParameter("--compare '" + text + "' gives " + key + " twice — give each parameter once");
        choice.params[key] = pair.substr(equals + 1);
        if (semicolon == std::string::npos)
            return choice;
        start = semicolon + 1;
    }
}

void applySearchFlags(const TrainOptions& options, workflow::Recipe& recipe)
{
    if (options.search.empty() && options.grid.empty()) {
        if (!options.scoring.empty())
            throw core::InvalidParameter("--scoring ranks the candidates of a search — add --search grid and "
                                         "--grid KEY=V1,V2,...");
        return;
    }
    // --grid alone means a grid search.
    workflow::SearchSpec spec =
        options.search.empty() ? workflow::SearchSpec{}
                               : forFlag("--search", [&] { return workflow::parseSearchKind(options.search); });
    for (const std::string& values : options.grid)
        forFlag("--grid", [&] { workflow::addSearchValues(spec, values); });
    if (spec.space.empty())
        throw core::InvalidParameter("--search " + options.search +
                                     " needs the values to try — add --grid KEY=V1,V2,... (repeatable), e.g. "
                                     "--grid max_depth=5,10,none");
    if (!options.scoring.empty()) {
        const auto& known = evaluation::metricsFor(recipe.problem.task);
        if (std::none_of(known.begin(), known.end(), [&](const auto& info) { return info.name == options.scoring; })) {
            std::string names;
            for (const auto& info : known)
                names.append(names.empty() ? "" : ", ").append(info.name);
            throw core::InvalidParameter("--scoring " + options.scoring + " is not a " +
                                         core::toString(recipe.problem.task) + " metric — use one of: " + names);
        }
        spec.scoring = options.scoring;
    }
    recipe.search = std::move(spec);
}

workflow::Recipe recipeFromOptions(const TrainOptions& options)
{
    workflow::Recipe recipe;
    const auto task = core::parseTaskType(options.task);
    if (!task)
        throw core::InvalidParameter("--task " + options.task + " is not allowed — use classification or regression");
    recipe.problem.task = *task;
    recipe.problem.target = options.target;
    if (!options.success.empty())
        recipe.problem.success = evaluation::parseSuccessCriterion(options.success, *task);
    if (const auto& budget = options.maxLatencyMs) {
        if (!(*budget > 0.0) || !std::isfinite(*budget))
            throw core::InvalidParameter("--max-latency " + data::formatNumber(*budget) +
                                         " is not allowed — give a positive number of milliseconds (> 0), e.g. "
                                         "--max-latency 50");
        recipe.problem.maxLatencyMs = *budget;
    }
    recipe.data = dataSourceFrom(options.data, options.read);
    recipe.prep.dropColumns = options.drop;
    recipe.prep.testSize = options.testSize;
    recipe.prep.validationSize = options.validationSize;
    recipe.prep.timeColumn = options.timeColumn;
    recipe.prep.stratify =
        !options.noStratify && *task == core::TaskType::Classification && options.timeColumn.empty();
    applyStepFlags(options.steps, recipe);
    if (!options.cv.empty())
        recipe.crossValidation = evaluation::parseCvSpec(options.cv);
    recipe.model.name = options.model;
    recipe.model.params = parseParams(options.params);
    recipe.seed = options.seed;
    applySearchFlags(options, recipe);
    for (const std::string& text : options.compare)
        recipe.compareWith.push_back(parseCompare(text));
    return recipe;
}

void printClassificationSummary(const evaluation::ClassificationMetrics& m, const std::vector<std::string>& classes,
                                const char* heading)
{
    const auto optional = [](const std::optional<double>& v) { return v ? fixed(*v) : std::string("n/a"); };
    std::printf("%s\n", heading);
    std::printf("  accuracy          %s\n", fixed(m.accuracy).c_str());
    std::printf("  precision_macro   %s\n", fixed(m.precisionMacro).c_str());
    std::printf("  recall_macro      %s\n", fixed(m.recallMacro).c_str());
    std::printf("  f1_macro          %s\n", fixed(m.f1Macro).c_str());
    std::printf("  f1_weighted       %s\n", fixed(m.f1Weighted).c_str());
    std::printf("  roc_auc           %s\n", optional(m.rocAuc).c_str());
    std::printf("  log_loss          %s\n\n", optional(m.logLoss).c_str());
    std::printf("%s\n", evaluation::classificationReport(m, classes).c_str());
}

void printRegressionSummary(const evaluation::RegressionMetrics& m, const char* heading)
{
    std::printf("%s\n", heading);
    std::printf("  r2     %s\n  rmse   %s\n  mae    %s\n  mse    %s\n\n", fixed(m.r2).c_str(), fixed(m.rmse).c_str(),
                fixed(m.mae).c_str(), fixed(m.mse).c_str());
}

void printLatency(const workflow::LatencyMeasurement& latency)
{
    std::printf("Latency (%zu single-row predictions through the whole pipeline): median %s ms, p99 %s ms, max %s ms\n",
                latency.samples, fixed(latency.medianMs, 3).c_str(), fixed(latency.p99Ms, 3).c_str(),
                fixed(latency.maxMs, 3).c_str());
}

// The verdict on the problem's success criterion and latency budget; with both, one line
// says whether the model meets the whole criterion.
void printVerdict(const std::optional<evaluation::SuccessVerdict>& verdict,
                  const std::optional<evaluation::LatencyVerdict>& latency)
{
    if (verdict) {
        const auto& v = *verdict;
        std::printf("Success criterion %s: %s → %s\n", v.criterion.toString().c_str(),
                    v.value ? fixed(*v.value).c_str() : "not measurable", v.passed ? "PASSED" : "NOT MET");
    }
    if (latency)
        std::printf("Latency budget %s ms: p99 %s ms → %s\n", data::formatNumber(latency->budgetMs).c_str(),
                    fixed(latency->measuredMs, 3).c_str(), latency->passed ? "PASSED" : "NOT MET");
    if (verdict && latency) {
        const bool passed = verdict->passed && latency->passed;
        const char* failed = !verdict->passed && !latency->passed ? " (metric and latency)"
                             : !verdict->passed                   ? " (metric)"
                             : !latency->passed                   ? " (latency)"
                                                                  : "";
        std::printf("Verdict (metric and latency): %s%s\n", passed ? "PASSED" : "NOT MET", failed);
    }
}

// The training, held-out and test scores side by side, and what their gaps mean.
void printEstimateCheck(const workflow::EstimateCheck& check)
{
    const auto value = [](const std::optional<double>& v) { return v ? fixed(*v) : std::string("n/a"); };
    std::printf("Estimate check (%s): train %s", check.metric.c_str(), value(check.train).c_str());
    if (check.estimate) {
        std::printf(", %s %s", check.estimateSource.c_str(), value(check.estimate).c_str());
        if (check.estimateSource == "cross-validation")
            std::printf(" ± %s", fixed(check.estimateSpread).c_str());
    }
    std::printf(", test %s\n", value(check.test).c_str());
    for (const std::string& warning : check.warnings)
        std::printf("  Warning: %s\n", warning.c_str());
}

std::string paramsText(const std::map<std::string, std::string>& params)
{
    std::string text;
    for (const auto& [name, value] : params)
        text.append(text.empty() ? "" : " ").append(name).append("=").append(value);
    return text;
}

void printSearch(const workflow::SearchResult& search, double seconds)
{
    const workflow::SearchCandidate& best = search.candidates[search.best];
    std::printf("Search (%s, %zu candidates, %s, %s, %.2f s): best %s ± %s with %s\n", search.kind.c_str(),
                search.candidates.size(), search.strategy.c_str(), search.metric.c_str(), seconds,
                fixed(best.mean).c_str(), fixed(best.std).c_str(), paramsText(best.params).c_str());
    std::vector<std::size_t> order(search.candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return search.candidates[a].rank < search.candidates[b].rank;
    });
    constexpr std::size_t kShown = 10;
    std::printf("  rank  mean ± std         fit s  params\n");
    for (std::size_t k = 0; k < std::min(order.size(), kShown); ++k) {
        const workflow::SearchCandidate& c = search.candidates[order[k]];
        const std::string score = fixed(c.mean) + " ± " + fixed(c.std);
        std::printf("  %4d  %-17s  %6.2f  %s\n", c.rank, score.c_str(), c.fitSeconds, paramsText(c.params).c_str());
    }
    if (order.size() > kShown)
        std::printf("  … %zu more in the report\n", order.size() - kShown);
    std::printf("\n");
}

void printLeaderboard(const workflow::RunResult& result)
{
    const std::string& metric = result.leaderboardMetric;
    std::printf("Leaderboard (%s on the %s, best first; * = the kept model)\n", metric.c_str(),
                result.leaderboardRankedOn.c_str());
    struct Row {
        std::string model, score, test, seconds;
    };
    std::vector<Row> rows = {{"model", "score", "test " + metric, "fit s"}};
    for (const workflow::LeaderboardEntry& entry : result.leaderboard) {
        std::optional<double> test;
        if (entry.classification)
            test = evaluation::metricValue(*entry.classification, metric);
        else if (entry.regression)
            test = evaluation::metricValue(*entry.regression, metric);
        std::string score = "n/a";
        if (entry.crossValidation)
            score = fixed(entry.crossValidation->mean) + " ± " + fixed(entry.crossValidation->std);
        else if (result.leaderboardRankedOn == "validation rows" && entry.validationScore)
            score = fixed(*entry.validationScore);
        else if (result.leaderboardRankedOn == "test rows" && test)
            score = fixed(*test);
        std::string model = entry.model.name + (entry.kept ? " *" : "");
        if (!entry.model.params.empty())
            model.append(" (").append(paramsText(entry.model.params)).append(")");
        rows.push_back({model, score, test ? fixed(*test) : "n/a", fixed(entry.fitSeconds, 2)});
    }
    // Column widths in characters, not bytes ("±" is two bytes).
    const auto length = [](const std::string& text) {
        return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    };
    std::size_t widths[3] = {0, 0, 0};
    for (const Row& row : rows) {
        widths[0] = std::max(widths[0], length(row.model));
        widths[1] = std::max(widths[1], length(row.score));
        widths[2] = std::max(widths[2], length(row.test));
    }
    const auto pad = [&](const std::string& text, std::size_t width) {
        return text + std::string(width - length(text), ' ');
    };
    for (std::size_t i = 0; i < rows.size(); ++i)
        std::printf("  %2s  %s  %s  %s  %s\n", i == 0 ? "#" : std::to_string(i).c_str(), pad(rows[i].model, widths[0]).c_str(),
                    pad(rows[i].score, widths[1]).c_str(), pad(rows[i].test, widths[2]).c_str(), rows[i].seconds.c_str());
    std::printf("\n");
}

std::vector<std::string> actualTexts(const data::Table& table, const std::string& target,
                                     const std::vector<std::size_t>& rows)
{
    std::vector<std::string> actual;
    if (!table.hasColumn(target))
        return actual;
    const data::Column& column = table.column(target);
    for (std::size_t row : rows)
        actual.push_back(column.textAt(row));
    return actual;
}

std::string describeKind(const data::ColumnProfile& column)
{
    if (column.min && column.kind == "datetime") {
        std::string range = "[";
        range.append(data::formatProfileValue(column, *column.min)).append(", ");
        return range.append(data::formatProfileValue(column, *column.max)).append("]");
    }
    if (column.min)
        return fixed(*column.mean, 3) + " ± " + fixed(column.std.value_or(0.0), 3) + "  [" +
               data::formatNumber(*column.min) + ", " + data::formatNumber(*column.max) + "]";
    std::string top;
    for (const auto& [value, count] : column.top) {
        if (!top.empty())
            top += ", ";
        top += value + " (" + std::to_string(count) + ")";
    }
    return top;
}

} // namespace

void cancelRunningCommand()
{
    if (core::TaskControl* control = g_activeControl.load())
        control->cancel();
}

int runGenerate(const GenerateOptions& o, const CommonOptions& common)
{
    applyCommon(common);
    data::Table table;
    if (o.kind == "classification") {
        data::ClassificationSpec spec;
        spec.samples = o.rows;
        spec.features = o.features;
        spec.classes = o.classes;
        // scikit-learn's defaults, raised when too few informative features are left
        // for the number of classes (classes × clusters must fit 2^informative).
        int needed = 2;
        while ((1 << needed) < o.classes * spec.clustersPerClass)
            ++needed;
        spec.informative = o.informative.value_or(std::min(o.features, needed));
        spec.redundant = o.redundant.value_or(std::max(0, std::min(2, o.features - spec.informative)));
        spec.flipY = o.noise.value_or(spec.flipY);
        spec.classSep = o.classSep.value_or(spec.classSep);
        spec.weights = o.weights;
        spec.seed = o.seed;
        table = data::makeClassification(spec);
    } else if (o.kind == "regression") {
        data::RegressionSpec spec;
        spec.samples = o.rows;
        spec.features = o.features;
        spec.informative = o.informative.value_or(std::min(10, o.features));
        spec.noise = o.noise.value_or(0.0);
        spec.seed = o.seed;
        table = data::makeRegression(spec);
    } else {
        data::BlobsSpec spec;
        spec.samples = o.rows;
        spec.features = o.features;
        spec.centers = o.classes;
        spec.clusterStd = o.noise.value_or(spec.clusterStd);
        spec.seed = o.seed;
        table = data::makeBlobs(spec);
    }
    data::writeCsvFile(table, o.out);
    if (!common.quiet)
        std::printf("Wrote %zu rows × %zu columns to %s\n", table.rowCount(), table.columnCount(), o.out.c_str());
    return 0;
}

namespace {

// Where a run's results go: the same files for train and run.
struct RunOutputs {
    std::string model;  // --out
    io::ModelSaveOptions modelSave;
    std::string report;
    std::string predictions;
};

// A folder that cannot take the outputs is said before the data is loaded and trained on,
// not after minutes of work.
void checkOutputFolders(const RunOutputs& outputs, const std::string& project)
{
    for (const std::string* path : {&outputs.model, &outputs.report, &outputs.predictions, &project})
        if (!path->empty())
            io::checkFolderTakesFiles(*path);
}

// The data loaded and the recipe run on it, with a progress bar and Ctrl-C.
struct LoadedRun {
    data::Table table;
    std::optional<data::Table> testTable;
    workflow::RunResult result;
    std::string startedUtc;
    double seconds = 0.0;  // wall clock: loading and running
};

LoadedRun loadAndRun(const workflow::Recipe& recipe, const std::optional<data::DataSource>& testSource,
                     const CommonOptions& common)
{
    ProgressBar bar(!common.quiet && stderrIsTerminal());
    core::TaskControl control(&bar);
    ActiveControl active(control);

    LoadedRun run;
    run.startedUtc = io::utcTimestamp();
    const auto start = std::chrono::steady_clock::now();
    run.table = data::loadTable(recipe.data, &control);
    if (testSource)
        run.testTable = data::loadTable(*testSource, &control);
    const double loadSeconds = secondsSince(start);
    run.result = workflow::runRecipe(recipe, run.table, run.testTable ? &*run.testTable : nullptr, control);
    run.result.timings.loadSeconds = loadSeconds;
    run.seconds = secondsSince(start);
    bar.finish();
    return run;
}

void writeRunOutputs(const workflow::Recipe& recipe, const LoadedRun& run, const RunOutputs& outputs)
{
    const workflow::RunResult& result = run.result;
    if (!outputs.model.empty())
        io::saveModel(*result.pipeline, outputs.model, outputs.modelSave);
    if (!outputs.report.empty())
        io::writeFileAtomically(outputs.report, [&](std::ostream& out) { out << io::reportJson(recipe, result); });
    if (!outputs.predictions.empty()) {
        const data::Table& evaluated = run.testTable ? *run.testTable : run.table;
        const auto actual = actualTexts(evaluated, recipe.problem.target, result.testRows);
        io::writeFileAtomically(outputs.predictions, [&](std::ostream& out) {
            io::writePredictionsCsv(out, *result.pipeline, result.testRows, actual, result.testPredictions, true);
        });
    }
}

void warnAboutRun(const workflow::RunResult& result)
{
    for (const std::string& warning : result.warnings)
        warn(warning);
    for (const workflow::AuditFinding& finding : result.audit)
        if (finding.severity != workflow::AuditSeverity::Info)
            warn(std::string(finding.severity == workflow::AuditSeverity::Leak ? "leak: " : "audit: ") +
                 finding.message + " " + finding.fix);
}

void printRunSummary(const workflow::Recipe& recipe, const workflow::RunResult& result, const std::string& modelOut)
{
    std::string validation;
    if (!result.validationRows.empty())
        validation = std::to_string(result.validationRows.size()) + " validation rows, ";
    std::printf("Trained %s on %s: %zu training rows, %s%zu test rows%s, seed %llu, %.2f s\n",
                recipe.model.name.c_str(), recipe.data.describe().c_str(), result.trainRowCount, validation.c_str(),
                result.testRows.size(), result.separateTestData ? " (separate test data)" : "",
                static_cast<unsigned long long>(recipe.seed), result.timings.fitSeconds);
    std::printf("Pipeline (fitted on the training rows):\n");
    for (std::size_t i = 0; i < result.pipeline->steps().size(); ++i)
        std::printf("  %zu. %s\n", i + 1, result.pipeline->steps()[i]->describe().c_str());
    for (const std::string& step : result.trainingOnlySteps)
        std::printf("  training rows only: %s\n", step.c_str());
    // What the fit itself says (e.g. the forest's out-of-bag score); a fit that did
    // not converge is already among the warnings.
    if (result.fit.converged && !result.fit.message.empty())
        std::printf("Model: %s\n", result.fit.message.c_str());
    std::printf("\n");
    if (const auto& cv = result.crossValidation) {
        std::printf("Cross-validation on the training rows (%s, %s): %s ± %s —", cv->strategy.c_str(),
                    cv->metric.c_str(), fixed(cv->mean).c_str(), fixed(cv->std).c_str());
        for (double score : cv->scores)
            std::printf(" %s", fixed(score).c_str());
        std::printf("\n\n");
    }
    if (result.search)
        printSearch(*result.search, result.timings.searchSeconds);
    if (!result.leaderboard.empty())
        printLeaderboard(result);
    if (result.classification)
        printClassificationSummary(*result.classification, result.pipeline->classes(), "Test metrics");
    else
        printRegressionSummary(*result.regression, "Test metrics");
    printEstimateCheck(result.estimateCheck);
    printLatency(result.latency);
    printVerdict(result.verdict, result.latencyVerdict);
    if (!modelOut.empty())
        std::printf("Model saved to %s\n", modelOut.c_str());
}

// The recipe as a project keeps it: a file by its absolute path, since the project may be
// opened from any folder (the project also records the path from its own folder).
workflow::Recipe projectRecipe(workflow::Recipe recipe)
{
    if (recipe.data.kind == data::DataSourceKind::File)
        recipe.data.location = std::filesystem::absolute(recipe.data.location).lexically_normal().string();
    return recipe;
}

// A metric value in full, so any difference between runs shows.
std::string exact(const std::optional<double>& value)
{
    if (!value)
        return "absent";
    return core::formatGeneral(*value, 17);
}

bool sameValue(const std::optional<double>& a, const std::optional<double>& b)
{
    if (!a || !b)
        return !a && !b;
    return *a == *b || (std::isnan(*a) && std::isnan(*b));
}

// This run's metrics against the project's last recorded run, on stderr.
void compareWithLastRun(const io::Project& project, const io::RunRecord& now)
{
    if (project.runs.empty()) {
        std::fprintf(stderr, "stepwise-cli: the project has no recorded run to compare with\n");
        return;
    }
    const io::RunRecord& last = project.runs.back();
    if (const auto changes = io::recipeDiff(last.recipe, project.recipe); !changes.empty()) {
        std::string fields;
        for (std::size_t i = 0; i < changes.size() && i < 5; ++i)
            fields.append(i == 0 ? "" : ", ").append(changes[i].field);
        if (changes.size() > 5)
            fields.append(", …");
        std::fprintf(stderr,
                     "stepwise-cli: note: the project's recipe differs from run %d's in %zu field%s (%s); different "
                     "metrics are to be expected\n",
                     last.id, changes.size(), changes.size() == 1 ? "" : "s", fields.c_str());
    }
    const std::vector<io::MetricChange> metrics = io::metricDiff(last, now);
    std::size_t differing = 0;
    for (const io::MetricChange& change : metrics) {
        if (sameValue(change.before, change.after))
            continue;
        ++differing;
        std::fprintf(stderr, "stepwise-cli: differs from run %d: %s %s → %s\n", last.id, change.metric.c_str(),
                     exact(change.before).c_str(), exact(change.after).c_str());
    }
    if (differing == 0)
        std::fprintf(stderr, "stepwise-cli: reproduced run %d: all %zu metrics identical\n", last.id, metrics.size());
}

} // namespace

int runTrain(const TrainOptions& options, const CommonOptions& common)
{
    applyCommon(common);
    const workflow::Recipe recipe = recipeFromOptions(options);
    if (!options.saveProject.empty() && !options.testData.empty())
        throw core::InvalidParameter("--save-project keeps the recipe, and a recipe has no separate test data — "
                                     "leave out --test-data to save a project");
    // Before any work: training for minutes and then failing to save is no use.
    RunOutputs outputs{options.out, {}, options.report, options.predictions};
    if (options.encrypt) {
        outputs.modelSave.passphrase = passphraseFrom(options.access);
        if (!outputs.modelSave.passphrase)
            throw core::InvalidParameter("--encrypt needs a passphrase — give it with --passphrase-file FILE or the "
                                         "STEPWISE_PASSPHRASE environment variable");
    }
    // Bad model names and parameters are usage errors: report them before loading data.
    models::createModel(recipe.model.name, recipe.problem.task, recipe.model.params);
    for (const workflow::ModelChoice& other : recipe.compareWith)
        forFlag("--compare " + other.name, [&] { models::createModel(other.name, recipe.problem.task, other.params); });
    if (recipe.search)
        forFlag("--grid", [&] {
            workflow::searchCandidates(*recipe.search, models::findModel(recipe.model.name).params,
                                       recipe.model.params, recipe.model.name, recipe.seed);
        });

    checkOutputFolders(outputs, options.saveProject);

    // The data reference is taken before training, from the bytes the run then reads.
    std::optional<io::Project> project;
    if (!options.saveProject.empty()) {
        project.emplace();
        project->recipe = projectRecipe(recipe);
        project->data = io::referenceData(project->recipe.data, options.embedData);
    }

    std::optional<data::DataSource> testSource;
    if (!options.testData.empty())
        testSource = testSourceFrom(options.testData, recipe.data);
    const LoadedRun run = loadAndRun(recipe, testSource, common);
    const workflow::RunResult& result = run.result;

    writeRunOutputs(recipe, run, outputs);
    if (project) {
        project->runs.push_back(io::makeRunRecord(1, project->recipe, result, run.startedUtc, run.seconds,
                                                  core::threadCount()));
        io::saveProject(*project, options.saveProject);
    }

    // After the outputs, so a failed write is the first thing on stderr.
    warnAboutRun(result);
    if (run.testTable && testSource) {
        // Testing on the training data: the same file, or rows the model trained on.
        workflow::TestDataFacts facts;
        facts.separateTestData = true;
        facts.testRows = run.testTable->rowCount();
        if (recipe.data.kind == data::DataSourceKind::File && testSource->kind == data::DataSourceKind::File) {
            facts.trainSha256 = core::fileSha256Hex(recipe.data.location);
            facts.testSha256 = core::fileSha256Hex(testSource->location);
        }
        facts.overlappingRows = workflow::countOverlappingRows(run.table, *run.testTable);
        if (const auto mistake = workflow::testingOnTrainingData(facts))
            warn("misconception: " + mistake->seen + " " + mistake->why + " " + mistake->fix);
    }
    if (!common.quiet) {
        printRunSummary(recipe, result, options.out);
        if (project)
            std::printf("Project saved to %s%s\n", options.saveProject.c_str(),
                        project->data.embedded ? " (with the data embedded)" : "");
    }
    return 0;
}

int runProject(const RunOptions& options, const CommonOptions& common)
{
    applyCommon(common);
    io::Project project = io::loadProject(options.project);
    // The embedded copy goes to one folder per user; it is written once per digest.
    const std::filesystem::path extractDir =
        std::filesystem::temp_directory_path() / ("stepwise-project-data-" + std::to_string(::getuid()));
    const io::ResolvedData data = io::resolveProjectData(project, extractDir);
    switch (data.check) {
    case io::DataCheck::Unchanged:
        break;
    case io::DataCheck::Missing:
        throw core::DataError(data.message + " — restore it, or save the project again with the data embedded "
                                             "(train --save-project P --embed-data)");
    case io::DataCheck::Changed:
        if (!options.allowChangedData)
            throw core::DataError(data.message + " — restore it, or pass --allow-changed-data");
        if (!common.quiet)
            warn(data.message + "; running on it as it is now (--allow-changed-data)");
        break;
    case io::DataCheck::UsedEmbedded:
        if (!common.quiet)
            warn(data.message);
        break;
    }
    // The recipe with the project's seed, on the data found; reports and records keep the
    // recipe as the project has it.
    workflow::Recipe recipe = project.recipe;
    recipe.data = data.source;

    RunOutputs outputs{options.out, {}, options.report, options.predictions};
    checkOutputFolders(outputs, options.record ? options.project : std::string());
    LoadedRun run = loadAndRun(recipe, std::nullopt, common);
    writeRunOutputs(project.recipe, run, outputs);
    int nextId = 1;
    for (const io::RunRecord& recorded : project.runs)
        nextId = std::max(nextId, recorded.id + 1);
    const io::RunRecord record = io::makeRunRecord(nextId, project.recipe, run.result, run.startedUtc, run.seconds,
                                                   core::threadCount());
    if (options.record) {
        io::Project updated = project;
        updated.runs.push_back(record);
        io::saveProject(updated, options.project);
    }

    warnAboutRun(run.result);
    if (!common.quiet) {
        printRunSummary(project.recipe, run.result, options.out);
        if (options.record)
            std::printf("Recorded as run %d in %s\n", record.id, options.project.c_str());
        std::fflush(stdout);
        compareWithLastRun(project, record);
    }
    return 0;
}

int runPredict(const PredictOptions& options, const CommonOptions& common)
{
    applyCommon(common);
    const std::shared_ptr<const workflow::FittedPipeline> pipeline = openModel(options.model, options.access);
    ProgressBar bar(!common.quiet && stderrIsTerminal());
    core::TaskControl control(&bar);
    ActiveControl active(control);
    // The pipeline converts each column to the kind it was trained with (--type included).
    const data::Table table = data::loadTable(dataSourceFrom(options.data, options.read), &control);
    bar.finish();

    // Every way the file differs from the training data is said before scoring: the
    // ones the pipeline cannot handle stop here, one line each; the rest are warnings.
    const workflow::SchemaCheck check = workflow::checkSchema(*pipeline, table);
    if (!check.canScore()) {
        std::string message = options.data + " does not fit the model:";
        for (const workflow::SchemaIssue& issue : check.issues)
            if (issue.blocking)
                message.append("\n  ").append(issue.message);
        throw core::DataError(message);
    }
    if (!common.quiet)
        for (const workflow::SchemaIssue& issue : check.issues)
            warn(issue.message);
    ProgressBar scoringBar(!common.quiet && stderrIsTerminal());
    core::TaskControl scoring(&scoringBar);
    ActiveControl scoringActive(scoring);
    const workflow::Predictions predictions = workflow::scoreTable(*pipeline, table, scoring);
    scoringBar.finish();
    std::vector<std::size_t> rows(table.rowCount());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = i;
    const auto actual = actualTexts(table, pipeline->target(), rows);
    const auto write = [&](std::ostream& out) {
        io::writePredictionsCsv(out, *pipeline, rows, actual, predictions, options.proba);
    };
    if (options.out.empty()) {
        write(std::cout);
        std::cout.flush();
    } else {
        io::writeFileAtomically(options.out, write);
        if (!common.quiet)
            std::fprintf(stderr, "Wrote %zu predictions to %s\n", rows.size(), options.out.c_str());
    }
    return 0;
}

namespace {

// The CSV the exported script reads: the recipe's own file when it is a CSV, else the
// data written as CSV beside the script (a built-in dataset, a generated table, a
// spreadsheet or database), said on stderr.
std::string scriptDataPath(const workflow::FittedPipeline& pipeline, const ExportOptions& options,
                           const CommonOptions& common)
{
    if (!options.data.empty())
        return options.data;
    if (pipeline.metadata().recipeJson.empty())
        throw core::InvalidParameter("the model file does not say which data it was trained on — give the CSV "
                                     "with --data FILE.csv");
    const data::DataSource source = workflow::recipeFromJson(pipeline.metadata().recipeJson).data;
    if (source.kind == data::DataSourceKind::File && data::fileFormatOf(source.location) == data::FileFormat::Csv)
        return source.location;
    const std::filesystem::path script(options.python);
    std::string name = source.kind == data::DataSourceKind::Builtin ? source.location
                       : source.kind == data::DataSourceKind::File ? std::filesystem::path(source.location).stem().string()
                                                                    : std::string("generated_data");
    const std::filesystem::path csv = script.parent_path() / (name + ".csv");
    data::writeCsvFile(data::loadTable(source), csv.string());
    if (!common.quiet)
        std::fprintf(stderr, "Wrote the training data (%s) to %s for the script to read\n", source.describe().c_str(),
                     csv.string().c_str());
    return csv.string();
}

} // namespace

int runExport(const ExportOptions& options, const CommonOptions& common)
{
    applyCommon(common);
    if (options.python.empty() && options.card.empty() && options.onnx.empty())
        throw core::InvalidParameter("export needs at least one output — give --onnx FILE.onnx, --python FILE.py "
                                     "and/or --card FILE.md (or FILE.html)");
    if (!options.data.empty() && options.python.empty())
        throw core::InvalidParameter("--data is the CSV the Python script reads — it needs --python FILE.py");
    const std::shared_ptr<const workflow::FittedPipeline> pipeline = openModel(options.model, options.access);
    // The graph first: a pipeline ONNX cannot express stops the export before any file is written.
    if (!options.onnx.empty()) {
        io::exportOnnx(*pipeline, options.onnx);
        if (!common.quiet)
            std::fprintf(stderr, "Wrote the ONNX graph %s\n", options.onnx.c_str());
    }
    if (!options.python.empty()) {
        // The script is checked before any data is written beside it.
        io::pythonScript(*pipeline, options.data.empty() ? std::string("data.csv") : options.data);
        const std::string dataPath = scriptDataPath(*pipeline, options, common);
        // The script finds its data relative to its own folder, so the two can move together.
        const std::filesystem::path folder = std::filesystem::absolute(options.python).lexically_normal().parent_path();
        const std::string relative =
            std::filesystem::absolute(dataPath).lexically_normal().lexically_relative(folder).string();
        io::exportPython(*pipeline, options.python, relative.empty() ? dataPath : relative);
        if (!common.quiet)
            std::fprintf(stderr, "Wrote the scikit-learn script %s (reads %s)\n", options.python.c_str(),
                         dataPath.c_str());
    }
    if (!options.card.empty()) {
        io::exportModelCard(*pipeline, options.card);
        if (!common.quiet)
            std::fprintf(stderr, "Wrote the model card %s\n", options.card.c_str());
    }
    return 0;
}

int runEvaluate(const EvaluateOptions& options, const CommonOptions& common)
{
    applyCommon(common);
    // The model first: a bad model file is the first thing to report.
    const std::shared_ptr<const workflow::FittedPipeline> pipeline = openModel(options.model, options.access);
    ProgressBar bar(!common.quiet && stderrIsTerminal());
    core::TaskControl control(&bar);
    ActiveControl active(control);
    const data::DataSource source = dataSourceFrom(options.data, options.read);
    const data::Table table = data::loadTable(source, &control);
    workflow::PipelineEvaluation evaluation = workflow::evaluatePipeline(*pipeline, table, control);
    bar.finish();
    // Scores on the training data flatter the model; say so when the file is the one it
    // was trained on.
    if (!pipeline->metadata().recipeJson.empty() &&
        workflow::recipeFromJson(pipeline->metadata().recipeJson).data.describe() == source.describe())
        evaluation.warnings.push_back(source.describe() +
                                      " is the data the model was trained on, so these rows include its training rows "
                                      "and the scores are optimistic — evaluate on rows it never saw (a separate "
                                      "file, or the report of `train`, which scores the held-out test rows)");

    if (!options.report.empty())
        io::writeFileAtomically(options.report, [&](std::ostream& out) {
            out << io::evaluationReportJson(*pipeline, evaluation, source.describe());
        });
    if (!options.predictions.empty()) {
        const auto actual = actualTexts(table, pipeline->target(), evaluation.rows);
        io::writeFileAtomically(options.predictions, [&](std::ostream& out) {
            io::writePredictionsCsv(out, *pipeline, evaluation.rows, actual, evaluation.predictions, true);
        });
    }
    for (const std::string& warning : evaluation.warnings)
        warn(warning);

    if (!common.quiet) {
        const workflow::PipelineMetadata& trained = pipeline->metadata();
        std::printf("Evaluated %s (trained %s on %zu rows) on %s: %zu rows", pipeline->model().name().c_str(),
                    trained.createdUtc.c_str(), trained.trainingRows, source.describe().c_str(),
                    evaluation.rows.size());
        if (evaluation.skippedRows > 0)
            std::printf(" (%zu without a target left out)", evaluation.skippedRows);
        std::printf("\n\n");
        if (evaluation.classification)
            printClassificationSummary(*evaluation.classification, pipeline->classes(), "Metrics");
        else
            printRegressionSummary(*evaluation.regression, "Metrics");
        printLatency(evaluation.latency);
        printVerdict(evaluation.verdict, evaluation.latencyVerdict);
    }
    return 0;
}

int runInspect(const InspectOptions& options, const CommonOptions& common)
{
    applyCommon(common);
    ProgressBar bar(!common.quiet && stderrIsTerminal());
    core::TaskControl control(&bar);
    ActiveControl active(control);
    const data::DataSource source = dataSourceFrom(options.data, options.read);
    const data::Table table = data::loadTable(source, &control);
    bar.finish();
    if (!options.target.empty() && !table.hasColumn(options.target))
        table.column(options.target); // throws DataError naming the columns there are
    const data::DataProfile profile =
        data::profileTable(table, options.target.empty() ? std::nullopt : std::optional(options.target));

    if (options.json) {
        using nlohmann::json;
        json columns = json::array();
        for (const auto& c : profile.columns) {
            // Datetime statistics are ISO 8601 texts; the rest are numbers.
            const auto number = [&c](const std::optional<double>& v) {
                if (!v)
                    return json(nullptr);
                return c.kind == "datetime" ? json(data::formatProfileValue(c, *v)) : json(*v);
            };
            json column = {{"name", c.name}, {"type", c.kind}, {"missing", c.missing}, {"unique", c.unique}};
            if (c.mean) {
                column.update({{"mean", number(c.mean)}, {"std", number(c.std)}, {"min", number(c.min)},
                               {"q1", number(c.q1)}, {"median", number(c.median)}, {"q3", number(c.q3)},
                               {"max", number(c.max)}});
            }
            json top = json::array();
            for (const auto& [value, count] : c.top)
                top.push_back({value, count});
            column["top"] = top;
            columns.push_back(column);
        }
        json flags = json::array();
        for (const auto& f : profile.flags)
            flags.push_back({{"column", f.column}, {"kind", f.kind}, {"message", f.message}});
        std::cout << json{{"rows", profile.rows}, {"columns", columns}, {"flags", flags}}.dump(2) << '\n';
        return 0;
    }

    std::printf("%s: %zu rows × %zu columns, %zu missing values\n\n", source.describe().c_str(), profile.rows,
                profile.columns.size(), table.missingCount());
    std::size_t width = 6;
    for (const auto& c : profile.columns)
        width = std::max(width, c.name.size());
    std::printf("%-*s  %-11s  %7s  %7s  %s\n", static_cast<int>(width), "column", "type", "missing", "unique",
                "mean ± std [min, max] / top values");
    for (const auto& c : profile.columns)
        std::printf("%-*s  %-11s  %7zu  %7zu  %s\n", static_cast<int>(width), c.name.c_str(), c.kind.c_str(),
                    c.missing, c.unique, describeKind(c).c_str());
    if (!profile.flags.empty()) {
        std::printf("\nFlags\n");
        for (const auto& f : profile.flags)
            std::printf("  %s (%s): %s\n", f.column.c_str(), f.kind.c_str(), f.message.c_str());
    }
    return 0;
}

} // namespace stepwise::cli
