#pragma once
/// \file
/// \brief The archive fitted objects are loaded from: Boost's binary input archive
/// (the same bytes `core::OutputArchive` writes) with checks for damaged input. A length
/// read from the archive (of a string, a list, a matrix) is compared with the bytes left
/// before anything is allocated, and a bool must be stored as 0 or 1; either failure is
/// a `core::ArchiveError` ("the model file is damaged: …") instead of a huge allocation
/// or an invalid bool.

#include <cstddef>
#include <istream>
#include <string>
#include <type_traits>

#include <boost/archive/binary_iarchive_impl.hpp>
#include <boost/archive/detail/register_archive.hpp>
#include <boost/serialization/array_optimization.hpp>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/collection_size_type.hpp>

#include "stepwise/core/archive.hpp"

namespace stepwise::core {

/// \brief Binary input archive that refuses lengths larger than the bytes left in its
/// stream and bools other than 0 and 1 (see the file comment).
class InputArchive
    : public boost::archive::binary_iarchive_impl<InputArchive, std::istream::char_type, std::istream::traits_type> {
    using Base = boost::archive::binary_iarchive_impl<InputArchive, std::istream::char_type, std::istream::traits_type>;

public:
    /// \brief Reads the archive header from `in`. When `in` can seek, its end bounds
    /// every length read later; a stream that cannot seek is read without that bound.
    explicit InputArchive(std::istream& in, unsigned flags = 0);

    /// \brief Throws `ArchiveError` unless `count` items of at least `itemBytes` bytes
    /// each fit into the bytes left in the stream; `what` names the items in the message
    /// (e.g. "matrix coefficients").
    void requireBytes(std::size_t count, std::size_t itemBytes, const char* what);

    /// \brief Array loads of bools go one by one through the checked bool load; other
    /// types are loaded as one block.
    template <class ValueType>
    void load_array(boost::serialization::array_wrapper<ValueType>& array, unsigned version)
    {
        if constexpr (std::is_same_v<ValueType, bool>) {
            for (std::size_t i = 0; i < array.count(); ++i)
                load(array.address()[i]);
        } else {
            requireBytes(array.count(), sizeof(ValueType), "array items");
            Base::load_array(array, version);
        }
    }

    // Boost's archive machinery calls these (public as in Boost's own archives when
    // member template friends are unavailable); they are not for other callers.
    template <class T>
    void load(T& value)
    {
        Base::load(value);
    }
    void load(bool& value);
    void load(std::string& text);

    template <class T>
    void load_override(T& value)
    {
        Base::load_override(value);
    }
    void load_override(boost::serialization::collection_size_type& count);

private:
    /// Bytes left in the stream, or the largest size_t when the stream cannot seek.
    std::size_t bytesLeft();

    std::streamoff m_end = -1;
};

} // namespace stepwise::core

BOOST_SERIALIZATION_REGISTER_ARCHIVE(stepwise::core::InputArchive)
BOOST_SERIALIZATION_USE_ARRAY_OPTIMIZATION(stepwise::core::InputArchive)
