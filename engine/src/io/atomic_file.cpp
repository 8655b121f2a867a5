#include "stepwise/io/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fcntl.h>
#include <unistd.h>

#include "stepwise/core/errors.hpp"

namespace stepwise::io {
namespace {

std::string temporaryNameFor(const std::filesystem::path& target)
{
    std::random_device device;
    std::string name = ".";
    name.append(target.filename().string());
    name.append(".tmp-");
    name.append(std::to_string(static_cast<unsigned long long>(device()) << 32 | device()));
    return (target.parent_path() / name).string();
}

void syncFile(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write, bool binary)
{
    const std::filesystem::path target(path);
    const std::string temporary = temporaryNameFor(target.has_parent_path() ? target : "./" / target);
    try {
        {
            std::ofstream out(temporary, binary ? std::ios::binary | std::ios::trunc : std::ios::trunc);
            if (!out)
                throw core::Error("cannot write " + path + ": " + std::strerror(errno));
            write(out);
            out.flush();
            if (!out)
                throw core::Error("cannot write " + path + ": " + std::strerror(errno));
        }
        syncFile(temporary);
        if (std::rename(temporary.c_str(), path.c_str()) != 0)
            throw core::Error("cannot write " + path + ": " + std::strerror(errno));
    } catch (...) {
        std::remove(temporary.c_str());
        throw;
    }
}

} // namespace stepwise::io
