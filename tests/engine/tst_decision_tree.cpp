// The decision tree against scikit-learn 1.2.1's DecisionTreeClassifier/Regressor, node for
// node: on data where no two candidate splits tie (tests/reference/trees_reference.py
// checks that with 30 random_states), every correct implementation grows the same tree
// whatever its random stream, so features, thresholds and children must agree exactly and
// leaf values, importances and predictions to rounding.
#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/model_fixtures.hpp"
#include "models/decision_tree_model.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"

using namespace stepwise;
using core::TaskType;
using nlohmann::json;

namespace {

const json& reference()
{
    static const json data = [] {
        std::ifstream in(test::referencePath("trees_reference.json"));
        if (!in)
            throw std::runtime_error("missing trees_reference.json — run tests/reference/trees_reference.py");
        return json::parse(in);
    }();
    return data;
}

Eigen::MatrixXd matrixOf(const json& rows)
{
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            x(r, c) = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)].get<double>();
    return x;
}

models::Dataset datasetOf(const json& entry)
{
    models::Dataset data;
    data.x = matrixOf(entry["x"]);
    data.y.resize(data.x.rows());
    for (Eigen::Index r = 0; r < data.x.rows(); ++r)
        data.y(r) = entry["y"][static_cast<std::size_t>(r)].get<double>();
    data.classCount = entry["classes"].get<int>();
    return data;
}

std::unique_ptr<models::DecisionTreeModel> makeTree(TaskType task, const std::map<std::string, std::string>& params)
{
    auto model = models::createModel("decision_tree", task, params);
    return std::unique_ptr<models::DecisionTreeModel>(static_cast<models::DecisionTreeModel*>(model.release()));
}

template <class Call>
std::string invalidParameterMessage(Call&& call)
{
    try {
        call();
    } catch (const core::InvalidParameter& error) {
        return error.what();
    }
    return "(no InvalidParameter)";
}

// Fits the case with `seed` and compares the tree with scikit-learn's node by node.
void checkTree(models::Dataset data, std::uint64_t seed, const std::map<std::string, std::string>& params,
               const json& entry, const json& expected)
{
    const bool classification = entry["classification"].get<bool>();
    data.seed = seed;
    auto tree = makeTree(classification ? TaskType::Classification : TaskType::Regression, params);
    core::TaskControl control;
    tree->fit(data, control);

    const models::DecisionTree& fitted = tree->tree();
    const std::size_t nodes = expected["feature"].size();
    QCOMPARE(fitted.nodeCount(), nodes);
    QCOMPARE(fitted.depth(), expected["depth"].get<int>());
    QCOMPARE(fitted.leafCount(), expected["leaves"].get<std::size_t>());
    const double targetScale = classification ? 1.0 : data.y.cwiseAbs().maxCoeff();
    for (std::size_t i = 0; i < nodes; ++i) {
        const models::DecisionTree::Node& ours = fitted.nodes()[i];
        const int feature = expected["feature"][i].get<int>();
        const std::string where = "seed " + std::to_string(seed) + ", node " + std::to_string(i);
        QVERIFY2(ours.feature == feature, where.c_str());
        if (feature >= 0) {
            // Thresholds are midpoints of float32 values computed in double: bit-equal.
            QVERIFY2(ours.threshold == expected["threshold"][i].get<double>(), where.c_str());
            QVERIFY2(ours.left == expected["left"][i].get<int>(), where.c_str());
            QVERIFY2(ours.right == expected["right"][i].get<int>(), where.c_str());
            continue;
        }
        const double* values = fitted.leafValues(ours.left);
        const json& value = expected["value"][i];
        for (std::size_t k = 0; k < value.size(); ++k)
            QVERIFY2(std::abs(values[k] - value[k].get<double>()) <= 1e-12 * targetScale,
                     (where + ": " + std::to_string(values[k]) + " vs " + std::to_string(value[k].get<double>()))
                         .c_str());
    }
    // Importances come from the node impurities (gini, entropy in bits, or variance)
    // weighted by the rows: agreeing to 1e-10 means the impurities agree.
    const Eigen::VectorXd importances = tree->featureImportances();
    QCOMPARE(importances.size(), data.x.cols());
    for (Eigen::Index j = 0; j < importances.size(); ++j)
        QVERIFY2(std::abs(importances(j) - expected["feature_importances"][static_cast<std::size_t>(j)].get<double>()) <=
                     1e-10,
                 (std::to_string(j) + ": " + std::to_string(importances(j))).c_str());

    const Eigen::MatrixXd probe = matrixOf(entry["probe"]);
    const Eigen::VectorXd predicted = tree->predict(probe);
    for (Eigen::Index r = 0; r < probe.rows(); ++r)
        QVERIFY(std::abs(predicted(r) - expected["probe_predict"][static_cast<std::size_t>(r)].get<double>()) <=
                1e-12 * targetScale);
    if (classification) {
        const Eigen::MatrixXd proba = tree->predictProba(probe);
        for (Eigen::Index r = 0; r < probe.rows(); ++r)
            for (Eigen::Index k = 0; k < proba.cols(); ++k)
                QVERIFY(std::abs(proba(r, k) - expected["probe_proba"][static_cast<std::size_t>(r)]
                                                      [static_cast<std::size_t>(k)]
                                                          .get<double>()) <= 1e-12);
    }
}

} // namespace

