#pragma once
// Ordinal encoding of the categorical columns seen at fit time, as scikit-learn's
// OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1): sorted training
// categories become 0..k-1, an unseen category -1 (or, when refused, a DataError naming
// the row), a missing value NaN. With a user's order — OrdinalEncoder(categories=[order])
// — one column is numbered in that order, and a training category it does not list is
// an error at fit.

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
    /// `columns` are the ones to encode (empty: every categorical column). A non-empty
    /// `order` numbers the categories in that order instead of sorted; it needs exactly
    /// one column and distinct, non-empty categories, else `InvalidParameter`.
    /// `refuseUnknown`: a category not seen in training (not in `order`) is an error at
    /// transform instead of -1.
    explicit OrdinalEncoder(std::vector<std::string> columns = {}, std::vector<std::string> order = {},
                            bool refuseUnknown = false);

    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// LabelEncoder to the category's index (-1 unseen, NaN missing). The graph cannot
    /// refuse a row, so with unknown=error an unseen category gives -1 there.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version)
    {
        archive & m_names & m_categories & m_fitted;
        // Version 1 (before order and unknown=error): sorted categories, unknown → -1.
        if (version >= 2) {
            archive & m_userOrder & m_refuseUnknown;
        } else {
            m_userOrder = false;
            m_refuseUnknown = false;
        }
    }

    std::vector<std::string> m_names;
    std::vector<std::vector<std::string>> m_categories;  ///< per column: sorted, or the user's order
    bool m_fitted = false;
    bool m_userOrder = false;  ///< the one column's categories are the user's order
    bool m_refuseUnknown = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
    std::vector<std::string> m_order;      ///< configuration, not saved (the fit keeps it in m_categories)
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::OrdinalEncoder, 2)
