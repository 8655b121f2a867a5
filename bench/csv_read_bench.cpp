// Reads one CSV file with the engine's reader and prints what it cost as one JSON line:
// wall seconds of readCsvFile, CPU seconds of the process (user + system, all threads), rows, columns, file bytes and the process's peak resident
// memory (getrusage ru_maxrss). bench/read_csv.py runs it in a fresh process per
// measurement, so the peak is this read's.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

#include <sys/resource.h>

#include "stepwise/core/threads.hpp"
#include "stepwise/data/csv_reader.hpp"

int main(int argc, char** argv)
{
    if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--threads")) {
        std::fprintf(stderr, "usage: %s FILE.csv [--threads N]\n", argv[0]);
        return 2;
    }
    try {
        const std::string path = argv[1];
        if (argc == 4)
            stepwise::core::setThreadCount(std::atoi(argv[3]));
        const auto start = std::chrono::steady_clock::now();
        const stepwise::data::Table table = stepwise::data::readCsvFile(path);
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        const double cpuSeconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                                  1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
        std::printf("{\"seconds\": %.6f, \"cpu_seconds\": %.6f, \"rows\": %zu, \"columns\": %zu, \"bytes\": %llu, \"threads\": %d, "
                    "\"peak_rss_bytes\": %lld}\n",
                    elapsed.count(), cpuSeconds, table.rowCount(), table.columnCount(),
                    static_cast<unsigned long long>(std::filesystem::file_size(path)),
                    stepwise::core::threadCount(), static_cast<long long>(usage.ru_maxrss) * 1024);
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
}
