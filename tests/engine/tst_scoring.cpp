// Scoring new rows: every kind of schema issue explained (column, row, value, what to
// do), chunked scoring identical to FittedPipeline::predict, and cancel.
#include <QtTest>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/csv_reader.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/runner.hpp"
#include "stepwise/workflow/scoring.hpp"

using namespace stepwise;
using Kind = workflow::SchemaIssue::Kind;

namespace {

std::shared_ptr<const workflow::FittedPipeline> trainTitanic(std::vector<prep::StepSpec> prep,
                                                               std::vector<prep::StepSpec> features,
                                                               const std::string& model = "logistic_regression")
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.data = data::parseDataLocation("builtin:titanic");
    recipe.prep.dropColumns = {"alive", "class", "who", "adult_male", "deck", "embark_town", "alone"};
    recipe.prep.steps = std::move(prep);
    recipe.features.steps = std::move(features);
    recipe.model.name = model;
    recipe.seed = 3;
    core::TaskControl control;
    return workflow::runRecipe(recipe, data::loadBuiltinDataset("titanic"), nullptr, control).pipeline;
}

const std::string kHeader = "pclass,sex,age,sibsp,parch,fare,embarked\n";

data::Table csv(const std::string& text) { return data::parseCsv(text, "<test>"); }

const workflow::SchemaIssue* find(const workflow::SchemaCheck& check, Kind kind, const std::string& column)
{
    for (const auto& issue : check.issues)
        if (issue.kind == kind && issue.column == column)
            return &issue;
    return nullptr;
}

bool mentions(const std::string& message, const std::string& part) { return message.find(part) != std::string::npos; }

// Cancels the watched control at its n-th progress report, as a user's Cancel would.
class CancelAfter final : public core::TaskObserver {
public:
    explicit CancelAfter(int reports) : m_cancelAt(reports) {}
    void watch(core::TaskControl* control) { m_control = control; }
    void onProgress(double, const std::string&) override
    {
        if (++m_reports == m_cancelAt && m_control)
            m_control->cancel();
    }
    int reports() const { return m_reports; }

private:
    core::TaskControl* m_control = nullptr;
    int m_cancelAt;
    int m_reports = 0;
};

} // namespace

