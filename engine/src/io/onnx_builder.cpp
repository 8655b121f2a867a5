#include "io/onnx_builder.hpp"

#include <type_traits>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/io/onnx_export.hpp"

namespace stepwise::io {
namespace {

int elementType(OnnxElement type)
{
    switch (type) {
    case OnnxElement::Float:
        return onnx::TensorProto::FLOAT;
    case OnnxElement::Int64:
        return onnx::TensorProto::INT64;
    case OnnxElement::String:
        return onnx::TensorProto::STRING;
    }
    return onnx::TensorProto::UNDEFINED;
}

void describeValue(onnx::ValueInfoProto& info, const std::string& name, OnnxElement type,
                   const std::vector<OnnxBuilder::Dim>& dims)
{
    info.set_name(name);
    onnx::TypeProto_Tensor* tensor = info.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(elementType(type));
    onnx::TensorShapeProto* shape = tensor->mutable_shape();
    for (const OnnxBuilder::Dim& dim : dims) {
        onnx::TensorShapeProto_Dimension* added = shape->add_dim();
        if (dim)
            added->set_dim_value(*dim);
        else
            added->set_dim_param("N");
    }
}

void setAttribute(onnx::AttributeProto& attribute, const OnnxAttribute& source)
{
    attribute.set_name(source.name);
    std::visit(
        [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
                attribute.set_type(onnx::AttributeProto::INT);
                attribute.set_i(value);
            } else if constexpr (std::is_same_v<T, float>) {
                attribute.set_type(onnx::AttributeProto::FLOAT);
                attribute.set_f(value);
            } else if constexpr (std::is_same_v<T, std::string>) {
                attribute.set_type(onnx::AttributeProto::STRING);
                attribute.set_s(value);
            } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
                attribute.set_type(onnx::AttributeProto::INTS);
                for (std::int64_t v : value)
                    attribute.add_ints(v);
            } else if constexpr (std::is_same_v<T, std::vector<float>>) {
                attribute.set_type(onnx::AttributeProto::FLOATS);
                for (float v : value)
                    attribute.add_floats(v);
            } else {
                attribute.set_type(onnx::AttributeProto::STRINGS);
                for (const std::string& v : value)
                    attribute.add_strings(v);
            }
        },
        source.value);
}

std::size_t elementCount(const std::vector<std::int64_t>& dims)
{
    std::size_t count = 1;
    for (std::int64_t dim : dims)
        count *= static_cast<std::size_t>(dim);
    return count;
}

void checkCount(std::size_t values, const std::vector<std::int64_t>& dims)
{
    if (values != elementCount(dims))
        throw core::Error("internal error: an ONNX constant has " + std::to_string(values) +
                          " values for a shape of " + std::to_string(elementCount(dims)) +
                          " — please report this");
}

} // namespace

OnnxBuilder::OnnxBuilder(const std::string& graphName)
{
    m_model.set_ir_version(8);  // the IR version of opset 15
    m_model.set_producer_name("stepwise");
    m_model.set_producer_version(core::kVersion);
    onnx::OperatorSetIdProto* standard = m_model.add_opset_import();
    standard->set_domain("");
    standard->set_version(kOnnxOpset);
    onnx::OperatorSetIdProto* ml = m_model.add_opset_import();
    ml->set_domain("ai.onnx.ml");
    ml->set_version(kOnnxMlOpset);
    m_graph = m_model.mutable_graph();
    m_graph->set_name(graphName);
}

std::string OnnxBuilder::freshName(const std::string& base)
{
    std::string name;
    do {
        name = base;
        name.append("_").append(std::to_string(m_counter++));
    } while (m_used.count(name) > 0);
    m_used.insert(name);
    return name;
}

void OnnxBuilder::reserve(const std::string& name)
{
    m_used.insert(name);
}

std::string OnnxBuilder::addInput(const std::string& name, OnnxElement type, const std::vector<Dim>& dims)
{
    if (name.empty() || !m_used.insert(name).second)
        throw core::UnsupportedExport("the column name \"" + name +
                                      "\" cannot name an ONNX input (empty, or taken by an output) — rename "
                                      "the column before training");
    describeValue(*m_graph->add_input(), name, type, dims);
    return name;
}

void OnnxBuilder::addOutput(const std::string& tensor, const std::string& name, OnnxElement type,
                            const std::vector<Dim>& dims)
{
    onnx::NodeProto* node = m_graph->add_node();
    node->set_op_type("Identity");
    node->set_name(freshName("output"));
    node->add_input(tensor);
    node->add_output(name);
    describeValue(*m_graph->add_output(), name, type, dims);
}

void OnnxBuilder::forbid(const std::string& tensor, const std::string& message)
{
    m_forbidden[tensor] = message;
}

std::optional<std::string> OnnxBuilder::forbidden(const std::string& tensor) const
{
    const auto found = m_forbidden.find(tensor);
    if (found == m_forbidden.end())
        return std::nullopt;
    return found->second;
}

std::vector<std::string> OnnxBuilder::addNode(const std::string& opType, const std::vector<std::string>& inputs,
                                              std::size_t outputCount, const std::vector<OnnxAttribute>& attributes,
                                              const std::string& domain)
{
    for (const std::string& input : inputs)
        if (const auto message = forbidden(input))
            throw core::UnsupportedExport(*message);
    onnx::NodeProto* node = m_graph->add_node();
    node->set_op_type(opType);
    node->set_name(freshName(opType));
    if (!domain.empty())
        node->set_domain(domain);
    for (const std::string& input : inputs)
        node->add_input(input);
    std::vector<std::string> outputs;
    for (std::size_t i = 0; i < outputCount; ++i) {
        outputs.push_back(freshName(opType + "_out"));
        node->add_output(outputs.back());
    }
    for (const OnnxAttribute& attribute : attributes)
        setAttribute(*node->add_attribute(), attribute);
    return outputs;
}

onnx::TensorProto& OnnxBuilder::newInitializer(const std::vector<std::int64_t>& dims, int dataType, std::string& name)
{
    name = freshName("const");
    onnx::TensorProto* tensor = m_graph->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(dataType);
    for (std::int64_t dim : dims)
        tensor->add_dims(dim);
    return *tensor;
}

std::string OnnxBuilder::constant(const std::vector<float>& values, const std::vector<std::int64_t>& dims)
{
    checkCount(values.size(), dims);
    std::string name;
    onnx::TensorProto& tensor = newInitializer(dims, onnx::TensorProto::FLOAT, name);
    for (float value : values)
        tensor.add_float_data(value);
    return name;
}

std::string OnnxBuilder::constant(const std::vector<std::int64_t>& values, const std::vector<std::int64_t>& dims)
{
    checkCount(values.size(), dims);
    std::string name;
    onnx::TensorProto& tensor = newInitializer(dims, onnx::TensorProto::INT64, name);
    for (std::int64_t value : values)
        tensor.add_int64_data(value);
    return name;
}

std::string OnnxBuilder::constant(const std::vector<std::string>& values, const std::vector<std::int64_t>& dims)
{
    checkCount(values.size(), dims);
    std::string name;
    onnx::TensorProto& tensor = newInitializer(dims, onnx::TensorProto::STRING, name);
    for (const std::string& value : values)
        tensor.add_string_data(value);
    return name;
}

} // namespace stepwise::io
