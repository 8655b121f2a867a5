#pragma once
// Min-max scaling of the numeric columns seen at fit time onto [0, 1], as
// scikit-learn's MinMaxScaler: (x − min) / (max − min); a constant column maps to 0.

#include "features/column_scaler.hpp"

namespace stepwise::features {

/// Maps each numeric training column's training range onto [0, 1].
class MinMaxScaler final : public ColumnScaler {
public:
    MinMaxScaler(std::vector<std::string> columns = {}) : ColumnScaler("min-max scaler", "min-max scaling", std::move(columns)) {}
    std::string kind() const override { return "min_max_scaler"; }

private:
    Scaling statistics(const std::vector<double>& values) const override;
    std::string effect() const override { return "to [0, 1] over the training range"; }
};

} // namespace stepwise::features
