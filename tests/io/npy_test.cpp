#include "io/npy.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string>

#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io {
namespace {

using testing::message_of;

/// `value`'s bytes, least significant first unless `big_endian`.
template <typename T>
std::string bytes_of(T value, bool big_endian = false) {
    using Bits = std::conditional_t<
        sizeof(T) == 1, std::uint8_t,
        std::conditional_t<sizeof(T) == 2, std::uint16_t,
                           std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
    const auto bits = std::bit_cast<Bits>(value);
    std::string out;
    for (std::size_t b = 0; b < sizeof(T); ++b) {
        const std::size_t shift = big_endian ? sizeof(T) - 1 - b : b;
        out += static_cast<char>((bits >> (8 * shift)) & 0xFFU);
    }
    return out;
}

template <typename T>
std::string array_bytes(std::initializer_list<T> values, bool big_endian = false) {
    std::string out;
    for (const T value : values) {
        out += bytes_of(value, big_endian);
    }
    return out;
}

/// A .npy file: magic, version, header length, `dict` padded to 64 bytes, then `data`.
std::string npy(const std::string& dict, const std::string& data, int major = 1) {
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    std::string header = dict;
    const std::size_t unpadded = 8 + length_bytes + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::string out("\x93NUMPY", 6);
    out += static_cast<char>(major);
    out += '\0';
    for (std::size_t b = 0; b < length_bytes; ++b) {
        out += static_cast<char>((header.size() >> (8 * b)) & 0xFFU);
    }
    return out + header + data;
}

std::string dict(const std::string& descr, bool fortran, const std::string& shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
           ", 'shape': " + shape + ", }";
}

/// The 2 x 3 matrix [[1, -2, 3.5], [4, 5, -6.25]] used by most tests.
PointMatrix small_matrix() {
    PointMatrix m(2, 3);
    m << 1, -2, 3.5, 4, 5, -6.25;
    return m;
}

class NpyTest : public testing::TempDirTest {
  protected:
    std::string error_reading(const std::string& contents, std::optional<Index> limit = {}) {
        const auto path = write("data.npy", contents);
        const std::string message = message_of<DataError>([&] { read_npy(path, limit); });
        const std::string prefix = path.string() + ": ";
        EXPECT_EQ(message.substr(0, prefix.size()), prefix);
        return message.substr(std::min(prefix.size(), message.size()));
    }
};

TEST_F(NpyTest, Float64COrder) {
    const auto path = write("data.npy", npy(dict("<f8", false, "(2, 3)"),
                                            array_bytes<double>({1, -2, 3.5, 4, 5, -6.25})));
    EXPECT_EQ(read_npy(path), small_matrix());
}

TEST_F(NpyTest, FortranOrderIsTransposedIntoRows) {
    // Column-major: the first column (1, 4) comes first.
    const std::string data = array_bytes<double>({1, 4, -2, 5, 3.5, -6.25});
    const auto path = write("data.npy", npy(dict("<f8", true, "(2, 3)"), data));
    EXPECT_EQ(read_npy(path), small_matrix());

    const PointMatrix first = read_npy(path, 1);
    ASSERT_EQ(first.rows(), 1);
    EXPECT_EQ(first, small_matrix().topRows(1));
}

TEST_F(NpyTest, EveryElementTypeAndByteOrder) {
    const PointMatrix expected = small_matrix();
    const std::string f8_be = array_bytes<double>({1, -2, 3.5, 4, 5, -6.25}, true);
    const std::string f4_le = array_bytes<float>({1, -2, 3.5, 4, 5, -6.25});
    const std::string f4_be = array_bytes<float>({1, -2, 3.5, 4, 5, -6.25}, true);
    EXPECT_EQ(read_npy(write("a.npy", npy(dict(">f8", false, "(2, 3)"), f8_be))), expected);
    EXPECT_EQ(read_npy(write("b.npy", npy(dict("<f4", false, "(2, 3)"), f4_le))), expected);
    EXPECT_EQ(read_npy(write("c.npy", npy(dict(">f4", false, "(2, 3)"), f4_be))), expected);

    PointMatrix integers(2, 2);
    integers << 0, 255, -7, 300000;
    PointMatrix bytes(2, 2);
    bytes << 0, 255, 7, 128;
    EXPECT_EQ(read_npy(write("u1.npy", npy(dict("|u1", false, "(2, 2)"),
                                           array_bytes<std::uint8_t>({0, 255, 7, 128})))),
              bytes);
    EXPECT_EQ(read_npy(write("i4.npy", npy(dict("<i4", false, "(2, 2)"),
                                           array_bytes<std::int32_t>({0, 255, -7, 300000})))),
              integers);
    EXPECT_EQ(read_npy(write("i8.npy", npy(dict("<i8", true, "(2, 2)"),
                                           array_bytes<std::int64_t>({0, -7, 255, 300000})))),
              integers);
    EXPECT_EQ(
        read_npy(write("i4be.npy", npy(dict(">i4", false, "(2, 2)"),
                                       array_bytes<std::int32_t>({0, 255, -7, 300000}, true)))),
        integers);
    PointMatrix shorts(1, 2);
    shorts << -32768, 65535;
    EXPECT_EQ(read_npy(write("i2u2.npy", npy(dict("<i2", false, "(1, 1)"),
                                             array_bytes<std::int16_t>({-32768})))),
              shorts.leftCols(1));
    EXPECT_EQ(read_npy(write("u2.npy", npy(dict(">u2", false, "(1, 1)"),
                                           array_bytes<std::uint16_t>({65535}, true)))),
              shorts.rightCols(1));
}

TEST_F(NpyTest, OneDimensionalArrayIsAColumn) {
    const auto path =
        write("data.npy", npy(dict("<f8", false, "(3,)"), array_bytes<double>({0.5, 1.5, 2.5})));
    PointMatrix expected(3, 1);
    expected << 0.5, 1.5, 2.5;
    EXPECT_EQ(read_npy(path), expected);
    EXPECT_EQ(read_npy(path, 2), expected.topRows(2));
}

TEST_F(NpyTest, Versions2And3HaveFourByteHeaderLength) {
    const std::string data = array_bytes<double>({1, -2, 3.5, 4, 5, -6.25});
    EXPECT_EQ(read_npy(write("v2.npy", npy(dict("<f8", false, "(2, 3)"), data, 2))),
              small_matrix());
    EXPECT_EQ(read_npy(write("v3.npy", npy(dict("<f8", false, "(2, 3)"), data, 3))),
              small_matrix());
}

TEST_F(NpyTest, HeaderInAnyKeyOrderQuotingAndSpacing) {
    const std::string data = array_bytes<double>({1, -2, 3.5, 4, 5, -6.25});
    const std::string header =
        "{ \"shape\" : ( 2 ,3 ) ,'extra': {'nested': [1, (2,)], 'x': None},"
        "'fortran_order':False,\"descr\":\"<f8\"}";
    EXPECT_EQ(read_npy(write("data.npy", npy(header, data))), small_matrix());
    // Python 2 wrote shapes as long integers.
    EXPECT_EQ(read_npy(write("py2.npy", npy(dict("<f8", false, "(2L, 3L)"), data))),
              small_matrix());
}

TEST_F(NpyTest, LimitKeepsTheFirstRows) {
    const auto path = write("data.npy", npy(dict("<f8", false, "(2, 3)"),
                                            array_bytes<double>({1, -2, 3.5, 4, 5, -6.25})));
    EXPECT_EQ(read_npy(path, 1), small_matrix().topRows(1));
    EXPECT_EQ(read_npy(path, 10), small_matrix());
}

TEST_F(NpyTest, ShapeErrors) {
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "()"), array_bytes<double>({1}))),
              "the array is 0-dimensional (a scalar), expected shape (n,) or (n, D)");
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(1, 1, 2)"), array_bytes<double>({1, 2}))),
              "the array has shape (1, 1, 2), expected (n,) or (n, D); reshape it to two "
              "dimensions first");
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(0, 3)"), "")),
              "the array is empty (shape (0, 3))");
}

