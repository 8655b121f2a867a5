#include "stepwise/models/model.hpp"

#include "stepwise/core/errors.hpp"
#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::models {

Eigen::MatrixXd Model::decisionScores(const Eigen::MatrixXd& /*x*/) const
{
    throw core::InvalidParameter(name() + " has no decision scores — use its probabilities or predictions");
}

io::OnnxModelOutputs Model::exportOnnx(io::OnnxGraph& /*graph*/, const std::string& /*features*/) const
{
    throw core::UnsupportedExport("the " + name() +
                                  " model has no ONNX form — choose another model, or export the "
                                  "native .stepwise file or the Python script");
}

} // namespace stepwise::models
