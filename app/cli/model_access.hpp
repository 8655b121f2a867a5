#pragma once
// How every command that opens a saved model gets at it: the file, and the passphrase of
// an encrypted one (--passphrase-file FILE, else the STEPWISE_PASSPHRASE environment
// variable). Also where `train --out --encrypt` takes its passphrase from.

#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
} // namespace CLI

#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::cli {

/// The flags that say how to open a model file.
struct ModelAccessFlags {
    std::string passphraseFile;  // --passphrase-file: first line of the file is the passphrase
};

/// Adds --passphrase-file to `command`.
void addModelAccessOptions(CLI::App* command, ModelAccessFlags& flags);

/// The passphrase from --passphrase-file, else from STEPWISE_PASSPHRASE, else none.
/// Throws InvalidParameter for an unreadable or empty passphrase file.
std::optional<std::string> passphraseFrom(const ModelAccessFlags& flags);

/// Loads the model at `path`. An encrypted file without a passphrase, or with the wrong
/// one, is a PassphraseError saying where the passphrase comes from (exit code 4).
std::shared_ptr<const workflow::FittedPipeline> openModel(const std::string& path, const ModelAccessFlags& flags);

} // namespace stepwise::cli
