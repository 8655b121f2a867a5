#pragma once
/// \file
/// \brief Misconception warnings for teaching: the classic mistakes of a first machine
/// learning project (scaling before splitting, label-encoding a nominal column, accuracy
/// on an imbalanced target, testing on training data, tuning on the test set), detected
/// from plain values so each page can say — where the mistake happens — what was seen, why
/// it misleads and what to do. Also the metric guide of the Problem page and the
/// interpretability check of the kept model.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stepwise/core/task_type.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/workflow/audit.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::workflow {

/// \brief One misconception seen in the session, explained.
struct Misconception {
    /// \brief Stable key: "scaling_before_splitting", "label_encoding_nominal",
    /// "accuracy_on_imbalanced", "testing_on_training_data", "tuning_on_test_set",
    /// "black_box_when_interpretability_required".
    std::string kind;
    std::string seen;  ///< what was seen in this session (with the numbers and names)
    std::string why;   ///< why it misleads
    std::string fix;   ///< what to do instead
};

/// \brief The misconceptions among the audit's findings: "prescaled" becomes
/// "scaling_before_splitting", "ordinal_on_nominal" becomes "label_encoding_nominal",
/// "duplicates_across_split" becomes "testing_on_training_data"; other findings are not
/// misconceptions and are left out. Order follows `findings`.
std::vector<Misconception> misconceptionsFromAudit(const std::vector<AuditFinding>& findings);

/// \brief Share of the smallest class below which accuracy misleads (20 %).
inline constexpr double kImbalancedShare = 0.2;

/// \brief "accuracy_on_imbalanced" when `metric` is "accuracy" and the smallest of
/// `classCounts` (rows per class of the target) is less than `kImbalancedShare` of all
/// rows; `classLabels` (same order, may be empty) names that class.
std::optional<Misconception> accuracyOnImbalancedTarget(const std::string& metric,
                                                        const std::vector<std::size_t>& classCounts,
                                                        const std::vector<std::string>& classLabels = {});

/// \brief What is known about the rows a model is tested on.
struct TestDataFacts {
    /// \brief Fraction of the rows held out for the test (random or time split).
    double testSize = 0.2;
    /// \brief Rows the data has (the split's input); 0 when unknown.
    std::size_t rows = 0;
    /// \brief True when the model is tested on a separate file instead of a split.
    bool separateTestData = false;
    std::string trainSha256;  ///< SHA-256 (hex) of the training data, when known
    std::string testSha256;   ///< SHA-256 (hex) of the separate test data, when known
    std::size_t testRows = 0;           ///< rows of the separate test data
    std::size_t overlappingRows = 0;    ///< test rows that are exact copies of training rows
};

/// \brief "testing_on_training_data" when the separate test data is the training data
/// (same SHA-256, or every test row is also a training row), when some test rows are
/// training rows, or when the split would leave no test row (`testSize` ≤ 0, or
/// round-up of `testSize` × `rows` gives none).
std::optional<Misconception> testingOnTrainingData(const TestDataFacts& facts);

/// \brief Rows of `test` that are exact copies of a row of `train`, comparing the columns
/// both tables have by name (numbers by value, NaN equal to NaN; categories by label).
/// 0 when they share no column.
std::size_t countOverlappingRows(const data::Table& train, const data::Table& test);

/// \brief One training run as the tuning detector needs it.
struct TuningRun {
    /// \brief Everything that decides the run except the kept model's hyper-parameters
    /// (data, problem, split, steps, model name, seed): runs with the same key differ at
    /// most in hyper-parameters. `tuningRunFor` builds it from a recipe.
    std::string settingsKey;
    std::map<std::string, std::string> params;  ///< the kept model's hyper-parameters
    bool testScoreSeen = true;   ///< the user saw this run's test score before the next run
    /// \brief True when the run chose with held-out training rows: cross-validation, a
    /// validation set or a hyper-parameter search (which cross-validates).
    bool validated = false;
};

/// \brief The `TuningRun` of a run of `recipe`.
TuningRun tuningRunFor(const Recipe& recipe, bool testScoreSeen = true);

/// \brief Retrains in a row, at the end of `history`, after which tuning by the test
/// score is called out.
inline constexpr std::size_t kTestTuningRetrains = 3;

/// \brief "tuning_on_test_set" when the last `minRetrains` (or more) runs of `history`
/// (oldest first) are each a retrain that changed only hyper-parameters after the test
/// score of the run before was seen, with neither run validated.
std::optional<Misconception> tuningOnTestSet(const std::vector<TuningRun>& history,
                                             std::size_t minRetrains = kTestTuningRetrains);

/// \brief True for models whose predictions a person can follow: linear and logistic
/// models, naive Bayes, and decision trees of depth at most 4.
bool isInterpretableModel(const ModelChoice& model);

/// \brief "black_box_when_interpretability_required" when `interpretability` is Required
/// and `model` is not `isInterpretableModel` (a forest, boosting, kNN, a deep tree).
std::optional<Misconception> interpretabilityConflict(Interpretability interpretability, const ModelChoice& model);

/// \brief Which mistake costs more — the metric guide's question.
enum class MistakeCost {
    Equal,            ///< both kinds of mistake cost the same (regression: every unit of error alike)
    MissedPositives,  ///< a missed case is worse than a false alarm (classification)
    FalseAlarms,      ///< a false alarm is worse than a missed case (classification)
    LargeErrors,      ///< a large error costs more than its size says (regression)
};

/// \brief The metric guide's answer: a metric of `metricsFor(task)` and why.
struct MetricAdvice {
    std::string metric;  ///< report spelling ("f1_macro")
    std::string reason;  ///< one or two sentences naming what decided it
};

/// \brief Recommends a success metric for `task`, the target's `classCounts` (rows per
/// class; classification only, may be empty when no data is loaded) and which mistake
/// costs more. MissedPositives/FalseAlarms are read as Equal for a regression and
/// LargeErrors as Equal for a classification.
MetricAdvice recommendMetric(core::TaskType task, const std::vector<std::size_t>& classCounts, MistakeCost cost);

} // namespace stepwise::workflow
