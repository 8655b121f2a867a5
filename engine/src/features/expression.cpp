#include "features/expression.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fast_float/fast_float.h>

#include "stepwise/features/expression_check.hpp"

namespace stepwise::features {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Positions are reported in characters, as an editor shows them: UTF-8 continuation
// bytes do not start a character.
std::size_t characterIndex(const std::string& text, std::size_t offset)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++count;
    return count;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isNameChar(char c) { return isNameStart(c) || isDigit(c); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct Function {
    const char* name;
    int arity;
    ExpressionOp op;
};

constexpr Function kFunctions[] = {
    {"log", 1, ExpressionOp::Log},   {"log1p", 1, ExpressionOp::Log1p}, {"exp", 1, ExpressionOp::Exp},
    {"sqrt", 1, ExpressionOp::Sqrt}, {"abs", 1, ExpressionOp::Abs},     {"pow", 2, ExpressionOp::Power},
    {"min", 2, ExpressionOp::Min},   {"max", 2, ExpressionOp::Max},
};

const char* const kFunctionList = "log, log1p, exp, sqrt, abs, pow, min or max";

enum class TokenKind { End, Number, Name, Plus, Minus, Star, Slash, Power, Open, Close, Comma };

struct Token {
    TokenKind kind = TokenKind::End;
    std::size_t begin = 0;  ///< byte offsets into the text
    std::size_t end = 0;
    double number = 0.0;
    std::string name;
    bool quoted = false;  ///< a `backquoted` name is always a column, never a function
};

} // namespace

ExpressionSyntaxError::ExpressionSyntaxError(std::string problem, std::size_t position)
    : core::InvalidParameter([&] {
          std::string message = "position ";
          message.append(std::to_string(position));
          message.append(": ");
          message.append(problem);
          return message;
      }()),
      m_problem(std::move(problem)), m_position(position)
{
}

// Builds the program of one Expression while reading its text left to right.
class ExpressionParser {
public:
    ExpressionParser(Expression& expression) : m_out(expression), m_text(expression.m_text) {}

    void parse()
    {
        checkLength();
        if (peek().kind == TokenKind::End)
            fail(m_peeked.begin, "expected an expression — a number, a column name, a function or '('");
        parseSum();
        const Token& rest = peek();
        if (rest.kind == TokenKind::Close)
            fail(rest.begin, "found ')' without a matching '('");
        if (rest.kind != TokenKind::End)
            fail(rest.begin, "expected an operator (+ - * / ^) or the end of the expression but found " + shown(rest));
        std::size_t depth = 0;
        for (const ExpressionInstruction& instruction : m_out.m_program) {
            switch (instruction.op) {
            case ExpressionOp::Constant:
            case ExpressionOp::Column:
                ++depth;
                m_out.m_stackSize = std::max(m_out.m_stackSize, depth);
                break;
            case ExpressionOp::Add:
            case ExpressionOp::Subtract:
            case ExpressionOp::Multiply:
            case ExpressionOp::Divide:
            case ExpressionOp::Power:
            case ExpressionOp::Min:
            case ExpressionOp::Max:
                --depth;
                break;
            default:
                break;
            }
        }
    }

private:
    [[noreturn]] void fail(std::size_t offset, std::string problem) const
    {
        throw ExpressionSyntaxError(std::move(problem), characterIndex(m_text, offset));
    }

    void checkLength() const
    {
        std::size_t characters = 0;
        for (std::size_t i = 0; i < m_text.size(); ++i) {
            if ((static_cast<unsigned char>(m_text[i]) & 0xC0) == 0x80)
                continue;
            if (++characters > Expression::kMaxLength)
                fail(i, "the expression is longer than " + std::to_string(Expression::kMaxLength) +
                            " characters — shorten it or split it over several formula steps");
        }
    }

    // "'x'" or "the end of the expression", for messages; long tokens are cut.
    std::string shown(const Token& token) const
    {
        if (token.kind == TokenKind::End)
            return "the end of the expression";
        std::string text = m_text.substr(token.begin, std::min<std::size_t>(token.end - token.begin, 40));
        if (token.end - token.begin > 40)
            text.append("…");
        return "'" + text + "'";
    }

