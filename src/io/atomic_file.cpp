#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "io/detail/support.hpp"
#include "lle/base/error.hpp"

namespace lle::io {
namespace {

using detail::describe_errno;
using detail::fail;

/// Creates a new empty file `.name.tmp-XXXXXX` next to `target` and returns its path; errors
/// name `shown`. Like mkstemp, but with the usual permissions (0666 less the umask) instead of
/// 0600, so that the renamed result looks like any other file the user creates.
std::filesystem::path create_temporary(const std::filesystem::path& target,
                                       const std::filesystem::path& shown) {
    static constexpr char letters[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device seed;
    std::mt19937_64 random(seed());
    std::uniform_int_distribution<std::size_t> pick(0, sizeof(letters) - 2);
    std::string prefix = ".";
    prefix += target.filename().string();
    prefix += ".tmp-";
    int error = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string name = prefix;
        for (int k = 0; k < 6; ++k) {
            name += letters[pick(random)];
        }
        const std::filesystem::path candidate = target.parent_path() / name;
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            return candidate;
        }
        error = errno;
        if (error != EEXIST) {
            break;
        }
    }
    fail(shown, "cannot create (" + describe_errno(error) + ")");
}

/// The temporary files being written or waiting to be renamed, for remove_pending_temporary():
/// fixed buffers and flags, all a signal handler may touch. A path that does not fit, or a
/// sixteenth at once, is not registered (and is then left behind by a signal).
constexpr int pending_slots = 16;
char pending_paths[pending_slots][4096];
volatile std::sig_atomic_t pending[pending_slots] = {};

/// Registers `path` in a free slot; returns the slot, or -1.
int register_pending(const std::filesystem::path& path) {
    const std::string& text = path.native();
    if (text.size() >= sizeof(pending_paths[0])) {
        return -1;
    }
    for (int slot = 0; slot < pending_slots; ++slot) {
        if (pending[slot] == 0) {
            std::memcpy(pending_paths[slot], text.c_str(), text.size() + 1);
            pending[slot] = 1;
            return slot;
        }
    }
    return -1;
}

void unregister_pending(int slot) {
    if (slot >= 0) {
        pending[slot] = 0;
    }
}

/// Flushes the file's data to the storage device, so that after a crash the renamed file is
/// never seen empty or partly written.
bool sync_to_disk(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool synced = ::fsync(fd) == 0;
    return ::close(fd) == 0 && synced;
}

/// Opens `file` (with `mode`), runs `write` on it and flushes; a failure throws DataError naming
/// `shown`.
void write_stream(const std::filesystem::path& file, const std::filesystem::path& shown,
                  const std::function<void(std::ostream&)>& write, std::ios::openmode mode) {
    std::vector<char> buffer(std::size_t{1} << 20);
    std::ofstream out;
    out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    errno = 0;
    out.open(file, std::ios::binary | mode);
    if (!out) {
        fail(shown, errno != 0 ? "cannot create (" + describe_errno(errno) + ")"
                               : std::string("cannot create"));
    }
    // errno after a failed write or flush is the reason given by the failing system call.
    errno = 0;
    write(out);
    out.flush();
    const int write_error = errno;
    out.close();
    if (!out) {
        fail(shown, write_error != 0 ? "cannot write (" + describe_errno(write_error) + ")"
                                     : std::string("cannot write"));
    }
}

/// Whether `path` names a file descriptor of the process, like /dev/stdout or /dev/fd/3: a
/// stream opened by the caller, even when it leads to a regular file.
bool names_a_descriptor(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto under_proc = [](const fs::path& p) {
        const fs::path normal = p.lexically_normal();
        auto part = normal.begin();
        return normal.is_absolute() && part != normal.end() && ++part != normal.end() &&
               (*part == "proc" || (*part == "dev" && ++part != normal.end() && *part == "fd"));
    };
    if (under_proc(fs::absolute(path, ec))) {
        return true;
    }
    return fs::is_symlink(fs::symlink_status(path, ec)) && under_proc(fs::read_symlink(path, ec));
}

}  // namespace

bool remove_pending_temporary() noexcept {
    bool removed = false;
    for (int slot = 0; slot < pending_slots; ++slot) {
        if (pending[slot] != 0) {
            removed = ::unlink(pending_paths[slot]) == 0 || removed;
            pending[slot] = 0;
        }
    }
    return removed;
}

OutputSet::~OutputSet() {
    discard();
}

void OutputSet::discard() noexcept {
    for (const Staged& staged : staged_) {
        unregister_pending(staged.slot);
        std::error_code ignored;
        std::filesystem::remove(staged.temporary, ignored);
    }
    staged_.clear();
}

void OutputSet::add(const std::filesystem::path& path,
                    const std::function<void(std::ostream&)>& write) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);  // of the file a link points to
    if (!ec && fs::is_directory(status)) {
        fail(path, "cannot replace (" + describe_errno(EISDIR) + ")");
    }
    if ((!ec && fs::exists(status) && !fs::is_regular_file(status)) || names_a_descriptor(path)) {
        // A terminal, pipe or device cannot be replaced, and needs no protection: write to it,
        // appending as a shell's `>>` redirection asks (a `>` one has already truncated).
        write_stream(path, path, write, std::ios::app);
        return;
    }
    // Replace the file a symbolic link points to, not the link.
    fs::path target = path;
    if (fs::is_symlink(fs::symlink_status(path, ec))) {
        target = fs::weakly_canonical(path, ec);
        if (ec) {
            fail(path, "cannot resolve the link (" + ec.message() + ")");
        }
    }

    const fs::path temporary = create_temporary(target, path);
    staged_.push_back({temporary, target, path, register_pending(temporary)});
    if (fs::is_regular_file(status)) {
        // Keep the permissions of the file being replaced.
        fs::permissions(temporary, status.permissions(), ec);
    }
    write_stream(temporary, path, write, std::ios::trunc);
    if (!sync_to_disk(temporary)) {
        fail(path, "cannot write (" + describe_errno(errno) + ")");
    }
}

void OutputSet::commit() {
    // The signals that end a run wait until every file is in place, so that none can split the
    // set between two renames; a signal that arrived meanwhile is delivered after.
    sigset_t ending;
    sigemptyset(&ending);
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        sigaddset(&ending, signal_number);
    }
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &ending, &previous);
    int error = 0;
    const Staged* failed = nullptr;
    for (Staged& staged : staged_) {
        if (std::rename(staged.temporary.c_str(), staged.target.c_str()) != 0) {
            error = errno;
            failed = &staged;
            break;
        }
        unregister_pending(staged.slot);
        staged.temporary.clear();
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (failed != nullptr) {
        fail(failed->shown, "cannot replace (" + describe_errno(error) + ")");
    }
    staged_.clear();
}

void write_atomically(const std::filesystem::path& path,
                      const std::function<void(std::ostream&)>& write) {
    OutputSet output;
    output.add(path, write);
    output.commit();
}

void check_writable(const std::filesystem::path& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        throw DataError(detail::shown(path) + ": is a folder, not a file");
    }
    const std::filesystem::path folder =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(folder, error)) {
        // The first part of the folder's path, from its start, that is not a folder says why:
        // a file where a folder should be, or nothing there.
        std::filesystem::path prefix;
        for (const std::filesystem::path& part : folder) {
            prefix /= part;
            if (!std::filesystem::is_directory(prefix, error)) {
                break;
            }
        }
        throw DataError(
            detail::shown(path) + ": cannot create (" + detail::shown(prefix) +
            (std::filesystem::exists(prefix, error) ? " is not a folder)" : ": no such folder)"));
    }
}

}  // namespace lle::io
