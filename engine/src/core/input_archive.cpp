#include "stepwise/core/input_archive.hpp"

#include <limits>

// Boost compiles its archive templates only for its own archive classes; these are the
// same instantiations for InputArchive (as Boost's portable_binary_iarchive example does).
#include <boost/archive/impl/archive_serializer_map.ipp>
#include <boost/archive/impl/basic_binary_iarchive.ipp>
#include <boost/archive/impl/basic_binary_iprimitive.ipp>

#include "stepwise/core/errors.hpp"

namespace boost::archive {
template class detail::archive_serializer_map<stepwise::core::InputArchive>;
template class basic_binary_iprimitive<stepwise::core::InputArchive, std::istream::char_type,
                                       std::istream::traits_type>;
template class basic_binary_iarchive<stepwise::core::InputArchive>;
template class binary_iarchive_impl<stepwise::core::InputArchive, std::istream::char_type,
                                    std::istream::traits_type>;
} // namespace boost::archive

namespace stepwise::core {

InputArchive::InputArchive(std::istream& in, unsigned flags) : Base(*in.rdbuf(), flags)
{
    std::streambuf& buffer = *in.rdbuf();
    const std::streamoff here = buffer.pubseekoff(0, std::ios::cur, std::ios::in);
    if (here >= 0) {
        m_end = buffer.pubseekoff(0, std::ios::end, std::ios::in);
        buffer.pubseekpos(here, std::ios::in);
    }
    init(flags);
}

std::size_t InputArchive::bytesLeft()
{
    if (m_end < 0)
        return std::numeric_limits<std::size_t>::max();
    const std::streamoff here = m_sb.pubseekoff(0, std::ios::cur, std::ios::in);
    if (here < 0 || here > m_end)
        return 0;
    return static_cast<std::size_t>(m_end - here);
}

void InputArchive::requireBytes(std::size_t count, std::size_t itemBytes, const char* what)
{
    const std::size_t left = bytesLeft();
    if (itemBytes != 0 && count > left / itemBytes) {
        std::string message = "the model file is damaged: it claims ";
        message.append(std::to_string(count)).append(" ").append(what).append(" but only ");
        message.append(std::to_string(left)).append(" bytes are left");
        throw ArchiveError(message);
    }
}

void InputArchive::load(bool& value)
{
    unsigned char byte = 0;
    load_binary(&byte, 1);
    if (byte > 1) {
        std::string message = "the model file is damaged: a yes/no value is stored as ";
        message.append(std::to_string(byte)).append(" instead of 0 or 1");
        throw ArchiveError(message);
    }
    value = byte == 1;
}

void InputArchive::load(std::string& text)
{
    std::size_t length = 0;
    load(length);
    requireBytes(length, 1, "text bytes");
    text.resize(length);
    if (length > 0)
        load_binary(text.data(), length);
}

void InputArchive::load_override(boost::serialization::collection_size_type& count)
{
    Base::load_override(count);
    // Every item of a list takes at least one byte.
    requireBytes(count, 1, "list items");
}

} // namespace stepwise::core
