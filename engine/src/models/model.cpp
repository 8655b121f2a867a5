#include "stepwise/models/model.hpp"

#include "stepwise/core/errors.hpp"

namespace stepwise::models {

Eigen::MatrixXd Model::decisionScores(const Eigen::MatrixXd& /*x*/) const
{
    throw core::InvalidParameter(name() + " has no decision scores — use its probabilities or predictions");
}

} // namespace stepwise::models