    const Token& peek()
    {
        if (!m_hasPeeked) {
            m_peeked = lex();
            m_hasPeeked = true;
        }
        return m_peeked;
    }

    Token next()
    {
        peek();
        m_hasPeeked = false;
        return std::move(m_peeked);
    }

    Token lex()
    {
        while (m_pos < m_text.size() && isSpace(m_text[m_pos]))
            ++m_pos;
        Token token;
        token.begin = m_pos;
        if (m_pos >= m_text.size()) {
            token.end = m_pos;
            return token;
        }
        const char c = m_text[m_pos];
        if (isDigit(c) || (c == '.' && m_pos + 1 < m_text.size() && isDigit(m_text[m_pos + 1])))
            return lexNumber(token);
        if (isNameStart(c)) {
            std::size_t end = m_pos;
            while (end < m_text.size() && isNameChar(m_text[end]))
                ++end;
            token.kind = TokenKind::Name;
            token.name = m_text.substr(m_pos, end - m_pos);
            m_pos = token.end = end;
            return token;
        }
        if (c == '`') {
            const std::size_t close = m_text.find('`', m_pos + 1);
            if (close == std::string::npos)
                fail(m_pos, "this `name` has no closing backquote — write column names with spaces or symbols as "
                            "`sib sp`");
            if (close == m_pos + 1)
                fail(m_pos, "`` names no column — put the column name between the backquotes");
            token.kind = TokenKind::Name;
            token.quoted = true;
            token.name = m_text.substr(m_pos + 1, close - m_pos - 1);
            m_pos = token.end = close + 1;
            return token;
        }
        token.end = m_pos + 1;
        switch (c) {
        case '+':
            token.kind = TokenKind::Plus;
            break;
        case '-':
            token.kind = TokenKind::Minus;
            break;
        case '*':
            token.kind = TokenKind::Star;
            if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '*') {
                token.kind = TokenKind::Power;
                token.end = m_pos + 2;
            }
            break;
        case '/':
            token.kind = TokenKind::Slash;
            break;
        case '^':
            token.kind = TokenKind::Power;
            break;
        case '(':
            token.kind = TokenKind::Open;
            break;
        case ')':
            token.kind = TokenKind::Close;
            break;
        case ',':
            token.kind = TokenKind::Comma;
            break;
        default: {
            // Show the whole UTF-8 character, not one byte of it.
            std::size_t end = m_pos + 1;
            while (end < m_text.size() && (static_cast<unsigned char>(m_text[end]) & 0xC0) == 0x80)
                ++end;
            fail(m_pos, "unexpected character '" + m_text.substr(m_pos, end - m_pos) +
                            "' — use numbers, column names, + - * / ^, parentheses and the functions " +
                            kFunctionList + "; write other column names in backquotes, e.g. `sib sp`");
        }
        }
        m_pos = token.end;
        return token;
    }

    Token lexNumber(Token& token)
    {
        std::size_t end = m_pos;
        while (end < m_text.size() && isDigit(m_text[end]))
            ++end;
        if (end < m_text.size() && m_text[end] == '.') {
            ++end;
            while (end < m_text.size() && isDigit(m_text[end]))
                ++end;
        }
        if (end < m_text.size() && (m_text[end] == 'e' || m_text[end] == 'E')) {
            std::size_t exponent = end + 1;
            if (exponent < m_text.size() && (m_text[exponent] == '+' || m_text[exponent] == '-'))
                ++exponent;
            if (exponent >= m_text.size() || !isDigit(m_text[exponent]))
                fail(m_pos, "the number '" + m_text.substr(m_pos, exponent - m_pos) +
                                "' has no digits in its exponent — write e.g. 1e-3");
            end = exponent;
            while (end < m_text.size() && isDigit(m_text[end]))
                ++end;
        }
        double value = 0.0;
        const auto result = fast_float::from_chars(m_text.data() + m_pos, m_text.data() + end, value);
        if (result.ec != std::errc() || result.ptr != m_text.data() + end || !std::isfinite(value))
            fail(m_pos, "the number '" + m_text.substr(m_pos, end - m_pos) + "' is too large for a double");
        token.kind = TokenKind::Number;
        token.number = value;
        m_pos = token.end = end;
        return token;
    }

