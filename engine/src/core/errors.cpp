#include "stepwise/core/errors.hpp"

namespace stepwise::core {
namespace {

std::string withLocation(const std::string& message, const SourceLocation& location)
{
    if (location.source.empty() && location.line == 0)
        return message;
    std::string prefix = location.source;
    if (location.line > 0) {
        prefix.append(prefix.empty() ? "line " : ":");
        prefix.append(std::to_string(location.line));
        if (location.column > 0) {
            prefix.push_back(':');
            prefix.append(std::to_string(location.column));
        }
    }
    prefix.append(": ");
    prefix.append(message);
    return prefix;
}

} // namespace

DataError::DataError(const std::string& message) : Error(message), m_problem(message) {}

DataError::DataError(const std::string& message, SourceLocation location)
    : Error(withLocation(message, location)), m_location(std::move(location)), m_problem(message)
{
}

} // namespace stepwise::core
