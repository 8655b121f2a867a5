#pragma once
// An elementwise function applied in place to numeric columns, as NumPy's log1p, log,
// sqrt, square and power. Fitting learns nothing but checks the training values: one
// outside the function's domain (log1p ≤ −1, log ≤ 0, sqrt < 0, a fractional power of a
// negative number, a negative power of 0) is a DataError at configuration time; at
// transform such a value becomes NaN, so the pipeline reports that row.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// The function a math step applies.
enum class MathFunction { Log1p, Log, Sqrt, Square, Power };

/// The function named `text` (log1p, log, sqrt, square, power); throws
/// `InvalidParameter` for another name.
MathFunction mathFunctionFromText(const std::string& text);

/// Replaces each numeric training column by the function of its values.
class MathTransform final : public prep::Transformer {
public:
    /// `exponent` is used by `MathFunction::Power`; `columns` are the ones to transform
    /// (empty: every numeric column).
    explicit MathTransform(MathFunction function = MathFunction::Log1p, double exponent = 2.0,
                           std::vector<std::string> columns = {})
        : m_function(static_cast<int>(function)), m_exponent(exponent), m_requested(std::move(columns))
    {
    }

    std::string kind() const override { return "math_transform"; }
    std::string describe() const override;
    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// The function in float, NaN outside its domain as transform.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_function & m_exponent & m_names & m_fitted;
    }
    /// f(x), or NaN outside the domain.
    double apply(double value) const;
    /// Empty when f(x) is defined, else what the domain is ("above 0").
    std::string domainProblem(double value) const;

    int m_function;  ///< a MathFunction
    double m_exponent;
    std::vector<std::string> m_names;
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::MathTransform, 1)
