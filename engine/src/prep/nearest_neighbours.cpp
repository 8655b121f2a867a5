#include "prep/nearest_neighbours.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>

#include "stepwise/core/errors.hpp"

namespace stepwise::prep {
namespace {

// Gram entries of one block of query rows against every row (8 MB per thread): blocks
// of a few dozen rows keep the matrix product near its peak rate.
constexpr Eigen::Index kBlockEntries = Eigen::Index(1) << 20;
// Multiply-adds between two progress reports (and cancel checks): well under 100 ms.
constexpr double kWorkPerChunk = double(1 << 26);
// Rows kept by the fast distance ‖b‖² − 2a·b before the exact re-ranking: a few more
// than k, so its rounding cannot push a true neighbour out.
constexpr int kExtraCandidates = 2;

struct Candidate {
    double distance;
    std::uint32_t index;
};

// Adds (distance, index) to `best`, sorted ascending and holding at most `capacity`
// entries; the caller has checked that it beats the current last one.
inline void insertCandidate(Candidate* best, int& filled, int capacity, double distance, std::uint32_t index)
{
    int at = filled < capacity ? filled++ : capacity - 1;
    while (at > 0 && best[at - 1].distance > distance) {
        best[at] = best[at - 1];
        --at;
    }
    best[at] = Candidate{distance, index};
}

} // namespace

std::vector<std::uint32_t> nearestNeighbours(const Eigen::MatrixXd& x, int k, core::TaskControl& control)
{
    const Eigen::Index n = x.rows();
    const Eigen::Index d = x.cols();
    if (k < 1 || k >= n) {
        std::string message = "nearest neighbours: k=";
        message.append(std::to_string(k)).append(" needs more than k rows and k >= 1, but there are ");
        message.append(std::to_string(n)).append(" rows — lower k");
        throw core::InvalidParameter(message);
    }
    const auto width = static_cast<std::size_t>(k);
    std::vector<std::uint32_t> neighbours(static_cast<std::size_t>(n) * width);
    // Centring leaves distances unchanged and keeps ‖a‖² − 2a·b + ‖b‖² from cancelling
    // when the rows sit far from the origin.
    const Eigen::RowVectorXd mean = x.colwise().mean();
    const Eigen::MatrixXd centred = x.rowwise() - mean;
    const Eigen::VectorXd norms = centred.rowwise().squaredNorm();
    const int capacity = static_cast<int>(std::min<Eigen::Index>(k + kExtraCandidates, n - 1));

    const Eigen::Index blockRows = std::clamp<Eigen::Index>(kBlockEntries / std::max<Eigen::Index>(n, 1), 8, 256);
    const double rowWork = static_cast<double>(n) * static_cast<double>(std::max<Eigen::Index>(d, 1));
    const Eigen::Index chunkBlocks = std::max<Eigen::Index>(1, static_cast<Eigen::Index>(kWorkPerChunk / rowWork) / blockRows);
    const Eigen::Index chunkRows = chunkBlocks * blockRows;

    for (Eigen::Index chunkStart = 0; chunkStart < n; chunkStart += chunkRows) {
        control.progress(static_cast<double>(chunkStart) / static_cast<double>(n));
        const Eigen::Index chunkEnd = std::min(n, chunkStart + chunkRows);
        const Eigen::Index blocks = (chunkEnd - chunkStart + blockRows - 1) / blockRows;
        // Every row's neighbours depend only on the data, so the split over threads does
        // not change the result.
#pragma omp parallel
        {
            Eigen::MatrixXd gram;
            std::vector<Candidate> best(static_cast<std::size_t>(capacity));
#pragma omp for schedule(static)
            for (Eigen::Index block = 0; block < blocks; ++block) {
                const Eigen::Index first = chunkStart + block * blockRows;
                const Eigen::Index count = std::min(blockRows, chunkEnd - first);
                gram.noalias() = centred * centred.middleRows(first, count).transpose();
                for (Eigen::Index q = 0; q < count; ++q) {
                    const Eigen::Index self = first + q;
                    const double* dot = gram.col(q).data();
                    const double* norm = norms.data();
                    // ‖b‖² − 2a·b is the squared distance less the query's own ‖a‖²: the
                    // same order, one multiply-add per row. Scanning upwards with a strict
                    // comparison keeps the lower index on ties.
                    int filled = 0;
                    double worst = std::numeric_limits<double>::infinity();
                    for (Eigen::Index m = 0; m < n; ++m) {
                        const double value = norm[m] - 2.0 * dot[m];
                        if (value < worst && m != self) {
                            insertCandidate(best.data(), filled, capacity, value, static_cast<std::uint32_t>(m));
                            if (filled == capacity)
                                worst = best[static_cast<std::size_t>(capacity - 1)].distance;
                        }
                    }
                    // Exact squared distances of the few candidates decide the final order.
                    for (int c = 0; c < filled; ++c) {
                        const auto other = static_cast<Eigen::Index>(best[static_cast<std::size_t>(c)].index);
                        double sum = 0.0;
                        for (Eigen::Index j = 0; j < d; ++j) {
                            const double diff = x(other, j) - x(self, j);
                            sum += diff * diff;
                        }
                        best[static_cast<std::size_t>(c)].distance = sum;
                    }
                    std::sort(best.begin(), best.begin() + filled, [](const Candidate& a, const Candidate& b) {
                        return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
                    });
                    std::uint32_t* out = neighbours.data() + static_cast<std::size_t>(self) * width;
                    for (std::size_t j = 0; j < width; ++j)
                        out[j] = best[j].index;
                }
            }
        }
    }
    control.progress(1.0);
    return neighbours;
}

} // namespace stepwise::prep
