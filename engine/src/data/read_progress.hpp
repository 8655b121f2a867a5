#pragma once
/// \file
/// \brief The words of a reader's progress: how much of the file is read, in megabytes
/// and rows, written the same way by every reader ("Reading data.json — 1.2 of 4.5 MB,
/// 12 k rows").

#include <cstdint>
#include <filesystem>
#include <string>

#include "stepwise/core/number_text.hpp"

namespace stepwise::data {

/// \brief "1.2" or "12": megabytes, with one decimal when the whole (`total`) is under 10 MB.
inline std::string progressMegabytes(std::uint64_t bytes, std::uint64_t total)
{
    return core::formatFixed(static_cast<double>(bytes) / 1e6, total < 10'000'000 ? 1 : 0);
}

/// \brief "950 rows", "12 k rows", "1.2 M rows".
inline std::string progressRows(std::uint64_t rows)
{
    if (rows < 10'000)
        return std::to_string(rows) + (rows == 1 ? " row" : " rows");
    if (rows < 1'000'000)
        return core::formatFixed(static_cast<double>(rows) / 1e3, 0) + " k rows";
    return core::formatFixed(static_cast<double>(rows) / 1e6, 1) + " M rows";
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
