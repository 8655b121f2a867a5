#pragma once
/// \file
/// \brief How many threads parallel engine work (forests, …) may use.

namespace stepwise::core {

/// \brief Limits parallel engine work to `threads` threads (≥ 1); results do not depend
/// on it. Throws `InvalidParameter` for values < 1.
void setThreadCount(int threads);
/// \brief The current limit (default: the number of cores).
int threadCount();

} // namespace stepwise::core
