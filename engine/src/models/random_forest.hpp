#pragma once
// Random forest as scikit-learn 1.2's RandomForestClassifier / RandomForestRegressor:
// bootstrap samples (drawn counts become sample weights), best splits over a random
// feature subset per node, probabilities = mean of the trees' leaf class fractions,
// regression = mean of the leaf means; class_weight="balanced" multiplies the bootstrap
// counts by n / (classes · count(class)); oob_score = accuracy / R² of the out-of-bag
// votes. By default the trees split on histograms of binned features (max_bins, as
// scikit-learn's HistGradientBoosting bins them: found once per forest, thresholds kept
// as real values); max_bins=none splits between every pair of sorted values as
// scikit-learn does. Trees are grown in parallel with OpenMP; tree i draws from its own
// stream seeded by (Dataset::seed, i), and the finished trees are tallied in index order,
// so the forest, its out-of-bag score and its training curve are the same for any
// thread count.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "models/decision_tree.hpp"
#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class RandomForest final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted forest for `task`; `params` must come from `resolveParams(paramTable(), …)`.
    RandomForest(core::TaskType task, const core::ParamValues& params);

    std::string name() const override { return "random_forest"; }
    core::TaskType task() const override { return m_task; }
    const core::ParamValues& params() const override { return m_params; }

    /// Throws `InvalidParameter` when max_features exceeds the number of features, and
    /// `DataError` when the monitor rows do not have the training rows' columns.
    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// The trees as one ai.onnx.ml TreeEnsembleClassifier whose summed leaf class fractions
    /// are divided by the tree count, or a TreeEnsembleRegressor averaging the leaf means.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;

    int classCount() const override { return m_task == core::TaskType::Classification ? m_classCount : 0; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// Mean decrease in impurity per feature, normalised to sum 1 (scikit-learn's
    /// `feature_importances_`).
    Eigen::VectorXd featureImportances() const override { return m_importances; }
    /// The fitted trees.
    const std::vector<DecisionTree>& trees() const { return m_trees; }
    /// Features tried per split for `featureCount` features under the current parameters.
    int resolvedMaxFeatures(int featureCount) const;
    /// The split criterion (criterion=auto resolved for the task).
    SplitCriterion criterion() const { return m_criterion; }
    /// With oob_score=true, after fit: accuracy (classification) or R² (regression) of the
    /// out-of-bag votes, as scikit-learn's `oob_score_`, over the rows that were out of
    /// bag for at least one tree. Empty otherwise.
    std::optional<double> oobScore() const { return m_oobScore; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();
    /// Per row, the sum over the trees of the leaf values the row reaches (rows × leaf
    /// width, row-major).
    std::vector<double> sumLeafValues(const Eigen::MatrixXd& x) const;

    core::TaskType m_task;
    core::ParamValues m_params;
    int m_estimators = 100;
    int m_maxDepth = 0x7fffffff;
    std::int64_t m_minSamplesSplit = 2;
    std::int64_t m_minSamplesLeaf = 1;
    bool m_bootstrap = true;
    bool m_balanced = false;  ///< class_weight=balanced
    bool m_wantOobScore = false;
    int m_maxBins = 0;        ///< 0 = exact splits (max_bins=none)
    SplitCriterion m_criterion = SplitCriterion::Gini;

    bool m_fitted = false;
    int m_classCount = 0;
    int m_featureCount = 0;
    std::vector<DecisionTree> m_trees;
    Eigen::VectorXd m_importances;
    std::optional<double> m_oobScore;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::RandomForest, 2)
