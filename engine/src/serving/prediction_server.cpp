#include "stepwise/serving/prediction_server.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <type_traits>

#include <httplib.h>
#include <openssl/err.h>

#include "serving/elastic_thread_pool.hpp"
#include "serving/guarded_connection.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/serving/prediction_service.hpp"

namespace stepwise::serving {
namespace {

using Clock = std::chrono::steady_clock;

// Each connection is served by one worker thread from its first byte to its last answer
// (guarded_connection.hpp bounds how long a request may take to arrive). An idle
// kept-alive connection is closed after kKeepAlive, and after
// kRequestsPerConnection requests, so that with more clients than workers every client
// gets its turn.
constexpr auto kIoTimeout = std::chrono::seconds(5);
constexpr auto kKeepAlive = std::chrono::seconds(2);
constexpr std::size_t kRequestsPerConnection = 100;
constexpr int kMaxThreads = 1024;
constexpr int kDefaultMaxThreads = 512;
constexpr double kMaxRequestSeconds = 3600;
constexpr std::size_t kPayloadSlack = 64 * 1024;

// When the current request's headers were read. A worker thread handles one request at a
// time from routing to the log callback, so a thread-local stamp is that request's.
thread_local std::optional<Clock::time_point> t_requestStart;

int defaultThreadCount(int maxThreads)
{
    // Workers wait on their connections' sockets more than they compute, so more than
    // one per core (cpp-httplib's own default is max(8, cores − 1)).
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    return std::min(maxThreads, static_cast<int>(std::max(8U, 4U * cores)));
}

// The connection loop of guarded_connection.hpp in place of cpp-httplib's own, for the
// plain and the TLS server alike (cpp-httplib keeps the loop private but lets a
// subclass replace it; the request parsing and routing stay its own).
template <class Base>
class GuardedServer final : public Base {
public:
    template <class... Args>
    explicit GuardedServer(const ConnectionLimits& limits, Args&&... args)
        : Base(std::forward<Args>(args)...), m_limits(limits)
    {
    }

private:
    bool process_and_close_socket(socket_t sock) override
    {
        SSL_CTX* tls = nullptr;
        if constexpr (std::is_same_v<Base, httplib::SSLServer>)
            tls = this->ssl_context();
        serveConnection(sock, tls, m_limits, this->svr_sock_,
                        [this](httplib::Stream& stream, bool closeConnection, bool& connectionClosed) {
                            return this->process_request(stream, closeConnection, connectionClosed, nullptr);
                        });
        return true;
    }

public:
    // cpp-httplib listens with a backlog of 5: when connections arrive faster than its
    // one accepting thread takes them (clients reconnecting after kRequestsPerConnection,
    // bursts), the kernel drops the surplus and the clients resend a second later.
    // listen() again on the bound socket widens the queue (capped by somaxconn).
    void widenBacklog() { ::listen(this->svr_sock_, SOMAXCONN); }

private:
    ConnectionLimits m_limits;
};

// Comparing tokens in a time that does not depend on where they first differ, so the
// answer's timing does not reveal a correct prefix.
bool sameSecret(std::string_view given, std::string_view expected)
{
    unsigned char difference = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < given.size(); ++i)
        difference |= static_cast<unsigned char>(given[i] ^ expected[i % std::max<std::size_t>(1, expected.size())]);
    return difference == 0;
}

// One connection held in memory: the client's bytes are read from a string and the
// server's answer is collected, so request handling can be driven without a socket.
class MemoryStream final : public httplib::Stream {
public:
    explicit MemoryStream(std::string_view input) : m_input(input) {}

