/// \file
/// Fuzz target of the .npy reader (io/npy.hpp): the input is a file's bytes, read whole in
/// double and single precision and with a limit of two rows. Besides "no crash, only
/// DataError" (hostile headers included: huge, negative or overflowing shapes, truncated data,
/// a header longer than the file), it checks that a result is non-empty and finite, that the
/// float32 result is the float64 one rounded, and that the limited read is its first rows.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using lle::fuzz::check;
    using lle::fuzz::outcome_of;
    const lle::io::MemoryFile file{"fuzz.npy",
                                   std::string_view(reinterpret_cast<const char*>(data), size)};

    const auto whole = outcome_of("fuzz.npy", [&] { return lle::io::read_npy(file); });
    const auto first = outcome_of("fuzz.npy", [&] { return lle::io::read_npy(file, 2); });
    if (!whole.value) {
        return 0;
    }
    const auto& points = *whole.value;
    check(points.rows() >= 1 && points.cols() >= 1, "an array has rows and columns");
    check(points.allFinite(), "every value is finite");
    check(first.value && *first.value == points.topRows(std::min<lle::Index>(2, points.rows())),
          "a limit keeps the first rows");

    const auto single = outcome_of("fuzz.npy", [&] { return lle::io::read_npy<float>(file); });
    check(single.value ? *single.value == points.cast<float>()
                       : single.failed_with("is outside the range of float32"),
          "float32 values are the float64 ones rounded, or out of float32's range");
    return 0;
}
