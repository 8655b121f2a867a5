#include "serve_command.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <pthread.h>
#include <thread>

#include <CLI/CLI.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/serving/prediction_server.hpp"

namespace stepwise::cli {
namespace {

std::string fileName(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The token without the line end an editor or `echo` leaves after it.
std::string readToken(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw core::InvalidParameter("cannot read the token file '" + path + "' — give a readable file holding the "
                                     "bearer token");
    std::string token((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' ||
                              token.back() == '\t'))
        token.pop_back();
    if (token.empty())
        throw core::InvalidParameter("the token file '" + path + "' is empty — write the bearer token into it");
    return token;
}

} // namespace

CLI::App* addServeCommand(CLI::App& app, ServeOptions& options)
{
    CLI::App* command = app.add_subcommand(
        "serve", "Serve a saved model over HTTP(S): POST /predict, GET /health, GET /schema, GET /metrics "
                 "(Prometheus); stops on SIGTERM or Ctrl-C after finishing the requests in flight");
    command->add_option("model", options.model, "Model file (.stepwise)")->required();
    command->add_option("--host", options.host, "Address to listen on (default 127.0.0.1: this machine only)");
    command->add_option("--port", options.port, "Port (default 8080; 0 picks a free one, printed on start)")
        ->check(CLI::Range(0, 65535));
    command->add_option("--token-file", options.tokenFile,
                        "File holding a bearer token every request must carry (Authorization: Bearer TOKEN); "
                        "default: the environment variable STEPWISE_TOKEN, if set");
    CLI::Option* cert = command->add_option("--tls-cert", options.tlsCert, "PEM certificate: serve HTTPS only");
    CLI::Option* key = command->add_option("--tls-key", options.tlsKey, "PEM private key of --tls-cert");
    cert->needs(key);
    key->needs(cert);
    command->add_option("--max-body-bytes", options.maxBodyBytes,
                        "Largest request body accepted; larger ones get 413 (default 1048576)")
        ->check(CLI::Range(static_cast<std::size_t>(1), static_cast<std::size_t>(1) << 30));
    command->add_option("--max-rows", options.maxRows, "Most rows per /predict request; more get 413 (default 10000)")
        ->check(CLI::Range(static_cast<std::size_t>(1), static_cast<std::size_t>(10'000'000)));
    command->add_option("--threads", options.threads,
                        "Worker threads started at once, each serving one connection at a time (default: 4 per "
                        "core, at least 8); more start while all are busy, up to --max-threads")
        ->check(CLI::Range(1, 1024));
    command->add_option("--max-threads", options.maxThreads,
                        "Most worker threads, i.e. connections served at once; more wait their turn (default 512, "
                        "at least --threads)")
        ->check(CLI::Range(1, 1024));
    command->add_option("--request-timeout", options.requestTimeout,
                        "Seconds a request's headers and body may take to arrive from its first byte; slower "
                        "clients get 408 or are disconnected, so a client trickling bytes holds a worker this long "
                        "at most (default 10)")
        ->check(CLI::Range(0.1, 3600.0));
    command->add_flag("--quiet", options.quiet, "Print only the serving line and errors");
    addModelAccessOptions(command, options.access);
    return command;
}

int runServe(const ServeOptions& options)
{
    serving::ServerOptions server;
    server.host = options.host;
    server.port = options.port;
    if (!options.tokenFile.empty())
        server.bearerToken = readToken(options.tokenFile);
    else if (const char* token = std::getenv("STEPWISE_TOKEN"); token && *token)
        server.bearerToken = token;
    server.tlsCertificateFile = options.tlsCert;
    server.tlsKeyFile = options.tlsKey;
    server.maxBodyBytes = options.maxBodyBytes;
    server.maxRows = options.maxRows;
    server.threads = options.threads;
    server.maxThreads = options.maxThreads;
    server.requestTimeoutSeconds = options.requestTimeout;
    server.modelName = fileName(options.model);

    std::shared_ptr<const workflow::FittedPipeline> pipeline = openModel(options.model, options.access);

    // SIGTERM and SIGINT are taken by one thread with sigwait; blocked before any other
    // thread exists, so every thread the server starts inherits the block and none of
    // them is interrupted.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    serving::PredictionServer prediction(std::move(pipeline), std::move(server));
    prediction.start();
    std::printf("stepwise-cli: serving %s on %s\n", options.model.c_str(), prediction.url().c_str());
    std::fflush(stdout);

    std::thread watcher([&] {
        int signal = 0;
        sigwait(&signals, &signal);
        if (!options.quiet)
            std::fprintf(stderr, "stepwise-cli: %s received, finishing the requests in flight\n",
                         signal == SIGTERM ? "SIGTERM" : "SIGINT");
        prediction.stop();
    });
    prediction.wait();
    watcher.join();
    if (!options.quiet) {
        const serving::ServerCounters counters = prediction.counters();
        std::fprintf(stderr, "stepwise-cli: stopped after %llu requests (%llu errors, %llu rows predicted)\n",
                     static_cast<unsigned long long>(counters.requests),
                     static_cast<unsigned long long>(counters.errors),
                     static_cast<unsigned long long>(counters.predictedRows));
    }
    return 0;
}

} // namespace stepwise::cli
