#pragma once
// Renaming one column, as a step of the pipeline, so a model saved with it still takes
// the raw column names at prediction time.

#include <string>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// Gives the column `from` the name `to`, keeping its position and values.
class ColumnRenamer final : public Transformer {
public:
    /// Throws `InvalidParameter` for an empty `to` or `to` equal to `from`.
    ColumnRenamer(std::string from, std::string to);
    /// An empty renamer for `load`.
    ColumnRenamer() = default;

    std::string kind() const override { return "column_renamer"; }
    std::string describe() const override;
    /// Throws `DataError` when `from` is missing or `to` is already a column.
    void fit(const data::Table& train, const TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// Renames the column in the graph's list; no node.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_from & m_to & m_type & m_fitted;
    }

    std::string m_from;
    std::string m_to;
    data::ColumnType m_type = data::ColumnType::Numeric;  ///< at fit time
    bool m_fitted = false;
};

} // namespace stepwise::prep

BOOST_CLASS_VERSION(stepwise::prep::ColumnRenamer, 1)
