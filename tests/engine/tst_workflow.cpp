// The recipe, the runner, the fitted pipeline and the model archive, end to end.
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/model_archive.hpp"
#include "stepwise/workflow/pipeline_preview.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

workflow::Recipe recipeFor(std::string target, std::string model)
{
    workflow::Recipe recipe;
    recipe.problem.target = std::move(target);
    recipe.model.name = std::move(model);
    return recipe;
}

workflow::Recipe irisRecipe(const std::string& model)
{
    workflow::Recipe recipe;
    recipe.problem.target = "species";
    recipe.data = data::parseDataLocation("builtin:iris");
    recipe.model.name = model;
    recipe.seed = 11;
    return recipe;
}

workflow::Recipe titanicRecipe()
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.problem.success = evaluation::SuccessCriterion{"f1_macro", true, 0.7};
    recipe.data = data::parseDataLocation("builtin:titanic");
    recipe.prep.dropColumns = {"alive"};
    recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
    recipe.model.name = "random_forest";
    recipe.model.params = {{"n_estimators", "25"}};
    recipe.seed = 5;
    return recipe;
}

workflow::RunResult run(const workflow::Recipe& recipe, const data::Table& table, const data::Table* test = nullptr)
{
    core::TaskControl control;
    return workflow::runRecipe(recipe, table, test, control);
}

std::string temporaryPath(const QTemporaryDir& dir, const char* name)
{
    return QDir(dir.path()).filePath(name).toStdString();
}

} // namespace

