#include "models/knn.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/numpy_sum.hpp"
#include "models/onnx_model_export.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

constexpr Eigen::Index kSnapshotTrainingRows = 1000;
constexpr Eigen::Index kSnapshotChunk = 2048;

// scikit-learn's _get_weights("distance"): 1/distance, unless that is infinite for some
// neighbour, in which case those neighbours weigh 1 and the others 0.
void distanceWeights(const double* distances, Eigen::Index k, double* weights)
{
    bool infinite = false;
    for (Eigen::Index j = 0; j < k; ++j) {
        weights[j] = 1.0 / distances[j];
        infinite = infinite || std::isinf(weights[j]);
    }
    if (infinite)
        for (Eigen::Index j = 0; j < k; ++j)
            weights[j] = std::isinf(weights[j]) ? 1.0 : 0.0;
}

// scikit-learn's choice for "auto": brute force above 15 features or when half the rows
// are neighbours anyway, where a tree stops pruning.
bool treeAllowed(const std::string& algorithm, Eigen::Index features, Eigen::Index rows, Eigen::Index k)
{
    if (algorithm != "auto")
        return algorithm == "kd_tree";
    return !(features > 15 || k >= rows / 2);
}

// Beyond scikit-learn's rule, "auto" keeps the tree only where it pays: on 10,000 rows or
// more, 64 evenly spaced training rows are searched in it, and when they examine more than
// a 64th of the rows (a 24th for Manhattan distances, whose brute force is slower) the
// blocked brute force is faster (measured on 80,000 rows: at 12 features the tree examines
// about 6% of them and takes three times as long). Smaller data keeps scikit-learn's
// choice, so ties break as there; either takes milliseconds.
bool treePays(const KdTree& tree, const RowMatrix& rows, Eigen::Index k, NeighbourMetric metric)
{
    constexpr Eigen::Index kProbeFrom = 10000;
    constexpr Eigen::Index kProbes = 64;
    if (rows.rows() < kProbeFrom)
        return true;
    RowMatrix probes(kProbes, rows.cols());
    for (Eigen::Index i = 0; i < kProbes; ++i)
        probes.row(i) = rows.row(i * rows.rows() / kProbes);
    const double share = metric == NeighbourMetric::Euclidean ? 1.0 / 64.0 : 1.0 / 24.0;
    return tree.meanVisitedRows(probes, k) <= share * static_cast<double>(rows.rows());
}

} // namespace

struct KNearestNeighbours::Fitted {
    bool tree = false;
    KdTree kdTree;
    BruteForceSearch brute;
    Eigen::VectorXd y;
    Eigen::Index features = 0;

    Fitted(const RowMatrix& rows, Eigen::VectorXd targets, const std::string& algorithm, Eigen::Index k,
           Eigen::Index leafSize, NeighbourMetric metric)
        : y(std::move(targets)), features(rows.cols())
    {
        tree = treeAllowed(algorithm, rows.cols(), rows.rows(), k);
        if (tree) {
            kdTree = KdTree(rows, leafSize, metric);
            if (algorithm == "auto" && !treePays(kdTree, rows, k, metric)) {
                kdTree = KdTree();
                tree = false;
            }
        }
        if (!tree)
            brute = BruteForceSearch(rows, metric);
    }
    Eigen::Index rowCount() const { return y.size(); }
    NeighbourLists query(const RowMatrix& queries, Eigen::Index k) const
    {
        return tree ? kdTree.query(queries, k) : brute.query(queries, k);
    }
    RowMatrix trainingRows() const { return tree ? kdTree.originalRows() : brute.rows(); }
};

