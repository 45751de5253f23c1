/// \file
/// Fuzz target of the IDX reader (io/idx.hpp): the input is a file's bytes, plain or
/// gzip-compressed (recognised by its signature), read whole in double and single precision
/// and with a limit of one row. Besides "no crash, only DataError" (hostile headers included:
/// huge or overflowing shapes, truncated data, a gzip stream promising more than it holds), it
/// checks that a result is non-empty and finite, that the float32 result is the float64 one
/// rounded, and that the limited read is its first row.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_support.hpp"
#include "io/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const lle::io::MemoryFile file{"fuzz-idx3-ubyte",
                                   std::string_view(reinterpret_cast<const char*>(data), size)};
    lle::fuzz::check_point_reader(
        "fuzz-idx3-ubyte", 1,
        [&](std::optional<lle::Index> limit) { return lle::io::read_idx(file, limit); },
        [&] { return lle::io::read_idx<float>(file); });
    return 0;
}
