#pragma once
/// \file
/// \brief A fitted table-to-table step of the pipeline (imputer, scaler, encoder).
/// Fitted on the training rows only, then applied to any rows.

#include <string>
#include <vector>

#include "stepwise/core/archive.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/core/task_type.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::io {
class OnnxGraph;
} // namespace stepwise::io

namespace stepwise::prep {

/// \brief The target of the training rows, as the steps see it: the class index
/// (classification, 0..classCount-1) or the value (regression) of each row.
struct TrainingTarget {
    core::TaskType task = core::TaskType::Classification;
    std::vector<double> values;
    int classCount = 0;  ///< 0 for regression
};

/// \brief Base of every transformer. Constructors never fit.
class Transformer {
public:
    virtual ~Transformer() = default;

    /// \brief Stable type name used in archives, e.g. "standard_scaler".
    virtual std::string kind() const = 0;
    /// \brief What this step does, in words, e.g. "standard scaling of 6 numeric columns".
    virtual std::string describe() const = 0;

    /// \brief Learns the statistics it needs from `train` (training rows only, target
    /// column excluded) and, for supervised steps such as feature selection, from
    /// `target` (one value per row of `train`). Throws `DataError` when the rows do not
    /// allow it, naming the column and what to do.
    virtual void fit(const data::Table& train, const TrainingTarget& target, core::TaskControl& control) = 0;
    /// \brief Applies the fitted step; columns it does not touch pass through unchanged.
    /// Throws `NotFitted` before `fit`, `DataError` if a column it needs is missing or
    /// has the wrong type.
    virtual data::Table transform(const data::Table& table) const = 0;
    /// \brief True after `fit` or `load`.
    virtual bool isFitted() const = 0;

    /// \brief Adds the nodes that compute this step to `graph`, rewriting its columns as
    /// `transform` rewrites the table (io/onnx_graph.hpp). Steps ONNX cannot express
    /// throw `core::UnsupportedExport` naming the step and what to do instead (the
    /// default). Throws `NotFitted` before `fit`.
    virtual void exportOnnx(io::OnnxGraph& graph) const;

    /// \brief Writes the fitted state with its class version.
    virtual void save(core::OutputArchive& archive) const = 0;
    /// \brief Restores what `save` wrote.
    virtual void load(core::InputArchive& archive) = 0;
};

} // namespace stepwise::prep
