#include "prep/outlier_clipper.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "prep/numeric_kind.hpp"
#include "prep/outlier_bounds.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::prep {
namespace {

const std::string kStep = "outlier clipping";

} // namespace

OutlierClipper::OutlierClipper(OutlierRule rule, double factor, std::vector<std::string> columns)
    : m_rule(rule), m_factor(factor), m_requested(std::move(columns))
{
}

std::string OutlierClipper::describe() const
{
    std::string text = "clipping of ";
    text.append(m_fitted ? countOf(m_names.size(), "numeric column") : std::string("numeric columns"));
    text.append(" to ");
    text.append(describeOutlierRule(m_rule, m_factor));
    text.append(" of the training rows");
    if (!m_fitted)
        text.append(" (not fitted yet)");
    return text;
}

void OutlierClipper::fit(const data::Table& train, const TrainingTarget&, core::TaskControl& control)
{
    // The same bounds the Prep page counts with.
    const OutlierReport report = findOutliers(train, m_requested, m_rule, m_factor, control);
    std::vector<std::string> names;
    std::vector<double> lower, upper;
    for (const ColumnOutliers& column : report.columns) {
        if (std::isnan(column.lower))
            throw noTrainingValues(column.column);
        names.push_back(column.column);
        lower.push_back(column.lower);
        upper.push_back(column.upper);
    }
    m_names = std::move(names);
    m_lower = std::move(lower);
    m_upper = std::move(upper);
    m_fitted = true;
    control.progress(1.0);
}

data::Table OutlierClipper::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw notFitted(kStep, "transform");
    data::Table result = table;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const data::Column& column = requireFittedColumn(table, m_names[i], data::ColumnType::Numeric, kStep);
        const auto& original = column.values();
        if (std::none_of(original.begin(), original.end(),
                         [&](double value) { return isOutside(value, m_lower[i], m_upper[i]); }))
            continue;
        std::vector<double> values = original;
        for (double& value : values)
            if (isOutside(value, m_lower[i], m_upper[i]))
                value = value < m_lower[i] ? m_lower[i] : m_upper[i];
        const data::ColumnKind kind = numericKindAfter(column.kind(), values);
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values), kind));
    }
    return result;
}

void OutlierClipper::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be exported");
    std::vector<io::OnnxColumn> columns = graph.columns();
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const io::OnnxColumn& column = graph.column(m_names[i]);
        const std::string value = onnxFloat(graph, column, kStep);
        const std::string lower = onnxScalar(graph, m_lower[i]);
        const std::string upper = onnxScalar(graph, m_upper[i]);
        const std::string high = graph.addNode("Where", {graph.addNode("Greater", {value, upper}), upper, value});
        const std::string clipped = graph.addNode("Where", {graph.addNode("Less", {value, lower}), lower, high});
        columns = withColumn(columns, column.name, {column.name, clipped, io::OnnxElement::Float});
    }
    graph.setColumns(std::move(columns));
}

void OutlierClipper::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be saved");
    archive << *this;
}

void OutlierClipper::load(core::InputArchive& archive)
{
    OutlierClipper loaded;
    archive >> loaded;
    bool consistent = loaded.m_fitted && (loaded.m_rule == OutlierRule::Iqr || loaded.m_rule == OutlierRule::ZScore) &&
                      loaded.m_factor > 0.0 && loaded.m_names.size() == loaded.m_lower.size() &&
                      loaded.m_names.size() == loaded.m_upper.size();
    for (std::size_t i = 0; consistent && i < loaded.m_names.size(); ++i)
        consistent = loaded.m_lower[i] <= loaded.m_upper[i];
    if (!consistent)
        throw corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::prep
