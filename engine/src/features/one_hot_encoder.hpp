#pragma once
// One-hot encoding of the categorical columns seen at fit time, as scikit-learn's
// OneHotEncoder(handle_unknown="ignore" or "error"): one 0/1 column "col=category" per
// sorted training category; an unseen category gives all zeros or, when refused, a
// DataError naming the row; a missing value gives all zeros.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// Replaces each categorical training column, at its position, by indicator columns.
class OneHotEncoder final : public prep::Transformer {
public:
    std::string kind() const override { return "one_hot_encoder"; }
    std::string describe() const override;
    /// `columns` are the ones to encode (empty: every categorical column);
    /// `refuseUnknown`: a category not seen in training is an error at transform
    /// instead of all zeros.
    explicit OneHotEncoder(std::vector<std::string> columns = {}, bool refuseUnknown = false)
        : m_refuseUnknown(refuseUnknown), m_requested(std::move(columns))
    {
    }

    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// LabelEncoder to the category's index, compared with every index. The graph cannot
    /// refuse a row, so with unknown=error an unseen category gives all zeros there.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version)
    {
        archive & m_names & m_categories & m_fitted;
        // Version 1 (before unknown=error) always ignored unknown categories.
        if (version >= 2)
            archive & m_refuseUnknown;
        else
            m_refuseUnknown = false;
    }

    std::vector<std::string> m_names;
    std::vector<std::vector<std::string>> m_categories;  ///< sorted, per column
    bool m_fitted = false;
    bool m_refuseUnknown = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::OneHotEncoder, 2)
