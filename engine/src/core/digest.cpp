#include "stepwise/core/digest.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <sodium.h>

#include "stepwise/core/errors.hpp"

namespace stepwise::core {
namespace {

// sodium_init is itself idempotent, but libsodium asks that it complete before any other
// call from any thread; call_once gives that ordering.
void ensureSodium()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0)
            throw Error("libsodium could not be initialised — the system's random source is unavailable");
    });
}

std::string toHex(const unsigned char* digest)
{
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, crypto_hash_sha256_BYTES);
    return hex;
}

} // namespace

std::string sha256Hex(std::string_view bytes)
{
    ensureSodium();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return toHex(digest);
}

std::string fileSha256Hex(const std::string& path)
{
    ensureSodium();
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read " + path + " to compute its SHA-256: " + std::strerror(errno));
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::vector<char> chunk(1 << 20);
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const std::streamsize got = in.gcount();
        if (got > 0)
            crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()),
                                      static_cast<unsigned long long>(got));
    }
    if (in.bad())
        throw Error("reading " + path + " failed while computing its SHA-256 — check the disk and try again");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    return toHex(digest);
}

} // namespace stepwise::core
