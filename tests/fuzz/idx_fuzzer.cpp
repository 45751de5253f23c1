/// \file
/// Fuzz target of the IDX reader (io/idx.hpp): the input is a file's bytes, plain or
/// gzip-compressed (recognised by its signature), read whole in double and single precision
/// and with a limit of one row. Besides "no crash, only DataError" (hostile headers included:
/// huge or overflowing shapes, truncated data, a gzip stream promising more than it holds), it
/// checks that a result is non-empty and finite, that the float32 result is the float64 one
/// rounded, and that the limited read is its first row.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "io/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using lle::fuzz::check;
    using lle::fuzz::outcome_of;
    const lle::io::MemoryFile file{"fuzz-idx3-ubyte",
                                   std::string_view(reinterpret_cast<const char*>(data), size)};

    const auto whole = outcome_of("fuzz-idx3-ubyte", [&] { return lle::io::read_idx(file); });
    const auto first = outcome_of("fuzz-idx3-ubyte", [&] { return lle::io::read_idx(file, 1); });
    if (!whole.value) {
        return 0;
    }
    const auto& points = *whole.value;
    check(points.rows() >= 1 && points.cols() >= 1, "a file has rows and columns");
    check(points.allFinite(), "every value is finite");
    check(first.value && *first.value == points.topRows(1), "a limit keeps the first rows");

    const auto single =
        outcome_of("fuzz-idx3-ubyte", [&] { return lle::io::read_idx<float>(file); });
    check(single.value ? *single.value == points.cast<float>()
                       : single.failed_with("is outside the range of float32"),
          "float32 values are the float64 ones rounded, or out of float32's range");
    return 0;
}
