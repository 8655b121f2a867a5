// The native model file, format version 2: save → load → identical predictions for every
// model, the metadata it carries, the header checks (foreign, empty, truncated, tampered,
// newer), version 1 files, and encryption.
#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "stepwise/core/digest.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/model_archive.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
using core::TaskType;

namespace {

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Small, quick parameters, so every model trains in well under a second.
std::map<std::string, std::string> quickParams(const std::string& model)
{
    if (model == "random_forest")
        return {{"n_estimators", "5"}};
    if (model == "gradient_boosting")
        return {{"max_iter", "10"}};
    return {};
}

workflow::Recipe recipeFor(TaskType task, const std::string& model)
{
    workflow::Recipe recipe;
    recipe.problem.task = task;
    if (task == TaskType::Classification) {
        recipe.data = data::parseDataLocation("builtin:titanic");
        recipe.problem.target = "survived";
        recipe.prep.dropColumns = {"alive"};
        recipe.problem.success = evaluation::SuccessCriterion{"f1_macro", true, 0.7};
    } else {
        recipe.data = data::parseDataLocation("builtin:tips");
        recipe.problem.target = "tip";
    }
    recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
    recipe.model.name = model;
    recipe.model.params = quickParams(model);
    recipe.seed = 17;
    return recipe;
}

struct Trained {
    workflow::RunResult result;
    data::Table table;
};

Trained train(TaskType task, const std::string& model)
{
    const workflow::Recipe recipe = recipeFor(task, model);
    Trained out;
    out.table = data::loadBuiltinDataset(recipe.data.location);
    core::TaskControl control;
    out.result = workflow::runRecipe(recipe, out.table, nullptr, control);
    return out;
}

bool samePredictions(const workflow::Predictions& a, const workflow::Predictions& b)
{
    return a.task == b.task && a.classIndex == b.classIndex && a.proba.rows() == b.proba.rows() &&
           a.proba.cols() == b.proba.cols() && a.proba == b.proba && a.values.size() == b.values.size() &&
           a.values == b.values;
}

// A v2 header for `payload` (what saveModel writes), with `flags`.
std::string withHeader(const std::string& payload, std::uint32_t flags = 0)
{
    std::string file("STEPWISE", 8);
    const auto put = [&file](std::uint64_t value, int bytes) {
        for (int i = 0; i < bytes; ++i)
            file.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    };
    put(2, 4);
    put(flags, 4);
    put(payload.size(), 8);
    const std::string hex = core::sha256Hex(payload);
    for (std::size_t i = 0; i < 32; ++i)
        file.push_back(static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16)));
    file.append(8, '\0');
    return file + payload;
}

// The ArchiveError message of loading `bytes`, or "" when it loads.
std::string loadError(const std::string& bytes, const std::optional<std::string>& passphrase = std::nullopt)
{
    try {
        io::loadModelFromBytes(bytes, "m.stepwise", passphrase);
    } catch (const core::ArchiveError& e) {
        return e.what();
    }
    return {};
}

