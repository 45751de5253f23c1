#pragma once

/// \file
/// Output files that appear whole or not at all.

#include <filesystem>
#include <functional>
#include <ostream>
#include <vector>

namespace lle::io {

/// Writes `path` through a temporary file in the same folder, renamed over `path` only once
/// `write` has returned and the stream has been flushed without error. On any failure
/// (exception from `write`, stream error) the temporary file is removed, `path` is left as it
/// was, and the error propagates (stream failures as lle::DataError naming the path). The new
/// file keeps the permissions of the one it replaces.
/// \note A symbolic link is followed: the file it points to is replaced, the link stays. A
/// target that exists but is not a regular file (a terminal, a pipe, `/dev/null`), or names a
/// file descriptor (`/dev/stdout`, `/dev/fd/3`), is appended to directly, without the guarantee.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(std::ostream&)>& write);

/// Several output files that appear together or not at all, so that a failure or an interrupt
/// never leaves some of a run's outputs new and others old or missing. add() writes a file to a
/// temporary file next to it, as write_atomically() does, and commit() renames them all into
/// place, in the order added. Until commit(), an exception, the set's destruction or
/// remove_pending_temporary() (from a signal handler) removes every temporary file and leaves
/// every path as it was. commit() blocks SIGINT, SIGTERM, SIGHUP and SIGQUIT while it renames
/// (one arriving then is delivered after), so only a failed rename, or a signal no program can
/// block, could split the set. Targets that
/// cannot be replaced (a terminal, a pipe,
/// `/dev/stdout`) are written to directly when added, as write_atomically() does.
class OutputSet {
  public:
    OutputSet() = default;
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    /// Writes `path`'s future content with `write`; errors as write_atomically()'s.
    void add(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

    /// Renames every file added into place.
    void commit();

  private:
    struct Staged {
        std::filesystem::path temporary;  ///< the file written
        std::filesystem::path target;     ///< the file it replaces (a link's target)
        std::filesystem::path shown;      ///< the path as given, for messages
        int slot;                         ///< its entry among the pending temporaries, or -1
    };
    void discard() noexcept;
    std::vector<Staged> staged_;
};

/// Removes the temporary files that write_atomically() and every OutputSet are filling or
/// holding, if any, and tells whether there were any. Async-signal-safe (an `unlink` per path,
/// kept in static buffers): meant for a signal handler, so that an interrupt leaves no hidden
/// temporary file behind.
bool remove_pending_temporary() noexcept;

/// Checks, before any long computation, that `path` could be written: its folder exists and
/// `path` is not itself a folder. Throws lle::DataError naming the path otherwise.
void check_writable(const std::filesystem::path& path);

}  // namespace lle::io
