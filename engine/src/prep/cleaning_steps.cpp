#include <algorithm>

#include "prep/fitted_columns.hpp"
#include "prep/simple_imputer.hpp"
#include "prep/step_kinds.hpp"

namespace stepwise::prep {
namespace {

using core::ParamKind;

/// Keeps the rows with a value in every chosen column (all columns when none are chosen).
class MissingRowFilter final : public RowFilter {
public:
    explicit MissingRowFilter(std::vector<std::string> columns) : m_requested(std::move(columns)) {}

    std::string describe() const override
    {
        return m_requested.empty() ? "drop rows with a missing value"
                                   : "drop rows with a missing value in " + countOf(m_requested.size(), "chosen column");
    }

    std::vector<std::size_t> keptRows(const data::Table& table, core::TaskControl& control) const override
    {
        const std::vector<std::string> names = columnsInScope(table, m_requested, ColumnScope::Any, "missing-row filter");
        std::vector<const data::Column*> checked;
        for (const std::string& name : names)
            checked.push_back(&table.column(name));
        std::vector<std::size_t> kept;
        for (std::size_t row = 0; row < table.rowCount(); ++row) {
            if (row % 65536 == 0)
                control.progress(static_cast<double>(row) / static_cast<double>(table.rowCount()),
                                 "dropping rows with missing values");
            if (std::none_of(checked.begin(), checked.end(), [row](const data::Column* c) { return c->isMissing(row); }))
                kept.push_back(row);
        }
        return kept;
    }

private:
    std::vector<std::string> m_requested;
};

ImputationSpec imputationOf(const core::ParamValues& params)
{
    ImputationSpec spec;
    const std::string& numeric = params.text("numeric");
    spec.numeric = numeric == "median"     ? NumericImputation::Median
                   : numeric == "constant" ? NumericImputation::Constant
                                           : NumericImputation::Mean;
    spec.numericConstant = params.real("numeric_fill");
    spec.categorical = params.text("categorical") == "constant" ? CategoricalImputation::Constant
                                                                 : CategoricalImputation::MostFrequent;
    spec.categoricalConstant = params.text("categorical_fill");
    return spec;
}

} // namespace

std::vector<StepInfo> cleaningStepKinds()
{
    StepInfo dropMissing;
    dropMissing.kind = "drop_missing_rows";
    dropMissing.displayName = "Drop rows with missing values";
    dropMissing.description =
        "Removes every row with a gap in the chosen columns (all columns when none are chosen), before the split. "
        "Simple, but rows are lost, and new rows with gaps cannot be predicted.";
    dropMissing.stage = StepStage::Prep;
    dropMissing.phase = StepPhase::BeforeSplit;
    dropMissing.scope = ColumnScope::Any;
    dropMissing.makeRowFilter = [](const std::vector<std::string>& columns, const core::ParamValues&) {
        return std::make_unique<MissingRowFilter>(columns);
    };

    StepInfo impute;
    impute.kind = "impute";
    impute.displayName = "Fill missing values";
    impute.description = "Fills the gaps of the chosen columns with a value learned from the training rows only "
                         "(scikit-learn's SimpleImputer), so every row can be used and predicted.";
    impute.stage = StepStage::Prep;
    impute.phase = StepPhase::Fitted;
    impute.scope = ColumnScope::Any;
    impute.params = {
        {"numeric", ParamKind::Choice, "mean", 0, 0, false, {"mean", "median", "constant"},
         "How gaps in numbers are filled: the training mean, the training median (robust to outliers and skew), "
         "or numeric_fill."},
        {"numeric_fill", ParamKind::Real, "0", -1e300, 1e300, false, {},
         "The number used when numeric=constant, e.g. 0 when missing means none."},
        {"categorical", ParamKind::Choice, "most_frequent", 0, 0, false, {"most_frequent", "constant"},
         "How gaps in categories are filled: the commonest training category, or categorical_fill."},
        {"categorical_fill", ParamKind::Text, "missing", 0, 0, false, {},
         "The category used when categorical=constant, so \"unknown\" can carry meaning."},
    };
    impute.makeTransformer = [](const std::vector<std::string>& columns, const core::ParamValues& params) {
        return std::make_unique<SimpleImputer>(imputationOf(params), columns);
    };

    return {dropMissing, impute};
}

} // namespace stepwise::prep
