// The training distributions behind the prediction server's drift gauges: deciles and
// category shares against NumPy/pandas (tests/reference/feature_drift_reference.py),
// the bin of a value, and the population stability index.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/feature_drift.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

nlohmann::json reference()
{
    std::ifstream file(STEPWISE_TEST_DATA_DIR "/reference/feature_drift.json");
    return nlohmann::json::parse(file);
}

std::vector<workflow::InputColumn> inputsOf(const data::Table& table)
{
    std::vector<workflow::InputColumn> inputs;
    for (const data::Column& column : table.columns())
        inputs.push_back({column.name(), column.kind(), column.isCategorical() ? column.levels() : std::vector<std::string>{}});
    return inputs;
}

const workflow::FeatureDistribution& distributionOf(const std::vector<workflow::FeatureDistribution>& all,
                                                    const std::string& name)
{
    for (const auto& distribution : all)
        if (distribution.column == name)
            return distribution;
    throw std::runtime_error("no distribution for " + name);
}

double psiOf(const workflow::FeatureDistribution& distribution, const data::Column& column)
{
    const workflow::DistributionBins bins(distribution);
    return workflow::populationStabilityIndex(distribution.fractions, workflow::sharesOf(bins.counts(column)));
}

data::Column transformed(const data::Column& column, double scale, double shift)
{
    std::vector<double> values = column.values();
    for (double& value : values)
        value = value * scale + shift;
    return data::Column::numeric(column.name(), std::move(values), column.kind());
}

} // namespace

