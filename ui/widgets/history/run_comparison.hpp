#pragma once
/// \file
/// \brief Two runs (or a run and the current recipe) side by side in words: what changed
/// in the recipe ("Model · max_depth: 5 → 8") and how each metric moved, with which way
/// is better.

#include <QColor>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

#include "stepwise/io/project.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::ui {

/// \brief One recipe field change as a person reads it, e.g. "Prep · step 1 ‘Fill missing
/// values’ · numeric: mean → median". Step and model names come from `before` and `after`
/// (the recipes the change was computed between).
QString recipeChangeText(const io::FieldChange& change, const workflow::Recipe& before,
                         const workflow::Recipe& after);
/// \brief Every change from `before` to `after` in words (`io::recipeDiff`), in wizard
/// order: problem, data, prep, features, model, compared models, validation, search, seed.
QStringList recipeChangeLines(const workflow::Recipe& before, const workflow::Recipe& after);

/// \brief The metric a run is judged by: the recipe's success metric, else accuracy
/// (classification) or r2 (regression).
std::string mainMetricName(const workflow::Recipe& recipe);
/// \brief The value of `metric` among a run's metrics, if it has it.
std::optional<double> runMetric(const io::RunRecord& run, const std::string& metric);

/// \brief Which way a metric is better.
enum class MetricDirection { HigherIsBetter, LowerIsBetter, Neutral };
/// \brief The direction of `metric` (a report name, "cv_mean", "cv_std" or
/// "validation_score") for a run of `recipe`: the metric table's direction; the
/// cross-validation mean and the validation score follow the main metric; the
/// cross-validation spread is neutral (a smaller spread is not a better model).
MetricDirection metricDirection(const workflow::Recipe& recipe, const std::string& metric);
/// \brief "Accuracy", "Log loss", "Cross-validation mean (Accuracy)", …
QString metricLabel(const workflow::Recipe& recipe, const std::string& metric);

/// \brief How a metric moved between two runs.
enum class MetricMove { Better, Worse, Same, Unknown };
/// \brief Better, worse or the same from `before` to `after` in `direction`; Unknown when
/// a value is missing or the direction is neutral.
MetricMove metricMove(std::optional<double> before, std::optional<double> after, MetricDirection direction);
/// \brief The text colour of a move: green for better, red for worse, invalid otherwise.
QColor metricMoveColor(MetricMove move);

} // namespace stepwise::ui