class TestScoring : public QObject {
    Q_OBJECT

private slots:
    void cleanRowsHaveNoIssues()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        const auto check = workflow::checkSchema(*pipeline, csv(kHeader + "3,male,22,1,0,7.25,S\n1,female,,0,0,80,C\n"));
        QVERIFY2(check.issues.empty(), check.issues.empty() ? "" : check.issues.front().message.c_str());
        QVERIFY(check.canScore());
    }

    void missingColumnNamesItAndBlocks()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        const auto check = workflow::checkSchema(*pipeline, csv("pclass,sex,age,sibsp,parch,embarked\n3,male,22,1,0,S\n"));
        const auto* issue = find(check, Kind::MissingColumn, "fare");
        QVERIFY(issue);
        QVERIFY(issue->blocking);
        QVERIFY(!check.canScore());
        QVERIFY(mentions(issue->message, "'fare'"));
        QVERIFY(mentions(issue->message, "add it"));
    }

    void textInNumericColumnNamesRowAndValue()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        const auto check = workflow::checkSchema(
            *pipeline, csv(kHeader + "3,male,22,1,0,7.25,S\n3,male,twenty,1,0,7.25,S\n1,female,abc,0,0,80,C\n"));
        const auto* issue = find(check, Kind::WrongType, "age");
        QVERIFY(issue);
        QVERIFY(issue->blocking);
        QCOMPARE(issue->firstRow, std::size_t{1});
        QCOMPARE(issue->count, std::size_t{2});
        QCOMPARE(issue->example, std::string("twenty"));
        QVERIFY2(mentions(issue->message, "column 'age', row 2: 'twenty'"), issue->message.c_str());
        QVERIFY(mentions(issue->message, "numbers"));
        QVERIFY(mentions(issue->message, "correct the values"));
    }

    void unseenCategoryIgnoredByOneHotIsAWarning()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        const auto check =
            workflow::checkSchema(*pipeline, csv(kHeader + "3,male,22,1,0,7.25,S\n3,male,22,1,0,7.25,X\n"));
        const auto* issue = find(check, Kind::UnseenCategory, "embarked");
        QVERIFY(issue);
        QVERIFY(!issue->blocking);
        QVERIFY(check.canScore());
        QCOMPARE(issue->firstRow, std::size_t{1});
        QCOMPARE(issue->example, std::string("X"));
        QVERIFY2(mentions(issue->message, "row 2: category 'X'"), issue->message.c_str());
        QVERIFY(mentions(issue->message, "known: C, Q, S"));
        QVERIFY(mentions(issue->message, "one-hot"));
        QVERIFY(mentions(issue->message, "retrain"));
    }

    void unseenCategoryRefusedByEncoderBlocks()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(),
                                           {{"scale", true, {}, {}}, {"encode", true, {}, {{"unknown", "error"}}}});
        const auto check =
            workflow::checkSchema(*pipeline, csv(kHeader + "3,male,22,1,0,7.25,S\n3,robot,22,1,0,7.25,S\n"));
        const auto* issue = find(check, Kind::UnseenCategory, "sex");
        QVERIFY(issue);
        QVERIFY(issue->blocking);
        QVERIFY(!check.canScore());
        QVERIFY2(mentions(issue->message, "row 2: category 'robot'"), issue->message.c_str());
        QVERIFY(mentions(issue->message, "refuses"));
        QVERIFY(mentions(issue->message, "unknown=ignore"));
    }

    void unseenCategoryOrdinalIsCodedMinusOne()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(),
                                           {{"scale", true, {}, {}}, {"encode", true, {}, {{"method", "ordinal"}}}});
        const auto check =
            workflow::checkSchema(*pipeline, csv(kHeader + "3,male,22,1,0,7.25,S\n3,male,22,1,0,7.25,Z\n"));
        const auto* issue = find(check, Kind::UnseenCategory, "embarked");
        QVERIFY(issue);
        QVERIFY(!issue->blocking);
        QVERIFY2(mentions(issue->message, "-1"), issue->message.c_str());
    }

    void missingValuesWithoutImputerBlock()
    {
        // Rows with gaps dropped in training, no imputer: a gap in new data cannot be scored.
        const auto pipeline = trainTitanic({{"drop_missing_rows", true, {}, {}}}, workflow::defaultFeatureSteps());
        const auto check = workflow::checkSchema(*pipeline, csv(kHeader + "3,male,22,1,0,7.25,S\n3,male,,1,0,7.25,S\n"
                                                                          "3,male,,1,0,7.25,S\n"));
        const auto* issue = find(check, Kind::MissingValues, "age");
        QVERIFY(issue);
        QVERIFY(issue->blocking);
        QCOMPARE(issue->count, std::size_t{2});
        QCOMPARE(issue->firstRow, std::size_t{1});
        QVERIFY2(mentions(issue->message, "column 'age', row 2: no value"), issue->message.c_str());
        QVERIFY(mentions(issue->message, "Fill missing values"));
    }

    void missingValuesWithImputerAreFine()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        const auto check = workflow::checkSchema(*pipeline, csv(kHeader + "3,male,,1,0,7.25,S\n3,male,22,1,0,,\n"));
        QVERIFY2(check.issues.empty(), check.issues.empty() ? "" : check.issues.front().message.c_str());
    }

    void extraColumnIsIgnored()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        const auto check = workflow::checkSchema(
            *pipeline, csv("passenger,survived,pclass,sex,age,sibsp,parch,fare,embarked\nBob,1,3,male,22,1,0,7.25,S\n"));
        const auto* issue = find(check, Kind::ExtraColumn, "passenger");
        QVERIFY(issue);
        QVERIFY(!issue->blocking);
        QVERIFY(mentions(issue->message, "ignored"));
        QVERIFY(!find(check, Kind::ExtraColumn, "survived"));  // the target is expected, not extra
        QCOMPARE(check.issues.size(), std::size_t{1});
    }

    void scoreTableMatchesPredict()
    {
        for (const char* model : {"logistic_regression", "random_forest"}) {
            const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps(), model);
            // Many chunks: the titanic rows repeated past several chunk sizes.
            const data::Table titanic = data::loadBuiltinDataset("titanic");
            std::vector<std::size_t> rows;
            for (int copy = 0; copy < 12; ++copy)
                for (std::size_t row = 0; row < titanic.rowCount(); ++row)
                    rows.push_back(row);
            const data::Table big = titanic.selectRows(rows);
            core::TaskControl control;
            const auto scored = workflow::scoreTable(*pipeline, big, control);
            const auto predicted = pipeline->predict(big);
            QCOMPARE(scored.size(), big.rowCount());
            QVERIFY(scored.classIndex == predicted.classIndex);
            QCOMPARE(scored.proba.rows(), predicted.proba.rows());
            QVERIFY(scored.proba == predicted.proba);
        }
    }

    void scoreTableRegressionMatchesPredict()
    {
        workflow::Recipe recipe;
        recipe.problem.task = core::TaskType::Regression;
        recipe.problem.target = "target";
        recipe.data = data::parseDataLocation("builtin:diabetes");
        recipe.model.name = "ridge";
        const data::Table diabetes = data::loadBuiltinDataset("diabetes");
        core::TaskControl control;
        const auto pipeline = workflow::runRecipe(recipe, diabetes, nullptr, control).pipeline;
        std::vector<std::size_t> rows;
        for (int copy = 0; copy < 30; ++copy)
            for (std::size_t row = 0; row < diabetes.rowCount(); ++row)
                rows.push_back(row);
        const data::Table big = diabetes.selectRows(rows);
        const auto scored = workflow::scoreTable(*pipeline, big, control);
        QVERIFY(scored.values == pipeline->predict(big).values);
    }

    void scoreTableRefusesBlockingIssuesWithEveryMessage()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        core::TaskControl control;
        try {
            workflow::scoreTable(*pipeline, csv("pclass,sex,age,sibsp,parch,embarked\n3,male,x,1,0,S\n"), control);
            QFAIL("scored a table without the column fare");
        } catch (const core::DataError& error) {
            const std::string message = error.what();
            QVERIFY2(mentions(message, "'fare'"), message.c_str());
            QVERIFY(mentions(message, "column 'age', row 1: 'x'"));
        }
    }

    void scoreTableCancels()
    {
        const auto pipeline = trainTitanic(workflow::defaultPrepSteps(), workflow::defaultFeatureSteps());
        const data::Table titanic = data::loadBuiltinDataset("titanic");
        std::vector<std::size_t> rows;
        for (int copy = 0; copy < 20; ++copy)
            for (std::size_t row = 0; row < titanic.rowCount(); ++row)
                rows.push_back(row);
        CancelAfter cancelling(2);
        core::TaskControl control(&cancelling);
        cancelling.watch(&control);
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, workflow::scoreTable(*pipeline, titanic.selectRows(rows), control));
        QVERIFY(cancelling.reports() >= 2);
    }
};

QTEST_APPLESS_MAIN(TestScoring)
#include "tst_scoring.moc"
