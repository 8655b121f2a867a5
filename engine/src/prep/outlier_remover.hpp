#pragma once
// Dropping training rows with an outlier, with bounds learned from those rows. Only the
// training rows: a test or prediction row is never thrown away for being unusual.

#include <string>
#include <vector>

#include "stepwise/prep/row_checks.hpp"
#include "stepwise/prep/step.hpp"

namespace stepwise::prep {

/// Removes every training row with a value outside the `findOutliers` bounds in one of
/// the chosen numeric columns (all non-boolean numeric columns when none are chosen). A
/// missing value is not an outlier.
class OutlierRemover final : public Sampler {
public:
    OutlierRemover(OutlierRule rule, double factor, std::vector<std::string> columns);

    std::string describe() const override;
    LabelledRows apply(LabelledRows rows, std::uint64_t seed, core::TaskControl& control) const override;

private:
    OutlierRule m_rule;
    double m_factor;
    std::vector<std::string> m_columns;
};

} // namespace stepwise::prep
