#pragma once
// Robust scaling of the numeric columns seen at fit time, as scikit-learn's RobustScaler
// with its defaults: (x − median) / IQR, the IQR being the 75th minus the 25th percentile
// (NumPy's linear interpolation) of the present training values; an IQR below 10·eps
// keeps a divisor of 1, as scikit-learn does.

#include "features/column_scaler.hpp"

namespace stepwise::features {

/// Centres each numeric training column on its training median and divides by its IQR.
class RobustScaler final : public ColumnScaler {
public:
    RobustScaler(std::vector<std::string> columns = {}) : ColumnScaler("robust scaler", "robust scaling", std::move(columns)) {}
    std::string kind() const override { return "robust_scaler"; }

private:
    Scaling statistics(const std::vector<double>& values) const override;
    std::string effect() const override
    {
        return "(minus the training median, divided by the training interquartile range)";
    }
};

} // namespace stepwise::features
