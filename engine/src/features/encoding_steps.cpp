#include "features/bin_discretizer.hpp"
#include "features/date_part_extractor.hpp"
#include "features/math_transform.hpp"
#include "features/min_max_scaler.hpp"
#include "features/one_hot_encoder.hpp"
#include "features/ordinal_encoder.hpp"
#include "features/robust_scaler.hpp"
#include "features/standard_scaler.hpp"
#include "prep/step_kinds.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::prep {
namespace {

using core::ParamKind;

/// The comma-separated categories of an ordinal order, trimmed; empty text, no order.
std::vector<std::string> orderOf(const std::string& text)
{
    std::vector<std::string> categories;
    if (text.find_first_not_of(" \t") == std::string::npos)
        return categories;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        std::string category = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        category.erase(0, category.find_first_not_of(" \t"));
        category.erase(category.find_last_not_of(" \t") + 1);
        categories.push_back(std::move(category));
        if (comma == std::string::npos)
            return categories;
        start = comma + 1;
    }
}

StepInfo scaleKind()
{
    StepInfo scale;
    scale.kind = "scale";
    scale.displayName = "Scale numbers";
    scale.description = "Puts numeric columns on a common scale learned from the training rows — needed by "
                        "distance- and gradient-based models (logistic regression, kNN), harmless for trees.";
    scale.stage = StepStage::Features;
    scale.phase = StepPhase::Fitted;
    scale.scope = ColumnScope::Numeric;
    scale.params = {
        {"method", ParamKind::Choice, "standard", 0, 0, false, {"standard", "minmax", "robust"},
         "standard: minus the mean, divided by the standard deviation; minmax: to [0, 1] over the training range; "
         "robust: minus the median, divided by the interquartile range, so outliers matter less."},
    };
    scale.makeTransformer = [](const std::vector<std::string>& columns,
                               const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        const std::string& method = params.text("method");
        if (method == "minmax")
            return std::make_unique<features::MinMaxScaler>(columns);
        if (method == "robust")
            return std::make_unique<features::RobustScaler>(columns);
        return std::make_unique<features::StandardScaler>(columns);
    };
    return scale;
}

StepInfo encodeKind()
{
    StepInfo encode;
    encode.kind = "encode";
    encode.displayName = "Encode categories";
    encode.description = "Turns categorical columns into numbers. One-hot makes a 0/1 column per category and "
                         "suits nominal categories; ordinal numbers them and suits ordered ones — give the order "
                         "(low, medium, high) so the numbers mean something.";
    encode.stage = StepStage::Features;
    encode.phase = StepPhase::Fitted;
    encode.scope = ColumnScope::Categorical;
    encode.params = {
        {"method", ParamKind::Choice, "onehot", 0, 0, false, {"onehot", "ordinal"},
         "onehot: one 0/1 column per training category; ordinal: codes 0..k-1 in sorted order, or in the given "
         "order."},
        {"order", ParamKind::Text, "", 0, 0, false, {},
         "For ordinal encoding of one column: its categories lowest first, comma-separated, e.g. low,medium,high."},
        {"unknown", ParamKind::Choice, "ignore", 0, 0, false, {"ignore", "error"},
         "What a category not seen in training gets: ignore gives all zeros (one-hot) or -1 (ordinal); error "
         "stops with the row."},
    };
    encode.makeTransformer = [](const std::vector<std::string>& columns,
                                const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        const bool refuseUnknown = params.text("unknown") == "error";
        std::vector<std::string> order = orderOf(params.text("order"));
        if (params.text("method") == "ordinal")
            return std::make_unique<features::OrdinalEncoder>(columns, std::move(order), refuseUnknown);
        if (!order.empty())
            throw core::InvalidParameter("order '" + params.text("order") +
                                         "' is only used by ordinal encoding — set method=ordinal, or leave order "
                                         "empty for one-hot");
        return std::make_unique<features::OneHotEncoder>(columns, refuseUnknown);
    };
    return encode;
}