const std::vector<core::ParamSpec>& KNearestNeighbours::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"n_neighbors", core::ParamKind::Integer, "5", 1.0, 100000.0, false, {},
         "How many nearest training rows decide each prediction; more neighbours give smoother decisions, fewer "
         "follow the data more closely."},
        {"weights", core::ParamKind::Choice, "uniform", 0.0, 0.0, false, {"uniform", "distance"},
         "uniform: every neighbour counts the same; distance: nearer neighbours count more (weight 1/distance)."},
        {"p", core::ParamKind::Integer, "2", 1.0, 2.0, false, {},
         "The distance: 2 is Euclidean (straight line), 1 is Manhattan (sum of absolute differences). Scale the "
         "features first so that no column dominates."},
        {"algorithm", core::ParamKind::Choice, "auto", 0.0, 0.0, false, {"auto", "brute", "kd_tree"},
         "How neighbours are searched; the answers are the same up to the order of equal distances. kd_tree prunes "
         "well up to about 15 features, brute compares every row; auto chooses."},
        {"leaf_size", core::ParamKind::Integer, "30", 1.0, 100000.0, false, {},
         "Rows per kd-tree leaf: changes the speed of the kd_tree search, not its answers."},
    };
    return table;
}

KNearestNeighbours::KNearestNeighbours(core::TaskType task, const core::ParamValues& params)
    : m_task(task), m_params(params)
{
    applyParams();
}

KNearestNeighbours::~KNearestNeighbours() = default;

void KNearestNeighbours::applyParams()
{
    m_neighbourCount = static_cast<Eigen::Index>(m_params.integer("n_neighbors"));
    m_distanceWeights = m_params.isWord("weights", "distance");
    m_metric = m_params.integer("p") == 1 ? NeighbourMetric::Manhattan : NeighbourMetric::Euclidean;
    m_algorithm = m_params.text("algorithm");
    m_leafSize = static_cast<Eigen::Index>(m_params.integer("leaf_size"));
}

namespace {

// Class probabilities (rows × classes) or predicted values (rows × 1) from the neighbours,
// as scikit-learn's predict_proba / KNeighborsRegressor.predict compute them.
Eigen::MatrixXd neighbourOutputs(const NeighbourLists& lists, const Eigen::VectorXd& y, core::TaskType task,
                                 int classCount, bool distanceWeighted)
{
    const Eigen::Index k = lists.k;
    const Eigen::Index count = k == 0 ? 0 : static_cast<Eigen::Index>(lists.rows.size()) / k;
    const bool classification = task == core::TaskType::Classification;
    Eigen::MatrixXd output(count, classification ? classCount : 1);
#pragma omp parallel if (count > 4096)
    {
        std::vector<double> weights(static_cast<std::size_t>(k), 1.0);
        std::vector<double> terms(static_cast<std::size_t>(std::max<Eigen::Index>(k, classCount)));
#pragma omp for schedule(static)
        for (Eigen::Index q = 0; q < count; ++q) {
            const std::int64_t* rows = lists.rows.data() + q * k;
            const double* distances = lists.distances.data() + q * k;
            if (distanceWeighted)
                distanceWeights(distances, k, weights.data());
            if (classification) {
                std::fill(terms.begin(), terms.begin() + classCount, 0.0);
                for (Eigen::Index j = 0; j < k; ++j)
                    terms[static_cast<std::size_t>(y(rows[j]))] += weights[static_cast<std::size_t>(j)];
                double normaliser = numpySum(terms.data(), classCount);
                if (normaliser == 0.0)
                    normaliser = 1.0;
                for (int c = 0; c < classCount; ++c)
                    output(q, c) = terms[static_cast<std::size_t>(c)] / normaliser;
            } else if (distanceWeighted) {
                for (Eigen::Index j = 0; j < k; ++j)
                    terms[static_cast<std::size_t>(j)] = y(rows[j]) * weights[static_cast<std::size_t>(j)];
                output(q, 0) = numpySum(terms.data(), k) / numpySum(weights.data(), k);
            } else {
                for (Eigen::Index j = 0; j < k; ++j)
                    terms[static_cast<std::size_t>(j)] = y(rows[j]);
                output(q, 0) = numpySum(terms.data(), k) / static_cast<double>(k);
            }
        }
    }
    return output;
}

} // namespace

