// Projects: save → load gives back every recipe field, every run (a real run of titanic),
// the window state and embedded data; damaged, newer and hostile files are refused with
// ArchiveError naming what is wrong; the data check (unchanged, changed, missing, the
// embedded copy, the relative path of a moved project); recipe and metric diffs.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "stepwise/core/digest.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/project.hpp"
#include "stepwise/io/report.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
namespace fs = std::filesystem;

namespace {

std::string readBytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void writeBytes(const fs::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A recipe in which every field differs from a default Recipe.
workflow::Recipe everyField(data::DataSourceKind kind)
{
    workflow::Recipe r;
    r.problem.task = core::TaskType::Regression;
    r.problem.objective = "Predict the fare a passenger paid";
    r.problem.target = "fare";
    r.problem.success = evaluation::SuccessCriterion{"rmse", false, 12.5};
    r.problem.maxLatencyMs = 7.25;
    r.problem.interpretability = workflow::Interpretability::Preferred;
    r.problem.retraining = workflow::RetrainingCadence::Quarterly;

    r.data.kind = kind;
    r.data.location = kind == data::DataSourceKind::File ? "/data/passengers.csv" : "generated";
    if (kind == data::DataSourceKind::Generated) {
        data::ClassificationSpec& g = r.data.generator;
        g.samples = 321;
        g.features = 7;
        g.informative = 3;
        g.redundant = 1;
        g.repeated = 1;
        g.classes = 3;
        g.clustersPerClass = 1;
        g.weights = {0.5, 0.3, 0.2};
        g.flipY = 0.05;
        g.classSep = 1.5;
        g.hypercube = false;
        g.shift = 0.25;
        g.scale = 2.0;
        g.shuffle = false;
        g.seed = 9;
    }
    r.data.read.csv.delimiter = ';';
    r.data.read.csv.missingMarkers = {"-", "missing"};
    r.data.read.csv.decimal = ',';
    r.data.read.csv.thousands = '.';
    r.data.read.csv.encoding = data::TextEncoding::Latin1;
    r.data.read.sheet = "Sheet2";
    r.data.read.table = "passengers";
    r.data.read.query = "SELECT * FROM passengers";
    r.data.read.columnKinds = {{"zip", data::ColumnKind::Categorical}, {"when", data::ColumnKind::Datetime}};

    r.prep.dropColumns = {"name", "ticket"};
    r.prep.testSize = 0.3;
    r.prep.validationSize = 0.15;
    r.prep.stratify = false;
    r.prep.timeColumn = "when";
    r.prep.steps = {{"impute", true, {"age"}, {{"numeric", "median"}}},
                    {"clip_outliers", false, {}, {{"method", "iqr"}, {"factor", "3"}}}};
    r.features.steps = {{"scale", true, {}, {{"method", "robust"}}},
                        {"encode", false, {"sex"}, {{"method", "ordinal"}}},
                        {"bin", true, {"age"}, {{"bins", "4"}}}};
    r.model = {"gradient_boosting", {{"max_iter", "20"}, {"learning_rate", "0.05"}}};
    r.compareWith = {{"ridge", {{"alpha", "2"}}}, {"knn", {}}};
    workflow::SearchSpec search = workflow::parseSearchKind("random:7");
    search.space = {{"max_depth", {"3", "5", "none"}}, {"learning_rate", {"loguniform(0.01,0.3)"}}};
    search.scoring = "mae";
    r.search = search;
    r.crossValidation = evaluation::parseCvSpec("timeseries:4:2");
    r.seed = 2024;
    return r;
}

void compareSteps(const std::vector<prep::StepSpec>& got, const std::vector<prep::StepSpec>& want)
{
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(got[i].kind, want[i].kind);
        QCOMPARE(got[i].enabled, want[i].enabled);
        QCOMPARE(got[i].columns, want[i].columns);
        QCOMPARE(got[i].params, want[i].params);
    }
}

void compareRecipes(const workflow::Recipe& got, const workflow::Recipe& want)
{
    QCOMPARE(got.problem.task, want.problem.task);
    QCOMPARE(got.problem.objective, want.problem.objective);
    QCOMPARE(got.problem.target, want.problem.target);
    QCOMPARE(got.problem.success.has_value(), want.problem.success.has_value());
    if (want.problem.success) {
        QCOMPARE(got.problem.success->metric, want.problem.success->metric);
        QCOMPARE(got.problem.success->atLeast, want.problem.success->atLeast);
        QCOMPARE(got.problem.success->threshold, want.problem.success->threshold);
    }
    QCOMPARE(got.problem.maxLatencyMs, want.problem.maxLatencyMs);
    QCOMPARE(got.problem.interpretability, want.problem.interpretability);
    QCOMPARE(got.problem.retraining, want.problem.retraining);

    QCOMPARE(got.data.kind, want.data.kind);
    QCOMPARE(got.data.location, want.data.location);
    if (want.data.kind == data::DataSourceKind::Generated) {
        const data::ClassificationSpec &g = got.data.generator, &w = want.data.generator;
        QCOMPARE(g.samples, w.samples);
        QCOMPARE(g.features, w.features);
        QCOMPARE(g.informative, w.informative);
        QCOMPARE(g.redundant, w.redundant);
        QCOMPARE(g.repeated, w.repeated);
        QCOMPARE(g.classes, w.classes);
        QCOMPARE(g.clustersPerClass, w.clustersPerClass);
        QCOMPARE(g.weights, w.weights);
        QCOMPARE(g.flipY, w.flipY);
        QCOMPARE(g.classSep, w.classSep);
        QCOMPARE(g.hypercube, w.hypercube);
        QCOMPARE(g.shift, w.shift);
        QCOMPARE(g.scale, w.scale);
        QCOMPARE(g.shuffle, w.shuffle);
        QCOMPARE(g.seed, w.seed);
    }
    const data::ReadOptions &read = got.data.read, &wantRead = want.data.read;
    QCOMPARE(read.csv.delimiter, wantRead.csv.delimiter);
    QCOMPARE(read.csv.missingMarkers, wantRead.csv.missingMarkers);
    QCOMPARE(read.csv.decimal, wantRead.csv.decimal);
    QCOMPARE(read.csv.thousands, wantRead.csv.thousands);
    QCOMPARE(read.csv.encoding, wantRead.csv.encoding);
    QCOMPARE(read.sheet, wantRead.sheet);
    QCOMPARE(read.table, wantRead.table);
    QCOMPARE(read.query, wantRead.query);
    QCOMPARE(read.columnKinds.size(), wantRead.columnKinds.size());
    for (std::size_t i = 0; i < read.columnKinds.size(); ++i) {
        QCOMPARE(read.columnKinds[i].column, wantRead.columnKinds[i].column);
        QCOMPARE(read.columnKinds[i].kind, wantRead.columnKinds[i].kind);
    }

    QCOMPARE(got.prep.dropColumns, want.prep.dropColumns);
    QCOMPARE(got.prep.testSize, want.prep.testSize);
    QCOMPARE(got.prep.validationSize, want.prep.validationSize);
    QCOMPARE(got.prep.stratify, want.prep.stratify);
    QCOMPARE(got.prep.timeColumn, want.prep.timeColumn);
    compareSteps(got.prep.steps, want.prep.steps);
    compareSteps(got.features.steps, want.features.steps);
    QVERIFY(got.model == want.model);
    QVERIFY(got.compareWith == want.compareWith);
    QCOMPARE(got.search.has_value(), want.search.has_value());
    if (want.search)
        QVERIFY(*got.search == *want.search);
    QCOMPARE(got.crossValidation.has_value(), want.crossValidation.has_value());
    if (want.crossValidation)
        QVERIFY(*got.crossValidation == *want.crossValidation);
    QCOMPARE(got.seed, want.seed);
}

void compareRuns(const io::RunRecord& got, const io::RunRecord& want)
{
    QCOMPARE(got.id, want.id);
    QCOMPARE(got.startedUtc, want.startedUtc);
    QCOMPARE(got.durationSeconds, want.durationSeconds);
    compareRecipes(got.recipe, want.recipe);
    QCOMPARE(got.metrics.size(), want.metrics.size());
    for (std::size_t i = 0; i < want.metrics.size(); ++i) {
        QCOMPARE(got.metrics[i].metric, want.metrics[i].metric);
        QCOMPARE(got.metrics[i].value, want.metrics[i].value);  // bit for bit
    }
    QCOMPARE(got.verdict, want.verdict);
    QCOMPARE(got.passed, want.passed);
    QCOMPARE(got.reportJson, want.reportJson);
    QCOMPARE(got.manifest.stepwiseVersion, want.manifest.stepwiseVersion);
    QCOMPARE(got.manifest.libraryVersions, want.manifest.libraryVersions);
    QCOMPARE(got.manifest.seed, want.manifest.seed);
    QCOMPARE(got.manifest.dataSha256, want.manifest.dataSha256);
    QCOMPARE(got.manifest.dataDescription, want.manifest.dataDescription);
    QCOMPARE(got.manifest.threads, want.manifest.threads);
    QCOMPARE(got.manifest.platform, want.manifest.platform);
    QCOMPARE(got.manifest.compiler, want.manifest.compiler);
    QCOMPARE(got.manifest.cpu, want.manifest.cpu);
    QCOMPARE(got.note, want.note);
}

// The ArchiveError message of parsing `text`, or "" when it parses.
std::string archiveError(const std::string& text)
{
    try {
        io::projectFromJson(text, "test.stepwise-project");
    } catch (const core::ArchiveError& error) {
        return error.what();
    }
    return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

class TestProject : public QObject {
    Q_OBJECT

private:
    // A real run of titanic: a validation set, cross-validation and a success criterion,
    // so every kind of metric a run record holds is there.
    workflow::Recipe m_recipe;
    workflow::RunResult m_result;
    io::RunRecord m_run;

private slots:
    void initTestCase()
    {
        m_recipe.data = data::parseDataLocation("builtin:titanic");
        m_recipe.problem.target = "survived";
        m_recipe.problem.success = evaluation::SuccessCriterion{"f1_macro", true, 0.7};
        m_recipe.prep.dropColumns = {"alive"};
        m_recipe.prep.validationSize = 0.1;
        m_recipe.model.params = {{"n_estimators", "5"}, {"max_depth", "4"}};
        m_recipe.crossValidation = evaluation::parseCvSpec("stratified:3");
        const data::Table table = data::loadTable(m_recipe.data);
        core::TaskControl control;
        m_result = workflow::runRecipe(m_recipe, table, nullptr, control);
        m_run = io::makeRunRecord(1, m_recipe, m_result, "2026-11-24T10:15:02Z", 1.25, 2);
        m_run.note = "first try — baseline";
    }

    void everyRecipeFieldDiffersFromTheDefault_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("file") << static_cast<int>(data::DataSourceKind::File);
        QTest::newRow("generated") << static_cast<int>(data::DataSourceKind::Generated);
    }
    // Guards the round trip below: a field left at its default would round-trip trivially.
    void everyRecipeFieldDiffersFromTheDefault()
    {
        QFETCH(int, kind);
        const workflow::Recipe full = everyField(static_cast<data::DataSourceKind>(kind));
        const std::vector<io::FieldChange> changes = io::recipeDiff(workflow::Recipe{}, full);
        const auto changed = [&](const std::string& field) {
            return std::any_of(changes.begin(), changes.end(), [&](const io::FieldChange& change) {
                return change.field == field || change.field.rfind(field + ".", 0) == 0 ||
                       change.field.rfind(field + "[", 0) == 0;
            });
        };
        for (const char* field :
             {"problem.task", "problem.objective", "problem.target", "problem.success", "problem.max_latency_ms",
              "problem.interpretability", "problem.retraining", "data.kind", "data.location", "data.read",
              "prep.drop_columns", "prep.test_size", "prep.validation_size", "prep.stratify", "prep.time_column",
              "prep.steps", "features", "model", "compare_with", "search", "cross_validation", "seed"})
            QVERIFY2(changed(field), field);
        if (kind == static_cast<int>(data::DataSourceKind::Generated))
            QVERIFY(changed("data.generator"));
    }

    void recipeRoundTrip_data() { everyRecipeFieldDiffersFromTheDefault_data(); }
    void recipeRoundTrip()
    {
        QFETCH(int, kind);
        io::Project project;
        project.recipe = everyField(static_cast<data::DataSourceKind>(kind));
        project.createdUtc = "2026-11-20T08:00:00Z";
        const io::Project back = io::projectFromJson(io::projectToJson(project), "p.stepwise-project");
        compareRecipes(back.recipe, project.recipe);
        QCOMPARE(back.createdUtc, project.createdUtc);
        QVERIFY(io::recipeDiff(back.recipe, project.recipe).empty());
    }

    void runRecordHoldsTheRunsNumbers()
    {
        const std::vector<workflow::NamedScore>& scores = m_result.pipeline->metadata().testScores;
        QVERIFY(scores.size() > 5);
        QCOMPARE(m_run.metrics.size(), scores.size() + 3);
        for (std::size_t i = 0; i < scores.size(); ++i) {
            QCOMPARE(m_run.metrics[i].metric, scores[i].metric);
            QCOMPARE(m_run.metrics[i].value, scores[i].value);
        }
        QCOMPARE(m_run.metrics[0].metric, std::string("accuracy"));
        QCOMPARE(m_run.metrics[0].value, m_result.classification->accuracy);
        const std::size_t n = scores.size();
        QCOMPARE(m_run.metrics[n].metric, std::string("cv_mean"));
        QCOMPARE(m_run.metrics[n].value, m_result.crossValidation->mean);
        QCOMPARE(m_run.metrics[n + 1].metric, std::string("cv_std"));
        QCOMPARE(m_run.metrics[n + 1].value, m_result.crossValidation->std);
        QCOMPARE(m_run.metrics[n + 2].metric, std::string("validation_score"));
        QCOMPARE(m_run.metrics[n + 2].value, m_result.validationClassification->f1Macro);
        QVERIFY(m_run.passed.has_value());
        QCOMPARE(*m_run.passed, m_result.verdict->passed);
        QVERIFY(contains(m_run.verdict, "f1_macro>=0.7"));
        QCOMPARE(m_run.manifest.seed, m_recipe.seed);
        QCOMPARE(m_run.manifest.threads, 2);
        QCOMPARE(m_run.manifest.dataSha256, m_result.pipeline->metadata().dataSha256);
        QVERIFY(m_run.manifest.platform.rfind("Linux ", 0) == 0);
        QVERIFY(m_run.manifest.compiler.rfind("GCC ", 0) == 0 || m_run.manifest.compiler.rfind("Clang ", 0) == 0);
        QVERIFY(!m_run.manifest.libraryVersions.empty());
        // The report is the CLI's, manifest included.
        const auto report = nlohmann::json::parse(m_run.reportJson);
        QCOMPARE(report.at("metrics").at("accuracy").get<double>(), m_result.classification->accuracy);
        QCOMPARE(report.at("manifest").at("seed").get<std::uint64_t>(), m_recipe.seed);
        QCOMPARE(report.at("manifest").at("data_sha256").get<std::string>(), m_run.manifest.dataSha256);
        QVERIFY(report.at("manifest").at("threads").get<int>() >= 1);
    }

    void runsAndWindowRoundTrip()
    {
        io::Project project;
        project.recipe = m_recipe;
        project.data = io::referenceData(m_recipe.data, false);
        project.runs.push_back(m_run);
        io::RunRecord second = m_run;
        second.id = 2;
        second.recipe = everyField(data::DataSourceKind::File);
        second.metrics.push_back({"not_a_number", std::nan("")});
        second.passed.reset();
        second.verdict.clear();
        second.note.clear();
        project.runs.push_back(second);
        project.windowState = {{"page", "4"}, {"learn_panel", "open"}, {"geometry", "AdnQywADAAAAAAAA"}};
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "titanic.stepwise-project";
        io::saveProject(project, file);
        const io::Project back = io::loadProject(file);
        compareRecipes(back.recipe, project.recipe);
        QCOMPARE(back.data.sha256, project.data.sha256);
        QCOMPARE(back.data.bytes, std::uint64_t{0});
        QVERIFY(!back.data.embedded);
        QCOMPARE(back.runs.size(), std::size_t{2});
        compareRuns(back.runs[0], m_run);
        // NaN is written as null and comes back as NaN.
        QCOMPARE(back.runs[1].metrics.back().metric, std::string("not_a_number"));
        QVERIFY(std::isnan(back.runs[1].metrics.back().value));
        second.metrics.pop_back();
        io::RunRecord secondBack = back.runs[1];
        secondBack.metrics.pop_back();
        compareRuns(secondBack, second);
        QVERIFY(back.windowState == project.windowState);
        QVERIFY(!back.createdUtc.empty());  // set by the first save
        // The digest recorded is the one the run computed.
        QCOMPARE(project.data.sha256, m_result.pipeline->metadata().dataSha256);
        // Saving what was loaded writes the same project (but for the save time).
        const auto first = nlohmann::json::parse(readBytes(file));
        io::saveProject(back, file);
        auto again = nlohmann::json::parse(readBytes(file));
        again["saved_utc"] = first["saved_utc"];
        QVERIFY(again == first);
    }

    void embeddedDataRoundTrip()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const fs::path csv = folder / "iris.csv";
        fs::copy_file(fs::path(STEPWISE_DATASETS_DIR) / "iris.csv", csv);
        io::Project project;
        project.recipe.data = data::parseDataLocation(csv.string());
        project.data = io::referenceData(project.recipe.data, true);
        QVERIFY(project.data.embedded);
        QCOMPARE(*project.data.embedded, readBytes(csv));
        QCOMPARE(project.data.sha256, core::fileSha256Hex(csv.string()));
        QCOMPARE(project.data.bytes, static_cast<std::uint64_t>(fs::file_size(csv)));
        // The digest a run records for the file is the reference's.
        QCOMPARE(data::dataSha256(project.recipe.data, data::loadTable(project.recipe.data)), project.data.sha256);
        const std::string text = io::projectToJson(project, folder / "p.stepwise-project");
        QVERIFY(contains(text, "\"relative_path\": \"iris.csv\""));
        const io::Project back = io::projectFromJson(text, "p.stepwise-project");
        QVERIFY(back.data.embedded);
        QCOMPARE(*back.data.embedded, *project.data.embedded);
        QCOMPARE(back.data.sha256, project.data.sha256);
        QCOMPARE(back.data.relativePath, std::string("iris.csv"));
    }