    bool is_readable() const override { return true; }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override
    {
        const std::size_t count = std::min(size, m_input.size() - m_position);
        std::memcpy(ptr, m_input.data() + m_position, count);
        m_position += count;
        return static_cast<ssize_t>(count);
    }
    ssize_t write(const char* ptr, size_t size) override
    {
        m_output.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override
    {
        ip = "127.0.0.1";
        port = 0;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override
    {
        ip = "127.0.0.1";
        port = 0;
    }
    socket_t socket() const override { return INVALID_SOCKET; }

    bool exhausted() const { return m_position == m_input.size(); }
    const std::string& output() const { return m_output; }

private:
    std::string_view m_input;
    std::size_t m_position = 0;
    std::string m_output;
};

// The server's request processing for a connection in memory (cpp-httplib keeps it
// protected; the routes and handlers are the listening server's own).
class MemoryServer final : public httplib::Server {
public:
    std::string answer(std::string_view requests, std::size_t maxRequests)
    {
        MemoryStream stream(requests);
        for (std::size_t i = 0; i < maxRequests && !stream.exhausted(); ++i) {
            bool closed = false;
            if (!process_request(stream, i + 1 == maxRequests, closed, nullptr) || closed)
                break;
        }
        return stream.output();
    }
};

void send(httplib::Response& response, const Reply& reply)
{
    response.status = reply.status;
    response.set_content(reply.body, reply.contentType.c_str());
}

std::string errorText(std::string_view what)
{
    std::string text(what);
    if (errno != 0)
        text.append(": ").append(std::strerror(errno));
    return text;
}

void requireReadable(const std::string& path, const char* what)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw core::InvalidParameter(std::string("cannot read the TLS ") + what + " '" + path + "': " +
                                     std::strerror(errno) + " — give a readable PEM file");
}

} // namespace

struct PredictionServer::State {
    std::shared_ptr<const workflow::FittedPipeline> pipeline;
    ServerOptions options;
    std::unique_ptr<PredictionService> service;
    std::unique_ptr<httplib::Server> server;
    std::function<void()> widenBacklog;  // of `server`, once bound
    std::unique_ptr<MemoryServer> memoryServer;  // answerConnection's, made on first use
    std::thread listener;
    int port = 0;
    bool tls = false;

    mutable std::mutex mutex;  // guards the lifecycle: started, running, stop
    std::condition_variable stopped;
    bool started = false;
    bool running = false;

    bool authorised(const httplib::Request& request) const
    {
        if (options.bearerToken.empty())
            return true;
        const std::string header = request.get_header_value("Authorization");
        constexpr std::string_view scheme = "Bearer ";
        if (header.size() < scheme.size() || header.compare(0, scheme.size(), scheme) != 0)
            return false;
        return sameSecret(std::string_view(header).substr(scheme.size()), options.bearerToken);
    }

    static void unauthorised(httplib::Response& response)
    {
        send(response, PredictionService::error(401, "this server needs the header 'Authorization: Bearer <token>' "
                                                     "with its token"));
        response.set_header("WWW-Authenticate", "Bearer");
    }

    static std::string notFound(const httplib::Request& request)
    {
        return "no endpoint " + request.method + " " + request.path +
               " — this server answers POST /predict, GET /health, GET /schema and GET /metrics";
    }

    std::string tooSlow(const char* part) const
    {
        std::string text = "the request ";
        text.append(part).append(" did not arrive within ");
        std::ostringstream seconds;
        seconds << options.requestTimeoutSeconds;
        text.append(seconds.str()).append(" seconds of its first byte");
        return text;
    }

    ConnectionLimits limits() const
    {
        ConnectionLimits limits;
        limits.requestTime = std::chrono::milliseconds(static_cast<long long>(options.requestTimeoutSeconds * 1000));
        limits.ioTime = kIoTimeout;
        limits.keepAliveTime = kKeepAlive;
        limits.handshakeTime = std::max<std::chrono::milliseconds>(limits.requestTime, kIoTimeout);
        limits.requestsPerConnection = kRequestsPerConnection;
        return limits;
    }

    // Reads a request body through `reader`, keeping it in `body` when `keep`; the body is
    // read even when it will be refused, so a kept-alive connection stays in step. Answers
    // 413 past the size limit, 400 for a body cut short, and then returns false.
    bool readBody(const httplib::ContentReader& reader, httplib::Response& response, bool keep, std::string& body)
    {
        std::size_t received = 0;
        bool tooLarge = false;
        const bool complete = reader([&](const char* data, std::size_t length) {
            received += length;
            if (received > options.maxBodyBytes) {
                tooLarge = true;
                return false;
            }
            if (keep)
                body.append(data, length);
            return true;
        });
        if (tooLarge || response.status == 413) {
            send(response, PredictionService::error(413, "the request body is larger than " +
                                                             std::to_string(options.maxBodyBytes) +
                                                             " bytes — send fewer rows per request"));
            response.set_header("Connection", "close");
            closeAfterThisResponse();
            return false;
        }
        if (!complete && requestDeadlinePassed()) {
            send(response, PredictionService::error(408, tooSlow("body")));
            response.set_header("Connection", "close");
            closeAfterThisResponse();
            return false;
        }
        if (!complete) {
            send(response, PredictionService::error(400, "the request body could not be read completely"));
            response.set_header("Connection", "close");
            closeAfterThisResponse();
            return false;
        }
        return true;
    }

