#pragma once
// Names in messages: 'age', and lists of them: 'a', 'b', 'c'.

#include <string>
#include <string_view>
#include <vector>

namespace stepwise::data {

inline std::string inQuotes(std::string_view text)
{
    std::string result = "'";
    result.append(text);
    result.append("'");
    return result;
}

inline std::string joinQuoted(const std::vector<std::string>& names)
{
    std::string text;
    for (const auto& name : names) {
        if (!text.empty())
            text.append(", ");
        text.append(inQuotes(name));
    }
    return text;
}

} // namespace stepwise::data
