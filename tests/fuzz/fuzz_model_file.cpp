// libFuzzer target: the native model file (format versions 1 and 2), from bytes in memory.
// The first input byte chooses how the rest is used:
//  - even: as a whole file, header included (the header checks: magic, version, flags,
//    length, digest);
//  - odd: as the payload of a version 2 file whose header is written here with the right
//    length and SHA-256, so the fuzzer gets past the digest and reaches the pipeline,
//    step and model archives.
// No passphrase is given, so an encrypted payload stops before the key derivation (an
// Argon2 run per input would make the fuzzer crawl).
#include <string>

#include "fuzz_target.hpp"
#include "stepwise/core/digest.hpp"
#include "stepwise/io/model_archive.hpp"

namespace {

std::string withValidHeader(const std::string& payload)
{
    std::string file("STEPWISE", 8);
    const auto put = [&file](unsigned long long value, int bytes) {
        for (int i = 0; i < bytes; ++i)
            file.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    };
    put(stepwise::io::kModelFormatVersion, 4);
    put(0, 4);
    put(payload.size(), 8);
    const std::string hex = stepwise::core::sha256Hex(payload);
    for (std::size_t i = 0; i < 32; ++i)
        file.push_back(static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16)));
    file.append(8, '\0');
    return file + payload;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    if (size == 0)
        return 0;
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string file = (data[0] & 1) != 0 ? withValidHeader(rest) : rest;
    fuzz::expectCleanOutcome([&] { io::loadModelFromBytes(file, "fuzz.stepwise"); });
    return 0;
}
