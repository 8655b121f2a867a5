#pragma once
/// \file
/// \brief Factories for the pipeline's transformers, so callers never see the concrete
/// classes, and the lookup that archive loading uses.

#include <memory>
#include <string>

#include "stepwise/features/encoding.hpp"
#include "stepwise/prep/imputation.hpp"
#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// \brief Fills missing values of every column present at fit time (mean/median/constant
/// for numeric, most frequent/constant for categorical), learned from training rows. Its
/// `fit` throws `DataError` for a column with no value in the training rows (unless the
/// fill is a constant).
std::unique_ptr<Transformer> makeImputer(const ImputationSpec& spec);
/// \brief Rescales the numeric columns present at fit time; nullptr for `Scaling::None`.
std::unique_ptr<Transformer> makeScaler(features::Scaling scaling);
/// \brief Turns every categorical column into numeric columns. One-hot: one 0/1 column
/// per training category (named "col=value", categories sorted), all zeros for a
/// category not seen in training and for a missing value. Ordinal: codes 0..k-1 in sorted
/// category order, -1 for unseen, NaN for missing.
std::unique_ptr<Transformer> makeEncoder(features::Encoding encoding);

/// \brief An empty transformer of the given `kind()`, ready for `load`; throws
/// `ArchiveError` for an unknown kind.
std::unique_ptr<Transformer> makeTransformerForLoading(const std::string& kind);

} // namespace stepwise::prep
