#include "stepwise/io/onnx_graph.hpp"

#include "stepwise/core/errors.hpp"

namespace stepwise::io {

const OnnxColumn& OnnxGraph::column(const std::string& name) const
{
    for (const OnnxColumn& candidate : columns())
        if (candidate.name == name)
            return candidate;
    throw core::UnsupportedExport("the ONNX graph has no column \"" + name +
                                  "\" at this step — the pipeline's steps do not line up with its graph");
}

std::string OnnxGraph::addNode(const std::string& opType, const std::vector<std::string>& inputs,
                               const std::vector<OnnxAttribute>& attributes, const std::string& domain)
{
    return addNode(opType, inputs, 1, attributes, domain).front();
}

} // namespace stepwise::io
