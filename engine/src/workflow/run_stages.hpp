#pragma once
// The stages a run and a pipeline preview share: choosing the feature columns, the
// class encoding of the target, the row filters and the split, and fitting the steps on
// the training rows. Kept in one place so the preview shows exactly what training does.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::workflow {

/// The data of a recipe, checked and split.
struct PreparedData {
    std::vector<std::string> features;  ///< feature columns of the data, in data order
    TargetClasses classes;              ///< classification only
    /// Rows of the data (indices into it, ascending) in each part. With separate test
    /// data, `test` indexes that table instead.
    std::vector<std::size_t> train, validation, test;
    std::size_t rowsBeforeFilters = 0;  ///< rows with a target, before the BeforeSplit steps
    std::size_t rowsAfterFilters = 0;
    std::vector<std::string> warnings;
};

/// What one step did, for the preview: the rows entering and leaving it (feature
/// columns; BeforeSplit steps see the target column too).
struct StepTrace {
    std::size_t index = 0;    ///< position in `pipelineSteps(recipe)`
    std::string description;  ///< the step's own words
    const data::Table* before = nullptr;
    const data::Table* after = nullptr;
};
using StepObserver = std::function<void(const StepTrace&)>;

/// Checks the target and the columns, drops rows without a target, applies the enabled
/// BeforeSplit steps to the data (and to `testData`), and splits as the recipe says.
/// `observe` sees each filter applied to the data. Throws `DataError` /
/// `InvalidParameter` with what to change (`StepDataError` … from a step).
PreparedData prepareData(const Recipe& recipe, const data::Table& data, const data::Table* testData,
                         core::TaskControl& control, const StepObserver& observe = {});

/// Throws `DataError` naming the class by its label when a class of `rowClasses` (class
/// indices into `labels`) has fewer than `needed` rows; `why` completes the sentence
/// ("a stratified split needs at least 2 rows per class — …"). The splitters only know
/// class indices, so the runner checks first and says which class the user has to fix.
void requireRowsPerClass(const std::vector<int>& rowClasses, const std::vector<std::string>& labels,
                         std::size_t needed, const std::string& target, const std::string& why);

/// The training target of `rows` of `data`.
prep::TrainingTarget trainingTarget(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                                    const std::vector<std::size_t>& rows);

/// The fitted transformers and the training rows they produced.
struct FittedSteps {
    std::vector<std::unique_ptr<prep::Transformer>> transformers;
    prep::LabelledRows train;
    /// What each training-only step did, e.g. "SMOTE … (712 → 878 training rows)".
    std::vector<std::string> trainingOnly;
};

/// The position of the step an error came from, mixed into the errors below so callers
/// can still catch them as the engine's `DataError` / `InvalidParameter`.
struct StepPosition {
    std::size_t index = 0;  ///< position in the recipe's steps (`pipelineSteps`)
};
/// A step could not run on the data; the message starts with the step's number and name.
struct StepDataError : core::DataError, StepPosition {
    StepDataError(std::size_t index, const std::string& message) : core::DataError(message), StepPosition{index} {}
};
/// A step's parameters are not allowed; the message starts with the step's number and name.
struct StepParameterError : core::InvalidParameter, StepPosition {
    StepParameterError(std::size_t index, const std::string& message)
        : core::InvalidParameter(message), StepPosition{index}
    {
    }
};

/// Runs `work`, turning its DataError / InvalidParameter into the step errors above.
template <typename Work>
void runStep(std::size_t index, const prep::StepSpec& spec, Work&& work)
{
    const auto prefix = [&] { return "step " + std::to_string(index + 1) + " '" + prep::findStep(spec.kind).displayName + "': "; };
    try {
        work();
    } catch (const StepPosition&) {
        throw;
    } catch (const core::DataError& error) {
        throw StepDataError(index, prefix() + error.problem());
    } catch (const core::InvalidParameter& error) {
        throw StepParameterError(index, prefix() + error.what());
    }
}

/// Fits the enabled Fitted and TrainingOnly steps of `steps` on `train`, in order
/// (samplers that run last after all others); BeforeSplit steps are skipped (they ran in
/// `prepareData`). `observe` sees every step that ran. A step's DataError or
/// InvalidParameter comes out as `StepDataError` / `StepParameterError`.
FittedSteps fitSteps(const std::vector<prep::StepSpec>& steps, prep::LabelledRows train, std::uint64_t seed,
                     core::TaskControl& control, const StepObserver& observe = {});

/// Why `table` cannot go into a model yet (a categorical column, a missing or infinite
/// value), with the step to add; nullopt when it can.
std::optional<std::string> modelReadinessProblem(const data::Table& table);

/// The model's input matrix from a table the steps have transformed: every column numeric
/// and every value finite, else `DataError` naming the column (and the row).
Eigen::MatrixXd modelMatrix(const data::Table& transformed);

} // namespace stepwise::workflow