StepInfo binKind()
{
    StepInfo bin;
    bin.kind = "bin";
    bin.displayName = "Bin numbers";
    bin.description = "Cuts a numeric column into ranges (age into child, adult, senior) so a model can treat each "
                      "range on its own. Equal-width and quantile ranges are learned from the training rows; or give "
                      "the edges yourself.";
    bin.stage = StepStage::Features;
    bin.phase = StepPhase::Fitted;
    bin.scope = ColumnScope::Numeric;
    bin.params = {
        {"strategy", ParamKind::Choice, "quantile", 0, 0, false, {"uniform", "quantile", "edges"},
         "uniform: equal-width bins over the training range; quantile: bins holding about equally many training "
         "rows; edges: the bins between the edges you give."},
        {"bins", ParamKind::Integer, "5", 2, 1000, false, {},
         "How many bins uniform and quantile make: more keep more detail, fewer hold more rows each."},
        {"edges", ParamKind::Text, "", 0, 0, false, {},
         "For strategy=edges: increasing bin edges, comma-separated, e.g. 0,18,65,inf; a value outside them "
         "becomes missing."},
        {"labels", ParamKind::Text, "", 0, 0, false, {},
         "For output=category: one name per bin, comma-separated (e.g. child,adult,senior); empty names bins like "
         "(0, 18]."},
        {"output", ParamKind::Choice, "ordinal", 0, 0, false, {"ordinal", "category"},
         "ordinal: the bin number 0, 1, 2, … as a number; category: the bin's label, for a later Encode step."},
        {"right", ParamKind::Boolean, "true", 0, 0, false, {},
         "For strategy=edges: true puts a value equal to an edge in the bin to its left, (a, b]; false in the bin "
         "to its right, [a, b)."},
    };
    bin.makeTransformer = [](const std::vector<std::string>& columns,
                             const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        return std::make_unique<features::BinDiscretizer>(
            features::binSettingsFromText(params.text("strategy"), params.integer("bins"), params.text("edges"),
                                          params.text("labels"), params.text("output"), params.boolean("right")),
            columns);
    };
    return bin;
}

StepInfo datePartsKind()
{
    StepInfo dates;
    dates.kind = "date_parts";
    dates.displayName = "Split dates into parts";
    dates.description = "Replaces a date column by numbers a model can use — year, month, day of the week, days "
                        "since a start date — since models cannot read dates themselves.";
    dates.stage = StepStage::Features;
    dates.phase = StepPhase::Fitted;
    dates.scope = ColumnScope::Datetime;
    dates.params = {
        {"parts", ParamKind::Text, "year,month,day,dayofweek", 0, 0, false, {},
         "Which parts to make, comma-separated: year, month, day, dayofweek (Monday = 0), hour, quarter, "
         "days_since."},
        {"since", ParamKind::Text, "", 0, 0, false, {},
         "For days_since: the start date as YYYY-MM-DD; empty counts from the earliest training date."},
        {"keep", ParamKind::Boolean, "false", 0, 0, false, {},
         "Also keep the original column, as seconds since 1970, in front of its parts."},
    };
    dates.makeTransformer = [](const std::vector<std::string>& columns,
                               const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        return std::make_unique<features::DatePartExtractor>(features::datePartsFromText(params.text("parts")),
                                                             features::sinceDayFromText(params.text("since")),
                                                             params.boolean("keep"), columns);
    };
    return dates;
}

StepInfo mathKind()
{
    StepInfo math;
    math.kind = "math";
    math.displayName = "Transform numbers";
    math.description = "Applies a function to numeric columns in place — log1p or sqrt tame skewed amounts such as "
                       "prices; square or a power lets a linear model bend.";
    math.stage = StepStage::Features;
    math.phase = StepPhase::Fitted;
    math.scope = ColumnScope::Numeric;
    math.params = {
        {"function", ParamKind::Choice, "log1p", 0, 0, false, {"log1p", "log", "sqrt", "square", "power"},
         "log1p: log(1 + x), fine with zeros; log: values above 0 only; sqrt: 0 or more; square: x²; power: x to "
         "the power below."},
        {"power", ParamKind::Real, "2", -100, 100, false, {},
         "The exponent for function=power, e.g. 0.5 for a square root or 3 for a cube."},
    };
    math.makeTransformer = [](const std::vector<std::string>& columns,
                              const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        return std::make_unique<features::MathTransform>(features::mathFunctionFromText(params.text("function")),
                                                         params.real("power"), columns);
    };
    return math;
}

} // namespace

std::vector<StepInfo> encodingStepKinds()
{
    return {datePartsKind(), mathKind(), binKind(), scaleKind(), encodeKind()};
}

} // namespace stepwise::prep
