#include "models/decision_tree_model.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>

#include "io/eigen_serialization.hpp"
#include "models/onnx_model_export.hpp"
#include "models/training_data.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {
namespace {

// scikit-learn tells a count from a fraction by the Python type; in text, a fraction is
// written with a decimal point or an exponent.
bool isFraction(const std::string& text) { return text.find_first_of(".eE") != std::string::npos; }

// Progress inside the one tree: the share of rows already settled in leaves, reported
// when it has grown by a percent (the builder polls every few thousand rows of work).
constexpr double kProgressStep = 0.01;
constexpr double kTreeShare = 0.95;

} // namespace

const std::vector<core::ParamSpec>& DecisionTreeModel::paramTable()
{
    static const std::vector<core::ParamSpec> table = {
        {"criterion", core::ParamKind::Choice, "auto", 0.0, 0.0, false,
         {"auto", "gini", "entropy", "log_loss", "squared_error"},
         "What a split must lower: gini or entropy (= log_loss) for classification, squared_error for "
         "regression; auto picks gini or squared_error (scikit-learn's defaults)."},
        {"max_depth", core::ParamKind::Integer, "none", 1.0, 1000.0, false, {"none"},
         "Deepest level the tree may grow to; none grows until the leaves are pure, which usually overfits — "
         "lower values give simpler rules that generalise better."},
        {"min_samples_split", core::ParamKind::Integer, "2", 2.0, 1e9, false, {},
         "A node needs at least this many training rows to be split; raise it to keep the tree from fitting "
         "noise."},
        {"min_samples_leaf", core::ParamKind::Integer, "1", 1.0, 1e9, false, {},
         "Every leaf keeps at least this many training rows; raise it for smoother, more reliable "
         "predictions."},
        {"max_features", core::ParamKind::Real, "none", 0.0, 1e6, true, {"none", "sqrt", "log2"},
         "Features tried at each split: none tries all; sqrt, log2, a count (e.g. 3) or a fraction (e.g. 0.5) "
         "try a random subset, chosen with the seed."},
        {"class_weight", core::ParamKind::Choice, "none", 0.0, 0.0, false, {"none", "balanced"},
         "Classification only: balanced weighs each class by rows / (classes × rows of the class), so the "
         "splits and leaf probabilities count the smaller classes as much as the larger ones."},
    };
    return table;
}

DecisionTreeModel::DecisionTreeModel(core::TaskType task, const core::ParamValues& params)
    : m_task(task), m_params(params)
{
    applyParams();
}

void DecisionTreeModel::applyParams()
{
    const bool classification = m_task == core::TaskType::Classification;
    m_criterion = criterionFromName(m_params.text("criterion"), classification, name());
    m_maxDepth = m_params.isWord("max_depth", "none") ? 0x7fffffff : static_cast<int>(m_params.integer("max_depth"));
    m_minSamplesSplit = m_params.integer("min_samples_split");
    m_minSamplesLeaf = m_params.integer("min_samples_leaf");
    m_balanced = m_params.isWord("class_weight", "balanced");
    if (m_balanced && !classification)
        throw core::InvalidParameter("decision_tree: class_weight=balanced weighs classes, but this is regression "
                                     "— use class_weight=none");
    const std::string& maxFeatures = m_params.text("max_features");
    if (maxFeatures != "none" && maxFeatures != "sqrt" && maxFeatures != "log2") {
        const double value = m_params.real("max_features");
        const bool ok = isFraction(maxFeatures) ? value <= 1.0 : std::floor(value) == value;
        if (!ok) {
            std::string message = "decision_tree: max_features=";
            message.append(maxFeatures).append(" is neither a whole number of features nor a fraction in (0, 1] — ");
            message.append("use e.g. 3, 0.5, or one of none, sqrt, log2");
            throw core::InvalidParameter(message);
        }
    }
}

