#include "stepwise/core/params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"

namespace stepwise::core {
namespace {

std::string formatBound(double value)
{
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    return formatGeneral(value, 6);
}

bool contains(const std::vector<std::string>& words, const std::string& word)
{
    return std::find(words.begin(), words.end(), word) != words.end();
}

std::optional<double> parseNumber(const std::string& text)
{
    double value = 0.0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string joinWords(const std::vector<std::string>& words)
{
    std::string joined;
    for (const auto& word : words)
        joined += (joined.empty() ? "" : ", ") + word;
    return joined;
}

const std::string& lookup(const std::map<std::string, std::string>& values, const std::string& name)
{
    auto it = values.find(name);
    if (it == values.end())
        throw InvalidParameter("unknown parameter '" + name + "'");
    return it->second;
}

// Returns the canonical text of a valid value, or nullopt if the value is not allowed.
std::optional<std::string> canonical(const ParamSpec& spec, const std::string& text)
{
    switch (spec.kind) {
    case ParamKind::Text:
        return text;
    case ParamKind::Choice:
        return contains(spec.words, text) ? std::optional(text) : std::nullopt;
    case ParamKind::Boolean:
        if (text == "true" || text == "1" || text == "yes")
            return "true";
        if (text == "false" || text == "0" || text == "no")
            return "false";
        return std::nullopt;
    case ParamKind::Integer:
    case ParamKind::Real: {
        if (contains(spec.words, text))
            return text;
        auto value = parseNumber(text);
        if (!value)
            return std::nullopt;
        if (spec.kind == ParamKind::Integer && std::floor(*value) != *value)
            return std::nullopt;
        const bool belowMin = spec.minExclusive ? *value <= spec.min : *value < spec.min;
        if (belowMin || *value > spec.max)
            return std::nullopt;
        if (spec.kind == ParamKind::Integer)
            return std::to_string(static_cast<long long>(*value));
        return text;
    }
    }
    return std::nullopt;
}

} // namespace

std::string describeAllowed(const ParamSpec& spec)
{
    switch (spec.kind) {
    case ParamKind::Text:
        return "text";
    case ParamKind::Choice:
        return "one of " + joinWords(spec.words);
    case ParamKind::Boolean:
        return "true or false";
    case ParamKind::Integer:
    case ParamKind::Real: {
        std::string range = std::string(spec.kind == ParamKind::Integer ? "an integer" : "a number") +
                            " in " + (spec.minExclusive ? "(" : "[") + formatBound(spec.min) + ", " +
                            formatBound(spec.max) + "]";
        if (!spec.words.empty())
            range += " or one of " + joinWords(spec.words);
        return range;
    }
    }
    return {};
}

const std::string& ParamValues::text(const std::string& name) const { return lookup(m_values, name); }

long long ParamValues::integer(const std::string& name) const
{
    auto value = parseNumber(text(name));
    if (!value)
        throw InvalidParameter("parameter '" + name + "' is '" + text(name) + "', not an integer");
    return static_cast<long long>(*value);
}

double ParamValues::real(const std::string& name) const
{
    auto value = parseNumber(text(name));
    if (!value)
        throw InvalidParameter("parameter '" + name + "' is '" + text(name) + "', not a number");
    return *value;
}

bool ParamValues::boolean(const std::string& name) const { return text(name) == "true"; }

bool ParamValues::isWord(const std::string& name, const std::string& word) const { return text(name) == word; }

ParamValues resolveParams(const std::vector<ParamSpec>& table,
                          const std::map<std::string, std::string>& given,
                          const std::string& owner)
{
    for (const auto& entry : given) {
        const std::string& name = entry.first;
        const bool known = std::any_of(table.begin(), table.end(), [&](const ParamSpec& s) { return s.name == name; });
        if (!known) {
            std::vector<std::string> names;
            for (const auto& spec : table)
                names.push_back(spec.name);
            throw InvalidParameter(owner + " has no parameter '" + name + "' — use one of: " + joinWords(names));
        }
    }
    ParamValues values;
    for (const auto& spec : table) {
        auto it = given.find(spec.name);
        const std::string& text = it != given.end() ? it->second : spec.defaultValue;
        auto value = canonical(spec, text);
        if (!value)
            throw InvalidParameter(owner + ": " + spec.name + "=" + text + " is not allowed — use " +
                                   describeAllowed(spec));
        values.m_values[spec.name] = *value;
    }
    return values;
}

} // namespace stepwise::core
