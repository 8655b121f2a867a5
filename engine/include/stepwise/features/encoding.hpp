#pragma once
/// \file
/// \brief Feature-step choices: scaling of numeric columns, encoding of categorical ones.

namespace stepwise::features {

/// \brief How numeric columns are rescaled (fitted on training rows).
enum class Scaling { None, Standard, MinMax };
/// \brief How categorical columns become numbers.
enum class Encoding { OneHot, Ordinal };

} // namespace stepwise::features
