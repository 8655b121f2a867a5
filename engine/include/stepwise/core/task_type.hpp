#pragma once
/// \file
/// \brief The kind of problem a recipe solves.

#include <optional>
#include <string>
#include <string_view>

namespace stepwise::core {

/// \brief Predict a class (classification) or a number (regression).
enum class TaskType { Classification, Regression };

/// \brief "classification" or "regression".
const char* toString(TaskType task);
/// \brief Parses "classification"/"regression"; nullopt otherwise.
std::optional<TaskType> parseTaskType(std::string_view text);

} // namespace stepwise::core
