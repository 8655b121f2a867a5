#pragma once
/// \file
/// \brief The fitted pipeline: input schema, transformers and model — what gets saved,
/// loaded, exported and used to predict.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/archive.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/core/task_type.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/models/model.hpp"
#include "stepwise/prep/transformer.hpp"

namespace stepwise::workflow {

/// \brief One raw input column the pipeline expects.
struct InputColumn {
    std::string name;
    /// \brief The kind in training; new data of another kind is converted to it
    /// (`data::convertColumn`), so a type override made in training carries over.
    data::ColumnKind kind = data::ColumnKind::Numeric;
    std::vector<std::string> levels;  ///< categories seen in training (categorical storage only)
};

/// \brief How one raw input column was distributed in the training rows: the baseline
/// the prediction server measures drift against (population stability index).
struct FeatureDistribution {
    std::string column;
    /// \brief Numeric columns: the inner bin edges, ascending (the training deciles, ties
    /// merged), so there are `binEdges.size() + 1` bins; a value equal to an edge falls
    /// in the bin above it. Empty for categorical columns.
    std::vector<double> binEdges;
    /// \brief Categorical columns: the levels, one bin each, plus one last bin for
    /// values not seen in training. Empty for numeric columns.
    std::vector<std::string> categories;
    /// \brief Share of training rows per bin, in bin order, then the share of missing
    /// values last; sums to 1.
    std::vector<double> fractions;
};

/// \brief One named score of the fitted model on its test rows.
struct NamedScore {
    std::string metric;  ///< the report's key, e.g. "f1_macro", "rmse"
    double value = 0.0;
};

/// \brief Facts about how the pipeline was made: what the model card, the server's
/// `/health` and the reproducibility checks read.
struct PipelineMetadata {
    std::string stepwiseVersion;
    std::string createdUtc;     ///< ISO 8601
    std::string recipeJson;     ///< the recipe that produced it
    std::size_t trainingRows = 0;
    // Format version 2 of the pipeline archive adds the fields below; a version 1 file
    // loads them empty.
    std::uint64_t seed = 0;
    /// \brief SHA-256 (hex) of the training data: the file's bytes for a file source, the
    /// embedded CSV for a built-in dataset, the written CSV of a generated table.
    std::string dataSha256;
    std::string dataDescription;  ///< e.g. "titanic.csv, 891 rows × 12 columns"
    /// \brief Library versions it was built with, e.g. {"eigen", "3.4.0"}, {"boost", "1.74"}.
    std::vector<std::pair<std::string, std::string>> libraryVersions;
    std::size_t testRows = 0;
    /// \brief Scores on the test rows (the report's `metrics`, in that order).
    std::vector<NamedScore> testScores;
    /// \brief The success verdict in words, e.g. "f1_macro>=0.75: 0.78 — passed"; empty
    /// without a criterion.
    std::string verdict;
    /// \brief One entry per raw input column, in input order.
    std::vector<FeatureDistribution> trainingDistribution;
};

/// \brief Predictions for a batch of rows.
struct Predictions {
    core::TaskType task = core::TaskType::Classification;
    std::vector<int> classIndex;  ///< classification: index into classes()
    Eigen::MatrixXd proba;        ///< classification: rows × classes; empty when the model has none
    Eigen::VectorXd values;       ///< regression: predicted values
    /// \brief Number of predicted rows.
    std::size_t size() const;
};

/// \brief Raw table in, predictions out. Immutable once built.
class FittedPipeline {
public:
    /// \brief An empty pipeline for `load`.
    FittedPipeline() = default;
    /// \brief Assembles a pipeline from already fitted parts (the runner does this).
    FittedPipeline(core::TaskType task, std::string target, std::vector<InputColumn> inputs,
                   std::vector<std::string> classes, std::vector<std::unique_ptr<prep::Transformer>> steps,
                   std::vector<std::string> featureNames, std::unique_ptr<models::Model> model,
                   bool imputesMissing, PipelineMetadata metadata);

    core::TaskType task() const { return m_task; }
    const std::string& target() const { return m_target; }
    const std::vector<InputColumn>& inputColumns() const { return m_inputs; }
    /// \brief Class labels in model order (empty for regression).
    const std::vector<std::string>& classes() const { return m_classes; }
    /// \brief Names of the model's input columns after transformation.
    const std::vector<std::string>& featureNames() const { return m_featureNames; }
    const std::vector<std::unique_ptr<prep::Transformer>>& steps() const { return m_steps; }
    const models::Model& model() const { return *m_model; }
    const PipelineMetadata& metadata() const { return m_metadata; }

    /// \brief Checks `table` against the input schema (every input column present; a
    /// numeric input must be numeric; a categorical one may arrive as numbers) and runs
    /// the transformers. Throws `DataError` naming the column (and row for values that
    /// cannot be used).
    Eigen::MatrixXd transform(const data::Table& table) const;
    /// \brief transform + model prediction.
    Predictions predict(const data::Table& table) const;
    /// \brief Replaces the metadata; the runner fills in the scores once it has
    /// evaluated the pipeline, before anyone else sees it.
    void setMetadata(PipelineMetadata metadata) { m_metadata = std::move(metadata); }

    /// \brief Writes the whole pipeline.
    void save(core::OutputArchive& archive) const;
    /// \brief Restores what `save` wrote in model file format `formatVersion` (1: without
    /// the metadata fields of version 2, which then stay empty); throws `ArchiveError` for
    /// unknown parts and for counts or texts larger than a model can have.
    void load(core::InputArchive& archive, unsigned formatVersion);

private:
    data::Table conformToSchema(const data::Table& table) const;

    core::TaskType m_task = core::TaskType::Classification;
    std::string m_target;
    std::vector<InputColumn> m_inputs;
    std::vector<std::string> m_classes;
    std::vector<std::unique_ptr<prep::Transformer>> m_steps;
    std::vector<std::string> m_featureNames;
    std::unique_ptr<models::Model> m_model;
    bool m_imputesMissing = true;
    PipelineMetadata m_metadata;
};

} // namespace stepwise::workflow
