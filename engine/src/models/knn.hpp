#pragma once
// k-nearest neighbours as scikit-learn 1.2's KNeighborsClassifier / KNeighborsRegressor
// (metric minkowski with p = 1 or 2).
//
// - fit stores the training rows in a search index: algorithm=kd_tree is scikit-learn's
//   KDTree rebuilt step for step, brute an exact blocked brute force. auto picks what pays:
//   brute force where scikit-learn does (above 15 features, or when n_neighbors reaches
//   half the rows), and also where a probe of the tree on 10,000 rows or more shows that it
//   would examine too many rows (see treePays in knn.cpp); the kd-tree otherwise.
//   neighbour_search.hpp says how each orders equal distances: the kd-tree exactly as
//   scikit-learn's, brute force by training-row index.
// - Votes: uniform weights count each neighbour once; distance weights are 1/distance, and
//   when 1/distance is infinite for some neighbour (a zero distance) those neighbours share
//   all the weight and the others get none. Class probabilities are the (weighted) votes in
//   neighbour order divided by their sum; the predicted class is the first most likely.
//   Regression averages the neighbours' targets (weighted: Σ w·y / Σ w). Sums are taken as
//   NumPy takes them (pairwise from 8 terms on), so the numbers match scikit-learn's to the
//   last bit when the neighbours and distances do.
// - Prediction runs the queries in parallel (OpenMP); each query is answered on its own, so
//   any thread count gives the same result.
// - The live snapshot of fit is measured on the monitor (validation) rows when there are
//   any, otherwise on at most 1,000 evenly spaced training rows (each its own neighbour).
// - save writes the training rows and targets; load rebuilds the index from them.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/serialization/version.hpp>

#include "models/neighbour_search.hpp"
#include "stepwise/models/model.hpp"

namespace boost::serialization {
class access;
}

namespace stepwise::models {

class KNearestNeighbours final : public Model {
public:
    /// The hyper-parameter table (scikit-learn names and defaults).
    static const std::vector<core::ParamSpec>& paramTable();

    /// An unfitted model for `task`; `params` must come from `resolveParams(paramTable(), …)`.
    KNearestNeighbours(core::TaskType task, const core::ParamValues& params);
    ~KNearestNeighbours() override;

    std::string name() const override { return "knn"; }
    core::TaskType task() const override { return m_task; }
    const core::ParamValues& params() const override { return m_params; }

    /// Throws `InvalidParameter` when n_neighbors exceeds the number of training rows.
    FitReport fit(const Dataset& data, core::TaskControl& control) override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd& x) const override;
    Eigen::VectorXd predict(const Eigen::MatrixXd& x) const override;
    /// A brute-force search in the graph: the training rows as float32 constants, the
    /// distances summed feature by feature, TopK of the smallest (equal distances in
    /// training-row order, as our brute force; the kd-tree orders them as scikit-learn's),
    /// then the (weighted) votes or mean as predict computes them.
    io::OnnxModelOutputs exportOnnx(io::OnnxGraph& graph, const std::string& features) const override;

    int classCount() const override { return m_task == core::TaskType::Classification ? m_classCount : 0; }
    bool isFitted() const override { return m_fitted; }

    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// The n_neighbors nearest training rows of every row of `x` (scikit-learn's
    /// `kneighbors`): training-row indices and distances, nearest first. Throws like predict.
    NeighbourLists neighbours(const Eigen::MatrixXd& x) const;
    /// The search structure fit chose: "kd_tree" or "brute" (empty before fit).
    std::string fittedAlgorithm() const;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version);
    void applyParams();

    /// The fitted state, built aside and swapped in when fit succeeds.
    struct Fitted;

    core::TaskType m_task;
    core::ParamValues m_params;
    Eigen::Index m_neighbourCount = 5;
    bool m_distanceWeights = false;
    NeighbourMetric m_metric = NeighbourMetric::Euclidean;
    std::string m_algorithm = "auto";
    Eigen::Index m_leafSize = 30;

    bool m_fitted = false;
    int m_classCount = 0;
    std::unique_ptr<Fitted> m_state;
};

} // namespace stepwise::models

BOOST_CLASS_VERSION(stepwise::models::KNearestNeighbours, 1)
