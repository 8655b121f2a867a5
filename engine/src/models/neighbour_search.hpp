#pragma once
// Exact k-nearest-neighbour search for the kNN model, in two interchangeable indexes.
//
// Distances are scikit-learn's "reduced" ones computed exactly as its KDTree computes
// them: the sum over the features, in feature order, of (a - b)² (p = 2) or |a - b|
// (p = 1), then the square root for p = 2. Both indexes return the k training rows with the
// smallest of these values, nearest first; they differ only in how equal distances are
// ordered, which for classification votes never matters unless the tie straddles the
// k-th place:
//
// - KdTree is scikit-learn 1.2's KDTree step for step: the same node count (leaf_size),
//   the same split dimension (largest spread) and the same partition (std::nth_element
//   with scikit-learn's comparator, value then row index), the same depth-first search
//   (nearer child first, a node is skipped when its lower bound exceeds the current k-th
//   distance) and the same bounded max-heap (a distance equal to the current k-th is
//   rejected), sorted at the end with scikit-learn's quicksort. So ties break exactly as in
//   scikit-learn's kd_tree. The one difference: a node's lower bound squares with x·x
//   where scikit-learn calls pow(x, 2.0), which can differ in the last bit in rare cases;
//   that can only swap the visiting order of two nodes at the same bound.
// - BruteForceSearch orders by (distance, training-row index): among equal distances the
//   earlier training row comes first. (scikit-learn's brute force ranks Euclidean
//   distances by the expansion |x|² - 2x·y + |y|² through BLAS, whose rounding cannot be
//   reproduced, and breaks ties by its heap's evictions.) It is exact, not approximate: a
//   blocked single-precision pass (matrix-product style, 16 rows × 6 or 12 queries per step,
//   SIMD for AVX2 and AVX-512 chosen at run time) bounds every distance from below and above
//   with a proven error margin; only rows whose lower bound does not exceed the k-th
//   smallest upper bound get their exact double-precision distance. The rows are centred
//   and scaled by a power of two first, so the margin stays small whatever the data's
//   offset and scale, and for Euclidean distances rotated onto the principal components
//   that carry variance, so linearly dependent features cost nothing.
//
// Both parallelise over queries with OpenMP; every query is answered on its own, so the
// results do not depend on the thread count.

#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace stepwise::models {

/// The distance of the kNN model: Minkowski with p = 1 or p = 2.
enum class NeighbourMetric { Manhattan, Euclidean };

/// Rows × features with each row contiguous (the layout distance loops want).
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The k nearest training rows of each query, nearest first.
struct NeighbourLists {
    Eigen::Index k = 0;
    std::vector<std::int64_t> rows;  ///< queries × k, row-major: training-row indices
    std::vector<double> distances;   ///< queries × k, row-major: the metric's distances
};

/// scikit-learn's reduced distance between two rows of `features` values: the sum of
/// squared differences (Euclidean) or of absolute differences (Manhattan), added in
/// feature order.
double reducedDistance(const double* a, const double* b, Eigen::Index features, NeighbourMetric metric);

/// The distance a reduced distance stands for (square root for Euclidean).
double distanceFromReduced(double reduced, NeighbourMetric metric);

/// scikit-learn's KDTree (see the file comment). Holds the training rows in tree order.
class KdTree {
public:
    KdTree() = default;
    /// Builds the tree over `rows` (at least one row); `leafSize` >= 1.
    KdTree(const RowMatrix& rows, Eigen::Index leafSize, NeighbourMetric metric);

    /// The `k` nearest training rows of every query row (1 <= k <= training rows; the
    /// queries have the training rows' feature count).
    NeighbourLists query(const RowMatrix& queries, Eigen::Index k) const;

    /// How many training rows a query examines on average, measured on `queries` (one
    /// thread): what the search costs compared with a brute force over all rows.
    double meanVisitedRows(const RowMatrix& queries, Eigen::Index k) const;
    /// The training rows in their original order.
    RowMatrix originalRows() const;
    Eigen::Index rowCount() const { return m_rows.rows(); }
    Eigen::Index nodeCount() const { return static_cast<Eigen::Index>(m_nodes.size()); }

private:
    struct Node {
        Eigen::Index begin = 0; ///< first position (tree order) of the node's rows
        Eigen::Index end = 0;   ///< one past the last position
        bool leaf = false;
    };
    class Heap;

    void build(Eigen::Index node, Eigen::Index begin, Eigen::Index end, std::vector<std::int64_t>& order,
               const RowMatrix& rows);
    double nodeLowerBound(Eigen::Index node, const double* point) const;
    void search(Eigen::Index node, const double* point, double lowerBound, Heap& heap) const;

    NeighbourMetric m_metric = NeighbourMetric::Euclidean;
    RowMatrix m_rows;                 ///< training rows in tree order
    std::vector<std::int64_t> m_order; ///< original index of each row of m_rows
    std::vector<Node> m_nodes;
    std::vector<double> m_lower;      ///< nodes × features: per-node minimum of each feature
    std::vector<double> m_upper;      ///< nodes × features: per-node maximum
};

/// Exact brute-force search (see the file comment). Holds the training rows in their
/// original order plus a packed single-precision copy for the bounding pass.
class BruteForceSearch {
public:
    BruteForceSearch() = default;
    /// Prepares the search over `rows` (at least one row).
    BruteForceSearch(const RowMatrix& rows, NeighbourMetric metric);

    /// As KdTree::query.
    NeighbourLists query(const RowMatrix& queries, Eigen::Index k) const;

    const RowMatrix& rows() const { return m_rows; }

private:
    struct QueryBlock;
    void scanBlock(QueryBlock& block) const;
    void exactScan(QueryBlock& block, Eigen::Index query) const;

    NeighbourMetric m_metric = NeighbourMetric::Euclidean;
    RowMatrix m_rows;
    Eigen::RowVectorXd m_centre;  ///< training mean, subtracted before the bounding pass
    Eigen::MatrixXd m_rotation;   ///< features × components kept, or empty: no rotation
    Eigen::MatrixXd m_dropped;    ///< features × components left out
    double m_droppedRadius = 0.0; ///< largest length of a centred row in the left-out components
    double m_scale = 1.0;         ///< power of two applied after centring
    Eigen::Index m_dimensions = 0; ///< values per row in the bounding pass
    Eigen::Index m_panelCount = 0;
    /// Panels of 16 rows side by side, single precision: per panel the values (dimensions ×
    /// lanes), the per-row term of the bound (NaN for padding) and the per-row part of its
    /// error.
    std::vector<float> m_panels;
};

} // namespace stepwise::models
