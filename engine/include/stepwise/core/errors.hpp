#pragma once
/// \file
/// \brief The engine's error hierarchy. Boundaries (pages, CLI, server) catch these and
/// show the message; nothing inside the engine swallows them.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace stepwise::core {

/// \brief Base of every error the engine throws on purpose.
class Error : public std::runtime_error {
public:
    /// \brief An error with a complete, user-facing message.
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// \brief Where in an input file something went wrong; zero means "not known".
struct SourceLocation {
    std::string source;   ///< file name (or "builtin:iris", "<text>")
    std::size_t line = 0;   ///< 1-based line number in the file
    std::size_t column = 0; ///< 1-based character column in the line
};

/// \brief Bad input data: malformed file, wrong type, missing column, unusable target.
/// `what()` reads `FILE:LINE:COLUMN: problem — fix` with whatever location is known.
class DataError : public Error {
public:
    /// \brief A data problem without a file position (e.g. "target has one class").
    explicit DataError(const std::string& message);
    /// \brief A data problem at a place in a file.
    DataError(const std::string& message, SourceLocation location);

    /// \brief The location given at construction (fields are zero/empty when unknown).
    const SourceLocation& location() const { return m_location; }
    /// \brief The message without the location prefix.
    const std::string& problem() const { return m_problem; }

private:
    SourceLocation m_location;
    std::string m_problem;
};

/// \brief A hyper-parameter or option outside its allowed range; the message names
/// the parameter, the value given and the allowed range.
class InvalidParameter : public Error {
public:
    using Error::Error;
};

/// \brief predict/transform called on an object that has not been fitted.
class NotFitted : public Error {
public:
    using Error::Error;
};

/// \brief A model or project file that cannot be read: foreign, truncated, tampered,
/// or from an incompatible version.
class ArchiveError : public Error {
public:
    using Error::Error;
};

/// \brief A model file that needs a passphrase to open (none given, or the wrong one).
/// The message says which; front ends ask for the passphrase and try again.
class PassphraseError : public ArchiveError {
public:
    using ArchiveError::ArchiveError;
};

/// \brief A fitted pipeline that a target format cannot express (e.g. a step with no
/// ONNX equivalent). The message names the part and what to do instead.
class UnsupportedExport : public Error {
public:
    using Error::Error;
};

/// \brief Thrown by `TaskControl::checkCancelled()` when the user asked to stop.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled by the user") {}
};

} // namespace stepwise::core
