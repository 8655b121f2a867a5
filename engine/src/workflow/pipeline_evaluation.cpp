#include "stepwise/workflow/pipeline_evaluation.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::workflow {

PipelineEvaluation evaluatePipeline(const FittedPipeline& pipeline, const data::Table& table,
                                    core::TaskControl& control)
{
    const std::string& target = pipeline.target();
    if (!table.hasColumn(target))
        throw core::DataError("the data has no column '" + target +
                              "', the target the model was trained to predict — evaluating needs the actual values; "
                              "use predict for rows without them");
    // The recipe is read before any work, so a damaged model file fails at once.
    std::optional<Recipe> recipe;
    if (!pipeline.metadata().recipeJson.empty())
        recipe = recipeFromJson(pipeline.metadata().recipeJson);

    control.progress(0.0, "predicting the labelled rows");
    PipelineEvaluation out;
    const data::Column& column = table.column(target);
    const bool classification = pipeline.task() == core::TaskType::Classification;
    std::vector<int> classOfRow;
    std::vector<double> valueOfRow;
    if (classification) {
        // Labels are spelled as the training run spelled them (encodeClasses), then matched
        // to the pipeline's classes by that text.
        const TargetClasses own = encodeClasses(column);
        const std::vector<std::string>& classes = pipeline.classes();
        std::vector<int> toPipeline(own.labels.size(), -1);
        for (std::size_t k = 0; k < own.labels.size(); ++k) {
            const auto it = std::find(classes.begin(), classes.end(), own.labels[k]);
            if (it != classes.end())
                toPipeline[k] = static_cast<int>(it - classes.begin());
        }
        classOfRow.assign(column.size(), -1);
        for (std::size_t row = 0; row < column.size(); ++row) {
            const int k = own.rowClass[row];
            if (k < 0)
                continue;
            if (toPipeline[static_cast<std::size_t>(k)] < 0) {
                std::string known;
                for (const std::string& label : classes)
                    known.append(known.empty() ? "" : ", ").append(label);
                throw core::DataError("the target column '" + target + "' has the class '" +
                                      own.labels[static_cast<std::size_t>(k)] + "' (row " + std::to_string(row) +
                                      "), which the model was not trained on (its classes: " + known +
                                      ") — remove those rows or retrain with them");
            }
            classOfRow[row] = toPipeline[static_cast<std::size_t>(k)];
        }
    } else {
        const data::Column numeric = column.isNumeric() ? column : data::convertColumn(column, data::ColumnKind::Numeric);
        valueOfRow = numeric.values();
    }
    for (std::size_t row = 0; row < column.size(); ++row) {
        const bool labelled = classification ? classOfRow[row] >= 0 : !std::isnan(valueOfRow[row]);
        if (labelled)
            out.rows.push_back(row);
    }
    out.skippedRows = column.size() - out.rows.size();
    if (out.rows.empty())
        throw core::DataError("no row of the data has a value in the target column '" + target +
                              "' — evaluating needs the actual values");
    if (out.skippedRows > 0)
        out.warnings.push_back(std::to_string(out.skippedRows) + " of " + std::to_string(column.size()) +
                               " rows have no value in the target column '" + target +
                               "' and were left out of the evaluation");

    const data::Table scored = table.selectRows(out.rows);
    out.predictions = pipeline.predict(scored);
    control.progress(0.5, "scoring the predictions");
    if (classification) {
        for (std::size_t row : out.rows)
            out.actualClass.push_back(classOfRow[row]);
        out.classification = evaluation::classificationMetrics(out.actualClass, out.predictions.classIndex,
                                                               out.predictions.proba,
                                                               static_cast<int>(pipeline.classes().size()));
        if (!out.classification->rocAuc && out.predictions.proba.size() > 0)
            out.warnings.push_back("ROC-AUC is undefined: some class has no rows in the evaluated data");
    } else {
        out.actualValue.resize(static_cast<Eigen::Index>(out.rows.size()));
        for (std::size_t i = 0; i < out.rows.size(); ++i)
            out.actualValue(static_cast<Eigen::Index>(i)) = valueOfRow[out.rows[i]];
        out.regression = evaluation::regressionMetrics(out.actualValue, out.predictions.values);
    }
    if (recipe && recipe->problem.success) {
        const std::optional<double> value = out.classification
                                                ? evaluation::metricValue(*out.classification, recipe->problem.success->metric)
                                                : evaluation::metricValue(*out.regression, recipe->problem.success->metric);
        out.verdict = evaluation::judge(*recipe->problem.success, value);
    }

    std::vector<std::size_t> positions(out.rows.size());
    for (std::size_t i = 0; i < positions.size(); ++i)
        positions[i] = i;
    core::TaskControl latencyControl = control.subRange(0.6, 1.0);
    out.latency = measureLatency(pipeline, scored, positions, latencyControl, 200);
    if (recipe && recipe->problem.maxLatencyMs)
        out.latencyVerdict = evaluation::LatencyVerdict{*recipe->problem.maxLatencyMs, out.latency.p99Ms,
                                                        out.latency.p99Ms <= *recipe->problem.maxLatencyMs};
    control.progress(1.0, "done");
    return out;
}

} // namespace stepwise::workflow
