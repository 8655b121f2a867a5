#pragma once
// Shared by every fuzz target: the reader may reject the input with a Stepwise error
// (that is the point of a clear message); anything else — a crash, a sanitizer report,
// another exception escaping — is a bug the fuzzer reports.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "stepwise/core/errors.hpp"

namespace stepwise::fuzz {

template <class Read>
void expectCleanOutcome(Read&& read)
{
    try {
        read();
    } catch (const core::Error&) {
        // A clear, typed error for bad input: expected.
    }
}

/// Readers that take a path (xlsx, SQLite) get the input through a temporary file.
class TemporaryFile {
public:
    TemporaryFile(const std::uint8_t* data, std::size_t size, const char* suffix)
    {
        m_path = "/tmp/stepwise-fuzz-XXXXXX";
        m_path += suffix;
        const int fd = mkstemps(m_path.data(), static_cast<int>(std::char_traits<char>::length(suffix)));
        if (fd < 0) {
            std::perror("mkstemps");
            std::abort();
        }
        std::size_t written = 0;
        while (written < size) {
            const ssize_t n = ::write(fd, data + written, size - written);
            if (n <= 0) {
                std::perror("write");
                std::abort();
            }
            written += static_cast<std::size_t>(n);
        }
        ::close(fd);
    }
    ~TemporaryFile() { ::unlink(m_path.c_str()); }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace stepwise::fuzz
