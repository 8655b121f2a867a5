#pragma once
/// \file
/// \brief Every model the engine has, by name: its hyper-parameter table, the tasks it
/// solves, and a factory. CLI, GUI and archive loading all go through here.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stepwise/core/params.hpp"
#include "stepwise/core/task_type.hpp"
#include "stepwise/models/model.hpp"

namespace stepwise::models {

/// \brief One registered model.
struct ModelInfo {
    std::string name;          ///< "random_forest" (CLI spelling)
    std::string displayName;   ///< "Random forest"
    std::string description;   ///< one sentence for the GUI
    std::vector<core::TaskType> tasks;  ///< tasks it can solve
    std::vector<core::ParamSpec> params; ///< the table driving CLI, GUI and validation
    /// \brief Builds an unfitted model for `task` with validated parameters.
    std::function<std::unique_ptr<Model>(core::TaskType task, const core::ParamValues& params)> create;
};

/// \brief All registered models, in display order.
const std::vector<ModelInfo>& modelRegistry();

/// \brief The entry named `name`; throws `InvalidParameter` listing the names there are.
const ModelInfo& findModel(const std::string& name);

/// \brief Validates `params` against the model's table and builds the model.
/// Throws `InvalidParameter` if the model does not solve `task` or a value is bad.
std::unique_ptr<Model> createModel(const std::string& name, core::TaskType task,
                                   const std::map<std::string, std::string>& params);

} // namespace stepwise::models
