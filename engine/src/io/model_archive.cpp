#include "stepwise/io/model_archive.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <sodium.h>

#include "stepwise/core/digest.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/io/atomic_file.hpp"

namespace stepwise::io {
namespace {

constexpr std::array<char, 8> kMagic = {'S', 'T', 'E', 'P', 'W', 'I', 'S', 'E'};
constexpr std::size_t kVersionOffset = 8;
constexpr std::size_t kFlagsOffset = 12;
constexpr std::size_t kLengthOffset = 16;
constexpr std::size_t kDigestOffset = 24;
constexpr std::size_t kReservedOffset = 56;
constexpr std::size_t kHeaderSize = 64;
constexpr std::size_t kVersion1HeaderSize = 12;
constexpr std::uint32_t kFlagEncrypted = 1;

// The encrypted payload: a marker, the key derivation's algorithm, limits and salt, the
// secretstream header, then the archive in chunks of kChunkBytes (the last one shorter
// and tagged final). The marker tells a flipped "encrypted" flag from a real one.
constexpr std::array<char, 4> kEncryptedMarker = {'S', 'W', 'X', 'C'};
constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kSaltOffset = kEncryptedMarker.size() + 4 + 8 + 8;
constexpr std::size_t kStreamHeaderOffset = kSaltOffset + crypto_pwhash_SALTBYTES;
constexpr std::size_t kEncryptedPrefix = kStreamHeaderOffset + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
// Argon2id at libsodium's "moderate" cost: about a second and 256 MiB per attempt, which
// is what makes guessing passphrases of a stolen file slow.
constexpr std::uint64_t kSaveOpsLimit = crypto_pwhash_OPSLIMIT_MODERATE;
constexpr std::uint64_t kSaveMemLimit = crypto_pwhash_MEMLIMIT_MODERATE;
// What a file may ask for on reading: libsodium's "sensitive" level and no more, so a
// crafted file cannot make us allocate gigabytes or spin for minutes.
constexpr std::uint64_t kMaxOpsLimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
constexpr std::uint64_t kMaxMemLimit = crypto_pwhash_MEMLIMIT_SENSITIVE;

void putLittleEndian(std::string& out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::uint64_t readLittleEndian(std::string_view bytes, std::size_t offset, int count)
{
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i)
        value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + static_cast<std::size_t>(i)]))
                 << (8 * i);
    return value;
}

std::string resaveHint() { return " — save the model again from the run that made it"; }

std::string truncatedMessage(const std::string& name, std::uint64_t have, std::uint64_t need)
{
    std::string message = name;
    message.append(" is truncated: ").append(std::to_string(have)).append(" of ").append(std::to_string(need));
    message.append(" bytes (an interrupted copy or download?)").append(resaveHint());
    return message;
}

std::string foreignMessage(const std::string& name)
{
    return name + " is not a Stepwise model file — pass a file saved by 'stepwise-cli train --out' or the "
                  "Export page";
}