FitReport KNearestNeighbours::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, m_task, name());
    const Eigen::Index rows = data.x.rows();
    if (m_neighbourCount > rows) {
        std::string message = "n_neighbors=";
        message.append(std::to_string(m_neighbourCount)).append(" is more than the ");
        message.append(std::to_string(rows)).append(" training rows — lower n_neighbors to at most ");
        message.append(std::to_string(rows)).append(" or train on more rows");
        throw core::InvalidParameter(message);
    }
    const bool monitored = data.monitorX.rows() > 0;
    if (monitored)
        validatePredictionInput(data.monitorX, data.x.cols(), true, name());
    control.progress(0.0, "indexing the training rows");
    auto state = std::make_unique<Fitted>(RowMatrix(data.x), data.y, m_algorithm, m_neighbourCount, m_leafSize, m_metric);
    const bool tree = state->tree;
    const int classCount = m_task == core::TaskType::Classification ? data.classCount : 0;

    // The snapshot: the model's output for the monitor rows, or for a sample of its own rows.
    RowMatrix measured;
    Eigen::VectorXd measuredY;
    if (monitored) {
        measured = data.monitorX;
    } else {
        const Eigen::Index count = std::min(rows, kSnapshotTrainingRows);
        measured.resize(count, data.x.cols());
        measuredY.resize(count);
        for (Eigen::Index i = 0; i < count; ++i) {
            const Eigen::Index row = i * rows / count;
            measured.row(i) = data.x.row(row);
            measuredY(i) = data.y(row);
        }
    }
    control.progress(0.1, "measuring the fit");
    Eigen::MatrixXd output(measured.rows(), m_task == core::TaskType::Classification ? classCount : 1);
    for (Eigen::Index first = 0; first < measured.rows(); first += kSnapshotChunk) {
        const Eigen::Index count = std::min(kSnapshotChunk, measured.rows() - first);
        const RowMatrix chunk = measured.middleRows(first, count);
        output.middleRows(first, count) =
            neighbourOutputs(state->query(chunk, m_neighbourCount), state->y, m_task, classCount, m_distanceWeights);
        control.progress(0.1 + 0.9 * static_cast<double>(first + count) / static_cast<double>(measured.rows()));
    }
    core::TrainingSnapshot snapshot;
    if (monitored) {
        snapshot = monitorSnapshot(data, output, 1, 1, "fit");
    } else {
        snapshot.step = 1;
        snapshot.totalSteps = 1;
        snapshot.stepName = "fit";
        snapshot.measuredOn = "training rows";
        if (m_task == core::TaskType::Classification) {
            snapshot.metricName = "training accuracy";
            snapshot.confusion = confusionMatrix(measuredY, rowArgmax(output), classCount);
            snapshot.value = accuracyOf(snapshot.confusion);
        } else {
            snapshot.metricName = "training R²";
            snapshot.value = rSquared(measuredY, output.col(0));
        }
    }
    FitReport report;
    report.iterations = 1;
    report.curve.push_back(snapshot);
    control.snapshot(snapshot);
    report.message = tree ? "kd-tree over " : "brute-force search over ";
    report.message.append(std::to_string(rows)).append(" training rows");
    // The last chance to cancel comes before the previous fit is replaced.
    control.progress(1.0, "fitted");
    m_state = std::move(state);
    m_classCount = classCount;
    m_fitted = true;
    return report;
}

NeighbourLists KNearestNeighbours::neighbours(const Eigen::MatrixXd& x) const
{
    validatePredictionInput(x, m_fitted ? m_state->features : 0, m_fitted, name());
    return m_state->query(RowMatrix(x), m_neighbourCount);
}

