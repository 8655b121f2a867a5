#pragma once
// `stepwise-cli serve`: a saved model behind the prediction server (CLI.md "Prediction
// server") until SIGTERM or SIGINT.

#include <cstddef>
#include <string>

#include "model_access.hpp"

namespace CLI {
class App;
}

namespace stepwise::cli {

struct ServeOptions {
    std::string model;
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string tokenFile;  // else the environment variable STEPWISE_TOKEN
    std::string tlsCert;
    std::string tlsKey;
    std::size_t maxBodyBytes = 1 << 20;
    std::size_t maxRows = 10'000;
    int threads = 0;     // 0 = the server's default
    int maxThreads = 0;  // 0 = the server's default
    double requestTimeout = 10;
    bool quiet = false;
    ModelAccessFlags access;  // the passphrase of an encrypted model
};

/// Adds the `serve` subcommand and its flags to `app`.
CLI::App* addServeCommand(CLI::App& app, ServeOptions& options);

/// Serves until SIGTERM or SIGINT, then finishes the requests in flight; returns 0.
int runServe(const ServeOptions& options);

} // namespace stepwise::cli
