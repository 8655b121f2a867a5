#include "stepwise/workflow/search_spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/random.hpp"

namespace stepwise::workflow {
namespace {

constexpr std::size_t kMaxCandidates = 10'000;
// Separates the search's random stream from the split's and the models' own.
constexpr std::uint64_t kSearchStream = 0x5EA4C4;

enum class DistributionKind { Uniform, LogUniform, RandInt };

struct Distribution {
    DistributionKind kind = DistributionKind::Uniform;
    double low = 0.0;
    double high = 0.0;
};

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string withoutSpaces(std::string text)
{
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; }), text.end());
    return text;
}

std::optional<double> number(const std::string& text)
{
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// Shortest text that reads back as the same double.
std::string shortestText(double value)
{
    char buffer[64];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, ec == std::errc() ? ptr : buffer);
}

std::string distributionHelp()
{
    return "write uniform(A,B), loguniform(A,B) with 0 < A < B, or randint(A,B) with integers A < B (B exclusive)";
}

// A distribution written as `name(A,B)`, or nullopt for a plain value (no parenthesis).
// Throws for something that looks like a distribution but is not a valid one.
std::optional<Distribution> parseDistribution(const std::string& rawText)
{
    const std::string text = withoutSpaces(rawText);
    const auto open = text.find('(');
    if (open == std::string::npos && text.find(')') == std::string::npos)
        return std::nullopt;
    std::string bad = "'";
    bad.append(rawText).append("' is not a distribution — ").append(distributionHelp());
    if (open == std::string::npos || text.back() != ')')
        throw core::InvalidParameter(bad);
    const std::string name = text.substr(0, open);
    Distribution distribution;
    if (name == "uniform")
        distribution.kind = DistributionKind::Uniform;
    else if (name == "loguniform")
        distribution.kind = DistributionKind::LogUniform;
    else if (name == "randint")
        distribution.kind = DistributionKind::RandInt;
    else
        throw core::InvalidParameter(bad);
    const std::string inside = text.substr(open + 1, text.size() - open - 2);
    const auto comma = inside.find(',');
    if (comma == std::string::npos)
        throw core::InvalidParameter(bad);
    const auto low = number(inside.substr(0, comma));
    const auto high = number(inside.substr(comma + 1));
    if (!low || !high || *low >= *high)
        throw core::InvalidParameter(bad);
    if (distribution.kind == DistributionKind::LogUniform && *low <= 0.0)
        throw core::InvalidParameter(bad);
    if (distribution.kind == DistributionKind::RandInt &&
        (std::floor(*low) != *low || std::floor(*high) != *high || std::abs(*low) > 1e15 || std::abs(*high) > 1e15))
        throw core::InvalidParameter(bad);
    distribution.low = *low;
    distribution.high = *high;
    return distribution;
}

const core::ParamSpec& findSpec(const std::vector<core::ParamSpec>& table, const std::string& name,
                                const std::string& model)
{
    const auto it =
        std::find_if(table.begin(), table.end(), [&](const core::ParamSpec& spec) { return spec.name == name; });
    if (it != table.end())
        return *it;
    core::resolveParams(table, {{name, ""}}, model);  // throws, listing the parameters there are
    throw core::InvalidParameter(model + " has no parameter '" + name + "'");
}

// The canonical text of one value of `name` ("5.0" → "5" for an integer), or the
// engine's own message naming the parameter, the value and the allowed range.
std::string checkedValue(const std::vector<core::ParamSpec>& table, const std::string& name, const std::string& value,
                         const std::string& model)
{
    return core::resolveParams(table, {{name, value}}, model).text(name);
}

// One searched parameter: its list of values, or a distribution.
struct Dimension {
    std::string name;
    std::vector<std::string> values;
    std::optional<Distribution> distribution;
};

Dimension checkedDimension(const SearchSpec& spec, const std::string& name, const std::vector<std::string>& values,
                           const std::vector<core::ParamSpec>& table, const std::string& model)
{
    const core::ParamSpec& param = findSpec(table, name, model);
    Dimension dimension{name, {}, {}};
    if (values.empty())
        throw core::InvalidParameter("the search has no values for " + model + "'s '" + name +
                                     "' — give at least one, e.g. " + name + "=" + param.defaultValue);
    for (const std::string& value : values) {
        std::optional<Distribution> distribution = parseDistribution(value);
        if (!distribution) {
            dimension.values.push_back(checkedValue(table, name, trimmed(value), model));
            continue;
        }
        std::string prefix = "'";
        prefix.append(name).append("=").append(value).append("': ");
        if (values.size() > 1)
            throw core::InvalidParameter(prefix + "a distribution stands alone — give either one distribution or "
                                                  "a list of values");
        if (spec.kind == SearchKind::Grid)
            throw core::InvalidParameter(prefix + "a grid search tries listed values only — list them (" + name +
                                         "=V1,V2,...) or use a random search");
        const bool real = param.kind == core::ParamKind::Real;
        if (param.kind != core::ParamKind::Integer && !real)
            throw core::InvalidParameter(prefix + name + " is " + core::describeAllowed(param) +
                                         ", not a number — list its values instead");
        if (!real && distribution->kind != DistributionKind::RandInt)
            throw core::InvalidParameter(prefix + name + " takes integers — use randint(A,B)");
        // Both ends of what can be drawn must be allowed values.
        const double last = distribution->kind == DistributionKind::RandInt ? distribution->high - 1.0
                                                                            : distribution->high;
        checkedValue(table, name, shortestText(distribution->low), model);
        checkedValue(table, name, shortestText(last), model);
        dimension.distribution = distribution;
    }
    return dimension;
}

