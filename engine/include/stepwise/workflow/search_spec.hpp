#pragma once
/// \file
/// \brief Hyper-parameter search as scikit-learn's GridSearchCV / RandomizedSearchCV:
/// which values to try, how many random draws, and the scoring metric. Every candidate
/// is scored by cross-validation on the training rows with every step refitted per fold.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stepwise/core/params.hpp"

namespace stepwise::workflow {

/// \brief Grid: every combination. Random: `iterations` draws.
enum class SearchKind { Grid, Random };

/// \brief A search over one model's hyper-parameters.
struct SearchSpec {
    SearchKind kind = SearchKind::Grid;
    /// \brief Parameter name → the values to try, as text, checked against the model's
    /// table. For a random search a parameter may instead hold a single distribution:
    /// `uniform(A,B)` (between A and B — not scipy's uniform(loc, scale)), `loguniform(A,B)`
    /// (scipy's, 0 < A < B) or `randint(A,B)` (scipy's: integers, B exclusive).
    std::map<std::string, std::vector<std::string>> space;
    int iterations = 10;  ///< Random: how many candidates are drawn
    /// \brief Report name of the metric candidates are ranked by ("f1_macro", "rmse", …);
    /// empty: the success criterion's metric, else accuracy / r2.
    std::string scoring;
    bool operator==(const SearchSpec&) const = default;
};

/// \brief Parses the CLI spelling of the kind: `grid` or `random:N` (N in [1, 10000]);
/// throws `InvalidParameter`.
SearchSpec parseSearchKind(const std::string& text);
/// \brief Adds `KEY=V1,V2,...` (or `KEY=loguniform(A,B)` …) to `spec.space`; throws
/// `InvalidParameter` for a malformed entry or a repeated key.
void addSearchValues(SearchSpec& spec, const std::string& text);
/// \brief The CLI spelling of the kind (`grid`, `random:20`).
std::string searchKindText(const SearchSpec& spec);
/// \brief The CLI spelling of one parameter's values (`C=0.1,1,10`).
std::string searchValuesText(const std::string& name, const std::vector<std::string>& values);

/// \brief The candidates to try, in scikit-learn's order (ParameterGrid: parameters in
/// name order, the last one varying fastest; ParameterSampler draws from `seed`), each
/// a complete name → value map for `createModel` (the model's fixed `base` parameters
/// overridden by the searched ones). Every value is validated against `table` first, so
/// a bad one fails before any training: throws `InvalidParameter` naming the parameter,
/// the value and the allowed range, or when the grid is empty or has more than 10,000
/// candidates.
std::vector<std::map<std::string, std::string>> searchCandidates(
    const SearchSpec& spec, const std::vector<core::ParamSpec>& table,
    const std::map<std::string, std::string>& base, const std::string& model, std::uint64_t seed);

} // namespace stepwise::workflow
