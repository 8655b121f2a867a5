#include "stepwise/prep/transformers.hpp"

#include "features/feature_selector.hpp"
#include "features/formula_column.hpp"
#include "features/min_max_scaler.hpp"
#include "features/one_hot_encoder.hpp"
#include "features/ordinal_encoder.hpp"
#include "features/standard_scaler.hpp"
#include "prep/simple_imputer.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::prep {

std::unique_ptr<Transformer> makeTransformerForLoading(const std::string& kind)
{
    if (kind == "simple_imputer")
        return std::make_unique<SimpleImputer>();
    if (kind == "standard_scaler")
        return std::make_unique<features::StandardScaler>();
    if (kind == "min_max_scaler")
        return std::make_unique<features::MinMaxScaler>();
    if (kind == "one_hot_encoder")
        return std::make_unique<features::OneHotEncoder>();
    if (kind == "ordinal_encoder")
        return std::make_unique<features::OrdinalEncoder>();
    if (kind == "formula_column")
        return std::make_unique<features::FormulaColumn>();
    if (kind == "feature_selector")
        return std::make_unique<features::FeatureSelector>();
    std::string message = "unknown transformer kind '";
    message.append(kind);
    message.append("' in the archive (known: simple_imputer, standard_scaler, min_max_scaler, one_hot_encoder, "
                   "ordinal_encoder, formula_column, feature_selector) — the file is damaged or comes from a newer Stepwise");
    throw core::ArchiveError(message);
}

} // namespace stepwise::prep
