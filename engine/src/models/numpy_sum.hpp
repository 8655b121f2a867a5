#pragma once
// NumPy's pairwise summation (pairwise_sum in its umath loops), which np.sum uses along a
// contiguous axis: a plain running sum below 8 terms, eight running sums up to 128 terms,
// halves beyond. Models that reproduce scikit-learn to the last bit sum this way.

#include <Eigen/Core>

namespace stepwise::models {

inline double numpySum(const double* values, Eigen::Index count)
{
    if (count < 8) {
        double sum = -0.0;
        for (Eigen::Index i = 0; i < count; ++i)
            sum += values[i];
        return sum;
    }
    if (count <= 128) {
        double partial[8];
        for (int j = 0; j < 8; ++j)
            partial[j] = values[j];
        Eigen::Index i = 8;
        for (; i < count - count % 8; i += 8)
            for (int j = 0; j < 8; ++j)
                partial[j] += values[i + j];
        double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                     ((partial[4] + partial[5]) + (partial[6] + partial[7]));
        for (; i < count; ++i)
            sum += values[i];
        return sum;
    }
    Eigen::Index half = count / 2;
    half -= half % 8;
    return numpySum(values, half) + numpySum(values + half, count - half);
}

} // namespace stepwise::models
