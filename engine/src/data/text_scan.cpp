#include "text_scan.hpp"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace stepwise::data {
namespace {

constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

std::uint64_t load(const unsigned char* bytes)
{
    std::uint64_t word;
    std::memcpy(&word, bytes, sizeof word);
    return word;
}

/// Bytes at `begin` that continue a UTF-8 sequence whose lead byte lies before `begin`:
/// that sequence is checked by whoever checks the bytes before.
std::size_t continuationPrefix(const unsigned char* bytes, std::size_t size, std::size_t begin)
{
    for (std::size_t back = 1; back <= 3 && back <= begin; ++back) {
        const unsigned char c = bytes[begin - back];
        if ((c & 0xC0) == 0x80)
            continue;
        const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        std::size_t skip = 0;
        while (back + skip < length && begin + skip < size && (bytes[begin + skip] & 0xC0) == 0x80)
            ++skip;
        return skip;
    }
    return 0;
}

/// Checks the UTF-8 sequences starting in [from, to) (reading up to `size` to finish the
/// last one): the offset of the first invalid sequence, or kNoOffset with `next` set to
/// where the sequence after them starts. Overlong forms, surrogates and code points above
/// U+10FFFF are invalid, as in RFC 3629.
std::size_t checkUtf8(const unsigned char* bytes, std::size_t size, std::size_t from, std::size_t to,
                      std::size_t& next)
{
    std::size_t i = from;
    while (i < to) {
        while (i + 8 <= to && (load(bytes + i) & kHigh) == 0)
            i += 8;
        if (i >= to)
            break;
        const unsigned char c = bytes[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c == 0xE0) {
            length = 3;
            low = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            length = 3;
        } else if (c == 0xED) {
            length = 3;
            high = 0x9F;
        } else if (c == 0xF0) {
            length = 4;
            low = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            length = 4;
        } else if (c == 0xF4) {
            length = 4;
            high = 0x8F;
        } else {
            return i;
        }
        if (i + length > size || bytes[i + 1] < low || bytes[i + 1] > high)
            return i;
        for (std::size_t k = 2; k < length; ++k)
            if ((bytes[i + k] & 0xC0) != 0x80)
                return i;
        i += length;
    }
    next = i;
    return kNoOffset;
}

struct SpanCounts {
    std::uint64_t quotes = 0;
    std::uint64_t lineFeeds = 0;
    std::uint64_t returns = 0;
    bool special = false; ///< a byte >= 0x80 or a NUL
};

#ifdef __SSE2__
constexpr std::size_t kCountWidth = 16;

/// Counts in [begin, end) of at most 255 vectors: each compare gives -1 per matching byte,
/// subtracted into byte counters that are summed once at the end.
SpanCounts countSpan(const unsigned char* bytes, std::size_t begin, std::size_t end)
{
    SpanCounts counts;
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i lineFeed = _mm_set1_epi8('\n');
    const __m128i carriageReturn = _mm_set1_epi8('\r');
    const __m128i zero = _mm_setzero_si128();
    __m128i quotes = zero, lineFeeds = zero, returns = zero, special = zero;
    std::size_t i = begin;
    for (; i + 16 <= end; i += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
        quotes = _mm_sub_epi8(quotes, _mm_cmpeq_epi8(chunk, quote));
        lineFeeds = _mm_sub_epi8(lineFeeds, _mm_cmpeq_epi8(chunk, lineFeed));
        returns = _mm_sub_epi8(returns, _mm_cmpeq_epi8(chunk, carriageReturn));
        special = _mm_or_si128(special, _mm_or_si128(chunk, _mm_cmpeq_epi8(chunk, zero)));
    }
    const auto total = [&](__m128i counters) {
        const __m128i sums = _mm_sad_epu8(counters, zero);
        return static_cast<std::uint64_t>(_mm_cvtsi128_si32(sums)) +
               static_cast<std::uint64_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    };
    counts.quotes = total(quotes);
    counts.lineFeeds = total(lineFeeds);
    counts.returns = total(returns);
    counts.special = _mm_movemask_epi8(special) != 0;
    for (; i < end; ++i) {
        const unsigned char c = bytes[i];
        counts.quotes += c == '"';
        counts.lineFeeds += c == '\n';
        counts.returns += c == '\r';
        counts.special = counts.special || c >= 0x80 || c == 0;
    }
    return counts;
}
#else
constexpr std::size_t kCountWidth = 8;
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;

/// 0x01 in every byte of `word` equal to `byte`, 0x00 elsewhere. Exact: adding 0x7F to a
/// 7-bit value never carries into the next byte.
std::uint64_t matches(std::uint64_t word, unsigned char byte)
{
    const std::uint64_t x = word ^ (kOnes * byte);
    return (~(((x & kLow7) + kLow7) | x) & kHigh) >> 7;
}

/// Non-zero when some byte of `word` is zero.
std::uint64_t hasZeroByte(std::uint64_t word) { return (word - kOnes) & ~word & kHigh; }

/// Sum of the eight byte counters (each at most 255).
std::uint64_t sumBytes(std::uint64_t counters)
{
    const std::uint64_t pairs = (counters & 0x00FF00FF00FF00FFULL) + ((counters >> 8) & 0x00FF00FF00FF00FFULL);
    return (pairs * 0x0001000100010001ULL) >> 48;
}


/// Counts in [begin, end) of at most 255 words, with per-byte counters.
SpanCounts countSpan(const unsigned char* bytes, std::size_t begin, std::size_t end)
{
    SpanCounts counts;
    std::uint64_t quotes = 0, lineFeeds = 0, returns = 0, special = 0;
    std::size_t i = begin;
    for (; i + 8 <= end; i += 8) {
        const std::uint64_t word = load(bytes + i);
        quotes += matches(word, '"');
        lineFeeds += matches(word, '\n');
        returns += matches(word, '\r');
        special |= (word & kHigh) | hasZeroByte(word);
    }
    counts.quotes = sumBytes(quotes);
    counts.lineFeeds = sumBytes(lineFeeds);
    counts.returns = sumBytes(returns);
    for (; i < end; ++i) {
        const unsigned char c = bytes[i];
        counts.quotes += c == '"';
        counts.lineFeeds += c == '\n';
        counts.returns += c == '\r';
        special |= c >= 0x80 || c == 0;
    }
    counts.special = special != 0;
    return counts;
}
#endif

} // namespace