TEST_F(NpyTest, DeclaredSizeMustMatchTheFile) {
    const std::string data = array_bytes<double>({1, 2, 3, 4, 5});
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(2, 3)"), data)),
              "truncated: shape (2, 3) needs 48 bytes of data, the file has 40");
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(2, 2)"), data)),
              "the file has 40 bytes of data, but shape (2, 2) needs only 32");
    // A hostile header: an honest error before anything is allocated, not std::bad_alloc.
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(1000000000000, 1000)"), data)),
              "truncated: shape (1000000000000, 1000) needs 8000000000000000 bytes of data, "
              "the file has 40");
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(4294967296, 4294967296)"), data)),
              "the header's shape (4294967296, 4294967296) is too large");
}

TEST_F(NpyTest, MalformedFiles) {
    EXPECT_EQ(error_reading("PK\x03\x04 not numpy at all"),
              "not a .npy file (no \\x93NUMPY magic at the start)");
    EXPECT_EQ(error_reading("\x93NUMP"), "not a .npy file (too short)");
    std::string version4 = npy(dict("<f8", false, "(1,)"), array_bytes<double>({1}));
    version4[6] = 4;
    EXPECT_EQ(error_reading(version4),
              "unsupported .npy format version 4.0 (supported: 1.0 to 3.0)");
    std::string long_header = npy(dict("<f8", false, "(1,)"), "");
    long_header[8] = '\xff';
    long_header[9] = '\x7f';
    EXPECT_EQ(error_reading(long_header),
              "truncated .npy header: it declares 32767 bytes, the file has 118");
    EXPECT_EQ(error_reading(npy("{'descr': '<f8', 'shape': (1,)}", array_bytes<double>({1}))),
              "malformed .npy header: it needs the keys 'descr', 'fortran_order' and 'shape'");
    EXPECT_EQ(error_reading(npy("{'descr' '<f8'}", "")),
              "malformed .npy header: expected ':' at offset 9");
    EXPECT_EQ(error_reading(npy(dict("<c16", false, "(1,)"), std::string(16, '\0'))),
              "unsupported dtype '<c16' (supported: float32, float64, and signed or unsigned "
              "integers of 1, 2, 4 or 8 bytes)");
    EXPECT_EQ(error_reading(npy("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,)}",
                                array_bytes<double>({1}))),
              "structured dtypes are not supported (need one numeric type)");
    const auto missing = dir_ / "missing.npy";
    EXPECT_EQ(message_of<DataError>([&] { read_npy(missing); }),
              missing.string() + ": cannot open (No such file or directory)");
}

