#include "models/neighbour_search.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <Eigen/Eigenvalues>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace stepwise::models {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------
// scikit-learn's sorting and heap, step for step (sklearn/utils/_sorting.pyx, _heap.pyx).

void dualSwap(double* values, std::int64_t* indices, Eigen::Index a, Eigen::Index b)
{
    std::swap(values[a], values[b]);
    std::swap(indices[a], indices[b]);
}

// simultaneous_sort: a quicksort with a median-of-three pivot. It is not stable; copying
// it keeps equal distances in the order scikit-learn returns them.
void simultaneousSort(double* values, std::int64_t* indices, Eigen::Index size)
{
    if (size <= 1)
        return;
    if (size == 2) {
        if (values[0] > values[1])
            dualSwap(values, indices, 0, 1);
        return;
    }
    if (size == 3) {
        if (values[0] > values[1])
            dualSwap(values, indices, 0, 1);
        if (values[1] > values[2]) {
            dualSwap(values, indices, 1, 2);
            if (values[0] > values[1])
                dualSwap(values, indices, 0, 1);
        }
        return;
    }
    Eigen::Index pivot = size / 2;
    if (values[0] > values[size - 1])
        dualSwap(values, indices, 0, size - 1);
    if (values[size - 1] > values[pivot]) {
        dualSwap(values, indices, size - 1, pivot);
        if (values[0] > values[size - 1])
            dualSwap(values, indices, 0, size - 1);
    }
    const double pivotValue = values[size - 1];
    Eigen::Index store = 0;
    for (Eigen::Index i = 0; i < size - 1; ++i) {
        if (values[i] < pivotValue) {
            dualSwap(values, indices, i, store);
            ++store;
        }
    }
    dualSwap(values, indices, store, size - 1);
    pivot = store;
    if (pivot > 1)
        simultaneousSort(values, indices, pivot);
    if (pivot + 2 < size)
        simultaneousSort(values + pivot + 1, indices + pivot + 1, size - pivot - 1);
}

// heap_push: a max-heap of fixed size whose root is the current k-th distance; a value not
// below the root is rejected, so among equal distances the one found first stays.
void heapPush(double* values, std::int64_t* indices, Eigen::Index size, double value, std::int64_t index)
{
    if (value >= values[0])
        return;
    Eigen::Index current = 0;
    for (;;) {
        const Eigen::Index left = 2 * current + 1;
        const Eigen::Index right = left + 1;
        Eigen::Index swap = 0;
        if (left >= size)
            break;
        if (right >= size) {
            if (values[left] > value)
                swap = left;
            else
                break;
        } else if (values[left] >= values[right]) {
            if (value < values[left])
                swap = left;
            else
                break;
        } else {
            if (value < values[right])
                swap = right;
            else
                break;
        }
        values[current] = values[swap];
        indices[current] = indices[swap];
        current = swap;
    }
    values[current] = value;
    indices[current] = index;
}

// scikit-learn's IndexComparator for the kd-tree partition: by the split feature, then by
// row index, so the two halves are the same sets whatever the algorithm's path.
struct IndexComparator {
    const double* data;
    Eigen::Index splitFeature;
    Eigen::Index features;
    bool operator()(const std::int64_t& a, const std::int64_t& b) const
    {
        const double aValue = data[a * features + splitFeature];
        const double bValue = data[b * features + splitFeature];
        return aValue == bValue ? a < b : aValue < bValue;
    }
};

// ---------------------------------------------------------------------------------------
// The brute force's bounding pass.
//
// Each training row gets bounds of its distance to the query in single precision, as one
// multiply-add per dimension (Euclidean: |x|² - 2q·x through the norm, Manhattan: the sum
// of |q - x| directly). The bound is computed as a "gap" that already has the query's
// threshold subtracted, so the test is one sign bit:
//     Euclidean: gap = offset(x) - threshold + Σ (-2q)·x,   offset = |x|²·(1 - c)
//     Manhattan: gap = offset(x) - threshold + Σ |q - x|,   offset = -c·Σ|x|
// with threshold = limit + c·(norm(q) + |limit|) + tiny rounded up, limit = the k-th
// smallest upper bound of s²·distance - |q|² (or s·distance) so far, c = (4d + 32)·2⁻²⁴.
// Every float operation on the way is off by at most 2⁻²⁴ of its operands, so a sum over
// d + 1 terms is off by at most (d + 2)·2⁻²⁴ of their magnitudes, which are bounded by the
// norms and |limit|; the converted training and query values are off by 2⁻²⁴ relatively.
// c covers twice the sum of these, so a row whose exact distance does not exceed the k-th
// always has a negative gap, and gap + threshold ± 2c·(norms + |threshold|) bounds the
// row's own value from both sides (QueryBlock).

