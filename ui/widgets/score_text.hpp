#pragma once
/// \file
/// \brief How scores, their spread and cross-validation strategies read in the tables
/// and notes of the Training page.

#include <QString>

#include <string>

#include "stepwise/core/task_type.hpp"

namespace stepwise::ui {

/// \brief A score with three decimals in the user's locale ("0.812").
QString scoreText(double value);
/// \brief "0.812 ± 0.021".
QString meanStdText(double mean, double std);
/// \brief A cross-validation as a person says it: "stratified:5" → "5-fold stratified",
/// "timeseries:5:2" → "5-fold time series, gap 2"; text it cannot read comes back as is.
QString cvText(const std::string& strategy);
/// \brief The display name of a metric of `task` ("f1_macro" → "F1 (macro)"); an
/// unknown name comes back as is.
QString metricDisplayName(core::TaskType task, const std::string& metric);

} // namespace stepwise::ui