TextBlockScan scanTextBlock(std::string_view text, std::size_t begin, std::size_t end, bool checkUtf8Bytes)
{
    TextBlockScan scan;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    std::uint64_t carriageReturns = 0;
    std::size_t utf8Next = begin + continuationPrefix(bytes, size, begin);
    // Spans of at most 255 words (vectors), so that the per-byte counters cannot overflow.
    constexpr std::size_t kSpan = kCountWidth * 255;
    for (std::size_t spanBegin = begin; spanBegin < end; spanBegin += kSpan) {
        const std::size_t spanEnd = std::min(end, spanBegin + kSpan);
        const SpanCounts counts = countSpan(bytes, spanBegin, spanEnd);
        scan.quotes += counts.quotes;
        scan.lineBreaks += counts.lineFeeds;
        carriageReturns += counts.returns;
        if (!counts.special)
            continue;
        if (scan.firstNul == kNoOffset)
            if (const void* nul = std::memchr(bytes + spanBegin, 0, spanEnd - spanBegin))
                scan.firstNul = static_cast<std::size_t>(static_cast<const unsigned char*>(nul) - bytes);
        if (checkUtf8Bytes && scan.firstInvalidUtf8 == kNoOffset) {
            const std::size_t from = std::max(utf8Next, spanBegin);
            if (from < spanEnd)
                scan.firstInvalidUtf8 = checkUtf8(bytes, size, from, spanEnd, utf8Next);
        }
    }
    if (carriageReturns > 0) {
        // A CR followed by LF is one line break, counted at the LF.
        for (const char* p = text.data() + begin; p < text.data() + end; ++p) {
            p = static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(text.data() + end - p)));
            if (p == nullptr)
                break;
            const auto offset = static_cast<std::size_t>(p - text.data());
            scan.lineBreaks += offset + 1 >= size || text[offset + 1] != '\n';
        }
    }
    return scan;
}

std::uint64_t countLineBreaks(std::string_view text, std::size_t begin, std::size_t end)
{
    std::uint64_t count = 0;
    for (std::size_t i = begin; i < end; ++i)
        count += endsLine(text, i);
    return count;
}

std::string latin1ToUtf8(std::string_view text)
{
    std::string result;
    result.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            result.push_back(c);
        } else {
            result.push_back(static_cast<char>(0xC0 | (byte >> 6)));
            result.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
        }
    }
    return result;
}

} // namespace stepwise::data
