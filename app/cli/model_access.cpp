#include "model_access.hpp"

#include <cstdlib>
#include <fstream>

#include <CLI/CLI.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/io/model_archive.hpp"

namespace stepwise::cli {
namespace {

constexpr const char* kPassphraseVariable = "STEPWISE_PASSPHRASE";

std::string whereToGiveIt()
{
    return std::string("give it with --passphrase-file FILE or the ") + kPassphraseVariable +
           " environment variable";
}

} // namespace

void addModelAccessOptions(CLI::App* command, ModelAccessFlags& flags)
{
    command->add_option("--passphrase-file", flags.passphraseFile,
                        std::string("File whose first line is the passphrase of an encrypted model (default: the ") +
                            kPassphraseVariable + " environment variable)");
}

std::optional<std::string> passphraseFrom(const ModelAccessFlags& flags)
{
    if (!flags.passphraseFile.empty()) {
        std::ifstream in(flags.passphraseFile, std::ios::binary);
        if (!in)
            throw core::InvalidParameter("--passphrase-file " + flags.passphraseFile +
                                         " cannot be read — pass a readable file whose first line is the passphrase");
        std::string line;
        std::getline(in, line);
        // Editors end the line with CR LF on some systems; neither is part of the passphrase.
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            throw core::InvalidParameter("--passphrase-file " + flags.passphraseFile +
                                         " has an empty first line — put the passphrase on it");
        return line;
    }
    if (const char* fromEnvironment = std::getenv(kPassphraseVariable); fromEnvironment && *fromEnvironment)
        return std::string(fromEnvironment);
    return std::nullopt;
}

std::shared_ptr<const workflow::FittedPipeline> openModel(const std::string& path, const ModelAccessFlags& flags)
{
    const std::optional<std::string> passphrase = passphraseFrom(flags);
    try {
        return io::loadModel(path, passphrase);
    } catch (const core::PassphraseError& e) {
        if (passphrase)
            throw;
        throw core::PassphraseError(path + " is encrypted — " + whereToGiveIt());
    }
}

} // namespace stepwise::cli
