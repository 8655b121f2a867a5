#include "mapped_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stepwise/core/errors.hpp"

namespace stepwise::data {
namespace {

std::size_t pageSize()
{
    static const auto size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    return size;
}

[[noreturn]] void failToRead(const std::string& path, int error)
{
    std::string message = "cannot read ";
    message.append(path).append(": ").append(std::strerror(error));
    message.append(" — check that the file is complete and readable");
    throw core::DataError(message);
}

/// Closes the descriptor on every path out of the constructor.
struct Descriptor {
    int fd;
    ~Descriptor()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

MappedFile::MappedFile(const std::string& path)
{
    Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) {
        const int error = errno;
        std::string message = "cannot open ";
        message.append(path).append(": ").append(std::strerror(error));
        message.append(" — check the path and that the file is readable");
        throw core::DataError(message);
    }
    struct stat status {};
    if (::fstat(file.fd, &status) != 0)
        failToRead(path, errno);
    if (S_ISDIR(status.st_mode))
        throw core::DataError("cannot open " + path + ": it is a folder, not a file — choose a .csv or .tsv file");
    if (S_ISREG(status.st_mode)) {
        m_size = static_cast<std::size_t>(status.st_size);
        if (m_size == 0) {
            m_data = "";
            return;
        }
        void* mapping = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, file.fd, 0);
        if (mapping == MAP_FAILED)
            failToRead(path, errno);
        // One pass front to back (per thread): read ahead generously, drop pages behind.
        ::madvise(mapping, m_size, MADV_SEQUENTIAL);
        m_data = static_cast<const char*>(mapping);
        m_mapped = true;
        return;
    }
    // Pipes and devices cannot be mapped: read them whole.
    char block[1 << 16];
    for (;;) {
        const ssize_t count = ::read(file.fd, block, sizeof block);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            failToRead(path, errno);
        }
        if (count == 0)
            break;
        m_buffer.append(block, static_cast<std::size_t>(count));
    }
    m_data = m_buffer.data();
    m_size = m_buffer.size();
}

MappedFile::~MappedFile()
{
    if (m_mapped)
        ::munmap(const_cast<char*>(m_data), m_size);
}

void MappedFile::release(std::size_t begin, std::size_t end) const
{
    if (!m_mapped || begin >= end)
        return;
    const std::size_t page = pageSize();
    const std::size_t first = begin / page * page;
    const std::size_t last = std::min(m_size, (end + page - 1) / page * page);
    if (first < last)
        ::madvise(const_cast<char*>(m_data) + first, last - first, MADV_DONTNEED);
}

void prefaultForWriting(void* data, std::size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
    const std::size_t page = pageSize();
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t first = begin / page * page;
    const std::uintptr_t last = (begin + bytes + page - 1) / page * page;
    if (first < last)
        ::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
#else
    (void)data;
    (void)bytes;
#endif
}

PageBuffer::PageBuffer(std::size_t bytes)
{
    if (bytes == 0)
        return;
    const std::size_t page = pageSize();
    if (bytes > static_cast<std::size_t>(-1) - page)
        throw std::bad_alloc();
    const std::size_t size = (bytes + page - 1) / page * page;
    void* memory = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        throw std::bad_alloc();
    m_data = memory;
    m_size = size;
}

PageBuffer::~PageBuffer() { reset(); }

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{
}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept
{
    if (this != &other) {
        reset();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void PageBuffer::reset()
{
    if (m_data != nullptr)
        ::munmap(m_data, m_size);
    m_data = nullptr;
    m_size = 0;
}

} // namespace stepwise::data
