#pragma once
// Test support for the ONNX export: writes a fitted pipeline's graph to a temporary
// directory, checks it with the reference checker (tests/onnx/check_model.py, full
// check) and runs it in ONNX Runtime (tests/onnx/run_model.js under `node`), then
// compares the outputs with the pipeline's own predictions of the same raw table.
//
// Everything that goes wrong while running the tools throws std::runtime_error with the
// tool's stderr, so a test fails with the reason.

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "stepwise/data/column.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/io/onnx_export.hpp"
#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::onnx_test {

/// What ONNX Runtime computed for each row of the table.
struct OnnxRun {
    std::vector<std::string> labels;  ///< classification
    std::vector<double> values;       ///< regression
    Eigen::MatrixXd proba;            ///< classification with probabilities; else empty
    bool hasProbabilities = false;
    std::string opsets;               ///< what check_model.py printed
};

/// The graph against the pipeline on one table.
struct OnnxComparison {
    std::size_t rows = 0;
    std::size_t labelsAgreeing = 0;      ///< classification: equal labels
    double maxProbaDifference = 0.0;     ///< classification: max |ours − ONNX|
    double maxRelativeDifference = 0.0;  ///< regression: max |ours − ONNX| / max(1, |ours|)
    bool probabilitiesMatchPresence = true;  ///< ONNX has probabilities iff ours has
    std::string opsets;
};

inline std::string sourcePath(const std::string& relative)
{
    return std::string(STEPWISE_SOURCE_DIR) + "/" + relative;
}

/// Runs `program` with `arguments`; throws with its stderr unless it exits 0.
inline std::string runTool(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted(10000))
        throw std::runtime_error("could not start " + program.toStdString());
    if (!process.waitForFinished(120000))
        throw std::runtime_error(program.toStdString() + " did not finish in 120 s");
    const std::string out = process.readAllStandardOutput().toStdString();
    const std::string err = process.readAllStandardError().toStdString();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw std::runtime_error(program.toStdString() + " failed (exit " + std::to_string(process.exitCode()) +
                                 "): " + err + out);
    return out;
}

/// The raw table as run_model.js reads it: one entry per pipeline input column, numbers
/// as float (NaN → null), categories as their text (missing → null, sent as "").
inline nlohmann::json inputsJson(const workflow::FittedPipeline& pipeline, const data::Table& table)
{
    nlohmann::json inputs = nlohmann::json::object();
    for (const workflow::InputColumn& input : pipeline.inputColumns()) {
        const data::Column& column = table.column(input.name);
        const bool strings = data::storageOf(input.kind) == data::ColumnType::Categorical;
        nlohmann::json values = nlohmann::json::array();
        for (std::size_t row = 0; row < column.size(); ++row) {
            if (column.isMissing(row))
                values.push_back(nullptr);
            else if (strings)
                values.push_back(column.textAt(row));
            else
                values.push_back(column.values()[row]);
        }
        inputs[input.name] = {{"type", strings ? "string" : "float"}, {"values", values}};
    }
    return inputs;
}

/// Exports `pipeline`, checks the file and runs it on `table` in ONNX Runtime.
inline OnnxRun runOnnx(const workflow::FittedPipeline& pipeline, const data::Table& table)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        throw std::runtime_error("no temporary directory");
    const QString model = QDir(dir.path()).filePath("model.onnx");
    const QString inputs = QDir(dir.path()).filePath("inputs.json");
    const QString outputs = QDir(dir.path()).filePath("outputs.json");
    io::exportOnnx(pipeline, model.toStdString());

    OnnxRun run;
    run.opsets = runTool("/usr/bin/python3",
                         {QString::fromStdString(sourcePath("tests/onnx/check_model.py")), model});
    std::ofstream(inputs.toStdString()) << inputsJson(pipeline, table).dump();
    runTool("node", {QString::fromStdString(sourcePath("tests/onnx/run_model.js")), model, inputs, outputs});

    std::ifstream in(outputs.toStdString());
    const nlohmann::json result = nlohmann::json::parse(in);
    const nlohmann::json& label = result.at("label");
    for (const nlohmann::json& value : label.at("values")) {
        if (pipeline.task() == core::TaskType::Classification)
            run.labels.push_back(value.get<std::string>());
        else
            run.values.push_back(value.is_null() ? std::nan("") : value.get<double>());
    }
    if (result.contains("probabilities")) {
        const nlohmann::json& proba = result.at("probabilities");
        const auto rows = proba.at("dims").at(0).get<Eigen::Index>();
        const auto cols = proba.at("dims").at(1).get<Eigen::Index>();
        run.proba.resize(rows, cols);
        const nlohmann::json& values = proba.at("values");
        for (Eigen::Index r = 0; r < rows; ++r)
            for (Eigen::Index c = 0; c < cols; ++c) {
                const nlohmann::json& v = values.at(static_cast<std::size_t>(r * cols + c));
                run.proba(r, c) = v.is_null() ? std::nan("") : v.get<double>();
            }
        run.hasProbabilities = true;
    }
    return run;
}

/// The pipeline's predictions of `table` against the graph's.
inline OnnxComparison compareWithPipeline(const workflow::FittedPipeline& pipeline, const data::Table& table)
{
    const workflow::Predictions ours = pipeline.predict(table);
    const OnnxRun onnx = runOnnx(pipeline, table);
    OnnxComparison comparison;
    comparison.opsets = onnx.opsets;
    comparison.rows = ours.size();
    if (pipeline.task() == core::TaskType::Classification) {
        if (onnx.labels.size() != ours.classIndex.size())
            throw std::runtime_error("ONNX gave " + std::to_string(onnx.labels.size()) + " labels for " +
                                     std::to_string(ours.classIndex.size()) + " rows");
        for (std::size_t r = 0; r < onnx.labels.size(); ++r)
            if (onnx.labels[r] == pipeline.classes()[static_cast<std::size_t>(ours.classIndex[r])])
                ++comparison.labelsAgreeing;
        comparison.probabilitiesMatchPresence = onnx.hasProbabilities == (ours.proba.size() > 0);
        if (onnx.hasProbabilities && ours.proba.size() > 0) {
            if (onnx.proba.rows() != ours.proba.rows() || onnx.proba.cols() != ours.proba.cols())
                throw std::runtime_error("ONNX probabilities have another shape than ours");
            const Eigen::ArrayXXd difference = (onnx.proba - ours.proba).array().abs();
            comparison.maxProbaDifference = difference.hasNaN() ? INFINITY : difference.maxCoeff();
        }
    } else {
        if (onnx.values.size() != static_cast<std::size_t>(ours.values.size()))
            throw std::runtime_error("ONNX gave " + std::to_string(onnx.values.size()) + " values for " +
                                     std::to_string(ours.values.size()) + " rows");
        for (std::size_t r = 0; r < onnx.values.size(); ++r) {
            const double expected = ours.values(static_cast<Eigen::Index>(r));
            const double difference = std::abs(onnx.values[r] - expected) / std::max(1.0, std::abs(expected));
            comparison.maxRelativeDifference =
                std::isnan(difference) ? INFINITY : std::max(comparison.maxRelativeDifference, difference);
        }
    }
    return comparison;
}

} // namespace stepwise::onnx_test
