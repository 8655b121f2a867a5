// libFuzzer target: the project file (`.stepwise-project`), from its JSON text — the
// recipe, the data reference with an embedded copy, the runs with their reports and
// manifests, and the window state.
#include <string>

#include "fuzz_target.hpp"
#include "stepwise/io/project.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzz::expectCleanOutcome([&] { io::projectFromJson(text, "fuzz.stepwise-project"); });
    return 0;
}
