#include "stepwise/core/number_text.hpp"

#include <array>
#include <charconv>

#include <fast_float/fast_float.h>

namespace stepwise::core {
namespace {

// Large enough for any double in fixed notation with up to 60 decimals (DBL_MAX has 309
// integer digits).
constexpr std::size_t kBufferSize = 400;

std::string formatWith(double value, std::chars_format format, int precision)
{
    std::array<char, kBufferSize> buffer{};
    const int clamped = precision < 0 ? 6 : (precision > 60 ? 60 : precision);
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format, clamped);
    return std::string(buffer.data(), result.ptr);
}

} // namespace

std::string formatFixed(double value, int digits)
{
    return formatWith(value, std::chars_format::fixed, digits);
}

std::string formatGeneral(double value, int precision)
{
    return formatWith(value, std::chars_format::general, precision);
}

std::optional<double> parseNumberText(std::string_view text)
{
    double value = 0.0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    // fast_float takes no leading '+'; printf never writes one, but people do.
    if (begin != end && *begin == '+')
        ++begin;
    const auto result = fast_float::from_chars(begin, end, value);
    if (result.ec != std::errc() || result.ptr != end || begin == end)
        return std::nullopt;
    return value;
}

} // namespace stepwise::core
