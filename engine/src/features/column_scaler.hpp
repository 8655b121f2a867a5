#pragma once
// What every scaler shares: per numeric training column a shift and a divisor learned
// from the training rows, applied as (x − shift) / divisor. NaN is ignored when fitting
// and stays NaN. Subclasses only say how the two numbers come from a column's values.

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// Base of the standard and min-max scalers.
class ColumnScaler : public prep::Transformer {
public:
    std::string describe() const override;
    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// (x − shift) / divisor per scaled column, in float.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

protected:
    /// The shift and the (non-zero) divisor of one column.
    struct Scaling {
        double shift;
        double divisor;
    };

    /// `step` names the scaler in messages ("standard scaler"), `activity` what it does
    /// in describe() ("standard scaling").
    /// `columns` are the ones to scale (empty: every numeric column).
    ColumnScaler(std::string step, std::string activity, std::vector<std::string> columns)
        : m_step(std::move(step)), m_activity(std::move(activity)), m_requested(std::move(columns))
    {
    }

    /// Shift and divisor from a training column with at least one present value.
    virtual Scaling statistics(const std::vector<double>& values) const = 0;
    /// What the scaling does to a column, for describe(): "to [0, 1] over the training range".
    virtual std::string effect() const = 0;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_names & m_shift & m_divisor & m_fitted;
    }

    std::string m_step;
    std::string m_activity;
    std::vector<std::string> m_requested;  ///< configuration, not saved: the fitted names are
    std::vector<std::string> m_names;
    std::vector<double> m_shift;
    std::vector<double> m_divisor;
    bool m_fitted = false;
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::ColumnScaler, 1)
