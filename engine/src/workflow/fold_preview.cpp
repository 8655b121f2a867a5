#include "stepwise/workflow/fold_preview.hpp"

#include "workflow/cross_validate.hpp"
#include "workflow/run_stages.hpp"

namespace stepwise::workflow {

FoldPreview previewFolds(const Recipe& recipe, const data::Table& data, core::TaskControl& control,
                         std::optional<evaluation::CvSpec> spec)
{
    FoldPreview preview;
    preview.fromRecipe = !spec && recipe.crossValidation.has_value();
    preview.spec = spec ? *spec : searchCv(recipe);
    control.progress(0.0, "splitting the rows");
    core::TaskControl splitControl = control.subRange(0.0, 0.8);
    const PreparedData prepared = prepareData(recipe, data, nullptr, splitControl);
    control.progress(0.8, "cutting the folds");
    CvFolds cut = cvFolds(recipe, data, prepared, preview.spec);
    preview.rows = std::move(cut.rows);
    preview.folds = std::move(cut.folds);
    preview.rowClass = std::move(cut.rowClasses);
    if (recipe.problem.task == core::TaskType::Classification)
        preview.classLabels = prepared.classes.labels;
    preview.testFold.assign(preview.rows.size(), -1);
    for (std::size_t f = 0; f < preview.folds.size(); ++f)
        for (std::size_t position : preview.folds[f].test)
            preview.testFold[position] = static_cast<int>(f);
    preview.timeColumn = recipe.prep.timeColumn;
    if (!preview.timeColumn.empty()) {
        const std::vector<double>& time = data.column(preview.timeColumn).values();
        preview.time.reserve(preview.rows.size());
        for (std::size_t row : preview.rows)
            preview.time.push_back(time[row]);
    }
    preview.validationRows = prepared.validation.size();
    preview.testRows = prepared.test.size();
    control.progress(1.0, "done");
    return preview;
}

} // namespace stepwise::workflow
