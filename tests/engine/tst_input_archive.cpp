// core::InputArchive: what Boost's binary output archive wrote loads back unchanged, and
// damaged lengths and bools give ArchiveError ("the model file is damaged: …") before any
// allocation — the fixes for what fuzz_model_file found (tests/fuzz/corpus/model_file/
// crash-*).
#include <QtTest>

#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "io/eigen_serialization.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/input_archive.hpp"

using namespace stepwise;

namespace {

struct Content {
    std::string text = "hello";
    std::vector<double> values{1.5, -2.0, 3.25};
    std::vector<std::string> names{"a", "bb"};
    std::map<std::string, int> counts{{"x", 1}, {"y", 2}};
    bool flag = true;
    std::vector<bool> flags{true, false, true};
    Eigen::MatrixXd matrix = Eigen::MatrixXd::Constant(2, 3, 0.5);

    template <class A>
    void serialize(A& archive, unsigned /*version*/)
    {
        archive & text & values & names & counts & flag & flags & matrix;
    }
};

std::string saved(Content content = {})
{
    std::ostringstream out(std::ios::binary);
    {
        boost::archive::binary_oarchive archive(out);
        archive << content;
    }
    return out.str();
}

Content loaded(const std::string& bytes)
{
    std::istringstream in(bytes, std::ios::binary);
    core::InputArchive archive(in);
    Content content;
    content.text.clear();
    content.values.clear();
    content.names.clear();
    content.counts.clear();
    content.flag = false;
    content.flags.clear();
    content.matrix.resize(0, 0);
    archive >> content;
    return content;
}

// Offset of `needle` in `haystack`, failing the test when it is missing.
std::size_t offsetOf(const std::string& haystack, const std::string& needle)
{
    const std::size_t at = haystack.find(needle);
    if (at == std::string::npos)
        qFatal("marker not found in the archive");
    return at;
}

template <class T>
void put(std::string& bytes, std::size_t at, T value)
{
    std::memcpy(bytes.data() + at, &value, sizeof value);
}

void expectDamaged(const std::string& bytes, const char* detail)
{
    try {
        loaded(bytes);
        QFAIL("a damaged archive loaded");
    } catch (const core::ArchiveError& e) {
        const std::string message = e.what();
        QVERIFY2(message.rfind("the model file is damaged: ", 0) == 0, message.c_str());
        QVERIFY2(message.find(detail) != std::string::npos, message.c_str());
    }
}

} // namespace

class TestInputArchive : public QObject {
    Q_OBJECT

private slots:
    void roundTrip()
    {
        const Content original;
        const Content copy = loaded(saved());
        QCOMPARE(copy.text, original.text);
        QVERIFY(copy.values == original.values);
        QVERIFY(copy.names == original.names);
        QVERIFY(copy.counts == original.counts);
        QCOMPARE(copy.flag, true);
        QVERIFY(copy.flags == original.flags);
        QVERIFY(copy.matrix == original.matrix);
    }

    void hugeTextLength()
    {
        std::string bytes = saved();
        // The length (8 bytes) stands right before the text.
        put<std::uint64_t>(bytes, offsetOf(bytes, "hello") - 8, std::uint64_t(1) << 40);
        expectDamaged(bytes, "text bytes");
    }

    void hugeListLength()
    {
        Content content;
        content.values = {7.0, 8.0};
        std::string bytes = saved(content);
        double seven = 7.0;
        const std::size_t first = offsetOf(bytes, std::string(reinterpret_cast<const char*>(&seven), sizeof seven));
        // vector<double>: count (8 bytes), item version (4 bytes), then the values.
        put<std::uint64_t>(bytes, first - 12, std::uint64_t(1) << 50);
        expectDamaged(bytes, "list items");
    }

    void hugeMatrix()
    {
        Content content;
        content.matrix = Eigen::MatrixXd::Constant(3, 5, 0.25);
        std::string bytes = saved(content);
        const std::int64_t size[2] = {3, 5};
        const std::size_t at = offsetOf(bytes, std::string(reinterpret_cast<const char*>(size), sizeof size));
        put<std::int64_t>(bytes, at, std::int64_t(1) << 29);
        expectDamaged(bytes, "matrix coefficients");
        put<std::int64_t>(bytes, at, -3);
        expectDamaged(bytes, "impossible size");
    }

    void boolOtherThanZeroOrOne()
    {
        Content content;
        content.counts = {{"zz", 0x5a5a5a5a}};
        std::string bytes = saved(content);
        // The bool follows the map's last value.
        const std::size_t at = offsetOf(bytes, "\x5a\x5a\x5a\x5a") + 4;
        QCOMPARE(bytes[at], '\x01');
        bytes[at] = '\x5b';
        expectDamaged(bytes, "stored as 91 instead of 0 or 1");
    }
};

QTEST_GUILESS_MAIN(TestInputArchive)
#include "tst_input_archive.moc"
