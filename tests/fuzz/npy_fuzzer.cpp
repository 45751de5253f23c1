/// \file
/// Fuzz target of the .npy reader (io/npy.hpp): the input is a file's bytes, read whole in
/// double and single precision and with a limit of two rows. Besides "no crash, only
/// DataError" (hostile headers included: huge, negative or overflowing shapes, truncated data,
/// a header longer than the file), it checks that a result is non-empty and finite, that the
/// float32 result is the float64 one rounded, and that the limited read is its first rows.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_support.hpp"
#include "io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const lle::io::MemoryFile file{"fuzz.npy",
                                   std::string_view(reinterpret_cast<const char*>(data), size)};
    lle::fuzz::check_point_reader(
        "fuzz.npy", 2,
        [&](std::optional<lle::Index> limit) { return lle::io::read_npy(file, limit); },
        [&] { return lle::io::read_npy<float>(file); });
    return 0;
}
