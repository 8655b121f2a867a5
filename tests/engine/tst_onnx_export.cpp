// ONNX export of whole fitted pipelines: the graph passes the reference checker and, run
// in ONNX Runtime on the raw rows, gives our labels exactly, our probabilities within
// 1e-5 and our regression values within 1e-5 relative (to max(1, |value|)). Parts ONNX
// cannot express give UnsupportedExport naming the part.
#include <QtTest>

#include <cmath>

#include "onnx_test_support.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

constexpr double kProbaTolerance = 1e-5;
constexpr double kValueTolerance = 1e-5;

data::Table dataset(const std::string& name)
{
    return data::loadTable(data::parseDataLocation("builtin:" + name));
}

workflow::Recipe recipeFor(const std::string& dataset, const std::string& target, const std::string& model)
{
    workflow::Recipe recipe;
    recipe.problem.target = target;
    recipe.data = data::parseDataLocation("builtin:" + dataset);
    recipe.model.name = model;
    recipe.seed = 7;
    if (dataset == "diabetes")
        recipe.problem.task = core::TaskType::Regression;
    if (dataset == "titanic")
        recipe.prep.dropColumns = {"alive"};  // the target in words
    return recipe;
}

std::shared_ptr<const workflow::FittedPipeline> fit(const workflow::Recipe& recipe, const data::Table& table)
{
    core::TaskControl control;
    try {
        return workflow::runRecipe(recipe, table, nullptr, control).pipeline;
    } catch (const std::exception& error) {
        qWarning("training failed: %s", error.what());
        throw;
    }
}

// Titanic with what new data brings: categories never seen in training and missing
// values in columns that had none, so the graph's handling of both is exercised.
data::Table titanicWithSurprises()
{
    data::Table table = dataset("titanic");
    const data::Column& town = table.column("embark_town");
    std::vector<std::string> values;
    std::vector<bool> missing;
    for (std::size_t row = 0; row < town.size(); ++row) {
        values.push_back(town.isMissing(row) ? std::string() : town.textAt(row));
        missing.push_back(town.isMissing(row));
        if (row % 17 == 3) {
            values.back() = "Atlantis";
            missing.back() = false;
        } else if (row % 23 == 5) {
            missing.back() = true;
        }
    }
    table.replaceColumn(data::Column::categoricalFromText("embark_town", values, missing));
    std::vector<double> fare = table.column("fare").values();
    for (std::size_t row = 0; row < fare.size(); row += 29)
        fare[row] = std::nan("");
    table.replaceColumn(data::Column::numeric("fare", fare));
    return table;
}

void compare(const workflow::FittedPipeline& pipeline, const data::Table& table, const char* what)
{
    onnx_test::OnnxComparison result;
    try {
        result = onnx_test::compareWithPipeline(pipeline, table);
    } catch (const std::exception& error) {
        QFAIL(qPrintable(QString("%1: %2").arg(what, error.what())));
    }
    QVERIFY2(result.opsets.find("ai.onnx 15") != std::string::npos, result.opsets.c_str());
    QVERIFY2(result.opsets.find("ai.onnx.ml 3") != std::string::npos, result.opsets.c_str());
    QVERIFY(result.rows == table.rowCount());
    if (pipeline.task() == core::TaskType::Classification) {
        qInfo("%s: %zu/%zu labels agree, max |proba difference| %.3g", what, result.labelsAgreeing, result.rows,
              result.maxProbaDifference);
        QCOMPARE(result.labelsAgreeing, result.rows);
        QVERIFY(result.probabilitiesMatchPresence);
        QVERIFY2(result.maxProbaDifference <= kProbaTolerance, what);
    } else {
        qInfo("%s: max relative value difference %.3g over %zu rows", what, result.maxRelativeDifference, result.rows);
        QVERIFY2(result.maxRelativeDifference <= kValueTolerance, what);
    }
}

