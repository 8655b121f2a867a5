#pragma once
// Byte-level passes every text read makes before parsing: counting quotes and line breaks
// (to cut the text into chunks at line breaks outside quotes, and to number lines), finding
// NUL bytes (binary files) and checking UTF-8. Word-at-a-time, no SIMD intrinsics.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stepwise::data {

/// An offset that was not found.
inline constexpr std::size_t kNoOffset = static_cast<std::size_t>(-1);

/// What one block of a text contains.
struct TextBlockScan {
    std::uint64_t quotes = 0;          ///< '"' bytes
    std::uint64_t lineBreaks = 0;      ///< line breaks ending in the block: LF, CRLF (once, at its LF), lone CR
    std::size_t firstNul = kNoOffset;  ///< offset of the first NUL byte
    std::size_t firstInvalidUtf8 = kNoOffset; ///< offset of the first byte that breaks UTF-8 (if checked)
};

/// Scans text[begin, end). A UTF-8 sequence is checked by the block it starts in, so the
/// bytes after `end` may be read to finish one (and to see whether a CR is part of a CRLF).
TextBlockScan scanTextBlock(std::string_view text, std::size_t begin, std::size_t end, bool checkUtf8);

/// Line breaks ending in text[begin, end), counted as `scanTextBlock` counts them.
std::uint64_t countLineBreaks(std::string_view text, std::size_t begin, std::size_t end);

/// Whether text[offset] ends a line: LF, or CR not followed by LF.
inline bool endsLine(std::string_view text, std::size_t offset)
{
    const char c = text[offset];
    return c == '\n' || (c == '\r' && (offset + 1 >= text.size() || text[offset + 1] != '\n'));
}

/// ISO-8859-1 bytes as UTF-8.
std::string latin1ToUtf8(std::string_view text);

} // namespace stepwise::data
