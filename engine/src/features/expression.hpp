#pragma once
// The formula step's expression language. A recursive-descent parser compiles the text
// once into a postfix program; evaluation runs that program over a block of rows with
// one vector per stack slot, so there is no per-row parsing and no recursion while
// evaluating. Length and nesting limits keep hostile text from exhausting the stack.
//
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := '-' unary | power
//   power   := primary (('^' | '**') unary)?          right-associative; -a^2 = -(a^2)
//   primary := number | name | `any name` | function '(' sum [',' sum] ')' | '(' sum ')'

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "stepwise/core/errors.hpp"

namespace stepwise::features {

/// A syntax error: what was expected and where (0-based code point index in the text).
class ExpressionSyntaxError : public core::InvalidParameter {
public:
    ExpressionSyntaxError(std::string problem, std::size_t position);
    /// What is wrong, without the position.
    const std::string& problem() const { return m_problem; }
    std::size_t position() const { return m_position; }

private:
    std::string m_problem;
    std::size_t m_position;
};

/// One operation of the compiled program.
enum class ExpressionOp : std::uint8_t {
    Constant, Column, Negate, Add, Subtract, Multiply, Divide, Power,
    Log, Log1p, Exp, Sqrt, Abs, Min, Max,
};

/// An operation with its operand: the number of a Constant, the column index of a Column.
struct ExpressionInstruction {
    ExpressionOp op = ExpressionOp::Constant;
    double constant = 0.0;
    std::size_t column = 0;
};

/// A parsed expression, ready to evaluate.
class Expression {
public:
    /// Longest accepted text, in characters.
    static constexpr std::size_t kMaxLength = 4096;
    /// Deepest accepted nesting of parentheses, function calls, unary minus and powers.
    static constexpr std::size_t kMaxDepth = 200;

    /// An empty expression (no program); only as a target for loading.
    Expression() = default;
    /// Parses `text`; throws `ExpressionSyntaxError` at the first problem.
    explicit Expression(const std::string& text);

    const std::string& text() const { return m_text; }
    /// The columns the expression names, in order of first use.
    const std::vector<std::string>& columns() const { return m_columns; }
    /// The compiled postfix program (what the ONNX export translates).
    const std::vector<ExpressionInstruction>& program() const { return m_program; }
    /// Character position of the first use of `columns()[index]`.
    std::size_t firstUse(std::size_t index) const { return m_firstUse.at(index); }

    /// The values of a block of rows and how many of them came out non-finite.
    struct Result {
        std::vector<double> values;
        std::size_t nonFinite = 0;  ///< rows with every input present but no finite result
    };
    /// Evaluates rows [begin, end) of `inputs` (one vector per `columns()` entry, same
    /// order, each at least `end` long). A row with a missing (NaN) input is missing; a
    /// non-finite result from present inputs (x/0, log of a negative) is missing too and
    /// counted in `nonFinite`.
    Result evaluate(const std::vector<const std::vector<double>*>& inputs, std::size_t begin, std::size_t end) const;

private:
    friend class ExpressionParser;

    std::string m_text;
    std::vector<std::string> m_columns;
    std::vector<std::size_t> m_firstUse;
    std::vector<ExpressionInstruction> m_program;
    std::size_t m_stackSize = 0;  ///< deepest evaluation stack the program needs
};

} // namespace stepwise::features