    void wrongEmbeddedDigestIsRefused()
    {
        io::Project project;
        project.recipe.data = data::parseDataLocation("/somewhere/data.csv");
        project.data.embedded = std::string("a,b\n1,2\n");
        project.data.sha256 = core::sha256Hex("a,b\n1,3\n");
        const std::string message = archiveError(io::projectToJson(project));
        QVERIFY2(contains(message, "embedded") && contains(message, "SHA-256"), message.c_str());
        auto j = nlohmann::json::parse(io::projectToJson(project));
        j["data"]["embedded"] = "not base64!";
        QVERIFY(contains(archiveError(j.dump()), "data.embedded"));
    }

    void newerFormatIsRefused()
    {
        auto j = nlohmann::json::parse(io::projectToJson(io::Project{}));
        j["format"] = 2;
        j["recipe"] = "whatever a newer Stepwise writes";
        const std::string message = archiveError(j.dump());
        QVERIFY2(contains(message, "test.stepwise-project was written by a newer Stepwise (format 2; this build "
                                   "reads up to 1)"),
                 message.c_str());
        j["format"] = 0;
        QVERIFY(contains(archiveError(j.dump()), "'format'"));
        j["format"] = "1";
        QVERIFY(contains(archiveError(j.dump()), "'format' must be a whole number"));
    }

