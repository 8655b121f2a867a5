#pragma once
/// \file
/// \brief Numbers as text in the one syntax every file format Stepwise writes uses ('.' as
/// the decimal point, no digit grouping), whatever the process locale is. The GUI calls
/// setlocale(LC_ALL, "") at start-up, so printf, strtod, std::to_string and streams on the
/// global locale would write and read "0,5" under a decimal-comma locale.

#include <optional>
#include <string>
#include <string_view>

namespace stepwise::core {

/// \brief `value` as printf("%.*f", digits, value) writes it in the "C" locale.
std::string formatFixed(double value, int digits);

/// \brief `value` as printf("%.*g", precision, value) writes it in the "C" locale
/// (precision 6 is what a default-formatted stream writes).
std::string formatGeneral(double value, int precision);

/// \brief The whole of `text` as a number in the "C" syntax ("0.5", "-1e-3", "inf", "nan");
/// nothing when `text` is not exactly one number.
std::optional<double> parseNumberText(std::string_view text);

} // namespace stepwise::core