// Checks everything the header alone can tell: `head` is the start of the file (at
// least the whole header when the file has one), `fileBytes` its full size. Nothing is
// allocated on the header's word.
ModelFileInfo checkHeader(std::string_view head, std::uint64_t fileBytes, const std::string& name)
{
    if (fileBytes == 0)
        throw core::ArchiveError(name + " is empty (0 bytes), not a Stepwise model file" + resaveHint());
    const std::size_t magicBytes = std::min<std::size_t>(head.size(), kMagic.size());
    if (std::memcmp(head.data(), kMagic.data(), magicBytes) != 0)
        throw core::ArchiveError(foreignMessage(name));
    if (fileBytes < kVersion1HeaderSize)
        throw core::ArchiveError(truncatedMessage(name, fileBytes, kHeaderSize));

    ModelFileInfo info;
    const std::uint64_t version = readLittleEndian(head, kVersionOffset, 4);
    if (version == 0)
        throw core::ArchiveError(name + " says it has model format version 0, which no Stepwise writes: the file "
                                        "is damaged" + resaveHint());
    if (version > kModelFormatVersion) {
        std::string message = name + " has model format version " + std::to_string(version);
        message.append("; this Stepwise reads versions up to ").append(std::to_string(kModelFormatVersion));
        message.append(" — use a newer Stepwise to open it");
        throw core::ArchiveError(message);
    }
    info.formatVersion = static_cast<unsigned>(version);
    if (version == 1) {
        info.payloadBytes = fileBytes - kVersion1HeaderSize;
        return info;
    }

    if (fileBytes < kLengthOffset + 8)
        throw core::ArchiveError(truncatedMessage(name, fileBytes, kHeaderSize));
    const std::uint64_t payload = readLittleEndian(head, kLengthOffset, 8);
    if (payload > std::numeric_limits<std::uint64_t>::max() - kHeaderSize ||
        fileBytes < kHeaderSize + payload)
        throw core::ArchiveError(truncatedMessage(
            name, fileBytes,
            payload > std::numeric_limits<std::uint64_t>::max() - kHeaderSize ? payload : kHeaderSize + payload));
    if (fileBytes > kHeaderSize + payload)
        throw core::ArchiveError(name + " has " + std::to_string(fileBytes - kHeaderSize - payload) +
                                 " bytes after the end its header gives: the file is damaged" + resaveHint());
    const std::uint64_t flags = readLittleEndian(head, kFlagsOffset, 4);
    if ((flags & ~static_cast<std::uint64_t>(kFlagEncrypted)) != 0)
        throw core::ArchiveError(name + " uses header flags this Stepwise does not know (0x" + [&] {
            char hex[16];
            std::snprintf(hex, sizeof hex, "%08llx", static_cast<unsigned long long>(flags));
            return std::string(hex);
        }() + ") — use a newer Stepwise to open it");
    for (std::size_t i = kReservedOffset; i < kHeaderSize; ++i)
        if (head[i] != 0)
            throw core::ArchiveError(name + " has non-zero reserved header bytes: the file is damaged" +
                                     resaveHint());
    info.encrypted = (flags & kFlagEncrypted) != 0;
    info.payloadBytes = payload;
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(head.data() + kDigestOffset),
                   crypto_hash_sha256_BYTES);
    info.payloadSha256 = hex;
    return info;
}

// The key for `passphrase` under the salt and limits; wipes nothing of the caller's.
std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES>
deriveKey(const std::string& passphrase, const unsigned char* salt, std::uint64_t opsLimit, std::uint64_t memLimit)
{
    std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES> key{};
    if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt,
                      static_cast<unsigned long long>(opsLimit), static_cast<std::size_t>(memLimit),
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw core::Error("deriving the encryption key needs " + std::to_string(memLimit >> 20) +
                          " MiB of memory, which the system could not give — close other programs and try again");
    return key;
}

std::string encryptPayload(const std::string& plain, const std::string& passphrase)
{
    if (sodium_init() < 0)
        throw core::Error("libsodium could not be initialised — the system's random source is unavailable");
    std::string out(kEncryptedMarker.data(), kEncryptedMarker.size());
    putLittleEndian(out, crypto_pwhash_ALG_ARGON2ID13, 4);
    putLittleEndian(out, kSaveOpsLimit, 8);
    putLittleEndian(out, kSaveMemLimit, 8);
    unsigned char salt[crypto_pwhash_SALTBYTES];
    randombytes_buf(salt, sizeof salt);
    out.append(reinterpret_cast<const char*>(salt), sizeof salt);

    auto key = deriveKey(passphrase, salt, kSaveOpsLimit, kSaveMemLimit);
    crypto_secretstream_xchacha20poly1305_state state;
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&state, header, key.data());
    sodium_memzero(key.data(), key.size());
    out.append(reinterpret_cast<const char*>(header), sizeof header);

    std::size_t offset = 0;
    std::string cipher(kChunkBytes + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
    do {
        const std::size_t length = std::min(kChunkBytes, plain.size() - offset);
        const bool last = offset + length == plain.size();
        unsigned long long written = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &state, reinterpret_cast<unsigned char*>(cipher.data()), &written,
            reinterpret_cast<const unsigned char*>(plain.data() + offset), length, nullptr, 0,
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        out.append(cipher.data(), static_cast<std::size_t>(written));
        offset += length;
    } while (offset < plain.size());
    sodium_memzero(&state, sizeof state);
    return out;
}