    void malformedJsonNamesLineAndColumn()
    {
        const std::string text = "{\n  \"format\": 1,\n  \"recipe\": {,\n}\n";
        const std::string message = archiveError(text);
        QVERIFY2(contains(message, "test.stepwise-project is not valid JSON: line 3, column 14"), message.c_str());
        const std::string utf8 = "{\n  \"naïve\": 1,\n  \"é\": x\n}";
        const std::string second = archiveError(utf8);
        QVERIFY2(contains(second, "line 3, column 8"), second.c_str());
        QVERIFY(contains(archiveError(""), "line 1, column 1"));
    }

    void badFieldsAreNamed_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("value");  // JSON; empty = remove the field
        QTest::addColumn<QString>("named");
        QTest::newRow("metrics missing") << "/runs/0/metrics" << "" << "'runs[0].metrics' is missing";
        QTest::newRow("metrics array") << "/runs/0/metrics" << "[1, 2]" << "'runs[0].metrics' must be an object";
        QTest::newRow("metric text") << "/runs/0/metrics/accuracy" << "\"high\"" << "'runs[0].metrics.accuracy'";
        QTest::newRow("id negative") << "/runs/0/id" << "-3" << "'runs[0].id'";
        QTest::newRow("id float") << "/runs/0/id" << "1e300" << "'runs[0].id' must be a whole number";
        QTest::newRow("passed text") << "/runs/0/passed" << "\"yes\"" << "'runs[0].passed'";
        QTest::newRow("run recipe") << "/runs/0/recipe/problem/task" << "\"clustering\"" << "'runs[0].recipe'";
        QTest::newRow("manifest seed") << "/runs/0/manifest/seed" << "-1" << "'runs[0].manifest.seed' is negative";
        QTest::newRow("library") << "/runs/0/manifest/libraries/eigen" << "3" << "'runs[0].manifest.libraries.eigen'";
        QTest::newRow("seed float") << "/recipe/seed" << "1e300" << "recipe field 'seed' is 1e+300";
        QTest::newRow("seed negative") << "/runs/0/recipe/seed" << "-5" << "'runs[0].recipe' is not a valid recipe";
        QTest::newRow("recipe missing") << "/recipe" << "" << "'recipe' is missing";
        QTest::newRow("data sha") << "/data/sha256" << "5" << "'data.sha256' must be text";
        QTest::newRow("runs object") << "/runs" << "{}" << "'runs' must be an array";
        QTest::newRow("window value") << "/window/page" << "4" << "'window.page' must be text";
        QTest::newRow("report text") << "/runs/0/report" << "\"{}\"" << "'runs[0].report' must be an object";
        QTest::newRow("top level") << "" << "[]" << "must be an object";
    }
    void badFieldsAreNamed()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, named);
        io::Project project;
        project.recipe = m_recipe;
        project.runs.push_back(m_run);
        project.windowState["page"] = "1";
        auto j = nlohmann::json::parse(io::projectToJson(project));
        QVERIFY(io::projectFromJson(j.dump(), "t").runs.size() == 1);  // the unaltered file is fine
        const nlohmann::json::json_pointer at(pointer.toStdString());
        if (value.isEmpty())
            j[at.parent_pointer()].erase(at.back());
        else
            j[at] = nlohmann::json::parse(value.toStdString());
        const std::string message = archiveError(j.dump());
        QVERIFY2(contains(message, named.toStdString()), message.c_str());
        QVERIFY2(contains(message, "test.stepwise-project"), message.c_str());
    }

    void repeatedRunIdsAreRefused()
    {
        io::Project project;
        project.runs = {m_run, m_run};
        QVERIFY(contains(archiveError(io::projectToJson(project)), "'runs[1].id'"));
    }

    // Whatever the bytes, parsing ends in a project or an ArchiveError (the fuzz target of
    // issue 9 calls projectFromJson the same way).
    void hostileInputNeverCrashes()
    {
        io::Project project;
        project.recipe = m_recipe;
        project.runs.push_back(m_run);
        project.data.embedded = std::string("x,y\n1,2\n");
        project.data.sha256 = core::sha256Hex(*project.data.embedded);
        const std::string text = io::projectToJson(project);
        int refused = 0;
        for (std::size_t length = 0; length < text.size(); length += 97) {
            if (!archiveError(text.substr(0, length)).empty())
                ++refused;
        }
        QVERIFY(refused > 0);
        std::string flipped = text;
        for (std::size_t i = 0; i < flipped.size(); i += 211) {
            flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
            try {
                io::projectFromJson(flipped, "t");
            } catch (const core::ArchiveError&) {
            }
        }
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        QVERIFY(contains(archiveError(deep), "levels deep"));
        QVERIFY(!archiveError("\"just text\"").empty());
        QVERIFY(!archiveError(std::string("{\"format\": 1, \0 }", 17)).empty());
    }

    void resolveProjectData()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        const fs::path csv = folder / "data" / "iris.csv";
        fs::create_directories(csv.parent_path());
        fs::copy_file(fs::path(STEPWISE_DATASETS_DIR) / "iris.csv", csv);
        const std::string original = readBytes(csv);
        const fs::path extract = folder / "extracted";

        io::Project project;
        project.recipe.data = data::parseDataLocation(csv.string());
        project.data = io::referenceData(project.recipe.data, false);

        io::ResolvedData resolved = io::resolveProjectData(project, extract);
        QCOMPARE(resolved.check, io::DataCheck::Unchanged);
        QCOMPARE(resolved.source.location, csv.string());
        QVERIFY(resolved.message.empty());

        writeBytes(csv, original + "5.0,3.0,1.5,0.2,setosa\n");
        resolved = io::resolveProjectData(project, extract);
        QCOMPARE(resolved.check, io::DataCheck::Changed);
        QVERIFY2(contains(resolved.message, "iris.csv has changed since the project was saved (SHA-256 " +
                                                core::fileSha256Hex(csv.string()).substr(0, 12) + "… instead of " +
                                                project.data.sha256.substr(0, 12) + "…)"),
                 resolved.message.c_str());

        fs::remove(csv);
        resolved = io::resolveProjectData(project, extract);
        QCOMPARE(resolved.check, io::DataCheck::Missing);
        QVERIFY2(contains(resolved.message, "iris.csv is missing"), resolved.message.c_str());

        // Embedded: used when the file is gone, and when it has changed; written once.
        project.data.embedded = original;
        resolved = io::resolveProjectData(project, extract);
        QCOMPARE(resolved.check, io::DataCheck::UsedEmbedded);
        QVERIFY(fs::path(resolved.source.location).parent_path() == extract);
        QCOMPARE(readBytes(resolved.source.location), original);
        QVERIFY(contains(resolved.message, "embedded"));
        const auto written = fs::last_write_time(resolved.source.location);
        writeBytes(csv, "changed\n");
        const io::ResolvedData again = io::resolveProjectData(project, extract);
        QCOMPARE(again.check, io::DataCheck::UsedEmbedded);
        QCOMPARE(again.source.location, resolved.source.location);
        QVERIFY(fs::last_write_time(again.source.location) == written);
        QVERIFY(contains(again.message, "has changed"));
        // The extracted copy loads as the original did.
        QCOMPARE(data::loadTable(again.source).rowCount(), std::size_t{150});

        // Built-in and generated data are checked too.
        io::Project builtin;
        builtin.recipe.data = data::parseDataLocation("builtin:titanic");
        builtin.data = io::referenceData(builtin.recipe.data, false);
        QCOMPARE(io::resolveProjectData(builtin, extract).check, io::DataCheck::Unchanged);
        builtin.data.sha256 = std::string(64, '0');
        QCOMPARE(io::resolveProjectData(builtin, extract).check, io::DataCheck::Changed);
        io::Project generated;
        generated.recipe.data.kind = data::DataSourceKind::Generated;
        generated.recipe.data.generator.samples = 50;
        generated.data = io::referenceData(generated.recipe.data, false);
        QCOMPARE(generated.data.sha256,
                 data::dataSha256(generated.recipe.data, data::loadTable(generated.recipe.data)));
        QCOMPARE(io::resolveProjectData(generated, extract).check, io::DataCheck::Unchanged);
    }

    // A project moved together with its data finds it by the relative path.
    void movedProjectFindsItsData()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const fs::path before = root / "before";
        fs::create_directories(before / "data");
        fs::copy_file(fs::path(STEPWISE_DATASETS_DIR) / "iris.csv", before / "data" / "iris.csv");
        io::Project project;
        project.recipe.data = data::parseDataLocation((before / "data" / "iris.csv").string());
        project.data = io::referenceData(project.recipe.data, false);
        fs::create_directories(before / "projects");
        io::saveProject(project, before / "projects" / "p.stepwise-project");
        QVERIFY(contains(readBytes(before / "projects" / "p.stepwise-project"),
                         "\"relative_path\": \"../data/iris.csv\""));

        fs::rename(before, root / "after");
        const fs::path file = root / "after" / "projects" / "p.stepwise-project";
        const io::Project moved = io::loadProject(file);
        QCOMPARE(moved.recipe.data.location, (before / "data" / "iris.csv").string());  // as saved
        const io::ResolvedData resolved = io::resolveProjectData(moved, root / "extract");
        QCOMPARE(resolved.check, io::DataCheck::Unchanged);
        QCOMPARE(fs::path(resolved.source.location), root / "after" / "data" / "iris.csv");
        // Saved again from its new place, it still points at the data beside it.
        io::saveProject(moved, file);
        QVERIFY(contains(readBytes(file), "\"relative_path\": \"../data/iris.csv\""));
        QCOMPARE(io::resolveProjectData(io::loadProject(file), root / "extract").check, io::DataCheck::Unchanged);

        // A relative recipe path is read from the project's folder.
        auto j = nlohmann::json::parse(readBytes(file));
        j["recipe"]["data"]["location"] = "../data/iris.csv";
        j["data"].erase("relative_path");
        writeBytes(file, j.dump());
        const io::Project relative = io::loadProject(file);
        QCOMPARE(fs::path(relative.recipe.data.location), root / "after" / "data" / "iris.csv");
        QCOMPARE(io::resolveProjectData(relative, root / "extract").check, io::DataCheck::Unchanged);
    }

    void loadProjectErrors()
    {
        QTemporaryDir dir;
        const fs::path missing = fs::path(dir.path().toStdString()) / "none.stepwise-project";
        QVERIFY_THROWS_EXCEPTION(core::Error, io::loadProject(missing));
        writeBytes(missing, "{\"format\": 7}");
        try {
            io::loadProject(missing);
            QFAIL("a newer project loaded");
        } catch (const core::ArchiveError& error) {
            QVERIFY(contains(error.what(), missing.string() + " was written by a newer Stepwise (format 7"));
        }
    }

    void recipeDiff()
    {
        QVERIFY(io::recipeDiff(m_recipe, m_recipe).empty());
        workflow::Recipe after = m_recipe;
        after.model.params["max_depth"] = "6";
        after.model.params["min_samples_leaf"] = "3";
        after.prep.steps.push_back({"clip_outliers", true, {}, {{"method", "iqr"}}});
        after.features.steps[0].params["method"] = "minmax";
        after.crossValidation.reset();
        after.seed = 7;
        const std::vector<io::FieldChange> changes = io::recipeDiff(m_recipe, after);
        std::vector<std::string> fields;
        for (const io::FieldChange& change : changes)
            fields.push_back(change.field);
        const std::vector<std::string> expected = {"cross_validation",
                                                   "features.steps[0].params.method",
                                                   "model.params.max_depth",
                                                   "model.params.min_samples_leaf",
                                                   "prep.steps[1]",
                                                   "seed"};
        QCOMPARE(fields, expected);
        QCOMPARE(changes[0].before, std::string("\"stratified:3\""));
        QCOMPARE(changes[0].after, std::string("null"));
        QCOMPARE(changes[1].before, std::string("\"standard\""));
        QCOMPARE(changes[1].after, std::string("\"minmax\""));
        QCOMPARE(changes[2].before, std::string("\"4\""));
        QCOMPARE(changes[2].after, std::string("\"6\""));
        QCOMPARE(changes[3].before, std::string());  // absent before
        QCOMPARE(changes[3].after, std::string("\"3\""));
        QCOMPARE(changes[4].before, std::string());
        QVERIFY(contains(changes[4].after, "clip_outliers"));
        QCOMPARE(changes[5].before, std::string("42"));
        QCOMPARE(changes[5].after, std::string("7"));
        // The other way round, the removed step is the change.
        const auto back = io::recipeDiff(after, m_recipe);
        QCOMPARE(back.size(), changes.size());
        QCOMPARE(back[4].after, std::string());
    }

    void metricDiff()
    {
        io::RunRecord before, after;
        before.metrics = {{"accuracy", 0.8}, {"f1_macro", 0.75}, {"cv_mean", 0.7}};
        after.metrics = {{"f1_macro", 0.77}, {"accuracy", 0.8}, {"validation_score", 0.71}};
        const std::vector<io::MetricChange> changes = io::metricDiff(before, after);
        QCOMPARE(changes.size(), std::size_t{4});
        QCOMPARE(changes[0].metric, std::string("f1_macro"));
        QCOMPARE(changes[0].before, std::optional<double>(0.75));
        QCOMPARE(changes[0].after, std::optional<double>(0.77));
        QCOMPARE(changes[1].metric, std::string("accuracy"));
        QCOMPARE(changes[1].before, changes[1].after);
        QCOMPARE(changes[2].metric, std::string("validation_score"));
        QVERIFY(!changes[2].before);
        QCOMPARE(changes[2].after, std::optional<double>(0.71));
        QCOMPARE(changes[3].metric, std::string("cv_mean"));
        QCOMPARE(changes[3].before, std::optional<double>(0.7));
        QVERIFY(!changes[3].after);
        QVERIFY(io::metricDiff(io::RunRecord{}, io::RunRecord{}).empty());
    }

    void manifestJson()
    {
        const auto j = nlohmann::json::parse(io::manifestToJson(m_run.manifest));
        for (const char* key :
             {"stepwise_version", "libraries", "seed", "data_sha256", "data", "threads", "platform", "compiler", "cpu"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j.at("libraries").at("eigen").get<std::string>(), std::string("3.4.0"));
    }
};

QTEST_APPLESS_MAIN(TestProject)
#include "tst_project.moc"
