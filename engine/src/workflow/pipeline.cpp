#include "stepwise/workflow/pipeline.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
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

// Upper bounds on what a pipeline archive may declare before its content is read, so a
// damaged or crafted file fails on a clear message instead of a huge allocation.
constexpr std::uint64_t kMaxItems = 1'000'000;           // names, levels, scores, bins
constexpr std::uint64_t kMaxTextBytes = 64ull << 20;     // one string (a recipe is the longest)

std::uint64_t readCount(core::InputArchive& archive, std::uint64_t limit, const char* what)
{
    std::uint64_t count = 0;
    archive >> count;
    if (count > limit)
        throw core::ArchiveError("the file declares " + std::to_string(count) + " " + what + ", more than the " +
                                 std::to_string(limit) + " a model can have");
    return count;
}

// Reads a std::string as Boost writes it (length, then the bytes), bounded.
std::string readText(core::InputArchive& archive, const char* what)
{
    std::size_t length = 0;
    archive >> length;
    if (length > kMaxTextBytes)
        throw core::ArchiveError(std::string("the file declares a ") + what + " of " + std::to_string(length) +
                                 " bytes, more than a model can have");
    std::string text(length, '\0');
    if (length > 0)
        archive.load_binary(text.data(), length);
    return text;
}

// Lists of names in format version 2: a u64 count, then the strings, so reading can
// bound the count (Boost's own vector layout allocates whatever count the file gives, and
// its per-type preamble would tie this layout to the steps' and models' archives).
void writeTextList(core::OutputArchive& archive, const std::vector<std::string>& list)
{
    const std::uint64_t count = list.size();
    archive << count;
    for (const std::string& text : list)
        archive << text;
}

std::vector<std::string> readTextList(core::InputArchive& archive, const char* what)
{
    std::vector<std::string> list;
    for (std::uint64_t i = 0, n = readCount(archive, kMaxItems, what); i < n; ++i)
        list.push_back(readText(archive, what));
    return list;
}

// The version 2 fields of PipelineMetadata: counts as u64, then the items.
void saveMetadataV2(core::OutputArchive& archive, const PipelineMetadata& m)
{
    const std::uint64_t seed = m.seed;
    const std::uint64_t testRows = m.testRows;
    archive << seed << m.dataSha256 << m.dataDescription;
    std::uint64_t count = m.libraryVersions.size();
    archive << count;
    for (const auto& [library, version] : m.libraryVersions)
        archive << library << version;
    archive << testRows;
    count = m.testScores.size();
    archive << count;
    for (const NamedScore& score : m.testScores)
        archive << score.metric << score.value;
    archive << m.verdict;
    count = m.trainingDistribution.size();
    archive << count;
    for (const FeatureDistribution& feature : m.trainingDistribution) {
        archive << feature.column;
        count = feature.binEdges.size();
        archive << count;
        for (double edge : feature.binEdges)
            archive << edge;
        count = feature.categories.size();
        archive << count;
        for (const std::string& category : feature.categories)
            archive << category;
        count = feature.fractions.size();
        archive << count;
        for (double fraction : feature.fractions)
            archive << fraction;
    }
}