std::string decryptPayload(std::string_view payload, const std::optional<std::string>& passphrase,
                           const std::string& name)
{
    if (payload.size() < kEncryptedPrefix + crypto_secretstream_xchacha20poly1305_ABYTES ||
        std::memcmp(payload.data(), kEncryptedMarker.data(), kEncryptedMarker.size()) != 0)
        throw core::ArchiveError(name + "'s header says it is encrypted but its content is not: the file is "
                                        "damaged" + resaveHint());
    const std::uint64_t algorithm = readLittleEndian(payload, kEncryptedMarker.size(), 4);
    const std::uint64_t opsLimit = readLittleEndian(payload, kEncryptedMarker.size() + 4, 8);
    const std::uint64_t memLimit = readLittleEndian(payload, kEncryptedMarker.size() + 12, 8);
    if (algorithm != static_cast<std::uint64_t>(crypto_pwhash_ALG_ARGON2ID13))
        throw core::ArchiveError(name + " is encrypted with a key derivation this Stepwise does not know (" +
                                 std::to_string(algorithm) + ") — use a newer Stepwise to open it");
    if (opsLimit < crypto_pwhash_OPSLIMIT_MIN || opsLimit > kMaxOpsLimit || memLimit < crypto_pwhash_MEMLIMIT_MIN ||
        memLimit > kMaxMemLimit) {
        std::string message = name + " asks for a key derivation of " + std::to_string(opsLimit) + " passes over ";
        message.append(std::to_string(memLimit >> 20)).append(" MiB; Stepwise allows at most ");
        message.append(std::to_string(kMaxOpsLimit)).append(" passes over ").append(std::to_string(kMaxMemLimit >> 20));
        message.append(" MiB — the file is damaged or was not made by Stepwise");
        throw core::ArchiveError(message);
    }
    if (!passphrase || passphrase->empty())
        throw core::PassphraseError(name + " is encrypted and no passphrase was given — give the passphrase it was "
                                           "saved with");
    if (sodium_init() < 0)
        throw core::Error("libsodium could not be initialised — the system's random source is unavailable");

    auto key = deriveKey(*passphrase, reinterpret_cast<const unsigned char*>(payload.data() + kSaltOffset), opsLimit,
                         memLimit);
    crypto_secretstream_xchacha20poly1305_state state;
    const int initialised = crypto_secretstream_xchacha20poly1305_init_pull(
        &state, reinterpret_cast<const unsigned char*>(payload.data() + kStreamHeaderOffset), key.data());
    sodium_memzero(key.data(), key.size());
    if (initialised != 0)
        throw core::ArchiveError(name + " has a damaged encryption header" + resaveHint());

    std::string plain;
    plain.reserve(payload.size() - kEncryptedPrefix);
    std::string chunk(kChunkBytes, '\0');
    std::size_t offset = kEncryptedPrefix;
    bool first = true;
    unsigned char tag = 0;
    while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
        if (offset == payload.size())
            throw core::ArchiveError(name + " ends before its encrypted content does: the file is damaged" +
                                     resaveHint());
        const std::size_t length =
            std::min(kChunkBytes + crypto_secretstream_xchacha20poly1305_ABYTES, payload.size() - offset);
        unsigned long long got = 0;
        if (length < crypto_secretstream_xchacha20poly1305_ABYTES ||
            crypto_secretstream_xchacha20poly1305_pull(
                &state, reinterpret_cast<unsigned char*>(chunk.data()), &got, &tag,
                reinterpret_cast<const unsigned char*>(payload.data() + offset), length, nullptr, 0) != 0) {
            sodium_memzero(&state, sizeof state);
            // The digest already matched, so the bytes are as written: a first chunk that
            // does not authenticate means another key, i.e. another passphrase.
            if (first)
                throw core::PassphraseError("wrong passphrase for " + name +
                                            " — give the passphrase it was saved with");
            throw core::ArchiveError(name + " has damaged encrypted content" + resaveHint());
        }
        plain.append(chunk.data(), static_cast<std::size_t>(got));
        offset += length;
        first = false;
    }
    sodium_memzero(&state, sizeof state);
    if (offset != payload.size())
        throw core::ArchiveError(name + " has data after its encrypted content: the file is damaged" + resaveHint());
    return plain;
}

/// Opens a model file and reads and checks its header, so a file claiming more than it
/// holds is refused before the rest of it is read.
struct OpenedModelFile {
    std::ifstream in;
    std::uint64_t size = 0;
    std::string head;
    ModelFileInfo info;
};

