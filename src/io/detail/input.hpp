#pragma once

/// \file
/// The one byte source every reader parses from: a file on disk or a MemoryFile, read front to
/// back, with gzip data decompressed on the way where the format allows it.

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/memory_file.hpp"
#include "lle/base/error.hpp"
#include "lle/base/types.hpp"

namespace lle::io::detail {

/// Whether a reader accepts gzip-compressed data.
enum class Compression {
    none,  ///< the bytes are passed through as they are (`.npy`, model files)
    gzip,  ///< data that starts with the gzip signature (1f 8b) is decompressed, any other data
           ///< is passed through, so one code path serves `x.csv` and `x.csv.gz`
};

/// Sequential reader over a file or a MemoryFile. Above the raw bytes everything is shared: a
/// reader parses a path and a buffer with the same code and reports the same errors, which
/// name the file (or the MemoryFile's name).
///
/// Gzip data is decoded as zlib's gzread does: several concatenated gzip members read as one
/// stream, and bytes after the last member that do not start another one are ignored.
class Input {
  public:
    /// Opens `path`; throws DataError "`path`: cannot open (reason)", or "cannot read (Is a
    /// directory)" for a folder.
    Input(const std::filesystem::path& path, Compression compression);

    /// Reads `file.contents`, which must outlive this object.
    Input(const MemoryFile& file, Compression compression);

    ~Input();

    Input(const Input&) = delete;
    Input& operator=(const Input&) = delete;

    /// Reads up to `size` bytes into `buffer`; fewer only at the end of the data. Corrupt or
    /// truncated gzip data throws DataError naming the file.
    std::size_t read(void* buffer, std::size_t size);

    /// Skips up to `count` bytes; returns how many were skipped (fewer only at the end).
    std::uint64_t skip(std::uint64_t count);

    /// The stored size in bytes (compressed, for a gzip file), when known: a regular file or a
    /// MemoryFile, not a pipe.
    std::optional<std::uint64_t> stored_size() const { return stored_size_; }

    /// True when the data is a gzip stream (valid only after the first read).
    bool compressed() const { return gzip_; }

    /// The name errors give: the path, or the MemoryFile's name.
    const std::filesystem::path& name() const { return name_; }

  private:
    /// One read(2) from the file into `out`, retried when a signal interrupts it; 0 at its end.
    std::size_t read_file(unsigned char* out, std::size_t size);
    /// Makes raw (stored) bytes available in `pending_`, reading more from the file when it is
    /// empty; false at the end of the stored data.
    bool refill();
    /// Makes at least `count` raw bytes available where the data has them; false otherwise.
    bool ensure_pending(std::size_t count);
    /// On the first read: looks for the gzip signature and sets up decompression.
    void start();
    std::size_t read_stored(unsigned char* out, std::size_t size);
    std::size_t read_gzip(unsigned char* out, std::size_t size);
    [[noreturn]] void fail_gzip(const char* reason) const;

    std::filesystem::path name_;
    Compression compression_;
    int fd_ = -1;                        // the open file, or -1 for a MemoryFile
    std::vector<unsigned char> buffer_;  // raw bytes read from the file
    std::string_view pending_;           // raw bytes not consumed yet
    std::optional<std::uint64_t> stored_size_;
    bool started_ = false;
    bool gzip_ = false;
    bool gzip_done_ = false;  // the last gzip member has ended
    z_stream stream_{};
};

/// The entry point of a reader that takes a row limit and a memory budget: checks `limit` (at
/// least 1 when given, lle::ParameterError otherwise), opens `source` (a path or a MemoryFile)
/// and returns `parse(input, limit, max_bytes)`.
template <typename Source, typename Parse>
auto parse_with_limit(const Source& source, Compression compression, std::optional<Index> limit,
                      double max_bytes, Parse&& parse) {
    if (limit) {
        require_parameter(*limit >= 1, "limit", ">= 1", std::to_string(*limit));
    }
    Input input(source, compression);
    return parse(input, limit, max_bytes);
}

}  // namespace lle::io::detail
