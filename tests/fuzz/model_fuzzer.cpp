/// \file
/// Fuzz target of the model file reader (io/model_file.hpp). Besides "no crash, only
/// DataError" (hostile headers included: shapes whose size overflows, truncated or trailing
/// data, k or d out of range), a model that is read must be consistent (n training points and
/// n embedded ones, k < n, d <= D, finite values, reg >= 0) and must write back as exactly the
/// bytes it was read from.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "fuzz_support.hpp"
#include "io/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using lle::fuzz::check;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const lle::io::MemoryFile file{"fuzz.lle", bytes};

    const auto model = lle::fuzz::outcome_of("fuzz.lle", [&] { return lle::io::read_model(file); });
    if (!model.value) {
        return 0;
    }
    const lle::Model& m = *model.value;
    const lle::Index n = m.training_points.rows();
    check(n >= 2 && m.embedding.rows() == n, "n training points and n embedded points");
    check(m.n_neighbors >= 1 && m.n_neighbors < n, "1 <= k < n");
    check(m.embedding.cols() >= 1 && m.embedding.cols() <= m.training_points.cols(), "1 <= d <= D");
    check(m.training_points.allFinite() && m.embedding.allFinite() && m.reg >= 0.0,
          "finite values and a non-negative reg");

    std::ostringstream written;
    lle::io::write_model(written, m);
    check(written.str() == bytes, "a model writes back as the bytes it was read from");
    return 0;
}
