#pragma once
// Standardisation (x − mean) / std of the numeric columns seen at fit time, as
// scikit-learn's StandardScaler: population std (ddof = 0), NaN ignored when fitting
// and kept when transforming, near-constant columns get scale 1.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// Centres and scales each numeric training column by its training mean and std.
class StandardScaler final : public prep::Transformer {
public:
    std::string kind() const override { return "standard_scaler"; }
    std::string describe() const override;
    void fit(const data::Table& train, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_names & m_mean & m_scale & m_fitted;
    }

    std::vector<std::string> m_names;
    std::vector<double> m_mean;
    std::vector<double> m_scale;
    bool m_fitted = false;
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::StandardScaler, 1)
