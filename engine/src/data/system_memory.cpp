#include "data/system_memory.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <algorithm>
#include <sstream>

namespace stepwise::data {
namespace {

// The single number in a cgroup file, or nothing for "max" / an unreadable file.
bool readCgroupValue(const char* path, std::uint64_t& value)
{
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text == "max")
        return false;
    try {
        value = std::stoull(text);
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

} // namespace

std::uint64_t availableMemoryBytes()
{
    std::uint64_t available = 0;
    std::ifstream meminfo("/proc/meminfo");
    std::string line;
    while (std::getline(meminfo, line)) {
        if (line.rfind("MemAvailable:", 0) != 0)
            continue;
        std::istringstream fields(line.substr(13));
        std::uint64_t kilobytes = 0;
        if (fields >> kilobytes)
            available = kilobytes * 1024;
        break;
    }
    // In a container the cgroup limit is what the kernel enforces, not the host's memory.
    std::uint64_t limit = 0;
    std::uint64_t current = 0;
    if (readCgroupValue("/sys/fs/cgroup/memory.max", limit) &&
        readCgroupValue("/sys/fs/cgroup/memory.current", current)) {
        const std::uint64_t left = limit > current ? limit - current : 0;
        available = available == 0 ? left : std::min(available, left);
    }
    return available;
}

std::string formatBytes(std::uint64_t bytes)
{
    static constexpr std::array<const char*, 5> units = {"bytes", "KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1000.0 && unit + 1 < units.size()) {
        value /= 1000.0;
        ++unit;
    }
    std::array<char, 32> buffer{};
    if (unit == 0)
        std::snprintf(buffer.data(), buffer.size(), "%llu bytes", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(buffer.data(), buffer.size(), value < 10.0 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return buffer.data();
}

} // namespace stepwise::data