TEST_F(NpyTest, NonFiniteValuesNameTheirPosition) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(2, 2)"), array_bytes<double>({1, 2, 3, nan}))),
              "row 1, column 1: NaN is not allowed");
    EXPECT_EQ(error_reading(npy(dict("<f4", true, "(2, 2)"),
                                array_bytes<float>({1, 2, static_cast<float>(-inf), 4}))),
              "row 0, column 1: infinity is not allowed");
    EXPECT_EQ(error_reading(npy(dict("<f8", false, "(2,)"), array_bytes<double>({1, inf}))),
              "element 1: infinity is not allowed");
}

TEST_F(NpyTest, MemoryFileReadsLikeTheFile) {
    const std::string bytes =
        npy(dict("<f4", true, "(2, 3)"), array_bytes<float>({1, 4, -2, 5, 3.5F, -6.25F}));
    const auto path = write("data.npy", bytes);
    const MemoryFile file{"in-memory.npy", bytes};
    EXPECT_EQ(read_npy(file), read_npy(path));
    EXPECT_EQ(read_npy(file), small_matrix());
    EXPECT_EQ(read_npy<float>(file, 1), read_npy<float>(path, 1));
    // Errors name the MemoryFile as they name a path.
    const std::string truncated = bytes.substr(0, bytes.size() - 1);
    EXPECT_EQ(message_of<DataError>([&] {
                  read_npy(MemoryFile{"cut.npy", truncated});
              }),
              "cut.npy: truncated: shape (2, 3) needs 24 bytes of data, the file has 23");
}

// Hostile headers: each is refused with the problem named, before anything is allocated for
// the declared shape (a std::bad_alloc or a crash would fail the test).
TEST_F(NpyTest, HostileHeadersNameTheProblem) {
    const auto error = [](const std::string& bytes) {
        return testing::message_after_name<DataError>("h.npy", [&] {
            read_npy(MemoryFile{"h.npy", bytes});
        });
    };
    const std::string one = array_bytes<double>({1});
    // Huge: a trillion rows declared, 8 bytes present.
    EXPECT_EQ(error(npy(dict("<f8", false, "(1000000000000, 1)"), one)),
              "truncated: shape (1000000000000, 1) needs 8000000000000 bytes of data, the file "
              "has 8");
    // Negative sizes are not integers NumPy could have written.
    EXPECT_EQ(error(npy(dict("<f8", false, "(-1, 3)"), one)),
              "malformed .npy header: expected a non-negative integer at offset 51");
    // Rows x columns, and bytes per element times that, overflow 64 bits.
    EXPECT_EQ(error(npy(dict("<f8", false, "(4294967296, 4294967296)"), one)),
              "the header's shape (4294967296, 4294967296) is too large");
    EXPECT_EQ(error(npy(dict("<f8", false, "(2305843009213693952, 1)"), one)),
              "the header's shape (2305843009213693952, 1) is too large");
    EXPECT_EQ(error(npy(dict("<f8", false, "(18446744073709551616, 1)"), one)),
              "malformed .npy header: expected a non-negative integer at offset 51");
    // Truncated: data, header, and a version 2 preamble cut inside its header length.
    EXPECT_EQ(error(npy(dict("<f8", false, "(3,)"), one)),
              "truncated: shape (3,) needs 24 bytes of data, the file has 8");
    std::string long_header = npy(dict("<f8", false, "(1,)"), one, 2);
    long_header[8] = '\xff';
    long_header[11] = '\x7f';
    EXPECT_EQ(error(long_header),
              "truncated .npy header: it declares 2130706687 bytes, the file has 124");
    EXPECT_EQ(error(npy(dict("<f8", false, "(1,)"), one, 2).substr(0, 11)),
              "truncated .npy header");
}