class TestFeatureDrift : public QObject {
    Q_OBJECT
private slots:
    void numericColumnsMatchNumpyDeciles()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const auto distributions = workflow::featureDistributions(table, inputsOf(table));
        QCOMPARE(distributions.size(), table.columnCount());
        const nlohmann::json expected = reference()["numeric"];
        QCOMPARE(expected.size(), std::size_t(4));
        for (const auto& [name, want] : expected.items()) {
            const auto& got = distributionOf(distributions, name);
            QVERIFY2(got.categories.empty(), name.c_str());
            const auto edges = want["bin_edges"].get<std::vector<double>>();
            const auto fractions = want["fractions"].get<std::vector<double>>();
            QCOMPARE(got.binEdges.size(), edges.size());
            for (std::size_t i = 0; i < edges.size(); ++i)
                QVERIFY2(std::abs(got.binEdges[i] - edges[i]) <= 1e-12 * std::max(1.0, std::abs(edges[i])),
                         (name + " edge " + std::to_string(i)).c_str());
            QCOMPARE(got.fractions.size(), fractions.size());
            double sum = 0.0;
            for (std::size_t i = 0; i < fractions.size(); ++i) {
                QVERIFY2(std::abs(got.fractions[i] - fractions[i]) <= 1e-12, (name + " bin " + std::to_string(i)).c_str());
                sum += got.fractions[i];
            }
            QVERIFY(std::abs(sum - 1.0) <= 1e-12);
        }
        // Ties merged: pclass has three values, so far fewer than nine edges.
        QVERIFY(distributionOf(distributions, "pclass").binEdges.size() < 4);
        QVERIFY(distributionOf(distributions, "age").fractions.back() > 0.19);  // age is missing in 177 of 891 rows
    }

    void categoricalColumnsMatchPandasShares()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const auto distributions = workflow::featureDistributions(table, inputsOf(table));
        const nlohmann::json expected = reference()["categorical"];
        for (const auto& [name, want] : expected.items()) {
            const auto& got = distributionOf(distributions, name);
            QVERIFY2(got.binEdges.empty(), name.c_str());
            QCOMPARE(got.categories, table.column(name).levels());
            QCOMPARE(got.fractions.size(), got.categories.size() + 2);
            for (std::size_t i = 0; i < got.categories.size(); ++i)
                QVERIFY2(std::abs(got.fractions[i] - want["shares"].value(got.categories[i], 0.0)) <= 1e-12,
                         (name + " " + got.categories[i]).c_str());
            QCOMPARE(got.fractions[got.categories.size()], 0.0);  // values unseen in training
            QVERIFY(std::abs(got.fractions.back() - want["missing"].get<double>()) <= 1e-12);
        }
    }

    void trainingRowsAgainstThemselvesHaveNoDrift()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const auto distributions = workflow::featureDistributions(table, inputsOf(table));
        for (const auto& distribution : distributions) {
            const double psi = psiOf(distribution, table.column(distribution.column));
            QVERIFY2(std::abs(psi) < 1e-12, (distribution.column + " " + std::to_string(psi)).c_str());
        }
    }

    void shiftedSampleDrifts()
    {
        const data::Table table = data::loadBuiltinDataset("titanic");
        const auto distributions = workflow::featureDistributions(table, inputsOf(table));
        const double age = psiOf(distributionOf(distributions, "age"), transformed(table.column("age"), 1.0, 25.0));
        const double fare = psiOf(distributionOf(distributions, "fare"), transformed(table.column("fare"), 5.0, 0.0));
        QVERIFY2(age > 0.25, std::to_string(age).c_str());
        QVERIFY2(fare > 0.25, std::to_string(fare).c_str());
        // A small nudge stays below the "moderate" line.
        const double nudged = psiOf(distributionOf(distributions, "fare"), transformed(table.column("fare"), 1.0, 0.01));
        QVERIFY2(nudged < 0.1, std::to_string(nudged).c_str());

        // Categories never seen in training land in the unseen bin, which training left empty.
        std::vector<std::string> texts(table.rowCount(), "Atlantis");
        const data::Column unseen = data::Column::categoricalFromText("embarked", texts, {});
        const auto& embarked = distributionOf(distributions, "embarked");
        const std::vector<std::uint64_t> counts = workflow::DistributionBins(embarked).counts(unseen);
        QCOMPARE(counts[embarked.categories.size()], std::uint64_t(table.rowCount()));
        QVERIFY(psiOf(embarked, unseen) > 1.0);
    }

    void valuesOnAnEdgeFallInTheBinAbove()
    {
        workflow::FeatureDistribution distribution;
        distribution.column = "x";
        distribution.binEdges = {1.0, 2.0};
        distribution.fractions = {0.25, 0.25, 0.5, 0.0};
        const workflow::DistributionBins bins(distribution);
        QCOMPARE(bins.size(), std::size_t(4));
        QCOMPARE(bins.binOf(0.5), std::size_t(0));
        QCOMPARE(bins.binOf(1.0), std::size_t(1));
        QCOMPARE(bins.binOf(1.5), std::size_t(1));
        QCOMPARE(bins.binOf(2.0), std::size_t(2));
        QCOMPARE(bins.binOf(std::numeric_limits<double>::quiet_NaN()), bins.missingBin());
        QCOMPARE(bins.missingBin(), std::size_t(3));

        workflow::FeatureDistribution categories;
        categories.column = "c";
        categories.categories = {"a", "b"};
        categories.fractions = {0.5, 0.5, 0.0, 0.0};
        const workflow::DistributionBins categoryBins(categories);
        QVERIFY(categoryBins.categorical());
        QCOMPARE(categoryBins.binOf(std::string_view("b")), std::size_t(1));
        QCOMPARE(categoryBins.binOf(std::string_view("z")), std::size_t(2));
        QCOMPARE(categoryBins.missingBin(), std::size_t(3));
    }

    void populationStabilityIndexByHand()
    {
        const double psi = workflow::populationStabilityIndex({0.5, 0.5}, {0.25, 0.75});
        const double expected = (0.25 - 0.5) * std::log(0.25 / 0.5) + (0.75 - 0.5) * std::log(0.75 / 0.5);
        QVERIFY(std::abs(psi - expected) < 1e-15);
        // An empty bin counts as kPsiEpsilon.
        const double empty = workflow::populationStabilityIndex({0.0, 1.0}, {0.5, 0.5});
        const double epsilonExpected = (0.5 - workflow::kPsiEpsilon) * std::log(0.5 / workflow::kPsiEpsilon) +
                                       (0.5 - 1.0) * std::log(0.5 / 1.0);
        QVERIFY(std::abs(empty - epsilonExpected) < 1e-12);
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, workflow::populationStabilityIndex({1.0}, {0.5, 0.5}));
        QCOMPARE(workflow::sharesOf({0, 0}), std::vector<double>({0.0, 0.0}));
        QCOMPARE(workflow::sharesOf({1, 3}), std::vector<double>({0.25, 0.75}));
    }

    void theRunnerRecordsTheTrainingRowsDistribution()
    {
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.data = data::parseDataLocation("builtin:titanic");
        recipe.prep.dropColumns = {"alive"};
        recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
        recipe.model.name = "logistic_regression";
        recipe.seed = 3;
        const data::Table table = data::loadTable(recipe.data);
        core::TaskControl control;
        const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);
        const workflow::FittedPipeline& pipeline = *result.pipeline;
        const auto& distributions = pipeline.metadata().trainingDistribution;
        QCOMPARE(distributions.size(), pipeline.inputColumns().size());
        for (std::size_t i = 0; i < distributions.size(); ++i)
            QCOMPARE(distributions[i].column, pipeline.inputColumns()[i].name);
        // From the raw training rows (before the imputer): age's missing share is there,
        // and the shares are of the training rows, not of all 891.
        const auto& age = distributionOf(distributions, "age");
        QVERIFY(age.fractions.back() > 0.1);
        const std::size_t trainRows = table.rowCount() - result.testRows.size();
        const double ageMissing = age.fractions.back() * static_cast<double>(trainRows);
        QVERIFY2(std::abs(ageMissing - std::round(ageMissing)) < 1e-9, std::to_string(ageMissing).c_str());
    }
};

QTEST_GUILESS_MAIN(TestFeatureDrift)
#include "tst_feature_drift.moc"
