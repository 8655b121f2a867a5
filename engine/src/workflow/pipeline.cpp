#include "stepwise/workflow/pipeline.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "workflow/run_stages.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/transformers.hpp"
#include "workflow/cross_validate.hpp"

namespace stepwise::workflow {
namespace {

// Kind codes in model files. 0 and 1 keep their meaning from format 1, where they were
// the storage types numeric and categorical, so older model files still load.
constexpr std::array<data::ColumnKind, 6> kKindCodes = {data::ColumnKind::Numeric,  data::ColumnKind::Categorical,
                                                       data::ColumnKind::Integer,  data::ColumnKind::Boolean,
                                                       data::ColumnKind::Datetime, data::ColumnKind::Text};

int kindCode(data::ColumnKind kind)
{
    return static_cast<int>(std::find(kKindCodes.begin(), kKindCodes.end(), kind) - kKindCodes.begin());
}

data::ColumnKind kindOfCode(int code)
{
    if (code < 0 || code >= static_cast<int>(kKindCodes.size()))
        throw core::ArchiveError("unknown column kind code " + std::to_string(code));
    return kKindCodes[static_cast<std::size_t>(code)];
}

} // namespace


std::size_t Predictions::size() const
{
    return task == core::TaskType::Classification ? classIndex.size() : static_cast<std::size_t>(values.size());
}

FittedPipeline::FittedPipeline(core::TaskType task, std::string target, std::vector<InputColumn> inputs,
                               std::vector<std::string> classes,
                               std::vector<std::unique_ptr<prep::Transformer>> steps,
                               std::vector<std::string> featureNames, std::unique_ptr<models::Model> model,
                               bool imputesMissing, PipelineMetadata metadata)
    : m_task(task), m_target(std::move(target)), m_inputs(std::move(inputs)), m_classes(std::move(classes)),
      m_steps(std::move(steps)), m_featureNames(std::move(featureNames)), m_model(std::move(model)),
      m_imputesMissing(imputesMissing), m_metadata(std::move(metadata))
{
}

data::Table FittedPipeline::conformToSchema(const data::Table& table) const
{
    data::Table conformed;
    for (const InputColumn& input : m_inputs) {
        if (!table.hasColumn(input.name))
            throw core::DataError("the data has no column '" + input.name +
                                  "', which the model was trained on — add it (missing values are allowed)");
        const data::Column& column = table.column(input.name);
        // Any numeric kind feeds a numeric input as it is; text is parsed into the
        // training kind, and numbers in a categorical input are categories by their text.
        const bool sameStorage = data::storageOf(input.kind) == column.type();
        if (sameStorage && column.isNumeric()) {
            conformed.addColumn(column);
        } else {
            try {
                conformed.addColumn(data::convertColumn(column, input.kind));
            } catch (const core::DataError& error) {
                std::string message = error.what();
                message.append(" (the model was trained on ").append(data::toString(input.kind));
                message.append(" values in this column)");
                throw core::DataError(message);
            }
        }
        if (!m_imputesMissing) {
            const data::Column& added = conformed.columns().back();
            for (std::size_t row = 0; row < added.size(); ++row)
                if (added.isMissing(row))
                    throw core::DataError("row " + std::to_string(row) + " has no value in column '" + input.name +
                                          "' and the model was trained without imputation (rows with missing "
                                          "values dropped) — fill the value or retrain with an imputation strategy");
        }
    }
    return conformed;
}

Eigen::MatrixXd FittedPipeline::transform(const data::Table& table) const
{
    if (!m_model)
        throw core::NotFitted("the pipeline has no fitted model");
    data::Table current = conformToSchema(table);
    for (const auto& step : m_steps)
        current = step->transform(current);
    if (current.columnNames() != m_featureNames)
        throw core::DataError("the transformed data does not have the columns the model was trained on — "
                              "the model file and this data do not belong together");
    return modelMatrix(current);
}

Predictions FittedPipeline::predict(const data::Table& table) const
{
    return modelPredictions(*m_model, m_task, transform(table));
}

void FittedPipeline::save(core::OutputArchive& archive) const
{
    const int task = m_task == core::TaskType::Classification ? 0 : 1;
    archive << task << m_target;
    const std::size_t inputCount = m_inputs.size();
    archive << inputCount;
    for (const InputColumn& input : m_inputs) {
        const int kind = kindCode(input.kind);
        archive << input.name << kind << input.levels;
    }
    archive << m_classes << m_featureNames << m_imputesMissing;
    archive << m_metadata.stepwiseVersion << m_metadata.createdUtc << m_metadata.recipeJson
            << m_metadata.trainingRows;
    const std::size_t stepCount = m_steps.size();
    archive << stepCount;
    for (const auto& step : m_steps) {
        const std::string kind = step->kind();
        archive << kind;
        step->save(archive);
    }
    const std::string modelName = m_model->name();
    archive << modelName;
    m_model->save(archive);
}

void FittedPipeline::load(core::InputArchive& archive)
{
    int task = 0;
    archive >> task >> m_target;
    if (task != 0 && task != 1)
        throw core::ArchiveError("unknown task code " + std::to_string(task));
    m_task = task == 0 ? core::TaskType::Classification : core::TaskType::Regression;
    std::size_t inputCount = 0;
    archive >> inputCount;
    if (inputCount > 1'000'000)
        throw core::ArchiveError("implausible number of input columns");
    m_inputs.assign(inputCount, {});
    for (InputColumn& input : m_inputs) {
        int kind = 0;
        archive >> input.name >> kind >> input.levels;
        input.kind = kindOfCode(kind);
    }
    archive >> m_classes >> m_featureNames >> m_imputesMissing;
    archive >> m_metadata.stepwiseVersion >> m_metadata.createdUtc >> m_metadata.recipeJson >>
        m_metadata.trainingRows;
    std::size_t stepCount = 0;
    archive >> stepCount;
    if (stepCount > 1000)
        throw core::ArchiveError("implausible number of pipeline steps");
    m_steps.clear();
    for (std::size_t i = 0; i < stepCount; ++i) {
        std::string kind;
        archive >> kind;
        auto step = prep::makeTransformerForLoading(kind);
        step->load(archive);
        m_steps.push_back(std::move(step));
    }
    std::string modelName;
    archive >> modelName;
    try {
        m_model = models::createModel(modelName, m_task, {});
    } catch (const core::InvalidParameter& e) {
        throw core::ArchiveError(std::string("the file holds a model this build does not know: ") + e.what());
    }
    m_model->load(archive);
}

} // namespace stepwise::workflow
