#pragma once
// Feature selection among the numeric columns, learned on the training rows, as
// scikit-learn's VarianceThreshold and SelectKBest (f_classif / f_regression) and the
// usual pandas recipe for dropping one column of each highly correlated pair. Columns
// that are not candidates pass through untouched.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// How the columns are chosen.
enum class SelectionMethod : std::uint8_t {
    Variance,     ///< keep columns whose training variance is above the threshold
    Correlation,  ///< drop the later column of every pair with |Pearson r| above the limit
    KBest,        ///< keep the k columns with the highest F statistic against the target
};

/// The settings of one selection step.
struct SelectionSpec {
    SelectionMethod method = SelectionMethod::Variance;
    double varianceThreshold = 0.0;
    double maxCorrelation = 0.95;
    long long k = 10;
};

/// Drops the numeric candidate columns the method rejects on the training rows.
class FeatureSelector final : public prep::Transformer {
public:
    /// An empty selector, only as a target for loading.
    FeatureSelector() = default;
    /// `columns` are the candidates (empty: every numeric column).
    FeatureSelector(SelectionSpec spec, std::vector<std::string> columns)
        : m_spec(spec), m_requested(std::move(columns))
    {
    }

    std::string kind() const override { return "feature_selector"; }
    std::string describe() const override;
    /// Throws `DataError` for a candidate with a missing or infinite training value, when
    /// there are no candidates, when every candidate would be dropped (variance), or when
    /// `target` does not have one value per row (k best).
    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// Drops the columns transform drops.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

    /// The candidate columns at fit time, in table order.
    const std::vector<std::string>& candidates() const { return m_candidates; }
    /// Per candidate: its training variance (variance; min with its range when the
    /// threshold is 0, as scikit-learn), its largest |r| with an earlier candidate
    /// (correlation; 0 for none, constant columns have no r), or its F statistic (k best).
    const std::vector<double>& scores() const { return m_scores; }
    /// The candidates that were dropped, in table order.
    const std::vector<std::string>& dropped() const { return m_dropped; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_spec.method & m_spec.varianceThreshold & m_spec.maxCorrelation & m_spec.k;
        archive & m_candidates & m_scores & m_kept & m_dropped & m_fitted;
    }

    /// What the method keeps, in words: "training variance above 0".
    std::string rule() const;

    SelectionSpec m_spec;
    std::vector<std::string> m_requested;  ///< configuration, not saved
    std::vector<std::string> m_candidates;
    std::vector<double> m_scores;
    std::vector<std::string> m_kept;
    std::vector<std::string> m_dropped;
    bool m_fitted = false;
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::FeatureSelector, 1)
