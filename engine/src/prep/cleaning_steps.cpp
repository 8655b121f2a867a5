#include <algorithm>

#include "prep/column_renamer.hpp"
#include "prep/duplicate_row_filter.hpp"
#include "prep/fitted_columns.hpp"
#include "prep/outlier_clipper.hpp"
#include "prep/outlier_remover.hpp"
#include "prep/simple_imputer.hpp"
#include "prep/sparse_column_dropper.hpp"
#include "prep/step_kinds.hpp"
#include "stepwise/core/errors.hpp"

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
    spec.numeric = numeric == "median"          ? NumericImputation::Median
                   : numeric == "most_frequent" ? NumericImputation::MostFrequent
                   : numeric == "constant"      ? NumericImputation::Constant
                   : numeric == "ffill"         ? NumericImputation::ForwardFill
                   : numeric == "bfill"         ? NumericImputation::BackwardFill
                                                : NumericImputation::Mean;
    spec.numericConstant = params.real("numeric_fill");
    const std::string& categorical = params.text("categorical");
    spec.categorical = categorical == "constant" ? CategoricalImputation::Constant
                       : categorical == "ffill"  ? CategoricalImputation::ForwardFill
                       : categorical == "bfill"  ? CategoricalImputation::BackwardFill
                                                 : CategoricalImputation::MostFrequent;
    spec.categoricalConstant = params.text("categorical_fill");
    spec.indicator = params.boolean("indicator");
    return spec;
}

/// The parameters clip_outliers and remove_outliers share.
std::vector<core::ParamSpec> outlierParams()
{
    return {
        {"method", ParamKind::Choice, "iqr", 0, 0, false, {"iqr", "zscore"},
         "How the bounds are set: iqr from the quartiles (robust, suits skewed numbers), zscore from the mean and "
         "standard deviation (suits roughly bell-shaped numbers)."},
        {"iqr_factor", ParamKind::Real, "1.5", 0, 100, true, {},
         "For method=iqr, how many IQRs beyond the quartiles a value may lie: raise it (e.g. 3) to treat fewer "
         "values as outliers."},
        {"z_limit", ParamKind::Real, "3", 0, 100, true, {},
         "For method=zscore, how many standard deviations from the mean a value may lie: raise it to treat fewer "
         "values as outliers."},
    };
}

