#include "models/linear_onnx.hpp"

#include <vector>

#include "stepwise/core/errors.hpp"

namespace stepwise::models {

std::string linearScoresOnnx(io::OnnxGraph& graph, const std::string& features, const Eigen::MatrixXd& coefficients,
                             const Eigen::VectorXd& intercepts)
{
    const Eigen::Index vectors = coefficients.rows();
    const Eigen::Index width = coefficients.cols();
    std::vector<float> weights;  // features × vectors, row-major, for MatMul
    weights.reserve(static_cast<std::size_t>(vectors * width));
    for (Eigen::Index f = 0; f < width; ++f)
        for (Eigen::Index k = 0; k < vectors; ++k)
            weights.push_back(static_cast<float>(coefficients(k, f)));
    std::vector<float> bias;
    for (Eigen::Index k = 0; k < vectors; ++k)
        bias.push_back(static_cast<float>(intercepts(k)));
    const std::string product = graph.addNode("MatMul", {features, graph.constant(weights, {width, vectors})});
    return graph.addNode("Add", {product, graph.constant(bias, {vectors})});
}

void requireFittedForExport(bool fitted, const std::string& model)
{
    if (!fitted)
        throw core::NotFitted("the " + model + " model is not fitted — train it before exporting");
}

} // namespace stepwise::models
