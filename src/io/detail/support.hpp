#pragma once

/// \file
/// Machinery shared by the file formats: error messages that name the file, and number
/// formatting that round-trips. The byte source they read from is in input.hpp.

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

#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"

namespace lle::io::detail {

/// Text from a file for an error message: control bytes (a NUL would end the message early, a
/// newline would split it) and bytes outside ASCII (which may not be valid UTF-8) shown as
/// `\xNN`, and the text cut after `max_shown` bytes with "..." (a message stays one readable
/// line).
inline std::string escaped(std::string_view text, std::size_t max_shown = 40) {
    constexpr char hex[] = "0123456789abcdef";
    std::string shown;
    for (const char c : text.substr(0, max_shown)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7f) {
            shown += "\\x";
            shown += hex[byte >> 4];
            shown += hex[byte & 0xF];
        } else {
            shown += c;
        }
    }
    if (text.size() > max_shown) {
        shown += "...";
    }
    return shown;
}

/// A path for an error message, escaped as escaped() does (a file name may hold any byte but
/// '/' and NUL, terminal escape sequences included), never cut.
inline std::string shown(const std::filesystem::path& path) {
    return escaped(path.native(), path.native().size());
}

/// Throws lle::DataError "`path`: `message`", the path shown().
[[noreturn]] inline void fail(const std::filesystem::path& path, std::string_view message) {
    std::string text = shown(path);
    text += ": ";
    text += message;
    throw DataError(text);
}

/// Throws lle::ResourceError, naming `path`, when `rows x cols` values of `value_size` bytes
/// would take more than `max_bytes` (0: no limit): checked before the points are allocated, or
/// as rows arrive when their number is not known ahead (`so_far`: the rows read so far).
inline void require_points_fit(const std::filesystem::path& path, double rows, double cols,
                               std::size_t value_size, double max_bytes, bool so_far = false) {
    const double bytes = rows * cols * static_cast<double>(value_size);
    if (max_bytes <= 0.0 || bytes <= max_bytes) {
        return;
    }
    throw ResourceError(shown(path) + ": " + (so_far ? "the points read so far" : "its points") +
                        " (" + std::to_string(static_cast<long long>(rows)) + " x " +
                        std::to_string(static_cast<long long>(cols)) + " values) take " +
                        format_bytes(bytes) + " in memory, more than the limit of " +
                        format_bytes(max_bytes) +
                        "; read fewer rows (a row limit) or allow more memory");
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
