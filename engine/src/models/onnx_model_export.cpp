#include "models/onnx_model_export.hpp"

#include <cfloat>
#include <cmath>
#include <limits>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"

namespace stepwise::models {
namespace {

// onnx::TensorProto::DataType values for Cast's "to" (the interface carries no protobuf).
constexpr std::int64_t kOnnxDouble = 11;

} // namespace

float floatThresholdAtOrBelow(double threshold)
{
    if (std::isnan(threshold))
        return std::numeric_limits<float>::quiet_NaN();
    if (threshold >= static_cast<double>(FLT_MAX))
        return FLT_MAX;
    if (threshold < -static_cast<double>(FLT_MAX))
        return -std::numeric_limits<float>::infinity();
    float rounded = static_cast<float>(threshold);
    if (static_cast<double>(rounded) > threshold)
        rounded = std::nextafter(rounded, -std::numeric_limits<float>::infinity());
    return rounded;
}

bool OnnxTreeEnsemble::addNode(std::int64_t tree, std::size_t index, int feature, double threshold, int left,
                               int right)
{
    m_treeIds.push_back(tree);
    m_nodeIds.push_back(static_cast<std::int64_t>(index));
    const bool leaf = feature < 0;
    m_featureIds.push_back(leaf ? 0 : feature);
    m_modes.emplace_back(leaf ? "LEAF" : "BRANCH_LEQ");
    m_values.push_back(leaf ? 0.0f : floatThresholdAtOrBelow(threshold));
    m_trueIds.push_back(leaf ? 0 : left);
    m_falseIds.push_back(leaf ? 0 : right);
    return leaf;
}

void OnnxTreeEnsemble::addLeafWeight(std::int64_t tree, std::size_t index, std::int64_t target, double weight)
{
    m_leafTreeIds.push_back(tree);
    m_leafNodeIds.push_back(static_cast<std::int64_t>(index));
    m_leafTargets.push_back(target);
    m_leafWeights.push_back(static_cast<float>(weight));
}

void OnnxTreeEnsemble::addTree(const DecisionTree& tree)
{
    const std::int64_t id = m_trees++;
    const std::vector<DecisionTree::Node>& nodes = tree.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const DecisionTree::Node& node = nodes[i];
        if (!addNode(id, i, node.feature, node.threshold, node.left, node.right))
            continue;
        // Every value, zeros included: ONNX Runtime treats a class that no reached leaf
        // names as absent, which for two classes changes the output's layout.
        const double* values = tree.leafValues(node.left);
        for (int k = 0; k < tree.valueWidth(); ++k)
            addLeafWeight(id, i, k, values[k]);
    }
}

void OnnxTreeEnsemble::addTree(const BoostingTree& tree, std::int64_t target)
{
    const std::int64_t id = m_trees++;
    const std::vector<BoostingTree::Node>& nodes = tree.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const BoostingTree::Node& node = nodes[i];
        if (addNode(id, i, node.feature, node.threshold, node.left, node.right))
            addLeafWeight(id, i, target, node.value);
    }
}

std::vector<io::OnnxAttribute> OnnxTreeEnsemble::nodeAttributes() const
{
    return {
        {"nodes_treeids", m_treeIds},         {"nodes_nodeids", m_nodeIds},
        {"nodes_featureids", m_featureIds},   {"nodes_modes", m_modes},
        {"nodes_values", m_values},           {"nodes_truenodeids", m_trueIds},
        {"nodes_falsenodeids", m_falseIds},   {"post_transform", std::string("NONE")},
    };
}

std::string OnnxTreeEnsemble::classifier(io::OnnxGraph& graph, const std::string& features, int classCount) const
{
    std::vector<io::OnnxAttribute> attributes = nodeAttributes();
    std::vector<std::int64_t> labels(static_cast<std::size_t>(classCount));
    for (int k = 0; k < classCount; ++k)
        labels[static_cast<std::size_t>(k)] = k;
    attributes.push_back({"classlabels_int64s", labels});
    attributes.push_back({"class_treeids", m_leafTreeIds});
    attributes.push_back({"class_nodeids", m_leafNodeIds});
    attributes.push_back({"class_ids", m_leafTargets});
    attributes.push_back({"class_weights", m_leafWeights});
    return graph.addNode("TreeEnsembleClassifier", {features}, 2, attributes, "ai.onnx.ml")[1];
}

std::string OnnxTreeEnsemble::regressor(io::OnnxGraph& graph, const std::string& features, int targets,
                                        const std::string& aggregate, const std::vector<double>& baseValues) const
{
    std::vector<io::OnnxAttribute> attributes = nodeAttributes();
    attributes.push_back({"n_targets", std::int64_t{targets}});
    attributes.push_back({"aggregate_function", aggregate});
    attributes.push_back({"target_treeids", m_leafTreeIds});
    attributes.push_back({"target_nodeids", m_leafNodeIds});
    attributes.push_back({"target_ids", m_leafTargets});
    attributes.push_back({"target_weights", m_leafWeights});
    if (!baseValues.empty()) {
        std::vector<float> base;
        for (const double value : baseValues)
            base.push_back(static_cast<float>(value));
        attributes.push_back({"base_values", base});
    }
    return graph.addNode("TreeEnsembleRegressor", {features}, attributes, "ai.onnx.ml");
}

std::string doubleConstant(io::OnnxGraph& graph, const std::vector<double>& values,
                           const std::vector<std::int64_t>& dims)
{
    std::vector<float> high(values.size());
    std::vector<float> low(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double value = values[i];
        if (std::isfinite(value) && std::abs(value) > static_cast<double>(FLT_MAX)) {
            std::string message = "a fitted value (";
            message.append(core::formatFixed(value, 6));
            message.append(") is beyond the single-precision range ONNX constants are written in — scale the "
                           "features before training, or export the native .stepwise file");
            throw core::UnsupportedExport(message);
        }
        high[i] = static_cast<float>(value);
        low[i] = std::isfinite(value) ? static_cast<float>(value - static_cast<double>(high[i])) : 0.0f;
    }
    const std::string highDouble =
        graph.addNode("Cast", {graph.constant(high, dims)}, {{"to", kOnnxDouble}});
    const std::string lowDouble = graph.addNode("Cast", {graph.constant(low, dims)}, {{"to", kOnnxDouble}});
    return graph.addNode("Add", {highDouble, lowDouble});
}

} // namespace stepwise::models
