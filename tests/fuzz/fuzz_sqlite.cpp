// libFuzzer target: SQLite database files — what Stepwise does with whatever tables,
// column types and values a (possibly corrupt) database holds.
#include "fuzz_target.hpp"
#include "stepwise/data/sqlite_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    const fuzz::TemporaryFile file(data, size, ".sqlite");
    fuzz::expectCleanOutcome([&] {
        for (const auto& table : data::sqliteTableNames(file.path()))
            data::readSqliteFile(file.path(), table, {}, {"", "NA"});
    });
    return 0;
}
