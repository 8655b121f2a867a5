// No statistic of the validation or test rows reaches a fitted step or the model: for
// every registered step kind that learns from data, a run on titanic is repeated with
// the held-out rows' features changed beyond recognition, and every fitted transformer
// and the model must come out byte for byte the same.
#include <QtTest>

#include <cmath>
#include <map>
#include <sstream>

#include <boost/archive/binary_oarchive.hpp>

#include "stepwise/core/archive.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

/// How each step kind is tried: its stage's place, columns and parameters on titanic.
/// A kind missing here fails the test, so a new kind cannot skip the check.
const std::map<std::string, prep::StepSpec>& trials()
{
    static const std::map<std::string, prep::StepSpec> table = {
        {"impute", {"impute", true, {}, {{"numeric", "median"}, {"indicator", "true"}}}},
        {"drop_sparse_columns", {"drop_sparse_columns", true, {}, {{"max_missing", "0.5"}}}},
        {"clip_outliers", {"clip_outliers", true, {"fare", "age"}, {{"method", "iqr"}}}},
        {"remove_outliers", {"remove_outliers", true, {"fare"}, {{"method", "zscore"}}}},
        {"rename", {"rename", true, {"fare"}, {{"to", "ticket_price"}}}},
        {"resample", {"resample", true, {}, {{"method", "smote"}}}},
        {"scale", {"scale", true, {}, {{"method", "robust"}}}},
        {"encode", {"encode", true, {"embarked"}, {{"method", "ordinal"}, {"order", "S,C,Q"}}}},
        {"bin", {"bin", true, {"age"}, {{"strategy", "quantile"}, {"bins", "4"}}}},
        {"date_parts", {"date_parts", true, {"boarded"}, {{"parts", "year,month,dayofweek,days_since"}}}},
        {"math", {"math", true, {"parch"}, {{"function", "log1p"}}}},
        {"formula", {"formula", true, {}, {{"name", "family"}, {"expression", "sibsp + parch + 1"}}}},
        {"select_features", {"select_features", true, {}, {{"method", "kbest"}, {"k", "6"}}}},
    };
    return table;
}

/// Titanic with a datetime column, so date steps have something to work on.
data::Table titanicWithDates()
{
    data::Table table = data::loadTable(data::parseDataLocation("builtin:titanic"));
    std::vector<double> boarded(table.rowCount());
    for (std::size_t row = 0; row < boarded.size(); ++row)
        boarded[row] = -1830297600.0 + 3600.0 * static_cast<double>((row * 7919) % 5000);  // April 1912
    table.addColumn(data::Column::numeric("boarded", std::move(boarded), data::ColumnKind::Datetime));
    return table;
}

/// `table` with every feature value of `rows` replaced: numbers scaled far away, gaps
/// filled, categories renamed — any statistic that saw these rows would change.
data::Table perturbed(const data::Table& table, const std::vector<std::size_t>& rows, const std::string& target)
{
    data::Table result;
    for (const data::Column& column : table.columns()) {
        if (column.name() == target) {
            result.addColumn(column);
            continue;
        }
        if (column.isNumeric()) {
            std::vector<double> values = column.values();
            for (std::size_t row : rows)
                values[row] = std::isnan(values[row]) ? 1e6 : values[row] * 1000.0 + 17.0;
            result.addColumn(data::Column::numeric(column.name(), std::move(values), column.kind()));
        } else {
            std::vector<std::string> texts;
            std::vector<bool> missing;
            for (std::size_t row = 0; row < column.size(); ++row) {
                texts.push_back(column.isMissing(row) ? std::string() : column.textAt(row));
                missing.push_back(column.isMissing(row));
            }
            for (std::size_t row : rows) {
                texts[row] = "zz_perturbed";
                missing[row] = false;
            }
            result.addColumn(data::Column::categoricalFromText(column.name(), texts, missing));
        }
    }
    return result;
}

std::string bytesOf(const auto& saveable)
{
    std::ostringstream out;
    {
        core::OutputArchive archive(out);
        saveable.save(archive);
    }
    return out.str();
}

