#pragma once
/// \file
/// \brief The steps of the prep and feature pipeline as a recipe lists them, and the
/// registry of step kinds. One table per kind (name, parameters with ranges and help,
/// which columns it acts on, when it runs) drives validation, the CLI and the GUI forms,
/// as the model registry does for models.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stepwise/core/params.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// \brief One step of the pipeline as the user configured it (a recipe value; nothing
/// fitted).
struct StepSpec {
    std::string kind;                           ///< registry name, e.g. "impute"
    bool enabled = true;                        ///< a disabled step stays listed but does nothing
    std::vector<std::string> columns;           ///< columns it acts on; empty = every column in its scope
    std::map<std::string, std::string> params;  ///< as typed; checked against the kind's table
    bool operator==(const StepSpec&) const = default;
};

/// \brief Which page lists a kind.
enum class StepStage { Prep, Features };

/// \brief When a step runs, and so whether it can leak.
enum class StepPhase {
    /// \brief A row filter on all rows before the split that learns nothing from them
    /// (drop exact duplicates, drop rows with a missing value).
    BeforeSplit,
    /// \brief A transformer fitted on the training rows and applied to every row; part of
    /// the saved model, so raw rows go in at prediction time.
    Fitted,
    /// \brief Changes the training rows only and is not part of the model (outlier
    /// removal, resampling): evaluation and prediction rows are never dropped or invented.
    TrainingOnly,
};

/// \brief The columns a kind can act on.
enum class ColumnScope {
    None,         ///< takes no columns (e.g. a formula names its inputs in the expression)
    Any,          ///< every column
    Numeric,      ///< numeric storage (numbers, integers, booleans, datetimes)
    Categorical,  ///< categorical storage
    Datetime,     ///< datetime kind only
};

/// \brief Training rows with their target, kept together while steps drop or add rows.
struct LabelledRows {
    data::Table table;
    TrainingTarget target;
};

/// \brief A `BeforeSplit` step: chooses rows of the whole table without learning
/// anything from them.
class RowFilter {
public:
    virtual ~RowFilter() = default;
    /// \brief What it does, e.g. "drop exact duplicate rows".
    virtual std::string describe() const = 0;
    /// \brief Rows of `table` to keep, ascending. `table` holds the feature columns and
    /// the target column. Throws `DataError` for a column it needs that is missing.
    virtual std::vector<std::size_t> keptRows(const data::Table& table, core::TaskControl& control) const = 0;
};

/// \brief A `TrainingOnly` step: returns new training rows (fewer, repeated or
/// synthetic), fitting whatever it needs on `rows` itself.
class Sampler {
public:
    virtual ~Sampler() = default;
    /// \brief What it does, e.g. "SMOTE oversampling of the minority classes".
    virtual std::string describe() const = 0;
    /// \brief The changed training rows. `seed` makes random choices repeatable.
    /// Throws `DataError` when the rows do not allow it (SMOTE on categorical columns).
    virtual LabelledRows apply(LabelledRows rows, std::uint64_t seed, core::TaskControl& control) const = 0;
    /// \brief True when it must see the model's final numeric matrix, so the runner
    /// applies it after every other step whatever its place in the list (SMOTE and
    /// random resampling, as imbalanced-learn places samplers just before the model).
    virtual bool runsLast() const { return false; }
};

/// \brief One registered step kind.
struct StepInfo {
    std::string kind;          ///< "impute" (recipe and CLI spelling)
    std::string displayName;   ///< "Fill missing values"
    std::string description;   ///< one or two sentences for the GUI: what and when
    StepStage stage = StepStage::Prep;
    StepPhase phase = StepPhase::Fitted;
    ColumnScope scope = ColumnScope::Any;
    std::vector<core::ParamSpec> params;  ///< drives validation, CLI and the GUI form
    /// \brief Exactly one of the three factories is set, matching `phase`. Each gets the
    /// spec's columns and its validated parameters, and throws `InvalidParameter` for a
    /// value the table cannot check (an expression, a list of edges).
    std::function<std::unique_ptr<Transformer>(const std::vector<std::string>&, const core::ParamValues&)>
        makeTransformer;
    std::function<std::unique_ptr<RowFilter>(const std::vector<std::string>&, const core::ParamValues&)>
        makeRowFilter;
    std::function<std::unique_ptr<Sampler>(const std::vector<std::string>&, const core::ParamValues&)> makeSampler;
};

/// \brief All registered kinds, prep kinds first, in the order the GUI offers them.
const std::vector<StepInfo>& stepRegistry();
/// \brief The entry of `kind`; throws `InvalidParameter` listing the kinds there are.
const StepInfo& findStep(const std::string& kind);
/// \brief `spec`'s parameters checked against its kind's table, defaults filled in.
core::ParamValues resolveStepParams(const StepSpec& spec);
/// \brief The one-line spelling `stepwise-cli train --step` takes:
/// `KIND[@COL,COL,…][:KEY=VALUE;KEY=VALUE;…]`, e.g. `encode@grade:method=ordinal;order=low,mid,high`.
std::string formatStepArgument(const StepSpec& spec);
/// \brief Parses what `formatStepArgument` writes; throws `InvalidParameter` for an
/// unknown kind or a malformed pair.
StepSpec parseStepArgument(const std::string& text);
/// \brief The step in words for lists and logs, e.g. "Fill missing values: median for
/// numbers, most frequent for categories (age, fare)".
std::string describeStep(const StepSpec& spec);

} // namespace stepwise::prep
