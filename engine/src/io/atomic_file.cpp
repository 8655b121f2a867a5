#include "stepwise/io/atomic_file.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stepwise/core/errors.hpp"

namespace stepwise::io {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& action, int error)
{
    std::string message = "cannot write ";
    message.append(path);
    message.append(": ");
    message.append(action);
    message.append(" failed: ");
    message.append(std::strerror(error));
    message.append(" — check that the folder exists and is writable and that the disk has space");
    throw core::Error(message);
}

/// Creates a new temporary file beside `path` (O_EXCL, so never someone else's file);
/// the kernel applies the umask to its mode as it would for a plain new file.
int createTemporary(const std::string& path, std::string& temporary)
{
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path target(path);
    const std::filesystem::path directory = target.parent_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto ticks = static_cast<unsigned long long>(
            std::chrono::steady_clock::now().time_since_epoch().count());
        std::string name = ".";
        name.append(target.filename().string());
        name.append(".");
        name.append(std::to_string(::getpid()));
        name.append("-");
        name.append(std::to_string(counter.fetch_add(1)));
        name.append("-");
        name.append(std::to_string(ticks % 1000000007ULL));
        name.append(".tmp");
        temporary = (directory / name).string();
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST)
            fail(path, "creating a temporary file in its folder", errno);
    }
    fail(path, "creating a temporary file in its folder", EEXIST);
}

} // namespace

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write, bool binary)
{
    std::string temporary;
    int fd = createTemporary(path, temporary);
    try {
        // Keep the permissions of a file being replaced (the temporary got the defaults).
        struct stat existing {};
        if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode))
            ::fchmod(fd, existing.st_mode & 07777);

        std::ofstream out(temporary, binary ? std::ios::out | std::ios::binary | std::ios::trunc
                                            : std::ios::out | std::ios::trunc);
        if (!out)
            fail(path, "opening the temporary file", errno);
        errno = 0;
        write(out);
        out.flush();
        if (!out)
            fail(path, "writing", errno ? errno : EIO);
        out.close();
        if (out.fail())
            fail(path, "writing", errno ? errno : EIO);
        if (::fsync(fd) != 0)
            fail(path, "flushing to disk", errno);
        const int closed = ::close(fd);
        fd = -1;
        if (closed != 0)
            fail(path, "closing the temporary file", errno);
    } catch (...) {
        if (fd >= 0)
            ::close(fd);
        ::unlink(temporary.c_str());
        throw;
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        fail(path, "replacing the file", error);
    }
    // Make the rename itself durable; a failure here cannot lose the data any more.
    const std::filesystem::path directory = std::filesystem::path(path).parent_path();
    const int dirFd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

} // namespace stepwise::io
