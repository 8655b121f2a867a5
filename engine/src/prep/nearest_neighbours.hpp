#pragma once
// Exact k nearest neighbours of every row among the rows of one matrix (brute force), as
// scikit-learn's NearestNeighbors(n_neighbors=k + 1).kneighbors(X) finds them without the
// row itself; SMOTE interpolates towards them.

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "stepwise/core/task_control.hpp"

namespace stepwise::prep {

/// The k nearest other rows of every row of `x` (rows × features) by Euclidean distance,
/// nearest first, equal distances by lower row index: entry [i·k + j] is the (j+1)-th
/// neighbour of row i. Needs finite values; throws `InvalidParameter` unless
/// 1 <= k < rows. O(rows² · features) in blocked matrix products, parallel over rows (the
/// result does not depend on the thread count); reports progress and honours cancel
/// through `control`.
std::vector<std::uint32_t> nearestNeighbours(const Eigen::MatrixXd& x, int k, core::TaskControl& control);

} // namespace stepwise::prep
