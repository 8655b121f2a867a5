#include "stepwise/prep/transformers.hpp"

#include "features/min_max_scaler.hpp"
#include "features/one_hot_encoder.hpp"
#include "features/ordinal_encoder.hpp"
#include "features/standard_scaler.hpp"
#include "prep/column_renamer.hpp"
#include "prep/outlier_clipper.hpp"
#include "prep/simple_imputer.hpp"
#include "prep/sparse_column_dropper.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::prep {

std::unique_ptr<Transformer> makeTransformerForLoading(const std::string& kind)
{
    if (kind == "simple_imputer")
        return std::make_unique<SimpleImputer>();
    if (kind == "sparse_column_dropper")
        return std::make_unique<SparseColumnDropper>();
    if (kind == "outlier_clipper")
        return std::make_unique<OutlierClipper>();
    if (kind == "column_renamer")
        return std::make_unique<ColumnRenamer>();
    if (kind == "standard_scaler")
        return std::make_unique<features::StandardScaler>();
    if (kind == "min_max_scaler")
        return std::make_unique<features::MinMaxScaler>();
    if (kind == "one_hot_encoder")
        return std::make_unique<features::OneHotEncoder>();
    if (kind == "ordinal_encoder")
        return std::make_unique<features::OrdinalEncoder>();
    std::string message = "unknown transformer kind '";
    message.append(kind);
    message.append("' in the archive (known: simple_imputer, sparse_column_dropper, outlier_clipper, column_renamer, "
                   "standard_scaler, min_max_scaler, one_hot_encoder, ordinal_encoder) — the file is damaged or "
                   "comes from a newer Stepwise");
    throw core::ArchiveError(message);
}

} // namespace stepwise::prep
