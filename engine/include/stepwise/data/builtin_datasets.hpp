#pragma once
/// \file
/// \brief Small real datasets bundled into the engine (`builtin:NAME`).

#include <string>
#include <vector>

#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief A bundled dataset: its name, suggested target, task and where it comes from.
struct BuiltinDataset {
    std::string name;         ///< "titanic"
    std::string target;       ///< suggested target column
    std::string task;         ///< "classification" or "regression"
    std::string description;  ///< one line: origin and what it is
};

/// \brief All bundled datasets, in alphabetical order.
const std::vector<BuiltinDataset>& builtinDatasets();

/// \brief Loads `name` (without the "builtin:" prefix); throws `DataError` listing the
/// available names for an unknown one.
Table loadBuiltinDataset(const std::string& name);

} // namespace stepwise::data
