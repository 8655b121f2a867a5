#pragma once
// Ordinal encoding of the categorical columns seen at fit time, as scikit-learn's
// OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1): sorted training
// categories become 0..k-1, an unseen category -1, a missing value NaN.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// Replaces each categorical training column by a numeric column of category codes.
class OrdinalEncoder final : public prep::Transformer {
public:
    std::string kind() const override { return "ordinal_encoder"; }
    std::string describe() const override;
    /// `columns` are the ones to encode (empty: every categorical column).
    explicit OrdinalEncoder(std::vector<std::string> columns = {}) : m_requested(std::move(columns)) {}

    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_names & m_categories & m_fitted;
    }

    std::vector<std::string> m_names;
    std::vector<std::vector<std::string>> m_categories;  ///< sorted, per column
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::OrdinalEncoder, 1)