std::string drawValue(const Dimension& dimension, core::RandomSource& random)
{
    if (!dimension.distribution)
        return dimension.values[random.below(dimension.values.size())];
    const Distribution& d = *dimension.distribution;
    switch (d.kind) {
    case DistributionKind::Uniform:
        return shortestText(std::clamp(random.uniform(d.low, d.high), d.low, d.high));
    case DistributionKind::LogUniform: {
        const double value = std::exp(random.uniform(std::log(d.low), std::log(d.high)));
        return shortestText(std::clamp(value, d.low, d.high));
    }
    case DistributionKind::RandInt: {
        const auto span = static_cast<std::size_t>(d.high - d.low);
        return std::to_string(static_cast<long long>(d.low) + static_cast<long long>(random.below(span)));
    }
    }
    return {};
}

// Grid candidate `index` in ParameterGrid's order: the last parameter varies fastest.
std::map<std::string, std::string> gridPoint(const std::vector<Dimension>& dimensions, std::uint64_t index,
                                             const std::map<std::string, std::string>& base)
{
    std::map<std::string, std::string> point = base;
    for (auto it = dimensions.rbegin(); it != dimensions.rend(); ++it) {
        const std::uint64_t size = it->values.size();
        point[it->name] = it->values[static_cast<std::size_t>(index % size)];
        index /= size;
    }
    return point;
}

// Number of grid points, or nullopt when it does not fit in 64 bits.
std::optional<std::uint64_t> gridSize(const std::vector<Dimension>& dimensions)
{
    std::uint64_t size = 1;
    for (const Dimension& dimension : dimensions) {
        const std::uint64_t n = dimension.values.size();
        if (size > std::numeric_limits<std::uint64_t>::max() / n)
            return std::nullopt;
        size *= n;
    }
    return size;
}

// `count` distinct indices of [0, size) in the order drawn: a partial Fisher–Yates
// shuffle that keeps only the swapped positions, so the size of the grid costs nothing.
std::vector<std::uint64_t> sampleWithoutReplacement(std::uint64_t size, std::size_t count, core::RandomSource& random)
{
    std::unordered_map<std::uint64_t, std::uint64_t> swapped;
    const auto at = [&](std::uint64_t i) {
        const auto it = swapped.find(i);
        return it == swapped.end() ? i : it->second;
    };
    std::vector<std::uint64_t> drawn;
    drawn.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t j = i + random.below(static_cast<std::size_t>(size - i));
        const std::uint64_t value = at(j);
        swapped[j] = at(i);
        drawn.push_back(value);
    }
    return drawn;
}

} // namespace

SearchSpec parseSearchKind(const std::string& rawText)
{
    const std::string text = trimmed(rawText);
    SearchSpec spec;
    if (text == "grid")
        return spec;
    spec.kind = SearchKind::Random;
    if (text == "random")
        return spec;  // scikit-learn's n_iter=10
    const std::string bad = "search '" + rawText + "' is not allowed — use grid or random:N with N in [1, 10000]";
    if (text.rfind("random:", 0) != 0)
        throw core::InvalidParameter(bad);
    const std::string count = text.substr(7);
    int iterations = 0;
    const auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), iterations);
    if (count.empty() || ec != std::errc() || ptr != count.data() + count.size() || iterations < 1 ||
        iterations > static_cast<int>(kMaxCandidates))
        throw core::InvalidParameter(bad);
    spec.iterations = iterations;
    return spec;
}