    // One level deeper; the limit bounds the parser's recursion.
    void enter(std::size_t offset)
    {
        if (++m_depth > Expression::kMaxDepth)
            fail(offset, "the expression nests deeper than " + std::to_string(Expression::kMaxDepth) +
                             " levels — simplify it");
    }

    void leave() { --m_depth; }

    void emit(ExpressionOp op, double constant = 0.0, std::size_t column = 0)
    {
        m_out.m_program.push_back({op, constant, column});
    }

    void parseSum()
    {
        parseProduct();
        for (;;) {
            const TokenKind kind = peek().kind;
            if (kind != TokenKind::Plus && kind != TokenKind::Minus)
                return;
            next();
            parseProduct();
            emit(kind == TokenKind::Plus ? ExpressionOp::Add : ExpressionOp::Subtract);
        }
    }

    void parseProduct()
    {
        parseUnary();
        for (;;) {
            const TokenKind kind = peek().kind;
            if (kind != TokenKind::Star && kind != TokenKind::Slash)
                return;
            next();
            parseUnary();
            emit(kind == TokenKind::Star ? ExpressionOp::Multiply : ExpressionOp::Divide);
        }
    }

    void parseUnary()
    {
        if (peek().kind == TokenKind::Minus) {
            const Token minus = next();
            enter(minus.begin);
            parseUnary();
            leave();
            emit(ExpressionOp::Negate);
            return;
        }
        parsePower();
    }

    void parsePower()
    {
        parsePrimary();
        if (peek().kind == TokenKind::Power) {
            const Token power = next();
            enter(power.begin);
            parseUnary();
            leave();
            emit(ExpressionOp::Power);
        }
    }

    void expect(TokenKind kind, const std::string& problem)
    {
        const Token& token = peek();
        if (token.kind != kind)
            fail(token.begin, problem + " but found " + shown(token));
        next();
    }

    void parsePrimary()
    {
        const Token token = next();
        switch (token.kind) {
        case TokenKind::Number:
            emit(ExpressionOp::Constant, token.number);
            return;
        case TokenKind::Name:
            if (!token.quoted && peek().kind == TokenKind::Open) {
                parseCall(token);
                return;
            }
            emit(ExpressionOp::Column, 0.0, columnIndex(token));
            return;
        case TokenKind::Open:
            enter(token.begin);
            parseSum();
            expect(TokenKind::Close, "expected ')' to close the '(' at position " +
                                         std::to_string(characterIndex(m_text, token.begin)));
            leave();
            return;
        default:
            fail(token.begin, "expected a number, a column name, a function or '(' but found " + shown(token));
        }
    }

    void parseCall(const Token& name)
    {
        const auto function = std::find_if(std::begin(kFunctions), std::end(kFunctions),
                                           [&](const Function& f) { return name.name == f.name; });
        if (function == std::end(kFunctions))
            fail(name.begin, "unknown function '" + name.name + "' — use " + kFunctionList +
                                 "; a column name is not followed by '('");
        next();  // '('
        enter(name.begin);
        parseSum();
        if (function->arity == 2) {
            expect(TokenKind::Comma, std::string("expected ',' and the second argument of ") + function->name);
            parseSum();
            expect(TokenKind::Close, std::string("expected ')' after the two arguments of ") + function->name);
        } else {
            expect(TokenKind::Close, std::string("expected ')' — ") + function->name + " takes one argument");
        }
        leave();
        emit(function->op);
    }

    std::size_t columnIndex(const Token& token)
    {
        auto& columns = m_out.m_columns;
        const auto found = std::find(columns.begin(), columns.end(), token.name);
        if (found != columns.end())
            return static_cast<std::size_t>(found - columns.begin());
        columns.push_back(token.name);
        m_out.m_firstUse.push_back(characterIndex(m_text, token.begin));
        return columns.size() - 1;
    }

    Expression& m_out;
    const std::string& m_text;
    std::size_t m_pos = 0;
    std::size_t m_depth = 0;
    Token m_peeked;
    bool m_hasPeeked = false;
};

Expression::Expression(const std::string& text) : m_text(text)
{
    ExpressionParser(*this).parse();
}