std::vector<std::string> splitCsvLine(const std::string& line)
{
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');)
        cells.push_back(cell);
    if (!line.empty() && line.back() == ',')
        cells.emplace_back();
    return cells;
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string path(const char* name) const { return QDir(m_dir.path()).filePath(name).toStdString(); }

    // A small saved model (iris, logistic regression) and its bytes.
    std::string m_small;
    std::shared_ptr<const workflow::FittedPipeline> m_smallPipeline;
    data::Table m_iris;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        workflow::Recipe recipe;
        recipe.data = data::parseDataLocation("builtin:iris");
        recipe.problem.target = "species";
        recipe.model.name = "logistic_regression";
        recipe.seed = 3;
        m_iris = data::loadBuiltinDataset("iris");
        core::TaskControl control;
        m_smallPipeline = workflow::runRecipe(recipe, m_iris, nullptr, control).pipeline;
        io::saveModel(*m_smallPipeline, path("small.stepwise"));
        m_small = readBytes(path("small.stepwise"));
        QVERIFY(m_small.size() > 64);
    }

    void everyModelRoundTripsExactly_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<TaskType>("task");
        for (const models::ModelInfo& info : models::modelRegistry())
            for (TaskType task : info.tasks)
                QTest::addRow("%s/%s", info.name.c_str(), task == TaskType::Classification ? "classification"
                                                                                          : "regression")
                    << QString::fromStdString(info.name) << task;
    }
    void everyModelRoundTripsExactly()
    {
        QFETCH(QString, model);
        QFETCH(TaskType, task);
        const Trained trained = train(task, model.toStdString());
        const std::string file = path("round_trip.stepwise");
        io::saveModel(*trained.result.pipeline, file);
        const auto loaded = io::loadModel(file);
        QCOMPARE(loaded->model().name(), model.toStdString());
        QVERIFY(loaded->classes() == trained.result.pipeline->classes());
        QVERIFY(loaded->featureNames() == trained.result.pipeline->featureNames());
        QCOMPARE(loaded->steps().size(), trained.result.pipeline->steps().size());
        QVERIFY(samePredictions(loaded->predict(trained.table), trained.result.pipeline->predict(trained.table)));
        // The same bytes from memory.
        const auto fromBytes = io::loadModelFromBytes(readBytes(file), file);
        QVERIFY(samePredictions(fromBytes->predict(trained.table), trained.result.pipeline->predict(trained.table)));
        const io::ModelFileInfo info = io::readModelFileInfo(file);
        QCOMPARE(info.formatVersion, 2u);
        QVERIFY(!info.encrypted);
        QCOMPARE(info.payloadBytes + 64, static_cast<std::uint64_t>(std::filesystem::file_size(file)));
        QCOMPARE(info.payloadSha256, core::sha256Hex(readBytes(file).substr(64)));
    }

    void metadataSurvives()
    {
        const Trained trained = train(TaskType::Classification, "random_forest");
        const workflow::PipelineMetadata& made = trained.result.pipeline->metadata();
        // What the runner records.
        QCOMPARE(made.seed, std::uint64_t(17));
        QCOMPARE(made.dataSha256,
                 core::fileSha256Hex(std::string(STEPWISE_DATASETS_DIR) + "/titanic.csv"));
        QCOMPARE(made.dataDescription, std::string("builtin:titanic, 891 rows × 15 columns"));
        QCOMPARE(made.testRows, trained.result.testRows.size());
        QVERIFY(!made.testScores.empty());
        QCOMPARE(made.testScores.front().metric, std::string("accuracy"));
        QCOMPARE(made.testScores.front().value, trained.result.classification->accuracy);
        QVERIFY(trained.result.verdict.has_value());
        QVERIFY2(made.verdict.rfind("f1_macro>=0.7: ", 0) == 0, made.verdict.c_str());
        QVERIFY(made.verdict.find(trained.result.verdict->passed ? "— passed" : "— failed") != std::string::npos);
        bool eigen = false;
        for (const auto& [library, version] : made.libraryVersions)
            eigen = eigen || (library == "eigen" && version == "3.4.0");
        QVERIFY(eigen);

        // Every field survives, the distribution (filled by the runner elsewhere) included.
        workflow::PipelineMetadata full = made;
        full.trainingDistribution = {{"age", {20.5, 28.0, 38.0}, {}, {0.2, 0.3, 0.25, 0.05, 0.2}},
                                     {"sex", {}, {"female", "male"}, {0.35, 0.65, 0.0, 0.0}}};
        io::saveModel(*trained.result.pipeline, path("metadata.stepwise"));
        const std::shared_ptr<workflow::FittedPipeline> pipeline = io::loadModel(path("metadata.stepwise"));
        pipeline->setMetadata(full);
        io::saveModel(*pipeline, path("metadata.stepwise"));
        const workflow::PipelineMetadata back = io::loadModel(path("metadata.stepwise"))->metadata();
        QCOMPARE(back.stepwiseVersion, full.stepwiseVersion);
        QCOMPARE(back.createdUtc, full.createdUtc);
        QCOMPARE(back.recipeJson, full.recipeJson);
        QCOMPARE(back.trainingRows, full.trainingRows);
        QCOMPARE(back.seed, full.seed);
        QCOMPARE(back.dataSha256, full.dataSha256);
        QCOMPARE(back.dataDescription, full.dataDescription);
        QVERIFY(back.libraryVersions == full.libraryVersions);
        QCOMPARE(back.testRows, full.testRows);
        QCOMPARE(back.testScores.size(), full.testScores.size());
        for (std::size_t i = 0; i < full.testScores.size(); ++i) {
            QCOMPARE(back.testScores[i].metric, full.testScores[i].metric);
            QCOMPARE(back.testScores[i].value, full.testScores[i].value);
        }
        QCOMPARE(back.verdict, full.verdict);
        QCOMPARE(back.trainingDistribution.size(), std::size_t(2));
        for (std::size_t i = 0; i < 2; ++i) {
            QCOMPARE(back.trainingDistribution[i].column, full.trainingDistribution[i].column);
            QVERIFY(back.trainingDistribution[i].binEdges == full.trainingDistribution[i].binEdges);
            QVERIFY(back.trainingDistribution[i].categories == full.trainingDistribution[i].categories);
            QVERIFY(back.trainingDistribution[i].fractions == full.trainingDistribution[i].fractions);
        }
    }

    void generatedDataIsHashedAsItsCsv()
    {
        workflow::Recipe recipe = recipeFor(TaskType::Classification, "logistic_regression");
        recipe.problem.success.reset();
        recipe.data.kind = data::DataSourceKind::Generated;
        recipe.data.generator.samples = 200;
        recipe.data.generator.features = 4;
        recipe.data.generator.informative = 2;
        recipe.data.generator.redundant = 0;
        recipe.problem.target = "target";
        recipe.prep.dropColumns.clear();
        const data::Table table = data::makeClassification(recipe.data.generator);
        core::TaskControl control;
        const auto result = workflow::runRecipe(recipe, table, nullptr, control);
        std::ostringstream csv;
        data::writeCsv(table, csv);
        QCOMPARE(result.pipeline->metadata().dataSha256, core::sha256Hex(csv.str()));
        QVERIFY(result.pipeline->metadata().verdict.empty());
    }

    void foreignAndEmptyFilesAreRefused()
    {
        QVERIFY(loadError(std::string("PK\x03\x04 a zip file, not a model")).find("not a Stepwise model file") !=
                std::string::npos);
        QVERIFY(loadError("").find("is empty") != std::string::npos);
        writeBytes(path("empty.stepwise"), "");
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::loadModel(path("empty.stepwise")));
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::readModelFileInfo(path("empty.stepwise")));
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::loadModel(path("does-not-exist.stepwise")));
    }

    void everyTruncationIsRefused()
    {
        for (std::size_t length = 0; length < m_small.size(); ++length) {
            const std::string message = loadError(m_small.substr(0, length));
            if (length == 0)
                QVERIFY(message.find("is empty") != std::string::npos);
            else if (length >= 24)
                QVERIFY2(message.find("is truncated: " + std::to_string(length) + " of " +
                                      std::to_string(m_small.size()) + " bytes") != std::string::npos,
                         message.c_str());
            else
                QVERIFY2(message.find("is truncated: " + std::to_string(length) + " of ") != std::string::npos,
                         message.c_str());
        }
        // The file path checks the header against the file size first.
        writeBytes(path("truncated.stepwise"), m_small.substr(0, m_small.size() / 2));
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::loadModel(path("truncated.stepwise")));
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::readModelFileInfo(path("truncated.stepwise")));
    }

    void flippedHeaderFieldsAreRefused_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("magic") << 0 << int('X') << "not a Stepwise model file";
        QTest::newRow("version 0") << 8 << 0 << "format version 0";
        QTest::newRow("future version") << 8 << 3 << "use a newer Stepwise";
        QTest::newRow("version high byte") << 11 << 1 << "use a newer Stepwise";
        QTest::newRow("unknown flag") << 12 << 2 << "header flags this Stepwise does not know";
        QTest::newRow("encrypted flag") << 12 << 1 << "says it is encrypted but its content is not";
        QTest::newRow("longer length") << 17 << 0xFF << "truncated";
        QTest::newRow("shorter length") << 16 << 0 << "bytes after the end";
        QTest::newRow("huge length") << 21 << 0x01 << "truncated";
        QTest::newRow("digest") << 24 << -1 << "does not match the SHA-256";
        QTest::newRow("digest end") << 55 << -1 << "does not match the SHA-256";
        QTest::newRow("reserved") << 60 << 1 << "reserved header bytes";
        QTest::newRow("payload first") << 64 << -1 << "does not match the SHA-256";
        QTest::newRow("payload middle") << 1500 << -1 << "does not match the SHA-256";
        QTest::newRow("payload last") << -1 << -1 << "does not match the SHA-256";
    }
    void flippedHeaderFieldsAreRefused()
    {
        QFETCH(int, offset);
        QFETCH(int, value);
        QFETCH(QString, expected);
        std::string bytes = m_small;
        const std::size_t at = offset < 0 ? bytes.size() - 1 : static_cast<std::size_t>(offset);
        bytes[at] = value < 0 ? static_cast<char>(bytes[at] ^ 0x5A) : static_cast<char>(value);
        const std::string message = loadError(bytes);
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
        // The file path says the same, from the header alone where the header suffices.
        writeBytes(path("flipped.stepwise"), bytes);
        try {
            io::loadModel(path("flipped.stepwise"));
            QFAIL("a damaged file loaded");
        } catch (const core::ArchiveError& e) {
            QVERIFY2(std::string(e.what()).find(expected.toStdString()) != std::string::npos, e.what());
        }
    }

    void lengthBeyondTheFileIsRefusedBeforeAllocating()
    {
        // 2^40 and 2^63 bytes claimed: a reader that allocated first would throw bad_alloc
        // or length_error, not ArchiveError.
        for (const std::uint64_t claimed : {std::uint64_t(1) << 40, std::uint64_t(1) << 63, ~std::uint64_t(0)}) {
            std::string bytes = m_small;
            for (int i = 0; i < 8; ++i)
                bytes[16 + static_cast<std::size_t>(i)] = static_cast<char>((claimed >> (8 * i)) & 0xFF);
            writeBytes(path("claims.stepwise"), bytes);
            try {
                io::loadModel(path("claims.stepwise"));
                QFAIL("a file claiming more than it holds loaded");
            } catch (const core::ArchiveError& e) {
                QVERIFY2(std::string(e.what()).find("is truncated: " + std::to_string(bytes.size()) + " of ") !=
                             std::string::npos,
                         e.what());
            }
            QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::loadModelFromBytes(bytes, "claims"));
        }
    }

    void damagedPayloadWithAValidDigestIsAnArchiveError()
    {
        // The digest only says the bytes are as written; a payload written wrong (here: cut
        // short, or with a count of 2^60) must still fail cleanly inside deserialisation.
        const std::string payload = m_small.substr(64);
        for (std::size_t keep : {std::size_t(0), std::size_t(10), std::size_t(60), payload.size() / 2,
                                 payload.size() - 1}) {
            const std::string message = loadError(withHeader(payload.substr(0, keep)));
            QVERIFY2(!message.empty(), std::to_string(keep).c_str());
        }
        std::string huge = payload;
        // After Boost's archive preamble (40 bytes), the task (4 bytes) and the target's
        // length (8 bytes): overwrite the target's length.
        for (int i = 0; i < 8; ++i)
            huge[44 + static_cast<std::size_t>(i)] = static_cast<char>(i == 7 ? 0x10 : 0);
        QVERIFY(!loadError(withHeader(huge)).empty());
    }

    void versionOneFilesLoadAndPredictAsBefore_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("dataset");
        QTest::newRow("titanic logistic regression") << "v1_titanic_logreg" << "titanic";
        QTest::newRow("titanic random forest") << "v1_titanic_forest" << "titanic";
        QTest::newRow("tips linear regression") << "v1_tips_linear" << "tips";
    }
    void versionOneFilesLoadAndPredictAsBefore()
    {
        QFETCH(QString, model);
        QFETCH(QString, dataset);
        const std::string base = std::string(STEPWISE_TEST_DATA_DIR) + "/models/" + model.toStdString();
        const io::ModelFileInfo info = io::readModelFileInfo(base + ".stepwise");
        QCOMPARE(info.formatVersion, 1u);
        QVERIFY(info.payloadSha256.empty());
        const auto pipeline = io::loadModel(base + ".stepwise");
        QVERIFY(pipeline->metadata().dataSha256.empty());
        QVERIFY(pipeline->metadata().testScores.empty());
        QVERIFY(pipeline->metadata().trainingDistribution.empty());
        QVERIFY(!pipeline->metadata().recipeJson.empty());

        const workflow::Predictions predictions = pipeline->predict(data::loadBuiltinDataset(dataset.toStdString()));
        std::ifstream in(base + "_predictions.csv");
        QVERIFY(in.good());
        std::string line;
        std::getline(in, line);
        const std::vector<std::string> header = splitCsvLine(line);
        std::size_t row = 0;
        for (; std::getline(in, line); ++row) {
            const std::vector<std::string> cells = splitCsvLine(line);
            QCOMPARE(cells.size(), header.size());
            QVERIFY(row < predictions.size());
            if (pipeline->task() == TaskType::Classification) {
                const auto predicted = static_cast<std::size_t>(predictions.classIndex[row]);
                QCOMPARE(pipeline->classes()[predicted], cells[2]);
                for (Eigen::Index k = 0; k < predictions.proba.cols(); ++k)
                    QCOMPARE(predictions.proba(static_cast<Eigen::Index>(row), k),
                             std::strtod(cells[3 + static_cast<std::size_t>(k)].c_str(), nullptr));
            } else {
                QCOMPARE(predictions.values(static_cast<Eigen::Index>(row)), std::strtod(cells[2].c_str(), nullptr));
            }
        }
        QCOMPARE(row, predictions.size());
    }

    void encryptedRoundTrip()
    {
        const std::string plainFile = path("plain.stepwise");
        const std::string file = path("encrypted.stepwise");
        io::saveModel(*m_smallPipeline, plainFile, {std::string()});  // an empty passphrase does not encrypt
        QVERIFY(!io::readModelFileInfo(plainFile).encrypted);
        QElapsedTimer timer;
        timer.start();
        io::saveModel(*m_smallPipeline, file, {std::string("correct horse battery staple")});
        qInfo("encrypted save (one Argon2id key derivation): %lld ms", static_cast<long long>(timer.elapsed()));
        QVERIFY(io::readModelFileInfo(file).encrypted);

        timer.restart();
        const auto loaded = io::loadModel(file, std::string("correct horse battery staple"));
        qInfo("encrypted load: %lld ms", static_cast<long long>(timer.elapsed()));
        QVERIFY(samePredictions(loaded->predict(m_iris), m_smallPipeline->predict(m_iris)));
        QCOMPARE(loaded->metadata().recipeJson, m_smallPipeline->metadata().recipeJson);

        // Nothing of the model in clear text: the plain file has the labels and column
        // names, the encrypted one does not.
        const std::string plain = readBytes(plainFile);
        const std::string secret = readBytes(file);
        for (const char* text : {"versicolor", "virginica", "sepal_length", "petal_width", "species", "iris"}) {
            QVERIFY2(plain.find(text) != std::string::npos, text);
            QVERIFY2(secret.find(text) == std::string::npos, text);
        }
    }

    void passphraseErrors()
    {
        const std::string file = path("locked.stepwise");
        io::saveModel(*m_smallPipeline, file, {std::string("right")});
        try {
            io::loadModel(file);
            QFAIL("loaded without the passphrase");
        } catch (const core::PassphraseError& e) {
            QVERIFY2(std::string(e.what()).find("is encrypted and no passphrase was given") != std::string::npos,
                     e.what());
        }
        try {
            io::loadModel(file, std::string("wrong"));
            QFAIL("loaded with the wrong passphrase");
        } catch (const core::PassphraseError& e) {
            QVERIFY2(std::string(e.what()).find("wrong passphrase") != std::string::npos, e.what());
        }
        // A plain file ignores a passphrase.
        QVERIFY(io::loadModel(path("small.stepwise"), std::string("anything")) != nullptr);

        // Flipped bytes in an encrypted file: the digest refuses them (not "wrong passphrase").
        const std::string bytes = readBytes(file);
        for (std::size_t at : {std::size_t(70), std::size_t(64 + 40), std::size_t(64 + 60), bytes.size() / 2,
                               bytes.size() - 1}) {
            std::string damaged = bytes;
            damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
            try {
                io::loadModelFromBytes(damaged, "locked.stepwise", std::string("right"));
                QFAIL("a damaged encrypted file loaded");
            } catch (const core::PassphraseError& e) {
                QFAIL(e.what());
            } catch (const core::ArchiveError& e) {
                QVERIFY2(std::string(e.what()).find("does not match the SHA-256") != std::string::npos, e.what());
            }
        }
        // The encrypted flag cleared: the content is recognised as encrypted all the same.
        std::string unflagged = bytes;
        unflagged[12] = 0;
        QVERIFY(loadError(unflagged).find("says it is not encrypted but its content is") != std::string::npos);
    }

    void craftedKeyDerivationLimitsAreRefused_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<quint64>("value");
        QTest::newRow("memory 4 GiB") << 16 << quint64(4) * 1024 * 1024 * 1024;
        QTest::newRow("memory 2^63") << 16 << (quint64(1) << 63);
        QTest::newRow("passes 1000000") << 8 << quint64(1000000);
        QTest::newRow("passes 0") << 8 << quint64(0);
    }
    void craftedKeyDerivationLimitsAreRefused()
    {
        QFETCH(int, offset);
        QFETCH(quint64, value);
        io::saveModel(*m_smallPipeline, path("crafted.stepwise"), {std::string("pw")});
        std::string payload = readBytes(path("crafted.stepwise")).substr(64);
        for (int i = 0; i < 8; ++i)
            payload[static_cast<std::size_t>(offset + i)] = static_cast<char>((value >> (8 * i)) & 0xFF);
        QElapsedTimer timer;
        timer.start();
        const std::string message = loadError(withHeader(payload, 1), std::string("pw"));
        QVERIFY2(message.find("key derivation") != std::string::npos, message.c_str());
        QVERIFY(timer.elapsed() < 1000);  // refused before any derivation
    }

    void forestTimings()
    {
        workflow::Recipe recipe = recipeFor(TaskType::Classification, "random_forest");
        recipe.model.params = {{"n_estimators", "100"}};
        const data::Table table = data::loadBuiltinDataset("titanic");
        core::TaskControl control;
        const auto result = workflow::runRecipe(recipe, table, nullptr, control);
        const std::string file = path("forest.stepwise");
        QElapsedTimer timer;
        timer.start();
        io::saveModel(*result.pipeline, file);
        const qint64 saveMs = timer.restart();
        const auto loaded = io::loadModel(file);
        const qint64 loadMs = timer.elapsed();
        QVERIFY(samePredictions(loaded->predict(table), result.pipeline->predict(table)));
        qInfo("100-tree forest: %llu bytes, save %lld ms, load %lld ms",
              static_cast<unsigned long long>(std::filesystem::file_size(file)), static_cast<long long>(saveMs),
              static_cast<long long>(loadMs));
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "tst_model_file.moc"
