#pragma once
// Memory the big-file readers manage by pages: a read-only file mapping whose parsed pages
// can be given back, and anonymous buffers that go back to the system the moment they are
// freed (a malloc'ed buffer freed in the middle of the heap would stay in the resident set).

#include <cstddef>
#include <string>
#include <string_view>

namespace stepwise::data {

/// A whole file, memory-mapped read-only (read into memory instead when it cannot be
/// mapped, e.g. a pipe).
class MappedFile {
public:
    /// Opens and maps `path`; throws `DataError` ("cannot open …" / "cannot read …").
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    /// The file's bytes.
    std::string_view text() const { return {m_data, m_size}; }
    /// Drops the pages holding text()[begin, end) from this process's memory; touching
    /// them again reads them back from the file, so it is safe while other threads read.
    void release(std::size_t begin, std::size_t end) const;

private:
    const char* m_data = nullptr;
    std::size_t m_size = 0;
    bool m_mapped = false;
    std::string m_buffer;
};

/// Zero-filled memory straight from the system (mmap), returned by munmap when freed.
/// Pages that are never touched take no memory. Move-only.
class PageBuffer {
public:
    PageBuffer() = default;
    /// At least `bytes` bytes; throws `std::bad_alloc` when the system refuses.
    explicit PageBuffer(std::size_t bytes);
    ~PageBuffer();
    PageBuffer(PageBuffer&& other) noexcept;
    PageBuffer& operator=(PageBuffer&& other) noexcept;
    PageBuffer(const PageBuffer&) = delete;
    PageBuffer& operator=(const PageBuffer&) = delete;

    void* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    /// Returns the memory now.
    void reset();

private:
    void* m_data = nullptr;
    std::size_t m_size = 0;
};

/// Makes the pages of [data, data + bytes) resident and writable in one system call: a
/// buffer about to be filled sequentially then takes no page fault per 4 KB. Only a hint:
/// nothing happens where the system cannot do it.
void prefaultForWriting(void* data, std::size_t bytes);

} // namespace stepwise::data
