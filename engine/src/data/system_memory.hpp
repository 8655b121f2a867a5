#pragma once
// How much memory a load may still take, for refusing loads that cannot fit before
// they start (the kernel would rather kill the process than fail an allocation).

#include <cstdint>
#include <string>

namespace stepwise::data {

/// Memory the system can give this process now: MemAvailable from /proc/meminfo, capped
/// by the cgroup's remaining allowance when one is set. 0 when neither can be read.
std::uint64_t availableMemoryBytes();

/// "3.1 GB", "250 MB", "12 KB" (decimal units, as file managers show sizes).
std::string formatBytes(std::uint64_t bytes);

} // namespace stepwise::data
