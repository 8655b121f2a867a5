// libFuzzer target: JSON records and JSON Lines.
#include <string_view>

#include "fuzz_target.hpp"
#include "stepwise/data/json_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    fuzz::expectCleanOutcome([&] { data::parseJson(text, "fuzz.json", {"", "NA", "null"}); });
    return 0;
}
