#pragma once
// Binning of numeric columns. Uniform and quantile bins are scikit-learn's
// KBinsDiscretizer(encode="ordinal"): edges from the present training values (linspace
// over the range, or NumPy percentiles with edges closer than 1e-8 dropped), a value
// below or above them put in the first or last bin. Given edges are pandas' pd.cut: a
// value outside the edges becomes missing. The output is the bin number 0..k−1 in
// place, or a categorical column of bin labels (pandas' interval text by default).
// Missing values stay missing and are ignored when fitting (scikit-learn rejects them).

#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// How the bin edges are found.
enum class BinStrategy { Uniform, Quantile, Edges };
/// What replaces the column.
enum class BinOutput { Ordinal, Category };

/// A binning step's configuration, checked.
struct BinSettings {
    BinStrategy strategy = BinStrategy::Quantile;
    int bins = 5;                     ///< uniform and quantile
    std::vector<double> edges;        ///< Edges: strictly increasing, at least two
    bool integerEdges = false;        ///< every edge was written as an integer (pandas' int64 labels)
    std::vector<std::string> labels;  ///< empty, or one per bin
    BinOutput output = BinOutput::Ordinal;
    bool right = true;                ///< Edges: bins include their right edge
};

/// The settings from the step's parameters as typed; throws `InvalidParameter` naming
/// the parameter and what is allowed for malformed or inconsistent edges and labels.
BinSettings binSettingsFromText(const std::string& strategy, long long bins, const std::string& edges,
                                const std::string& labels, const std::string& output, bool right);

/// Replaces each numeric training column by its bin number or bin label.
class BinDiscretizer final : public prep::Transformer {
public:
    /// `columns` are the ones to bin (empty: every numeric column).
    explicit BinDiscretizer(BinSettings settings = {}, std::vector<std::string> columns = {})
        : m_settings(std::move(settings)), m_requested(std::move(columns))
    {
    }

    std::string kind() const override { return "bin_discretizer"; }
    std::string describe() const override;
    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    /// The bin as the count of edges at or below the value (comparisons with every edge
    /// at once), missing where transform gives NaN; bin labels by Gather.
    void exportOnnx(io::OnnxGraph& graph) const override;
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        int strategy = static_cast<int>(m_settings.strategy);
        int output = static_cast<int>(m_settings.output);
        archive & strategy & m_settings.bins & m_settings.edges & m_settings.integerEdges & m_settings.labels &
            output & m_settings.right;
        archive & m_names & m_edges & m_labels & m_fitted;
        m_settings.strategy = static_cast<BinStrategy>(strategy);
        m_settings.output = static_cast<BinOutput>(output);
    }
    bool isConsistent() const;

    BinSettings m_settings;
    std::vector<std::string> m_names;
    std::vector<std::vector<double>> m_edges;        ///< per column: k + 1 edges
    std::vector<std::vector<std::string>> m_labels;  ///< per column: k labels (category output only)
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::BinDiscretizer, 1)
