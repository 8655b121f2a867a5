#include "stepwise/data/synthetic.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <unordered_set>

#include <Eigen/Dense>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/core/random.hpp"

namespace stepwise::data {
namespace {

std::string formatValue(double value)
{
    std::string text = formatNumber(value);
    return text.empty() ? "nan" : text;
}

/// A computed value for a message, without floating-point noise (1.3, not 1.2999999999999998).
std::string formatRounded(double value)
{
    return core::formatGeneral(value, 6);
}

[[noreturn]] void invalid(const std::string& name, const std::string& value, const std::string& allowed)
{
    std::string message = name;
    message.append(": ");
    message.append(value);
    message.append(" is not allowed — ");
    message.append(allowed);
    throw core::InvalidParameter(message);
}

void requireAtLeast(const char* name, int value, int minimum)
{
    if (value < minimum)
        invalid(name, std::to_string(value), "use an integer ≥ " + std::to_string(minimum));
}

/// A standard normal matrix drawn row by row, like NumPy's `standard_normal(size=(r, c))`.
Eigen::MatrixXd standardNormal(Eigen::Index rows, Eigen::Index cols, core::RandomSource& random)
{
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j)
            m(i, j) = random.normal();
    return m;
}

/// A uniform [0, 1) matrix drawn row by row.
Eigen::MatrixXd uniformMatrix(Eigen::Index rows, Eigen::Index cols, core::RandomSource& random)
{
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j)
            m(i, j) = random.uniform();
    return m;
}

/// `count` distinct integers from [0, population), in random order (scikit-learn's
/// sample_without_replacement): a partial shuffle of the pool when it is small,
/// rejection sampling otherwise.
std::vector<std::uint64_t> sampleWithoutReplacement(std::uint64_t population, std::size_t count,
                                                    core::RandomSource& random)
{
    std::vector<std::uint64_t> result;
    result.reserve(count);
    if (population <= 4 * static_cast<std::uint64_t>(count)) {
        std::vector<std::uint64_t> pool(population);
        std::iota(pool.begin(), pool.end(), std::uint64_t{0});
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t j = i + random.below(static_cast<std::size_t>(population) - i);
            std::swap(pool[i], pool[j]);
            result.push_back(pool[i]);
        }
        return result;
    }
    std::unordered_set<std::uint64_t> seen;
    while (result.size() < count) {
        const std::uint64_t value = random.below(static_cast<std::size_t>(population));
        if (seen.insert(value).second)
            result.push_back(value);
    }
    return result;
}

/// Distinct vertices of the unit hypercube in `dimensions` dimensions (scikit-learn's
/// _generate_hypercube): binary codes of distinct integers, most significant bit first;
/// beyond 30 dimensions the leading coordinates are plain random bits.
Eigen::MatrixXd hypercubeVertices(int samples, int dimensions, core::RandomSource& random)
{
    Eigen::MatrixXd vertices(samples, dimensions);
    int offset = 0;
    if (dimensions > 30) {
        offset = dimensions - 30;
        for (int i = 0; i < samples; ++i)
            for (int j = 0; j < offset; ++j)
                vertices(i, j) = static_cast<double>(random.below(2));
        dimensions = 30;
    }
    const auto codes = sampleWithoutReplacement(std::uint64_t{1} << dimensions, static_cast<std::size_t>(samples),
                                                random);
    for (int i = 0; i < samples; ++i)
        for (int j = 0; j < dimensions; ++j)
            vertices(i, offset + j) = static_cast<double>((codes[static_cast<std::size_t>(i)] >> (dimensions - 1 - j)) & 1U);
    return vertices;
}

std::vector<std::size_t> permutation(std::size_t n, core::RandomSource& random)
{
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    random.shuffle(order);
    return order;
}

/// Rows in `rowOrder`, feature columns in `featureOrder`, then the target.
Table toTable(const Eigen::MatrixXd& x, const std::vector<double>& y, const std::vector<std::size_t>& rowOrder,
              const std::vector<std::size_t>& featureOrder)
{
    Table table;
    const std::size_t n = rowOrder.size();
    for (std::size_t j = 0; j < featureOrder.size(); ++j) {
        std::vector<double> values(n);
        const auto source = static_cast<Eigen::Index>(featureOrder[j]);
        for (std::size_t i = 0; i < n; ++i)
            values[i] = x(static_cast<Eigen::Index>(rowOrder[i]), source);
        table.addColumn(Column::numeric("feature_" + std::to_string(j), std::move(values)));
    }
    std::vector<double> target(n);
    for (std::size_t i = 0; i < n; ++i)
        target[i] = y[rowOrder[i]];
    table.addColumn(Column::numeric("target", std::move(target)));
    return table;
}

std::vector<std::size_t> identity(std::size_t n)
{
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    return order;
}