    void configure(httplib::Server& http)
    {
        const int maxThreads = options.maxThreads > 0 ? options.maxThreads : kDefaultMaxThreads;
        const int threads = options.threads > 0 ? options.threads : defaultThreadCount(maxThreads);
        http.new_task_queue = [threads, maxThreads] {
            return new ElasticThreadPool(static_cast<std::size_t>(threads),
                                         static_cast<std::size_t>(std::max(threads, maxThreads)));
        };
        // A little above the limit: /predict's own reader stops at the limit and answers
        // 413 for chunked bodies too, where cpp-httplib would only say 400; every other
        // route is still bounded.
        http.set_payload_max_length(options.maxBodyBytes + kPayloadSlack);
        // Only for the Keep-Alive header of the answers: guarded_connection.hpp applies them.
        http.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(kKeepAlive).count());
        http.set_keep_alive_max_count(kRequestsPerConnection);
        // Small answers go out at once instead of waiting for the client's delayed ACK.
        http.set_tcp_nodelay(true);
        // SO_REUSEADDR only: a restart may bind while old connections linger, but unlike
        // cpp-httplib's default (SO_REUSEPORT too) a second server on a port in use fails
        // instead of silently sharing it.
        http.set_socket_options([](socket_t socket) {
            const int yes = 1;
            ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        });

        http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
            t_requestStart = Clock::now();
            return httplib::Server::HandlerResponse::Unhandled;
        });
        http.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
            const double seconds =
                t_requestStart ? std::chrono::duration<double>(Clock::now() - *t_requestStart).count() : 0.0;
            t_requestStart.reset();
            service->record(endpointOf(request.path), response.status, seconds);
        });
        // Named type: a lambda returning HandlerResponse also converts to a plain Handler.
        http.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& request,
                                                                           httplib::Response& response) {
            if (!response.body.empty())
                return httplib::Server::HandlerResponse::Unhandled;
            if ((response.status == 404 || response.status == 405) && !authorised(request)) {
                unauthorised(response);
                return httplib::Server::HandlerResponse::Handled;
            }
            std::string message;
            switch (response.status) {
            case 404:
                message = notFound(request);
                break;
            case 413:
                message = "the request body is larger than " + std::to_string(options.maxBodyBytes) +
                          " bytes — send fewer rows per request";
                break;
            case 414:
                message = "the request line is too long";
                break;
            case 400:
                if (requestDeadlinePassed()) {
                    response.status = 408;
                    message = tooSlow("headers");
                } else {
                    message = "malformed HTTP request";
                }
                break;
            default:
                message = "HTTP status " + std::to_string(response.status);
                break;
            }
            send(response, PredictionService::error(response.status, message));
            // After a request that could not be read whole, the connection is out of step.
            if (response.status == 400 || response.status == 408 || response.status == 413 ||
                response.status == 414) {
                response.set_header("Connection", "close");
                closeAfterThisResponse();
            }
            return httplib::Server::HandlerResponse::Handled;
        }));
        http.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
            std::string message = "internal error";
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                message.append(": ").append(e.what());
            } catch (...) {
            }
            send(response, PredictionService::error(500, message));
        });

        http.Post("/predict", [this](const httplib::Request& request, httplib::Response& response,
                                     const httplib::ContentReader& reader) {
            const bool allowed = authorised(request);
            std::string body;
            if (!readBody(reader, response, allowed, body))
                return;
            if (!allowed)
                unauthorised(response);
            else
                send(response, service->predict(body));
        });
        // Any other request with a body: read within the limit (cpp-httplib 0.11 would read
        // a chunked body of any size into memory for a route without a reader), then
        // refuse it as a request without a body is refused.
        const auto refuseBody = [this](const httplib::Request& request, httplib::Response& response,
                                       const httplib::ContentReader& reader) {
            std::string ignored;
            if (!readBody(reader, response, false, ignored))
                return;
            if (!authorised(request)) {
                unauthorised(response);
                return;
            }
            const Endpoint endpoint = endpointOf(request.path);
            if (endpoint == Endpoint::Other) {
                send(response, PredictionService::error(404, notFound(request)));
                return;
            }
            const char* allowedMethod = endpoint == Endpoint::Predict ? "POST" : "GET";
            send(response, PredictionService::error(405, request.method + " is not allowed on " + request.path +
                                                             " — use " + allowedMethod));
            response.set_header("Allow", allowedMethod);
        };
        http.Post(".*", refuseBody);
        http.Put(".*", refuseBody);
        http.Patch(".*", refuseBody);
        http.Delete(".*", refuseBody);
        const auto get = [this](Reply (PredictionService::*answer)() const) {
            return [this, answer](const httplib::Request& request, httplib::Response& response) {
                if (!authorised(request))
                    unauthorised(response);
                else
                    send(response, (service.get()->*answer)());
            };
        };
        http.Get("/health", get(&PredictionService::health));
        http.Get("/schema", get(&PredictionService::schema));
        http.Get("/metrics", get(&PredictionService::metrics));

        const auto wrongMethod = [this](const char* allowedMethod) {
            return [this, allowedMethod](const httplib::Request& request, httplib::Response& response) {
                if (!authorised(request)) {
                    unauthorised(response);
                    return;
                }
                send(response, PredictionService::error(405, request.method + " is not allowed on " + request.path +
                                                                 " — use " + allowedMethod));
                response.set_header("Allow", allowedMethod);
            };
        };
        http.Get("/predict", wrongMethod("POST"));
        for (const char* path : {"/health", "/schema", "/metrics"})
            http.Post(path, wrongMethod("GET"));
        for (const char* path : {"/predict", "/health", "/schema", "/metrics"}) {
            const char* allowedMethod = std::string_view(path) == "/predict" ? "POST" : "GET";
            http.Put(path, wrongMethod(allowedMethod));
            http.Patch(path, wrongMethod(allowedMethod));
            http.Delete(path, wrongMethod(allowedMethod));
        }
    }
};