void loadMetadataV2(core::InputArchive& archive, PipelineMetadata& m)
{
    std::uint64_t seed = 0;
    archive >> seed;
    m.seed = seed;
    m.dataSha256 = readText(archive, "data digest");
    m.dataDescription = readText(archive, "data description");
    m.libraryVersions.clear();
    for (std::uint64_t i = 0, n = readCount(archive, kMaxItems, "library versions"); i < n; ++i) {
        std::string library = readText(archive, "library name");
        m.libraryVersions.emplace_back(std::move(library), readText(archive, "library version"));
    }
    std::uint64_t testRows = 0;
    archive >> testRows;
    m.testRows = static_cast<std::size_t>(testRows);
    m.testScores.clear();
    for (std::uint64_t i = 0, n = readCount(archive, kMaxItems, "test scores"); i < n; ++i) {
        NamedScore score;
        score.metric = readText(archive, "metric name");
        archive >> score.value;
        m.testScores.push_back(std::move(score));
    }
    m.verdict = readText(archive, "verdict");
    m.trainingDistribution.clear();
    for (std::uint64_t i = 0, n = readCount(archive, kMaxItems, "column distributions"); i < n; ++i) {
        FeatureDistribution feature;
        feature.column = readText(archive, "column name");
        for (std::uint64_t k = 0, edges = readCount(archive, kMaxItems, "bin edges"); k < edges; ++k) {
            double edge = 0.0;
            archive >> edge;
            feature.binEdges.push_back(edge);
        }
        for (std::uint64_t k = 0, levels = readCount(archive, kMaxItems, "categories"); k < levels; ++k)
            feature.categories.push_back(readText(archive, "category"));
        for (std::uint64_t k = 0, bins = readCount(archive, kMaxItems, "bin fractions"); k < bins; ++k) {
            double fraction = 0.0;
            archive >> fraction;
            feature.fractions.push_back(fraction);
        }
        m.trainingDistribution.push_back(std::move(feature));
    }
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
        archive << input.name << kind;
        writeTextList(archive, input.levels);
    }
    writeTextList(archive, m_classes);
    writeTextList(archive, m_featureNames);
    archive << m_imputesMissing;
    archive << m_metadata.stepwiseVersion << m_metadata.createdUtc << m_metadata.recipeJson
            << m_metadata.trainingRows;
    saveMetadataV2(archive, m_metadata);
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

void FittedPipeline::load(core::InputArchive& archive, unsigned formatVersion)
{
    if (formatVersion < 1 || formatVersion > 2)
        throw core::ArchiveError("unknown pipeline format version " + std::to_string(formatVersion));
    int task = 0;
    archive >> task;
    if (task != 0 && task != 1)
        throw core::ArchiveError("unknown task code " + std::to_string(task));
    m_target = readText(archive, "target name");
    m_task = task == 0 ? core::TaskType::Classification : core::TaskType::Regression;
    const std::uint64_t inputCount = readCount(archive, kMaxItems, "input columns");
    m_inputs.clear();
    for (std::uint64_t i = 0; i < inputCount; ++i) {
        InputColumn input;
        input.name = readText(archive, "column name");
        int kind = 0;
        archive >> kind;
        input.kind = kindOfCode(kind);
        if (formatVersion == 1)
            archive >> input.levels;
        else
            input.levels = readTextList(archive, "category levels");
        m_inputs.push_back(std::move(input));
    }
    if (formatVersion == 1) {
        archive >> m_classes >> m_featureNames;
    } else {
        m_classes = readTextList(archive, "class labels");
        m_featureNames = readTextList(archive, "feature names");
    }
    // As a byte: a bool read straight from a damaged file may hold neither 0 nor 1.
    unsigned char imputes = 0;
    archive >> imputes;
    if (imputes > 1)
        throw core::ArchiveError("unknown imputation flag " + std::to_string(imputes));
    m_imputesMissing = imputes == 1;
    m_metadata = {};
    m_metadata.stepwiseVersion = readText(archive, "version text");
    m_metadata.createdUtc = readText(archive, "creation time");
    m_metadata.recipeJson = readText(archive, "recipe");
    archive >> m_metadata.trainingRows;
    if (formatVersion >= 2)
        loadMetadataV2(archive, m_metadata);
    std::size_t stepCount = 0;
    archive >> stepCount;
    if (stepCount > 1000)
        throw core::ArchiveError("implausible number of pipeline steps");
    m_steps.clear();
    for (std::size_t i = 0; i < stepCount; ++i) {
        const std::string kind = readText(archive, "step name");
        auto step = prep::makeTransformerForLoading(kind);
        step->load(archive);
        m_steps.push_back(std::move(step));
    }
    const std::string modelName = readText(archive, "model name");
    try {
        m_model = models::createModel(modelName, m_task, {});
    } catch (const core::InvalidParameter& e) {
        throw core::ArchiveError(std::string("the file holds a model this build does not know: ") + e.what());
    }
    m_model->load(archive);
}

} // namespace stepwise::workflow
