#pragma once
// Missing-value filling learned on the training rows (scikit-learn's SimpleImputer, one
// strategy for numeric columns and one for categorical ones), with pandas' forward and
// backward fill and scikit-learn's missing-value indicator columns.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// Fill rule for numeric columns. The values are stored in model files: append only.
enum class NumericImputation { Mean, Median, Constant, MostFrequent, ForwardFill, BackwardFill };
/// Fill rule for categorical columns. The values are stored in model files: append only.
enum class CategoricalImputation { MostFrequent, Constant, ForwardFill, BackwardFill };

/// The imputation choice of a recipe.
struct ImputationSpec {
    NumericImputation numeric = NumericImputation::Mean;
    double numericConstant = 0.0;
    CategoricalImputation categorical = CategoricalImputation::MostFrequent;
    std::string categoricalConstant = "missing";
    /// Add a 0/1 column "<col>_was_missing" after each filled column that had a gap in
    /// the training rows.
    bool indicator = false;
};

/// Fills NaN / missing codes of every column seen at fit time with a value learned from
/// the training rows (or the constant of the spec). Forward and backward fill take the
/// neighbouring present value in the row order of the table being transformed; a gap
/// with no neighbour on that side takes a value learned in training: the last present
/// training value (forward: the rows to transform come after the training rows in a
/// time-ordered split) or the training median / most frequent category (backward).
class SimpleImputer final : public Transformer {
public:
    /// `columns` are the ones to fill (empty: every column).
    explicit SimpleImputer(const ImputationSpec& spec = {}, std::vector<std::string> columns = {});

    std::string kind() const override { return "simple_imputer"; }
    std::string describe() const override;
    void fit(const data::Table& train, const TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// Where(missing, fill, value) per filled column, the indicators as 0/1 floats;
    /// forward and backward fill depend on row order and have no ONNX form.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned version)
    {
        archive & m_spec.numeric & m_spec.numericConstant & m_spec.categorical & m_spec.categoricalConstant;
        archive & m_numericNames & m_numericFill & m_categoricalNames & m_categoricalFill & m_fitted;
        // Version 1 had no indicators (and only mean/median/constant, most frequent/constant).
        if (version >= 2)
            archive & m_spec.indicator & m_indicatorNames;
    }

    ImputationSpec m_spec;
    std::vector<std::string> m_numericNames;
    std::vector<double> m_numericFill;  ///< for ffill/bfill: the fallback of a gap without a neighbour
    std::vector<std::string> m_categoricalNames;
    std::vector<std::string> m_categoricalFill;  ///< for ffill/bfill: the fallback of a gap without a neighbour
    std::vector<std::string> m_indicatorNames;   ///< filled columns with a gap in training, in table order
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::prep

BOOST_CLASS_VERSION(stepwise::prep::SimpleImputer, 2)
