#include "features/standard_scaler.hpp"

#include <cmath>
#include <limits>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "standard scaler";

struct MeanAndScale {
    double mean;
    double scale;
};

/// scikit-learn's corrected two-pass mean and variance (Chan, Golub & LeVeque) over the
/// present values, and its test for a column that is constant up to rounding.
MeanAndScale meanAndScale(const std::vector<double>& values)
{
    double sum = 0.0;
    std::size_t count = 0;
    for (double value : values)
        if (!std::isnan(value)) {
            sum += value;
            ++count;
        }
    const double n = static_cast<double>(count);
    const double mean = sum / n;
    double correction = 0.0;
    double squares = 0.0;
    for (double value : values)
        if (!std::isnan(value)) {
            const double deviation = value - mean;
            correction += deviation;
            squares += deviation * deviation;
        }
    const double variance = (squares - correction * correction / n) / n;
    constexpr double eps = std::numeric_limits<double>::epsilon();
    const double bound = n * eps * variance + (n * mean * eps) * (n * mean * eps);
    return {mean, variance <= bound ? 1.0 : std::sqrt(variance)};
}

} // namespace

std::string StandardScaler::describe() const
{
    if (!m_fitted)
        return "standard scaling of the numeric columns (not fitted yet)";
    std::string text = "standard scaling of ";
    text.append(prep::countOf(m_names.size(), "numeric column"));
    text.append(" (minus the training mean, divided by the training standard deviation)");
    return text;
}

void StandardScaler::fit(const data::Table& train, core::TaskControl& control)
{
    std::vector<std::string> names;
    std::vector<double> mean, scale;
    const std::size_t columns = train.columnCount();
    for (std::size_t index = 0; index < columns; ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(columns), "fitting the standard scaler");
        const data::Column& column = train.column(index);
        if (!column.isNumeric())
            continue;
        if (column.missingCount() == column.size())
            throw prep::noTrainingValues(column.name());
        const MeanAndScale statistics = meanAndScale(column.values());
        names.push_back(column.name());
        mean.push_back(statistics.mean);
        scale.push_back(statistics.scale);
    }
    m_names = std::move(names);
    m_mean = std::move(mean);
    m_scale = std::move(scale);
    m_fitted = true;
    control.progress(1.0);
}

data::Table StandardScaler::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    data::Table result = table;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const data::Column& column = prep::requireFittedColumn(table, m_names[i], data::ColumnType::Numeric, kStep);
        std::vector<double> values = column.values();
        for (double& value : values)
            value = (value - m_mean[i]) / m_scale[i];
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values)));
    }
    return result;
}

void StandardScaler::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void StandardScaler::load(core::InputArchive& archive)
{
    StandardScaler loaded;
    archive >> loaded;
    if (!loaded.m_fitted || loaded.m_names.size() != loaded.m_mean.size() ||
        loaded.m_names.size() != loaded.m_scale.size())
        throw prep::corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::features
