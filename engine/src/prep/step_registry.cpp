#include <algorithm>

#include "prep/step_kinds.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::prep {
namespace {

std::vector<StepInfo> allKinds()
{
    std::vector<StepInfo> kinds;
    for (auto&& part : {cleaningStepKinds(), encodingStepKinds(), samplingStepKinds(), derivedStepKinds()})
        kinds.insert(kinds.end(), part.begin(), part.end());
    // Prep kinds first, keeping each part's own order.
    std::stable_sort(kinds.begin(), kinds.end(),
                     [](const StepInfo& a, const StepInfo& b) { return a.stage < b.stage; });
    return kinds;
}

} // namespace

const std::vector<StepInfo>& stepRegistry()
{
    static const std::vector<StepInfo> registry = allKinds();
    return registry;
}

const StepInfo& findStep(const std::string& kind)
{
    const auto& registry = stepRegistry();
    const auto it = std::find_if(registry.begin(), registry.end(), [&](const StepInfo& info) { return info.kind == kind; });
    if (it != registry.end())
        return *it;
    std::string names;
    for (const auto& info : registry) {
        if (!names.empty())
            names.append(", ");
        names.append(info.kind);
    }
    throw core::InvalidParameter("there is no pipeline step '" + kind + "' — use one of: " + names);
}

core::ParamValues resolveStepParams(const StepSpec& spec)
{
    return core::resolveParams(findStep(spec.kind).params, spec.params, spec.kind);
}

std::string formatStepArgument(const StepSpec& spec)
{
    std::string text = spec.kind;
    for (std::size_t i = 0; i < spec.columns.size(); ++i) {
        text.push_back(i == 0 ? '@' : ',');
        text.append(spec.columns[i]);
    }
    char separator = ':';
    for (const auto& [key, value] : spec.params) {
        text.push_back(separator);
        text.append(key);
        text.push_back('=');
        text.append(value);
        separator = ';';
    }
    return text;
}

StepSpec parseStepArgument(const std::string& text)
{
    const auto split = [](const std::string& list, char separator) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (;;) {
            const std::size_t at = list.find(separator, start);
            parts.push_back(list.substr(start, at == std::string::npos ? std::string::npos : at - start));
            if (at == std::string::npos)
                return parts;
            start = at + 1;
        }
    };
    const auto colon = text.find(':');
    const std::string head = text.substr(0, colon);
    const auto at = head.find('@');
    StepSpec step{head.substr(0, at), true, {}, {}};
    if (at != std::string::npos)
        step.columns = split(head.substr(at + 1), ',');
    if (colon != std::string::npos && colon + 1 < text.size())
        for (const std::string& pair : split(text.substr(colon + 1), ';')) {
            const auto equals = pair.find('=');
            if (equals == std::string::npos || equals == 0)
                throw core::InvalidParameter("--step '" + text + "': '" + pair +
                                             "' is not KEY=VALUE — write KIND[@COL,COL][:KEY=VALUE;KEY=VALUE]");
            step.params[pair.substr(0, equals)] = pair.substr(equals + 1);
        }
    findStep(step.kind);
    return step;
}

std::string describeStep(const StepSpec& spec)
{
    const StepInfo& info = findStep(spec.kind);
    std::string text = info.displayName;
    std::string details;
    for (const core::ParamSpec& param : info.params) {
        const auto given = spec.params.find(param.name);
        if (given == spec.params.end())
            continue;
        if (!details.empty())
            details.append(", ");
        details.append(param.name);
        details.push_back('=');
        details.append(given->second);
    }
    if (!details.empty()) {
        text.append(": ");
        text.append(details);
    }
    if (info.scope != ColumnScope::None) {
        text.append(" (");
        if (spec.columns.empty()) {
            text.append("all columns");
        } else {
            for (std::size_t i = 0; i < spec.columns.size(); ++i) {
                if (i > 0)
                    text.append(", ");
                text.append(spec.columns[i]);
            }
        }
        text.push_back(')');
    }
    if (!spec.enabled)
        text.append(" — off");
    return text;
}

} // namespace stepwise::prep
