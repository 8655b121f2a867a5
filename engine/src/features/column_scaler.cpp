#include "features/column_scaler.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::features {

std::string ColumnScaler::describe() const
{
    std::string text = m_activity;
    text.append(m_fitted ? " of " + prep::countOf(m_names.size(), "numeric column") : " of the numeric columns");
    text.push_back(' ');
    text.append(effect());
    if (!m_fitted)
        text.append(" (not fitted yet)");
    return text;
}

void ColumnScaler::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    std::vector<std::string> names;
    std::vector<double> shift, divisor;
    const std::vector<std::string> scaled = prep::columnsInScope(train, m_requested, prep::ColumnScope::Numeric, m_step);
    for (std::size_t index = 0; index < scaled.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(scaled.size()), "fitting the " + m_step);
        const data::Column& column = train.column(scaled[index]);
        if (column.missingCount() == column.size())
            throw prep::noTrainingValues(column.name());
        const std::vector<double>& values = column.values();
        // scikit-learn's scalers refuse infinities too: one would make the mean, the range
        // or the spread infinite and every scaled value of the column NaN.
        const auto infinite = std::find_if(values.begin(), values.end(), [](double v) { return std::isinf(v); });
        if (infinite != values.end()) {
            std::string message = "column '";
            message.append(column.name()).append("' has the value ").append(*infinite > 0 ? "inf" : "-inf");
            message.append(" in row ").append(std::to_string(infinite - values.begin()));
            message.append(" of the training rows — the ").append(m_step);
            message.append(" needs finite numbers; fix or drop that value, or clip the column first");
            throw core::DataError(message);
        }
        const Scaling scaling = statistics(values);
        if (!std::isfinite(scaling.shift) || !std::isfinite(scaling.divisor)) {
            std::string message = "column '";
            message.append(column.name()).append("' has values too large for the ").append(m_step);
            message.append(" (its statistics overflow beyond 1.8e308) — divide the column by a power of ten first, "
                           "e.g. with a formula step");
            throw core::DataError(message);
        }
        names.push_back(column.name());
        shift.push_back(scaling.shift);
        divisor.push_back(scaling.divisor);
    }
    m_names = std::move(names);
    m_shift = std::move(shift);
    m_divisor = std::move(divisor);
    m_fitted = true;
    control.progress(1.0);
}

data::Table ColumnScaler::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(m_step, "transform");
    data::Table result = table;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const data::Column& column = prep::requireFittedColumn(table, m_names[i], data::ColumnType::Numeric, m_step);
        std::vector<double> values = column.values();
        for (double& value : values)
            value = (value - m_shift[i]) / m_divisor[i];
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values)));
    }
    return result;
}

void ColumnScaler::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw prep::notFitted(m_step, "be exported");
    std::vector<io::OnnxColumn> columns = graph.columns();
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const io::OnnxColumn& column = graph.column(m_names[i]);
        const std::string value = prep::onnxFloat(graph, column, m_step);
        const std::string shifted =
            graph.addNode("Sub", {value, graph.constant(std::vector<float>{static_cast<float>(m_shift[i])}, {1, 1})});
        const std::string scaled = graph.addNode(
            "Div", {shifted, graph.constant(std::vector<float>{static_cast<float>(m_divisor[i])}, {1, 1})});
        columns = prep::withColumn(columns, column.name, {column.name, scaled, io::OnnxElement::Float});
    }
    graph.setColumns(std::move(columns));
}

void ColumnScaler::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(m_step, "be saved");
    archive << *this;
}

void ColumnScaler::load(core::InputArchive& archive)
{
    archive >> *this;
    if (!m_fitted || m_names.size() != m_shift.size() || m_names.size() != m_divisor.size()) {
        m_fitted = false;
        throw prep::corruptArchive(m_step);
    }
}

} // namespace stepwise::features
