#pragma once
/// \file
/// \brief Seeded random source. Same seed ⇒ same sequence on every platform and
/// standard library: the distributions are our own, not `std::*_distribution`
/// (whose output is implementation-defined).

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace stepwise::core {

/// \brief A 64-bit Mersenne Twister with portable uniform, normal and shuffle helpers.
class RandomSource {
public:
    /// \brief Seeded source; equal seeds give equal sequences.
    explicit RandomSource(std::uint64_t seed);

    /// \brief A child seed derived from this seed and `stream`, independent of how many
    /// numbers were drawn; used to give tree i of a forest its own reproducible stream
    /// whatever the thread count.
    static std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream);

    /// \brief Next raw 64-bit value.
    std::uint64_t next();
    /// \brief Uniform double in [0, 1).
    double uniform();
    /// \brief Uniform double in [low, high).
    double uniform(double low, double high);
    /// \brief Uniform integer in [0, n); n must be > 0.
    std::size_t below(std::size_t n);
    /// \brief Standard normal N(0, 1) (Marsaglia polar method).
    double normal();
    /// \brief Normal with the given mean and standard deviation.
    double normal(double mean, double stddev);

    /// \brief Fisher–Yates shuffle.
    template <typename T>
    void shuffle(std::vector<T>& values)
    {
        for (std::size_t i = values.size(); i > 1; --i) {
            std::size_t j = below(i);
            std::swap(values[i - 1], values[j]);
        }
    }

private:
    std::mt19937_64 m_engine;
    double m_spareNormal = 0.0;
    bool m_hasSpareNormal = false;
};

} // namespace stepwise::core