class TestDecisionTree : public QObject {
    Q_OBJECT
private slots:
    void matchesScikitLearnNodeForNode_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<int>("caseIndex");
        for (const auto& [name, entry] : reference()["trees"].items()) {
            for (std::size_t i = 0; i < entry["cases"].size(); ++i) {
                std::string label = name;
                for (const auto& [key, value] : entry["cases"][i]["params"].items())
                    label.append(" ").append(key).append("=").append(value.get<std::string>());
                QTest::newRow(label.c_str()) << QString::fromStdString(name) << static_cast<int>(i);
            }
        }
    }
    void matchesScikitLearnNodeForNode()
    {
        QFETCH(QString, dataset);
        QFETCH(int, caseIndex);
        const json& entry = reference()["trees"][dataset.toStdString()];
        const json& expected = entry["cases"][static_cast<std::size_t>(caseIndex)];
        models::Dataset data = datasetOf(entry);
        std::map<std::string, std::string> params;
        for (const auto& [key, value] : expected["params"].items())
            params[key] = value.get<std::string>();
        // Without ties the tree does not depend on the order features are visited in.
        for (const std::uint64_t seed : {0, 1, 12345}) {
            checkTree(data, seed, params, entry, expected);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void criterionDefaultsAndMismatches()
    {
        QCOMPARE(makeTree(TaskType::Classification, {})->criterion(), models::SplitCriterion::Gini);
        QCOMPARE(makeTree(TaskType::Regression, {})->criterion(), models::SplitCriterion::SquaredError);
        QCOMPARE(makeTree(TaskType::Classification, {{"criterion", "log_loss"}})->criterion(),
                 models::SplitCriterion::Entropy);
        const std::string forRegression =
            invalidParameterMessage([] { makeTree(TaskType::Regression, {{"criterion", "gini"}}); });
        QVERIFY2(forRegression.find("criterion=gini does not fit regression — use auto or squared_error") !=
                     std::string::npos,
                 forRegression.c_str());
        const std::string forClassification =
            invalidParameterMessage([] { makeTree(TaskType::Classification, {{"criterion", "squared_error"}}); });
        QVERIFY2(forClassification.find("use one of auto, gini, entropy, log_loss") != std::string::npos,
                 forClassification.c_str());
        const std::string unknown =
            invalidParameterMessage([] { makeTree(TaskType::Classification, {{"criterion", "mse"}}); });
        QVERIFY2(unknown.find("one of auto, gini, entropy, log_loss, squared_error") != std::string::npos,
                 unknown.c_str());
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter,
                                 makeTree(TaskType::Regression, {{"class_weight", "balanced"}}));
    }

    void maxFeaturesAsScikitLearn()
    {
        QCOMPARE(makeTree(TaskType::Classification, {})->resolvedMaxFeatures(10), 10);
        QCOMPARE(makeTree(TaskType::Classification, {{"max_features", "sqrt"}})->resolvedMaxFeatures(10), 3);
        QCOMPARE(makeTree(TaskType::Classification, {{"max_features", "log2"}})->resolvedMaxFeatures(10), 3);
        QCOMPARE(makeTree(TaskType::Classification, {{"max_features", "4"}})->resolvedMaxFeatures(10), 4);
        QCOMPARE(makeTree(TaskType::Classification, {{"max_features", "1"}})->resolvedMaxFeatures(10), 1);
        // A fraction: int(fraction · features), at least one; 1.0 is all features.
        QCOMPARE(makeTree(TaskType::Regression, {{"max_features", "0.55"}})->resolvedMaxFeatures(10), 5);
        QCOMPARE(makeTree(TaskType::Regression, {{"max_features", "0.01"}})->resolvedMaxFeatures(10), 1);
        QCOMPARE(makeTree(TaskType::Regression, {{"max_features", "1.0"}})->resolvedMaxFeatures(10), 10);
        const std::string fractional =
            invalidParameterMessage([] { makeTree(TaskType::Regression, {{"max_features", "2.5"}}); });
        QVERIFY2(fractional.find("max_features=2.5 is neither a whole number of features nor a fraction in (0, 1]") !=
                     std::string::npos,
                 fractional.c_str());
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, makeTree(TaskType::Regression, {{"max_features", "0"}}));

        const json& entry = reference()["trees"]["three_classes"];
        models::Dataset data = datasetOf(entry);
        auto tooMany = makeTree(TaskType::Classification, {{"max_features", "5"}});
        core::TaskControl control;
        const std::string message = invalidParameterMessage([&] { tooMany->fit(data, control); });
        QVERIFY2(message.find("max_features=5 is more than the 4 features") != std::string::npos, message.c_str());
    }

    void featureSubsetsFollowTheSeed()
    {
        const json& entry = reference()["trees"]["three_classes"];
        models::Dataset data = datasetOf(entry);
        const auto structure = [&](std::uint64_t seed) {
            data.seed = seed;
            auto tree = makeTree(TaskType::Classification, {{"max_features", "1"}, {"max_depth", "6"}});
            core::TaskControl control;
            tree->fit(data, control);
            std::vector<std::pair<int, double>> nodes;
            for (const auto& node : tree->tree().nodes())
                nodes.emplace_back(node.feature, node.threshold);
            return nodes;
        };
        QVERIFY(structure(3) == structure(3));
        // One feature drawn per node: some of five other seeds must grow another tree.
        bool differs = false;
        for (std::uint64_t seed = 4; seed < 9; ++seed)
            differs = differs || structure(seed) != structure(3);
        QVERIFY(differs);
    }

    void snapshotIsOnMonitorRowsWhenGiven()
    {
        const json& entry = reference()["trees"]["three_classes"];
        models::Dataset data = datasetOf(entry);
        core::TaskControl control;
        auto tree = makeTree(TaskType::Classification, {{"max_depth", "3"}});
        const models::FitReport own = tree->fit(data, control);
        QCOMPARE(own.curve.size(), std::size_t(1));
        QCOMPARE(own.curve.front().measuredOn, std::string("training rows"));
        const double trainingAccuracy = (tree->predict(data.x).array() == data.y.array()).cast<double>().mean();
        QCOMPARE(own.curve.front().value, trainingAccuracy);

        data.monitorX = matrixOf(entry["probe"]);
        data.monitorY = tree->predict(data.monitorX);
        data.monitorY.head(6).setConstant(2.0);
        const models::FitReport monitored = tree->fit(data, control);
        QCOMPARE(monitored.curve.front().measuredOn, std::string("validation rows"));
        QCOMPARE(monitored.curve.front().metricName, std::string("validation accuracy"));
        const double monitorAccuracy =
            (tree->predict(data.monitorX).array() == data.monitorY.array()).cast<double>().mean();
        QCOMPARE(monitored.curve.front().value, monitorAccuracy);
        QVERIFY(monitorAccuracy < 1.0);
        QCOMPARE(monitored.curve.front().confusion.size(), std::size_t(3));

        models::Dataset mismatched = data;
        mismatched.monitorX = data.monitorX.leftCols(2);
        QVERIFY_THROWS_EXCEPTION(core::DataError, tree->fit(mismatched, control));
        models::Dataset unknownClass = data;
        unknownClass.monitorY(2) = 3.0;
        QVERIFY_THROWS_EXCEPTION(core::DataError, tree->fit(unknownClass, control));
        auto forest = models::createModel("random_forest", TaskType::Classification, {{"n_estimators", "2"}});
        QVERIFY_THROWS_EXCEPTION(core::DataError, forest->fit(unknownClass, control));
    }

    void importancesOfASingleLeafAreZero()
    {
        models::Dataset data;
        data.x = Eigen::MatrixXd::Constant(10, 2, 3.0);
        data.y = Eigen::VectorXd::LinSpaced(10, 0.0, 9.0);
        auto tree = makeTree(TaskType::Regression, {});
        core::TaskControl control;
        const models::FitReport report = tree->fit(data, control);
        QCOMPARE(tree->tree().nodeCount(), std::size_t(1));
        QCOMPARE(tree->featureImportances(), Eigen::VectorXd::Zero(2).eval());
        QCOMPARE(tree->predict(data.x.topRows(1))(0), 4.5);
        QCOMPARE(report.message, std::string("grew a tree of depth 0 with 1 leaf"));
    }
};

QTEST_GUILESS_MAIN(TestDecisionTree)
#include "tst_decision_tree.moc"
