#include "stepwise/workflow/pipeline_preview.hpp"

#include <algorithm>

#include "stepwise/core/errors.hpp"
#include "workflow/run_stages.hpp"

namespace stepwise::workflow {
namespace {

std::vector<std::string> namesMissingFrom(const data::Table& from, const data::Table& in)
{
    std::vector<std::string> names;
    for (const std::string& name : from.columnNames())
        if (!in.hasColumn(name))
            names.push_back(name);
    return names;
}

} // namespace

PipelinePreview previewPipeline(const Recipe& recipe, const data::Table& data, std::optional<std::size_t> selectedStep,
                                core::TaskControl& control)
{
    PipelinePreview preview;
    const std::vector<prep::StepSpec> steps = pipelineSteps(recipe);
    preview.steps.resize(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        try {
            preview.steps[i].description = prep::describeStep(steps[i]);
        } catch (const core::InvalidParameter& error) {
            preview.steps[i].description = steps[i].kind;
            preview.steps[i].error = error.what();
        }
    }
    const StepObserver observe = [&](const StepTrace& trace) {
        StepOutcome& outcome = preview.steps[trace.index];
        outcome.ran = true;
        outcome.description = trace.description;
        outcome.rowsBefore = trace.before->rowCount();
        outcome.rowsAfter = trace.after->rowCount();
        outcome.columnsAdded = namesMissingFrom(*trace.after, *trace.before);
        outcome.columnsRemoved = namesMissingFrom(*trace.before, *trace.after);
        if (selectedStep && *selectedStep == trace.index) {
            preview.before = trace.before->withoutColumns({recipe.problem.target});
            preview.after = trace.after->withoutColumns({recipe.problem.target});
        }
    };
    const auto fail = [&](const core::Error& error) {
        preview.problem = error.what();
        if (const auto* position = dynamic_cast<const StepPosition*>(&error)) {
            preview.problemStep = position->index;
            preview.steps[position->index].error = error.what();
        }
    };
    try {
        core::TaskControl prepareControl = control.subRange(0.0, 0.3);
        PreparedData prepared = prepareData(recipe, data, nullptr, prepareControl, observe);
        preview.warnings = std::move(prepared.warnings);
        preview.rowsWithTarget = prepared.rowsBeforeFilters;
        preview.rowsAfterFilters = prepared.rowsAfterFilters;
        preview.trainRows = prepared.train.size();
        preview.validationRows = prepared.validation.size();
        preview.testRows = prepared.test.size();
        prep::LabelledRows train{data.selectColumns(prepared.features).selectRows(prepared.train),
                                 trainingTarget(recipe, data, prepared, prepared.train)};
        core::TaskControl fitControl = control.subRange(0.3, 1.0);
        const FittedSteps fitted = fitSteps(steps, std::move(train), recipe.seed, fitControl, observe);
        if (const auto problem = modelReadinessProblem(fitted.train.table))
            preview.problem = *problem;
    } catch (const core::Cancelled&) {
        throw;
    } catch (const core::DataError& error) {
        fail(error);
    } catch (const core::InvalidParameter& error) {
        fail(error);
    }
    return preview;
}

} // namespace stepwise::workflow
