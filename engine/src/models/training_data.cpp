#include "models/training_data.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/evaluation/metrics.hpp"

namespace stepwise::models {
namespace {

std::string featureLabel(const Dataset& data, Eigen::Index column)
{
    if (static_cast<std::size_t>(column) < data.featureNames.size())
        return "'" + data.featureNames[static_cast<std::size_t>(column)] + "'";
    std::string label = "number ";
    label.append(std::to_string(column + 1));
    return label;
}

std::string classLabel(const Dataset& data, int index)
{
    if (index >= 0 && static_cast<std::size_t>(index) < data.classNames.size())
        return data.classNames[static_cast<std::size_t>(index)];
    return std::to_string(index);
}

} // namespace

void validateTrainingData(const Dataset& data, core::TaskType task, const std::string& model)
{
    const Eigen::Index rows = data.x.rows();
    if (rows == 0)
        throw core::DataError("there are no training rows — " + model + " needs at least one row to learn from");
    if (data.x.cols() == 0)
        throw core::DataError("there are no feature columns — keep at least one input column for " + model);
    if (data.y.size() != rows) {
        std::string message = "the target has ";
        message.append(std::to_string(data.y.size())).append(" values but there are ");
        message.append(std::to_string(rows)).append(" training rows — give one target value per row");
        throw core::DataError(message);
    }
    if (!data.featureNames.empty() && static_cast<Eigen::Index>(data.featureNames.size()) != data.x.cols()) {
        std::string message = "there are ";
        message.append(std::to_string(data.featureNames.size())).append(" feature names for ");
        message.append(std::to_string(data.x.cols())).append(" feature columns — give one name per column");
        throw core::DataError(message);
    }
    // A parallel pass over the columns first: on large data this check is a noticeable
    // part of a linear model's fit. Only when it fails does the scan below find the first
    // bad cell for the message.
    bool allFinite = true;
    const Eigen::Index columns = data.x.cols();
#pragma omp parallel for schedule(static) reduction(&& : allFinite) if (rows * columns >= (Eigen::Index(1) << 17))
    for (Eigen::Index column = 0; column < columns; ++column)
        allFinite = allFinite && data.x.col(column).allFinite();
    for (Eigen::Index column = 0; column < data.x.cols() && !allFinite; ++column) {
        for (Eigen::Index row = 0; row < rows; ++row) {
            if (!std::isfinite(data.x(row, column))) {
                std::string message = "feature " + featureLabel(data, column);
                message.append(" has a missing or infinite value in training row ");
                message.append(std::to_string(row + 1));
                message.append(" — impute or drop missing values before training ").append(model);
                throw core::DataError(message);
            }
        }
    }
    if (task == core::TaskType::Regression) {
        for (Eigen::Index row = 0; row < rows; ++row) {
            if (!std::isfinite(data.y(row))) {
                std::string message = "the target has a missing or infinite value in training row ";
                message.append(std::to_string(row + 1)).append(" — drop rows without a target before training");
                throw core::DataError(message);
            }
        }
        return;
    }
    if (data.classCount > kMaxClassCount) {
        std::string message = "the target has ";
        message.append(std::to_string(data.classCount)).append(" classes, more than the ");
        message.append(std::to_string(kMaxClassCount)).append(" a classifier takes (").append(model);
        message.append(" would need a rows × classes table of probabilities) — group the rare classes into one, "
                       "or choose regression if the target is a quantity");
        throw core::DataError(message);
    }
    if (data.classCount < 2) {
        std::string message = "classification needs at least two classes but the class count is ";
        message.append(std::to_string(data.classCount)).append(" — pick a target with two or more values");
        throw core::DataError(message);
    }
    std::set<int> seen;
    for (Eigen::Index row = 0; row < rows; ++row) {
        const double value = data.y(row);
        if (!(value >= 0.0 && value < data.classCount && std::floor(value) == value)) {
            std::string message = "target value ";
            message.append(std::isfinite(value) ? core::formatFixed(value, 6) : std::string("(missing)"));
            message.append(" in training row ").append(std::to_string(row + 1));
            message.append(" is not a class index in [0, ").append(std::to_string(data.classCount));
            message.append(") — encode the target classes as 0, 1, …");
            throw core::DataError(message);
        }
        seen.insert(static_cast<int>(value));
    }
    if (seen.size() < 2)
        throw core::DataError("the target has a single class '" + classLabel(data, *seen.begin()) +
                              "' in the training rows — " + model +
                              " needs at least two classes; use more rows or a stratified split");
}

void validatePredictionInput(const Eigen::MatrixXd& x, Eigen::Index featureCount, bool fitted,
                             const std::string& model)
{
    if (!fitted)
        throw core::NotFitted(model + " is not fitted — call fit (train the model) before predicting");
    if (x.cols() != featureCount) {
        std::string message = "the input has ";
        message.append(std::to_string(x.cols())).append(" feature columns but ").append(model);
        message.append(" was trained on ").append(std::to_string(featureCount));
        message.append(" — transform the rows with the same pipeline as the training rows");
        throw core::DataError(message);
    }
    for (Eigen::Index column = 0; column < x.cols(); ++column) {
        for (Eigen::Index row = 0; row < x.rows(); ++row) {
            if (!std::isfinite(x(row, column))) {
                std::string message = "feature number ";
                message.append(std::to_string(column + 1)).append(" has a missing or infinite value in row ");
                message.append(std::to_string(row + 1)).append(" — impute or drop missing values before predicting");
                throw core::DataError(message);
            }
        }
    }
}

Eigen::VectorXi rowArgmax(const Eigen::MatrixXd& scores)
{
    Eigen::VectorXi best(scores.rows());
    for (Eigen::Index row = 0; row < scores.rows(); ++row) {
        Eigen::Index index = 0;
        for (Eigen::Index column = 1; column < scores.cols(); ++column)
            if (scores(row, column) > scores(row, index))
                index = column;
        best(row) = static_cast<int>(index);
    }
    return best;
}

std::vector<std::vector<std::int64_t>> confusionMatrix(const Eigen::VectorXd& actual, const Eigen::VectorXi& predicted,
                                                       int classCount, const std::vector<bool>& use)
{
    std::vector<int> usedActual, usedPredicted;
    for (Eigen::Index row = 0; row < actual.size(); ++row)
        if (use.empty() || use[static_cast<std::size_t>(row)]) {
            usedActual.push_back(static_cast<int>(actual(row)));
            usedPredicted.push_back(predicted(row));
        }
    return evaluation::confusionMatrix(usedActual, usedPredicted, classCount);
}

double accuracyOf(const std::vector<std::vector<std::int64_t>>& confusion)
{
    std::int64_t total = 0;
    std::int64_t correct = 0;
    for (std::size_t actual = 0; actual < confusion.size(); ++actual) {
        for (std::size_t predicted = 0; predicted < confusion[actual].size(); ++predicted)
            total += confusion[actual][predicted];
        correct += confusion[actual][actual];
    }
    return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total);
}

