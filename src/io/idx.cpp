#include "io/idx.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "io/detail/input.hpp"
#include "io/detail/support.hpp"
#include "lle/base/error.hpp"

// Format (yann.lecun.com/exdb/mnist): two zero bytes, an element type byte, the number of
// dimensions; then each dimension as a big-endian uint32; then the elements, big endian, last
// index fastest.

namespace lle::io {
namespace {

using detail::fail;

struct ElementType {
    std::size_t size;  // bytes per element
    double (*load)(const unsigned char*);
};

std::uint64_t load_big_endian(const unsigned char* bytes, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t b = 0; b < width; ++b) {
        value = (value << 8) | bytes[b];
    }
    return value;
}

double load_u8(const unsigned char* bytes) {
    return bytes[0];
}

double load_i8(const unsigned char* bytes) {
    return static_cast<std::int8_t>(bytes[0]);
}

double load_i16(const unsigned char* bytes) {
    return static_cast<std::int16_t>(static_cast<std::uint16_t>(load_big_endian(bytes, 2)));
}

double load_i32(const unsigned char* bytes) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(load_big_endian(bytes, 4)));
}

double load_f32(const unsigned char* bytes) {
    return std::bit_cast<float>(static_cast<std::uint32_t>(load_big_endian(bytes, 4)));
}

double load_f64(const unsigned char* bytes) {
    return std::bit_cast<double>(load_big_endian(bytes, 8));
}

ElementType element_type(const std::filesystem::path& path, unsigned char code) {
    switch (code) {
        case 0x08:
            return {1, load_u8};
        case 0x09:
            return {1, load_i8};
        case 0x0B:
            return {2, load_i16};
        case 0x0C:
            return {4, load_i32};
        case 0x0D:
            return {4, load_f32};
        case 0x0E:
            return {8, load_f64};
        default:
            fail(path, fmt::format("unknown IDX element type 0x{:02X} (known: 0x08 u8, 0x09 i8, "
                                   "0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64)",
                                   unsigned{code}));
    }
}

/// Deflate expands at most about 1032:1, so a gzip file of `c` bytes holds at most ~1032 c bytes.
/// A header promising more than this cannot be honest, and is rejected before allocating.
constexpr std::uint64_t max_gzip_ratio = 1100;