PredictionServer::PredictionServer(std::shared_ptr<const workflow::FittedPipeline> pipeline, ServerOptions options)
    : m_state(std::make_unique<State>())
{
    if (!pipeline)
        throw core::InvalidParameter("no pipeline to serve — load a model first");
    if (options.host.empty())
        throw core::InvalidParameter("host is empty — give an address to listen on, e.g. 127.0.0.1");
    if (options.port < 0 || options.port > 65535)
        throw core::InvalidParameter("port " + std::to_string(options.port) +
                                     " is out of range — allowed: 0 (any free port) to 65535");
    if (options.threads < 0 || options.threads > kMaxThreads)
        throw core::InvalidParameter("threads " + std::to_string(options.threads) + " is out of range — allowed: 1 to " +
                                     std::to_string(kMaxThreads) + ", or 0 for the default");
    if (options.maxThreads < 0 || options.maxThreads > kMaxThreads)
        throw core::InvalidParameter("maxThreads " + std::to_string(options.maxThreads) +
                                     " is out of range — allowed: 1 to " + std::to_string(kMaxThreads) +
                                     ", or 0 for the default");
    if (options.maxThreads > 0 && options.threads > options.maxThreads)
        throw core::InvalidParameter("threads " + std::to_string(options.threads) + " is more than maxThreads " +
                                     std::to_string(options.maxThreads) + " — give at most as many as maxThreads");
    if (!(options.requestTimeoutSeconds >= 0.1 && options.requestTimeoutSeconds <= kMaxRequestSeconds))
        throw core::InvalidParameter("requestTimeoutSeconds " + std::to_string(options.requestTimeoutSeconds) +
                                     " is out of range — allowed: 0.1 to 3600 seconds");
    if (options.maxBodyBytes == 0)
        throw core::InvalidParameter("maxBodyBytes is 0 — allowed: 1 or more bytes");
    if (options.maxRows == 0)
        throw core::InvalidParameter("maxRows is 0 — allowed: 1 or more rows per request");
    if (options.tlsCertificateFile.empty() != options.tlsKeyFile.empty())
        throw core::InvalidParameter("HTTPS needs both a TLS certificate and its private key — give both or neither");
    for (char c : options.bearerToken)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            throw core::InvalidParameter("the bearer token contains a space or control character — use printable "
                                         "characters only");
    m_state->pipeline = std::move(pipeline);
    m_state->tls = !options.tlsCertificateFile.empty();
    m_state->service = std::make_unique<PredictionService>(m_state->pipeline, options.modelName, options.maxRows);
    m_state->options = std::move(options);
}

