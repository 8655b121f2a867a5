#pragma once
// How much memory a load may still take, for refusing loads that cannot fit before
// they start (the kernel would rather kill the process than fail an allocation).

#include <cstdint>
#include <optional>
#include <string>

namespace stepwise::data {

/// Each limit the system puts on this process's memory, as read now; a limit that is not
/// set (or cannot be read) is empty.
struct MemoryLimits {
    std::optional<std::uint64_t> memAvailable;      ///< MemAvailable of /proc/meminfo
    std::optional<std::uint64_t> cgroupLeft;        ///< cgroup v2 memory.max − memory.current
    std::optional<std::uint64_t> addressSpaceLeft;  ///< RLIMIT_AS − the address space in use (VmSize)
    std::optional<std::uint64_t> dataLeft;          ///< RLIMIT_DATA − the data segment in use (VmData)
};

/// The limits of this process now.
MemoryLimits readMemoryLimits();

/// The memory a load can take under `limits`: the smallest of them; 0 when no limit is
/// known (nothing to compare against), at least 1 otherwise.
std::uint64_t availableMemoryBytes(const MemoryLimits& limits);

/// `availableMemoryBytes(readMemoryLimits())`.
std::uint64_t availableMemoryBytes();

/// "3.1 GB", "250 MB", "12 KB" (decimal units, as file managers show sizes).
std::string formatBytes(std::uint64_t bytes);

} // namespace stepwise::data
