#pragma once
/// \file
/// \brief The native model file (`.stepwise`).
///
/// Layout (format version 2): a fixed 64-byte header — 8 magic bytes "STEPWISE", format
/// version (u32 LE), flags (u32 LE; bit 0 = encrypted), payload length (u64 LE), SHA-256
/// of the payload (32 bytes), 8 reserved zero bytes — then the payload: the
/// Boost.Serialization archive of the fitted pipeline, or, when encrypted, libsodium's
/// Argon2id salt and limits followed by the XChaCha20-Poly1305 secretstream of that
/// archive. The header is checked before anything is deserialised: a truncated, tampered,
/// foreign or newer-version file is refused with a clear message and the payload length
/// is checked against the file size before any allocation. Version 1 files (magic +
/// version, no length or digest) keep loading.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::io {

/// \brief Current model file format version.
inline constexpr unsigned kModelFormatVersion = 2;

/// \brief How to save.
struct ModelSaveOptions {
    /// \brief When set (non-empty), the payload is encrypted with a key derived from it;
    /// the file then cannot be loaded without it.
    std::optional<std::string> passphrase;
};

/// \brief What the header says, read without deserialising the payload.
struct ModelFileInfo {
    unsigned formatVersion = 0;
    bool encrypted = false;
    std::uint64_t payloadBytes = 0;
    std::string payloadSha256;  ///< hex; empty for version 1 files
};

/// \brief Saves the pipeline to `path` atomically; throws `core::Error` on I/O failure
/// (naming the path and the reason: disk full, read-only folder, …).
void saveModel(const workflow::FittedPipeline& pipeline, const std::string& path,
               const ModelSaveOptions& options = {});

/// \brief Reads and checks the header (magic, version, length against the file size).
/// Throws `ArchiveError` for a missing, foreign, truncated or newer-format file.
ModelFileInfo readModelFileInfo(const std::string& path);

/// \brief Loads a model file. Throws `ArchiveError` for a missing, foreign, truncated,
/// tampered (digest mismatch) or newer-format file, naming the file and what to do;
/// `PassphraseError` when the file is encrypted and `passphrase` is missing or wrong.
std::shared_ptr<workflow::FittedPipeline> loadModel(const std::string& path,
                                                    const std::optional<std::string>& passphrase = std::nullopt);

/// \brief `loadModel` on the bytes of a whole model file already in memory; `name` is
/// what messages call it. The same checks, in the same order, with the same errors.
std::shared_ptr<workflow::FittedPipeline> loadModelFromBytes(const std::string& bytes, const std::string& name,
                                                             const std::optional<std::string>& passphrase = std::nullopt);

} // namespace stepwise::io
