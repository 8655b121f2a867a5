#include "stepwise/core/threads.hpp"

#include <string>

#include <omp.h>

#include "stepwise/core/errors.hpp"

namespace stepwise::core {

void setThreadCount(int threads)
{
    if (threads < 1)
        throw InvalidParameter("threads=" + std::to_string(threads) + " is not allowed — use an integer >= 1");
    omp_set_num_threads(threads);
}

int threadCount() { return omp_get_max_threads(); }

} // namespace stepwise::core
