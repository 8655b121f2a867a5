#pragma once
// A fixed partition of the rows of a column-major matrix for parallel sums whose result
// does not depend on the thread count: the rows are split into chunks from the row and
// column counts alone, each chunk sums its rows into its own slot, and the caller
// reduces the slots in chunk order. Inside a chunk the rows are visited in cache-sized
// blocks, so a block read for the scores is still in cache when the gradient reads it.
// Beside it, the two matrix–vector kernels on such a block (Eigen's column-major GEMV
// makes one pass over the output per few columns, about twice as slow here).

#include <algorithm>

#include <Eigen/Core>

namespace stepwise::models {

class RowChunks {
public:
    /// The most chunks a partition has: enough for load balance on many cores, few
    /// enough that one partial result per chunk stays small.
    static constexpr Eigen::Index kMaxChunks = 64;
    /// Matrices with fewer values are processed on the calling thread.
    static constexpr Eigen::Index kMinParallelValues = Eigen::Index(1) << 17;

    /// `maxChunks` lowers the chunk count when each chunk's partial result is large.
    RowChunks(Eigen::Index rows, Eigen::Index columns, Eigen::Index maxChunks = kMaxChunks)
        : m_rows(rows),
          // About 256 KiB of doubles per block (within L2 beside the block's scores).
          m_blockRows(std::clamp<Eigen::Index>(32768 / std::max<Eigen::Index>(columns, 1), 64, 4096)),
          m_count(std::clamp<Eigen::Index>((rows + m_blockRows - 1) / m_blockRows, 1,
                                           std::clamp<Eigen::Index>(maxChunks, 1, kMaxChunks))),
          m_parallel(m_count > 1 && rows * columns >= kMinParallelValues)
    {
    }

    Eigen::Index count() const { return m_count; }
    /// Rows per cache block inside a chunk.
    Eigen::Index blockRows() const { return m_blockRows; }
    Eigen::Index begin(Eigen::Index chunk) const { return chunk * m_rows / m_count; }
    Eigen::Index end(Eigen::Index chunk) const { return (chunk + 1) * m_rows / m_count; }

    /// Calls `work(chunk)` for every chunk, on the OpenMP threads when the matrix is big
    /// enough to pay for waking them (an iterative solver calls this hundreds of times; on
    /// small data the wake-ups would cost more than the work, worse on a busy machine).
    /// `work` must not throw and must write only to its own chunk's slot.
    template <class Work>
    void run(Work&& work) const
    {
#pragma omp parallel for schedule(dynamic) if (m_parallel)
        for (Eigen::Index chunk = 0; chunk < m_count; ++chunk)
            work(chunk);
    }

    /// Calls `block(begin, size)` for the cache blocks of `chunk`, in row order.
    template <class Block>
    void forEachBlock(Eigen::Index chunk, Block&& block) const
    {
        const Eigen::Index last = end(chunk);
        for (Eigen::Index row = begin(chunk); row < last; row += m_blockRows)
            block(row, std::min(m_blockRows, last - row));
    }

private:
    Eigen::Index m_rows;
    Eigen::Index m_blockRows;
    Eigen::Index m_count;
    bool m_parallel;
};

/// x · coefficientsᵀ + intercepts (rows × coefficient rows), in parallel row chunks; each
/// output row depends on its input row only, so the thread count cannot change it.
Eigen::MatrixXd linearScores(const Eigen::MatrixXd& x, const Eigen::MatrixXd& coefficients,
                             const Eigen::VectorXd& intercepts);

/// z[0, size) = X[begin, begin + size) · w for the column-major `x`.
void blockTimesVector(const Eigen::MatrixXd& x, Eigen::Index begin, Eigen::Index size, const double* w, double* z);

/// g[j] += X[begin, begin + size)[:, j] · p for every column j of the column-major `x`.
void blockTransposeTimesVector(const Eigen::MatrixXd& x, Eigen::Index begin, Eigen::Index size, const double* p,
                               double* g);

} // namespace stepwise::models