void expectUnsupported(const workflow::FittedPipeline& pipeline, const std::string& part)
{
    const std::string problem = io::onnxExportProblem(pipeline);
    QVERIFY2(problem.find(part) != std::string::npos, problem.c_str());
    QVERIFY_THROWS_EXCEPTION(core::UnsupportedExport, io::onnxModelBytes(pipeline));
}

} // namespace

class TestOnnxExport : public QObject {
    Q_OBJECT
private slots:
    void logisticRegressionBinaryOnTitanicDefaultSteps()
    {
        const data::Table table = dataset("titanic");
        const auto pipeline = fit(recipeFor("titanic", "survived", "logistic_regression"), table);
        QVERIFY(io::onnxExportProblem(*pipeline).empty());
        compare(*pipeline, table, "logistic_regression titanic");
        compare(*pipeline, titanicWithSurprises(), "logistic_regression titanic, unseen and missing values");
    }

    void logisticRegressionMulticlassOnIris()
    {
        const data::Table table = dataset("iris");
        compare(*fit(recipeFor("iris", "species", "logistic_regression"), table), table, "logistic_regression iris");
    }

    void imputerWithIndicatorsAndConstants()
    {
        workflow::Recipe recipe = recipeFor("titanic", "survived", "logistic_regression");
        recipe.prep.steps = {{"impute", true, {},
                              {{"numeric", "constant"}, {"numeric_fill", "-1"}, {"categorical", "constant"},
                               {"indicator", "true"}}}};
        const data::Table table = dataset("titanic");
        const auto pipeline = fit(recipe, table);
        compare(*pipeline, titanicWithSurprises(), "imputer constants with indicators");
    }

    void everyExportableStepOnTitanic()
    {
        // Drop the sparse deck column, fill, clip, rename; then a formula, log1p, bins as
        // numbers and as categories, one-hot, robust scaling and a variance filter.
        workflow::Recipe recipe = recipeFor("titanic", "survived", "logistic_regression");
        recipe.prep.steps = {{"drop_sparse_columns", true, {}, {{"max_missing", "0.5"}}},
                             {"impute", true, {}, {{"numeric", "median"}}},
                             {"clip_outliers", true, {"fare"}, {{"method", "iqr"}}},
                             {"rename", true, {"sibsp"}, {{"to", "siblings"}}}};
        recipe.features.steps = {
            {"formula", true, {}, {{"name", "fare_per_person"}, {"expression", "fare / (siblings + parch + 1)"}}},
            {"formula", true, {}, {{"name", "mixed"}, {"expression", "max(age, 2 ^ pclass) - min(sqrt(fare), exp(-siblings)) + abs(log1p(parch) - log(age + 1))"}}},
            {"math", true, {"fare"}, {{"function", "log1p"}}},
            {"math", true, {"age"}, {{"function", "power"}, {"power", "0.5"}}},
            {"bin", true, {"fare_per_person"}, {{"strategy", "quantile"}, {"bins", "4"}}},
            {"bin", true, {"age"}, {{"strategy", "edges"}, {"edges", "0,12,18,60,100"}, {"output", "category"}}},
            {"encode", true, {}, {{"method", "onehot"}}},
            {"scale", true, {}, {{"method", "robust"}}},
            {"select_features", true, {}, {{"method", "variance"}, {"variance_threshold", "0.01"}}}};
        const data::Table table = dataset("titanic");
        const auto pipeline = fit(recipe, table);
        QCOMPARE(pipeline->steps().size(), std::size_t{13});
        compare(*pipeline, titanicWithSurprises(), "every exportable step, titanic");
    }

    void ordinalEncodingMinMaxAndKBest()
    {
        workflow::Recipe recipe = recipeFor("titanic", "survived", "logistic_regression");
        recipe.features.steps = {{"encode", true, {}, {{"method", "ordinal"}}},
                                 {"scale", true, {}, {{"method", "minmax"}}},
                                 {"select_features", true, {}, {{"method", "kbest"}, {"k", "6"}}}};
        compare(*fit(recipe, dataset("titanic")), titanicWithSurprises(), "ordinal, min-max, k best, titanic");
    }

