#include "io/npy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "io/detail/input.hpp"
#include "io/detail/support.hpp"
#include "lle/base/error.hpp"

// Format reference: numpy/lib/format.py, "NPY format". A file is
//   "\x93NUMPY", major version byte, minor version byte,
//   header length (uint16 little endian in 1.0, uint32 in 2.0 and 3.0),
//   header: a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (n, D), }
//           padded with spaces and ending in '\n' so that the data starts 64-byte aligned,
//   data:   the elements, C order (last index fastest) or Fortran order (first index fastest).

namespace lle::io {
namespace {

using detail::fail;

constexpr std::string_view npy_magic = "\x93NUMPY";

/// The element types read: IEEE floats and integers of either byte order.
struct Dtype {
    char kind = 'f';          // 'f' float, 'i' signed, 'u' unsigned
    std::size_t size = 8;     // bytes per element
    bool big_endian = false;  // byte order in the file
};

struct NpyHeader {
    Dtype dtype;
    bool fortran_order = false;
    std::vector<std::uint64_t> shape;
};

std::string shape_text(const std::vector<std::uint64_t>& shape) {
    if (shape.size() == 1) {
        return fmt::format("({},)", shape[0]);
    }
    return fmt::format("({})", fmt::join(shape, ", "));
}

/// Reads the header dict. Only the literal forms NumPy writes are needed (strings, True/False,
/// tuples of integers), but any Python literal is skipped so that unknown keys do no harm.
class HeaderParser {
  public:
    HeaderParser(const std::filesystem::path& path, std::string_view text)
        : path_(path), text_(text) {}

    NpyHeader parse() {
        NpyHeader header;
        bool has_descr = false;
        bool has_order = false;
        bool has_shape = false;
        expect('{');
        while (!take('}')) {
            const std::string key = string_literal();
            expect(':');
            if (key == "descr") {
                skip_space();
                if (peek() != '\'' && peek() != '"') {
                    fail(path_, "structured dtypes are not supported (need one numeric type)");
                }
                header.dtype = parse_dtype(string_literal());
                has_descr = true;
            } else if (key == "fortran_order") {
                header.fortran_order = boolean_literal();
                has_order = true;
            } else if (key == "shape") {
                header.shape = shape_literal();
                has_shape = true;
            } else {
                skip_value();
            }
            if (!take(',')) {
                expect('}');
                break;
            }
        }
        skip_space();
        if (pos_ != text_.size()) {
            malformed("text after the closing '}'");
        }
        if (!has_descr || !has_order || !has_shape) {
            malformed("it needs the keys 'descr', 'fortran_order' and 'shape'");
        }
        return header;
    }

  private:
    [[noreturn]] void malformed(std::string_view what) const {
        fail(path_, fmt::format("malformed .npy header: {}", what));
    }

    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }

    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

    bool take(char c) {
        skip_space();
        if (peek() == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!take(c)) {
            malformed(fmt::format("expected '{}' at offset {}", c, pos_));
        }
    }

    std::string string_literal() {
        skip_space();
        const char quote = peek();
        if (quote != '\'' && quote != '"') {
            malformed(fmt::format("expected a string at offset {}", pos_));
        }
        const std::size_t close = text_.find(quote, pos_ + 1);
        if (close == std::string_view::npos) {
            malformed("unterminated string");
        }
        std::string value(text_.substr(pos_ + 1, close - pos_ - 1));
        pos_ = close + 1;
        return value;
    }

    bool boolean_literal() {
        skip_space();
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            const std::string_view name = word;
            if (text_.substr(pos_, name.size()) == name) {
                pos_ += name.size();
                return value;
            }
        }
        malformed("'fortran_order' must be True or False");
    }

    std::uint64_t integer_literal() {
        skip_space();
        std::uint64_t value = 0;
        const char* begin = text_.data() + pos_;
        const auto [ptr, ec] = std::from_chars(begin, text_.data() + text_.size(), value);
        if (ec != std::errc{}) {
            malformed(fmt::format("expected a non-negative integer at offset {}", pos_));
        }
        pos_ += static_cast<std::size_t>(ptr - begin);
        if (peek() == 'L') {
            ++pos_;  // Python 2 long suffix, found in old files
        }
        return value;
    }

