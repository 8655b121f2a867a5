#pragma once
/// \file
/// \brief SHA-256 digests (libsodium) of bytes and files: the model file header's payload
/// check and the training-data hash recorded in every model.

#include <string>
#include <string_view>

namespace stepwise::core {

/// \brief SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string sha256Hex(std::string_view bytes);

/// \brief SHA-256 of the file at `path`, read in chunks (any size); throws `Error`
/// naming the file when it cannot be read.
std::string fileSha256Hex(const std::string& path);

} // namespace stepwise::core
