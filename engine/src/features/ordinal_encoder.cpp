#include "features/ordinal_encoder.hpp"

#include <cmath>

#include <algorithm>
#include <limits>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "features/category_codes.hpp"
#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "ordinal encoder";

std::string joined(const std::vector<std::string>& words, const std::string& separator)
{
    std::string text;
    for (const std::string& word : words) {
        if (!text.empty())
            text.append(separator);
        text.append(word);
    }
    return text;
}

} // namespace

OrdinalEncoder::OrdinalEncoder(std::vector<std::string> columns, std::vector<std::string> order, bool refuseUnknown)
    : m_refuseUnknown(refuseUnknown), m_requested(std::move(columns)), m_order(std::move(order))
{
    if (m_order.empty())
        return;
    if (m_requested.size() != 1) {
        std::string message = "the ordinal order '";
        message.append(joined(m_order, ","));
        message.append("' is for one column, but the step is set to ");
        message.append(m_requested.empty() ? std::string("every categorical column")
                                           : prep::countOf(m_requested.size(), "column"));
        message.append(" — choose exactly the one column it orders (one encode step per ordered column)");
        throw core::InvalidParameter(message);
    }
    const bool blank = std::any_of(m_order.begin(), m_order.end(), [](const std::string& c) { return c.empty(); });
    if (blank || !areDistinctCategories(m_order)) {
        std::string message = "the ordinal order '";
        message.append(joined(m_order, ","));
        message.append("' has ");
        message.append(blank ? "an empty category" : "a category twice");
        message.append(" — list each category once, comma-separated, lowest first");
        throw core::InvalidParameter(message);
    }
}

std::string OrdinalEncoder::describe() const
{
    if (!m_fitted) {
        if (!m_order.empty())
            return "ordinal encoding of '" + m_requested.front() + "' in the order " + joined(m_order, " < ") +
                   " (not fitted yet)";
        return "ordinal encoding of the categorical columns (not fitted yet)";
    }
    std::string text = "ordinal encoding of ";
    if (m_userOrder) {
        text.append("'");
        text.append(m_names.front());
        text.append("' in the order ");
        text.append(joined(m_categories.front(), " < "));
        text.append(" (codes 0..k−1");
    } else {
        text.append(prep::countOf(m_names.size(), "categorical column"));
        text.append(" (codes 0..k−1 in sorted category order");
    }
    text.append(m_refuseUnknown ? "; a category not seen in training is an error)"
                                : ", −1 for a category not seen in training)");
    return text;
}

void OrdinalEncoder::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    FittedCategories fitted = fitCategories(train, m_requested, control, kStep);
    const bool userOrder = !m_order.empty();
    if (userOrder) {
        // columnsInScope has checked the one requested column, so exactly one was fitted.
        for (const std::string& category : fitted.categories.front())
            if (std::find(m_order.begin(), m_order.end(), category) == m_order.end()) {
                std::string message = "column '";
                message.append(fitted.names.front());
                message.append("' has the category '");
                message.append(category);
                message.append("' in the training rows, which the order '");
                message.append(joined(m_order, ","));
                message.append("' does not list — add it to the order at its place");
                throw core::DataError(message);
            }
        fitted.categories.front() = m_order;
    }
    m_names = std::move(fitted.names);
    m_categories = std::move(fitted.categories);
    m_userOrder = userOrder;
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
        const std::vector<std::int32_t> categoryOf =
            categoryOfEachRow(column, m_categories[i], m_refuseUnknown, kStep, "-1");
        std::vector<double> values(column.size(), std::numeric_limits<double>::quiet_NaN());
        for (std::size_t row = 0; row < categoryOf.size(); ++row)
            if (categoryOf[row] != kMissingCategory)
                values[row] = categoryOf[row];
        // Replacing by name keeps the column at its position; the type changes to numeric.
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values)));
    }
    return result;
}

void OrdinalEncoder::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be exported");
    std::vector<io::OnnxColumn> columns = graph.columns();
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const io::OnnxColumn& column = graph.column(m_names[i]);
        if (column.type != io::OnnxElement::String)
            prep::unsupportedSetting(kStep, "encodes column \"" + column.name + "\", which holds numbers in the graph");
        const std::string index = graph.addNode(
            "Cast", {prep::onnxCategoryIndex(graph, column.tensor, m_categories[i], kUnknownCategory)},
            {{"to", std::int64_t{1}}});
        const std::string value = graph.addNode(
            "Where", {prep::onnxMissing(graph, column), prep::onnxScalar(graph, std::nan("")), index});
        columns = prep::withColumn(columns, column.name, {column.name, value, io::OnnxElement::Float});
    }
    graph.setColumns(std::move(columns));
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
    if (!isConsistentFit(loaded.m_fitted, loaded.m_names, loaded.m_categories, loaded.m_userOrder))
        throw prep::corruptArchive(kStep);
    loaded.m_requested = std::move(m_requested);
    loaded.m_order = std::move(m_order);
    *this = std::move(loaded);
}

} // namespace stepwise::features
