#pragma once
/// \file
/// \brief The success criterion set on the Problem page, and the verdict on a result.

#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_type.hpp"
#include "stepwise/evaluation/metrics.hpp"

namespace stepwise::evaluation {

/// \brief "metric >= threshold" (or "<=" for errors such as log_loss, rmse).
struct SuccessCriterion {
    std::string metric;        ///< report spelling: "f1_macro", "accuracy", "rmse", …
    bool atLeast = true;       ///< true: value >= threshold; false: value <= threshold
    double threshold = 0.0;

    /// \brief "f1_macro>=0.85".
    std::string toString() const;
};

/// \brief One metric the success criterion may use.
struct MetricInfo {
    std::string name;         ///< report spelling
    std::string displayName;  ///< "F1 (macro)"
    bool higherIsBetter = true;
    std::string help;         ///< one sentence: what it measures, when to prefer it
};

/// \brief The metrics reported for a task, in report order.
const std::vector<MetricInfo>& metricsFor(core::TaskType task);

/// \brief Parses "METRIC>=VALUE" or "METRIC<=VALUE" (spaces allowed, metric names are
/// case-insensitive); throws `InvalidParameter` naming the metrics there are for the task.
SuccessCriterion parseSuccessCriterion(const std::string& text, core::TaskType task);

/// \brief The value of a metric by report name; nullopt when it was not computed
/// (e.g. roc_auc with a class absent from the test rows). Throws `InvalidParameter`
/// for a name that is not in `metricsFor` of the task.
std::optional<double> metricValue(const ClassificationMetrics& metrics, const std::string& name);
/// \brief Same for regression metrics.
std::optional<double> metricValue(const RegressionMetrics& metrics, const std::string& name);

/// \brief The verdict: the criterion, the measured value and whether it passed.
struct SuccessVerdict {
    SuccessCriterion criterion;
    std::optional<double> value;  ///< absent when the metric could not be computed
    bool passed = false;
};

/// \brief The latency budget judged: p99 single-row time against the budget.
struct LatencyVerdict {
    double budgetMs = 0.0;
    double measuredMs = 0.0;  ///< 99th percentile
    bool passed = false;
};

/// \brief Judges a measured value against a criterion (absent value ⇒ not passed).
SuccessVerdict judge(const SuccessCriterion& criterion, std::optional<double> value);

} // namespace stepwise::evaluation
