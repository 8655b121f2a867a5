#include "stepwise/io/onnx_export.hpp"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include "io/onnx_builder.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/column.hpp"
#include "stepwise/io/atomic_file.hpp"

namespace stepwise::io {
namespace {

using Dim = OnnxBuilder::Dim;

// The graph's inputs: one [N, 1] tensor per raw column. Numbers (integers, booleans
// included) come as float with NaN for missing; categories and text as strings, a
// missing value as the empty string (no category is ever the empty string: readers turn
// empty cells into missing values). Dates are seconds since 1970, which float cannot hold
// to the second, so a date column is declared but no step or model may read it.
std::vector<OnnxColumn> declareInputs(OnnxBuilder& graph, const workflow::FittedPipeline& pipeline)
{
    std::vector<OnnxColumn> columns;
    for (const workflow::InputColumn& input : pipeline.inputColumns()) {
        const bool strings = data::storageOf(input.kind) == data::ColumnType::Categorical;
        const OnnxElement type = strings ? OnnxElement::String : OnnxElement::Float;
        columns.push_back({input.name, graph.addInput(input.name, type, {Dim{}, Dim{1}}), type});
        if (input.kind == data::ColumnKind::Datetime)
            graph.forbid(input.name, "the column \"" + input.name +
                                         "\" holds dates, which an ONNX float input cannot carry to the second — "
                                         "drop the column (or its date-part step) before training, or export the "
                                         "native .stepwise file or the Python script");
    }
    return columns;
}

// The model's input: the final columns as float, concatenated in training order.
std::string featureMatrix(OnnxBuilder& graph, const workflow::FittedPipeline& pipeline)
{
    std::vector<std::string> names;
    for (const OnnxColumn& column : graph.columns())
        names.push_back(column.name);
    if (names != pipeline.featureNames())
        throw core::UnsupportedExport("the ONNX form of the steps does not give the columns the model was "
                                      "trained on — export the native .stepwise file or the Python script");
    std::vector<std::string> parts;
    for (const OnnxColumn& column : graph.columns()) {
        if (const auto message = graph.forbidden(column.tensor))
            throw core::UnsupportedExport(*message);
        switch (column.type) {
        case OnnxElement::Float:
            parts.push_back(column.tensor);
            break;
        case OnnxElement::Int64:
            parts.push_back(graph.addNode("Cast", {column.tensor}, {{"to", std::int64_t{onnx::TensorProto::FLOAT}}}));
            break;
        case OnnxElement::String:
            throw core::UnsupportedExport("the column \"" + column.name +
                                          "\" is still categorical after the feature steps — add an encoding step");
        }
    }
    if (parts.empty())
        throw core::UnsupportedExport("the model has no input columns — nothing to export");
    return graph.addNode("Concat", parts, {{"axis", std::int64_t{1}}});
}

void addOutputs(OnnxBuilder& graph, const workflow::FittedPipeline& pipeline, const OnnxModelOutputs& outputs)
{
    const models::Model& model = pipeline.model();
    if (pipeline.task() == core::TaskType::Regression) {
        if (outputs.values.empty())
            throw core::Error("internal error: the ONNX form of the " + model.name() +
                              " model gives no values — please report this");
        const std::string flat = graph.addNode("Reshape", {outputs.values, graph.constant(std::vector<std::int64_t>{-1}, {1})});
        graph.addOutput(flat, "label", OnnxElement::Float, {Dim{}});
        return;
    }
    const auto classCount = static_cast<std::int64_t>(pipeline.classes().size());
    std::string index = outputs.classIndex;
    if (index.empty()) {
        if (outputs.probabilities.empty())
            throw core::Error("internal error: the ONNX form of the " + model.name() +
                              " model gives neither classes nor probabilities — please report this");
        // First maximum on ties, as the pipeline's own argmax.
        index = graph.addNode("ArgMax", {outputs.probabilities},
                              {{"axis", std::int64_t{1}}, {"keepdims", std::int64_t{0}}, {"select_last_index", std::int64_t{0}}});
    }
    const std::string names = graph.constant(pipeline.classes(), {classCount});
    graph.addOutput(graph.addNode("Gather", {names, index}, {{"axis", std::int64_t{0}}}), "label", OnnxElement::String,
                    {Dim{}});
    if (!outputs.probabilities.empty())
        graph.addOutput(outputs.probabilities, "probabilities", OnnxElement::Float, {Dim{}, Dim{classCount}});
}

// A graph the ONNX checker or its strict shape inference rejects is a bug of ours, not
// something the user can fix.
void checkModel(const onnx::ModelProto& model)
{
    try {
        onnx::checker::check_model(model);
        onnx::ModelProto inferred = model;
        onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const std::exception& error) {
        throw core::Error(std::string("internal error: the exported ONNX graph is not valid (") + error.what() +
                          ") — please report this, and use the native .stepwise file meanwhile");
    }
}

} // namespace

std::string onnxModelBytes(const workflow::FittedPipeline& pipeline)
{
    if (pipeline.inputColumns().empty())
        throw core::NotFitted("the pipeline has no fitted model");
    OnnxBuilder graph("stepwise_pipeline");
    graph.reserve("label");
    graph.reserve("probabilities");
    graph.setColumns(declareInputs(graph, pipeline));
    for (const auto& step : pipeline.steps())
        step->exportOnnx(graph);
    const std::string features = featureMatrix(graph, pipeline);
    const OnnxModelOutputs outputs = pipeline.model().exportOnnx(graph, features);
    addOutputs(graph, pipeline, outputs);
    checkModel(graph.model());
    std::string bytes;
    if (!graph.model().SerializeToString(&bytes))
        throw core::Error("internal error: the ONNX graph could not be serialised — please report this");
    return bytes;
}

std::string onnxExportProblem(const workflow::FittedPipeline& pipeline)
{
    try {
        onnxModelBytes(pipeline);
    } catch (const core::UnsupportedExport& problem) {
        return problem.what();
    }
    return {};
}

void exportOnnx(const workflow::FittedPipeline& pipeline, const std::string& path)
{
    const std::string bytes = onnxModelBytes(pipeline);
    writeFileAtomically(
        path, [&](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); }, true);
}

} // namespace stepwise::io
