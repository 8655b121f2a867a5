#pragma once
/// \file
/// \brief The words of a reader's progress: how much of the file is read, in megabytes
/// and rows, written the same way by every reader ("Reading data.json — 1.2 of 4.5 MB,
/// 12 k rows").

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace stepwise::data {

/// \brief "1.2" or "12": megabytes, with one decimal when the whole (`total`) is under 10 MB.
inline std::string progressMegabytes(std::uint64_t bytes, std::uint64_t total)
{
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), total < 10'000'000 ? "%.1f" : "%.0f", static_cast<double>(bytes) / 1e6);
    return buffer.data();
}

/// \brief "950 rows", "12 k rows", "1.2 M rows".
inline std::string progressRows(std::uint64_t rows)
{
    std::array<char, 32> buffer{};
    if (rows < 10'000)
        std::snprintf(buffer.data(), buffer.size(), "%llu row%s", static_cast<unsigned long long>(rows),
                      rows == 1 ? "" : "s");
    else if (rows < 1'000'000)
        std::snprintf(buffer.data(), buffer.size(), "%.0f k rows", static_cast<double>(rows) / 1e3);
    else
        std::snprintf(buffer.data(), buffer.size(), "%.1f M rows", static_cast<double>(rows) / 1e6);
    return buffer.data();
}

/// \brief "12 k of 40 k rows".
inline std::string progressRowsOf(std::uint64_t rows, std::uint64_t total)
{
    std::string done = progressRows(rows);
    done.erase(done.rfind(" row"));
    done.append(" of ").append(progressRows(total));
    return done;
}

/// \brief The file name of `path`: progress has a line, not room for a path.
inline std::string progressName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

} // namespace stepwise::data
