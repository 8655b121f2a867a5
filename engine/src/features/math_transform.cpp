#include "features/math_transform.hpp"

#include <cmath>
#include <limits>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "math step";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

MathFunction mathFunctionFromText(const std::string& text)
{
    if (text == "log1p")
        return MathFunction::Log1p;
    if (text == "log")
        return MathFunction::Log;
    if (text == "sqrt")
        return MathFunction::Sqrt;
    if (text == "square")
        return MathFunction::Square;
    if (text == "power")
        return MathFunction::Power;
    throw core::InvalidParameter("function '" + text + "' is not known — use log1p, log, sqrt, square or power");
}

std::string MathTransform::domainProblem(double value) const
{
    switch (static_cast<MathFunction>(m_function)) {
    case MathFunction::Log1p:
        return value > -1.0 ? std::string() : "log1p needs values above −1";
    case MathFunction::Log:
        return value > 0.0 ? std::string() : "log needs values above 0";
    case MathFunction::Sqrt:
        return value >= 0.0 ? std::string() : "sqrt needs values of 0 or more";
    case MathFunction::Square:
        return {};
    case MathFunction::Power:
        if (value < 0.0 && std::floor(m_exponent) != m_exponent)
            return "a fractional power needs values of 0 or more";
        if (value == 0.0 && m_exponent < 0.0)
            return "a negative power of 0 is infinite";
        return {};
    }
    return {};
}

double MathTransform::apply(double value) const
{
    if (std::isnan(value) || !domainProblem(value).empty())
        return kNaN;
    switch (static_cast<MathFunction>(m_function)) {
    case MathFunction::Log1p:
        return std::log1p(value);
    case MathFunction::Log:
        return std::log(value);
    case MathFunction::Sqrt:
        return std::sqrt(value);
    case MathFunction::Square:
        return value * value;
    case MathFunction::Power:
        return std::pow(value, m_exponent);
    }
    return kNaN;
}

std::string MathTransform::describe() const
{
    std::string function;
    switch (static_cast<MathFunction>(m_function)) {
    case MathFunction::Log1p:
        function = "log(1 + x)";
        break;
    case MathFunction::Log:
        function = "log(x)";
        break;
    case MathFunction::Sqrt:
        function = "√x";
        break;
    case MathFunction::Square:
        function = "x²";
        break;
    case MathFunction::Power:
        function = "x^" + data::formatNumber(m_exponent);
        break;
    }
    std::string text = function;
    text.append(" of ");
    text.append(m_fitted ? prep::countOf(m_names.size(), "numeric column") : std::string("the numeric columns"));
    text.append(", in place");
    if (!m_fitted)
        text.append(" (not fitted yet)");
    return text;
}

void MathTransform::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    const std::vector<std::string> names = prep::columnsInScope(train, m_requested, prep::ColumnScope::Numeric, kStep);
    for (std::size_t index = 0; index < names.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(names.size()), "checking the " + kStep);
        const data::Column& column = train.column(names[index]);
        for (std::size_t row = 0; row < column.size(); ++row) {
            const double value = column.values()[row];
            if (std::isnan(value))
                continue;
            const std::string problem = domainProblem(value);
            if (problem.empty())
                continue;
            std::string message = "column '";
            message.append(column.name());
            message.append("' has the value ");
            message.append(data::formatNumber(value));
            message.append(" in row ");
            message.append(std::to_string(row));
            message.append(" of the training rows, but ");
            message.append(problem);
            message.append(" — shift the column first (a formula such as ");
            message.append(column.name());
            message.append(" + c), or choose another function (log1p takes 0, square takes any number)");
            throw core::DataError(message);
        }
    }
    m_names = names;
    m_fitted = true;
    control.progress(1.0);
}

data::Table MathTransform::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    data::Table result = table;
    for (const std::string& name : m_names) {
        const data::Column& column = prep::requireFittedColumn(table, name, data::ColumnType::Numeric, kStep);
        std::vector<double> values = column.values();
        for (double& value : values)
            value = apply(value);
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values)));
    }
    return result;
}

void MathTransform::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be exported");
    std::vector<io::OnnxColumn> columns = graph.columns();
    const auto function = static_cast<MathFunction>(m_function);
    for (const std::string& name : m_names) {
        const io::OnnxColumn& column = graph.column(name);
        const std::string x = prep::onnxFloat(graph, column, kStep);
        std::string value;
        std::string inDomain;  // empty: every number is
        switch (function) {
        case MathFunction::Log1p:
            value = graph.addNode("Log", {graph.addNode("Add", {x, prep::onnxScalar(graph, 1.0)})});
            inDomain = graph.addNode("Greater", {x, prep::onnxScalar(graph, -1.0)});
            break;
        case MathFunction::Log:
            value = graph.addNode("Log", {x});
            inDomain = graph.addNode("Greater", {x, prep::onnxScalar(graph, 0.0)});
            break;
        case MathFunction::Sqrt:
            value = graph.addNode("Sqrt", {x});
            inDomain = graph.addNode("Not", {graph.addNode("Less", {x, prep::onnxScalar(graph, 0.0)})});
            break;
        case MathFunction::Square:
            value = graph.addNode("Mul", {x, x});
            break;
        case MathFunction::Power: {
            value = graph.addNode("Pow", {x, prep::onnxScalar(graph, m_exponent)});
            const bool fractional = m_exponent != std::floor(m_exponent);
            if (fractional)
                inDomain = graph.addNode("Not", {graph.addNode("Less", {x, prep::onnxScalar(graph, 0.0)})});
            if (m_exponent < 0.0) {
                const std::string nonZero =
                    graph.addNode("Not", {graph.addNode("Equal", {x, prep::onnxScalar(graph, 0.0)})});
                inDomain = inDomain.empty() ? nonZero : graph.addNode("And", {inDomain, nonZero});
            }
            break;
        }
        }
        if (!inDomain.empty())
            value = graph.addNode("Where", {inDomain, value, prep::onnxScalar(graph, std::nan(""))});
        columns = prep::withColumn(columns, name, {name, value, io::OnnxElement::Float});
    }
    graph.setColumns(std::move(columns));
}

void MathTransform::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void MathTransform::load(core::InputArchive& archive)
{
    MathTransform loaded;
    archive >> loaded;
    if (!loaded.m_fitted || loaded.m_function < 0 || loaded.m_function > static_cast<int>(MathFunction::Power) ||
        !std::isfinite(loaded.m_exponent))
        throw prep::corruptArchive(kStep);
    loaded.m_requested = std::move(m_requested);
    *this = std::move(loaded);
}

} // namespace stepwise::features