// Found by the fuzzer (tests/fuzz/corpus/npy/regression-control-bytes-in-dtype.npy): text from
// the header went into the message as it was, NUL and all, which cut the message short. Bytes
// outside ASCII are escaped too: they need not be valid UTF-8.
TEST_F(NpyTest, HeaderTextInAMessageHasItsControlBytesEscaped) {
    const std::string descr = std::string("<\x93\0\x01", 4) + "f8";
    EXPECT_EQ(error_reading(npy(dict(descr, false, "(1,)"), array_bytes<double>({1}))),
              "unsupported dtype '<\\x93\\x00\\x01f8' (supported: float32, float64, and signed "
              "or unsigned integers of 1, 2, 4 or 8 bytes)");
    // The character at a syntax error is named; the end of the header is said in words.
    EXPECT_EQ(error_reading(npy("{'descr': '<f8', 'x': ,}", "")),
              "malformed .npy header: unexpected ',' at offset 22");
    EXPECT_EQ(error_reading(npy("{'descr': '<f8', 'x': ", "")),
              "malformed .npy header: unexpected end at offset 54");
}

// Found by review, kept as tests/fuzz/corpus/npy/regression-deep-nesting.npy: an unknown key's
// value was skipped by recursion as deep as its nesting, so a header of 200,000 '(' overflowed
// the stack.
TEST_F(NpyTest, DeeplyNestedValuesAreRefusedNotRecursedInto) {
    const std::string prefix = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': ";
    const std::string deep = prefix + std::string(200'000, '(') + "}";
    EXPECT_EQ(error_reading(npy(deep, array_bytes<double>({1}), 2)),
              "malformed .npy header: values nested more than 32 deep at offset " +
                  std::to_string(prefix.size() + 32));
    // 32 levels are read (and skipped) as any other value.
    const std::string nested = prefix + std::string(32, '[') + "1" + std::string(32, ']') + "}";
    EXPECT_EQ(read_npy(write("nested.npy", npy(nested, array_bytes<double>({2})))),
              PointMatrix::Constant(1, 1, 2.0));
}

TEST(NpyWrite, HeaderIsPaddedTo64BytesAndDataIsLittleEndianCOrder) {
    DenseMatrix values(2, 2);
    values << 1.0, 2.0, 3.0, -0.5;
    std::ostringstream out;
    write_npy(out, values);
    const std::string bytes = out.str();

    const std::string dict_text = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
    const std::size_t header_length = 128 - 10;  // 10 + 59 + 1 bytes, padded to 128
    ASSERT_EQ(bytes.size(), 10 + header_length + 4 * 8);
    EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    EXPECT_EQ(static_cast<unsigned char>(bytes[8]) + 256 * static_cast<unsigned char>(bytes[9]),
              header_length);
    EXPECT_EQ(bytes.substr(10, dict_text.size()), dict_text);
    EXPECT_EQ(bytes.substr(10 + dict_text.size(), header_length - dict_text.size() - 1),
              std::string(header_length - dict_text.size() - 1, ' '));
    EXPECT_EQ(bytes[127], '\n');
    // Row by row: 1, 2, 3, -0.5.
    EXPECT_EQ(bytes.substr(128), array_bytes<double>({1.0, 2.0, 3.0, -0.5}));
}

TEST_F(NpyTest, WrittenArraysReadBackExactly) {
    // Shapes whose header text lengths differ, so that the padding varies.
    for (const auto& [rows, cols] : {std::pair<Index, Index>{1, 1}, {7, 3}, {123, 45}}) {
        DenseMatrix values(rows, cols);
        for (Index i = 0; i < rows; ++i) {
            for (Index j = 0; j < cols; ++j) {
                values(i, j) = std::sin(static_cast<double>(i * cols + j) + 0.1) / 3.0;
            }
        }
        std::ostringstream out;
        write_npy(out, values);
        ASSERT_EQ(out.str().size() % 8, 0U);
        const std::string bytes = out.str();
        const std::size_t header_end =
            10 + static_cast<unsigned char>(bytes[8]) + 256 * static_cast<unsigned char>(bytes[9]);
        EXPECT_EQ(header_end % 64, 0U);
        EXPECT_EQ(bytes[header_end - 1], '\n');
        const PointMatrix back = read_npy(write("out.npy", bytes));
        EXPECT_EQ(back, values) << rows << " x " << cols;
    }
}

}  // namespace
}  // namespace lle::io
