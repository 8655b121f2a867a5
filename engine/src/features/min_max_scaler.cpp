#include "features/min_max_scaler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "min-max scaler";

} // namespace

std::string MinMaxScaler::describe() const
{
    if (!m_fitted)
        return "min-max scaling of the numeric columns to [0, 1] (not fitted yet)";
    std::string text = "min-max scaling of ";
    text.append(prep::countOf(m_names.size(), "numeric column"));
    text.append(" to [0, 1] over the training range");
    return text;
}

void MinMaxScaler::fit(const data::Table& train, core::TaskControl& control)
{
    std::vector<std::string> names;
    std::vector<double> scale, offset;
    const std::size_t columns = train.columnCount();
    for (std::size_t index = 0; index < columns; ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(columns), "fitting the min-max scaler");
        const data::Column& column = train.column(index);
        if (!column.isNumeric())
            continue;
        if (column.missingCount() == column.size())
            throw prep::noTrainingValues(column.name());
        double low = std::numeric_limits<double>::infinity();
        double high = -low;
        for (double value : column.values())
            if (!std::isnan(value)) {
                low = std::min(low, value);
                high = std::max(high, value);
            }
        // scikit-learn treats a range below 10·eps as zero and scales by 1, so a
        // constant column maps to 0 instead of dividing by (almost) nothing.
        const double range = high - low;
        const double columnScale = 1.0 / (range < 10.0 * std::numeric_limits<double>::epsilon() ? 1.0 : range);
        names.push_back(column.name());
        scale.push_back(columnScale);
        offset.push_back(0.0 - low * columnScale);
    }
    m_names = std::move(names);
    m_scale = std::move(scale);
    m_offset = std::move(offset);
    m_fitted = true;
    control.progress(1.0);
}

data::Table MinMaxScaler::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    data::Table result = table;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const data::Column& column = prep::requireFittedColumn(table, m_names[i], data::ColumnType::Numeric, kStep);
        std::vector<double> values = column.values();
        for (double& value : values)
            value = value * m_scale[i] + m_offset[i];
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values)));
    }
    return result;
}

void MinMaxScaler::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void MinMaxScaler::load(core::InputArchive& archive)
{
    MinMaxScaler loaded;
    archive >> loaded;
    if (!loaded.m_fitted || loaded.m_names.size() != loaded.m_scale.size() ||
        loaded.m_names.size() != loaded.m_offset.size())
        throw prep::corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::features
