#pragma once
// Clipping numeric values to outlier bounds learned on the training rows (winsorising by
// the IQR fences or a z-score limit): extreme values stop dominating a linear model, and
// no row is lost.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/row_checks.hpp"
#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// Learns per-column bounds with `findOutliers` on the training rows and clips every
/// value of a table to them; missing values stay missing.
class OutlierClipper final : public Transformer {
public:
    /// `columns` are the numeric columns to clip (empty: every non-boolean numeric column).
    explicit OutlierClipper(OutlierRule rule = OutlierRule::Iqr, double factor = 1.5,
                            std::vector<std::string> columns = {});

    std::string kind() const override { return "outlier_clipper"; }
    std::string describe() const override;
    void fit(const data::Table& train, const TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// Where(x < lower, lower, Where(x > upper, upper, x)): NaN stays NaN.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_rule & m_factor & m_names & m_lower & m_upper & m_fitted;
    }

    OutlierRule m_rule = OutlierRule::Iqr;
    double m_factor = 1.5;
    std::vector<std::string> m_names;
    std::vector<double> m_lower;
    std::vector<double> m_upper;
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::prep

BOOST_CLASS_VERSION(stepwise::prep::OutlierClipper, 1)