int DecisionTreeModel::resolvedMaxFeatures(int featureCount) const
{
    const std::string& text = m_params.text("max_features");
    const double count = featureCount;
    if (text == "none")
        return featureCount;
    if (text == "sqrt")
        return std::max(1, static_cast<int>(std::sqrt(count)));
    if (text == "log2")
        return std::max(1, static_cast<int>(std::log2(count)));
    const double value = m_params.real("max_features");
    if (isFraction(text))
        return std::max(1, static_cast<int>(value * count));
    if (value > count) {
        std::string message = "decision_tree: max_features=";
        message.append(text).append(" is more than the ").append(std::to_string(featureCount));
        message.append(" features — use at most ").append(std::to_string(featureCount));
        message.append(", a fraction in (0, 1], or one of none, sqrt, log2");
        throw core::InvalidParameter(message);
    }
    return static_cast<int>(value);
}

FitReport DecisionTreeModel::fit(const Dataset& data, core::TaskControl& control)
{
    validateTrainingData(data, m_task, name());
    const bool classification = m_task == core::TaskType::Classification;
    const auto rows = static_cast<std::size_t>(data.x.rows());
    const auto featureCount = static_cast<int>(data.x.cols());
    if (rows > 0xffffffffu)
        throw core::DataError("decision_tree takes at most 4294967295 training rows — sample the data down");
    const bool monitored = data.monitorX.rows() > 0;
    checkMonitorRows(data, m_task == core::TaskType::Classification, name());

    TreeSettings settings;
    settings.criterion = m_criterion;
    settings.maxDepth = m_maxDepth;
    settings.minSamplesLeaf = m_minSamplesLeaf;
    settings.minSamplesSplit = std::max(m_minSamplesSplit, 2 * m_minSamplesLeaf);
    settings.maxFeatures = resolvedMaxFeatures(featureCount);

    control.progress(0.0, "growing the tree");
    const Eigen::MatrixXf x = singlePrecisionFeatures(data, name());
    std::vector<std::int32_t> labels;
    std::vector<double> classWeights;
    TreeTrainingData training;
    training.x = x.data();
    training.rows = rows;
    training.features = featureCount;
    if (classification) {
        labels.resize(rows);
        for (std::size_t row = 0; row < rows; ++row)
            labels[row] = static_cast<std::int32_t>(data.y(static_cast<Eigen::Index>(row)));
        training.labels = labels.data();
        training.classCount = data.classCount;
        if (m_balanced) {
            classWeights = balancedClassWeights(data.y, data.classCount);
            training.classWeights = classWeights.data();
        }
    } else {
        training.targets = data.y.data();
    }

    const TreeBuilder* builder = nullptr;
    double reported = 0.0;
    const auto poll = [&] {
        if (builder && builder->settledFraction() >= reported + kProgressStep) {
            reported = builder->settledFraction();
            control.progress(kTreeShare * reported);
        }
        return control.isCancelled();
    };
    TreeBuilder treeBuilder(training, settings, poll);
    builder = &treeBuilder;
    core::RandomSource random(data.seed);
    const std::vector<std::uint32_t> weights(rows, 1u);
    std::vector<double> decrease;
    DecisionTree tree;
    try {
        tree = treeBuilder.build(weights, random, decrease);
    } catch (const TreeBuildStopped&) {
        // The builder stops only when the user cancelled.
        throw core::Cancelled();
    }

    Eigen::VectorXd importances = Eigen::Map<const Eigen::VectorXd>(decrease.data(), featureCount);
    if (importances.sum() > 0.0)
        importances /= importances.sum();

    // One point for the curve: the finished tree on the monitor rows, else on its own rows.
    const Eigen::MatrixXd& measureX = monitored ? data.monitorX : data.x;
    const int width = classification ? data.classCount : 1;
    Eigen::MatrixXd output(measureX.rows(), width);
    for (Eigen::Index r = 0; r < measureX.rows(); ++r) {
        const double* values =
            tree.leafValues(tree.findLeaf([&](std::int32_t f) { return static_cast<float>(measureX(r, f)); }));
        for (int k = 0; k < width; ++k)
            output(r, k) = values[k];
    }
    core::TrainingSnapshot snapshot;
    if (monitored) {
        snapshot = monitorSnapshot(data, output, 1, 1, "tree");
    } else {
        snapshot.step = 1;
        snapshot.totalSteps = 1;
        snapshot.stepName = "tree";
        snapshot.measuredOn = "training rows";
        if (classification) {
            snapshot.metricName = "training accuracy";
            snapshot.confusion = confusionMatrix(data.y, rowArgmax(output), data.classCount);
            snapshot.value = accuracyOf(snapshot.confusion);
        } else {
            snapshot.metricName = "training R²";
            snapshot.value = rSquared(data.y, output.col(0));
        }
    }
    control.snapshot(snapshot);
    control.progress(1.0, "tree grown");

    FitReport report;
    report.iterations = 1;
    report.curve.push_back(snapshot);
    report.message = "grew a tree of depth ";
    report.message.append(std::to_string(tree.depth())).append(" with ");
    report.message.append(std::to_string(tree.leafCount())).append(tree.leafCount() == 1 ? " leaf" : " leaves");

    m_tree = std::move(tree);
    m_importances = importances;
    m_classCount = classification ? data.classCount : 0;
    m_featureCount = featureCount;
    m_fitted = true;
    return report;
}

