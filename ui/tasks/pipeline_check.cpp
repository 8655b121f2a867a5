#include "tasks/pipeline_check.hpp"

#include <algorithm>

#include "stepwise/core/errors.hpp"
#include "stepwise/prep/step.hpp"

namespace stepwise::ui {
namespace {

/// The columns the recipe's row filters see: the used features and the target.
std::vector<std::string> usedColumns(const workflow::Recipe& recipe, const data::Table& table)
{
    std::vector<std::string> columns;
    for (const std::string& name : table.columnNames()) {
        const auto& drop = recipe.prep.dropColumns;
        if (name == recipe.problem.target || std::find(drop.begin(), drop.end(), name) == drop.end())
            columns.push_back(name);
    }
    return columns;
}

/// The factor a rule of the outlier step uses: its own parameter when its table has one,
/// else the conventional one (Tukey's 1.5 IQR, 3 standard deviations).
double outlierFactor(const prep::StepSpec& spec, prep::OutlierRule rule)
{
    const char* name = rule == prep::OutlierRule::Iqr ? "iqr_factor" : "z_limit";
    const double conventional = rule == prep::OutlierRule::Iqr ? 1.5 : 3.0;
    const auto& params = prep::findStep(spec.kind).params;
    if (std::none_of(params.begin(), params.end(), [&](const core::ParamSpec& p) { return p.name == name; }))
        return conventional;
    try {
        return prep::resolveStepParams(spec).real(name);
    } catch (const core::InvalidParameter&) {
        // The preview reports the bad value; the counts show the rule's usual factor.
        return conventional;
    }
}

std::vector<OutlierChoice> outlierChoices(const prep::StepSpec& spec, const data::Table& rows,
                                          core::TaskControl& control)
{
    // Only the chosen columns that are numeric at this point; none chosen means all numeric.
    std::vector<std::string> columns;
    for (const std::string& name : spec.columns)
        if (rows.hasColumn(name) && rows.column(name).isNumeric())
            columns.push_back(name);
    if (!spec.columns.empty() && columns.empty())
        return {};
    std::vector<OutlierChoice> choices;
    for (const prep::OutlierRule rule : {prep::OutlierRule::Iqr, prep::OutlierRule::ZScore}) {
        OutlierChoice choice;
        choice.rule = rule;
        choice.factor = outlierFactor(spec, rule);
        try {
            const prep::OutlierReport report = prep::findOutliers(rows, columns, rule, choice.factor, control);
            choice.rowsRemoved = report.rowsAffected;
            for (const prep::ColumnOutliers& column : report.columns)
                choice.valuesClipped += column.below + column.above;
        } catch (const core::DataError&) {
            continue;
        } catch (const core::InvalidParameter&) {
            continue;
        }
        choices.push_back(choice);
    }
    return choices;
}

} // namespace

bool isOutlierStep(const std::string& kind) { return kind == "clip_outliers" || kind == "remove_outliers"; }

std::vector<workflow::AuditFinding> auditFindings(const workflow::Recipe& recipe, const data::Table& data,
                                                  core::TaskControl& control)
{
    return workflow::auditRecipe(recipe, data, control);
}

PipelineCheck checkPipeline(const PipelineCheckRequest& request, core::TaskControl& control)
{
    PipelineCheck check;
    check.recipe = request.recipe;
    check.selectedStep = request.selectedStep;
    const data::Table& table = *request.table;
    const std::vector<prep::StepSpec> steps = workflow::pipelineSteps(request.recipe);
    std::optional<std::size_t> selected = request.selectedStep;
    if (selected && *selected >= steps.size())
        selected.reset();

    core::TaskControl previewing = control.subRange(0.0, 0.5);
    check.preview = workflow::previewPipeline(request.recipe, table, selected, previewing);
    check.before = std::make_shared<const data::Table>(std::move(check.preview.before));
    check.after = std::make_shared<const data::Table>(std::move(check.preview.after));
    check.preview.before = {};
    check.preview.after = {};

    // A step that is off shows what it would do: the same dry run with it switched on.
    if (selected && !steps[*selected].enabled) {
        workflow::Recipe switchedOn = request.recipe;
        const std::size_t prepCount = switchedOn.prep.steps.size();
        auto& spec = *selected < prepCount ? switchedOn.prep.steps[*selected]
                                           : switchedOn.features.steps[*selected - prepCount];
        spec.enabled = true;
        core::TaskControl trying = control.subRange(0.5, 0.75);
        workflow::PipelinePreview trial = workflow::previewPipeline(switchedOn, table, selected, trying);
        check.selectedSwitchedOn = true;
        check.switchedOnOutcome = trial.steps.at(*selected);
        check.before = std::make_shared<const data::Table>(std::move(trial.before));
        check.after = std::make_shared<const data::Table>(std::move(trial.after));
    }
    if (check.before->columnCount() == 0 && check.after->columnCount() == 0) {
        check.before.reset();
        check.after.reset();
    }

    control.progress(0.75, "Auditing the recipe");
    core::TaskControl auditing = control.subRange(0.75, 0.9);
    check.findings = auditFindings(request.recipe, table, auditing);

    if (request.countDuplicates) {
        check.duplicateColumns = usedColumns(request.recipe, table);
        core::TaskControl counting = control.subRange(0.9, 0.95);
        try {
            check.duplicates = prep::findDuplicates(table, check.duplicateColumns, counting);
        } catch (const core::DataError&) {
            check.duplicates.reset();
        }
    }

    if (selected && isOutlierStep(steps[*selected].kind) && check.before) {
        core::TaskControl counting = control.subRange(0.95, 1.0);
        check.outliers = outlierChoices(steps[*selected], *check.before, counting);
    }
    control.progress(1.0);
    return check;
}

ColumnComparison compareColumn(const std::shared_ptr<const data::Table>& before,
                               const std::shared_ptr<const data::Table>& after, const std::string& column,
                               core::TaskControl& control)
{
    ColumnComparison comparison;
    comparison.column = column;
    control.progress(0.0, "Counting the values of " + column);
    if (before && before->hasColumn(column)) {
        const data::Column& values = before->column(column);
        comparison.before = data::columnDistribution(values);
        comparison.beforeDatetime = values.kind() == data::ColumnKind::Datetime;
    }
    control.progress(0.5);
    if (after && after->hasColumn(column)) {
        const data::Column& values = after->column(column);
        comparison.after = data::columnDistribution(values);
        comparison.afterDatetime = values.kind() == data::ColumnKind::Datetime;
    }
    control.progress(1.0);
    return comparison;
}

} // namespace stepwise::ui
