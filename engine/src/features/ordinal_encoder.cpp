#include "features/ordinal_encoder.hpp"

#include <algorithm>
#include <limits>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include "features/category_codes.hpp"
#include "prep/fitted_columns.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "ordinal encoder";

} // namespace

std::string OrdinalEncoder::describe() const
{
    if (!m_fitted)
        return "ordinal encoding of the categorical columns (not fitted yet)";
    std::string text = "ordinal encoding of ";
    text.append(prep::countOf(m_names.size(), "categorical column"));
    text.append(" (codes 0..k−1 in sorted category order, −1 for a category not seen in training)");
    return text;
}

void OrdinalEncoder::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    FittedCategories fitted = fitCategories(train, m_requested, control, kStep);
    m_names = std::move(fitted.names);
    m_categories = std::move(fitted.categories);
    m_fitted = true;
}

data::Table OrdinalEncoder::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    data::Table result = table;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const data::Column& column =
            prep::requireFittedColumn(table, m_names[i], data::ColumnType::Categorical, kStep);
        const std::vector<std::int32_t> categoryOf = categoryOfEachLevel(column, m_categories[i]);
        std::vector<double> values(column.size(), std::numeric_limits<double>::quiet_NaN());
        const auto& codes = column.codes();
        for (std::size_t row = 0; row < codes.size(); ++row)
            if (codes[row] != data::Column::kMissingCode)
                values[row] = categoryOf[static_cast<std::size_t>(codes[row])];
        // Replacing by name keeps the column at its position; the type changes to numeric.
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values)));
    }
    return result;
}

void OrdinalEncoder::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void OrdinalEncoder::load(core::InputArchive& archive)
{
    OrdinalEncoder loaded;
    archive >> loaded;
    if (!isConsistentFit(loaded.m_fitted, loaded.m_names, loaded.m_categories))
        throw prep::corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::features