workflow::RunResult run(const workflow::Recipe& recipe, const data::Table& table)
{
    core::TaskControl control;
    try {
        return workflow::runRecipe(recipe, table, nullptr, control);
    } catch (const core::Error& error) {
        qFatal("the run failed: %s", error.what());
    }
}

} // namespace

class TestLeakage : public QObject {
    Q_OBJECT
private slots:
    void everyLearningStepKindIsTried()
    {
        for (const prep::StepInfo& info : prep::stepRegistry())
            if (info.phase != prep::StepPhase::BeforeSplit)
                QVERIFY2(trials().count(info.kind), qPrintable(QString::fromStdString(
                                                        "no leakage trial for step kind '" + info.kind + "'")));
    }

    void heldOutRowsDoNotReachTheFit_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("model");
        for (const prep::StepInfo& info : prep::stepRegistry()) {
            if (info.phase == prep::StepPhase::BeforeSplit || !trials().count(info.kind))
                continue;
            QTest::newRow(info.kind.c_str()) << QString::fromStdString(info.kind) << "logistic_regression";
        }
        QTest::newRow("default steps, forest") << QString() << "random_forest";
    }

    void heldOutRowsDoNotReachTheFit()
    {
        QFETCH(QString, kind);
        QFETCH(QString, model);
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.prep.dropColumns = {"alive"};
        recipe.prep.validationSize = 0.15;
        recipe.model.name = model.toStdString();
        recipe.model.params = model == "random_forest" ? std::map<std::string, std::string>{{"n_estimators", "10"}}
                                                       : std::map<std::string, std::string>{};
        recipe.seed = 7;
        if (!kind.isEmpty()) {
            const prep::StepSpec& trial = trials().at(kind.toStdString());
            auto& steps = prep::findStep(trial.kind).stage == prep::StepStage::Prep ? recipe.prep.steps
                                                                                    : recipe.features.steps;
            // First in its stage, so it sees the raw columns and the default steps after
            // it finish the job; an imputation trial replaces the default one.
            if (trial.kind == "impute")
                steps.clear();
            steps.insert(steps.begin(), trial);
        }
        const data::Table original = titanicWithDates();
        const workflow::RunResult first = run(recipe, original);
        std::vector<std::size_t> heldOut = first.testRows;
        heldOut.insert(heldOut.end(), first.validationRows.begin(), first.validationRows.end());
        QVERIFY(first.validationRows.size() > 100);
        const workflow::RunResult second = run(recipe, perturbed(original, heldOut, "survived"));

        QCOMPARE(second.testRows, first.testRows);
        QCOMPARE(second.validationRows, first.validationRows);
        const auto& a = first.pipeline->steps();
        const auto& b = second.pipeline->steps();
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(bytesOf(*a[i]) == bytesOf(*b[i]),
                     qPrintable(QString::fromStdString("the fitted step '" + a[i]->describe() +
                                                       "' changed when only held-out rows changed")));
        QVERIFY2(bytesOf(first.pipeline->model()) == bytesOf(second.pipeline->model()),
                 "the model changed when only held-out rows changed");
    }

    void changingATrainingRowChangesTheFit()
    {
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.prep.dropColumns = {"alive"};
        recipe.model.name = "logistic_regression";
        const data::Table original = titanicWithDates();
        const workflow::RunResult first = run(recipe, original);
        std::vector<std::size_t> trainRows;
        for (std::size_t row = 0; row < original.rowCount(); ++row)
            if (!std::binary_search(first.testRows.begin(), first.testRows.end(), row))
                trainRows.push_back(row);
        const workflow::RunResult second = run(recipe, perturbed(original, {trainRows.front()}, "survived"));
        QVERIFY(bytesOf(*first.pipeline->steps().front()) != bytesOf(*second.pipeline->steps().front()));
    }
};

QTEST_APPLESS_MAIN(TestLeakage)
#include "tst_leakage.moc"
