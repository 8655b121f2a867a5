#include "features/min_max_scaler.hpp"
#include "features/one_hot_encoder.hpp"
#include "features/ordinal_encoder.hpp"
#include "features/standard_scaler.hpp"
#include "prep/step_kinds.hpp"

namespace stepwise::prep {

using core::ParamKind;

std::vector<StepInfo> encodingStepKinds()
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
        {"method", ParamKind::Choice, "standard", 0, 0, false, {"standard", "minmax"},
         "standard: minus the mean, divided by the standard deviation; minmax: to [0, 1] over the training range."},
    };
    scale.makeTransformer = [](const std::vector<std::string>& columns,
                               const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        if (params.text("method") == "minmax")
            return std::make_unique<features::MinMaxScaler>(columns);
        return std::make_unique<features::StandardScaler>(columns);
    };

    StepInfo encode;
    encode.kind = "encode";
    encode.displayName = "Encode categories";
    encode.description = "Turns categorical columns into numbers. One-hot makes a 0/1 column per category and "
                         "suits nominal categories; ordinal numbers them and suits ordered ones.";
    encode.stage = StepStage::Features;
    encode.phase = StepPhase::Fitted;
    encode.scope = ColumnScope::Categorical;
    encode.params = {
        {"method", ParamKind::Choice, "onehot", 0, 0, false, {"onehot", "ordinal"},
         "onehot: one 0/1 column per training category (unseen categories get all zeros); ordinal: codes "
         "0..k-1 in sorted order."},
    };
    encode.makeTransformer = [](const std::vector<std::string>& columns,
                                const core::ParamValues& params) -> std::unique_ptr<Transformer> {
        if (params.text("method") == "ordinal")
            return std::make_unique<features::OrdinalEncoder>(columns);
        return std::make_unique<features::OneHotEncoder>(columns);
    };

    return {scale, encode};
}

} // namespace stepwise::prep
