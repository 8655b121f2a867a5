#include "features/formula_column.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::features {
namespace {

// Rows per evaluation block: the program's stack holds a few vectors of this length, and
// fit reports progress (and honours cancel) between blocks.
constexpr std::size_t kBlockRows = 65536;

bool blank(const std::string& text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

} // namespace

FormulaColumn::FormulaColumn(std::string name, const std::string& expression) : m_name(std::move(name)), m_text(expression)
{
    if (blank(m_name))
        throw core::InvalidParameter("the formula's parameter 'name' is empty — give the new column a name, e.g. "
                                     "family=sibsp+parch+1");
    try {
        m_expression = Expression(m_text);
    } catch (const ExpressionSyntaxError& error) {
        std::string message = "the expression of the ";
        message.append(step());
        message.append(" has an error at position ");
        message.append(std::to_string(error.position()));
        message.append(": ");
        message.append(error.problem());
        throw core::InvalidParameter(message);
    }
}

std::string FormulaColumn::step() const
{
    std::string text = "formula for '";
    text.append(m_name);
    text.push_back('\'');
    return text;
}

std::string FormulaColumn::describe() const
{
    std::string text = "new column '";
    text.append(m_name);
    text.append("' = ");
    text.append(m_text);
    if (!m_fitted) {
        text.append(" (not fitted yet)");
    } else if (m_nonFiniteRows > 0) {
        text.append("; ");
        text.append(prep::countOf(m_nonFiniteRows, "training row"));
        text.append(" of ");
        text.append(std::to_string(m_trainingRows));
        text.append(m_nonFiniteRows == 1 ? " has" : " have");
        text.append(" no finite result (e.g. x/0 or the log of a number ≤ 0) and "
                    "will be missing — fill them in a later step or change the formula");
    }
    return text;
}

Expression::Result FormulaColumn::evaluate(const data::Table& table, core::TaskControl* control) const
{
    std::vector<const std::vector<double>*> inputs;
    for (const std::string& name : m_expression.columns())
        inputs.push_back(&table.column(name).values());
    Expression::Result all;
    all.values.reserve(table.rowCount());
    for (std::size_t begin = 0; begin < table.rowCount(); begin += kBlockRows) {
        if (control)
            control->progress(static_cast<double>(begin) / static_cast<double>(table.rowCount()),
                              "computing the " + step());
        const std::size_t end = std::min(table.rowCount(), begin + kBlockRows);
        const Expression::Result block = m_expression.evaluate(inputs, begin, end);
        all.values.insert(all.values.end(), block.values.begin(), block.values.end());
        all.nonFinite += block.nonFinite;
    }
    return all;
}

void FormulaColumn::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    control.progress(0.0, "checking the " + step());
    if (train.hasColumn(m_name)) {
        std::string message = "the ";
        message.append(step());
        message.append(" would add the column '");
        message.append(m_name);
        message.append("', but there is one of that name already — choose another name");
        throw core::InvalidParameter(message);
    }
    for (const std::string& name : m_expression.columns()) {
        const auto index = train.indexOf(name);
        std::string message = "the ";
        message.append(step());
        message.append(" uses column '");
        message.append(name);
        if (!index) {
            message.append("', which is not there at this point of the pipeline — check the spelling (write names "
                           "with spaces or symbols in backquotes, e.g. `sib sp`), or whether an earlier step dropped "
                           "or renamed it");
            throw core::DataError(message);
        }
        if (!train.column(*index).isNumeric()) {
            message.append("', which is ");
            message.append(data::toString(train.column(*index).kind()));
            message.append(" — a formula computes with numbers: encode the column in an earlier step or use "
                           "another one");
            throw core::DataError(message);
        }
    }
    const Expression::Result result = evaluate(train, &control);
    m_trainingRows = train.rowCount();
    m_nonFiniteRows = result.nonFinite;
    m_fitted = true;
    control.progress(1.0);
}

data::Table FormulaColumn::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(step(), "transform");
    for (const std::string& name : m_expression.columns())
        prep::requireFittedColumn(table, name, data::ColumnType::Numeric, step());
    if (table.hasColumn(m_name)) {
        std::string message = "the ";
        message.append(step());
        message.append(" adds the column '");
        message.append(m_name);
        message.append("', but the rows already have one of that name — remove or rename it in the data");
        throw core::DataError(message);
    }
    data::Table result = table;
    result.addColumn(data::Column::numeric(m_name, evaluate(table, nullptr).values));
    return result;
}