    std::vector<std::uint64_t> shape_literal() {
        std::vector<std::uint64_t> shape;
        expect('(');
        while (!take(')')) {
            shape.push_back(integer_literal());
            if (!take(',')) {
                expect(')');
                break;
            }
        }
        return shape;
    }

    /// Skips any literal: string, number, name, or tuples, lists and dicts nested at most
    /// `max_depth` deep (a structured dtype, NumPy's deepest, needs three; a deeper header
    /// could only exhaust the stack). `depth` counts the containers around the value.
    void skip_value(int depth = 0) {
        skip_space();
        const char c = peek();
        if (c == '\'' || c == '"') {
            string_literal();
        } else if (c == '(' || c == '[' || c == '{') {
            if (depth == max_depth) {
                malformed(
                    fmt::format("values nested more than {} deep at offset {}", max_depth, pos_));
            }
            const char close = c == '(' ? ')' : c == '[' ? ']' : '}';
            ++pos_;
            while (!take(close)) {
                skip_value(depth + 1);
                if (take(':')) {
                    skip_value(depth + 1);
                }
                if (!take(',')) {
                    expect(close);
                    break;
                }
            }
        } else {
            const std::size_t start = pos_;
            while (pos_ < text_.size() &&
                   std::string_view(",:)]} \n").find(text_[pos_]) == std::string_view::npos) {
                ++pos_;
            }
            if (pos_ == start) {
                malformed(pos_ == text_.size()
                              ? fmt::format("unexpected end at offset {}", pos_)
                              : fmt::format("unexpected '{}' at offset {}",
                                            detail::escaped(std::string_view(&c, 1)), pos_));
            }
        }
    }

    Dtype parse_dtype(const std::string& descr) const {
        const auto unsupported = [&]() -> Dtype {
            fail(path_, fmt::format("unsupported dtype '{}' (supported: float32, float64, and "
                                    "signed or unsigned integers of 1, 2, 4 or 8 bytes)",
                                    detail::escaped(descr)));
        };
        if (descr.size() < 3) {
            return unsupported();
        }
        Dtype dtype;
        const char order = descr[0];
        dtype.kind = descr[1];
        std::size_t size = 0;
        const auto [ptr, ec] = std::from_chars(descr.data() + 2, descr.data() + descr.size(), size);
        if (ec != std::errc{} || ptr != descr.data() + descr.size()) {
            return unsupported();
        }
        dtype.size = size;
        const bool valid_size = dtype.kind == 'f'
                                    ? (size == 4 || size == 8)
                                    : (size == 1 || size == 2 || size == 4 || size == 8);
        if ((dtype.kind != 'f' && dtype.kind != 'i' && dtype.kind != 'u') || !valid_size) {
            return unsupported();
        }
        if (order == '<' || order == '>') {
            dtype.big_endian = order == '>';
        } else if (order == '=' || (order == '|' && size == 1)) {
            dtype.big_endian = std::endian::native == std::endian::big;
        } else {
            return unsupported();
        }
        return dtype;
    }

    static constexpr int max_depth = 32;

    const std::filesystem::path& path_;
    std::string_view text_;
    std::size_t pos_ = 0;
};

/// Reads `width` bytes of a `big_endian` or little-endian unsigned integer.
std::uint64_t load_unsigned(const unsigned char* bytes, std::size_t width, bool big_endian) {
    std::uint64_t value = 0;
    for (std::size_t b = 0; b < width; ++b) {
        const std::size_t shift = big_endian ? width - 1 - b : b;
        value |= static_cast<std::uint64_t>(bytes[b]) << (8 * shift);
    }
    return value;
}

/// Converts one element to double.
double load_element(const unsigned char* bytes, const Dtype& dtype) {
    const std::uint64_t bits = load_unsigned(bytes, dtype.size, dtype.big_endian);
    if (dtype.kind == 'f') {
        return dtype.size == 8
                   ? std::bit_cast<double>(bits)
                   : static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
    }
    if (dtype.kind == 'u') {
        return static_cast<double>(bits);
    }
    // Sign-extend a two's complement integer of dtype.size bytes.
    const std::size_t unused = 64 - 8 * dtype.size;
    return static_cast<double>(static_cast<std::int64_t>(bits << unused) >> unused);
}

/// Reads exactly `count` bytes (the caller has checked that the file holds them).
void read_exactly(detail::Input& input, void* buffer, std::size_t count) {
    if (input.read(buffer, count) != count) {
        fail(input.name(), "read error (the file became shorter while being read)");
    }
}

