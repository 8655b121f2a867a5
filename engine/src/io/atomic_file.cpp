#include "stepwise/io/atomic_file.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <streambuf>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
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

/// A stream buffer straight onto the temporary file's descriptor. It keeps the errno of
/// the first failed write(2), so a full disk or a file-size limit is reported as such —
/// std::ofstream only sets badbit, and errno may be overwritten by the time it is read.
class DescriptorBuffer : public std::streambuf {
public:
    explicit DescriptorBuffer(int fd) : m_fd(fd) { setp(m_buffer.data(), m_buffer.data() + m_buffer.size()); }

    /// The errno of the first failed write; 0 when every write succeeded.
    int error() const { return m_error; }

    /// Writes what is buffered; false (with `error()` set) when the write failed.
    bool flushBuffer()
    {
        const std::size_t pending = static_cast<std::size_t>(pptr() - pbase());
        setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
        return writeAll(m_buffer.data(), pending);
    }

protected:
    int_type overflow(int_type ch) override
    {
        if (!flushBuffer())
            return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }

    std::streamsize xsputn(const char* data, std::streamsize count) override
    {
        const auto size = static_cast<std::size_t>(count);
        const auto room = static_cast<std::size_t>(epptr() - pptr());
        if (size <= room) {
            std::memcpy(pptr(), data, size);
            pbump(static_cast<int>(size));
            return count;
        }
        // Big blocks (a model's payload) go straight to the file, without a copy.
        if (!flushBuffer() || !writeAll(data, size))
            return 0;
        return count;
    }

    int sync() override { return flushBuffer() ? 0 : -1; }

private:
    bool writeAll(const char* data, std::size_t size)
    {
        if (m_error != 0)
            return false;
        while (size > 0) {
            const ssize_t written = ::write(m_fd, data, size);
            if (written < 0) {
                if (errno == EINTR)
                    continue;
                m_error = errno;
                return false;
            }
            if (written == 0) {
                m_error = EIO;
                return false;
            }
            data += written;
            size -= static_cast<std::size_t>(written);
        }
        return true;
    }

    int m_fd;
    int m_error = 0;
    std::array<char, 1 << 16> m_buffer{};
};

/// The temporary files of `target` start with this; the writer's PID follows.
std::string temporaryPrefix(const std::filesystem::path& target)
{
    std::string prefix = ".";
    prefix.append(target.filename().string());
    prefix.append(".");
    return prefix;
}

/// Removes the temporary files of `target` that a writer killed mid-save (kill -9, power
/// cut after a reboot, crash) left behind: `.<name>.<pid>-<n>-<t>.tmp` whose process no
/// longer exists. A live PID's file is left alone — it may be a save in progress in
/// another process. Best effort: what cannot be listed or removed stays as it was, and the
/// save goes on either way (leftovers take space but never replace the file).
void removeStaleTemporaries(const std::filesystem::path& target)
{
    const std::filesystem::path directory = target.parent_path();
    const std::string prefix = temporaryPrefix(target);
    DIR* listing = ::opendir(directory.empty() ? "." : directory.c_str());
    if (listing == nullptr)
        return;
    const pid_t self = ::getpid();
    while (const dirent* entry = ::readdir(listing)) {
        const std::string name = entry->d_name;
        if (name.size() <= prefix.size() + 4 || name.compare(0, prefix.size(), prefix) != 0 ||
            name.compare(name.size() - 4, 4, ".tmp") != 0)
            continue;
        // <pid>-<counter>-<ticks>, digits only: anything else is not one of ours.
        const std::string stamp = name.substr(prefix.size(), name.size() - prefix.size() - 4);
        const std::size_t dash = stamp.find('-');
        if (dash == 0 || dash == std::string::npos || dash > 9 ||
            stamp.find_first_not_of("0123456789-") != std::string::npos)
            continue;
        const pid_t pid = static_cast<pid_t>(std::stol(stamp.substr(0, dash)));
        if (pid <= 0 || pid == self || ::kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        ::unlink((directory / name).c_str());
    }
    ::closedir(listing);
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
        std::string name = temporaryPrefix(target);
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

void checkFolderTakesFiles(const std::string& path)
{
    std::string temporary;
    const int fd = createTemporary(path, temporary);
    ::close(fd);
    ::unlink(temporary.c_str());
}

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write, bool)
{
    // POSIX files have no text mode, so `binary` changes nothing here.
    removeStaleTemporaries(std::filesystem::path(path));
    std::string temporary;
    int fd = createTemporary(path, temporary);
    try {
        // Keep the permissions of a file being replaced (the temporary got the defaults).
        struct stat existing {};
        if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode))
            ::fchmod(fd, existing.st_mode & 07777);

        DescriptorBuffer buffer(fd);
        std::ostream out(&buffer);
        write(out);
        // Every error is checked: write (ENOSPC, EFBIG, EIO), then fsync and close, where
        // NFS and some file systems only report that the data did not fit.
        if (!buffer.flushBuffer() || !out)
            fail(path, "writing", buffer.error() != 0 ? buffer.error() : EIO);
        if (::fsync(fd) != 0)
            fail(path, "flushing to disk", errno);
        const int closed = ::close(fd);
        fd = -1;
        // After EINTR Linux has released the descriptor and the data is already synced.
        if (closed != 0 && errno != EINTR)
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
