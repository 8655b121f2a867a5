#pragma once
/// \file
/// \brief How missing values are filled (the choice; the fitted imputer is private).

#include <string>

namespace stepwise::prep {

/// \brief Fill rule for numeric columns.
enum class NumericImputation { Mean, Median, Constant };
/// \brief Fill rule for categorical columns.
enum class CategoricalImputation { MostFrequent, Constant };

/// \brief The imputation choice of a recipe.
struct ImputationSpec {
    NumericImputation numeric = NumericImputation::Mean;
    double numericConstant = 0.0;
    CategoricalImputation categorical = CategoricalImputation::MostFrequent;
    std::string categoricalConstant = "missing";
};

} // namespace stepwise::prep
