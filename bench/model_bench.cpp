// Fits one registered model on a prepared matrix and prints what it cost as one JSON line,
// for bench/model_zoo.py: wall seconds of fit and of predict(_proba) on the test rows,
// accuracy and log loss (classification) or R² (regression), threads, and the process's
// peak resident memory (VmHWM of /proc/self/status — ru_maxrss would include the forking
// parent's peak; the script runs one fresh process per measurement).
//
// Input: raw little-endian float64 files written by the script, row-major, each row the
// features followed by the target (class index or value):
//   stepwise_bench_models TRAIN.f64 TEST.f64 FEATURES classification|regression MODEL
//                         [--param K=V]... [--threads N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/core/threads.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/models/registry.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Matrix {
    Eigen::MatrixXd x;
    Eigen::VectorXd y;
};

Matrix readMatrix(const std::string& path, Eigen::Index features)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    const auto bytes = static_cast<std::size_t>(in.tellg());
    in.seekg(0);
    const auto width = static_cast<std::size_t>(features) + 1;
    const std::size_t rows = bytes / (sizeof(double) * width);
    std::vector<double> raw(rows * width);
    in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size() * sizeof(double)));
    Matrix matrix;
    matrix.x.resize(static_cast<Eigen::Index>(rows), features);
    matrix.y.resize(static_cast<Eigen::Index>(rows));
    for (std::size_t r = 0; r < rows; ++r) {
        for (Eigen::Index c = 0; c < features; ++c)
            matrix.x(static_cast<Eigen::Index>(r), c) = raw[r * width + static_cast<std::size_t>(c)];
        matrix.y(static_cast<Eigen::Index>(r)) = raw[r * width + width - 1];
    }
    return matrix;
}

long long peakResidentBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::atoll(line.c_str() + 6) * 1024;
    return 0;
}

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

} // namespace

int main(int argc, char** argv)
{
    using namespace stepwise;
    if (argc < 6) {
        std::fprintf(stderr,
                     "usage: %s TRAIN.f64 TEST.f64 FEATURES classification|regression MODEL [--param K=V]... "
                     "[--threads N]\n",
                     argv[0]);
        return 2;
    }
    try {
        const Eigen::Index features = std::atol(argv[3]);
        const core::TaskType task = std::string(argv[4]) == "regression" ? core::TaskType::Regression
                                                                          : core::TaskType::Classification;
        std::map<std::string, std::string> params;
        for (int i = 6; i + 1 < argc; i += 2) {
            const std::string flag = argv[i];
            const std::string value = argv[i + 1];
            if (flag == "--threads") {
                core::setThreadCount(std::atoi(value.c_str()));
            } else if (flag == "--param") {
                const auto equals = value.find('=');
                params[value.substr(0, equals)] = value.substr(equals + 1);
            } else {
                throw std::runtime_error("unknown flag " + flag);
            }
        }
        Matrix train = readMatrix(argv[1], features);
        const Matrix test = readMatrix(argv[2], features);
        models::Dataset data;
        data.x = std::move(train.x);
        data.y = std::move(train.y);
        for (Eigen::Index c = 0; c < features; ++c)
            data.featureNames.push_back(std::string("f").append(std::to_string(c)));
        if (task == core::TaskType::Classification)
            data.classCount = static_cast<int>(data.y.maxCoeff()) + 1;
        data.seed = 42;

        auto model = models::createModel(argv[5], task, params);
        core::TaskControl control;
        const auto fitStart = Clock::now();
        const models::FitReport report = model->fit(data, control);
        const double fitSeconds = secondsSince(fitStart);

        const auto predictStart = Clock::now();
        std::string quality;
        if (task == core::TaskType::Classification) {
            std::vector<int> actual;
            std::vector<int> predicted;
            Eigen::MatrixXd proba;
            if (model->hasProbabilities()) {
                proba = model->predictProba(test.x);
                for (Eigen::Index r = 0; r < proba.rows(); ++r) {
                    Eigen::Index best = 0;
                    proba.row(r).maxCoeff(&best);
                    predicted.push_back(static_cast<int>(best));
                }
            } else {
                const Eigen::VectorXd classes = model->predict(test.x);
                for (Eigen::Index r = 0; r < classes.size(); ++r)
                    predicted.push_back(static_cast<int>(classes(r)));
            }
            const double predictSeconds = secondsSince(predictStart);
            for (Eigen::Index r = 0; r < test.y.size(); ++r)
                actual.push_back(static_cast<int>(test.y(r)));
            const auto metrics = evaluation::classificationMetrics(actual, predicted, proba, data.classCount);
            quality.append("\"predict_s\": ").append(std::to_string(predictSeconds));
            quality.append(", \"accuracy\": ").append(std::to_string(metrics.accuracy));
            if (metrics.logLoss) {
                char text[64];
                std::snprintf(text, sizeof text, "%.10f", *metrics.logLoss);
                quality.append(", \"log_loss\": ").append(text);
            }
        } else {
            const Eigen::VectorXd predicted = model->predict(test.x);
            const double predictSeconds = secondsSince(predictStart);
            const auto metrics = evaluation::regressionMetrics(test.y, predicted);
            quality.append("\"predict_s\": ").append(std::to_string(predictSeconds));
            quality.append(", \"r2\": ").append(std::to_string(metrics.r2));
        }
        std::printf("{\"fit_s\": %.6f, %s, \"iterations\": %d, \"threads\": %d, \"peak_rss_bytes\": %lld}\n", fitSeconds,
                    quality.c_str(), report.iterations, core::threadCount(),
                    peakResidentBytes());
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
}
