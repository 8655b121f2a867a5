#pragma once
// Standard scaling of the numeric columns seen at fit time, as scikit-learn's
// StandardScaler: (x − mean) / std with the population std (ddof = 0); a column that is
// constant up to rounding keeps a divisor of 1.

#include "features/column_scaler.hpp"

namespace stepwise::features {

/// Centres each numeric training column on its training mean and divides by its std.
class StandardScaler final : public ColumnScaler {
public:
    StandardScaler(std::vector<std::string> columns = {}) : ColumnScaler("standard scaler", "standard scaling", std::move(columns)) {}
    std::string kind() const override { return "standard_scaler"; }

private:
    Scaling statistics(const std::vector<double>& values) const override;
    std::string effect() const override
    {
        return "(minus the training mean, divided by the training standard deviation)";
    }
};

} // namespace stepwise::features
