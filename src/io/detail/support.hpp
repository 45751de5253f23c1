#pragma once

/// \file
/// Machinery shared by the file formats: error messages that name the file, a reader that takes
/// plain and gzip-compressed files alike, and number formatting that round-trips.

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

#include "lle/base/error.hpp"

namespace lle::io::detail {

/// Throws lle::DataError "`path`: `message`".
[[noreturn]] inline void fail(const std::filesystem::path& path, std::string_view message) {
    std::string text = path.string();
    text += ": ";
    text += message;
    throw DataError(text);
}

/// The system's text for an `errno` value, e.g. "No such file or directory".
inline std::string describe_errno(int error) {
    return std::generic_category().message(error);
}

/// The file name in lower case, for choosing a format by extension.
inline std::string lowercase_filename(const std::filesystem::path& path) {
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

/// Whether `text` ends with `suffix`.
inline bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// Sequential reader over zlib's gzFile: a gzip file is decompressed while reading and any
/// other file is passed through unchanged, so one code path serves `x.csv` and `x.csv.gz`.
class GzipReader {
  public:
    /// Opens `path`; throws DataError "`path`: cannot open (reason)" on failure.
    explicit GzipReader(const std::filesystem::path& path) : path_(path) {
        errno = 0;
        file_ = gzopen(path.c_str(), "rb");
        if (file_ == nullptr) {
            fail(path_, errno != 0 ? "cannot open (" + describe_errno(errno) + ")"
                                   : std::string("cannot open"));
        }
        gzbuffer(file_, 1U << 18);
    }

    ~GzipReader() { gzclose(file_); }

    GzipReader(const GzipReader&) = delete;
    GzipReader& operator=(const GzipReader&) = delete;

    /// Reads up to `size` bytes into `buffer`; fewer only at the end of the data. Corrupt or
    /// truncated gzip data throws DataError naming the file.
    std::size_t read(void* buffer, std::size_t size) {
        auto* out = static_cast<char*>(buffer);
        std::size_t total = 0;
        while (total < size) {
            // gzread takes an unsigned count and returns an int, so read at most 1 GiB a call.
            const auto request =
                static_cast<unsigned>(std::min<std::size_t>(size - total, 1U << 30));
            const int got = gzread(file_, out + total, request);
            if (got < 0) {
                fail_with_zlib_error();
            }
            if (got == 0) {
                // End of input: a gzip stream cut short reports Z_BUF_ERROR only now.
                int code = Z_OK;
                gzerror(file_, &code);
                if (code != Z_OK) {
                    fail_with_zlib_error();
                }
                break;
            }
            total += static_cast<std::size_t>(got);
        }
        return total;
    }

    /// True when the file is a gzip stream (valid only after the first read).
    bool compressed() const { return gzdirect(file_) == 0; }

  private:
    [[noreturn]] void fail_with_zlib_error() {
        int code = Z_OK;
        const char* message = gzerror(file_, &code);
        if (code == Z_ERRNO) {
            fail(path_, "cannot read (" + describe_errno(errno) + ")");
        }
        fail(path_, std::string("corrupt or truncated gzip data (") + message + ")");
    }

    std::filesystem::path path_;
    gzFile file_ = nullptr;
};

/// `value` (finite) stored as a `Scalar`: rounded to the nearest float for single precision.
/// Returns false, storing nothing, when the magnitude exceeds the largest finite `Scalar`,
/// where the conversion would be undefined.
template <typename Scalar>
bool store_as(double value, Scalar& out) {
    if (std::abs(value) > static_cast<double>(std::numeric_limits<Scalar>::max())) {
        return false;
    }
    out = static_cast<Scalar>(value);
    return true;
}

/// Name of a point precision in messages: "float32" or "float64".
template <typename Scalar>
constexpr const char* precision_name() {
    return sizeof(Scalar) == 4 ? "float32" : "float64";
}

/// Appends the shortest decimal form of `value` that reads back as the same double (at most 17
/// significant digits).
inline void append_double(std::string& out, double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, result.ptr);
}

}  // namespace lle::io::detail