    void otherStepSettingsOnTitanic()
    {
        // sqrt and square, uniform bins as categories, left-closed given edges, a user's
        // category order, one-hot refusing unknown categories (the graph gives zeros:
        // compared on the training rows only), z-score clipping, a correlation filter.
        workflow::Recipe recipe = recipeFor("titanic", "survived", "logistic_regression");
        recipe.prep.steps = {{"impute", true, {}, {{"numeric", "mean"}, {"categorical", "most_frequent"}}},
                             {"clip_outliers", true, {"age", "fare"}, {{"method", "zscore"}, {"z_limit", "2.5"}}}};
        recipe.features.steps = {
            {"math", true, {"fare"}, {{"function", "sqrt"}}},
            {"math", true, {"parch"}, {{"function", "square"}}},
            {"formula", true, {}, {{"name", "family"}, {"expression", "sibsp + parch + 1"}}},
            {"math", true, {"family"}, {{"function", "power"}, {"power", "-1.5"}}},
            {"bin", true, {"fare"}, {{"strategy", "uniform"}, {"bins", "3"}, {"output", "category"}}},
            {"bin", true, {"age"}, {{"strategy", "edges"}, {"edges", "0,12,18,60,100"}, {"right", "false"}}},
            {"encode", true, {"embark_town"}, {{"method", "ordinal"}, {"order", "Southampton,Cherbourg,Queenstown"}}},
            {"encode", true, {}, {{"method", "onehot"}, {"unknown", "error"}}},
            {"scale", true, {}, {{"method", "standard"}}},
            {"select_features", true, {}, {{"method", "correlation"}, {"max_correlation", "0.9"}}}};
        const data::Table table = dataset("titanic");
        compare(*fit(recipe, table), table, "other step settings, titanic");
    }

    void linearRegressionModelsOnDiabetes()
    {
        const data::Table table = dataset("diabetes");
        for (const char* model : {"linear_regression", "ridge", "lasso", "linear_svm"}) {
            const auto pipeline = fit(recipeFor("diabetes", "target", model), table);
            compare(*pipeline, table, (std::string(model) + " diabetes").c_str());
        }
    }

    void linearSvmGivesLabelsOnly()
    {
        const data::Table iris = dataset("iris");
        compare(*fit(recipeFor("iris", "species", "linear_svm"), iris), iris, "linear_svm iris");
        const data::Table titanic = dataset("titanic");
        compare(*fit(recipeFor("titanic", "survived", "linear_svm"), titanic), titanicWithSurprises(),
                "linear_svm titanic");
    }

    void datesAreUnsupported()
    {
        data::Table table = dataset("iris");
        std::vector<double> seconds;
        for (std::size_t row = 0; row < table.rowCount(); ++row)
            seconds.push_back(1.6e9 + 86400.0 * static_cast<double>(row));
        table.addColumn(data::Column::numeric("when", seconds, data::ColumnKind::Datetime));
        workflow::Recipe recipe = recipeFor("iris", "species", "logistic_regression");
        recipe.data = {};
        recipe.features.steps.insert(recipe.features.steps.begin(), {"date_parts", true, {}, {}});
        // The default imputer reads the date column itself: the input is what fails.
        expectUnsupported(*fit(recipe, table), "\"when\" holds dates");
        recipe.prep.steps.clear();
        expectUnsupported(*fit(recipe, table), "the step \"date parts");
    }

    void forwardFillIsUnsupported()
    {
        workflow::Recipe recipe = recipeFor("titanic", "survived", "logistic_regression");
        recipe.prep.steps = {{"impute", true, {}, {{"numeric", "ffill"}}}};
        expectUnsupported(*fit(recipe, dataset("titanic")), "imputer");
    }
};

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "tst_onnx_export.moc"
