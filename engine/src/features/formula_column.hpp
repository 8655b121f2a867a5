#pragma once
// The formula step: a new numeric column computed from other numeric columns by an
// expression (features/expression.hpp). It learns nothing from the training rows; it is
// fitted only to check its input columns and count the training rows without a finite
// result. The archive keeps the expression text, which is parsed again on load.

#include <cstddef>
#include <string>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/version.hpp>

#include "features/expression.hpp"
#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// Adds the column `name` = `expression` at the end of the table.
class FormulaColumn final : public prep::Transformer {
public:
    /// An empty formula, only as a target for loading.
    FormulaColumn() = default;
    /// Throws `InvalidParameter` for an empty name or an expression that does not parse
    /// (naming the position and what was expected).
    FormulaColumn(std::string name, const std::string& expression);

    std::string kind() const override { return "formula_column"; }
    std::string describe() const override;
    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// The expression's program as float nodes; a row with a missing input or a
    /// non-finite result is NaN, as transform.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_name & m_text & m_trainingRows & m_nonFiniteRows & m_fitted;
    }

    /// The new column over all rows of `table`, whose inputs have been checked.
    Expression::Result evaluate(const data::Table& table, core::TaskControl* control) const;
    /// "formula for 'family'", for messages.
    std::string step() const;

    std::string m_name;
    std::string m_text;  ///< what is saved; m_expression is parsed from it
    Expression m_expression;
    std::size_t m_trainingRows = 0;
    std::size_t m_nonFiniteRows = 0;  ///< training rows with present inputs but no finite result
    bool m_fitted = false;
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::FormulaColumn, 1)