/// Parses a whole IDX file from `input`: the one parser behind both entry points.
template <typename Scalar>
PointMatrixOf<Scalar> parse_idx(detail::Input& input, std::optional<Index> limit,
                                double max_bytes) {
    const std::filesystem::path& path = input.name();
    std::array<unsigned char, 4> magic{};
    if (input.read(magic.data(), magic.size()) != magic.size()) {
        fail(path, "not an IDX file (shorter than its 4-byte magic number)");
    }
    if (magic[0] != 0 || magic[1] != 0) {
        fail(path, fmt::format("not an IDX file (it must start with bytes 00 00 type ndim; found "
                               "{:02x} {:02x} {:02x} {:02x})",
                               magic[0], magic[1], magic[2], magic[3]));
    }
    const ElementType type = element_type(path, magic[2]);
    const std::size_t ndim = magic[3];
    if (ndim == 0) {
        fail(path, "IDX file with 0 dimensions, expected at least 1");
    }

    std::vector<unsigned char> dim_bytes(4 * ndim);
    if (input.read(dim_bytes.data(), dim_bytes.size()) != dim_bytes.size()) {
        fail(path, fmt::format("truncated: expected {} dimensions", ndim));
    }
    // n points, each the product of the remaining dimensions (28 x 28 images give 784).
    const std::uint64_t rows = load_big_endian(dim_bytes.data(), 4);
    std::uint64_t cols = 1;
    std::string shape = std::to_string(rows);
    for (std::size_t k = 1; k < ndim; ++k) {
        const std::uint64_t dim = load_big_endian(dim_bytes.data() + 4 * k, 4);
        shape += fmt::format(" x {}", dim);
        if (__builtin_mul_overflow(cols, dim, &cols)) {
            fail(path, fmt::format("shape {} is too large", shape));
        }
    }
    std::uint64_t total_bytes = 0;
    if (__builtin_mul_overflow(rows, cols, &total_bytes) ||
        __builtin_mul_overflow(total_bytes, type.size, &total_bytes) ||
        total_bytes > static_cast<std::uint64_t>(std::numeric_limits<Index>::max())) {
        fail(path, fmt::format("shape {} is too large", shape));
    }
    if (total_bytes == 0) {
        fail(path, fmt::format("no data (shape {})", shape));
    }

    const auto n = static_cast<Index>(rows);
    const auto d = static_cast<Index>(cols);
    const Index kept = limit ? std::min(n, *limit) : n;
    detail::require_points_fit(path, static_cast<double>(kept), static_cast<double>(d),
                               sizeof(Scalar), max_bytes);
    const auto total = static_cast<std::uint64_t>(kept * d);
    const std::uint64_t wanted = total * type.size;

    // Before allocating: the data must fit in the file (or what a gzip file can expand to).
    const std::uint64_t header_bytes = 4 + 4 * ndim;
    const std::optional<std::uint64_t> stored = input.stored_size();
    const std::uint64_t data_bytes = stored ? *stored - std::min(*stored, header_bytes) : 0;
    if (stored && !input.compressed() && wanted > data_bytes) {
        fail(path,
             fmt::format("truncated: expected {} bytes of data, found {}", wanted, data_bytes));
    }
    if (stored && !input.compressed() && data_bytes > total_bytes) {
        // As for .npy: bytes the header does not account for mean it does not describe the file.
        fail(path, fmt::format("the file has {} bytes of data, but shape {} needs only {}",
                               data_bytes, shape, total_bytes));
    }
    if (stored && input.compressed() && wanted / max_gzip_ratio > *stored) {
        fail(path, fmt::format("truncated: expected {} bytes of data, more than a gzip file of {} "
                               "bytes can hold",
                               wanted, *stored));
    }

    // The elements are read a chunk at a time into one flat run, shaped `kept x d` at the end.
    // An uncompressed file's size vouches for the header, so the run is allocated at once;
    // otherwise (gzip data, a pipe) it grows geometrically as the data arrives, so a header that
    // promises more than the data hold never causes a large allocation.
    const std::uint64_t chunk_elements = (std::uint64_t{1} << 20) / type.size;
    const bool size_vouches = stored && !input.compressed();
    std::uint64_t capacity = size_vouches ? total : std::min(total, chunk_elements);
    PointMatrixOf<Scalar> points(static_cast<Index>(capacity), 1);
    std::vector<unsigned char> bytes(std::min(total, chunk_elements) * type.size);
    std::uint64_t done = 0;
    for (std::uint64_t first = 0; first < total; first += chunk_elements) {
        const auto count = static_cast<std::size_t>(std::min(chunk_elements, total - first));
        const std::size_t size = count * type.size;
        const std::size_t got = input.read(bytes.data(), size);
        done += got;
        if (got != size) {
            fail(path, fmt::format("truncated: expected {} bytes of data, found {}", wanted, done));
        }
        if (first + count > capacity) {
            capacity = std::min(total, std::max(2 * capacity, first + count));
            points.conservativeResize(static_cast<Index>(capacity), 1);
        }
        Scalar* out = points.data() + first;
        for (std::size_t k = 0; k < count; ++k) {
            const double value = type.load(bytes.data() + k * type.size);
            const bool finite = std::isfinite(value);
            if (!finite || !detail::store_as(value, out[k])) {
                const auto index = static_cast<Index>(first + k);
                fail(path, fmt::format("row {}, column {}: {}", index / d, index % d,
                                       finite ? fmt::format("{} is outside the range of {}", value,
                                                            detail::precision_name<Scalar>())
                                       : std::isnan(value) ? "NaN is not allowed"
                                                           : "infinity is not allowed"));
            }
        }
    }
    unsigned char extra = 0;
    if (kept == n && input.read(&extra, 1) != 0) {
        fail(path,
             fmt::format("the data go on past the {} bytes shape {} needs", total_bytes, shape));
    }
    // The same number of coefficients: Eigen keeps the storage and only changes the shape.
    points.resize(kept, d);
    return points;
}

}  // namespace

template <typename Scalar>
PointMatrixOf<Scalar> read_idx(const std::filesystem::path& path, std::optional<Index> limit,
                               double max_bytes) {
    return detail::parse_with_limit(path, detail::Compression::gzip, limit, max_bytes,
                                    parse_idx<Scalar>);
}

template <typename Scalar>
PointMatrixOf<Scalar> read_idx(const MemoryFile& file, std::optional<Index> limit) {
    return detail::parse_with_limit(file, detail::Compression::gzip, limit, 0.0, parse_idx<Scalar>);
}

template PointMatrixOf<double> read_idx<double>(const std::filesystem::path&, std::optional<Index>,
                                                double);
template PointMatrixOf<float> read_idx<float>(const std::filesystem::path&, std::optional<Index>,
                                              double);
template PointMatrixOf<double> read_idx<double>(const MemoryFile&, std::optional<Index>);
template PointMatrixOf<float> read_idx<float>(const MemoryFile&, std::optional<Index>);

}  // namespace lle::io
