#pragma once
// One decision tree as scikit-learn 1.2's DecisionTreeClassifier / DecisionTreeRegressor
// with splitter="best": the CART builder of decision_tree.hpp on all rows (weight 1, times
// the class weight with class_weight=balanced), criterion gini / entropy (= log_loss) or
// squared_error, max_features drawn per node from the stream seeded by Dataset::seed.
// On data without ties between candidate splits the tree is scikit-learn's, node for node.

#include <map>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "models/decision_tree.hpp"
#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class DecisionTreeModel final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names; criterion=auto is each task's default).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted tree for `task`; `params` must come from `resolveParams(paramTable(), …)`.
    /// Throws `InvalidParameter` for a criterion or class_weight that does not fit the task,
    /// or a max_features that is neither a whole count nor a fraction in (0, 1].
    DecisionTreeModel(core::TaskType task, const core::ParamValues& params);

    std::string name() const override { return "decision_tree"; }
    core::TaskType task() const override { return m_task; }
    const core::ParamValues& params() const override { return m_params; }

    /// Throws `InvalidParameter` when max_features exceeds the number of features.
    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// The tree as one ai.onnx.ml TreeEnsembleClassifier (leaf class fractions) or
    /// TreeEnsembleRegressor, thresholds rounded down to float32 so every row takes our path.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;

    int classCount() const override { return m_task == core::TaskType::Classification ? m_classCount : 0; }
    bool isFitted() const override { return m_fitted; }

    /// Impurity decrease per feature, weighted by the rows reaching each split, normalised
    /// to sum 1 (scikit-learn's `feature_importances_`; all zero for a single leaf).
    Eigen::VectorXd featureImportances() const override { return m_importances; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// The fitted tree.
    const DecisionTree& tree() const { return m_tree; }
    /// The split criterion (criterion=auto resolved for the task).
    SplitCriterion criterion() const { return m_criterion; }
    /// Features tried per split for `featureCount` features (max_features resolved as
    /// scikit-learn: none = all, sqrt, log2, a count, or a fraction of the features
    /// rounded down, at least 1).
    int resolvedMaxFeatures(int featureCount) const;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();

    core::TaskType m_task;
    core::ParamValues m_params;
    SplitCriterion m_criterion = SplitCriterion::Gini;
    int m_maxDepth = 0x7fffffff;
    std::int64_t m_minSamplesSplit = 2;
    std::int64_t m_minSamplesLeaf = 1;
    bool m_balanced = false;

    bool m_fitted = false;
    int m_classCount = 0;
    int m_featureCount = 0;
    DecisionTree m_tree;
    Eigen::VectorXd m_importances;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::DecisionTreeModel, 1)