Expression::Result Expression::evaluate(const std::vector<const std::vector<double>*>& inputs, std::size_t begin,
                                        std::size_t end) const
{
    const std::size_t rows = end - begin;
    std::vector<std::vector<double>> stack(m_stackSize);
    std::size_t top = 0;
    const auto unary = [&](auto&& function) {
        for (double& x : stack[top - 1])
            x = function(x);
    };
    const auto binary = [&](auto&& function) {
        std::vector<double>& left = stack[top - 2];
        const std::vector<double>& right = stack[top - 1];
        for (std::size_t i = 0; i < rows; ++i)
            left[i] = function(left[i], right[i]);
        --top;
    };
    for (const ExpressionInstruction& instruction : m_program) {
        switch (instruction.op) {
        case ExpressionOp::Constant:
            stack[top++].assign(rows, instruction.constant);
            break;
        case ExpressionOp::Column: {
            const std::vector<double>& values = *inputs.at(instruction.column);
            const auto first = values.begin() + static_cast<std::ptrdiff_t>(begin);
            stack[top++].assign(first, first + static_cast<std::ptrdiff_t>(rows));
            break;
        }
        case ExpressionOp::Negate:
            unary([](double x) { return -x; });
            break;
        case ExpressionOp::Add:
            binary([](double a, double b) { return a + b; });
            break;
        case ExpressionOp::Subtract:
            binary([](double a, double b) { return a - b; });
            break;
        case ExpressionOp::Multiply:
            binary([](double a, double b) { return a * b; });
            break;
        case ExpressionOp::Divide:
            binary([](double a, double b) { return a / b; });
            break;
        case ExpressionOp::Power:
            binary([](double a, double b) { return std::pow(a, b); });
            break;
        // std::min/max would return one operand when the other is NaN; a NaN from an
        // earlier step (log of a negative) must stay NaN, as in NumPy.
        case ExpressionOp::Min:
            binary([](double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::min(a, b); });
            break;
        case ExpressionOp::Max:
            binary([](double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::max(a, b); });
            break;
        case ExpressionOp::Log:
            unary([](double x) { return std::log(x); });
            break;
        case ExpressionOp::Log1p:
            unary([](double x) { return std::log1p(x); });
            break;
        case ExpressionOp::Exp:
            unary([](double x) { return std::exp(x); });
            break;
        case ExpressionOp::Sqrt:
            unary([](double x) { return std::sqrt(x); });
            break;
        case ExpressionOp::Abs:
            unary([](double x) { return std::abs(x); });
            break;
        }
    }
    Result result;
    result.values = top == 1 ? std::move(stack[0]) : std::vector<double>(rows, kNaN);
    // A missing input makes the row missing whatever the operations would make of NaN
    // (pow(NaN, 0) is 1).
    std::vector<char> missing(rows, 0);
    for (std::size_t column = 0; column < m_columns.size(); ++column) {
        const std::vector<double>& values = *inputs.at(column);
        for (std::size_t i = 0; i < rows; ++i)
            if (std::isnan(values[begin + i]))
                missing[i] = 1;
    }
    for (std::size_t i = 0; i < rows; ++i) {
        if (missing[i]) {
            result.values[i] = kNaN;
        } else if (!std::isfinite(result.values[i])) {
            result.values[i] = kNaN;
            ++result.nonFinite;
        }
    }
    return result;
}

ExpressionCheck checkExpression(const std::string& text, const std::vector<std::string>& numericColumns)
{
    ExpressionCheck check;
    try {
        const Expression expression(text);
        check.columns = expression.columns();
        for (std::size_t i = 0; i < check.columns.size(); ++i) {
            const std::string& name = check.columns[i];
            if (std::find(numericColumns.begin(), numericColumns.end(), name) == numericColumns.end()) {
                check.message = "there is no numeric column '" + name +
                                "' here — check the spelling, write names with spaces or symbols in backquotes "
                                "(`sib sp`), or encode a categorical column first";
                check.position = expression.firstUse(i);
                return check;
            }
        }
        check.ok = true;
    } catch (const ExpressionSyntaxError& error) {
        check.message = error.problem();
        check.position = error.position();
    }
    return check;
}

} // namespace stepwise::features
