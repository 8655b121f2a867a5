#include "features/one_hot_encoder.hpp"

#include <algorithm>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "features/category_codes.hpp"
#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "one-hot encoder";

} // namespace

std::string OneHotEncoder::describe() const
{
    if (!m_fitted)
        return "one-hot encoding of the categorical columns (not fitted yet)";
    std::size_t indicators = 0;
    for (const auto& categories : m_categories)
        indicators += categories.size();
    std::string text = "one-hot encoding of ";
    text.append(prep::countOf(m_names.size(), "categorical column"));
    text.append(" → ");
    text.append(prep::countOf(indicators, "indicator column"));
    if (m_refuseUnknown)
        text.append(" (a category not seen in training is an error)");
    return text;
}

void OneHotEncoder::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    FittedCategories fitted = fitCategories(train, m_requested, control, kStep);
    m_names = std::move(fitted.names);
    m_categories = std::move(fitted.categories);
    m_fitted = true;
}

data::Table OneHotEncoder::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    for (const std::string& name : m_names)
        prep::requireFittedColumn(table, name, data::ColumnType::Categorical, kStep);

    data::Table result;
    for (const data::Column& column : table.columns()) {
        const auto fitted = std::find(m_names.begin(), m_names.end(), column.name());
        if (fitted == m_names.end()) {
            result.addColumn(column);
            continue;
        }
        const auto& categories = m_categories[static_cast<std::size_t>(fitted - m_names.begin())];
        const std::vector<std::int32_t> categoryOf =
            categoryOfEachRow(column, categories, m_refuseUnknown, kStep, "all zeros");
        std::vector<std::vector<double>> indicators(categories.size(), std::vector<double>(column.size(), 0.0));
        for (std::size_t row = 0; row < categoryOf.size(); ++row)
            if (categoryOf[row] >= 0)
                indicators[static_cast<std::size_t>(categoryOf[row])][row] = 1.0;
        for (std::size_t c = 0; c < categories.size(); ++c) {
            std::string name = column.name();
            name.push_back('=');
            name.append(categories[c]);
            result.addColumn(data::Column::numeric(std::move(name), std::move(indicators[c])));
        }
    }
    return result;
}

void OneHotEncoder::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be exported");
    std::vector<io::OnnxColumn> result;
    for (const io::OnnxColumn& column : graph.columns()) {
        const auto fitted = std::find(m_names.begin(), m_names.end(), column.name);
        if (fitted == m_names.end()) {
            result.push_back(column);
            continue;
        }
        if (column.type != io::OnnxElement::String)
            prep::unsupportedSetting(kStep, "encodes column \"" + column.name + "\", which holds numbers in the graph");
        const auto& categories = m_categories[static_cast<std::size_t>(fitted - m_names.begin())];
        if (categories.empty())
            continue;
        const auto count = static_cast<std::int64_t>(categories.size());
        // Missing ("") and unseen categories get index -1, which matches no column.
        const std::string index = prep::onnxCategoryIndex(graph, column.tensor, categories, -1);
        std::vector<std::int64_t> positions(categories.size());
        for (std::size_t c = 0; c < categories.size(); ++c)
            positions[c] = static_cast<std::int64_t>(c);
        const std::string equal = graph.addNode("Equal", {index, graph.constant(positions, {1, count})});
        const std::string indicators = graph.addNode("Cast", {equal}, {{"to", std::int64_t{1}}});
        const std::vector<std::string> parts =
            count == 1 ? std::vector<std::string>{indicators}
                       : graph.addNode("Split", {indicators}, categories.size(), {{"axis", std::int64_t{1}}});
        for (std::size_t c = 0; c < categories.size(); ++c) {
            std::string name = column.name;
            name.push_back('=');
            name.append(categories[c]);
            result.push_back({std::move(name), parts[c], io::OnnxElement::Float});
        }
    }
    graph.setColumns(std::move(result));
}

void OneHotEncoder::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void OneHotEncoder::load(core::InputArchive& archive)
{
    OneHotEncoder loaded(m_requested, m_refuseUnknown);
    archive >> loaded;
    if (!isConsistentFit(loaded.m_fitted, loaded.m_names, loaded.m_categories))
        throw prep::corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::features
