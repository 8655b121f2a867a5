#pragma once
/// \file
/// \brief How many threads parallel engine work (forests, …) may use.
///
/// The thread count never changes a result: the same seed gives the same bits on 1 or 64
/// threads (tests/engine/tst_reproducibility.cpp checks every model end to end). The
/// engine keeps to four rules for that:
/// - Work is split by the data's size, never by the thread count: a sum over rows is
///   taken per fixed chunk and the chunks are added in order (`models/row_chunks.hpp`,
///   ridge's normal equations), or each value is summed by one thread in row order
///   (the boosting histograms, one share of features per thread).
/// - Random draws come from a stream derived from the seed and the task's index (a
///   forest's tree, a permuted column), not from a per-thread source.
/// - Parallel results land in slots indexed by the task (fold × model, tree, row block)
///   and are combined in index order, whatever order the threads finished in.
/// - Eigen's own OpenMP matrix product is off (`EIGEN_DONT_PARALLELIZE`, engine/CMakeLists):
///   it picks its depth blocking from the thread count, so its sums change with it.
/// Fits nested in a parallel loop (cross-validation, search) run single-threaded under the
/// rules above, so they equal the same fit run alone. Only measured times differ, and the
/// points of a live training curve that are paced by the clock (the linear solvers'
/// snapshots): the values at the steps both runs recorded are identical.

namespace stepwise::core {

/// \brief Limits parallel engine work to `threads` threads (≥ 1); results do not depend
/// on it. Throws `InvalidParameter` for values < 1.
void setThreadCount(int threads);
/// \brief The current limit (default: the number of cores).
int threadCount();

} // namespace stepwise::core
