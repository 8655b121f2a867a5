#include "stepwise/core/random.hpp"

#include <cmath>

namespace stepwise::core {

RandomSource::RandomSource(std::uint64_t seed) : m_engine(seed) {}

std::uint64_t RandomSource::deriveSeed(std::uint64_t seed, std::uint64_t stream)
{
    // SplitMix64 finaliser over (seed, stream): well-mixed, cheap, platform-independent.
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t RandomSource::next() { return m_engine(); }

double RandomSource::uniform()
{
    // 53 random bits → a double in [0, 1) exactly representable.
    return static_cast<double>(m_engine() >> 11) * 0x1.0p-53;
}

double RandomSource::uniform(double low, double high) { return low + (high - low) * uniform(); }

std::size_t RandomSource::below(std::size_t n)
{
    // Lemire's nearly-divisionless method: unbiased and portable.
    std::uint64_t x = m_engine();
    unsigned __int128 m = static_cast<unsigned __int128>(x) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - static_cast<std::uint64_t>(n)) % n;
        while (low < threshold) {
            x = m_engine();
            m = static_cast<unsigned __int128>(x) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::size_t>(m >> 64);
}

double RandomSource::normal()
{
    if (m_hasSpareNormal) {
        m_hasSpareNormal = false;
        return m_spareNormal;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    m_spareNormal = v * factor;
    m_hasSpareNormal = true;
    return u * factor;
}

double RandomSource::normal(double mean, double stddev) { return mean + stddev * normal(); }

} // namespace stepwise::core