/// Converts the next `count` elements of `input` into `out[0], out[stride], ...`, a chunk at a
/// time. Floating-point data must be finite, and within `Scalar`'s range; `position(k)`
/// describes element k for the message.
template <typename Scalar, typename Position>
void read_elements(detail::Input& input, const Dtype& dtype, std::size_t count, Scalar* out,
                   std::size_t stride, Position position) {
    constexpr std::size_t chunk_bytes = std::size_t{1} << 20;
    const std::size_t chunk_elements = chunk_bytes / dtype.size;
    std::vector<unsigned char> bytes(std::min(count, chunk_elements) * dtype.size);
    for (std::size_t first = 0; first < count; first += chunk_elements) {
        const std::size_t n = std::min(chunk_elements, count - first);
        read_exactly(input, bytes.data(), n * dtype.size);
        for (std::size_t k = 0; k < n; ++k) {
            const double value = load_element(bytes.data() + k * dtype.size, dtype);
            if (!std::isfinite(value)) {
                fail(input.name(), fmt::format("{}: {} is not allowed", position(first + k),
                                               std::isnan(value) ? "NaN" : "infinity"));
            }
            if (!detail::store_as(value, out[(first + k) * stride])) {
                fail(input.name(),
                     fmt::format("{}: {} is outside the range of {}", position(first + k), value,
                                 detail::precision_name<Scalar>()));
            }
        }
    }
}

/// a * b, or false when it does not fit in 64 bits.
bool multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& product) {
    return !__builtin_mul_overflow(a, b, &product);
}

/// Parses a whole .npy file from `input`: the one parser behind both entry points.
template <typename Scalar>
PointMatrixOf<Scalar> parse_npy(detail::Input& input, std::optional<Index> limit,
                                double max_bytes) {
    const std::filesystem::path& path = input.name();
    if (!input.stored_size()) {
        fail(path, "cannot tell its size (not a regular file)");
    }
    const std::uint64_t file_size = *input.stored_size();

    // Preamble: magic, version, header length.
    std::array<unsigned char, 12> preamble{};
    if (file_size < 10) {
        fail(path, "not a .npy file (too short)");
    }
    read_exactly(input, preamble.data(), 10);
    if (std::memcmp(preamble.data(), npy_magic.data(), npy_magic.size()) != 0) {
        fail(path, "not a .npy file (no \\x93NUMPY magic at the start)");
    }
    const unsigned major = preamble[6];
    if (major < 1 || major > 3) {
        fail(path, fmt::format("unsupported .npy format version {}.{} (supported: 1.0 to 3.0)",
                               major, unsigned{preamble[7]}));
    }
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    const std::uint64_t header_start = 8 + length_bytes;
    if (file_size < header_start) {
        fail(path, "truncated .npy header");
    }
    if (length_bytes == 4) {
        read_exactly(input, preamble.data() + 10, 2);
    }
    const std::uint64_t header_length = load_unsigned(preamble.data() + 8, length_bytes, false);
    const std::uint64_t data_offset = header_start + header_length;
    if (data_offset > file_size) {
        fail(path, fmt::format("truncated .npy header: it declares {} bytes, the file has {}",
                               header_length, file_size - header_start));
    }
    std::string header_text(header_length, '\0');
    read_exactly(input, header_text.data(), header_text.size());
    const NpyHeader header = HeaderParser(path, header_text).parse();

    // Shape: n points of D features.
    const auto& shape = header.shape;
    if (shape.empty()) {
        fail(path, "the array is 0-dimensional (a scalar), expected shape (n,) or (n, D)");
    }
    if (shape.size() > 2) {
        fail(path, fmt::format("the array has shape {}, expected (n,) or (n, D); reshape it to "
                               "two dimensions first",
                               shape_text(shape)));
    }
    const std::uint64_t rows = shape[0];
    const std::uint64_t cols = shape.size() == 2 ? shape[1] : 1;
    const std::uint64_t available = file_size - data_offset;
    std::uint64_t elements = 0;
    std::uint64_t data_bytes = 0;
    if (!multiply(rows, cols, elements) || !multiply(elements, header.dtype.size, data_bytes)) {
        fail(path, fmt::format("the header's shape {} is too large", shape_text(shape)));
    }
    if (data_bytes > available) {
        fail(path, fmt::format("truncated: shape {} needs {} bytes of data, the file has {}",
                               shape_text(shape), data_bytes, available));
    }
    if (data_bytes < available) {
        fail(path, fmt::format("the file has {} bytes of data, but shape {} needs only {}",
                               available, shape_text(shape), data_bytes));
    }
    if (elements == 0) {
        fail(path, fmt::format("the array is empty (shape {})", shape_text(shape)));
    }

    // Sizes are now bounded by the file size, so they fit in Index.
    const auto n = static_cast<Index>(rows);
    const auto d = static_cast<Index>(cols);
    const Index kept = limit ? std::min(n, *limit) : n;
    detail::require_points_fit(path, static_cast<double>(kept), static_cast<double>(d),
                               sizeof(Scalar), max_bytes);
    PointMatrixOf<Scalar> points(kept, d);
    const auto describe = [&](Index row, Index col) {
        return shape.size() == 2 ? fmt::format("row {}, column {}", row, col)
                                 : fmt::format("element {}", row);
    };
    if (!header.fortran_order || d == 1) {
        // C order: the first `kept` rows are one contiguous run.
        read_elements(input, header.dtype, static_cast<std::size_t>(kept * d), points.data(), 1,
                      [&](std::size_t k) {
                          return describe(static_cast<Index>(k) / d, static_cast<Index>(k) % d);
                      });
    } else {
        // Fortran order: element (i, j) is at j * n + i, so each column is a contiguous run
        // and its first `kept` entries are the rows wanted; the rest of the column is skipped.
        const auto skipped = static_cast<std::uint64_t>(n - kept) * header.dtype.size;
        for (Index j = 0; j < d; ++j) {
            read_elements(input, header.dtype, static_cast<std::size_t>(kept), points.data() + j,
                          static_cast<std::size_t>(d),
                          [&](std::size_t k) { return describe(static_cast<Index>(k), j); });
            if (j + 1 < d && input.skip(skipped) != skipped) {
                fail(path, "read error (the file became shorter while being read)");
            }
        }
    }
    return points;
}

}  // namespace

