// The fold preview must show the folds the runner really cross-validates on: the same
// training rows in the same order, the same fold of every row. The runner's fold scores
// are recomputed on the preview's folds; any other folds give other scores.
#include <QtTest>

#include <algorithm>
#include <set>

#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/fold_preview.hpp"
#include "stepwise/workflow/runner.hpp"
#include "workflow/cross_validate.hpp"
#include "workflow/run_stages.hpp"

using namespace stepwise;

namespace {

workflow::Recipe titanicRecipe(const std::string& cv)
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.data = data::parseDataLocation("builtin:titanic");
    recipe.prep.dropColumns = {"alive"};
    recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
    recipe.model.name = "decision_tree";
    recipe.model.params = {{"max_depth", "4"}};
    recipe.crossValidation = evaluation::parseCvSpec(cv);
    recipe.seed = 7;
    return recipe;
}

workflow::Recipe mpgTimeRecipe()
{
    workflow::Recipe recipe;
    recipe.problem.task = core::TaskType::Regression;
    recipe.problem.target = "mpg";
    recipe.data = data::parseDataLocation("builtin:mpg");
    recipe.prep.timeColumn = "model_year";
    recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
    recipe.model.name = "linear_regression";
    recipe.crossValidation = evaluation::parseCvSpec("timeseries:4:3");
    return recipe;
}

// The preview's folds as the runner's splits (rows of the data).
std::vector<workflow::CvSplit> splitsOf(const workflow::FoldPreview& preview)
{
    std::vector<workflow::CvSplit> splits;
    for (std::size_t f = 0; f < preview.folds.size(); ++f) {
        workflow::CvSplit split;
        for (std::size_t p : preview.folds[f].train)
            split.train.push_back(preview.rows[p]);
        for (std::size_t p : preview.folds[f].test)
            split.test.push_back(preview.rows[p]);
        split.label = "fold " + std::to_string(f + 1);
        splits.push_back(std::move(split));
    }
    return splits;
}

// Fold scores of the recipe's model on `splits`, by the runner's metric.
std::vector<double> scoresOn(const workflow::Recipe& recipe, const data::Table& table,
                             const std::vector<workflow::CvSplit>& splits)
{
    core::TaskControl control;
    const workflow::PreparedData prepared = workflow::prepareData(recipe, table, nullptr, control);
    const std::vector<workflow::CvScores> scores = workflow::crossValidateModels(
        recipe, table, prepared, splits, workflow::defaultMetric(recipe),
        {{recipe.model.name, recipe.model.params, {}}}, "check", control);
    return scores.at(0).scores;
}

// Every row held out neither for validation nor for test, ascending.
std::vector<std::size_t> trainingRowsOf(const workflow::RunResult& result, std::size_t rows)
{
    std::set<std::size_t> heldOut(result.testRows.begin(), result.testRows.end());
    heldOut.insert(result.validationRows.begin(), result.validationRows.end());
    std::vector<std::size_t> train;
    for (std::size_t row = 0; row < rows; ++row)
        if (!heldOut.count(row))
            train.push_back(row);
    return train;
}

} // namespace

class TestFoldPreview : public QObject {
    Q_OBJECT
private slots:
    void stratifiedFoldsAreTheRunnersFolds()
    {
        const workflow::Recipe recipe = titanicRecipe("stratified:5");
        const data::Table table = data::loadBuiltinDataset("titanic");
        core::TaskControl control;
        const workflow::FoldPreview preview = workflow::previewFolds(recipe, table, control);
        const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);

        QVERIFY(preview.fromRecipe);
        QCOMPARE(preview.folds.size(), std::size_t(5));
        QVERIFY(preview.rows == trainingRowsOf(result, table.rowCount()));
        QCOMPARE(preview.rows.size(), result.trainRowCount);
        QCOMPARE(preview.testRows, result.testRows.size());
        QCOMPARE(preview.classLabels, (std::vector<std::string>{"0", "1"}));
        QCOMPARE(preview.rowClass.size(), preview.rows.size());
        // Every training row is tested exactly once, and each fold keeps the class shares.
        std::vector<std::size_t> perClass(2, 0);
        for (int c : preview.rowClass)
            ++perClass[static_cast<std::size_t>(c)];
        std::vector<int> seen(preview.rows.size(), 0);
        for (std::size_t f = 0; f < preview.folds.size(); ++f) {
            std::vector<std::size_t> foldClass(2, 0);
            for (std::size_t p : preview.folds[f].test) {
                ++seen[p];
                QCOMPARE(preview.testFold[p], static_cast<int>(f));
                ++foldClass[static_cast<std::size_t>(preview.rowClass[p])];
            }
            QCOMPARE(preview.folds[f].train.size() + preview.folds[f].test.size(), preview.rows.size());
            for (std::size_t c = 0; c < 2; ++c) {
                QVERIFY(foldClass[c] >= perClass[c] / 5);
                QVERIFY(foldClass[c] <= perClass[c] / 5 + 1);
            }
        }
        QVERIFY(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
        // The runner's fold scores come back on exactly these folds …
        QVERIFY(result.crossValidation);
        QCOMPARE(scoresOn(recipe, table, splitsOf(preview)), result.crossValidation->scores);
        // … and not on the plain k-fold blocks of the same rows.
        core::TaskControl other;
        const workflow::FoldPreview blocks =
            workflow::previewFolds(recipe, table, other, evaluation::parseCvSpec("kfold:5"));
        QVERIFY(!blocks.fromRecipe);
        QVERIFY(scoresOn(recipe, table, splitsOf(blocks)) != result.crossValidation->scores);
    }

