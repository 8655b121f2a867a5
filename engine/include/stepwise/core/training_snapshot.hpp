#pragma once
/// \file
/// \brief A partial result a model reports while it trains, for live charts.

#include <cstdint>
#include <string>
#include <vector>

namespace stepwise::core {

/// \brief One point of a training curve plus, for classifiers, the confusion matrix at
/// that point. Every snapshot says which rows it was measured on, so the live view
/// never passes off a training-set number as a validation one.
struct TrainingSnapshot {
    int step = 0;             ///< trees finished, or optimiser iteration (1-based)
    int totalSteps = 0;       ///< planned trees, or the iteration limit
    std::string stepName;     ///< "trees" or "iteration"
    std::string metricName;   ///< e.g. "out-of-bag accuracy", "training loss"
    double value = 0.0;       ///< the metric at this step
    std::string measuredOn;   ///< "validation rows", "out-of-bag rows" or "training rows"
    /// \brief Which training run the point belongs to when several run in one task (a
    /// leaderboard model or a search candidate, e.g. "knn" or "random_forest #3"); set
    /// by `TaskControl::labelled`, empty otherwise.
    std::string source;
    /// \brief Rows = actual class, columns = predicted class; empty for regression.
    std::vector<std::vector<std::int64_t>> confusion;
};

} // namespace stepwise::core
