#pragma once
// numpy's legacy `RandomState`, as far as scikit-learn's permutation importance draws
// from it: the same 32-bit Mersenne Twister seeded the same way (std::mt19937 is MT19937
// with init_genrand, exactly what `RandomState(seed)` does for an integer seed), the
// masked rejection sampling of `randint` and of `shuffle`'s `random_interval`, so the
// same seed gives numpy's numbers.

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace stepwise::core {

class NumpyRandomState {
public:
    explicit NumpyRandomState(std::uint32_t seed) : m_engine(seed) {}

    std::uint32_t nextUint32() { return static_cast<std::uint32_t>(m_engine()); }

    // numpy's mt19937_next64: the first draw is the high word.
    std::uint64_t nextUint64()
    {
        const std::uint64_t high = nextUint32();
        return high << 32 | nextUint32();
    }

    // `randint(high)` for high in [1, 2**32] (legacy, int64 result): the draws masked to
    // the smallest covering power of two, rejected until in range.
    std::int64_t randint(std::uint64_t high)
    {
        const std::uint64_t range = high - 1;
        if (range == 0)
            return 0;
        if (range == 0xFFFFFFFFu)
            return nextUint32();
        const std::uint64_t mask = smallestMask(range);
        std::uint64_t value = 0;
        while ((value = nextUint32() & mask) > range) {
        }
        return static_cast<std::int64_t>(value);
    }

    // numpy's `random_interval`: uniform in [0, max].
    std::uint64_t interval(std::uint64_t max)
    {
        if (max == 0)
            return 0;
        const std::uint64_t mask = smallestMask(max);
        std::uint64_t value = 0;
        if (max <= 0xFFFFFFFFu) {
            while ((value = nextUint32() & mask) > max) {
            }
        } else {
            while ((value = nextUint64() & mask) > max) {
            }
        }
        return value;
    }

    // `shuffle` of a 1-d array: Fisher–Yates from the last element down.
    template <typename T>
    void shuffle(std::vector<T>& values)
    {
        for (std::size_t i = values.size(); i > 1; --i) {
            const auto j = static_cast<std::size_t>(interval(i - 1));
            std::swap(values[i - 1], values[j]);
        }
    }

private:
    static std::uint64_t smallestMask(std::uint64_t value)
    {
        std::uint64_t mask = value;
        for (int shift = 1; shift <= 32; shift *= 2)
            mask |= mask >> shift;
        return mask;
    }

    std::mt19937 m_engine;
};

} // namespace stepwise::core