OpenedModelFile openModelFile(const std::string& path)
{
    OpenedModelFile file;
    file.in.open(path, std::ios::binary);
    if (!file.in)
        throw core::ArchiveError("cannot open model file " + path + ": " + std::strerror(errno));
    file.in.seekg(0, std::ios::end);
    const std::streamoff size = file.in.tellg();
    file.in.seekg(0, std::ios::beg);
    if (size < 0)
        throw core::ArchiveError("cannot read model file " + path + ": it is not a regular file");
    file.size = static_cast<std::uint64_t>(size);
    file.head.assign(std::min<std::size_t>(kHeaderSize, static_cast<std::size_t>(size)), '\0');
    file.in.read(file.head.data(), static_cast<std::streamsize>(file.head.size()));
    file.info = checkHeader(file.head, file.size, path);
    return file;
}

std::string readWholeFile(const std::string& path)
{
    OpenedModelFile file = openModelFile(path);
    std::string bytes(static_cast<std::size_t>(file.size), '\0');
    std::memcpy(bytes.data(), file.head.data(), file.head.size());
    const std::size_t rest = bytes.size() - file.head.size();
    file.in.read(bytes.data() + file.head.size(), static_cast<std::streamsize>(rest));
    if (static_cast<std::size_t>(file.in.gcount()) != rest && rest > 0)
        throw core::ArchiveError("reading model file " + path + " failed: " + std::strerror(errno));
    return bytes;
}

} // namespace

void saveModel(const workflow::FittedPipeline& pipeline, const std::string& path, const ModelSaveOptions& options)
{
    std::ostringstream archiveBytes(std::ios::binary);
    {
        boost::archive::binary_oarchive archive(archiveBytes);
        pipeline.save(archive);
    }
    const bool encrypted = options.passphrase && !options.passphrase->empty();
    const std::string payload = encrypted ? encryptPayload(archiveBytes.str(), *options.passphrase)
                                          : std::move(archiveBytes).str();

    std::string header(kMagic.data(), kMagic.size());
    putLittleEndian(header, kModelFormatVersion, 4);
    putLittleEndian(header, encrypted ? kFlagEncrypted : 0, 4);
    putLittleEndian(header, payload.size(), 8);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
    header.append(reinterpret_cast<const char*>(digest), sizeof digest);
    header.append(kHeaderSize - header.size(), '\0');

    writeFileAtomically(
        path,
        [&](std::ostream& out) {
            out.write(header.data(), static_cast<std::streamsize>(header.size()));
            out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
        },
        true);
}

ModelFileInfo readModelFileInfo(const std::string& path)
{
    return openModelFile(path).info;
}

std::shared_ptr<workflow::FittedPipeline> loadModelFromBytes(const std::string& bytes, const std::string& name,
                                                             const std::optional<std::string>& passphrase)
{
    const ModelFileInfo info = checkHeader(bytes, bytes.size(), name);
    std::string decrypted;
    std::string_view archiveBytes;
    if (info.formatVersion == 1) {
        archiveBytes = std::string_view(bytes).substr(kVersion1HeaderSize);
    } else {
        const std::string_view payload = std::string_view(bytes).substr(kHeaderSize);
        if (core::sha256Hex(payload) != info.payloadSha256)
            throw core::ArchiveError(name + " has been modified or damaged: its content does not match the SHA-256 "
                                            "in its header" + resaveHint());
        if (info.encrypted) {
            decrypted = decryptPayload(payload, passphrase, name);
            archiveBytes = decrypted;
        } else {
            if (payload.size() >= kEncryptedMarker.size() &&
                std::memcmp(payload.data(), kEncryptedMarker.data(), kEncryptedMarker.size()) == 0)
                throw core::ArchiveError(name + "'s header says it is not encrypted but its content is: the file is "
                                                "damaged" + resaveHint());
            archiveBytes = payload;
        }
    }

    auto pipeline = std::make_shared<workflow::FittedPipeline>();
    try {
        std::istringstream in(std::string(archiveBytes), std::ios::binary);
        core::InputArchive archive(in);
        pipeline->load(archive, info.formatVersion);
    } catch (const core::ArchiveError& e) {
        throw core::ArchiveError(name + ": " + e.what() + resaveHint());
    } catch (const std::exception& e) {
        // Boost throws archive_exception for a short read or a foreign archive header
        // (InputArchive itself refuses impossible sizes and bools with ArchiveError).
        throw core::ArchiveError(name + " is damaged (" + e.what() + ")" + resaveHint());
    }
    return pipeline;
}

std::shared_ptr<workflow::FittedPipeline> loadModel(const std::string& path,
                                                    const std::optional<std::string>& passphrase)
{
    return loadModelFromBytes(readWholeFile(path), path, passphrase);
}

} // namespace stepwise::io
