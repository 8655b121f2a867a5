#pragma once
// Wall-clock bounds in the tests (a cancel is honoured within a second, …) are set for
// optimised builds; the release stage of CI checks them as they are. Sanitizer builds run
// several times slower (ThreadSanitizer 5–15×), so their test presets set
// STEPWISE_TEST_TIME_SCALE and every such bound is multiplied by it: the check that the
// work stops at all, and soon, stays.

#include <cstdlib>

namespace stepwise::test {

/// \brief The factor wall-clock bounds are multiplied by (STEPWISE_TEST_TIME_SCALE, ≥ 1).
inline double timeScale()
{
    const char* value = std::getenv("STEPWISE_TEST_TIME_SCALE");
    const double scale = value == nullptr ? 1.0 : std::strtod(value, nullptr);
    return scale > 1.0 ? scale : 1.0;
}

} // namespace stepwise::test
