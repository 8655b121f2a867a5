#pragma once
// Dropping the columns that are mostly empty in the training rows: filling them would
// invent most of their values.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// Drops every chosen column whose share of missing values in the training rows is above
/// `maxMissing`, and then the same columns from every table it transforms.
class SparseColumnDropper final : public Transformer {
public:
    /// `columns` are the candidates (empty: every column); `maxMissing` in [0, 1].
    explicit SparseColumnDropper(double maxMissing = 0.5, std::vector<std::string> columns = {});

    std::string kind() const override { return "sparse_column_dropper"; }
    std::string describe() const override;
    void fit(const data::Table& train, const TrainingTarget& target, core::TaskControl& control) override;
    /// Columns already absent are fine: a drop needs nothing from them.
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// Drops the columns transform drops.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_maxMissing & m_checked & m_dropped & m_fitted;
    }

    double m_maxMissing = 0.5;
    std::size_t m_checked = 0;            ///< how many columns were considered
    std::vector<std::string> m_dropped;   ///< in the training table's order
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::prep

BOOST_CLASS_VERSION(stepwise::prep::SparseColumnDropper, 1)
