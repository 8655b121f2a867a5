#pragma once
// What the non-linear models share when they write themselves into an ONNX graph: the
// ai.onnx.ml tree ensembles (our trees' splits and leaves as nodes_* / class_* / target_*
// attributes) and float64 arithmetic in a graph whose constants are float32.
//
// Our trees send a row left when its value is <= the split's float64 threshold; the
// graph's features and TreeEnsemble thresholds are float32. For a float32 value v,
// v <= t holds exactly when v <= the largest float32 not above t, so every threshold is
// written rounded down, never to nearest, and a float32 row takes the same path as in
// our predict.

#include <cstdint>
#include <string>
#include <vector>

#include "models/boosting_tree.hpp"
#include "models/decision_tree.hpp"
#include "models/linear_onnx.hpp"  // requireFittedForExport, shared with the linear models
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {

/// The largest float32 that is <= `threshold` (FLT_MAX above the float range, -inf below).
float floatThresholdAtOrBelow(double threshold);

/// Trees gathered for one ai.onnx.ml TreeEnsembleClassifier or TreeEnsembleRegressor.
class OnnxTreeEnsemble {
public:
    /// Adds a CART tree; leaf value k goes to class (or target) k.
    void addTree(const DecisionTree& tree);
    /// Adds a boosting tree whose leaf values go to target `target`.
    void addTree(const BoostingTree& tree, std::int64_t target);

    /// Number of trees added.
    std::int64_t treeCount() const { return m_trees; }

    /// A TreeEnsembleClassifier over `features` (float `[N, F]`) with classes
    /// 0..classCount-1 and no post transform; returns its float `[N, classCount]` output:
    /// per row and class the sum over the trees of the leaf values. (Its label output is
    /// not used: for two classes ONNX Runtime derives it from a threshold, not the argmax.)
    std::string classifier(io::OnnxGraph& graph, const std::string& features, int classCount) const;
    /// A TreeEnsembleRegressor over `features` with `targets` outputs, aggregate "SUM" or
    /// "AVERAGE", and `baseValues` (one per target, or empty) added; returns its float
    /// `[N, targets]` output.
    std::string regressor(io::OnnxGraph& graph, const std::string& features, int targets,
                          const std::string& aggregate, const std::vector<double>& baseValues) const;

private:
    /// Adds node `index` of tree `tree`: a `x <= threshold` split when `feature` >= 0,
    /// else a leaf (whose weights the caller adds). Returns true for a leaf.
    bool addNode(std::int64_t tree, std::size_t index, int feature, double threshold, int left, int right);
    void addLeafWeight(std::int64_t tree, std::size_t index, std::int64_t target, double weight);

    std::vector<io::OnnxAttribute> nodeAttributes() const;

    std::int64_t m_trees = 0;
    std::vector<std::int64_t> m_treeIds;
    std::vector<std::int64_t> m_nodeIds;
    std::vector<std::int64_t> m_featureIds;
    std::vector<std::string> m_modes;
    std::vector<float> m_values;
    std::vector<std::int64_t> m_trueIds;
    std::vector<std::int64_t> m_falseIds;
    std::vector<std::int64_t> m_leafTreeIds;
    std::vector<std::int64_t> m_leafNodeIds;
    std::vector<std::int64_t> m_leafTargets;
    std::vector<float> m_leafWeights;
};

/// A float64 constant of shape `dims` holding `values` to about 48 significant bits: the
/// graph stores float32 constants, so each value is the sum of its float32 rounding and
/// the float32 rounding of the remainder, cast to float64 and added in the graph.
std::string doubleConstant(io::OnnxGraph& graph, const std::vector<double>& values,
                           const std::vector<std::int64_t>& dims);

} // namespace stepwise::models
