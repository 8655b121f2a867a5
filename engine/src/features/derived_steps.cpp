#include "features/feature_selector.hpp"
#include "features/formula_column.hpp"
#include "prep/step_kinds.hpp"

namespace stepwise::prep {

using core::ParamKind;

std::vector<StepInfo> derivedStepKinds()
{
    StepInfo formula;
    formula.kind = "formula";
    formula.displayName = "New column from a formula";
    formula.description =
        "Adds a numeric column computed from other numeric columns, e.g. family = sibsp + parch + 1 or "
        "log1p(fare). A row with a missing input gets a missing value; so does one without a finite result (x/0).";
    formula.stage = StepStage::Features;
    formula.phase = StepPhase::Fitted;
    formula.scope = ColumnScope::None;
    formula.params = {
        {"name", ParamKind::Text, "", 0, 0, false, {}, "The name of the new column; it must not exist yet."},
        {"expression", ParamKind::Text, "", 0, 0, false, {},
         "Numbers, column names (`in backquotes` when they hold spaces or symbols), + - * / ^ and parentheses, "
         "and the functions log, log1p, exp, sqrt, abs, pow(a,b), min(a,b), max(a,b)."},
    };
    formula.makeTransformer = [](const std::vector<std::string>&,
                                 const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        return std::make_unique<features::FormulaColumn>(params.text("name"), params.text("expression"));
    };

    StepInfo select;
    select.kind = "select_features";
    select.displayName = "Select features";
    select.description =
        "Drops numeric columns that carry little, judged on the training rows only: near-constant ones "
        "(variance), one of each pair of nearly duplicate ones (correlation), or all but the k most related to the "
        "target (kbest). Put it after filling missing values.";
    select.stage = StepStage::Features;
    select.phase = StepPhase::Fitted;
    select.scope = ColumnScope::Numeric;
    select.params = {
        {"method", ParamKind::Choice, "variance", 0, 0, false, {"variance", "correlation", "kbest"},
         "variance: drop columns whose training variance is at most variance_threshold; correlation: drop the "
         "later column of every pair with |r| above max_correlation; kbest: keep the k columns with the highest "
         "F statistic (ANOVA F for classification, F-test of the correlation for regression)."},
        {"variance_threshold", ParamKind::Real, "0", 0, 1e300, false, {},
         "method=variance: columns with a training variance at or below this go; 0 drops constant columns."},
        {"max_correlation", ParamKind::Real, "0.95", 0, 1, true, {},
         "method=correlation: the largest |Pearson r| two kept columns may have; lower drops more."},
        {"k", ParamKind::Integer, "10", 1, 100000, false, {},
         "method=kbest: how many columns to keep; all are kept when there are no more than k."},
    };
    select.makeTransformer = [](const std::vector<std::string>& columns,
                                const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        features::SelectionSpec spec;
        const std::string& method = params.text("method");
        spec.method = method == "kbest"         ? features::SelectionMethod::KBest
                      : method == "correlation" ? features::SelectionMethod::Correlation
                                                : features::SelectionMethod::Variance;
        spec.varianceThreshold = params.real("variance_threshold");
        spec.maxCorrelation = params.real("max_correlation");
        spec.k = params.integer("k");
        return std::make_unique<features::FeatureSelector>(spec, columns);
    };

    return {formula, select};
}

} // namespace stepwise::prep