class TestWorkflow : public QObject {
    Q_OBJECT
private slots:
    void recipeJsonRoundTrips()
    {
        workflow::Recipe recipe = titanicRecipe();
        recipe.problem.task = core::TaskType::Classification;
        recipe.problem.objective = "Who survives? — «quotes» and \"escapes\"";
        recipe.data.kind = data::DataSourceKind::Generated;
        recipe.data.generator.samples = 1234;
        recipe.data.generator.weights = {0.7, 0.3};
        recipe.prep.steps = {{"drop_missing_rows", true, {"age", "fare"}, {}},
                             {"impute", false, {}, {{"categorical", "constant"}, {"categorical_fill", "none"}}}};
        recipe.prep.testSize = 0.35;
        recipe.prep.validationSize = 0.15;
        recipe.prep.timeColumn = "when";
        recipe.prep.stratify = false;
        recipe.features.steps = {{"scale", true, {}, {{"method", "minmax"}}}, {"encode", true, {}, {{"method", "ordinal"}}}};
        recipe.seed = 123456789012345ULL;
        recipe.crossValidation = evaluation::parseCvSpec("timeseries:4:2");
        const std::string json = workflow::recipeToJson(recipe);
        const workflow::Recipe back = workflow::recipeFromJson(json);
        QCOMPARE(workflow::recipeToJson(back), json);
        QCOMPARE(back.problem.objective, recipe.problem.objective);
        QCOMPARE(back.data.generator.samples, 1234);
        QCOMPARE(back.seed, recipe.seed);
        QVERIFY(back.crossValidation == recipe.crossValidation);
        QVERIFY(back.problem.success.has_value());
        QCOMPARE(back.problem.success->toString(), std::string("f1_macro>=0.7"));
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, workflow::recipeFromJson("{\"problem\": 3}"));
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, workflow::recipeFromJson("not json"));
    }

    void recipeReadOptionsRoundTripAndDefaultsAreOmitted()
    {
        workflow::Recipe plain = titanicRecipe();
        const std::string plainJson = workflow::recipeToJson(plain);
        QVERIFY(plainJson.find("\"read\"") == std::string::npos);  // old recipes look as before

        workflow::Recipe recipe = titanicRecipe();
        recipe.data = data::parseDataLocation("/data/sales.xlsx");
        data::ReadOptions& read = recipe.data.read;
        read.csv.delimiter = '\t';
        read.csv.missingMarkers = {"", "-", "n/a"};
        read.csv.decimal = ',';
        read.csv.thousands = '.';
        read.csv.encoding = data::TextEncoding::Latin1;
        read.sheet = "Q3 «final»";
        read.table = "orders";
        read.query = "SELECT \"a\" FROM t WHERE b = 'x'";
        read.columnKinds = {{"zip", data::ColumnKind::Categorical}, {"when", data::ColumnKind::Datetime}};
        const std::string json = workflow::recipeToJson(recipe);
        const workflow::Recipe back = workflow::recipeFromJson(json);
        QCOMPARE(workflow::recipeToJson(back), json);
        const data::ReadOptions& r = back.data.read;
        QCOMPARE(r.csv.delimiter, '\t');
        QCOMPARE(r.csv.missingMarkers, (std::vector<std::string>{"", "-", "n/a"}));
        QCOMPARE(r.csv.decimal, ',');
        QCOMPARE(r.csv.thousands, '.');
        QCOMPARE(r.csv.encoding, data::TextEncoding::Latin1);
        QCOMPARE(r.sheet, read.sheet);
        QCOMPARE(r.table, std::string("orders"));
        QCOMPARE(r.query, read.query);
        QCOMPARE(r.columnKinds.size(), std::size_t(2));
        QCOMPARE(r.columnKinds[1].column, std::string("when"));
        QCOMPARE(data::toString(r.columnKinds[1].kind), data::toString(data::ColumnKind::Datetime));

        // Only the options that differ from the defaults are written.
        workflow::Recipe one = titanicRecipe();
        one.data.read.sheet = "Sheet2";
        const std::string oneJson = workflow::recipeToJson(one);
        QVERIFY(oneJson.find("\"sheet\": \"Sheet2\"") != std::string::npos);
        QVERIFY(oneJson.find("missing_markers") == std::string::npos);
        QVERIFY(oneJson.find("delimiter") == std::string::npos);

        std::string badKind = json;
        badKind.replace(badKind.find("\"datetime\""), 10, "\"clock\"");
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, workflow::recipeFromJson(badKind));
    }

    void irisLogisticRegressionRunsEndToEnd()
    {
        const data::Table iris = data::loadBuiltinDataset("iris");
        const workflow::RunResult result = run(irisRecipe("logistic_regression"), iris);
        QCOMPARE(result.trainRowCount, std::size_t(120));
        QCOMPARE(result.testRows.size(), std::size_t(30));
        QCOMPARE(result.pipeline->classes(), (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
        QVERIFY(result.classification.has_value());
        QVERIFY(result.classification->accuracy > 0.85);
        // Stratified: 10 test rows per class.
        for (const auto& row : result.classification->confusion) {
            std::int64_t total = 0;
            for (auto count : row)
                total += count;
            QCOMPARE(total, std::int64_t(10));
        }
        QVERIFY(result.fit.converged);
        QVERIFY(!result.fit.curve.empty());
        QVERIFY(result.timings.fitSeconds >= 0.0);
    }

    void transformersAreFittedOnTrainingRowsOnly()
    {
        // x = row index, except that every row's x is far larger in the second half; a
        // scaler fitted on all rows would give a different mean than one fitted on the
        // training rows.
        std::vector<double> x, y;
        for (int i = 0; i < 200; ++i) {
            x.push_back(i < 100 ? i : 1000.0 + i);
            y.push_back(i % 2);
        }
        data::Table table;
        table.addColumn(data::Column::numeric("x", x));
        table.addColumn(data::Column::numeric("y", y));
        workflow::Recipe recipe = recipeFor("y", "logistic_regression");
        recipe.prep.testSize = 0.3;
        const workflow::RunResult result = run(recipe, table);

        std::vector<bool> isTest(200, false);
        for (std::size_t row : result.testRows)
            isTest[row] = true;
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int i = 0; i < 200; ++i)
            if (!isTest[static_cast<std::size_t>(i)]) {
                sum += x[static_cast<std::size_t>(i)];
                ++n;
            }
        const double mean = sum / n;
        for (int i = 0; i < 200; ++i)
            if (!isTest[static_cast<std::size_t>(i)])
                sumSq += (x[static_cast<std::size_t>(i)] - mean) * (x[static_cast<std::size_t>(i)] - mean);
        const double std = std::sqrt(sumSq / n);

        data::Table probe;
        probe.addColumn(data::Column::numeric("x", {mean, mean + std}));
        const Eigen::MatrixXd transformed = result.pipeline->transform(probe);
        QVERIFY(std::abs(transformed(0, 0)) < 1e-9);
        QVERIFY(std::abs(transformed(1, 0) - 1.0) < 1e-9);
    }

    void titanicPipelineImputesEncodesAndJudges()
    {
        const data::Table titanic = data::loadBuiltinDataset("titanic");
        const workflow::RunResult result = run(titanicRecipe(), titanic);
        QCOMPARE(result.trainRowCount + result.testRows.size(), std::size_t(891));
        QCOMPARE(result.pipeline->steps().size(), std::size_t(3)); // imputer, scaler, one-hot
        const auto& inputs = result.pipeline->inputColumns();
        QVERIFY(std::none_of(inputs.begin(), inputs.end(), [](const auto& c) { return c.name == "alive"; }));
        QVERIFY(std::none_of(inputs.begin(), inputs.end(), [](const auto& c) { return c.name == "survived"; }));
        QVERIFY(result.classification->accuracy > 0.7 && result.classification->accuracy < 0.95);
        QVERIFY(result.verdict.has_value());
        QCOMPARE(result.verdict->value.value(), result.classification->f1Macro);
        QCOMPARE(result.verdict->passed, result.classification->f1Macro >= 0.7);
    }

    void sameSeedSameResult()
    {
        const data::Table titanic = data::loadBuiltinDataset("titanic");
        const workflow::RunResult a = run(titanicRecipe(), titanic);
        const workflow::RunResult b = run(titanicRecipe(), titanic);
        QCOMPARE(a.testRows, b.testRows);
        QVERIFY(a.testPredictions.proba == b.testPredictions.proba);
        workflow::Recipe other = titanicRecipe();
        other.seed = 6;
        QVERIFY(run(other, titanic).testRows != a.testRows);
    }

    void saveLoadPredictsIdentically_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("dataset");
        QTest::newRow("logistic_regression/titanic") << "logistic_regression" << "titanic";
        QTest::newRow("random_forest/titanic") << "random_forest" << "titanic";
        QTest::newRow("random_forest/diabetes") << "random_forest" << "diabetes";
        QTest::newRow("linear_regression/tips") << "linear_regression" << "tips";
    }

    void saveLoadPredictsIdentically()
    {
        QFETCH(QString, model);
        QFETCH(QString, dataset);
        const auto info = std::find_if(data::builtinDatasets().begin(), data::builtinDatasets().end(),
                                       [&](const auto& d) { return d.name == dataset.toStdString(); });
        QVERIFY(info != data::builtinDatasets().end());
        const data::Table table = data::loadBuiltinDataset(info->name);
        workflow::Recipe recipe = titanicRecipe();
        recipe.problem.task = *core::parseTaskType(info->task);
        recipe.problem.target = info->target;
        recipe.problem.success.reset();
        recipe.prep.dropColumns = info->name == "titanic" ? std::vector<std::string>{"alive"} : std::vector<std::string>{};
        recipe.prep.stratify = recipe.problem.task == core::TaskType::Classification;
        recipe.model.name = model.toStdString();
        if (recipe.model.name != "random_forest")
            recipe.model.params.clear();
        const workflow::RunResult result = run(recipe, table);

        QTemporaryDir dir;
        const std::string path = temporaryPath(dir, "model.stepwise");
        io::saveModel(*result.pipeline, path);
        const auto loaded = io::loadModel(path);
        QCOMPARE(loaded->classes(), result.pipeline->classes());
        QCOMPARE(loaded->featureNames(), result.pipeline->featureNames());
        QCOMPARE(loaded->metadata().recipeJson, workflow::recipeToJson(recipe));
        const workflow::Predictions again = loaded->predict(table.selectRows(result.testRows));
        QCOMPARE(again.classIndex, result.testPredictions.classIndex);
        QVERIFY(again.proba == result.testPredictions.proba);
        QVERIFY(again.values == result.testPredictions.values);
    }

    void badModelFilesAreRefused()
    {
        QTemporaryDir dir;
        const std::string foreign = temporaryPath(dir, "foreign.stepwise");
        std::ofstream(foreign) << "PK\x03\x04 definitely a zip";
        try {
            io::loadModel(foreign);
            QFAIL("expected ArchiveError");
        } catch (const core::ArchiveError& e) {
            QVERIFY(std::string(e.what()).find("not a Stepwise model file") != std::string::npos);
        }

        const data::Table iris = data::loadBuiltinDataset("iris");
        const std::string good = temporaryPath(dir, "good.stepwise");
        io::saveModel(*run(irisRecipe("logistic_regression"), iris).pipeline, good);
        std::ifstream in(good, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

        for (std::size_t cut : {std::size_t(10), std::size_t(40), bytes.size() / 2, bytes.size() - 8}) {
            const std::string truncated = temporaryPath(dir, "truncated.stepwise");
            std::ofstream(truncated, std::ios::binary) << bytes.substr(0, cut);
            QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::loadModel(truncated));
        }
        std::string future = bytes;
        future[8] = 99;
        const std::string futurePath = temporaryPath(dir, "future.stepwise");
        std::ofstream(futurePath, std::ios::binary) << future;
        try {
            io::loadModel(futurePath);
            QFAIL("expected ArchiveError");
        } catch (const core::ArchiveError& e) {
            QVERIFY(std::string(e.what()).find("newer Stepwise") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(core::ArchiveError, io::loadModel(temporaryPath(dir, "absent.stepwise")));
    }

    void predictChecksTheInputSchema()
    {
        const data::Table titanic = data::loadBuiltinDataset("titanic");
        const auto pipeline = run(titanicRecipe(), titanic).pipeline;
        // Missing column.
        QVERIFY_THROWS_EXCEPTION(core::DataError, pipeline->predict(titanic.withoutColumns({"age"})));
        // Text where numbers were trained.
        data::Table wrongType = titanic.withoutColumns({"fare"});
        wrongType.addColumn(data::Column::categoricalFromText("fare", std::vector<std::string>(891, "cheap"),
                                                              std::vector<bool>(891, false)));
        try {
            pipeline->predict(wrongType);
            QFAIL("expected DataError");
        } catch (const core::DataError& e) {
            const std::string message = e.what();
            QVERIFY2(message.find("column 'fare', row 1: 'cheap' is not a number") == 0, message.c_str());
            QVERIFY2(message.find("(the model was trained on numeric values in this column)") != std::string::npos,
                     message.c_str());
        }
        // Extra columns (the target, the dropped leak) are ignored; missing values imputed.
        QCOMPARE(pipeline->predict(titanic).size(), std::size_t(891));

        // Numbers that arrive as text (e.g. a JSON file with quoted numbers) are parsed.
        data::Table quotedFares = titanic.withoutColumns({"fare"});
        quotedFares.addColumn(titanic.column("fare").asCategorical());
        const auto expected = pipeline->predict(titanic);
        QCOMPARE(pipeline->predict(quotedFares).classIndex, expected.classIndex);
    }

    void typeOverridesCarryOverToPrediction()
    {
        // pclass overridden to categorical in training: new data read with pclass as
        // integers is converted to categories, not refused.
        workflow::Recipe recipe = titanicRecipe();
        recipe.data.read.columnKinds = {{"pclass", data::ColumnKind::Categorical}};
        const data::Table raw = data::loadBuiltinDataset("titanic");
        const data::Table typed = data::applyColumnKinds(raw, recipe.data.read.columnKinds, "titanic");
        const auto pipeline = run(recipe, typed).pipeline;
        const auto& names = pipeline->featureNames();
        QVERIFY(std::find(names.begin(), names.end(), "pclass=3") != names.end());
        QCOMPARE(pipeline->predict(raw).classIndex, pipeline->predict(typed).classIndex);

        QTemporaryDir dir;
        const std::string path = temporaryPath(dir, "typed.stepwise");
        io::saveModel(*pipeline, path);
        QCOMPARE(io::loadModel(path)->predict(raw).classIndex, pipeline->predict(typed).classIndex);
    }

    void separateTestDataIsUsedWhole()
    {
        const data::Table iris = data::loadBuiltinDataset("iris");
        std::vector<std::size_t> first, second;
        for (std::size_t i = 0; i < 150; ++i)
            (i % 3 == 0 ? second : first).push_back(i);
        const data::Table train = iris.selectRows(first), test = iris.selectRows(second);
        const workflow::RunResult result = run(irisRecipe("logistic_regression"), train, &test);
        QVERIFY(result.separateTestData);
        QCOMPARE(result.trainRowCount, first.size());
        QCOMPARE(result.testRows.size(), second.size());

        std::vector<bool> missing(test.rowCount(), false);
        std::vector<std::string> labels(test.rowCount(), "daisy");
        data::Table strange = test.withoutColumns({"species"});
        strange.addColumn(data::Column::categoricalFromText("species", labels, missing));
        QVERIFY_THROWS_EXCEPTION(core::DataError, run(irisRecipe("logistic_regression"), train, &strange));
    }

    void badRecipesGiveClearErrors()
    {
        const data::Table tips = data::loadBuiltinDataset("tips");
        workflow::Recipe recipe;
        recipe.problem.task = core::TaskType::Regression;
        recipe.problem.target = "sex";
        recipe.model.name = "linear_regression";
        try {
            run(recipe, tips);
            QFAIL("expected DataError");
        } catch (const core::DataError& e) {
            QVERIFY(std::string(e.what()).find("regression predicts numbers") != std::string::npos);
        }
        recipe.problem.target = "tip";
        recipe.prep.dropColumns = {"colour"};
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, run(recipe, tips));
        recipe.prep.dropColumns.clear();
        recipe.model = workflow::ModelChoice{"logistic_regression", {}};
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, run(recipe, tips));

        data::Table oneClass;
        oneClass.addColumn(data::Column::numeric("x", {1, 2, 3, 4}));
        oneClass.addColumn(data::Column::numeric("y", {1, 1, 1, 1}));
        const workflow::Recipe single = recipeFor("y", "logistic_regression");
        QVERIFY_THROWS_EXCEPTION(core::DataError, run(single, oneClass));
    }

    void rowsWithoutTargetAreLeftOutWithAWarning()
    {
        std::vector<double> x, y;
        for (int i = 0; i < 100; ++i) {
            x.push_back(i);
            y.push_back(i % 10 == 0 ? std::nan("") : i % 2);
        }
        data::Table table;
        table.addColumn(data::Column::numeric("x", x));
        table.addColumn(data::Column::numeric("y", y));
        workflow::Recipe recipe = recipeFor("y", "logistic_regression");
        const workflow::RunResult result = run(recipe, table);
        QCOMPARE(result.trainRowCount + result.testRows.size(), std::size_t(90));
        QVERIFY(!result.warnings.empty());
        QVERIFY(result.warnings.front().find("10 rows") != std::string::npos);
    }

    void freeTextIsLeftOutOfTheFeatures()
    {
        workflow::Recipe recipe = recipeFor("mpg", "linear_regression");
        recipe.problem.task = core::TaskType::Regression;
        recipe.data = data::parseDataLocation("builtin:mpg");
        recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
        const data::Table table = data::loadTable(recipe.data);
        QCOMPARE(data::toString(table.column("name").kind()), data::toString(data::ColumnKind::Text));
        const workflow::RunResult result = run(recipe, table);
        const auto& names = result.pipeline->featureNames();
        QVERIFY(std::none_of(names.begin(), names.end(), [](const std::string& n) { return n.find("name") == 0; }));
        QVERIFY(std::any_of(result.warnings.begin(), result.warnings.end(), [](const std::string& w) {
            return w.find("column 'name' is free text") == 0;
        }));
    }

    void cancelledRunThrows()
    {
        const data::Table iris = data::loadBuiltinDataset("iris");
        core::TaskControl control;
        control.cancel();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled,
                                 workflow::runRecipe(irisRecipe("random_forest"), iris, nullptr, control));
    }

    void recipesFromBeforeTheStepListsLoadAsSteps()
    {
        // The prep/features sections of a format-1 model file's recipe.
        const std::string old = R"({"problem": {"task": "classification", "objective": "", "target": "survived",
            "success": null}, "data": {"kind": "builtin", "location": "titanic"},
            "prep": {"drop_columns": ["alive"], "drop_missing_rows": false, "impute_numeric": "constant",
                     "impute_numeric_constant": -1.5, "impute_categorical": "most_frequent",
                     "impute_categorical_constant": "missing", "test_size": 0.25, "stratify": true},
            "features": {"scaling": "none", "encoding": "ordinal"},
            "model": {"name": "random_forest", "params": {}}, "seed": 3})";
        const workflow::Recipe recipe = workflow::recipeFromJson(old);
        QCOMPARE(recipe.prep.steps.size(), std::size_t(1));
        QCOMPARE(recipe.prep.steps[0].kind, std::string("impute"));
        QCOMPARE(recipe.prep.steps[0].params.at("numeric"), std::string("constant"));
        QCOMPARE(recipe.prep.steps[0].params.at("numeric_fill"), std::string("-1.5"));
        QCOMPARE(recipe.features.steps.size(), std::size_t(1));  // no scaling step
        QCOMPARE(recipe.features.steps[0].params.at("method"), std::string("ordinal"));
        QCOMPARE(recipe.prep.testSize, 0.25);

        const std::string dropped = R"({"problem": {"task": "regression", "objective": "", "target": "tip",
            "success": null}, "data": {"kind": "builtin", "location": "tips"},
            "prep": {"drop_columns": [], "drop_missing_rows": true, "impute_numeric": "mean",
                     "impute_numeric_constant": 0, "impute_categorical": "most_frequent",
                     "impute_categorical_constant": "missing", "test_size": 0.2, "stratify": false},
            "features": {"scaling": "minmax", "encoding": "onehot"},
            "model": {"name": "linear_regression", "params": {}}, "seed": 42})";
        const workflow::Recipe second = workflow::recipeFromJson(dropped);
        QCOMPARE(second.prep.steps[0].kind, std::string("drop_missing_rows"));
        QCOMPARE(second.features.steps[0].params.at("method"), std::string("minmax"));
        QVERIFY(run(second, data::loadBuiltinDataset("tips")).regression.has_value());
    }

    void validationRowsAreHeldOutAndScored()
    {
        workflow::Recipe recipe = titanicRecipe();
        recipe.prep.testSize = 0.2;
        recipe.prep.validationSize = 0.2;
        const data::Table table = data::loadBuiltinDataset("titanic");
        const workflow::RunResult result = run(recipe, table);
        QCOMPARE(result.testRows.size(), std::size_t(179));        // ceil(0.2 · 891)
        // 0.2 of all rows is 0.25 of the 712 left after the test: ceil(178.0).
        QCOMPARE(result.validationRows.size(), std::size_t(178));
        QCOMPARE(result.trainRowCount, std::size_t(891 - 179 - 178));
        std::vector<std::size_t> both;
        std::set_intersection(result.testRows.begin(), result.testRows.end(), result.validationRows.begin(),
                              result.validationRows.end(), std::back_inserter(both));
        QVERIFY(both.empty());
        QVERIFY(result.validationClassification.has_value());
        QCOMPARE(result.validationPredictions.size(), result.validationRows.size());
        // Stratified: each part keeps survived's share (342 of 891) within a row.
        std::size_t survivors = 0;
        for (std::size_t row : result.validationRows)
            survivors += table.column("survived").values()[row] == 1.0 ? 1 : 0;
        QVERIFY(std::abs(static_cast<double>(survivors) - 178.0 * 342.0 / 891.0) <= 1.0);

        recipe.prep.validationSize = 0.8;
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, run(recipe, table));
    }

    void timeOrderedSplitTestsOnTheNewestRows()
    {
        data::Table table = data::loadBuiltinDataset("titanic");
        std::vector<double> boarded(table.rowCount());
        for (std::size_t row = 0; row < boarded.size(); ++row)
            boarded[row] = 1000.0 * static_cast<double>((row * 37) % table.rowCount());
        table.addColumn(data::Column::numeric("boarded", boarded, data::ColumnKind::Datetime));
        workflow::Recipe recipe = titanicRecipe();
        recipe.prep.timeColumn = "boarded";
        recipe.prep.validationSize = 0.1;
        recipe.prep.stratify = false;
        const workflow::RunResult result = run(recipe, table);
        double newestOther = -1.0, oldestTest = 1e300, newestTrain = -1.0, oldestValidation = 1e300;
        for (std::size_t row : result.testRows)
            oldestTest = std::min(oldestTest, boarded[row]);
        for (std::size_t row : result.validationRows) {
            oldestValidation = std::min(oldestValidation, boarded[row]);
            newestOther = std::max(newestOther, boarded[row]);
        }
        for (std::size_t row = 0; row < table.rowCount(); ++row)
            if (!std::binary_search(result.testRows.begin(), result.testRows.end(), row) &&
                !std::binary_search(result.validationRows.begin(), result.validationRows.end(), row)) {
                newestOther = std::max(newestOther, boarded[row]);
                newestTrain = std::max(newestTrain, boarded[row]);
            }
        QVERIFY(newestOther < oldestTest);
        QVERIFY(newestTrain < oldestValidation);
        QCOMPARE(result.testRows.size(), std::size_t(179));

        recipe.prep.timeColumn = "no_such_column";
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, run(recipe, table));
        recipe.prep.timeColumn = "sex";
        QVERIFY_THROWS_EXCEPTION(core::DataError, run(recipe, table));
    }

    void aStepThatCannotRunIsNamed()
    {
        workflow::Recipe recipe = titanicRecipe();
        recipe.features.steps.push_back({"scale", true, {"sex"}, {}});
        try {
            run(recipe, data::loadBuiltinDataset("titanic"));
            QFAIL("expected DataError");
        } catch (const core::DataError& e) {
            const std::string message = e.what();
            QVERIFY2(message.rfind("step 4 'Scale numbers': ", 0) == 0, message.c_str());
            QVERIFY2(message.find("'sex'") != std::string::npos, message.c_str());
        }
        // Disabled steps do nothing.
        recipe.features.steps.back().enabled = false;
        QVERIFY(run(recipe, data::loadBuiltinDataset("titanic")).classification.has_value());
    }

    void previewShowsWhatEachStepDoes()
    {
        workflow::Recipe recipe = titanicRecipe();
        recipe.prep.steps.insert(recipe.prep.steps.begin(), {"drop_missing_rows", true, {"embarked"}, {}});
        const data::Table table = data::loadBuiltinDataset("titanic");
        core::TaskControl control;
        const workflow::PipelinePreview preview = workflow::previewPipeline(recipe, table, 3, control);
        QVERIFY2(preview.problem.empty(), preview.problem.c_str());
        QCOMPARE(preview.steps.size(), std::size_t(4));
        QCOMPARE(preview.rowsWithTarget, std::size_t(891));
        QCOMPARE(preview.rowsAfterFilters, std::size_t(889));  // two rows have no port
        QCOMPARE(preview.steps[0].rowsBefore, std::size_t(891));
        QCOMPARE(preview.steps[0].rowsAfter, std::size_t(889));
        QCOMPARE(preview.trainRows + preview.testRows, std::size_t(889));
        for (const auto& step : preview.steps) {
            QVERIFY(step.ran);
            QVERIFY(step.error.empty());
        }
        // The selected step (one-hot encoding) replaced 'sex' by indicator columns.
        QVERIFY(preview.before.hasColumn("sex"));
        QVERIFY(!preview.after.hasColumn("sex"));
        QVERIFY(preview.after.hasColumn("sex=female"));
        QCOMPARE(preview.after.rowCount(), preview.trainRows);
        QVERIFY(std::find(preview.steps[3].columnsRemoved.begin(), preview.steps[3].columnsRemoved.end(), "sex") !=
                preview.steps[3].columnsRemoved.end());
        // The same rows and numbers as training: the run's model saw that many rows.
        QCOMPARE(run(recipe, table).trainRowCount, preview.trainRows);
    }

    void previewSaysWhyTrainingWouldFail()
    {
        workflow::Recipe recipe = titanicRecipe();
        const data::Table table = data::loadBuiltinDataset("titanic");
        core::TaskControl control;
        recipe.features.steps = {};  // nothing encodes the categories
        workflow::PipelinePreview preview = workflow::previewPipeline(recipe, table, std::nullopt, control);
        QVERIFY2(preview.problem.find("still categorical") != std::string::npos, preview.problem.c_str());
        QVERIFY(!preview.problemStep.has_value());

        recipe.features.steps = {{"scale", true, {}, {{"method", "cubic"}}}, {"encode", true, {}, {}}};
        preview = workflow::previewPipeline(recipe, table, std::nullopt, control);
        QCOMPARE(preview.problemStep, std::optional<std::size_t>(1));
        QVERIFY2(preview.steps[1].error.find("method=cubic") != std::string::npos, preview.steps[1].error.c_str());
        QVERIFY(!preview.steps[2].ran);  // nothing runs after the failing step

        recipe.prep.steps = {};  // no imputation: age has gaps
        recipe.features.steps = {{"encode", true, {}, {}}};
        preview = workflow::previewPipeline(recipe, table, std::nullopt, control);
        QVERIFY2(preview.problem.find("'age' still has 138 missing values in the training rows") != std::string::npos,
                 preview.problem.c_str());
    }
};

QTEST_GUILESS_MAIN(TestWorkflow)
#include "tst_workflow.moc"