void addSearchValues(SearchSpec& spec, const std::string& text)
{
    const auto equals = text.find('=');
    const std::string name = equals == std::string::npos ? std::string() : trimmed(text.substr(0, equals));
    if (name.empty())
        throw core::InvalidParameter("'" + text + "' is not KEY=V1,V2,... — write e.g. C=0.1,1,10 or "
                                                  "C=loguniform(0.01,100)");
    if (spec.space.count(name))
        throw core::InvalidParameter("the search already has values for '" + name + "' — give each parameter once");
    const std::string valuesText = trimmed(text.substr(equals + 1));
    const auto bracket = valuesText.find_first_of("()");
    if (bracket != std::string::npos && valuesText.find(',') < bracket)
        throw core::InvalidParameter("'" + text + "': a distribution stands alone — give either one "
                                                  "distribution or a list of values");
    if (parseDistribution(valuesText)) {
        spec.space[name] = {withoutSpaces(valuesText)};
        return;
    }
    std::vector<std::string> values;
    std::size_t start = 0;
    for (;;) {
        const auto comma = valuesText.find(',', start);
        const std::string value =
            trimmed(valuesText.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (value.empty())
            throw core::InvalidParameter("'" + text + "' has an empty value — write e.g. " + name + "=1,2,3");
        values.push_back(value);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    spec.space[name] = std::move(values);
}

std::string searchKindText(const SearchSpec& spec)
{
    return spec.kind == SearchKind::Grid ? std::string("grid") : "random:" + std::to_string(spec.iterations);
}

std::string searchValuesText(const std::string& name, const std::vector<std::string>& values)
{
    std::string text = name;
    text.append("=");
    for (std::size_t i = 0; i < values.size(); ++i)
        text.append(i == 0 ? "" : ",").append(values[i]);
    return text;
}

std::vector<std::map<std::string, std::string>> searchCandidates(
    const SearchSpec& spec, const std::vector<core::ParamSpec>& table,
    const std::map<std::string, std::string>& base, const std::string& model, std::uint64_t seed)
{
    if (spec.space.empty())
        throw core::InvalidParameter("the search of " + model +
                                     " has no parameters to vary — give at least one with the values to try, "
                                     "e.g. --grid " + (table.empty() ? std::string("KEY") : table.front().name) +
                                     "=V1,V2");
    core::resolveParams(table, base, model);
    // std::map iterates in name order, as ParameterGrid sorts the keys.
    std::vector<Dimension> dimensions;
    for (const auto& [name, values] : spec.space)
        dimensions.push_back(checkedDimension(spec, name, values, table, model));
    const bool allLists = std::none_of(dimensions.begin(), dimensions.end(),
                                       [](const Dimension& d) { return d.distribution.has_value(); });
    const std::optional<std::uint64_t> size = allLists ? gridSize(dimensions) : std::nullopt;

    std::vector<std::map<std::string, std::string>> candidates;
    if (spec.kind == SearchKind::Grid) {
        if (!size || *size > kMaxCandidates) {
            std::string sizes;
            for (const Dimension& d : dimensions)
                sizes.append(sizes.empty() ? "" : " × ").append(std::to_string(d.values.size()));
            throw core::InvalidParameter("the grid has " + sizes + (size ? " = " + std::to_string(*size) : "") +
                                         " candidates, more than 10,000 — list fewer values or use a random "
                                         "search (random:N)");
        }
        for (std::uint64_t i = 0; i < *size; ++i)
            candidates.push_back(gridPoint(dimensions, i, base));
        return candidates;
    }

    if (spec.iterations < 1 || spec.iterations > static_cast<int>(kMaxCandidates))
        throw core::InvalidParameter("a random search draws " + std::to_string(spec.iterations) +
                                     " candidates — draw between 1 and 10000");
    core::RandomSource random(core::RandomSource::deriveSeed(seed, kSearchStream));
    const auto iterations = static_cast<std::size_t>(spec.iterations);
    if (size) {
        // Every parameter is a list: ParameterSampler draws grid points without replacement
        // (all of them, in random order, when the grid is smaller than the draws).
        const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(*size, iterations));
        for (std::uint64_t index : sampleWithoutReplacement(*size, count, random))
            candidates.push_back(gridPoint(dimensions, index, base));
        return candidates;
    }
    if (allLists) {
        // A grid beyond 2^64 points: independent draws are distinct almost surely; the
        // rare repeat is drawn again.
        std::set<std::map<std::string, std::string>> seen;
        while (candidates.size() < iterations) {
            std::map<std::string, std::string> point = base;
            for (const Dimension& dimension : dimensions)
                point[dimension.name] = drawValue(dimension, random);
            if (seen.insert(point).second)
                candidates.push_back(std::move(point));
        }
        return candidates;
    }
    for (std::size_t i = 0; i < iterations; ++i) {
        std::map<std::string, std::string> point = base;
        for (const Dimension& dimension : dimensions)
            point[dimension.name] = drawValue(dimension, random);
        candidates.push_back(std::move(point));
    }
    return candidates;
}

} // namespace stepwise::workflow