Eigen::MatrixXd KNearestNeighbours::predictProba(const Eigen::MatrixXd& x) const
{
    if (m_task != core::TaskType::Classification)
        throw core::InvalidParameter("knn regression predicts numbers, not class probabilities — use predict");
    return neighbourOutputs(neighbours(x), m_state->y, m_task, m_classCount, m_distanceWeights);
}

Eigen::VectorXd KNearestNeighbours::predict(const Eigen::MatrixXd& x) const
{
    const Eigen::MatrixXd output = neighbourOutputs(neighbours(x), m_state->y, m_task, m_classCount, m_distanceWeights);
    if (m_task == core::TaskType::Regression)
        return output.col(0);
    return rowArgmax(output).cast<double>();
}

io::OnnxModelOutputs KNearestNeighbours::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    constexpr std::int64_t kOnnxFloat = 1;
    constexpr std::int64_t kOnnxBool = 9;
    const RowMatrix training = m_state->trainingRows();
    const std::int64_t trainingRows = training.rows();
    const bool euclidean = m_metric == NeighbourMetric::Euclidean;
    const auto one = [&](std::int64_t value) { return graph.constant(std::vector<std::int64_t>{value}, {1}); };

    // Reduced distances [N, training rows], summed feature by feature in feature order as
    // reducedDistance does; one feature at a time keeps the largest tensor at N × rows
    // instead of N × rows × features.
    std::string reduced;
    std::vector<float> column(static_cast<std::size_t>(trainingRows));
    for (Eigen::Index f = 0; f < training.cols(); ++f) {
        for (Eigen::Index row = 0; row < trainingRows; ++row)
            column[static_cast<std::size_t>(row)] = static_cast<float>(training(row, f));
        const std::string value = graph.addNode("Gather", {features, one(f)}, {{"axis", std::int64_t{1}}});
        const std::string difference = graph.addNode("Sub", {value, graph.constant(column, {1, trainingRows})});
        const std::string term =
            euclidean ? graph.addNode("Mul", {difference, difference}) : graph.addNode("Abs", {difference});
        reduced = f == 0 ? term : graph.addNode("Add", {reduced, term});
    }
    // TopK puts equal values in index order: our brute force's (distance, row) order.
    const std::vector<std::string> nearest =
        graph.addNode("TopK", {reduced, one(m_neighbourCount)}, 2,
                      {{"axis", std::int64_t{1}}, {"largest", std::int64_t{0}}, {"sorted", std::int64_t{1}}});
    const std::string& indices = nearest[1];

    // Distance weights as distanceWeights: 1/distance, unless that is infinite for some
    // neighbour; then those neighbours weigh 1 and the others 0.
    std::string weights;
    if (m_distanceWeights) {
        const std::string distances = euclidean ? graph.addNode("Sqrt", {nearest[0]}) : nearest[0];
        const std::string inverse = graph.addNode("Reciprocal", {distances});
        const std::string infinite =
            graph.addNode("Cast", {graph.addNode("IsInf", {inverse})}, {{"to", kOnnxFloat}});
        const std::string anyInfinite = graph.addNode(
            "Cast",
            {graph.addNode("ReduceMax", {infinite}, {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{1}}})},
            {{"to", kOnnxBool}});
        weights = graph.addNode("Where", {anyInfinite, infinite, inverse});
    }

    const Eigen::VectorXd& y = m_state->y;
    io::OnnxModelOutputs outputs;
    if (m_task == core::TaskType::Classification) {
        std::vector<float> oneHot(static_cast<std::size_t>(trainingRows) * static_cast<std::size_t>(m_classCount), 0.0f);
        for (std::int64_t row = 0; row < trainingRows; ++row)
            oneHot[static_cast<std::size_t>(row * m_classCount) + static_cast<std::size_t>(y(row))] = 1.0f;
        std::string votes = graph.addNode("Gather", {graph.constant(oneHot, {trainingRows, m_classCount}), indices},
                                          {{"axis", std::int64_t{0}}});
        if (m_distanceWeights)
            votes = graph.addNode("Mul", {votes, graph.addNode("Unsqueeze", {weights, one(2)})});
        const std::string tally = graph.addNode("ReduceSum", {votes, one(1)}, {{"keepdims", std::int64_t{0}}});
        std::string normaliser;
        if (m_distanceWeights) {
            // All weights zero (every distance overflowed) divides by 1, as predictProba does.
            const std::string total = graph.addNode("ReduceSum", {tally, one(1)}, {{"keepdims", std::int64_t{1}}});
            const std::string zero = graph.constant(std::vector<float>{0.0f}, {1});
            normaliser = graph.addNode("Where", {graph.addNode("Equal", {total, zero}),
                                                 graph.constant(std::vector<float>{1.0f}, {1}), total});
        } else {
            normaliser = graph.constant(std::vector<float>{static_cast<float>(m_neighbourCount)}, {1});
        }
        outputs.probabilities = graph.addNode("Div", {tally, normaliser});
        return outputs;
    }
    std::vector<float> targets(static_cast<std::size_t>(trainingRows));
    for (std::int64_t row = 0; row < trainingRows; ++row)
        targets[static_cast<std::size_t>(row)] = static_cast<float>(y(row));
    const std::string neighbourTargets =
        graph.addNode("Gather", {graph.constant(targets, {trainingRows}), indices}, {{"axis", std::int64_t{0}}});
    if (!m_distanceWeights) {
        outputs.values = graph.addNode("ReduceMean", {neighbourTargets},
                                       {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{0}}});
        return outputs;
    }
    const std::string weighted = graph.addNode("Mul", {neighbourTargets, weights});
    outputs.values = graph.addNode("Div", {graph.addNode("ReduceSum", {weighted, one(1)}, {{"keepdims", std::int64_t{0}}}),
                                           graph.addNode("ReduceSum", {weights, one(1)}, {{"keepdims", std::int64_t{0}}})});
    return outputs;
}

