#pragma once
/// \file
/// \brief The ONNX graph under construction, as the pipeline's parts see it when they
/// export themselves: no protobuf types, only tensor names.
///
/// The pipeline starts the graph with one `[N, 1]` input per raw training column (float
/// for numeric, string for categorical; see CLI.md "ONNX graph"). Each fitted step then
/// rewrites the column list exactly as its `transform` rewrites the table — same names,
/// same order — adding nodes that compute the new tensors. The pipeline casts the final
/// columns to float and concatenates them, in the model's feature order, into one
/// `[N, features]` tensor for the model's `exportOnnx`.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace stepwise::io {

/// \brief Element type of a column tensor.
enum class OnnxElement { Float, Int64, String };

/// \brief A named node attribute (the ONNX types the exporters need).
struct OnnxAttribute {
    std::string name;
    std::variant<std::int64_t, float, std::string, std::vector<std::int64_t>, std::vector<float>,
                 std::vector<std::string>>
        value;
};

/// \brief One column of the table as it flows through the graph: a `[N, 1]` tensor.
struct OnnxColumn {
    std::string name;    ///< the table's column name
    std::string tensor;  ///< the graph value holding it
    OnnxElement type = OnnxElement::Float;
};

/// \brief What a model's `exportOnnx` returns.
struct OnnxModelOutputs {
    /// \brief Classification: int64 `[N]` class index into the pipeline's classes. Empty
    /// when the pipeline should take the argmax of `probabilities` (first on ties).
    std::string classIndex;
    /// \brief Classification: float `[N, classes]`; empty for models without
    /// probabilities (the pipeline then has no `probabilities` output).
    std::string probabilities;
    /// \brief Regression: float `[N]` or `[N, 1]` predicted values.
    std::string values;
};

/// \brief The graph being built. Names returned are unique within the graph.
class OnnxGraph {
public:
    virtual ~OnnxGraph() = default;

    /// \brief The table's columns in order, as the previous step left them.
    virtual const std::vector<OnnxColumn>& columns() const = 0;
    /// \brief Replaces the column list (a step's output table).
    virtual void setColumns(std::vector<OnnxColumn> columns) = 0;
    /// \brief The column called `name`; throws `core::UnsupportedExport` naming it when
    /// there is none.
    const OnnxColumn& column(const std::string& name) const;

    /// \brief Adds a node with `outputCount` fresh outputs and returns their names.
    /// `domain` is "" for the default ONNX domain or "ai.onnx.ml".
    virtual std::vector<std::string> addNode(const std::string& opType, const std::vector<std::string>& inputs,
                                             std::size_t outputCount, const std::vector<OnnxAttribute>& attributes = {},
                                             const std::string& domain = {}) = 0;
    /// \brief A node with one output; returns its name.
    std::string addNode(const std::string& opType, const std::vector<std::string>& inputs,
                        const std::vector<OnnxAttribute>& attributes = {}, const std::string& domain = {});

    /// \brief A constant (initializer) of the given shape; returns its name.
    virtual std::string constant(const std::vector<float>& values, const std::vector<std::int64_t>& dims) = 0;
    /// \brief An int64 constant of the given shape.
    virtual std::string constant(const std::vector<std::int64_t>& values, const std::vector<std::int64_t>& dims) = 0;
    /// \brief A string constant of the given shape.
    virtual std::string constant(const std::vector<std::string>& values, const std::vector<std::int64_t>& dims) = 0;
};

} // namespace stepwise::io
