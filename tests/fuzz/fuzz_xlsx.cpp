// libFuzzer target: whole .xlsx files (zip container and the XML parts inside it).
#include "fuzz_target.hpp"
#include "stepwise/data/xlsx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    const fuzz::TemporaryFile file(data, size, ".xlsx");
    fuzz::expectCleanOutcome([&] {
        const auto sheets = data::xlsxSheetNames(file.path());
        for (const auto& sheet : sheets)
            data::readXlsxFile(file.path(), sheet, {"", "NA"});
    });
    return 0;
}
