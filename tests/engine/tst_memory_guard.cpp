// The memory guard in front of every reader: the availability it compares against (each
// limit injected), the estimate per file kind, its message, and a real refusal of a
// 5 GB file under an address-space limit — before reading, within a second.
#include <QtTest>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <sys/resource.h>

#include "data/system_memory.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/data_source.hpp"

using namespace stepwise;

namespace {

constexpr std::uint64_t GB = 1'000'000'000;

// AddressSanitizer reserves terabytes of address space for its shadow memory, so under
// any address-space limit it cannot map anything more (the asan stage skips that case).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
constexpr bool kUnderAddressSanitizer = __has_feature(address_sanitizer);
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

// A file of `bytes` whose first line is a CSV header and the rest a hole: no disk used.
void makeSparseCsv(const std::filesystem::path& path, std::uint64_t bytes)
{
    {
        std::ofstream out(path, std::ios::binary);
        out << "température °C,größe,名前,classé\n";
    }
    std::filesystem::resize_file(path, bytes);
}

} // namespace

class TestMemoryGuard : public QObject {
    Q_OBJECT

private slots:
    void availabilityIsTheSmallestLimit()
    {
        data::MemoryLimits limits;
        QCOMPARE(data::availableMemoryBytes(limits), std::uint64_t(0));  // nothing known
        limits.memAvailable = 8 * GB;
        QCOMPARE(data::availableMemoryBytes(limits), 8 * GB);
        limits.cgroupLeft = 3 * GB;
        QCOMPARE(data::availableMemoryBytes(limits), 3 * GB);
        limits.dataLeft = 2 * GB;
        QCOMPARE(data::availableMemoryBytes(limits), 2 * GB);
        limits.addressSpaceLeft = 4 * GB;
        QCOMPARE(data::availableMemoryBytes(limits), 2 * GB);
        limits.addressSpaceLeft = 1 * GB;
        QCOMPARE(data::availableMemoryBytes(limits), 1 * GB);
        limits = {};
        limits.addressSpaceLeft = 0;
        QCOMPARE(data::availableMemoryBytes(limits), std::uint64_t(1));  // used up, not "unknown"
    }

    void theSystemsLimitsAreRead()
    {
        const data::MemoryLimits limits = data::readMemoryLimits();
        QVERIFY(limits.memAvailable.has_value());
        QVERIFY(*limits.memAvailable > 0);
        QVERIFY(data::availableMemoryBytes() > 0);
    }

    void refusalMessage()
    {
        data::LoadEstimate estimate;
        estimate.fileBytes = 5 * GB;
        estimate.estimatedBytes = 7'500'000'000;
        estimate.availableBytes = 2'100'000'000;
        QVERIFY(estimate.tooLarge());
        QCOMPARE(data::memoryRefusal(estimate, data::FileFormat::Csv),
                 std::string("is 5.0 GB; loading it needs about 7.5 GB but only 2.1 GB of memory is available — load "
                             "a sample of its rows (e.g. the first ones: head -n 100001), close other programs, or "
                             "use a machine with more memory"));
        estimate.availableBytes = 0;  // nothing known: never refuse
        QVERIFY(!estimate.tooLarge());
    }

    // Every bundled dataset is estimated at 2–6 × its size and fits with ease.
    void bundledDatasetsAreNeverRefused_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"titanic", "iris", "wine", "breast_cancer", "diabetes", "tips", "mpg"})
            QTest::newRow(name) << name;
    }

    void bundledDatasetsAreNeverRefused()
    {
        QFETCH(QString, name);
        const std::string path = std::string(STEPWISE_DATASETS_DIR) + "/" + name.toStdString() + ".csv";
        const data::LoadEstimate estimate = data::estimateLoad(data::parseDataLocation(path));
        const double ratio = static_cast<double>(estimate.estimatedBytes) / static_cast<double>(estimate.fileBytes);
        QVERIFY2(ratio >= 2.0 && ratio <= 6.0, std::to_string(ratio).c_str());
        QVERIFY(!estimate.tooLarge());
        QVERIFY(data::loadTable(data::parseDataLocation(path)).rowCount() > 0);
    }

    // A 5 GB file whose start says nothing about the rest is still estimated by its size.
    void sparseFileIsEstimatedBySize()
    {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "données 5 GB.csv";
        makeSparseCsv(path, 5 * GB);
        const data::LoadEstimate estimate = data::estimateLoad(data::parseDataLocation(path.string()));
        QCOMPARE(estimate.fileBytes, 5 * GB);
        QCOMPARE(estimate.estimatedBytes, 10 * GB);
        QCOMPARE(estimate.columns, std::size_t(4));
    }

    // Under a 2 GB address-space limit the load is refused before reading, quickly, with
    // the sizes in the message — and the process is alive to say so.
    void refusedUnderAddressSpaceLimit()
    {
        if (kUnderAddressSanitizer)
            QSKIP("an address-space limit leaves AddressSanitizer no room for its own mappings");
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "big.csv";
        makeSparseCsv(path, 5 * GB);
        rlimit before{};
        QVERIFY(::getrlimit(RLIMIT_AS, &before) == 0);
        rlimit limited = before;
        limited.rlim_cur = 3ull * GB;  // the test's own address space (threads, Qt) included
        QVERIFY(::setrlimit(RLIMIT_AS, &limited) == 0);
        QString message;
        const auto start = std::chrono::steady_clock::now();
        try {
            data::loadTable(data::parseDataLocation(path.string()));
        } catch (const core::DataError& error) {
            message = QString::fromStdString(error.what());
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY(::setrlimit(RLIMIT_AS, &before) == 0);
        QVERIFY2(message.contains("big.csv") && message.contains("is 5.0 GB") && message.contains("needs about 10 GB") &&
                     message.contains("of memory is available"),
                 qPrintable(message));
        QVERIFY2(seconds < 1.0, qPrintable(QString::number(seconds)));
    }
};

QTEST_GUILESS_MAIN(TestMemoryGuard)
#include "tst_memory_guard.moc"
