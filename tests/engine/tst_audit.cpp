// The leakage and data-health audit: each finding appears on data that has the problem
// and disappears when the recipe fixes it.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <string>

#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/audit.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

data::Table titanic() { return data::loadTable(data::parseDataLocation("builtin:titanic")); }

workflow::Recipe titanicRecipe()
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.model.name = "logistic_regression";
    return recipe;
}

std::vector<workflow::AuditFinding> audit(const workflow::Recipe& recipe, const data::Table& table)
{
    core::TaskControl control;
    return workflow::auditRecipe(recipe, table, control);
}

const workflow::AuditFinding* find(const std::vector<workflow::AuditFinding>& findings, const std::string& kind)
{
    const auto it = std::find_if(findings.begin(), findings.end(),
                                 [&](const workflow::AuditFinding& f) { return f.kind == kind; });
    return it == findings.end() ? nullptr : &*it;
}

data::Table withColumn(data::Table table, data::Column column)
{
    if (table.hasColumn(column.name()))
        table.replaceColumn(std::move(column));
    else
        table.addColumn(std::move(column));
    return table;
}

} // namespace

class TestAudit : public QObject {
    Q_OBJECT
private slots:
    void aliveIsTheTargetInDisguise()
    {
        const auto findings = audit(titanicRecipe(), titanic());
        const auto* derived = find(findings, "target_derived");
        QVERIFY(derived);
        QCOMPARE(derived->columns, std::vector<std::string>{"alive"});
        QCOMPARE(workflow::toString(derived->severity), "leak");
        QVERIFY(derived->fix.find("Drop 'alive'") != std::string::npos);
        // Leaks sort first.
        QCOMPARE(findings.front().kind, std::string("target_derived"));

        workflow::Recipe fixed = titanicRecipe();
        fixed.prep.dropColumns = {"alive"};
        const auto after = audit(fixed, titanic());
        QVERIFY(!find(after, "target_derived"));
        QVERIFY(!find(after, "near_perfect_predictor"));
    }

    void aNearlyPerfectPredictorIsQuestioned()
    {
        data::Table table = titanic().withoutColumns({"alive"});
        const data::Column& target = table.column("survived");
        std::vector<std::string> outcome;
        for (std::size_t row = 0; row < target.size(); ++row)
            outcome.push_back(row % 100 == 0 ? "maybe" : (target.values()[row] == 1.0 ? "saved" : "lost"));
        table = withColumn(std::move(table),
                           data::Column::categoricalFromText("rescue_log", outcome, std::vector<bool>(outcome.size())));
        const auto findings = audit(titanicRecipe(), table);
        const auto* finding = find(findings, "near_perfect_predictor");
        QVERIFY(finding);
        QCOMPARE(finding->columns, std::vector<std::string>{"rescue_log"});
        QCOMPARE(workflow::toString(finding->severity), "warning");
    }

    void identifiersAreFlagged()
    {
        data::Table table = titanic();
        std::vector<double> ids(table.rowCount());
        for (std::size_t row = 0; row < ids.size(); ++row)
            ids[row] = static_cast<double>(1000 + row);
        table = withColumn(std::move(table), data::Column::numeric("passenger_id", ids, data::ColumnKind::Integer));
        const auto findings = audit(titanicRecipe(), table);
        const auto* finding = find(findings, "id_like");
        QVERIFY(finding);
        QCOMPARE(finding->columns, std::vector<std::string>{"passenger_id"});
        workflow::Recipe dropped = titanicRecipe();
        dropped.prep.dropColumns = {"passenger_id"};
        QVERIFY(!find(audit(dropped, table), "id_like"));
    }

