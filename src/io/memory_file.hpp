#pragma once

/// \file
/// A file's contents held in memory, for the readers' in-memory entry points.

#include <filesystem>
#include <string_view>

namespace lle::io {

/// The bytes of a file that is already in memory (a test, a fuzzer, data received without a
/// file). Every reader that takes a path also takes a MemoryFile and parses it with the same
/// code, so the two give the same result and the same errors.
struct MemoryFile {
    /// Names the data in error messages, as a path would; where a reader looks at the
    /// extension (the delimiter of `.tsv`), it looks at this name.
    std::filesystem::path name;
    /// The file's bytes, gzip-compressed where the format allows it. Not copied: they must
    /// stay valid for the duration of the call.
    std::string_view contents;
};

}  // namespace lle::io
