#pragma once

/// \file
/// Output files that appear whole or not at all.

#include <filesystem>
#include <functional>
#include <ostream>

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

/// Removes the temporary file write_atomically() is filling, if any. Async-signal-safe (one
/// `unlink` of a path kept in a static buffer): meant for a signal handler, so that an
/// interrupt in the middle of a write leaves no hidden temporary file behind.
void remove_pending_temporary() noexcept;

/// Checks, before any long computation, that `path` could be written: its folder exists and
/// `path` is not itself a folder. Throws lle::DataError naming the path otherwise.
void check_writable(const std::filesystem::path& path);

}  // namespace lle::io
