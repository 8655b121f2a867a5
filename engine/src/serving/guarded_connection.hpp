#pragma once
/// \file
/// \brief One accepted connection of the prediction server (private), read with a
/// deadline for each whole request, not only for each read.
///
/// cpp-httplib's own connection loop gives up only when a single read waits longer
/// than its read timeout, so a client that sends one header byte every few seconds
/// (slowloris) or trickles its body holds a worker thread for as long as it likes. Here
/// every request (request line, headers and body) must arrive within `requestTime` of
/// its first byte; a read past that fails, and the connection is closed. The socket is
/// non-blocking and every wait is a poll() bounded by the deadline, so TLS records
/// trickled a byte at a time are bounded too.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>

#include <httplib.h>

namespace stepwise::serving {

/// \brief The time limits of one connection.
struct ConnectionLimits {
    /// \brief A request's line, headers and body, from its first byte.
    std::chrono::milliseconds requestTime{10'000};
    /// \brief One wait for the client to send or to accept bytes.
    std::chrono::milliseconds ioTime{5'000};
    /// \brief Idle time between two requests on a kept-alive connection.
    std::chrono::milliseconds keepAliveTime{2'000};
    /// \brief The TLS handshake.
    std::chrono::milliseconds handshakeTime{10'000};
    /// \brief Requests before the connection is closed (≥ 1).
    std::size_t requestsPerConnection = 100;
};

/// \brief Answers one request read from `stream`: cpp-httplib's
/// `Server::process_request(stream, closeConnection, connectionClosed, …)`.
using RequestProcessor = std::function<bool(httplib::Stream& stream, bool closeConnection, bool& connectionClosed)>;

/// \brief Serves the accepted socket `sock` until the client closes it, a limit is
/// reached, or `listening` becomes INVALID_SOCKET (the server stops; the request in
/// flight is finished first); then closes it. With `tls` non-null the connection is
/// TLS, accepted with that context.
void serveConnection(socket_t sock, SSL_CTX* tls, const ConnectionLimits& limits,
                     const std::atomic<socket_t>& listening, const RequestProcessor& process);

/// \brief Called by a handler on the connection's thread: the connection closes after
/// this answer (cpp-httplib keeps it open whatever the answer's `Connection` header
/// says, and would read the rest of a refused body as the next request). What the
/// client still sends of its request is then read and dropped for a moment before the
/// socket closes, so that the client is not reset before it reads the answer.
void closeAfterThisResponse();

/// \brief True when the last read on this thread failed because its request's
/// deadline had passed (to answer 408 instead of 400).
bool requestDeadlinePassed();

} // namespace stepwise::serving
