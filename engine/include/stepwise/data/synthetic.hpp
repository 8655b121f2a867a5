#pragma once
/// \file
/// \brief Synthetic data generators equivalent to scikit-learn's `make_classification`,
/// `make_regression` and `make_blobs` (same algorithms; our own seeded random source,
/// so the numbers differ from NumPy's but the same seed always gives the same table).

#include <cstdint>
#include <vector>

#include "stepwise/data/table.hpp"

namespace stepwise::data {

/// \brief Parameters of `makeClassification`, named and defaulted as in scikit-learn.
struct ClassificationSpec {
    int samples = 100;
    int features = 20;
    int informative = 2;
    int redundant = 2;
    int repeated = 0;
    int classes = 2;
    int clustersPerClass = 2;
    std::vector<double> weights;  ///< class proportions; empty = balanced
    double flipY = 0.01;          ///< fraction of labels assigned at random
    double classSep = 1.0;        ///< hypercube size factor
    bool hypercube = true;
    double shift = 0.0;
    double scale = 1.0;
    bool shuffle = true;
    std::uint64_t seed = 0;
};

/// \brief Gaussian clusters on the vertices of a hypercube, one or more per class, with
/// redundant (linear combinations), repeated and noise features. Columns
/// `feature_0..feature_{F-1}` and an integer `target` (0..classes-1). Throws
/// `InvalidParameter` (naming the allowed range) for inconsistent settings.
Table makeClassification(const ClassificationSpec& spec);

/// \brief Parameters of `makeRegression`, as in scikit-learn.
struct RegressionSpec {
    int samples = 100;
    int features = 100;
    int informative = 10;
    double bias = 0.0;
    double noise = 0.0;
    bool shuffle = true;
    std::uint64_t seed = 0;
};

/// \brief A random linear model y = X·w + bias + N(0, noise²) over standard normal X,
/// with `informative` non-zero weights. Columns `feature_*` and a numeric `target`.
Table makeRegression(const RegressionSpec& spec);

/// \brief Parameters of `makeBlobs`, as in scikit-learn (centers drawn in the box).
struct BlobsSpec {
    int samples = 100;
    int features = 2;
    int centers = 3;
    double clusterStd = 1.0;
    double boxMin = -10.0;
    double boxMax = 10.0;
    bool shuffle = true;
    std::uint64_t seed = 0;
};

/// \brief Isotropic Gaussian blobs; columns `feature_*` and an integer `target`.
Table makeBlobs(const BlobsSpec& spec);

} // namespace stepwise::data
