#pragma once
// Test helpers for the model tests: the scikit-learn reference fixtures written by
// tests/reference/models_reference.py (numeric CSV with a `target` last column, and
// models_reference.json), saving a model to bytes and back, and cancelling a fit from
// another thread.

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/models/dataset.hpp"
#include "stepwise/models/model.hpp"

namespace stepwise::test {

inline std::string referencePath(const std::string& file)
{
    return std::string(STEPWISE_TEST_DATA_DIR) + "/reference/" + file;
}

/// Reads a numeric CSV file: a header, then numbers only; the last column is the target.
/// `classCount` 0 marks a regression target.
inline models::Dataset loadCsvDataset(const std::string& path, int classCount)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("missing " + path + " — run the script in tests/reference that writes it");
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::stringstream headerStream(line);
    for (std::string cell; std::getline(headerStream, cell, ',');)
        header.push_back(cell);
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        std::vector<double> values;
        std::stringstream lineStream(line);
        for (std::string cell; std::getline(lineStream, cell, ',');)
            values.push_back(std::stod(cell));
        if (values.size() != header.size())
            throw std::runtime_error("ragged row in " + path);
        rows.push_back(std::move(values));
    }
    models::Dataset data;
    const auto features = static_cast<Eigen::Index>(header.size() - 1);
    data.x.resize(static_cast<Eigen::Index>(rows.size()), features);
    data.y.resize(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (Eigen::Index c = 0; c < features; ++c)
            data.x(static_cast<Eigen::Index>(r), c) = rows[r][static_cast<std::size_t>(c)];
        data.y(static_cast<Eigen::Index>(r)) = rows[r].back();
    }
    data.featureNames.assign(header.begin(), header.end() - 1);
    data.classCount = classCount;
    return data;
}

/// `<name>.csv` from tests/data/reference.
inline models::Dataset loadFixture(const std::string& name, int classCount)
{
    return loadCsvDataset(referencePath(name + ".csv"), classCount);
}

/// tests/data/reference/models_reference.json.
inline nlohmann::json loadReference()
{
    std::ifstream in(referencePath("models_reference.json"));
    if (!in)
        throw std::runtime_error("missing models_reference.json — run tests/reference/models_reference.py");
    return nlohmann::json::parse(in);
}

/// The model's saved state as bytes.
inline std::string saveToString(const models::Model& model)
{
    std::ostringstream buffer;
    {
        boost::archive::binary_oarchive archive(buffer);
        model.save(archive);
    }
    return buffer.str();
}

/// Loads what `saveToString` wrote into `model`.
inline void loadFromString(models::Model& model, const std::string& bytes)
{
    std::istringstream buffer(bytes);
    core::InputArchive archive(buffer);
    model.load(archive);
}

/// What happened when a fit was cancelled from another thread.
struct CancelOutcome {
    bool finished = false;   ///< the fit ended before the cancel (make the problem bigger)
    bool cancelled = false;  ///< the fit threw `Cancelled`
    double latency = 0.0;    ///< seconds from the cancel request to the throw
};

/// Fits `model` on a worker thread, cancels after `delay` and measures how long the fit
/// took to stop.
inline CancelOutcome fitAndCancel(models::Model& model, const models::Dataset& data, std::chrono::milliseconds delay)
{
    core::TaskControl control;
    std::atomic<bool> cancelled{false};
    std::atomic<bool> finished{false};
    std::chrono::steady_clock::time_point thrownAt;
    std::thread worker([&] {
        try {
            model.fit(data, control);
            finished = true;
        } catch (const core::Cancelled&) {
            thrownAt = std::chrono::steady_clock::now();
            cancelled = true;
        }
    });
    std::this_thread::sleep_for(delay);
    const auto requestedAt = std::chrono::steady_clock::now();
    control.cancel();
    worker.join();
    CancelOutcome outcome;
    outcome.finished = finished;
    outcome.cancelled = cancelled;
    if (cancelled)
        outcome.latency = std::chrono::duration<double>(thrownAt - requestedAt).count();
    return outcome;
}

/// A matrix from a JSON array of rows (reference values).
inline Eigen::MatrixXd matrixFrom(const nlohmann::json& rows)
{
    Eigen::MatrixXd result(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
    for (Eigen::Index r = 0; r < result.rows(); ++r)
        for (Eigen::Index c = 0; c < result.cols(); ++c)
            result(r, c) = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)].get<double>();
    return result;
}

/// A vector from a JSON array of numbers (reference values).
inline Eigen::VectorXd vectorFrom(const nlohmann::json& values)
{
    Eigen::VectorXd result(static_cast<Eigen::Index>(values.size()));
    for (Eigen::Index i = 0; i < result.size(); ++i)
        result(i) = values[static_cast<std::size_t>(i)].get<double>();
    return result;
}

} // namespace stepwise::test
