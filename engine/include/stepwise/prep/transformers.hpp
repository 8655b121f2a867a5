#pragma once
/// \file
/// \brief The lookup archive loading uses to rebuild a pipeline's transformers by kind.

#include <memory>
#include <string>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::prep {

/// \brief An empty transformer of the given `kind()`, ready for `load`; throws
/// `ArchiveError` for an unknown kind.
std::unique_ptr<Transformer> makeTransformerForLoading(const std::string& kind);

} // namespace stepwise::prep
