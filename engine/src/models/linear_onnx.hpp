#pragma once
// The ONNX form shared by the linear models: scores = features · coefficientsᵀ + intercepts.

#include <string>

#include <Eigen/Core>

#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {

/// Float [N, vectors] scores of the [N, features] tensor `features` for the weight
/// vectors in the rows of `coefficients` (vectors × features) and one intercept each.
std::string linearScoresOnnx(io::OnnxGraph& graph, const std::string& features, const Eigen::MatrixXd& coefficients,
                             const Eigen::VectorXd& intercepts);

/// Throws NotFitted naming the model when `fitted` is false.
void requireFittedForExport(bool fitted, const std::string& model);

} // namespace stepwise::models
