#pragma once

/// \file
/// What the readers' fuzz targets share: the rule that a reader either returns a result or
/// throws lle::DataError naming the file, and a check that aborts (a crash to libFuzzer, which
/// saves the input) when a property of the result does not hold.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "lle/base/error.hpp"
#include "lle/base/types.hpp"

namespace lle::fuzz {

/// Aborts with `what` on stderr unless `ok`.
inline void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz check failed: %s\n", what);
        std::abort();
    }
}

/// What a reader did with an input: a value, or the message of the DataError it threw.
template <typename T>
struct Outcome {
    std::optional<T> value;
    std::string error;  ///< empty when `value` is set

    bool failed_with(std::string_view text) const {
        return !value && error.find(text) != std::string::npos;
    }
};

/// True when `text` has no control bytes: an error is one line, and a NUL would cut it short
/// wherever it is printed as a C string.
inline bool printable(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return false;
        }
    }
    return true;
}

/// Runs `read`, which parses the in-memory file `name`. A DataError is an accepted outcome when
/// its message starts with "`name`: " and is one printable line; any other exception escapes,
/// and libFuzzer reports it as a crash (std::bad_alloc from a hostile header, ...).
template <typename Read>
auto outcome_of(std::string_view name, Read&& read) -> Outcome<decltype(read())> {
    Outcome<decltype(read())> outcome;
    try {
        outcome.value.emplace(read());
    } catch (const DataError& error) {
        outcome.error = error.what();
        const std::string prefix = std::string(name) + ": ";
        check(outcome.error.compare(0, prefix.size(), prefix) == 0 &&
                  outcome.error.size() > prefix.size(),
              "a DataError names the file and says what is wrong");
        check(printable(outcome.error), "a DataError is one line without control bytes");
    }
    return outcome;
}

/// The checks shared by the readers of point arrays (NPY, IDX) on the in-memory file `name`:
/// `read(limit)` reads it in double precision and `read_float()` in single. When the whole read
/// succeeds its result is non-empty and finite, the read limited to `limit` rows gives its first
/// rows, and the float32 read gives it rounded, or refuses a value beyond float32's range.
template <typename Read, typename ReadFloat>
void check_point_reader(std::string_view name, Index limit, Read&& read, ReadFloat&& read_float) {
    const auto whole = outcome_of(name, [&] { return read(std::optional<Index>()); });
    const auto first = outcome_of(name, [&] { return read(std::optional<Index>(limit)); });
    if (!whole.value) {
        return;
    }
    const PointMatrix& points = *whole.value;
    check(points.rows() >= 1 && points.cols() >= 1, "a result has rows and columns");
    check(points.allFinite(), "every value is finite");
    check(first.value && *first.value == points.topRows(std::min(limit, points.rows())),
          "a limit keeps the first rows");
    const auto single = outcome_of(name, read_float);
    check(single.value ? *single.value == points.cast<float>()
                       : single.failed_with("is outside the range of float32"),
          "float32 values are the float64 ones rounded, or out of float32's range");
}

}  // namespace lle::fuzz
