#include "data/system_memory.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <string_view>

#include <sys/resource.h>

#include "stepwise/core/number_text.hpp"

namespace stepwise::data {
namespace {

// The whole-number value at the start of `text` (after blanks); nothing when there is none.
std::optional<std::uint64_t> leadingNumber(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return std::nullopt;
    std::uint64_t value = 0;
    std::size_t i = first;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
        value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (i == first)
        return std::nullopt;
    return value;
}

// The single number in a cgroup file, or nothing for "max" / an unreadable file.
std::optional<std::uint64_t> readCgroupValue(const char* path)
{
    std::ifstream in(path);
    std::string text;
    if (!std::getline(in, text))
        return std::nullopt;
    return leadingNumber(text);
}

// "Key:   123 kB" lines of a /proc file, in bytes.
std::optional<std::uint64_t> readKilobytesField(const char* path, std::string_view key)
{
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() <= key.size() || line.compare(0, key.size(), key) != 0 || line[key.size()] != ':')
            continue;
        if (const auto kilobytes = leadingNumber(std::string_view(line).substr(key.size() + 1)))
            return *kilobytes * 1024;
        return std::nullopt;
    }
    return std::nullopt;
}

// What is left of a resource limit once `used` is taken; nothing when the limit is not set.
std::optional<std::uint64_t> rlimitLeft(int resource, std::optional<std::uint64_t> used)
{
    rlimit limit{};
    if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return std::nullopt;
    const auto cap = static_cast<std::uint64_t>(limit.rlim_cur);
    const std::uint64_t inUse = used.value_or(0);
    return cap > inUse ? cap - inUse : 0;
}

} // namespace

MemoryLimits readMemoryLimits()
{
    MemoryLimits limits;
    limits.memAvailable = readKilobytesField("/proc/meminfo", "MemAvailable");
    // In a container the cgroup limit is what the kernel enforces, not the host's memory.
    const auto max = readCgroupValue("/sys/fs/cgroup/memory.max");
    const auto current = readCgroupValue("/sys/fs/cgroup/memory.current");
    if (max && current)
        limits.cgroupLeft = *max > *current ? *max - *current : 0;
    // ulimit -v / -d: past these, allocations fail (and a program that does not expect it
    // aborts), whatever memory the machine has.
    limits.addressSpaceLeft = rlimitLeft(RLIMIT_AS, readKilobytesField("/proc/self/status", "VmSize"));
    limits.dataLeft = rlimitLeft(RLIMIT_DATA, readKilobytesField("/proc/self/status", "VmData"));
    return limits;
}

std::uint64_t availableMemoryBytes(const MemoryLimits& limits)
{
    std::uint64_t available = std::numeric_limits<std::uint64_t>::max();
    const auto cap = [&](std::optional<std::uint64_t> left) {
        if (left)
            available = std::min(available, *left);
    };
    cap(limits.memAvailable);
    cap(limits.cgroupLeft);
    cap(limits.dataLeft);
    cap(limits.addressSpaceLeft);
    if (available == std::numeric_limits<std::uint64_t>::max())
        return 0;
    // Zero would read as "not known": a limit that is used up leaves one byte.
    return std::max<std::uint64_t>(available, 1);
}

std::uint64_t availableMemoryBytes()
{
    return availableMemoryBytes(readMemoryLimits());
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
    if (unit == 0)
        return std::to_string(bytes) + " bytes";
    std::string text = core::formatFixed(value, value < 10.0 ? 1 : 0);
    return text.append(" ").append(units[unit]);
}

} // namespace stepwise::data
