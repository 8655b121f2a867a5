#include "models/row_chunks.hpp"

// These loops stream the whole training matrix once per solver evaluation; an AVX2 copy,
// chosen at load time on processors that have it, is about a fifth faster. Each
// processor always runs the same copy, so results stay independent of the thread count.
#if defined(__x86_64__) && defined(__GNUC__)
#define STEPWISE_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define STEPWISE_VECTOR_CLONES
#endif

namespace stepwise::models {

// Four columns per sweep: four input streams and the block's output, which stays in L1.
STEPWISE_VECTOR_CLONES void blockTimesVector(const Eigen::MatrixXd& x, Eigen::Index begin, Eigen::Index size, const double* w, double* z)
{
    const Eigen::Index ld = x.rows();
    const Eigen::Index d = x.cols();
    const double* base = x.data() + begin;
    double* __restrict out = z;
    for (Eigen::Index i = 0; i < size; ++i)
        out[i] = 0.0;
    Eigen::Index j = 0;
    for (; j + 4 <= d; j += 4) {
        const double* __restrict c0 = base + j * ld;
        const double* __restrict c1 = c0 + ld;
        const double* __restrict c2 = c1 + ld;
        const double* __restrict c3 = c2 + ld;
        const double w0 = w[j];
        const double w1 = w[j + 1];
        const double w2 = w[j + 2];
        const double w3 = w[j + 3];
        for (Eigen::Index i = 0; i < size; ++i)
            out[i] += c0[i] * w0 + c1[i] * w1 + c2[i] * w2 + c3[i] * w3;
    }
    for (; j < d; ++j) {
        const double* __restrict c0 = base + j * ld;
        const double w0 = w[j];
        for (Eigen::Index i = 0; i < size; ++i)
            out[i] += c0[i] * w0;
    }
}

STEPWISE_VECTOR_CLONES void blockTransposeTimesVector(const Eigen::MatrixXd& x, Eigen::Index begin, Eigen::Index size, const double* p,
                               double* g)
{
    const Eigen::Index ld = x.rows();
    const Eigen::Index d = x.cols();
    const double* base = x.data() + begin;
    const double* __restrict v = p;
    Eigen::Index j = 0;
    for (; j + 4 <= d; j += 4) {
        const double* __restrict c0 = base + j * ld;
        const double* __restrict c1 = c0 + ld;
        const double* __restrict c2 = c1 + ld;
        const double* __restrict c3 = c2 + ld;
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        for (Eigen::Index i = 0; i < size; ++i) {
            s0 += c0[i] * v[i];
            s1 += c1[i] * v[i];
            s2 += c2[i] * v[i];
            s3 += c3[i] * v[i];
        }
        g[j] += s0;
        g[j + 1] += s1;
        g[j + 2] += s2;
        g[j + 3] += s3;
    }
    for (; j < d; ++j) {
        const double* __restrict c0 = base + j * ld;
        double s0 = 0.0;
        for (Eigen::Index i = 0; i < size; ++i)
            s0 += c0[i] * v[i];
        g[j] += s0;
    }
}

Eigen::MatrixXd linearScores(const Eigen::MatrixXd& x, const Eigen::MatrixXd& coefficients,
                             const Eigen::VectorXd& intercepts)
{
    Eigen::MatrixXd scores(x.rows(), coefficients.rows());
    const Eigen::MatrixXd weights = coefficients.transpose(); // features × vectors
    const RowChunks chunks(x.rows(), x.cols());
    chunks.run([&](Eigen::Index chunk) {
        chunks.forEachBlock(chunk, [&](Eigen::Index begin, Eigen::Index size) {
            for (Eigen::Index k = 0; k < weights.cols(); ++k) {
                blockTimesVector(x, begin, size, weights.col(k).data(), scores.col(k).data() + begin);
                scores.col(k).segment(begin, size).array() += intercepts(k);
            }
        });
    });
    return scores;
}

} // namespace stepwise::models
