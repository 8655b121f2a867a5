// Every file Stepwise writes or reads is the same under a decimal-comma locale as under
// "C". The GUI calls setlocale(LC_ALL, "") (QApplication does), so the C library's
// number formatting is the user's there; this test switches the whole process to de_DE
// (C library and the global C++ locale), generated at test time with localedef into a
// temporary folder (LOCPATH), so no system locale is needed — but the test fails, never
// skips, when the locale cannot be made.
#include <QtTest>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <locale>
#include <map>
#include <regex>
#include <sstream>

#include "data/read_progress.hpp"
#include "data/system_memory.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/io/model_archive.hpp"
#include "stepwise/io/model_card.hpp"
#include "stepwise/io/onnx_export.hpp"
#include "stepwise/io/project.hpp"
#include "stepwise/io/python_export.hpp"
#include "stepwise/io/report.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

constexpr const char* kCommaLocale = "de_DE.UTF-8";

std::string readBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return std::move(bytes).str();
}

// A recipe that puts numbers everywhere: a real-valued parameter, a success criterion and
// a latency budget (verdict texts), a formula step with a decimal constant, a binning step
// with fractional edges, a validation set and a forest's out-of-bag message.
workflow::Recipe titanicRecipe(const std::string& csvPath, const std::string& model)
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.problem.objective = "Wer überlebt? 0.5 und 1,5";
    recipe.problem.success = evaluation::SuccessCriterion{"f1_macro", true, 0.7};
    recipe.problem.maxLatencyMs = 50.0;
    recipe.data = data::parseDataLocation(csvPath);
    recipe.prep.dropColumns = {"alive", "class", "who", "adult_male", "deck", "embark_town", "alone"};
    recipe.prep.validationSize = 0.2;
    prep::StepSpec formula{"formula", true, {}, {{"name", "fare_share"}, {"expression", "fare * 0.5 + 1.25"}}};
    prep::StepSpec bins{"bin", true, {"age"}, {{"strategy", "edges"}, {"edges", "0,12.5,40.5,inf"}}};
    recipe.features.steps.insert(recipe.features.steps.begin(), {formula, bins});
    recipe.model.name = model;
    if (model == "logistic_regression")
        recipe.model.params = {{"C", "0.5"}, {"tol", "1e-4"}};
    else
        recipe.model.params = {{"n_estimators", "15"}, {"max_features", "sqrt"}, {"oob_score", "true"}};
    recipe.seed = 11;
    return recipe;
}

