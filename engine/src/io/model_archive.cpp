#include "stepwise/io/model_archive.hpp"

#include <array>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/io/atomic_file.hpp"

namespace stepwise::io {
namespace {

// Fixed header: 8 magic bytes, then the format version as 4 little-endian bytes.
constexpr std::array<char, 8> kMagic = {'S', 'T', 'E', 'P', 'W', 'I', 'S', 'E'};
constexpr std::size_t kHeaderSize = kMagic.size() + 4;

} // namespace

void saveModel(const workflow::FittedPipeline& pipeline, const std::string& path, const ModelSaveOptions& options)
{
    if (options.passphrase)
        throw core::InvalidParameter("passphrase: this build writes model format 1, which has no encryption");
    writeFileAtomically(
        path,
        [&pipeline](std::ostream& out) {
            out.write(kMagic.data(), kMagic.size());
            for (int shift = 0; shift < 32; shift += 8)
                out.put(static_cast<char>((1u >> shift) & 0xFF));
            boost::archive::binary_oarchive archive(out);
            pipeline.save(archive);
        },
        true);
}

std::shared_ptr<workflow::FittedPipeline> loadModel(const std::string& path, const std::optional<std::string>&)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw core::ArchiveError("cannot open model file " + path + ": " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();

    if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
        throw core::ArchiveError(path + " is not a Stepwise model file — pass a file saved by "
                                        "'stepwise-cli train --out' or the Export page");
    unsigned version = 0;
    for (int i = 0; i < 4; ++i)
        version |= static_cast<unsigned>(static_cast<unsigned char>(bytes[kMagic.size() + static_cast<std::size_t>(i)]))
                   << (8 * i);
    if (version > 1 || version == 0)
        throw core::ArchiveError(path + " has model format version " + std::to_string(version) +
                                 "; this Stepwise reads versions up to " + std::to_string(kModelFormatVersion) +
                                 " — use a newer Stepwise");

    auto pipeline = std::make_shared<workflow::FittedPipeline>();
    try {
        std::istringstream payload(bytes.substr(kHeaderSize), std::ios::binary);
        boost::archive::binary_iarchive archive(payload);
        pipeline->load(archive);
    } catch (const core::ArchiveError& e) {
        throw core::ArchiveError(path + ": " + e.what());
    } catch (const std::exception& e) {
        // Boost throws archive_exception for truncation; corrupt sizes can surface as
        // length_error/bad_alloc. All mean the same to the user.
        throw core::ArchiveError(path + " is damaged or truncated (" + e.what() +
                                 ") — save the model again from the run that made it");
    }
    return pipeline;
}

} // namespace stepwise::io