std::string KNearestNeighbours::fittedAlgorithm() const
{
    if (!m_fitted)
        return {};
    return m_state->tree ? "kd_tree" : "brute";
}

template <class Archive>
void KNearestNeighbours::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    archive & params;
    if constexpr (Archive::is_loading::value) {
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    bool fitted = m_fitted;
    archive & fitted;
    if constexpr (Archive::is_saving::value) {
        if (!fitted)
            return;
        int classCount = m_classCount;
        RowMatrix rows = m_state->trainingRows();
        Eigen::VectorXd y = m_state->y;
        archive & classCount & rows & y;
    } else {
        m_fitted = false;
        if (!fitted)
            return;
        int classCount = 0;
        RowMatrix rows;
        Eigen::VectorXd y;
        archive & classCount & rows & y;
        const auto damaged = [this](const std::string& what) {
            throw core::ArchiveError("the saved " + name() + " " + what +
                                     " — the file is damaged or from another program; train the model again");
        };
        if (rows.rows() < 1 || rows.cols() < 1 || y.size() != rows.rows())
            damaged("has no usable training rows");
        if (rows.rows() < m_neighbourCount)
            damaged("has fewer training rows than n_neighbors");
        if (!rows.allFinite() || !y.allFinite())
            damaged("has training values that are not finite");
        const bool classification = m_task == core::TaskType::Classification;
        if (classification != (classCount >= 2) || (!classification && classCount != 0))
            damaged("was saved for another task");
        for (Eigen::Index i = 0; classification && i < y.size(); ++i)
            if (y(i) < 0.0 || y(i) >= classCount || std::floor(y(i)) != y(i))
                damaged("has a target that is not a class index");
        m_state = std::make_unique<Fitted>(rows, std::move(y), m_algorithm, m_neighbourCount, m_leafSize, m_metric);
        m_classCount = classCount;
        m_fitted = true;
    }
}

void KNearestNeighbours::save(core::OutputArchive& archive) const
{
    archive << *this;
}

void KNearestNeighbours::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
