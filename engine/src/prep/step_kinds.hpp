#pragma once
// The registry's entries, by the source file that implements them. Each function returns
// its kinds in the order the GUI offers them; step_registry.cpp joins the lists.

#include <vector>

#include "stepwise/prep/step.hpp"

namespace stepwise::prep {

/// Rows and missing values: drop_missing_rows, impute, … (prep/cleaning_steps.cpp).
std::vector<StepInfo> cleaningStepKinds();
/// Scaling and encoding: scale, encode, … (features/encoding_steps.cpp).
std::vector<StepInfo> encodingStepKinds();
/// Class balancing of the training rows: resample (prep/sampling_steps.cpp).
std::vector<StepInfo> samplingStepKinds();
/// Derived and selected features: formula, select_features (features/derived_steps.cpp).
std::vector<StepInfo> derivedStepKinds();

} // namespace stepwise::prep