template <typename Scalar>
PointMatrixOf<Scalar> read_npy(const std::filesystem::path& path, std::optional<Index> limit,
                               double max_bytes) {
    return detail::parse_with_limit(path, detail::Compression::none, limit, max_bytes,
                                    parse_npy<Scalar>);
}

template <typename Scalar>
PointMatrixOf<Scalar> read_npy(const MemoryFile& file, std::optional<Index> limit) {
    return detail::parse_with_limit(file, detail::Compression::none, limit, 0.0, parse_npy<Scalar>);
}

template PointMatrixOf<double> read_npy<double>(const std::filesystem::path&, std::optional<Index>,
                                                double);
template PointMatrixOf<float> read_npy<float>(const std::filesystem::path&, std::optional<Index>,
                                              double);
template PointMatrixOf<double> read_npy<double>(const MemoryFile&, std::optional<Index>);
template PointMatrixOf<float> read_npy<float>(const MemoryFile&, std::optional<Index>);

void write_npy(std::ostream& out, const DenseMatrix& values) {
    std::string header =
        fmt::format("{{'descr': '<f8', 'fortran_order': False, 'shape': ({}, {}), }}",
                    values.rows(), values.cols());
    // Pad with spaces so that preamble (10 bytes) + header + '\n' is a multiple of 64.
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';

    std::string bytes(npy_magic);
    bytes += '\x01';  // version 1.0
    bytes += '\x00';
    bytes += static_cast<char>(header.size() & 0xFF);
    bytes += static_cast<char>((header.size() >> 8) & 0xFF);
    bytes += header;
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));

    // Data: rows in order, each value as 8 little-endian bytes.
    std::string row(static_cast<std::size_t>(values.cols()) * 8, '\0');
    for (Index i = 0; i < values.rows(); ++i) {
        for (Index j = 0; j < values.cols(); ++j) {
            const auto bits = std::bit_cast<std::uint64_t>(values(i, j));
            for (std::size_t b = 0; b < 8; ++b) {
                row[static_cast<std::size_t>(j) * 8 + b] =
                    static_cast<char>((bits >> (8 * b)) & 0xFF);
            }
        }
        out.write(row.data(), static_cast<std::streamsize>(row.size()));
    }
}

}  // namespace lle::io