// Everything a run is written as, each as the bytes of its file.
std::map<std::string, std::string> writeEverything(const workflow::Recipe& recipe, const workflow::RunResult& result,
                                                   const data::Table& table, const std::filesystem::path& dir)
{
    std::map<std::string, std::string> files;
    files["report.json"] = io::reportJson(recipe, result);
    std::ostringstream csv;
    data::writeCsv(table, csv);
    files["data.csv"] = csv.str();
    data::writeCsvFile(table, (dir / "written.csv").string());
    files["written.csv"] = readBytes(dir / "written.csv");

    const workflow::FittedPipeline& pipeline = *result.pipeline;
    const workflow::Predictions predictions = pipeline.predict(table);
    std::vector<std::size_t> rows(predictions.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = i;
    std::ostringstream predicted;
    io::writePredictionsCsv(predicted, pipeline, rows, {}, predictions, true);
    files["predictions.csv"] = predicted.str();

    files["model_card.md"] = io::modelCardMarkdown(pipeline);
    files["model_card.html"] = io::modelCardHtml(pipeline);
    files["model.py"] = io::pythonScript(pipeline, "data.csv");
    if (io::onnxExportProblem(pipeline).empty())
        files["model.onnx"] = io::onnxModelBytes(pipeline);
    io::saveModel(pipeline, (dir / "model.stepwise").string());
    files["model.stepwise"] = readBytes(dir / "model.stepwise");

    io::Project project;
    project.recipe = recipe;
    project.data = io::referenceData(recipe.data, false);
    project.runs.push_back(io::makeRunRecord(1, recipe, result, "2026-11-24T10:15:02Z", 1.25, 2));
    project.createdUtc = "2026-11-24T10:15:02Z";
    files["project.json"] = io::projectToJson(project, dir / "p.stepwise-project");
    io::saveProject(project, dir / "p.stepwise-project");
    files["p.stepwise-project"] = readBytes(dir / "p.stepwise-project");
    files["manifest.json"] = io::manifestToJson(project.runs.front().manifest);

    data::ClassificationSpec generator;
    generator.flipY = 0.015;
    generator.classSep = 1.5;
    data::DataSource generated;
    generated.kind = data::DataSourceKind::Generated;
    generated.generator = generator;
    files["describe"] = generated.describe();
    files["progress"] = data::progressMegabytes(1'500'000, 2'000'000) + " | " + data::progressRows(1'500'000) +
                        " | " + data::formatBytes(2'100'000'000);
    return files;
}

bool switchLocale(const char* name)
{
    if (std::setlocale(LC_ALL, name) == nullptr)
        return false;
    try {
        std::locale::global(std::locale(name));
    } catch (const std::runtime_error&) {
        return false;
    }
    return true;
}

// ISO 8601 UTC times ("2026-11-24T17:43:55Z") replaced by "<time>".
std::string withoutTimestamps(const std::string& text)
{
    static const std::regex isoTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
    return std::regex_replace(text, isoTime, "<time>");
}

} // namespace

class TestLocale : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_work;
    std::string m_csvPath;

    // Byte for byte, but for the times files record (a project's save time, when the model
    // was trained): the two writes may straddle a second.
    void compareFiles(const std::map<std::string, std::string>& expected,
                      const std::map<std::string, std::string>& actual)
    {
        QCOMPARE(actual.size(), expected.size());
        for (const auto& [name, expectedBytes] : expected) {
            const auto found = actual.find(name);
            QVERIFY2(found != actual.end(), name.c_str());
            const std::string bytes = withoutTimestamps(expectedBytes);
            const std::string actualBytes = withoutTimestamps(found->second);
            if (actualBytes != bytes) {
                // The first difference, so the failure says what the locale broke.
                std::size_t at = 0;
                while (at < bytes.size() && at < actualBytes.size() && bytes[at] == actualBytes[at])
                    ++at;
                const std::size_t from = at > 40 ? at - 40 : 0;
                const std::string message = name + " differs at byte " + std::to_string(at) + ": C \"" +
                                            bytes.substr(from, 80) + "\" vs de_DE \"" +
                                            actualBytes.substr(from, 80) + "\"";
                QFAIL(message.c_str());
            }
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const std::filesystem::path locales = std::filesystem::path(m_dir.path().toStdString()) / "locale";
        std::filesystem::create_directories(locales);
        // Debian ships the definitions (package `locales`) but generates only what the
        // administrator chose; build de_DE here, privately.
        const std::string command =
            "localedef -i de_DE -f UTF-8 '" + (locales / kCommaLocale).string() + "' >/dev/null 2>&1";
        const int status = std::system(command.c_str());
        // localedef exits 1 for warnings while still writing the locale.
        QVERIFY2(std::filesystem::exists(locales / kCommaLocale / "LC_NUMERIC"),
                 ("localedef could not build de_DE.UTF-8 (status " + std::to_string(status) +
                  ") — install the Debian package `locales`")
                     .c_str());
        ::setenv("LOCPATH", locales.c_str(), 1);
        QVERIFY2(switchLocale(kCommaLocale), "the generated de_DE.UTF-8 locale cannot be selected");
        // The switch really happened: the C library and the streams write a comma now.
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%.1f", 0.5);
        QCOMPARE(std::string(buffer), std::string("0,5"));
        std::ostringstream stream;
        stream << 0.5;
        QCOMPARE(stream.str(), std::string("0,5"));
        QVERIFY(switchLocale("C"));

        m_work = std::filesystem::path(m_dir.path().toStdString()) / "work";
        std::filesystem::create_directories(m_work);
        m_csvPath = std::string(STEPWISE_DATASETS_DIR) + "/titanic.csv";
    }

    void cleanupTestCase() { switchLocale("C"); }

    void numberText()
    {
        QVERIFY(switchLocale(kCommaLocale));
        QCOMPARE(core::formatFixed(0.5, 3), std::string("0.500"));
        QCOMPARE(core::formatGeneral(1234567.0, 4), std::string("1.235e+06"));
        QCOMPARE(core::formatGeneral(0.0001234, 3), std::string("0.000123"));
        QCOMPARE(core::formatGeneral(0.1 + 0.2, 17), std::string("0.30000000000000004"));
        QCOMPARE(core::parseNumberText("0.25").value_or(-1), 0.25);
        QCOMPARE(core::parseNumberText("+1e-3").value_or(-1), 1e-3);
        QVERIFY(!core::parseNumberText("0,25"));
        QVERIFY(!core::parseNumberText(""));
        QVERIFY(switchLocale("C"));
    }

    // The same run written under "C" and under de_DE: every file byte for byte the same.
    void filesWrittenUnderCommaLocale_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("logistic_regression") << "logistic_regression";
        QTest::newRow("random_forest") << "random_forest";
    }

    void filesWrittenUnderCommaLocale()
    {
        QFETCH(QString, model);
        QVERIFY(switchLocale("C"));
        const workflow::Recipe recipe = titanicRecipe(m_csvPath, model.toStdString());
        const data::Table table = data::loadTable(recipe.data);
        core::TaskControl control;
        const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);
        const auto cDir = m_work / ("c-" + model.toStdString());
        const auto commaDir = m_work / ("de-" + model.toStdString());
        std::filesystem::create_directories(cDir);
        std::filesystem::create_directories(commaDir);
        const auto expected = writeEverything(recipe, result, table, cDir);

        QVERIFY(switchLocale(kCommaLocale));
        const auto actual = writeEverything(recipe, result, table, commaDir);
        QVERIFY(switchLocale("C"));
        compareFiles(expected, actual);
    }

    // Reading, training and reading back under de_DE give what "C" gives.
    void readTrainAndReadBackUnderCommaLocale()
    {
        QVERIFY(switchLocale("C"));
        const workflow::Recipe recipe = titanicRecipe(m_csvPath, "logistic_regression");
        const data::Table cTable = data::loadTable(recipe.data);
        core::TaskControl control;
        const workflow::RunResult cResult = workflow::runRecipe(recipe, cTable, nullptr, control);
        const auto cDir = m_work / "c-read";
        std::filesystem::create_directories(cDir);
        const auto expected = writeEverything(recipe, cResult, cTable, cDir);

        QVERIFY(switchLocale(kCommaLocale));
        const data::Table table = data::loadTable(recipe.data);
        const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);
        const auto commaDir = m_work / "de-read";
        std::filesystem::create_directories(commaDir);
        auto actual = writeEverything(recipe, result, table, commaDir);
        // Run times differ between the two runs; everything else may not.
        const auto withoutTimes = [](const std::string& json) {
            std::string text;
            std::istringstream lines(json);
            for (std::string line; std::getline(lines, line);)
                if (line.find("_s\":") == std::string::npos && line.find("_ms\":") == std::string::npos &&
                    line.find("created") == std::string::npos && line.find("latency") == std::string::npos)
                    text.append(line).push_back('\n');
            return text;
        };
        QCOMPARE(actual.at("data.csv"), expected.at("data.csv"));
        QCOMPARE(actual.at("predictions.csv"), expected.at("predictions.csv"));
        QVERIFY(withoutTimestamps(expected.at("model.py")).find(" at <time>") != std::string::npos);
        QCOMPARE(withoutTimestamps(actual.at("model.py")), withoutTimestamps(expected.at("model.py")));
        QCOMPARE(withoutTimes(actual.at("report.json")), withoutTimes(expected.at("report.json")));

        // What was written under de_DE reads back as it was written.
        const data::Table reread = data::readCsvFile((commaDir / "written.csv").string());
        std::ostringstream rewritten;
        data::writeCsv(reread, rewritten);
        QCOMPARE(rewritten.str(), expected.at("data.csv"));
        const io::Project project = io::loadProject(commaDir / "p.stepwise-project");
        QCOMPARE(io::projectToJson(project, commaDir / "p.stepwise-project"), actual.at("project.json"));
        QCOMPARE(project.recipe.model.params, recipe.model.params);
        QCOMPARE(project.recipe.problem.success->threshold, 0.7);
        const auto model = io::loadModel((commaDir / "model.stepwise").string());
        std::ostringstream predicted;
        const workflow::Predictions predictions = model->predict(table);
        std::vector<std::size_t> rows(predictions.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            rows[i] = i;
        io::writePredictionsCsv(predicted, *model, rows, {}, predictions, true);
        QCOMPARE(predicted.str(), expected.at("predictions.csv"));
        QVERIFY(switchLocale("C"));
    }
};

QTEST_GUILESS_MAIN(TestLocale)
#include "tst_locale.moc"
