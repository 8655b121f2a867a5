#include "stepwise/prep/transformers.hpp"

#include <map>

#include "features/bin_discretizer.hpp"
#include "features/date_part_extractor.hpp"
#include "features/feature_selector.hpp"
#include "features/formula_column.hpp"
#include "features/math_transform.hpp"
#include "features/min_max_scaler.hpp"
#include "features/one_hot_encoder.hpp"
#include "features/ordinal_encoder.hpp"
#include "features/robust_scaler.hpp"
#include "features/standard_scaler.hpp"
#include "prep/column_renamer.hpp"
#include "prep/outlier_clipper.hpp"
#include "prep/simple_imputer.hpp"
#include "prep/sparse_column_dropper.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::prep {

void Transformer::exportOnnx(io::OnnxGraph& /*graph*/) const
{
    throw core::UnsupportedExport("the step \"" + describe() +
                                  "\" has no ONNX form — turn it off, or export the native "
                                  ".stepwise file or the Python script");
}

namespace {

using Factory = std::unique_ptr<Transformer> (*)();

template <typename Concrete>
std::unique_ptr<Transformer> make()
{
    return std::make_unique<Concrete>();
}

// Every transformer a model file may hold, by its kind().
const std::map<std::string, Factory>& factories()
{
    static const std::map<std::string, Factory> table = {
        {"simple_imputer", make<SimpleImputer>},
        {"sparse_column_dropper", make<SparseColumnDropper>},
        {"outlier_clipper", make<OutlierClipper>},
        {"column_renamer", make<ColumnRenamer>},
        {"standard_scaler", make<features::StandardScaler>},
        {"min_max_scaler", make<features::MinMaxScaler>},
        {"robust_scaler", make<features::RobustScaler>},
        {"one_hot_encoder", make<features::OneHotEncoder>},
        {"ordinal_encoder", make<features::OrdinalEncoder>},
        {"bin_discretizer", make<features::BinDiscretizer>},
        {"date_part_extractor", make<features::DatePartExtractor>},
        {"math_transform", make<features::MathTransform>},
        {"formula_column", make<features::FormulaColumn>},
        {"feature_selector", make<features::FeatureSelector>},
    };
    return table;
}

} // namespace

std::unique_ptr<Transformer> makeTransformerForLoading(const std::string& kind)
{
    const auto& table = factories();
    if (const auto it = table.find(kind); it != table.end())
        return it->second();
    std::string message = "unknown transformer kind '";
    message.append(kind);
    message.append("' in the archive (known:");
    for (const auto& entry : table)
        message.append(" ").append(entry.first);
    message.append(") — the file is damaged or comes from a newer Stepwise");
    throw core::ArchiveError(message);
}

} // namespace stepwise::prep
