// writeFileAtomically under faults: a full file system (a small tmpfs, as root) and a
// file-size limit (RLIMIT_FSIZE, any user) fail with the path and the OS reason, keep the
// previous file and leave no temporary file; a read-only file system likewise; temporary
// files left by a killed writer (its PID gone) are removed by the next save, those of a
// live process and files that only look alike are kept.
#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <csignal>
#include <functional>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stepwise/core/errors.hpp"
#include "stepwise/io/atomic_file.hpp"

using namespace stepwise;

namespace {

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> filesIn(const std::string& folder)
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// The message of the core::Error that `write` throws; empty when it throws none.
std::string failureOf(const std::function<void()>& write)
{
    try {
        write();
    } catch (const core::Error& error) {
        return error.what();
    }
    return {};
}

/// A tmpfs of `size` on `folder` for the scope (root only); `mounted` says whether it is.
class ScopedTmpfs {
public:
    ScopedTmpfs(const std::string& folder, const char* size) : m_folder(folder)
    {
        const std::string options = std::string("size=") + size + ",mode=0755";
        m_mounted = ::geteuid() == 0 && ::mount("stepwise-test", folder.c_str(), "tmpfs", 0, options.c_str()) == 0;
    }
    ~ScopedTmpfs()
    {
        if (m_mounted && ::umount(m_folder.c_str()) != 0)
            ::umount2(m_folder.c_str(), MNT_DETACH);
    }
    bool mounted() const { return m_mounted; }
    bool makeReadOnly() const
    {
        return ::mount("stepwise-test", m_folder.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
    }

private:
    std::string m_folder;
    bool m_mounted = false;
};

const std::string kBig(3 << 20, 'x');

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private slots:
    void fullFileSystemKeepsThePreviousFile()
    {
        QTemporaryDir dir;
        const std::string folder = dir.filePath("full").toStdString();
        std::filesystem::create_directory(folder);
        ScopedTmpfs tmpfs(folder, "1m");
        if (!tmpfs.mounted())
            QSKIP("needs root to mount a tmpfs (fileSizeLimit covers the same path)");
        const std::string path = folder + "/model.bin";
        writeText(path, "previous");
        const std::string message =
            failureOf([&] { io::writeFileAtomically(path, [](std::ostream& out) { out << kBig; }, true); });
        QVERIFY2(message.rfind("cannot write " + path + ": writing failed: No space left on device", 0) == 0,
                 message.c_str());
        QCOMPARE(readAll(path), std::string("previous"));
        QCOMPARE(filesIn(folder), std::vector<std::string>{"model.bin"});
    }

    void fileSizeLimit()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.bin").toStdString();
        writeText(path, "previous");
        rlimit saved {};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limited = saved;
        limited.rlim_cur = 1 << 20;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
        const std::string message =
            failureOf([&] { io::writeFileAtomically(path, [](std::ostream& out) { out << kBig; }, true); });
        ::setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previousHandler);
        QVERIFY2(message.rfind("cannot write " + path + ": writing failed: File too large", 0) == 0, message.c_str());
        QCOMPARE(readAll(path), std::string("previous"));
        QCOMPARE(filesIn(dir.path().toStdString()), std::vector<std::string>{"model.bin"});
    }

    void readOnlyFileSystem()
    {
        QTemporaryDir dir;
        const std::string folder = dir.filePath("ro").toStdString();
        std::filesystem::create_directory(folder);
        ScopedTmpfs tmpfs(folder, "1m");
        if (!tmpfs.mounted())
            QSKIP("needs root to mount a tmpfs (tst_csv_writer covers a 0555 folder)");
        const std::string path = folder + "/model.bin";
        writeText(path, "previous");
        QVERIFY(tmpfs.makeReadOnly());
        const std::string message =
            failureOf([&] { io::writeFileAtomically(path, [](std::ostream& out) { out << "new"; }); });
        QVERIFY2(message.rfind("cannot write " + path + ": creating a temporary file in its folder failed: "
                               "Read-only file system", 0) == 0,
                 message.c_str());
        QCOMPARE(readAll(path), std::string("previous"));
        QCOMPARE(filesIn(folder), std::vector<std::string>{"model.bin"});
    }

    void staleTemporariesAreRemovedByTheNextSave()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        const std::string path = folder + "/model.bin";
        // A PID that is certainly gone: a child that has exited and been reaped.
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        QVERIFY(child > 0);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        const std::string dead = std::to_string(child);
        const std::string live = std::to_string(::getppid());
        const std::vector<std::string> debris = {".model.bin." + dead + "-0-123.tmp", ".model.bin." + dead + "-7-9.tmp"};
        const std::vector<std::string> kept = {
            ".model.bin." + live + "-0-1.tmp",   // a live process may be saving right now
            ".model.bin." + dead + "-x-1.tmp",   // not a name this writer makes
            ".other.bin." + dead + "-0-1.tmp",   // another file's
            "model.bin." + dead + "-0-1.tmp",    // not hidden: not ours
        };
        for (const auto& name : debris)
            writeText(folder + "/" + name, "half a model");
        for (const auto& name : kept)
            writeText(folder + "/" + name, "keep");
        io::writeFileAtomically(path, [](std::ostream& out) { out << "new"; });
        QCOMPARE(readAll(path), std::string("new"));
        std::vector<std::string> expected = kept;
        expected.push_back("model.bin");
        std::sort(expected.begin(), expected.end());
        QCOMPARE(filesIn(folder), expected);
    }

    void bigWritesArriveWhole()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("big.bin").toStdString();
        std::string text;
        for (int i = 0; i < 200000; ++i)
            text.append(std::to_string(i)).push_back(i % 7 == 0 ? '\n' : ',');
        io::writeFileAtomically(path, [&](std::ostream& out) {
            // Small pieces through the buffer, one large block past it, single characters.
            out << text.substr(0, 1000);
            out.write(text.data() + 1000, static_cast<std::streamsize>(text.size() - 2000));
            for (std::size_t i = text.size() - 1000; i < text.size(); ++i)
                out.put(text[i]);
        });
        QCOMPARE(readAll(path), text);
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
