#pragma once
/// \file
/// \brief Checking a formula expression before it runs, for the expression editor: the
/// formula step's language (numbers, column names, + − * / ^, log, log1p, exp, sqrt, abs,
/// pow, min, max) parsed without any data.

#include <cstddef>
#include <string>
#include <vector>

namespace stepwise::features {

/// \brief The verdict on one expression text.
struct ExpressionCheck {
    bool ok = false;           ///< true when the text parses and every column it names is numeric
    std::string message;       ///< empty when ok; else what is wrong and what was expected
    std::size_t position = 0;  ///< 0-based character (Unicode code point) index of the problem
    std::vector<std::string> columns;  ///< the columns the text names, in order of first use (when it parses)
};

/// \brief Parses `text` as a formula expression and checks the columns it names against
/// `numericColumns` (the numeric columns at the formula's place in the pipeline). A
/// syntax error gives its position and what was expected there; a column that is not in
/// `numericColumns` (unknown, misspelt or categorical) is named with the position of its
/// first use.
ExpressionCheck checkExpression(const std::string& text, const std::vector<std::string>& numericColumns);

} // namespace stepwise::features