    void columnsScaledBeforeLoadingAreALeak()
    {
        data::Table table = titanic();
        QVERIFY(!find(audit(titanicRecipe(), table), "prescaled"));
        std::vector<double> fare = table.column("fare").values();
        double mean = 0.0;
        for (double v : fare)
            mean += v;
        mean /= static_cast<double>(fare.size());
        double squares = 0.0;
        for (double v : fare)
            squares += (v - mean) * (v - mean);
        const double sd = std::sqrt(squares / static_cast<double>(fare.size()));
        for (double& v : fare)
            v = (v - mean) / sd;
        table = withColumn(std::move(table), data::Column::numeric("fare", fare));
        const auto findings = audit(titanicRecipe(), table);
        const auto* finding = find(findings, "prescaled");
        QVERIFY(finding);
        QCOMPARE(finding->columns, std::vector<std::string>{"fare"});
        QCOMPARE(workflow::toString(finding->severity), "leak");
    }

    void duplicatesAcrossTheSplitAreCountedExactly()
    {
        workflow::Recipe recipe = titanicRecipe();
        recipe.prep.dropColumns = {"alive"};
        const data::Table table = titanic();
        core::TaskControl control;
        const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);
        // Brute force over the cells' text: a test row that equals some training row.
        const data::Table used = table.withoutColumns({"alive"});
        const auto rowText = [&](std::size_t row) {
            std::string text;
            for (const data::Column& column : used.columns())
                text.append(column.isMissing(row) ? std::string("\x01") : column.textAt(row)).push_back('\x02');
            return text;
        };
        std::vector<std::string> train;
        for (std::size_t row = 0; row < table.rowCount(); ++row)
            if (!std::binary_search(result.testRows.begin(), result.testRows.end(), row))
                train.push_back(rowText(row));
        std::sort(train.begin(), train.end());
        std::size_t copies = 0;
        for (std::size_t row : result.testRows)
            copies += std::binary_search(train.begin(), train.end(), rowText(row)) ? 1 : 0;
        QVERIFY(copies > 0);
        const auto* finding = find(result.audit, "duplicates_across_split");
        QVERIFY(finding);
        QCOMPARE(finding->message.substr(0, finding->message.find(' ')), std::to_string(copies));
    }

    void dateColumnsWantATimeOrderedSplit()
    {
        data::Table table = titanic();
        std::vector<double> boarded(table.rowCount());
        for (std::size_t row = 0; row < boarded.size(); ++row)
            boarded[row] = -1830297600.0 + 3600.0 * static_cast<double>(row);
        table = withColumn(std::move(table), data::Column::numeric("boarded", boarded, data::ColumnKind::Datetime));
        workflow::Recipe recipe = titanicRecipe();
        const auto findings = audit(recipe, table);
        const auto* finding = find(findings, "random_split_of_time_data");
        QVERIFY(finding);
        QCOMPARE(finding->columns, std::vector<std::string>{"boarded"});
        recipe.prep.timeColumn = "boarded";
        QVERIFY(!find(audit(recipe, table), "random_split_of_time_data"));
        QVERIFY(!find(audit(titanicRecipe(), titanic()), "random_split_of_time_data"));
    }

    void ordinalCodesForNominalCategoriesAreQuestioned()
    {
        workflow::Recipe recipe = titanicRecipe();
        recipe.prep.dropColumns = {"alive"};
        QVERIFY(!find(audit(recipe, titanic()), "ordinal_on_nominal"));
        recipe.features.steps = {{"encode", true, {}, {{"method", "ordinal"}}}};
        const auto findings = audit(recipe, titanic());
        const auto* finding = find(findings, "ordinal_on_nominal");
        QVERIFY(finding);
        // embarked (C, Q, S) has no order; sex has only two values, where codes are harmless.
        QVERIFY(std::find(finding->columns.begin(), finding->columns.end(), "embarked") != finding->columns.end());
        QVERIFY(std::find(finding->columns.begin(), finding->columns.end(), "sex") == finding->columns.end());
    }

    void aRecipeThatCannotRunStillGetsColumnFindings()
    {
        workflow::Recipe recipe = titanicRecipe();
        recipe.prep.testSize = 0.999999;  // leaves no training rows
        const auto findings = audit(recipe, titanic());
        QVERIFY(find(findings, "target_derived"));
        QVERIFY(!find(findings, "duplicates_across_split"));
    }
};

QTEST_APPLESS_MAIN(TestAudit)
#include "tst_audit.moc"
