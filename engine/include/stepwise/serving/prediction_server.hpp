#pragma once
/// \file
/// \brief The prediction server (CLI.md "Prediction server"): a fitted pipeline behind
/// HTTP(S) on its own threads — `POST /predict`, `GET /health`, `GET /schema`,
/// `GET /metrics` (Prometheus). Used by `stepwise-cli serve` and the Export page.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::serving {

/// \brief How to serve.
struct ServerOptions {
    std::string host = "127.0.0.1";  ///< loopback unless told otherwise
    int port = 8080;                 ///< 0 picks a free port (see `PredictionServer::port`)
    /// \brief When non-empty, every request must carry `Authorization: Bearer <token>`
    /// (401 otherwise).
    std::string bearerToken;
    /// \brief PEM certificate and key: both set serves HTTPS only.
    std::string tlsCertificateFile;
    std::string tlsKeyFile;
    std::size_t maxBodyBytes = 1 << 20;  ///< larger requests get 413
    std::size_t maxRows = 10'000;        ///< rows per /predict request; more get 413
    /// \brief Worker threads started at once, each serving one connection at a time;
    /// 0 = the default, 4 per core and at least 8 (workers mostly wait on their clients'
    /// sockets). More are started while every worker is busy, up to `maxThreads`, and
    /// leave again after 30 s without work.
    int threads = 0;
    /// \brief Most worker threads, i.e. connections served at once (more wait their
    /// turn); 0 = the default, 512. At least `threads`.
    int maxThreads = 0;
    /// \brief A request's line, headers and body must arrive within this many seconds of
    /// its first byte (0.1 to 3600), else it gets 408 or the connection is closed: a
    /// client trickling bytes (slowloris) holds a worker this long at most.
    double requestTimeoutSeconds = 10;
    std::string modelName;               ///< reported by /health, e.g. the file name
};

/// \brief Counters since start, for the Export page.
struct ServerCounters {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;  ///< 4xx and 5xx answers
    std::uint64_t predictedRows = 0;
};

/// \brief Serves one pipeline until `stop`. Malformed, oversized, unauthorised or
/// mistyped requests get a 4xx JSON error `{"error": "..."}` and the server keeps
/// serving.
class PredictionServer {
public:
    /// \brief Validates `options` (throws `InvalidParameter` naming a bad one); does not
    /// bind yet.
    PredictionServer(std::shared_ptr<const workflow::FittedPipeline> pipeline, ServerOptions options);
    /// \brief Stops and joins.
    ~PredictionServer();
    PredictionServer(const PredictionServer&) = delete;
    PredictionServer& operator=(const PredictionServer&) = delete;

    /// \brief Binds and starts serving on background threads; returns once the socket
    /// listens. Throws `core::Error` naming the address when it cannot bind, or the file
    /// when the TLS certificate or key cannot be used.
    void start();
    /// \brief Stops accepting, lets requests in flight finish, joins. Safe to call twice
    /// and from a signal-watching thread.
    void stop();
    /// \brief Blocks until `stop` has finished (the CLI's main thread waits here).
    void wait();

    bool running() const;
    /// \brief The bound port (the chosen one when the options said 0).
    int port() const;
    /// \brief e.g. "http://127.0.0.1:8080" or "https://…".
    std::string url() const;
    ServerCounters counters() const;

    /// \brief Answers `requests` — the raw bytes a client sends on one kept-alive
    /// connection, one or more HTTP/1.1 requests — with the routes, authorisation, limits
    /// and errors of the listening server, without a socket, and returns the bytes the
    /// server sends back. Needs no `start`; for fuzzing and tests, one call at a time.
    std::string answerConnection(std::string_view requests);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace stepwise::serving
