#include "io/model_file.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "io/detail/input.hpp"
#include "io/detail/support.hpp"

namespace lle::io {
namespace {

constexpr std::array<char, 8> magic = {'L', 'L', 'E', 'M', 'O', 'D', 'E', 'L'};
constexpr std::uint32_t format_version = 1;
constexpr std::size_t header_size = 72;
constexpr std::uint32_t method_count = 4;

static_assert(std::endian::native == std::endian::little,
              "the model file is little-endian; this build assumes a little-endian machine");

template <typename T>
void put(std::ostream& out, T value) {
    out.write(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
T take(const char* bytes) {
    T value;
    std::memcpy(&value, bytes, sizeof(T));
    return value;
}

void put_rows(std::ostream& out, const PointMatrix& values) {
    out.write(reinterpret_cast<const char*>(values.data()),
              static_cast<std::streamsize>(values.size() * static_cast<Index>(sizeof(double))));
}

}  // namespace

void write_model(std::ostream& out, const Model& model) {
    out.write(magic.data(), magic.size());
    put<std::uint32_t>(out, format_version);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(model.method));
    put<std::uint64_t>(out, static_cast<std::uint64_t>(model.training_points.rows()));
    put<std::uint64_t>(out, static_cast<std::uint64_t>(model.training_points.cols()));
    put<std::uint64_t>(out, static_cast<std::uint64_t>(model.embedding.cols()));
    put<std::uint64_t>(out, static_cast<std::uint64_t>(model.n_neighbors));
    put<double>(out, model.reg);
    put<double>(out, model.hessian_tol);
    put<double>(out, model.modified_tol);
    put_rows(out, model.training_points);
    put_rows(out, model.embedding);
}

namespace {

/// Parses a whole model file from `input`: the one parser behind both entry points.
Model parse_model(detail::Input& input) {
    const std::filesystem::path& path = input.name();
    if (!input.stored_size()) {
        detail::fail(path, "cannot tell its size (not a regular file)");
    }
    const std::uint64_t file_size = *input.stored_size();

    std::array<char, header_size> header{};
    const std::size_t got = input.read(header.data(), header.size());
    if (got < magic.size() || std::memcmp(header.data(), magic.data(), magic.size()) != 0) {
        detail::fail(path, "not an lle model file (no LLEMODEL signature)");
    }
    if (got < header_size) {
        detail::fail(path, "truncated model file: the header needs 72 bytes, the file has " +
                               std::to_string(file_size));
    }

    const auto version = take<std::uint32_t>(header.data() + 8);
    if (version != format_version) {
        detail::fail(path, "model format version " + std::to_string(version) +
                               " is not supported (this lle reads version 1)");
    }
    const auto method = take<std::uint32_t>(header.data() + 12);
    const auto n = take<std::uint64_t>(header.data() + 16);
    const auto dimension = take<std::uint64_t>(header.data() + 24);
    const auto components = take<std::uint64_t>(header.data() + 32);
    const auto k = take<std::uint64_t>(header.data() + 40);
    if (method >= method_count) {
        detail::fail(path, "unknown method code " + std::to_string(method));
    }
    if (n == 0 || dimension == 0 || components == 0 || components > dimension || k == 0 || k >= n) {
        detail::fail(path, "inconsistent header: n = " + std::to_string(n) + ", D = " +
                               std::to_string(dimension) + ", d = " + std::to_string(components) +
                               ", k = " + std::to_string(k));
    }

    // 72 + 8 n (D + d), computed without overflow before anything is allocated.
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / 8;
    if (dimension > limit - components || n > limit / (dimension + components)) {
        detail::fail(path, "declared shape is too large");
    }
    const std::uint64_t expected = header_size + 8 * n * (dimension + components);
    if (file_size != expected) {
        detail::fail(path, std::string(file_size < expected ? "truncated" : "trailing data in") +
                               " model file: " + std::to_string(n) +
                               " points of D = " + std::to_string(dimension) + " and d = " +
                               std::to_string(components) + " need " + std::to_string(expected) +
                               " bytes, the file has " + std::to_string(file_size));
    }

    Model model;
    model.method = static_cast<Method>(method);
    model.n_neighbors = static_cast<Index>(k);
    model.reg = take<double>(header.data() + 48);
    model.hessian_tol = take<double>(header.data() + 56);
    model.modified_tol = take<double>(header.data() + 64);
    model.training_points.resize(static_cast<Index>(n), static_cast<Index>(dimension));
    model.embedding.resize(static_cast<Index>(n), static_cast<Index>(components));
    const std::size_t point_bytes = 8 * n * dimension;
    const std::size_t embedding_bytes = 8 * n * components;
    if (input.read(model.training_points.data(), point_bytes) != point_bytes ||
        input.read(model.embedding.data(), embedding_bytes) != embedding_bytes) {
        detail::fail(path, "cannot read the model data");
    }
    if (!model.training_points.allFinite() || !model.embedding.allFinite() || !(model.reg >= 0.0)) {
        detail::fail(path, "the model holds values that are not finite or a negative reg");
    }
    return model;
}

}  // namespace

Model read_model(const std::filesystem::path& path) {
    detail::Input input(path, detail::Compression::none);
    return parse_model(input);
}

Model read_model(const MemoryFile& file) {
    detail::Input input(file, detail::Compression::none);
    return parse_model(input);
}

}  // namespace lle::io