constexpr int kLanes = 16;      // training rows side by side in one panel
constexpr int kWideTile = 12;   // queries sharing each panel load with 32 vector registers
constexpr int kNarrowTile = 6;  // ... with 16
constexpr Eigen::Index kBlockQueries = 96; // a multiple of both tiles
constexpr Eigen::Index kPanelsPerChunk = 160; // 2,560 rows: a chunk stays in the L2 cache
// A panel record holds, lane by lane, the row values of each bound dimension, then the
// offsets (the per-row term of the bound), then the per-row part of the bound's error:
// everything a scan and its candidates touch, in consecutive cache lines.
constexpr Eigen::Index kPanelExtra = 2;
// Beyond these (in units of the scaled training data) single precision or the exact
// double-precision sums could overflow or lose the margin; such data is scanned exactly.
constexpr double kMaxScaledQuery = 0x1p40;
constexpr double kMinCentredSpread = 0x1p-450;
constexpr double kMaxCentredSpread = 0x1p450;
constexpr double kTinyMargin = 0x1p-100;
// Candidates a query keeps (besides 8 per neighbour) before pruning them.
constexpr std::size_t kCandidateLimit = 4096;
// Principal components whose variance is below this share of the total are left out of the
// bound (they hold rounding noise of linearly dependent features).
constexpr double kNegligibleVariance = 1e-10;
// Relative error of rotating a row onto the principal components in double precision (an
// orthogonal matrix up to rounding), far above the actual 1e-15.
constexpr double kRotationSlack = 0x1p-36;

typedef float FloatLanes __attribute__((vector_size(kLanes * sizeof(float))));
typedef std::int32_t BitLanes __attribute__((vector_size(kLanes * sizeof(std::int32_t))));

constexpr BitLanes kSignBits = {INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN,
                                INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN};

// The next float above `value` (finite or -inf; +inf stays).
float nextUp(float value)
{
    if (value == std::numeric_limits<float>::infinity())
        return value;
    if (value == 0.0f)
        return std::numeric_limits<float>::denorm_min();
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    bits = value > 0.0f ? bits + 1 : bits - 1;
    std::memcpy(&value, &bits, sizeof bits);
    return value;
}

float roundedDown(double value)
{
    float result = static_cast<float>(value);
    if (static_cast<double>(result) > value)
        result = -nextUp(-result);
    return result;
}

float roundedUp(double value)
{
    float result = static_cast<float>(value);
    if (static_cast<double>(result) < value)
        result = nextUp(result);
    return result;
}

double marginFactor(Eigen::Index features) { return static_cast<double>(4 * features + 32) * 0x1p-24; }

// One tile of queries scanning a range of panels. Calls back (out of line, in the default
// target) with the lanes whose gap is negative.
struct TileScan {
    const float* panels = nullptr;  // panel records, see kPanelExtra
    Eigen::Index features = 0;
    const float* queries = nullptr; // tile × features (Euclidean: times -2)
    float* thresholds = nullptr;    // one per query of the tile; -inf for padding
    void (*onCandidates)(void* context, int tileQuery, Eigen::Index panel, std::uint32_t lanes,
                         const float* gaps) = nullptr;
    void* context = nullptr;
};

// Vectors travel by reference: passing them by value changes the ABI between targets.
[[gnu::always_inline]] inline void loadLanes(FloatLanes& lanes, const float* source)
{
    std::memcpy(&lanes, source, sizeof lanes);
}

[[gnu::always_inline]] inline void addBits(BitLanes& bits, const FloatLanes& lanes)
{
    BitLanes more;
    std::memcpy(&more, &lanes, sizeof more);
    bits |= more;
}

