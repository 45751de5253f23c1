#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io {
namespace {

using testing::message_of;

class AtomicFileTest : public testing::TempDirTest {
  protected:
    /// Names of the files in the test folder, to check that no temporary file is left.
    std::vector<std::string> listing() const {
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
            names.push_back(entry.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }
};

TEST_F(AtomicFileTest, WritesTheFileAndLeavesNothingElse) {
    const auto path = dir_ / "out.csv";
    write_atomically(path, [](std::ostream& out) { out << "1,2\n3,4\n"; });
    EXPECT_EQ(read(path), "1,2\n3,4\n");
    EXPECT_EQ(listing(), std::vector<std::string>{"out.csv"});
}

TEST_F(AtomicFileTest, ASignalHandlerCanRemoveTheTemporaryFileMidWrite) {
    // What the command's handler for SIGINT and SIGTERM does before it dies: the hidden
    // temporary file goes, and nothing else is touched.
    const auto path = dir_ / "out.csv";
    std::size_t during = 0;
    std::size_t after_removal = 0;
    EXPECT_THROW(write_atomically(path,
                                  [&](std::ostream& out) {
                                      out << "1,2\n";
                                      during = listing().size();
                                      EXPECT_TRUE(remove_pending_temporary());
                                      after_removal = listing().size();
                                      throw std::runtime_error("interrupted");
                                  }),
                 std::runtime_error);
    EXPECT_EQ(during, 1U);  // the temporary file
    EXPECT_EQ(after_removal, 0U);
    EXPECT_TRUE(listing().empty());
    EXPECT_FALSE(remove_pending_temporary());  // nothing pending: does nothing
}

TEST_F(AtomicFileTest, OutputSetRenamesEveryFileOnlyOnCommit) {
    const auto first = write("first.csv", "old first\n");
    const auto second = dir_ / "second.json";
    OutputSet output;
    output.add(first, [](std::ostream& out) { out << "new first\n"; });
    output.add(second, [](std::ostream& out) { out << "{}\n"; });
    // Staged: the old file and two hidden temporaries, no second.json yet.
    EXPECT_EQ(read(first), "old first\n");
    EXPECT_FALSE(std::filesystem::exists(second));
    EXPECT_EQ(listing().size(), 3U);
    sigset_t before;
    pthread_sigmask(SIG_SETMASK, nullptr, &before);
    output.commit();
    // The signals blocked during the renames are unblocked again.
    sigset_t after;
    pthread_sigmask(SIG_SETMASK, nullptr, &after);
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        EXPECT_EQ(sigismember(&after, signal_number), sigismember(&before, signal_number));
    }
    EXPECT_EQ(read(first), "new first\n");
    EXPECT_EQ(read(second), "{}\n");
    EXPECT_EQ(listing(), (std::vector<std::string>{"first.csv", "second.json"}));
}

TEST_F(AtomicFileTest, OutputSetFailingLateLeavesEveryPathAsItWas) {
    // The second output fails after the first was written: neither appears, the old file
    // stays, no temporary is left.
    const auto first = write("first.csv", "old first\n");
    const auto second = dir_ / "second.json";
    {
        OutputSet output;
        output.add(first, [](std::ostream& out) { out << "new first\n"; });
        EXPECT_THROW(output.add(second,
                                [](std::ostream& out) {
                                    out << "partial";
                                    throw DataError("failed");
                                }),
                     DataError);
    }
    EXPECT_EQ(read(first), "old first\n");
    EXPECT_EQ(listing(), std::vector<std::string>{"first.csv"});
}

TEST_F(AtomicFileTest, ASignalHandlerCanRemoveEveryStagedFile) {
    // An interrupt while the third output is being written: the two staged before it and the
    // one in progress all go.
    OutputSet output;
    output.add(dir_ / "a.csv", [](std::ostream& out) { out << "a\n"; });
    output.add(dir_ / "b.csv", [](std::ostream& out) { out << "b\n"; });
    std::size_t during = 0;
    std::size_t after_removal = 0;
    EXPECT_THROW(output.add(dir_ / "c.csv",
                            [&](std::ostream& out) {
                                out << "c";
                                during = listing().size();
                                EXPECT_TRUE(remove_pending_temporary());
                                after_removal = listing().size();
                                throw std::runtime_error("interrupted");
                            }),
                 std::runtime_error);
    EXPECT_EQ(during, 3U);
    EXPECT_EQ(after_removal, 0U);
}

TEST_F(AtomicFileTest, WritesBinaryDataUnchanged) {
    const auto path = dir_ / "out.bin";
    const std::string bytes("\0\r\n\x1a\xff\n", 6);
    write_atomically(path, [&](std::ostream& out) { out.write(bytes.data(), 6); });
    EXPECT_EQ(read(path), bytes);
}

TEST_F(AtomicFileTest, ReplacesAnExistingFileKeepingItsPermissions) {
    const auto path = write("out.csv", "old contents that are longer\n");
    namespace fs = std::filesystem;
    const auto mode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;
    fs::permissions(path, mode);
    write_atomically(path, [](std::ostream& out) { out << "new\n"; });
    EXPECT_EQ(read(path), "new\n");
    EXPECT_EQ(fs::status(path).permissions(), mode);
    EXPECT_EQ(listing(), std::vector<std::string>{"out.csv"});
}

TEST_F(AtomicFileTest, ExceptionLeavesTheOldFileAndPropagates) {
    const auto path = write("out.csv", "old\n");
    EXPECT_THROW(write_atomically(path,
                                  [](std::ostream& out) {
                                      out << "partial";
                                      throw std::logic_error("stop");
                                  }),
                 std::logic_error);
    EXPECT_EQ(read(path), "old\n");
    EXPECT_EQ(listing(), std::vector<std::string>{"out.csv"});
}

TEST_F(AtomicFileTest, ExceptionBeforeAnyFileExistedLeavesNoFile) {
    const auto path = dir_ / "out.csv";
    EXPECT_THROW(write_atomically(path, [](std::ostream&) { throw DataError("bad"); }), DataError);
    EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicFileTest, StreamFailureIsADataErrorNamingThePath) {
    const auto path = write("out.csv", "old\n");
    const std::string message = message_of<DataError>([&] {
        write_atomically(path, [](std::ostream& out) {
            out << "partial";
            out.setstate(std::ios::badbit);
        });
    });
    const std::string expected = path.string() + ": cannot write";
    EXPECT_EQ(message.substr(0, expected.size()), expected);
    EXPECT_EQ(read(path), "old\n");
    EXPECT_EQ(listing(), std::vector<std::string>{"out.csv"});
}

TEST_F(AtomicFileTest, MissingFolderNamesTheTarget) {
    const auto path = dir_ / "missing" / "x.csv";
    EXPECT_EQ(message_of<DataError>(
                  [&] { write_atomically(path, [](std::ostream& out) { out << "1\n"; }); }),
              path.string() + ": cannot create (No such file or directory)");
}

TEST_F(AtomicFileTest, TargetThatIsAFolderCannotBeReplaced) {
    const auto path = dir_ / "folder";
    std::filesystem::create_directory(path);
    std::filesystem::create_directory(path / "child");  // a non-empty folder is never replaced
    const std::string message = message_of<DataError>(
        [&] { write_atomically(path, [](std::ostream& out) { out << "1\n"; }); });
    EXPECT_EQ(message, path.string() + ": cannot replace (Is a directory)");
    EXPECT_EQ(listing(), std::vector<std::string>{"folder"});
}

TEST_F(AtomicFileTest, SymbolicLinkIsFollowed) {
    const auto real = write("real.csv", "old\n");
    const auto link = dir_ / "link.csv";
    std::filesystem::create_symlink("real.csv", link);
    write_atomically(link, [](std::ostream& out) { out << "new\n"; });
    EXPECT_TRUE(std::filesystem::is_symlink(link));
    EXPECT_EQ(read(real), "new\n");
    EXPECT_EQ(listing(), (std::vector<std::string>{"link.csv", "real.csv"}));
}

TEST_F(AtomicFileTest, PipeIsWrittenDirectly) {
    // A named pipe in the test folder stands for a terminal or /dev/stdout: it must stay a pipe.
    const auto pipe = dir_ / "pipe";
    ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
    const int reader = ::open(pipe.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    write_atomically(pipe, [](std::ostream& out) { out << "through the pipe\n"; });
    char received[64] = {};
    const auto got = ::read(reader, received, sizeof(received));
    ::close(reader);
    EXPECT_EQ(std::string(received, static_cast<std::size_t>(std::max<ssize_t>(got, 0))),
              "through the pipe\n");
    EXPECT_TRUE(std::filesystem::is_fifo(pipe));
    EXPECT_EQ(listing(), std::vector<std::string>{"pipe"});
}

}  // namespace
}  // namespace lle::io
