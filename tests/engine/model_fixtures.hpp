#pragma once
// Test helpers for the model tests: the scikit-learn reference fixtures written by
// tests/reference/models_reference.py (numeric CSV with a `target` last column, and
// models_reference.json).

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/models/dataset.hpp"

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

} // namespace stepwise::test
