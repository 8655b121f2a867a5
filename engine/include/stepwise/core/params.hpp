#pragma once
/// \file
/// \brief Hyper-parameter tables. Each model declares one static table of `ParamSpec`;
/// that table alone drives validation, CLI `--param`, the GUI form and the docs.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stepwise::core {

/// \brief The value type of a hyper-parameter. `Text` is free text that its owner checks
/// itself (a formula, a list of bin edges, a fill category).
enum class ParamKind { Integer, Real, Choice, Boolean, Text };

/// \brief One row of a model's hyper-parameter table.
struct ParamSpec {
    std::string name;          ///< scikit-learn spelling, e.g. "n_estimators"
    ParamKind kind = ParamKind::Real;
    std::string defaultValue;  ///< as text, e.g. "100", "sqrt", "none"
    double min = 0.0;          ///< inclusive lower bound (Integer/Real)
    double max = 0.0;          ///< inclusive upper bound (Integer/Real)
    bool minExclusive = false; ///< true when the lower bound itself is not allowed (C > 0)
    /// \brief Choice: the allowed words. Integer/Real: extra words accepted besides a
    /// number (e.g. "none" for max_depth, "sqrt"/"log2"/"all" for max_features).
    std::vector<std::string> words;
    std::string help;          ///< one sentence: what it does and which way to turn it
};

/// \brief Validated hyper-parameter values: every name of the table present, each
/// value checked against its spec. Built only by `resolveParams`.
class ParamValues {
public:
    ParamValues() = default;

    /// \brief The value as text ("100", "sqrt").
    const std::string& text(const std::string& name) const;
    /// \brief The value as an integer; throws `InvalidParameter` if it is a word.
    long long integer(const std::string& name) const;
    /// \brief The value as a real number; throws `InvalidParameter` if it is a word.
    double real(const std::string& name) const;
    /// \brief Boolean value ("true"/"false").
    bool boolean(const std::string& name) const;
    /// \brief True when the value is the given word (e.g. isWord("max_depth", "none")).
    bool isWord(const std::string& name, const std::string& word) const;
    /// \brief All name → text pairs, in name order.
    const std::map<std::string, std::string>& all() const { return m_values; }

private:
    friend ParamValues resolveParams(const std::vector<ParamSpec>&,
                                     const std::map<std::string, std::string>&,
                                     const std::string&);
    std::map<std::string, std::string> m_values;
};

/// \brief Checks `given` against `table`, fills defaults and returns the full set.
/// Throws `InvalidParameter` naming the parameter, the value and the allowed range —
/// also for names the table does not have (listing the ones it has). `owner` names the
/// model in messages ("random_forest").
ParamValues resolveParams(const std::vector<ParamSpec>& table,
                          const std::map<std::string, std::string>& given,
                          const std::string& owner);

/// \brief Human-readable allowed range of a spec, e.g. "an integer in [1, 10000]" or
/// "one of gini, entropy"; used in error messages and tooltips.
std::string describeAllowed(const ParamSpec& spec);

} // namespace stepwise::core
