#pragma once
// How the CSV reader splits its work, adjustable for tests: results never depend on these
// settings, so tests shrink the chunks to make small texts cross many chunk boundaries, and
// limit the chunk buffers or the available memory to exercise the out-of-memory paths.

#include <cstddef>

namespace stepwise::data::csv_chunking {

/// Bytes of text per parallel parse chunk when nothing else is set: small enough that the
/// file pages in flight (one chunk per thread) stay a few MB, large enough that per-chunk
/// bookkeeping is noise.
inline constexpr std::size_t kDefaultChunkBytes = std::size_t(4) << 20;

/// Sets the chunk size in bytes (0 restores the default). Affects reads started afterwards.
void setChunkBytes(std::size_t bytes);
/// The chunk size in use.
std::size_t chunkBytes();

/// Makes chunk buffer allocations fail with `std::bad_alloc` once a single read has
/// allocated `bytes` of them, as if the system ran out of memory (0 = no limit).
void setBufferLimit(std::size_t bytes);
/// The limit in use (0 = none).
std::size_t bufferLimit();

/// Pretends the system has `bytes` of memory available (0 = ask the system), to exercise
/// the check that refuses a file whose columns cannot fit.
void setAvailableMemory(std::size_t bytes);
/// The memory a read may count on: the pretended amount, or `availableMemoryBytes()`
/// (0 = unknown).
std::size_t availableMemory();

} // namespace stepwise::data::csv_chunking