std::vector<double> checkedWeights(const ClassificationSpec& spec)
{
    const auto classes = static_cast<std::size_t>(spec.classes);
    if (spec.weights.empty())
        return std::vector<double>(classes, 1.0 / spec.classes);
    if (spec.weights.size() != classes && spec.weights.size() + 1 != classes)
        invalid("weights", std::to_string(spec.weights.size()) + " values",
                "give one proportion per class (" + std::to_string(classes) + "), or one fewer (" +
                    std::to_string(classes - 1) + ") and the last is inferred");
    std::vector<double> weights = spec.weights;
    double sum = 0.0;
    for (double w : weights) {
        if (!(w >= 0.0 && w <= 1.0))
            invalid("weights", formatValue(w), "each class proportion must be in [0, 1]");
        sum += w;
    }
    if (weights.size() + 1 == classes) {
        if (sum > 1.0 + 1e-9)
            invalid("weights", "sum " + formatRounded(sum),
                    "the given proportions must sum to at most 1 so the last class can take the rest");
        weights.push_back(std::max(0.0, 1.0 - sum));
    } else if (sum > 1.0 + 1e-9) {
        invalid("weights", "sum " + formatRounded(sum), "the class proportions must sum to at most 1");
    }
    return weights;
}

} // namespace

Table makeClassification(const ClassificationSpec& spec)
{
    requireAtLeast("samples", spec.samples, 1);
    requireAtLeast("features", spec.features, 1);
    requireAtLeast("informative", spec.informative, 1);
    requireAtLeast("redundant", spec.redundant, 0);
    requireAtLeast("repeated", spec.repeated, 0);
    requireAtLeast("classes", spec.classes, 2);
    requireAtLeast("clusters_per_class", spec.clustersPerClass, 1);
    const long long used = static_cast<long long>(spec.informative) + spec.redundant + spec.repeated;
    if (used > spec.features)
        invalid("features", std::to_string(spec.features),
                "informative + redundant + repeated = " + std::to_string(used) +
                    " must not exceed features; raise features or lower the others");
    const long long clusters = static_cast<long long>(spec.classes) * spec.clustersPerClass;
    if (spec.informative < 62 && clusters > (1LL << spec.informative))
        invalid("informative", std::to_string(spec.informative),
                "classes × clusters_per_class = " + std::to_string(clusters) +
                    " clusters need distinct hypercube corners, so 2^informative must be ≥ " +
                    std::to_string(clusters) + "; raise informative or lower classes/clusters_per_class");
    if (!(spec.flipY >= 0.0 && spec.flipY <= 1.0))
        invalid("flip_y", formatValue(spec.flipY), "use a fraction in [0, 1]");
    if (!(spec.classSep > 0.0) || !std::isfinite(spec.classSep))
        invalid("class_sep", formatValue(spec.classSep), "use a finite number > 0");
    if (!std::isfinite(spec.shift))
        invalid("shift", formatValue(spec.shift), "use a finite number");
    if (!(spec.scale > 0.0) || !std::isfinite(spec.scale))
        invalid("scale", formatValue(spec.scale), "use a finite number > 0");
    const std::vector<double> weights = checkedWeights(spec);

    core::RandomSource random(spec.seed);
    const int n = spec.samples;
    const int informative = spec.informative;
    const int useless = spec.features - static_cast<int>(used);
    const int nClusters = static_cast<int>(clusters);

    // Samples per cluster exactly as scikit-learn rounds them: truncate, then hand the
    // remainder out one by one in cluster order.
    std::vector<int> perCluster(static_cast<std::size_t>(nClusters));
    long long assigned = 0;
    for (int k = 0; k < nClusters; ++k) {
        perCluster[static_cast<std::size_t>(k)] =
            static_cast<int>(n * weights[static_cast<std::size_t>(k % spec.classes)] / spec.clustersPerClass);
        assigned += perCluster[static_cast<std::size_t>(k)];
    }
    for (long long i = 0; i < n - assigned; ++i)
        ++perCluster[static_cast<std::size_t>(i % nClusters)];

    Eigen::MatrixXd centroids = hypercubeVertices(nClusters, informative, random);
    centroids = (centroids * (2.0 * spec.classSep)).array() - spec.classSep;
    if (!spec.hypercube) {
        const Eigen::MatrixXd rowFactors = uniformMatrix(nClusters, 1, random);
        const Eigen::MatrixXd colFactors = uniformMatrix(1, informative, random);
        for (int k = 0; k < nClusters; ++k)
            for (int j = 0; j < informative; ++j)
                centroids(k, j) *= rowFactors(k, 0) * colFactors(0, j);
    }

    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n, spec.features);
    std::vector<double> y(static_cast<std::size_t>(n), 0.0);
    x.leftCols(informative) = standardNormal(n, informative, random);

    int stop = 0;
    for (int k = 0; k < nClusters; ++k) {
        const int start = std::min(stop, n);
        stop = std::min(stop + perCluster[static_cast<std::size_t>(k)], n);
        for (int i = start; i < stop; ++i)
            y[static_cast<std::size_t>(i)] = k % spec.classes;
        // A random linear map gives each cluster its own covariance.
        const Eigen::MatrixXd a = (2.0 * uniformMatrix(informative, informative, random)).array() - 1.0;
        auto block = x.block(start, 0, stop - start, informative);
        block = (block * a).eval();
        block.rowwise() += centroids.row(k);
    }

    if (spec.redundant > 0) {
        const Eigen::MatrixXd b = (2.0 * uniformMatrix(informative, spec.redundant, random)).array() - 1.0;
        x.middleCols(informative, spec.redundant) = x.leftCols(informative) * b;
    }
    if (spec.repeated > 0) {
        const int pool = informative + spec.redundant;
        for (int r = 0; r < spec.repeated; ++r) {
            const auto source = static_cast<Eigen::Index>((pool - 1) * random.uniform() + 0.5);
            x.col(pool + r) = x.col(source);
        }
    }
    if (useless > 0)
        x.rightCols(useless) = standardNormal(n, useless, random);

    if (spec.flipY > 0.0) {
        std::vector<std::size_t> flipped;
        for (int i = 0; i < n; ++i)
            if (random.uniform() < spec.flipY)
                flipped.push_back(static_cast<std::size_t>(i));
        for (std::size_t i : flipped)
            y[i] = static_cast<double>(random.below(static_cast<std::size_t>(spec.classes)));
    }

    x = (x.array() + spec.shift) * spec.scale;

    const auto rows = static_cast<std::size_t>(n);
    const auto features = static_cast<std::size_t>(spec.features);
    if (!spec.shuffle)
        return toTable(x, y, identity(rows), identity(features));
    const auto rowOrder = permutation(rows, random);
    const auto featureOrder = permutation(features, random);
    return toTable(x, y, rowOrder, featureOrder);
}

