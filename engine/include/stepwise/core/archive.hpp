#pragma once
/// \file
/// \brief The archive types fitted objects are saved to and loaded from
/// (Boost.Serialization binary archives). Concrete classes implement
/// `save`/`load` with a `serialize(Archive&, unsigned version)` member and declare
/// their class version with `BOOST_CLASS_VERSION`.

namespace boost::archive {
class binary_oarchive;
} // namespace boost::archive

namespace stepwise::core {
/// \brief Archive every fitted object writes itself to.
using OutputArchive = boost::archive::binary_oarchive;
/// \brief Archive every fitted object reads itself from: Boost's binary input archive
/// with checks for damaged input (stepwise/core/input_archive.hpp).
class InputArchive;
} // namespace stepwise::core
