#include "prep/onnx_columns.hpp"

#include <algorithm>

#include "stepwise/core/errors.hpp"

namespace stepwise::prep {

std::string onnxFloat(io::OnnxGraph& graph, const io::OnnxColumn& column, const std::string& step)
{
    switch (column.type) {
    case io::OnnxElement::Float:
        return column.tensor;
    case io::OnnxElement::Int64:
        return graph.addNode("Cast", {column.tensor}, {{"to", std::int64_t{1}}});  // 1 = FLOAT
    case io::OnnxElement::String:
        break;
    }
    throw core::UnsupportedExport("the " + step + " needs numbers in column \"" + column.name +
                                  "\", which holds categories in the ONNX graph — export the native .stepwise "
                                  "file or the Python script");
}

std::string onnxMissing(io::OnnxGraph& graph, const io::OnnxColumn& column)
{
    switch (column.type) {
    case io::OnnxElement::Float:
        return graph.addNode("IsNaN", {column.tensor});
    case io::OnnxElement::Int64:
        // Integers computed by the graph are never missing.
        return graph.addNode("Cast", {graph.addNode("Mul", {column.tensor, graph.constant(std::vector<std::int64_t>{0}, {1})})},
                             {{"to", std::int64_t{9}}});  // 9 = BOOL
    case io::OnnxElement::String:
        break;
    }
    const std::string flag = onnxCategoryIndex(graph, column.tensor, {""}, 1);
    // keys {""} ↦ 0, anything else ↦ 1: missing where the index is 0.
    return graph.addNode("Not", {graph.addNode("Cast", {flag}, {{"to", std::int64_t{9}}})});
}

std::vector<io::OnnxColumn> withColumn(const std::vector<io::OnnxColumn>& columns, const std::string& name,
                                       const io::OnnxColumn& replacement)
{
    std::vector<io::OnnxColumn> result = columns;
    for (io::OnnxColumn& column : result)
        if (column.name == name)
            column = replacement;
    return result;
}

std::string onnxCategoryIndex(io::OnnxGraph& graph, const std::string& tensor, const std::vector<std::string>& keys,
                              std::int64_t unknown)
{
    std::vector<std::int64_t> values(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        values[i] = static_cast<std::int64_t>(i);
    return graph.addNode("LabelEncoder", {tensor},
                         {{"keys_strings", keys}, {"values_int64s", values}, {"default_int64", unknown}}, "ai.onnx.ml");
}

void unsupportedSetting(const std::string& step, const std::string& why)
{
    throw core::UnsupportedExport("the " + step + " step " + why +
                                  ", which ONNX cannot express — change the step, or export the native .stepwise "
                                  "file or the Python script");
}

} // namespace stepwise::prep

namespace stepwise::prep {

std::vector<io::OnnxColumn> withoutColumns(const std::vector<io::OnnxColumn>& columns,
                                           const std::vector<std::string>& names)
{
    std::vector<io::OnnxColumn> result;
    for (const io::OnnxColumn& column : columns)
        if (std::find(names.begin(), names.end(), column.name) == names.end())
            result.push_back(column);
    return result;
}

std::string onnxScalar(io::OnnxGraph& graph, double value)
{
    return graph.constant(std::vector<float>{static_cast<float>(value)}, {1, 1});
}

} // namespace stepwise::prep
