#pragma once
// The concrete OnnxGraph: builds an onnx::ModelProto (opset kOnnxOpset in the default
// domain, kOnnxMlOpset in ai.onnx.ml). Every generated value name is unique in the
// graph and never collides with an input or output name reserved before it.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::io {

class OnnxBuilder final : public OnnxGraph {
public:
    /// A dimension of a declared graph input or output: a size, or nullopt for the
    /// symbolic row count `N`.
    using Dim = std::optional<std::int64_t>;

    explicit OnnxBuilder(const std::string& graphName);

    const std::vector<OnnxColumn>& columns() const override { return m_columns; }
    void setColumns(std::vector<OnnxColumn> columns) override { m_columns = std::move(columns); }
    using OnnxGraph::addNode;
    std::vector<std::string> addNode(const std::string& opType, const std::vector<std::string>& inputs,
                                     std::size_t outputCount, const std::vector<OnnxAttribute>& attributes,
                                     const std::string& domain) override;
    std::string constant(const std::vector<float>& values, const std::vector<std::int64_t>& dims) override;
    std::string constant(const std::vector<std::int64_t>& values, const std::vector<std::int64_t>& dims) override;
    std::string constant(const std::vector<std::string>& values, const std::vector<std::int64_t>& dims) override;

    /// Reserves `name` so no generated value takes it (the output names, before any node).
    void reserve(const std::string& name);
    /// Declares a graph input called exactly `name`; returns `name`. Throws
    /// UnsupportedExport when the name is already taken.
    std::string addInput(const std::string& name, OnnxElement type, const std::vector<Dim>& dims);
    /// Declares the graph output `name` (reserved earlier) as a copy of `tensor`.
    void addOutput(const std::string& tensor, const std::string& name, OnnxElement type, const std::vector<Dim>& dims);
    /// Marks `tensor` as one no node may read: any node that does throws
    /// UnsupportedExport with `message` (a column ONNX cannot carry exactly).
    void forbid(const std::string& tensor, const std::string& message);
    /// The message `forbid` gave `tensor`, if any.
    std::optional<std::string> forbidden(const std::string& tensor) const;

    /// The model as built so far.
    const onnx::ModelProto& model() const { return m_model; }

private:
    std::string freshName(const std::string& base);
    onnx::TensorProto& newInitializer(const std::vector<std::int64_t>& dims, int dataType, std::string& name);

    onnx::ModelProto m_model;
    onnx::GraphProto* m_graph = nullptr;
    std::vector<OnnxColumn> m_columns;
    std::set<std::string> m_used;
    std::map<std::string, std::string> m_forbidden;
    std::size_t m_counter = 0;
};

} // namespace stepwise::io