    void kfoldFoldsAreConsecutiveBlocks()
    {
        const workflow::Recipe recipe = titanicRecipe("kfold:4");
        const data::Table table = data::loadBuiltinDataset("titanic");
        core::TaskControl control;
        const workflow::FoldPreview preview = workflow::previewFolds(recipe, table, control);
        const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);
        QVERIFY(preview.rows == trainingRowsOf(result, table.rowCount()));
        QCOMPARE(preview.folds.size(), std::size_t(4));
        // scikit-learn's KFold: the first n % k folds one row larger, each a block.
        const std::size_t n = preview.rows.size();
        std::size_t start = 0;
        for (std::size_t f = 0; f < 4; ++f) {
            const std::size_t size = n / 4 + (f < n % 4 ? 1 : 0);
            QCOMPARE(preview.folds[f].test.size(), size);
            QCOMPARE(preview.folds[f].test.front(), start);
            QCOMPARE(preview.folds[f].test.back(), start + size - 1);
            start += size;
        }
        QCOMPARE(scoresOn(recipe, table, splitsOf(preview)), result.crossValidation->scores);
    }

    void timeSeriesFoldsFollowTimeWithTheGap()
    {
        const workflow::Recipe recipe = mpgTimeRecipe();
        const data::Table table = data::loadBuiltinDataset("mpg");
        core::TaskControl control;
        const workflow::FoldPreview preview = workflow::previewFolds(recipe, table, control);
        const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);
        QCOMPARE(preview.timeColumn, std::string("model_year"));
        QVERIFY(preview.rowClass.empty());
        QCOMPARE(preview.time.size(), preview.rows.size());
        QVERIFY(std::is_sorted(preview.time.begin(), preview.time.end()));
        // The training rows are the oldest: none is later than a test row.
        std::vector<std::size_t> sorted = preview.rows;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY(sorted == trainingRowsOf(result, table.rowCount()));
        const std::vector<double>& year = table.column("model_year").values();
        for (std::size_t row : result.testRows)
            QVERIFY(year[row] >= preview.time.back());
        QCOMPARE(preview.folds.size(), std::size_t(4));
        for (const evaluation::Fold& fold : preview.folds) {
            // An expanding window from the oldest row, then the gap, then the test block.
            QCOMPARE(fold.train.front(), std::size_t(0));
            QCOMPARE(fold.train.back() + 1, fold.train.size());
            QCOMPARE(fold.test.front(), fold.train.size() + 3);
        }
        QVERIFY(preview.testFold.front() == -1);
        QCOMPARE(preview.folds.back().test.back(), preview.rows.size() - 1);
        QCOMPARE(scoresOn(recipe, table, splitsOf(preview)), result.crossValidation->scores);
    }

    void withoutCrossValidationTheSearchDefaultIsShown()
    {
        workflow::Recipe recipe = titanicRecipe("stratified:5");
        recipe.crossValidation.reset();
        const data::Table table = data::loadBuiltinDataset("titanic");
        core::TaskControl control;
        const workflow::FoldPreview preview = workflow::previewFolds(recipe, table, control);
        QVERIFY(!preview.fromRecipe);
        QCOMPARE(evaluation::toString(preview.spec), std::string("stratified:5"));
    }

    void tooFewRowsIsTheRunnersError()
    {
        const workflow::Recipe recipe = titanicRecipe("kfold:1000");
        const data::Table table = data::loadBuiltinDataset("titanic");
        core::TaskControl control;
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, workflow::previewFolds(recipe, table, control));
    }
};

QTEST_APPLESS_MAIN(TestFoldPreview)
#include "tst_fold_preview.moc"