[[gnu::always_inline]] inline bool anySignBit(const BitLanes& any)
{
    BitLanes bits = any & kSignBits;
    bits |= __builtin_shufflevector(bits, bits, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    bits |= __builtin_shufflevector(bits, bits, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3);
    bits |= __builtin_shufflevector(bits, bits, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
    bits |= __builtin_shufflevector(bits, bits, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0);
    return bits[0] != 0;
}

std::uint32_t signBits(const float* values)
{
    std::uint32_t result = 0;
#if defined(__x86_64__)
    // movmskps is in every x86-64 processor.
    for (int quarter = 0; quarter < kLanes / 4; ++quarter)
        result |= static_cast<std::uint32_t>(_mm_movemask_ps(_mm_loadu_ps(values + 4 * quarter))) << (4 * quarter);
#else
    for (int lane = 0; lane < kLanes; ++lane)
        if (std::signbit(values[lane]))
            result |= 1u << lane;
#endif
    return result;
}

// The gaps of one panel for `Queries` queries of the tile.
template <NeighbourMetric Metric, int Queries>
[[gnu::always_inline]] inline void panelGaps(const TileScan& scan, const float* const* q, const float* limit,
                                             Eigen::Index panel, FloatLanes (&gap)[Queries])
{
    const Eigen::Index features = scan.features;
    FloatLanes offset;
    loadLanes(offset, scan.panels + (panel * (features + kPanelExtra) + features) * kLanes);
#pragma GCC unroll 12
    for (int i = 0; i < Queries; ++i)
        gap[i] = offset - limit[i];
    const float* values = scan.panels + panel * (features + kPanelExtra) * kLanes;
    for (Eigen::Index f = 0; f < features; ++f) {
        FloatLanes x;
        loadLanes(x, values + f * kLanes);
#pragma GCC unroll 12
        for (int i = 0; i < Queries; ++i) {
            if constexpr (Metric == NeighbourMetric::Euclidean) {
                gap[i] += q[i][f] * x;
            } else {
                const FloatLanes difference = q[i][f] - x;
                BitLanes magnitude;
                std::memcpy(&magnitude, &difference, sizeof magnitude);
                magnitude &= ~kSignBits;
                FloatLanes absolute;
                std::memcpy(&absolute, &magnitude, sizeof absolute);
                gap[i] += absolute;
            }
        }
    }
}

// A panel where some lane passed: hands each query's passing lanes (the sign bits of its
// gaps) to the exact check. Out of line, so the fast loop keeps its gaps in registers.
[[gnu::noinline]] void collectCandidates(const TileScan& scan, const FloatLanes* gaps, int queries, Eigen::Index panel)
{
    float values[kLanes];
    for (int i = 0; i < queries; ++i) {
        std::memcpy(values, &gaps[i], sizeof values);
        const std::uint32_t lanes = signBits(values);
        if (lanes != 0)
            scan.onCandidates(scan.context, i, panel, lanes, values);
    }
}

// `Queries` queries share each panel load; their accumulators must fit in the registers
// (12 of the 32 on AVX-512, 6 elsewhere).
template <NeighbourMetric Metric, int Queries>
[[gnu::always_inline]] inline void scanTile(const TileScan& scan, Eigen::Index panelBegin, Eigen::Index panelEnd)
{
    const float* q[Queries];
    for (int i = 0; i < Queries; ++i)
        q[i] = scan.queries + i * scan.features;
    float limit[Queries];
    for (int i = 0; i < Queries; ++i)
        limit[i] = scan.thresholds[i];
    for (Eigen::Index panel = panelBegin; panel < panelEnd; ++panel) {
        FloatLanes gap[Queries];
        panelGaps<Metric, Queries>(scan, q, limit, panel, gap);
        BitLanes any{};
#pragma GCC unroll 12
        for (int i = 0; i < Queries; ++i)
            addBits(any, gap[i]);
        if (!anySignBit(any)) [[likely]]
            continue;
        FloatLanes passed[Queries];
        for (int i = 0; i < Queries; ++i)
            passed[i] = gap[i];
        collectCandidates(scan, passed, Queries, panel);
        for (int i = 0; i < Queries; ++i)
            limit[i] = scan.thresholds[i];
    }
}

// A scan of one tile over a range of panels, and how many queries its tile has.
struct TileKernel {
    void (*scan)(const TileScan&, Eigen::Index, Eigen::Index) = nullptr;
    int queries = 0;
};

#if defined(__x86_64__)
__attribute__((target("arch=x86-64-v4"))) void scanEuclideanAvx512(const TileScan& scan, Eigen::Index begin,
                                                                   Eigen::Index end)
{
    scanTile<NeighbourMetric::Euclidean, kWideTile>(scan, begin, end);
}

__attribute__((target("arch=x86-64-v4"))) void scanManhattanAvx512(const TileScan& scan, Eigen::Index begin,
                                                                   Eigen::Index end)
{
    scanTile<NeighbourMetric::Manhattan, kWideTile>(scan, begin, end);
}

__attribute__((target("arch=x86-64-v3"))) void scanEuclideanAvx2(const TileScan& scan, Eigen::Index begin,
                                                                 Eigen::Index end)
{
    scanTile<NeighbourMetric::Euclidean, kNarrowTile>(scan, begin, end);
}

__attribute__((target("arch=x86-64-v3"))) void scanManhattanAvx2(const TileScan& scan, Eigen::Index begin,
                                                                 Eigen::Index end)
{
    scanTile<NeighbourMetric::Manhattan, kNarrowTile>(scan, begin, end);
}
#endif

void scanEuclideanBaseline(const TileScan& scan, Eigen::Index begin, Eigen::Index end)
{
    scanTile<NeighbourMetric::Euclidean, kNarrowTile>(scan, begin, end);
}

void scanManhattanBaseline(const TileScan& scan, Eigen::Index begin, Eigen::Index end)
{
    scanTile<NeighbourMetric::Manhattan, kNarrowTile>(scan, begin, end);
}

#if defined(__x86_64__)
// clang 14 knows only single features, not GCC's x86-64 levels (fuzz builds use clang).
bool cpuHasX86_64V3()
{
#if defined(__clang__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
#else
    return __builtin_cpu_supports("x86-64-v3");
#endif
}

bool cpuHasX86_64V4()
{
#if defined(__clang__)
    return cpuHasX86_64V3() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return __builtin_cpu_supports("x86-64-v4");
#endif
}
#endif

// The widest instruction set this processor has.
TileKernel tileKernel(NeighbourMetric metric)
{
    const bool euclidean = metric == NeighbourMetric::Euclidean;
#if defined(__x86_64__)
    if (cpuHasX86_64V4())
        return {euclidean ? scanEuclideanAvx512 : scanManhattanAvx512, kWideTile};
    if (cpuHasX86_64V3())
        return {euclidean ? scanEuclideanAvx2 : scanManhattanAvx2, kNarrowTile};
#endif
    return {euclidean ? scanEuclideanBaseline : scanManhattanBaseline, kNarrowTile};
}

} // namespace

double reducedDistance(const double* a, const double* b, Eigen::Index features, NeighbourMetric metric)
{
    double sum = 0.0;
    if (metric == NeighbourMetric::Euclidean) {
        for (Eigen::Index f = 0; f < features; ++f) {
            const double difference = a[f] - b[f];
            sum += difference * difference;
        }
    } else {
        for (Eigen::Index f = 0; f < features; ++f)
            sum += std::fabs(a[f] - b[f]);
    }
    return sum;
}

double distanceFromReduced(double reduced, NeighbourMetric metric)
{
    return metric == NeighbourMetric::Euclidean ? std::sqrt(reduced) : reduced;
}

// ---------------------------------------------------------------------------------------
// KdTree

class KdTree::Heap {
public:
    explicit Heap(Eigen::Index k) : m_values(static_cast<std::size_t>(k), kInfinity), m_rows(static_cast<std::size_t>(k), 0) {}
    void reset()
    {
        visited = 0;
        std::fill(m_values.begin(), m_values.end(), kInfinity);
        std::fill(m_rows.begin(), m_rows.end(), 0);
    }
    double largest() const { return m_values[0]; }
    std::int64_t visited = 0; ///< leaf rows whose distance was computed
    void push(double value, std::int64_t row)
    {
        heapPush(m_values.data(), m_rows.data(), static_cast<Eigen::Index>(m_values.size()), value, row);
    }
    void sort() { simultaneousSort(m_values.data(), m_rows.data(), static_cast<Eigen::Index>(m_values.size())); }
    const std::vector<double>& values() const { return m_values; }
    const std::vector<std::int64_t>& rows() const { return m_rows; }

private:
    std::vector<double> m_values;
    std::vector<std::int64_t> m_rows;
};

KdTree::KdTree(const RowMatrix& rows, Eigen::Index leafSize, NeighbourMetric metric) : m_metric(metric)
{
    const Eigen::Index count = rows.rows();
    const Eigen::Index features = rows.cols();
    // BinaryTree.__init__: leaves hold between leaf_size and 2·leaf_size rows.
    const double ratio = std::fmax(1.0, static_cast<double>(count - 1) / static_cast<double>(leafSize));
    const auto levels = static_cast<int>(std::log2(ratio) + 1.0);
    const Eigen::Index nodes = (Eigen::Index(1) << levels) - 1;
    m_nodes.assign(static_cast<std::size_t>(nodes), Node{});
    m_lower.assign(static_cast<std::size_t>(nodes * features), 0.0);
    m_upper.assign(static_cast<std::size_t>(nodes * features), 0.0);
    std::vector<std::int64_t> order(static_cast<std::size_t>(count));
    for (Eigen::Index i = 0; i < count; ++i)
        order[static_cast<std::size_t>(i)] = i;
    build(0, 0, count, order, rows);
    m_rows.resize(count, features);
    for (Eigen::Index i = 0; i < count; ++i)
        m_rows.row(i) = rows.row(order[static_cast<std::size_t>(i)]);
    m_order = std::move(order);
}

void KdTree::build(Eigen::Index node, Eigen::Index begin, Eigen::Index end, std::vector<std::int64_t>& order,
                   const RowMatrix& rows)
{
    const Eigen::Index features = rows.cols();
    double* lower = m_lower.data() + node * features;
    double* upper = m_upper.data() + node * features;
    std::fill(lower, lower + features, kInfinity);
    std::fill(upper, upper + features, -kInfinity);
    for (Eigen::Index i = begin; i < end; ++i) {
        const double* row = rows.data() + order[static_cast<std::size_t>(i)] * features;
        for (Eigen::Index f = 0; f < features; ++f) {
            lower[f] = row[f] < lower[f] ? row[f] : lower[f];
            upper[f] = row[f] > upper[f] ? row[f] : upper[f];
        }
    }
    Node& data = m_nodes[static_cast<std::size_t>(node)];
    data.begin = begin;
    data.end = end;
    const auto nodeCount = static_cast<Eigen::Index>(m_nodes.size());
    if (2 * node + 1 >= nodeCount || end - begin < 2) {
        data.leaf = true;
        return;
    }
    data.leaf = false;
    // find_node_split_dim: the feature with the largest spread, the first on ties.
    const Eigen::Index count = end - begin;
    Eigen::Index split = 0;
    double widest = 0.0;
    for (Eigen::Index f = 0; f < features; ++f) {
        double high = rows(order[static_cast<std::size_t>(begin)], f);
        double low = high;
        for (Eigen::Index i = 1; i < count; ++i) {
            const double value = rows(order[static_cast<std::size_t>(begin + i)], f);
            high = value > high ? value : high;
            low = value < low ? value : low;
        }
        if (high - low > widest) {
            widest = high - low;
            split = f;
        }
    }
    const Eigen::Index middle = count / 2;
    std::int64_t* indices = order.data() + begin;
    std::nth_element(indices, indices + middle, indices + count, IndexComparator{rows.data(), split, features});
    build(2 * node + 1, begin, begin + middle, order, rows);
    build(2 * node + 2, begin + middle, end, order, rows);
}

double KdTree::nodeLowerBound(Eigen::Index node, const double* point) const
{
    // kd_tree.pyx min_rdist, using x + |x| = 2·max(x, 0).
    const Eigen::Index features = m_rows.cols();
    const double* lower = m_lower.data() + node * features;
    const double* upper = m_upper.data() + node * features;
    double bound = 0.0;
    for (Eigen::Index f = 0; f < features; ++f) {
        const double below = lower[f] - point[f];
        const double above = point[f] - upper[f];
        const double gap = 0.5 * ((below + std::fabs(below)) + (above + std::fabs(above)));
        bound += m_metric == NeighbourMetric::Euclidean ? gap * gap : gap;
    }
    return bound;
}

void KdTree::search(Eigen::Index node, const double* point, double lowerBound, Heap& heap) const
{
    // _query_single_depthfirst.
    if (lowerBound > heap.largest())
        return;
    const Node& data = m_nodes[static_cast<std::size_t>(node)];
    const Eigen::Index features = m_rows.cols();
    if (data.leaf) {
        heap.visited += data.end - data.begin;
        for (Eigen::Index i = data.begin; i < data.end; ++i)
            heap.push(reducedDistance(point, m_rows.data() + i * features, features, m_metric),
                      m_order[static_cast<std::size_t>(i)]);
        return;
    }
    const Eigen::Index first = 2 * node + 1;
    const Eigen::Index second = first + 1;
    const double firstBound = nodeLowerBound(first, point);
    const double secondBound = nodeLowerBound(second, point);
    if (firstBound <= secondBound) {
        search(first, point, firstBound, heap);
        search(second, point, secondBound, heap);
    } else {
        search(second, point, secondBound, heap);
        search(first, point, firstBound, heap);
    }
}

NeighbourLists KdTree::query(const RowMatrix& queries, Eigen::Index k) const
{
    const Eigen::Index count = queries.rows();
    NeighbourLists lists;
    lists.k = k;
    lists.rows.resize(static_cast<std::size_t>(count * k));
    lists.distances.resize(static_cast<std::size_t>(count * k));
    // Threads only pay for more than a few hundred thousand distances.
#pragma omp parallel if (count * m_rows.rows() > 200000)
    {
        Heap heap(k);
#pragma omp for schedule(dynamic, 16)
        for (Eigen::Index q = 0; q < count; ++q) {
            heap.reset();
            const double* point = queries.data() + q * queries.cols();
            search(0, point, nodeLowerBound(0, point), heap);
            heap.sort();
            for (Eigen::Index j = 0; j < k; ++j) {
                const auto slot = static_cast<std::size_t>(q * k + j);
                lists.rows[slot] = heap.rows()[static_cast<std::size_t>(j)];
                lists.distances[slot] = distanceFromReduced(heap.values()[static_cast<std::size_t>(j)], m_metric);
            }
        }
    }
    return lists;
}

double KdTree::meanVisitedRows(const RowMatrix& queries, Eigen::Index k) const
{
    Heap heap(k);
    std::int64_t visited = 0;
    for (Eigen::Index q = 0; q < queries.rows(); ++q) {
        heap.reset();
        const double* point = queries.data() + q * queries.cols();
        search(0, point, nodeLowerBound(0, point), heap);
        visited += heap.visited;
    }
    return queries.rows() == 0 ? 0.0 : static_cast<double>(visited) / static_cast<double>(queries.rows());
}

RowMatrix KdTree::originalRows() const
{
    RowMatrix rows(m_rows.rows(), m_rows.cols());
    for (Eigen::Index i = 0; i < m_rows.rows(); ++i)
        rows.row(m_order[static_cast<std::size_t>(i)]) = m_rows.row(i);
    return rows;
}

// ---------------------------------------------------------------------------------------
// BruteForceSearch

BruteForceSearch::BruteForceSearch(const RowMatrix& rows, NeighbourMetric metric) : m_metric(metric), m_rows(rows)
{
    const Eigen::Index count = rows.rows();
    const Eigen::Index features = rows.cols();
    m_centre = Eigen::RowVectorXd::Zero(features);
    for (Eigen::Index i = 0; i < count; ++i)
        m_centre += rows.row(i);
    m_centre /= static_cast<double>(count);
    // Row by row (no copies of the data): the spread, and the scatter matrix for the
    // principal components. Plain loops, not Eigen's (multi-threaded) matrix product.
    double spread = 0.0;
    Eigen::MatrixXd scatter = Eigen::MatrixXd::Zero(features, features);
    Eigen::RowVectorXd centred(features);
    for (Eigen::Index i = 0; i < count; ++i) {
        centred = rows.row(i) - m_centre;
        spread = std::max(spread, centred.cwiseAbs().maxCoeff());
        if (m_metric == NeighbourMetric::Euclidean)
            for (Eigen::Index a = 0; a < features; ++a)
                for (Eigen::Index b = 0; b <= a; ++b)
                    scatter(a, b) += centred(a) * centred(b);
    }
    if (spread < kMinCentredSpread || spread > kMaxCentredSpread) {
        // All rows (nearly) equal, or values whose squares leave double range: no bounding
        // pass, every query is scanned exactly.
        m_panelCount = 0;
        return;
    }
    if (m_metric == NeighbourMetric::Euclidean) {
        // Directions in which the training rows do not vary (linearly dependent features)
        // add nothing to their distances: the bound runs on the principal components that
        // carry the variance. Leaving out components only lowers a Euclidean lower bound.
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(scatter, Eigen::ComputeEigenvectors);
        const Eigen::VectorXd variances = solver.eigenvalues().cwiseMax(0.0);
        Eigen::Index kept = 0;
        while (kept < features && variances(features - 1 - kept) > kNegligibleVariance * variances.sum())
            ++kept;
        if (kept < features) {
            m_rotation = solver.eigenvectors().rightCols(kept).rowwise().reverse();
            m_dropped = solver.eigenvectors().leftCols(features - kept);
        }
    }
    const Eigen::Index dimensions = m_rotation.size() > 0 ? m_rotation.cols() : features;
    // A power of two keeps the scaling exact: the largest centred value lands in [64, 128).
    m_scale = std::ldexp(1.0, 6 - std::ilogb(spread));
    m_dimensions = dimensions;
    m_panelCount = (count + kLanes - 1) / kLanes;
    const Eigen::Index record = (dimensions + kPanelExtra) * kLanes;
    m_panels.assign(static_cast<std::size_t>(m_panelCount * record), 0.0f);
    for (Eigen::Index panel = 0; panel < m_panelCount; ++panel)
        for (Eigen::Index lane = 0; lane < kLanes; ++lane)
            m_panels[static_cast<std::size_t>(panel * record + dimensions * kLanes + lane)] =
                std::numeric_limits<float>::quiet_NaN();
    const double margin = marginFactor(dimensions);
    Eigen::RowVectorXd bounded(dimensions);
    for (Eigen::Index i = 0; i < count; ++i) {
        centred = rows.row(i) - m_centre;
        double rotation = 0.0;
        if (m_rotation.size() > 0) {
            bounded.noalias() = centred * m_rotation;
            // A rotation is exact only up to rounding, relative to the full row's size.
            rotation = kRotationSlack * centred.squaredNorm() * m_scale * m_scale;
            m_droppedRadius = std::max(m_droppedRadius, (centred * m_dropped).norm());
        } else {
            bounded = centred;
        }
        const Eigen::Index panel = i / kLanes;
        const Eigen::Index lane = i % kLanes;
        double norm = 0.0;
        for (Eigen::Index f = 0; f < dimensions; ++f) {
            const auto value = static_cast<float>(bounded(f) * m_scale);
            m_panels[static_cast<std::size_t>(panel * record + f * kLanes + lane)] = value;
            norm += m_metric == NeighbourMetric::Euclidean ? static_cast<double>(value) * value
                                                          : std::fabs(static_cast<double>(value));
        }
        // The per-row parts of the bound and of its error (see the scan and QueryBlock).
        float* extra = m_panels.data() + panel * record + dimensions * kLanes + lane;
        extra[0] = m_metric == NeighbourMetric::Euclidean ? roundedDown(norm - margin * norm - rotation)
                                                         : roundedDown(-margin * norm);
        extra[kLanes] = roundedUp(2.0 * margin * norm + rotation);
    }
}

// The state of one block of queries while it scans the training rows. Per query:
// - the k smallest upper bounds of s²·distance - |q|² (s·distance for Manhattan) seen so
//   far, which give the scan's threshold;
// - the candidates: every row that passed the threshold when it was scanned, with a lower
//   bound of the same quantity. At the end only candidates whose lower bound does not
//   exceed the k-th upper bound can be among the k nearest; they get their exact distance.
// Each bound is gap + threshold ± E, E = 2c·(norm(q) + norm(x) + |threshold|) + rotation
// slack + tiny: the gap's error analysis (see the scan) bounds its distance from the exact
// value by less than that on either side. The value is over the principal components kept:
// it is a lower bound of the full one as it is, an upper bound once the most the left-out
// components can add is added.
struct BruteForceSearch::QueryBlock {
    const BruteForceSearch* search = nullptr;
    const RowMatrix* queries = nullptr;
    Eigen::Index first = 0;
    Eigen::Index count = 0;
    Eigen::Index k = 0;
    std::vector<float> scaled;       // padded queries × dimensions, single precision
    std::vector<double> norm;        // per query: squared (or absolute) norm, scaled units
    std::vector<double> slack;       // per query: its part of E (rotation and tiny)
    std::vector<double> outside;     // per query: the most the left-out components can add
    std::vector<float> thresholds;   // padded queries
    std::vector<double> upper;       // queries × k: a max-heap of the k smallest upper bounds
    std::vector<Eigen::Index> upperCount;
    std::vector<std::vector<std::pair<double, std::int64_t>>> candidates; // (lower bound, row)
    std::vector<std::vector<std::pair<double, std::int64_t>>> settled;    // (exact distance, row)
    std::vector<bool> exact;         // per query: scanned exactly, outside the bounding pass

    double margin() const { return marginFactor(search->m_dimensions); }
    std::size_t candidateLimit() const { return kCandidateLimit + 8 * static_cast<std::size_t>(k); }

    // The k-th smallest upper bound (the heap's top).
    double kthUpper(Eigen::Index query) const
    {
        return upperCount[static_cast<std::size_t>(query)] < k ? kInfinity : upper[static_cast<std::size_t>(query * k)];
    }

    void updateThreshold(Eigen::Index query)
    {
        const auto q = static_cast<std::size_t>(query);
        const double limit = kthUpper(query);
        // One step up turns "bound <= threshold" into the strict test the scan makes.
        thresholds[q] = nextUp(roundedUp(limit + margin() * (norm[q] + std::fabs(limit)) + slack[q] + kTinyMargin));
    }

    void addUpperBound(Eigen::Index query, double bound)
    {
        double* values = upper.data() + query * k;
        Eigen::Index& counted = upperCount[static_cast<std::size_t>(query)];
        if (counted < k) {
            values[counted++] = bound;
            std::push_heap(values, values + counted);
        } else if (bound < values[0]) {
            std::pop_heap(values, values + k);
            values[k - 1] = bound;
            std::push_heap(values, values + k);
        } else {
            return;
        }
        if (counted == k)
            updateThreshold(query);
    }

    // The exact distance of one row; only the k nearest by (distance, row) are kept, the
    // list is trimmed to them whenever it grows to four times k.
    void addExact(Eigen::Index query, std::int64_t row)
    {
        const Eigen::Index features = search->m_rows.cols();
        const double* point = queries->data() + (first + query) * features;
        auto& list = settled[static_cast<std::size_t>(query)];
        list.emplace_back(reducedDistance(point, search->m_rows.data() + row * features, features, search->m_metric),
                          row);
        if (static_cast<Eigen::Index>(list.size()) >= 4 * k + 64) {
            std::nth_element(list.begin(), list.begin() + (k - 1), list.end());
            list.resize(static_cast<std::size_t>(k));
        }
    }

    // The k nearest settled rows of `query`, nearest first, ties by row.
    void nearest(Eigen::Index query, std::int64_t* rows, double* distances) const
    {
        auto list = settled[static_cast<std::size_t>(query)];
        std::partial_sort(list.begin(), list.begin() + k, list.end());
        for (Eigen::Index j = 0; j < k; ++j) {
            distances[j] = distanceFromReduced(list[static_cast<std::size_t>(j)].first, search->m_metric);
            rows[j] = list[static_cast<std::size_t>(j)].second;
        }
    }

    // Lanes of one panel that passed the threshold of `query` (their gaps in `gaps`).
    void take(Eigen::Index query, Eigen::Index panel, std::uint32_t lanes, const float* gaps)
    {
        const auto q = static_cast<std::size_t>(query);
        const double threshold = thresholds[q];
        const double queryPart = 2.0 * margin() * (norm[q] + std::fabs(threshold)) + slack[q] + kTinyMargin;
        auto& list = candidates[q];
        const Eigen::Index rowCount = search->m_rows.rows();
        const Eigen::Index dimensions = search->m_dimensions;
        const float* rowSlack =
            search->m_panels.data() + (panel * (dimensions + kPanelExtra) + dimensions + 1) * kLanes;
        while (lanes != 0) {
            const int lane = __builtin_ctz(lanes);
            lanes &= lanes - 1;
            const Eigen::Index row = panel * kLanes + lane;
            // The first k rows seeded the bounds exactly (see scanBlock).
            if (row < k || row >= rowCount)
                continue;
            const double centre = static_cast<double>(gaps[lane]) + threshold;
            const double error = queryPart + rowSlack[lane];
            list.emplace_back(centre - error, row);
            addUpperBound(query, centre + error + outside[q]);
        }
        if (list.size() > candidateLimit())
            pruneCandidates(query);
    }

    // Drops the candidates that can no longer be among the k nearest; if too many remain
    // (bounds too loose to separate the rows), settles them exactly so the list stays small.
    void pruneCandidates(Eigen::Index query)
    {
        const auto q = static_cast<std::size_t>(query);
        const double kth = kthUpper(query);
        auto& list = candidates[q];
        list.erase(std::remove_if(list.begin(), list.end(), [kth](const auto& entry) { return entry.first > kth; }),
                   list.end());
        if (list.size() > candidateLimit() / 2) {
            for (const auto& entry : list)
                addExact(query, entry.second);
            list.clear();
        }
    }

    void finish(Eigen::Index query)
    {
        const auto q = static_cast<std::size_t>(query);
        const double kth = kthUpper(query);
        for (const auto& entry : candidates[q])
            if (entry.first <= kth)
                addExact(query, entry.second);
    }
};

namespace {

// Out of line and compiled for the default target: exact distances must be summed the
// way scikit-learn's compiled code does, without fused multiply-adds.
struct CandidateContext {
    void* block = nullptr;
    Eigen::Index tileFirst = 0; // block-relative index of the tile's first query
    void (*take)(void* block, Eigen::Index query, Eigen::Index panel, std::uint32_t lanes, const float* gaps) = nullptr;
};

[[gnu::noinline]] void takeCandidates(void* context, int tileQuery, Eigen::Index panel, std::uint32_t lanes,
                                      const float* gaps)
{
    auto& c = *static_cast<CandidateContext*>(context);
    c.take(c.block, c.tileFirst + tileQuery, panel, lanes, gaps);
}

} // namespace

void BruteForceSearch::exactScan(QueryBlock& block, Eigen::Index query) const
{
    for (Eigen::Index row = 0; row < m_rows.rows(); ++row)
        block.addExact(query, row);
}

void BruteForceSearch::scanBlock(QueryBlock& block) const
{
    const Eigen::Index features = m_rows.cols();
    const Eigen::Index dimensions = m_dimensions;
    const Eigen::Index k = block.k;
    const TileKernel kernel = tileKernel(m_metric);
    const Eigen::Index padded = ((block.count + kernel.queries - 1) / kernel.queries) * kernel.queries;
    block.scaled.assign(static_cast<std::size_t>(padded * dimensions), 0.0f);
    block.norm.assign(static_cast<std::size_t>(block.count), 0.0);
    block.slack.assign(static_cast<std::size_t>(block.count), 0.0);
    block.outside.assign(static_cast<std::size_t>(block.count), 0.0);
    block.thresholds.assign(static_cast<std::size_t>(padded), -std::numeric_limits<float>::infinity());
    block.upper.assign(static_cast<std::size_t>(block.count * k), kInfinity);
    block.upperCount.assign(static_cast<std::size_t>(block.count), 0);
    block.candidates.resize(static_cast<std::size_t>(std::max(block.count, Eigen::Index(block.candidates.size()))));
    block.settled.resize(block.candidates.size());
    for (auto& list : block.candidates)
        list.clear();
    for (auto& list : block.settled)
        list.clear();
    block.exact.assign(static_cast<std::size_t>(block.count), m_panelCount == 0);

    Eigen::RowVectorXd centred(features);
    Eigen::RowVectorXd bounded(dimensions);
    for (Eigen::Index q = 0; q < block.count; ++q) {
        if (block.exact[static_cast<std::size_t>(q)]) {
            exactScan(block, q);
            continue;
        }
        centred = block.queries->row(block.first + q) - m_centre;
        if (m_rotation.size() > 0) {
            bounded.noalias() = centred * m_rotation;
            block.slack[static_cast<std::size_t>(q)] = kRotationSlack * centred.squaredNorm() * m_scale * m_scale;
            // The left-out components add at most (|q| + |x|)² there to a squared distance.
            const double outside = ((centred * m_dropped).norm() + m_droppedRadius) * m_scale;
            block.outside[static_cast<std::size_t>(q)] = outside * outside * (1.0 + 0x1p-40);
        } else {
            bounded = centred;
        }
        double norm = 0.0;
        bool inRange = true;
        for (Eigen::Index f = 0; f < dimensions; ++f) {
            const double value = bounded(f) * m_scale;
            inRange = inRange && std::fabs(value) <= kMaxScaledQuery;
            const auto single = static_cast<float>(value);
            // Euclidean bounds take -2q (exact in binary floating point).
            block.scaled[static_cast<std::size_t>(q * dimensions + f)] =
                m_metric == NeighbourMetric::Euclidean ? -2.0f * single : single;
            norm += m_metric == NeighbourMetric::Euclidean ? static_cast<double>(single) * single
                                                          : std::fabs(static_cast<double>(single));
        }
        if (!inRange) {
            // Far outside the training rows: its bound would lose all precision.
            block.exact[static_cast<std::size_t>(q)] = true;
            exactScan(block, q);
            continue;
        }
        block.norm[static_cast<std::size_t>(q)] = norm;
        // The first k rows, exactly: their distances are upper bounds too, so the scan starts
        // with a finite threshold.
        for (Eigen::Index row = 0; row < k; ++row)
            block.addExact(q, row);
        for (const auto& [reduced, row] : block.settled[static_cast<std::size_t>(q)]) {
            const double bound = m_metric == NeighbourMetric::Euclidean ? (reduced * m_scale) * m_scale - norm
                                                                        : reduced * m_scale;
            block.addUpperBound(q, bound + 0x1p-50 * (std::fabs(bound) + norm) + kTinyMargin);
        }
    }

    if (m_panelCount > 0) {
        CandidateContext context;
        context.block = &block;
        context.take = [](void* owner, Eigen::Index query, Eigen::Index panel, std::uint32_t lanes, const float* gaps) {
            static_cast<QueryBlock*>(owner)->take(query, panel, lanes, gaps);
        };
        TileScan scan;
        scan.panels = m_panels.data();
        scan.features = dimensions;
        scan.onCandidates = takeCandidates;
        scan.context = &context;
        for (Eigen::Index chunk = 0; chunk < m_panelCount; chunk += kPanelsPerChunk) {
            const Eigen::Index chunkEnd = std::min(m_panelCount, chunk + kPanelsPerChunk);
            for (Eigen::Index tile = 0; tile < padded; tile += kernel.queries) {
                context.tileFirst = tile;
                scan.queries = block.scaled.data() + tile * dimensions;
                scan.thresholds = block.thresholds.data() + tile;
                kernel.scan(scan, chunk, chunkEnd);
            }
        }
    }
    for (Eigen::Index q = 0; q < block.count; ++q)
        if (!block.exact[static_cast<std::size_t>(q)])
            block.finish(q);
}

NeighbourLists BruteForceSearch::query(const RowMatrix& queries, Eigen::Index k) const
{
    const Eigen::Index count = queries.rows();
    NeighbourLists lists;
    lists.k = k;
    lists.rows.resize(static_cast<std::size_t>(count * k));
    lists.distances.resize(static_cast<std::size_t>(count * k));
    const Eigen::Index blocks = (count + kBlockQueries - 1) / kBlockQueries;
#pragma omp parallel if (blocks > 1)
    {
        QueryBlock block;
        block.search = this;
        block.queries = &queries;
        block.k = k;
#pragma omp for schedule(dynamic)
        for (Eigen::Index b = 0; b < blocks; ++b) {
            block.first = b * kBlockQueries;
            block.count = std::min(kBlockQueries, count - block.first);
            scanBlock(block);
            for (Eigen::Index q = 0; q < block.count; ++q) {
                const auto slot = static_cast<std::size_t>((block.first + q) * k);
                block.nearest(q, lists.rows.data() + slot, lists.distances.data() + slot);
            }
        }
    }
    return lists;
}

} // namespace stepwise::models
