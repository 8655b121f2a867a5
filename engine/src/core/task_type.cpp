#include "stepwise/core/task_type.hpp"

namespace stepwise::core {

const char* toString(TaskType task) { return task == TaskType::Classification ? "classification" : "regression"; }

std::optional<TaskType> parseTaskType(std::string_view text)
{
    if (text == "classification")
        return TaskType::Classification;
    if (text == "regression")
        return TaskType::Regression;
    return std::nullopt;
}

} // namespace stepwise::core