std::pair<OutlierRule, double> outlierRuleOf(const core::ParamValues& params)
{
    if (params.text("method") == "zscore")
        return {OutlierRule::ZScore, params.real("z_limit")};
    return {OutlierRule::Iqr, params.real("iqr_factor")};
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
                         "(scikit-learn's SimpleImputer) or, for rows in time order, with the previous or next "
                         "value, so every row can be used and predicted.";
    impute.stage = StepStage::Prep;
    impute.phase = StepPhase::Fitted;
    impute.scope = ColumnScope::Any;
    impute.params = {
        {"numeric", ParamKind::Choice, "mean", 0, 0, false,
         {"mean", "median", "most_frequent", "constant", "ffill", "bfill"},
         "How gaps in numbers are filled: the training mean, median (robust to outliers and skew) or commonest "
         "value, numeric_fill, or the previous (ffill) / next (bfill) value in row order, for data in time order."},
        {"numeric_fill", ParamKind::Real, "0", -1e300, 1e300, false, {},
         "The number used when numeric=constant, e.g. 0 when missing means none."},
        {"categorical", ParamKind::Choice, "most_frequent", 0, 0, false,
         {"most_frequent", "constant", "ffill", "bfill"},
         "How gaps in categories are filled: the commonest training category, categorical_fill, or the previous "
         "(ffill) / next (bfill) category in row order."},
        {"categorical_fill", ParamKind::Text, "missing", 0, 0, false, {},
         "The category used when categorical=constant, so \"unknown\" can carry meaning."},
        {"indicator", ParamKind::Boolean, "false", 0, 0, false, {},
         "Turn on to add a 0/1 column '<column>_was_missing' after each column that had gaps in training, for "
         "when being missing itself says something."},
    };
    impute.makeTransformer = [](const std::vector<std::string>& columns, const core::ParamValues& params) {
        return std::make_unique<SimpleImputer>(imputationOf(params), columns);
    };

    StepInfo dropDuplicates;
    dropDuplicates.kind = "drop_duplicates";
    dropDuplicates.displayName = "Drop duplicate rows";
    dropDuplicates.description =
        "Removes rows that repeat another row in the chosen columns (all columns when none are chosen), before the "
        "split, so one row cannot sit in both the training and the test rows and make the scores look better.";
    dropDuplicates.stage = StepStage::Prep;
    dropDuplicates.phase = StepPhase::BeforeSplit;
    dropDuplicates.scope = ColumnScope::Any;
    dropDuplicates.params = {
        {"keep", ParamKind::Choice, "first", 0, 0, false, {"first", "last", "none"},
         "Which row of a group of equal rows stays: the first, the last (e.g. the latest correction), or none "
         "(every copy goes, when repeated rows are suspect)."},
    };
    dropDuplicates.makeRowFilter = [](const std::vector<std::string>& columns, const core::ParamValues& params) {
        const std::string& keep = params.text("keep");
        return std::make_unique<DuplicateRowFilter>(columns, keep == "last"   ? KeepDuplicate::Last
                                                             : keep == "none" ? KeepDuplicate::None
                                                                              : KeepDuplicate::First);
    };

    StepInfo dropSparse;
    dropSparse.kind = "drop_sparse_columns";
    dropSparse.displayName = "Drop mostly empty columns";
    dropSparse.description =
        "Drops the chosen columns (all when none are chosen) whose share of missing values in the training rows "
        "is above a threshold — use it when filling such a column would mean inventing most of its values.";
    dropSparse.stage = StepStage::Prep;
    dropSparse.phase = StepPhase::Fitted;
    dropSparse.scope = ColumnScope::Any;
    dropSparse.params = {
        {"max_missing", ParamKind::Real, "0.5", 0, 1, false, {},
         "The largest share of missing training values (0 to 1) a column may have and stay: lower it to drop "
         "more columns."},
    };
    dropSparse.makeTransformer = [](const std::vector<std::string>& columns, const core::ParamValues& params) {
        return std::make_unique<SparseColumnDropper>(params.real("max_missing"), columns);
    };

    StepInfo clip;
    clip.kind = "clip_outliers";
    clip.displayName = "Clip outliers";
    clip.description =
        "Caps extreme numbers at bounds learned from the training rows (IQR fences or a z-score limit). Every row "
        "stays; use it when a few extreme values would otherwise dominate a linear model.";
    clip.stage = StepStage::Prep;
    clip.phase = StepPhase::Fitted;
    clip.scope = ColumnScope::Numeric;
    clip.params = outlierParams();
    clip.makeTransformer = [](const std::vector<std::string>& columns, const core::ParamValues& params) {
        const auto [rule, factor] = outlierRuleOf(params);
        return std::make_unique<OutlierClipper>(rule, factor, columns);
    };

    StepInfo remove;
    remove.kind = "remove_outliers";
    remove.displayName = "Remove outlier rows";
    remove.description =
        "Drops training rows with an extreme number in a chosen column (bounds from the training rows); test and "
        "new rows are never dropped. Use it when extreme rows are mistakes rather than real cases.";
    remove.stage = StepStage::Prep;
    remove.phase = StepPhase::TrainingOnly;
    remove.scope = ColumnScope::Numeric;
    remove.params = outlierParams();
    remove.makeSampler = [](const std::vector<std::string>& columns, const core::ParamValues& params) {
        const auto [rule, factor] = outlierRuleOf(params);
        return std::make_unique<OutlierRemover>(rule, factor, columns);
    };

    StepInfo rename;
    rename.kind = "rename";
    rename.displayName = "Rename a column";
    rename.description = "Gives one column a new name, e.g. a clearer one for the reports; the saved model still "
                         "takes the original name from new data.";
    rename.stage = StepStage::Prep;
    rename.phase = StepPhase::Fitted;
    rename.scope = ColumnScope::Any;
    rename.params = {
        {"to", ParamKind::Text, "", 0, 0, false, {},
         "The column's new name; it must differ from every other column's name."},
    };
    rename.makeTransformer = [](const std::vector<std::string>& columns, const core::ParamValues& params) {
        if (columns.size() != 1) {
            std::string message = "rename takes exactly one column, but ";
            message.append(columns.empty() ? std::string("none") : std::to_string(columns.size()));
            message.append(" were given — choose the one column to rename");
            throw core::InvalidParameter(message);
        }
        return std::make_unique<ColumnRenamer>(columns.front(), params.text("to"));
    };

    return {dropDuplicates, dropMissing, dropSparse, rename, clip, remove, impute};
}

} // namespace stepwise::prep