void FormulaColumn::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw prep::notFitted(step(), "be exported");
    std::vector<std::string> inputs;
    for (const std::string& name : m_expression.columns())
        inputs.push_back(prep::onnxFloat(graph, graph.column(name), step()));
    const std::string nan = prep::onnxScalar(graph, std::nan(""));
    // std::min/max give NaN when either side is NaN; ONNX's Min/Max need not.
    const auto eitherNaN = [&](const std::string& a, const std::string& b) {
        return graph.addNode("Or", {graph.addNode("IsNaN", {a}), graph.addNode("IsNaN", {b})});
    };
    std::vector<std::string> stack;
    const auto pop = [&stack] {
        std::string top = stack.back();
        stack.pop_back();
        return top;
    };
    const auto binary = [&](const char* op) {
        const std::string right = pop();
        const std::string left = pop();
        std::string value = graph.addNode(op, {left, right});
        if (std::string(op) == "Min" || std::string(op) == "Max")
            value = graph.addNode("Where", {eitherNaN(left, right), nan, value});
        stack.push_back(value);
    };
    for (const ExpressionInstruction& instruction : m_expression.program()) {
        switch (instruction.op) {
        case ExpressionOp::Constant:
            stack.push_back(prep::onnxScalar(graph, instruction.constant));
            break;
        case ExpressionOp::Column:
            stack.push_back(inputs.at(instruction.column));
            break;
        case ExpressionOp::Negate:
            stack.push_back(graph.addNode("Neg", {pop()}));
            break;
        case ExpressionOp::Add:
            binary("Add");
            break;
        case ExpressionOp::Subtract:
            binary("Sub");
            break;
        case ExpressionOp::Multiply:
            binary("Mul");
            break;
        case ExpressionOp::Divide:
            binary("Div");
            break;
        case ExpressionOp::Power:
            binary("Pow");
            break;
        case ExpressionOp::Min:
            binary("Min");
            break;
        case ExpressionOp::Max:
            binary("Max");
            break;
        case ExpressionOp::Log:
            stack.push_back(graph.addNode("Log", {pop()}));
            break;
        case ExpressionOp::Log1p:
            stack.push_back(graph.addNode("Log", {graph.addNode("Add", {pop(), prep::onnxScalar(graph, 1.0)})}));
            break;
        case ExpressionOp::Exp:
            stack.push_back(graph.addNode("Exp", {pop()}));
            break;
        case ExpressionOp::Sqrt:
            stack.push_back(graph.addNode("Sqrt", {pop()}));
            break;
        case ExpressionOp::Abs:
            stack.push_back(graph.addNode("Abs", {pop()}));
            break;
        }
    }
    if (stack.size() != 1)
        throw core::Error("internal error: the formula \"" + m_text + "\" did not compile to one value — please report this");
    std::string value = stack.back();
    if (inputs.empty()) {
        // A formula of constants only: one value repeated for every row.
        if (graph.columns().empty())
            throw core::UnsupportedExport("the " + step() + " has no column to take the row count from");
        value = graph.addNode("Expand", {value, graph.addNode("Shape", {graph.columns().front().tensor})});
    }
    // Missing where an input is missing, or where the result is not finite.
    std::string missing = graph.addNode("IsInf", {value});
    for (const std::string& input : inputs)
        missing = graph.addNode("Or", {missing, graph.addNode("IsNaN", {input})});
    value = graph.addNode("Where", {missing, nan, value});
    std::vector<io::OnnxColumn> columns = graph.columns();
    columns.push_back({m_name, value, io::OnnxElement::Float});
    graph.setColumns(std::move(columns));
}

void FormulaColumn::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(step(), "be saved");
    archive << *this;
}

void FormulaColumn::load(core::InputArchive& archive)
{
    archive >> *this;
    // The program is not stored: the text is parsed again, so a tampered text fails here.
    bool consistent = m_fitted && !blank(m_name) && m_nonFiniteRows <= m_trainingRows;
    if (consistent) {
        try {
            m_expression = Expression(m_text);
        } catch (const ExpressionSyntaxError&) {
            consistent = false;
        }
    }
    if (!consistent) {
        m_fitted = false;
        throw prep::corruptArchive(step());
    }
}

} // namespace stepwise::features
