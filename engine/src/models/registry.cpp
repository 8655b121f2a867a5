#include "stepwise/models/registry.hpp"

#include <algorithm>

#include "models/decision_tree_model.hpp"
#include "models/gradient_boosting.hpp"
#include "models/lasso.hpp"
#include "models/knn.hpp"
#include "models/linear_regression.hpp"
#include "models/linear_svm.hpp"
#include "models/logistic_regression.hpp"
#include "models/naive_bayes.hpp"
#include "models/random_forest.hpp"
#include "models/ridge.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::models {
namespace {

std::string joinNames(const std::vector<std::string>& names)
{
    std::string joined;
    for (const auto& name : names) {
        if (!joined.empty())
            joined.append(", ");
        joined.append(name);
    }
    return joined;
}

} // namespace

const std::vector<ModelInfo>& modelRegistry()
{
    using core::TaskType;
    static const std::vector<ModelInfo> registry = {
        {"logistic_regression", "Logistic regression",
         "A linear model of class probabilities: fast, easy to interpret, a strong baseline when features are "
         "scaled.",
         {TaskType::Classification}, LogisticRegression::paramTable(),
         [](TaskType, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<LogisticRegression>(params);
         }},
        {"random_forest", "Random forest",
         "Many decision trees on resampled rows, averaged: handles non-linear effects and unscaled features "
         "with little tuning.",
         {TaskType::Classification, TaskType::Regression}, RandomForest::paramTable(),
         [](TaskType task, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<RandomForest>(task, params);
         }},
        {"linear_regression", "Linear regression",
         "Ordinary least squares: predicts a number as a weighted sum of the features, the baseline for "
         "regression.",
         {TaskType::Regression}, LinearRegression::paramTable(),
         [](TaskType, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<LinearRegression>(params);
         }},
        {"decision_tree", "Decision tree",
         "One tree of if-then splits on the features: easy to read and explain, captures non-linear effects, "
         "but overfits unless its depth or leaf size is limited.",
         {TaskType::Classification, TaskType::Regression}, DecisionTreeModel::paramTable(),
         [](TaskType task, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<DecisionTreeModel>(task, params);
         }},
        {"gradient_boosting", "Gradient boosting",
         "Many small trees, each correcting the errors of the ones before (scikit-learn's histogram gradient "
         "boosting): often the most accurate model on tables, with early stopping on held-out rows. Feature "
         "importance is each feature's share of the total split gain (scikit-learn's version has none).",
         {TaskType::Classification, TaskType::Regression}, GradientBoosting::paramTable(),
         [](TaskType task, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<GradientBoosting>(task, params);
         }},
        {"ridge", "Ridge regression",
         "Least squares with a penalty on the squared weights: steadier than plain linear regression when "
         "features are many or correlated.",
         {TaskType::Regression}, Ridge::paramTable(),
         [](TaskType, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<Ridge>(params);
         }},
        {"lasso", "Lasso",
         "Least squares with a penalty on the absolute weights: sets the weights of unhelpful features to "
         "exactly zero, so it also selects features.",
         {TaskType::Regression}, Lasso::paramTable(),
         [](TaskType, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<Lasso>(params);
         }},
        {"linear_svm", "Linear SVM",
         "A linear support vector machine: the widest-margin linear boundary (or, for regression, a linear "
         "fit that ignores small errors); decision scores instead of probabilities.",
         {TaskType::Classification, TaskType::Regression}, LinearSvm::paramTable(),
         [](TaskType task, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<LinearSvm>(task, params);
         }},
        {"knn", "k-nearest neighbours",
         "Predicts from the most similar training rows: no training to speak of, follows any shape of data; "
         "scale the features first.",
         {TaskType::Classification, TaskType::Regression}, KNearestNeighbours::paramTable(),
         [](TaskType task, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<KNearestNeighbours>(task, params);
         }},
        {"naive_bayes", "Gaussian naive Bayes",
         "Treats every feature as an independent bell curve per class: trains instantly, a quick baseline with "
         "calibrated-looking but often overconfident probabilities.",
         {TaskType::Classification}, GaussianNaiveBayes::paramTable(),
         [](TaskType, const core::ParamValues& params) -> std::unique_ptr<Model> {
             return std::make_unique<GaussianNaiveBayes>(params);
         }},
    };
    return registry;
}

const ModelInfo& findModel(const std::string& name)
{
    const auto& registry = modelRegistry();
    const auto it = std::find_if(registry.begin(), registry.end(), [&](const ModelInfo& info) { return info.name == name; });
    if (it != registry.end())
        return *it;
    std::vector<std::string> names;
    for (const auto& info : registry)
        names.push_back(info.name);
    throw core::InvalidParameter("there is no model named '" + name + "' — use one of: " + joinNames(names));
}

std::unique_ptr<Model> createModel(const std::string& name, core::TaskType task,
                                   const std::map<std::string, std::string>& params)
{
    const ModelInfo& info = findModel(name);
    if (std::find(info.tasks.begin(), info.tasks.end(), task) == info.tasks.end()) {
        std::vector<std::string> alternatives;
        for (const auto& other : modelRegistry())
            if (std::find(other.tasks.begin(), other.tasks.end(), task) != other.tasks.end())
                alternatives.push_back(other.name);
        throw core::InvalidParameter(name + " does not do " + core::toString(task) + " — use one of: " +
                                     joinNames(alternatives));
    }
    return info.create(task, core::resolveParams(info.params, params, name));
}

} // namespace stepwise::models
