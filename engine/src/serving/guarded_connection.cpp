#include "serving/guarded_connection.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace stepwise::serving {
namespace {

using Clock = std::chrono::steady_clock;

thread_local bool t_deadlinePassed = false;
thread_local bool t_closeAfterResponse = false;

// How often an idle kept-alive connection looks whether the server is stopping.
constexpr std::chrono::milliseconds kStopCheck{100};

// A lingering close (see dropWhatTheClientStillSends) lasts at most kLingerTime, and ends
// sooner when the client sends nothing for kLingerIdle.
constexpr std::chrono::milliseconds kLingerTime{2'000};
constexpr std::chrono::milliseconds kLingerIdle{1'000};

void ipAndPort(const sockaddr_storage& address, std::string& ip, int& port)
{
    char text[INET6_ADDRSTRLEN] = "";
    if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        port = ntohs(v4.sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        port = ntohs(v6.sin6_port);
    } else {
        port = 0;
    }
    ip = text;
}

// Waits until `sock` is ready for `events` or `until`; > 0 ready, 0 timed out, < 0 error.
int waitUntil(socket_t sock, short events, Clock::time_point until)
{
    for (;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
        if (left <= 0)
            return 0;
        pollfd entry{sock, events, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, 60'000)));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0 && Clock::now() < until)
            continue;
        if (ready > 0 && (entry.revents & (POLLERR | POLLNVAL)) != 0 && (entry.revents & events) == 0)
            return -1;
        return ready;
    }
}

/// One request's view of the connection: reads buffered (cpp-httplib reads the request
/// line and headers a byte at a time) and bounded by the request's deadline.
class GuardedStream final : public httplib::Stream {
public:
    GuardedStream(socket_t sock, SSL* ssl, const ConnectionLimits& limits)
        : m_sock(sock), m_ssl(ssl), m_limits(limits)
    {
    }

    /// Starts the next request's deadline.
    void startRequest() { m_deadline = Clock::now() + m_limits.requestTime; }

    bool hasBuffered() const { return m_begin < m_end || (m_ssl != nullptr && ::SSL_pending(m_ssl) > 0); }

    bool is_readable() const override
    {
        return hasBuffered() || waitUntil(m_sock, POLLIN, readLimit()) > 0;
    }

    bool is_writable() const override { return waitUntil(m_sock, POLLOUT, Clock::now() + m_limits.ioTime) > 0; }

    ssize_t read(char* ptr, std::size_t size) override
    {
        if (m_begin == m_end) {
            if (size >= m_buffer.size())
                return receive(ptr, size);
            const ssize_t got = receive(m_buffer.data(), m_buffer.size());
            if (got <= 0)
                return got;
            m_begin = 0;
            m_end = static_cast<std::size_t>(got);
        }
        const std::size_t count = std::min(size, m_end - m_begin);
        std::memcpy(ptr, m_buffer.data() + m_begin, count);
        m_begin += count;
        return static_cast<ssize_t>(count);
    }

    ssize_t write(const char* ptr, std::size_t size) override
    {
        const Clock::time_point until = Clock::now() + m_limits.ioTime;
        for (;;) {
            if (m_ssl != nullptr) {
                ERR_clear_error();
                const int sent = ::SSL_write(m_ssl, ptr, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
                if (sent > 0)
                    return sent;
                if (!waitForTls(::SSL_get_error(m_ssl, sent), until))
                    return -1;
                continue;
            }
            const ssize_t sent = ::send(m_sock, ptr, size, MSG_NOSIGNAL);
            if (sent >= 0)
                return sent;
            if (errno == EINTR)
                continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || waitUntil(m_sock, POLLOUT, until) <= 0)
                return -1;
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override
    {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (::getpeername(m_sock, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            ipAndPort(address, ip, port);
    }

    void get_local_ip_and_port(std::string& ip, int& port) const override
    {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (::getsockname(m_sock, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            ipAndPort(address, ip, port);
    }

    socket_t socket() const override { return m_sock; }

private:
    // A read waits for one I/O timeout at most, and never past the request's deadline.
    Clock::time_point readLimit() const { return std::min(Clock::now() + m_limits.ioTime, m_deadline); }

    bool waitForTls(int error, Clock::time_point until) const
    {
        if (error == SSL_ERROR_WANT_READ)
            return waitUntil(m_sock, POLLIN, until) > 0;
        if (error == SSL_ERROR_WANT_WRITE)
            return waitUntil(m_sock, POLLOUT, until) > 0;
        return false;
    }

    ssize_t receive(char* ptr, std::size_t size)
    {
        for (;;) {
            const Clock::time_point until = readLimit();
            if (Clock::now() >= m_deadline) {
                t_deadlinePassed = true;
                return -1;
            }
            if (m_ssl != nullptr) {
                ERR_clear_error();
                const int got = ::SSL_read(m_ssl, ptr, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
                if (got > 0)
                    return got;
                const int error = ::SSL_get_error(m_ssl, got);
                if (error == SSL_ERROR_ZERO_RETURN)
                    return 0;
                if (!waitForTls(error, until))
                    return timedOut();
                continue;
            }
            const ssize_t got = ::recv(m_sock, ptr, size, 0);
            if (got >= 0)
                return got;
            if (errno == EINTR)
                continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || waitUntil(m_sock, POLLIN, until) <= 0)
                return timedOut();
        }
    }

    ssize_t timedOut() const
    {
        if (Clock::now() >= m_deadline)
            t_deadlinePassed = true;
        return -1;
    }

    socket_t m_sock;
    SSL* m_ssl;
    const ConnectionLimits& m_limits;
    Clock::time_point m_deadline = Clock::now();
    std::array<char, 4096> m_buffer{};
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
};

// The handshake on the non-blocking socket, within `limits.handshakeTime` as a whole.
bool acceptTls(SSL* ssl, socket_t sock, const ConnectionLimits& limits)
{
    const Clock::time_point until = Clock::now() + limits.handshakeTime;
    for (;;) {
        ERR_clear_error();
        const int done = ::SSL_accept(ssl);
        if (done == 1)
            return true;
        const int error = ::SSL_get_error(ssl, done);
        if (error == SSL_ERROR_WANT_READ) {
            if (waitUntil(sock, POLLIN, until) <= 0)
                return false;
        } else if (error == SSL_ERROR_WANT_WRITE) {
            if (waitUntil(sock, POLLOUT, until) <= 0)
                return false;
        } else {
            return false;
        }
    }
}

// Waits for the next request's first byte: false when the client leaves, stays idle
// past the keep-alive time, or the server stops.
bool nextRequestArrives(const GuardedStream& stream, socket_t sock, const ConnectionLimits& limits,
                        const std::atomic<socket_t>& listening)
{
    if (stream.hasBuffered())
        return true;
    const Clock::time_point until = Clock::now() + limits.keepAliveTime;
    while (listening != INVALID_SOCKET) {
        const Clock::time_point now = Clock::now();
        if (now >= until)
            return false;
        const int ready = waitUntil(sock, POLLIN, std::min(until, now + kStopCheck));
        if (ready != 0)
            return ready > 0;
    }
    return false;
}

// Closing a socket with unread bytes resets the connection, and a client still sending
// a refused body (413 at the limit, 408, a body cut short) fails its next write and may
// never read the answer already sent. So the answer is followed by our FIN, and what
// the client still sends is read and dropped until it closes, stays idle for
// kLingerIdle, or kLingerTime has passed (nginx's "lingering close").
void dropWhatTheClientStillSends(socket_t sock)
{
    ::shutdown(sock, SHUT_WR);
    const Clock::time_point until = Clock::now() + kLingerTime;
    std::array<char, 16384> dropped{};
    while (waitUntil(sock, POLLIN, std::min(until, Clock::now() + kLingerIdle)) > 0) {
        const ssize_t got = ::recv(sock, dropped.data(), dropped.size(), 0);
        if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
            break;
    }
}

} // namespace

bool requestDeadlinePassed() { return t_deadlinePassed; }

void closeAfterThisResponse() { t_closeAfterResponse = true; }

void serveConnection(socket_t sock, SSL_CTX* tls, const ConnectionLimits& limits,
                     const std::atomic<socket_t>& listening, const RequestProcessor& process)
{
    const int flags = ::fcntl(sock, F_GETFL, 0);
    SSL* ssl = nullptr;
    bool usable = flags >= 0 && ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) == 0;
    if (usable && tls != nullptr) {
        ssl = ::SSL_new(tls);
        usable = ssl != nullptr && ::SSL_set_fd(ssl, sock) == 1 && acceptTls(ssl, sock, limits);
    }
    bool answeredUnreadRequest = false;
    if (usable) {
        GuardedStream stream(sock, ssl, limits);
        for (std::size_t left = std::max<std::size_t>(1, limits.requestsPerConnection);
             left > 0 && nextRequestArrives(stream, sock, limits, listening); --left) {
            t_deadlinePassed = false;
            t_closeAfterResponse = false;
            stream.startRequest();
            bool closed = false;
            const bool processed = process(stream, left == 1, closed);
            answeredUnreadRequest = t_closeAfterResponse || t_deadlinePassed;
            if (!processed || closed || answeredUnreadRequest)
                break;
        }
    }
    if (ssl != nullptr) {
        // One close_notify without waiting for the client's: the socket closes next.
        if (usable)
            ::SSL_shutdown(ssl);
        ::SSL_free(ssl);
    }
    if (answeredUnreadRequest)
        dropWhatTheClientStillSends(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
}

} // namespace stepwise::serving
