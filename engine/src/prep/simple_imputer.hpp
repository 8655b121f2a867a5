#pragma once
// Missing-value filling learned on the training rows (scikit-learn's SimpleImputer, one
// strategy for numeric columns and one for categorical ones).

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// Fill rule for numeric columns.
enum class NumericImputation { Mean, Median, Constant };
/// Fill rule for categorical columns.
enum class CategoricalImputation { MostFrequent, Constant };

/// The imputation choice of a recipe.
struct ImputationSpec {
    NumericImputation numeric = NumericImputation::Mean;
    double numericConstant = 0.0;
    CategoricalImputation categorical = CategoricalImputation::MostFrequent;
    std::string categoricalConstant = "missing";
};


/// Fills NaN / missing codes of every column seen at fit time with a value learned from
/// the training rows (or the constant of the spec).
class SimpleImputer final : public Transformer {
public:
    /// `columns` are the ones to fill (empty: every column).
    explicit SimpleImputer(const ImputationSpec& spec = {}, std::vector<std::string> columns = {});

    std::string kind() const override { return "simple_imputer"; }
    std::string describe() const override;
    void fit(const data::Table& train, const TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_spec.numeric & m_spec.numericConstant & m_spec.categorical & m_spec.categoricalConstant;
        archive & m_numericNames & m_numericFill & m_categoricalNames & m_categoricalFill & m_fitted;
    }

    ImputationSpec m_spec;
    std::vector<std::string> m_numericNames;
    std::vector<double> m_numericFill;
    std::vector<std::string> m_categoricalNames;
    std::vector<std::string> m_categoricalFill;
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::prep

BOOST_CLASS_VERSION(stepwise::prep::SimpleImputer, 1)