Eigen::MatrixXd DecisionTreeModel::predictProba(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Regression)
        throw core::InvalidParameter("this decision_tree does regression and has no class probabilities — use "
                                     "predict");
    validatePredictionInput(x, m_featureCount, m_fitted, name());
    Eigen::MatrixXd proba(x.rows(), m_classCount);
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        const double* values = m_tree.leafValues(m_tree.findLeaf([&](std::int32_t f) { return static_cast<float>(x(r, f)); }));
        for (int k = 0; k < m_classCount; ++k)
            proba(r, k) = values[k];
    }
    return proba;
}

Eigen::VectorXd DecisionTreeModel::predict(const Eigen::MatrixXd& x) const
{
    if (m_task == core::TaskType::Classification)
        return rowArgmax(predictProba(x)).cast<double>();
    validatePredictionInput(x, m_featureCount, m_fitted, name());
    Eigen::VectorXd values(x.rows());
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        values(r) = *m_tree.leafValues(m_tree.findLeaf([&](std::int32_t f) { return static_cast<float>(x(r, f)); }));
    return values;
}

io::OnnxModelOutputs DecisionTreeModel::exportOnnx(io::OnnxGraph& graph, const std::string& features) const
{
    requireFittedForExport(m_fitted, name());
    OnnxTreeEnsemble ensemble;
    ensemble.addTree(m_tree);
    io::OnnxModelOutputs outputs;
    // The leaf fractions are count / total, so classes unequal in float64 stay unequal in
    // float32 and the pipeline's argmax picks our class.
    if (m_task == core::TaskType::Classification)
        outputs.probabilities = ensemble.classifier(graph, features, m_classCount);
    else
        outputs.values = ensemble.regressor(graph, features, 1, "SUM", {});
    return outputs;
}

template <class Archive>
void DecisionTreeModel::serialize(Archive& archive, unsigned /*version*/)
{
    std::map<std::string, std::string> params = m_params.all();
    int task = m_task == core::TaskType::Classification ? 0 : 1;
    archive & params & task;
    if constexpr (Archive::is_loading::value) {
        if (task != 0 && task != 1)
            throw core::ArchiveError("the saved decision_tree has an unknown task — the file is damaged; train the "
                                     "model again");
        m_task = task == 0 ? core::TaskType::Classification : core::TaskType::Regression;
        m_params = restoreParams(paramTable(), params, name());
        applyParams();
    }
    archive & m_fitted & m_classCount & m_featureCount & m_tree & m_importances;
    if constexpr (Archive::is_loading::value) {
        if (!m_fitted)
            return;
        const bool classification = m_task == core::TaskType::Classification;
        bool ok = m_featureCount >= 1 && m_importances.size() == m_featureCount &&
                  (!classification || m_classCount >= 2);
        if (ok) {
            m_tree.validate(m_featureCount);
            ok = m_tree.valueWidth() == (classification ? m_classCount : 1);
        }
        if (!ok)
            throw core::ArchiveError("the saved decision_tree is inconsistent — the file is damaged; train the "
                                     "model again");
    }
}

void DecisionTreeModel::save(core::OutputArchive& archive) const { archive << *this; }

void DecisionTreeModel::load(core::InputArchive& archive) { loadModelState(archive, *this, m_fitted, name()); }

} // namespace stepwise::models