double rSquared(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted, const std::vector<bool>& use)
{
    std::vector<double> usedActual, usedPredicted;
    for (Eigen::Index row = 0; row < actual.size(); ++row)
        if (use.empty() || use[static_cast<std::size_t>(row)]) {
            usedActual.push_back(actual(row));
            usedPredicted.push_back(predicted(row));
        }
    if (usedActual.size() < 2)
        return 0.0;
    const auto count = static_cast<Eigen::Index>(usedActual.size());
    return evaluation::regressionMetrics(Eigen::Map<const Eigen::VectorXd>(usedActual.data(), count),
                                         Eigen::Map<const Eigen::VectorXd>(usedPredicted.data(), count))
        .r2;
}

std::vector<double> balancedClassWeights(const Eigen::VectorXd& y, int classCount)
{
    std::vector<double> counts(static_cast<std::size_t>(std::max(classCount, 0)), 0.0);
    for (Eigen::Index row = 0; row < y.size(); ++row)
        counts[static_cast<std::size_t>(y(row))] += 1.0;
    const auto present = static_cast<double>(std::count_if(counts.begin(), counts.end(), [](double c) { return c > 0.0; }));
    std::vector<double> weights(counts.size(), 0.0);
    for (std::size_t k = 0; k < counts.size(); ++k)
        if (counts[k] > 0.0)
            weights[k] = static_cast<double>(y.size()) / (present * counts[k]);
    return weights;
}

core::ParamValues restoreParams(const std::vector<core::ParamSpec>& table,
                                const std::map<std::string, std::string>& saved, const std::string& model)
{
    try {
        return core::resolveParams(table, saved, model);
    } catch (const core::InvalidParameter& error) {
        throw core::ArchiveError(std::string("the saved ") + model + " has unusable parameters (" + error.what() +
                                 ") — the file is damaged or from another program; train the model again");
    }
}

core::TrainingSnapshot monitorSnapshot(const Dataset& data, const Eigen::MatrixXd& monitorOutput, int step,
                                       int totalSteps, const std::string& stepName)
{
    core::TrainingSnapshot snapshot;
    snapshot.step = step;
    snapshot.totalSteps = totalSteps;
    snapshot.stepName = stepName;
    snapshot.measuredOn = "validation rows";
    if (data.classCount > 0) {
        snapshot.metricName = "validation accuracy";
        snapshot.confusion = confusionMatrix(data.monitorY, rowArgmax(monitorOutput), data.classCount);
        snapshot.value = accuracyOf(snapshot.confusion);
    } else {
        snapshot.metricName = "validation R²";
        snapshot.value = rSquared(data.monitorY, monitorOutput.col(0));
    }
    return snapshot;
}

} // namespace stepwise::models