Table makeRegression(const RegressionSpec& spec)
{
    requireAtLeast("samples", spec.samples, 1);
    requireAtLeast("features", spec.features, 1);
    requireAtLeast("informative", spec.informative, 0);
    if (!(spec.noise >= 0.0) || !std::isfinite(spec.noise))
        invalid("noise", formatValue(spec.noise), "use a finite standard deviation ≥ 0");
    if (!std::isfinite(spec.bias))
        invalid("bias", formatValue(spec.bias), "use a finite number");

    core::RandomSource random(spec.seed);
    const int n = spec.samples;
    const int informative = std::min(spec.features, spec.informative);
    const Eigen::MatrixXd x = standardNormal(n, spec.features, random);
    Eigen::VectorXd weights = Eigen::VectorXd::Zero(spec.features);
    for (int j = 0; j < informative; ++j)
        weights(j) = 100.0 * random.uniform();
    Eigen::VectorXd target = (x * weights).array() + spec.bias;
    if (spec.noise > 0.0)
        for (int i = 0; i < n; ++i)
            target(i) += random.normal(0.0, spec.noise);

    std::vector<double> y(target.data(), target.data() + n);
    const auto rows = static_cast<std::size_t>(n);
    const auto features = static_cast<std::size_t>(spec.features);
    if (!spec.shuffle)
        return toTable(x, y, identity(rows), identity(features));
    const auto rowOrder = permutation(rows, random);
    const auto featureOrder = permutation(features, random);
    return toTable(x, y, rowOrder, featureOrder);
}

Table makeBlobs(const BlobsSpec& spec)
{
    requireAtLeast("samples", spec.samples, 1);
    requireAtLeast("features", spec.features, 1);
    requireAtLeast("centers", spec.centers, 1);
    if (!(spec.clusterStd >= 0.0) || !std::isfinite(spec.clusterStd))
        invalid("cluster_std", formatValue(spec.clusterStd), "use a finite standard deviation ≥ 0");
    if (!std::isfinite(spec.boxMin) || !std::isfinite(spec.boxMax) || !(spec.boxMin < spec.boxMax)) {
        std::string box = "(";
        box.append(formatValue(spec.boxMin)).append(", ").append(formatValue(spec.boxMax)).append(")");
        invalid("center_box", box, "use finite bounds with min < max");
    }

    core::RandomSource random(spec.seed);
    const int n = spec.samples;
    Eigen::MatrixXd centers(spec.centers, spec.features);
    for (int c = 0; c < spec.centers; ++c)
        for (int j = 0; j < spec.features; ++j)
            centers(c, j) = random.uniform(spec.boxMin, spec.boxMax);

    Eigen::MatrixXd x(n, spec.features);
    std::vector<double> y(static_cast<std::size_t>(n));
    int row = 0;
    for (int c = 0; c < spec.centers; ++c) {
        const int count = n / spec.centers + (c < n % spec.centers ? 1 : 0);
        for (int i = 0; i < count; ++i, ++row) {
            for (int j = 0; j < spec.features; ++j)
                x(row, j) = random.normal(centers(c, j), spec.clusterStd);
            y[static_cast<std::size_t>(row)] = c;
        }
    }
    const auto rows = static_cast<std::size_t>(n);
    const auto features = identity(static_cast<std::size_t>(spec.features));
    return toTable(x, y, spec.shuffle ? permutation(rows, random) : identity(rows), features);
}

} // namespace stepwise::data
