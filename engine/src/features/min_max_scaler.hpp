#pragma once
// Min-max scaling of the numeric columns seen at fit time onto [0, 1], as
// scikit-learn's MinMaxScaler: x·scale + offset with scale = 1 / (max − min), NaN
// ignored when fitting and kept when transforming, a constant column maps to 0.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// Maps each numeric training column's training range onto [0, 1].
class MinMaxScaler final : public prep::Transformer {
public:
    std::string kind() const override { return "min_max_scaler"; }
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
        archive & m_names & m_scale & m_offset & m_fitted;
    }

    std::vector<std::string> m_names;
    std::vector<double> m_scale;
    std::vector<double> m_offset;
    bool m_fitted = false;
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::MinMaxScaler, 1)