PredictionServer::~PredictionServer() { stop(); }

void PredictionServer::start()
{
    State& state = *m_state;
    const std::lock_guard lock(state.mutex);
    if (state.started)
        throw core::InvalidParameter("the prediction server was already started — create a new one to serve again");
    const ServerOptions& options = state.options;
    if (state.tls) {
        requireReadable(options.tlsCertificateFile, "certificate");
        requireReadable(options.tlsKeyFile, "private key");
        ERR_clear_error();
        auto server = std::make_unique<GuardedServer<httplib::SSLServer>>(
            state.limits(), options.tlsCertificateFile.c_str(), options.tlsKeyFile.c_str());
        if (!server->is_valid()) {
            char reason[256] = "unknown reason";
            if (const unsigned long code = ERR_peek_last_error())
                ERR_error_string_n(code, reason, sizeof reason);
            throw core::InvalidParameter("cannot use the TLS certificate '" + options.tlsCertificateFile +
                                         "' with the key '" + options.tlsKeyFile + "' (" + reason +
                                         ") — give a PEM certificate and its matching unencrypted private key");
        }
        state.widenBacklog = [guarded = server.get()] { guarded->widenBacklog(); };
        state.server = std::move(server);
    } else {
        auto server = std::make_unique<GuardedServer<httplib::Server>>(state.limits());
        state.widenBacklog = [guarded = server.get()] { guarded->widenBacklog(); };
        state.server = std::move(server);
    }
    state.configure(*state.server);

    errno = 0;
    int port = options.port;
    if (options.port == 0)
        port = state.server->bind_to_any_port(options.host);
    else if (!state.server->bind_to_port(options.host, options.port))
        port = -1;
    if (port < 0) {
        std::string where = options.host;
        where.append(":").append(std::to_string(options.port));
        throw core::Error(errorText("cannot listen on " + where) +
                          " — the port may be in use or the address not on this machine; choose another --port or "
                          "--host");
    }
    state.port = port;
    state.widenBacklog();
    httplib::Server* server = state.server.get();
    auto finished = std::make_shared<std::atomic<bool>>(false);
    state.listener = std::thread([server, finished] {
        server->listen_after_bind();
        *finished = true;
    });
    // The socket already accepts connections (the kernel queues them); wait until the
    // accept loop runs so that a stop() right after start() is not lost.
    while (!server->is_running() && !*finished)
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    state.started = true;
    state.running = true;
}

std::string PredictionServer::answerConnection(std::string_view requests)
{
    State& state = *m_state;
    if (!state.memoryServer) {
        state.memoryServer = std::make_unique<MemoryServer>();
        state.configure(*state.memoryServer);
    }
    return state.memoryServer->answer(requests, kRequestsPerConnection);
}

void PredictionServer::stop()
{
    State& state = *m_state;
    std::unique_lock lock(state.mutex);
    if (!state.running)
        return;
    // httplib's stop closes the listening socket; listen_after_bind then shuts its
    // worker pool down, which finishes every accepted connection's requests first.
    state.server->stop();
    if (state.listener.joinable())
        state.listener.join();
    state.running = false;
    lock.unlock();
    state.stopped.notify_all();
}

void PredictionServer::wait()
{
    State& state = *m_state;
    std::unique_lock lock(state.mutex);
    state.stopped.wait(lock, [&] { return !state.running; });
}

bool PredictionServer::running() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->running;
}

int PredictionServer::port() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->port;
}

std::string PredictionServer::url() const
{
    const std::lock_guard lock(m_state->mutex);
    const std::string& host = m_state->options.host;
    std::string url = m_state->tls ? "https://" : "http://";
    // An IPv6 literal is bracketed in a URL.
    if (host.find(':') != std::string::npos)
        url.append("[").append(host).append("]");
    else
        url.append(host);
    url.append(":").append(std::to_string(m_state->port));
    return url;
}

ServerCounters PredictionServer::counters() const { return m_state->service->counters(); }

} // namespace stepwise::serving
