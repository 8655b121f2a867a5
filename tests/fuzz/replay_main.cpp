// Replays saved fuzz inputs (seeds and every crash a fuzzer once found) through a fuzz
// target without libFuzzer, so the regression suite runs them with the normal compiler
// and, in the asan preset, under the sanitizers. Like libFuzzer (-malloc_limit_mb), a
// single allocation larger than kAllocationLimit aborts: a length read from a damaged
// input must never become a huge allocation, whether or not the system would grant it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr std::size_t kAllocationLimit = std::size_t(1) << 30;

void checkSize(std::size_t size)
{
    if (size > kAllocationLimit) {
        std::fprintf(stderr, "replay: an allocation of %zu bytes (more than %zu): a size read from the input was "
                             "not checked\n", size, kAllocationLimit);
        std::abort();
    }
}

void* allocate(std::size_t size, const std::nothrow_t&) noexcept
{
    checkSize(size);
    return std::malloc(size == 0 ? 1 : size);
}

void* allocate(std::size_t size)
{
    if (void* memory = allocate(size, std::nothrow))
        return memory;
    throw std::bad_alloc();
}

void* allocate(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept
{
    checkSize(size);
    const auto align = static_cast<std::size_t>(alignment);
    const std::size_t rounded = (size == 0 ? align : (size + align - 1) / align * align);  // aligned_alloc's rule
    return std::aligned_alloc(align, rounded);
}

void* allocate(std::size_t size, std::align_val_t alignment)
{
    if (void* memory = allocate(size, alignment, std::nothrow))
        return memory;
    throw std::bad_alloc();
}

} // namespace

// Every replaceable form (plain, array, nothrow, aligned), so memory from any of them is
// given back by the matching delete: a library's nothrow new (std::stable_sort's buffer)
// freed by our delete is an alloc-dealloc mismatch under ASan otherwise.
void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t& tag) noexcept { return allocate(size, tag); }
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return allocate(size, tag); }
void* operator new(std::size_t size, std::align_val_t alignment) { return allocate(size, alignment); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return allocate(size, alignment); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t& tag) noexcept
{
    return allocate(size, alignment, tag);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t& tag) noexcept
{
    return allocate(size, alignment, tag);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }

int main(int argc, char** argv)
{
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(argv[i])) {
            for (const auto& entry : std::filesystem::directory_iterator(argv[i]))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
        } else {
            files.emplace_back(argv[i]);
        }
        for (const auto& path : files) {
            std::ifstream in(path, std::ios::binary);
            const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            ++replayed;
        }
    }
    std::printf("replayed %zu inputs\n", replayed);
    return replayed == 0 ? 1 : 0;
}
