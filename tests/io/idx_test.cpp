#include "io/idx.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io {
namespace {

using testing::message_of;

/// `value` as `width` big-endian bytes.
std::string big_endian(std::uint64_t value, std::size_t width) {
    std::string out;
    for (std::size_t b = 0; b < width; ++b) {
        out += static_cast<char>((value >> (8 * (width - 1 - b))) & 0xFFU);
    }
    return out;
}

/// An IDX header: 0, 0, element type, number of dimensions, then each dimension.
std::string idx_header(unsigned char type, std::initializer_list<std::uint32_t> dims) {
    std::string out{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
    for (const std::uint32_t dim : dims) {
        out += big_endian(dim, 4);
    }
    return out;
}

class IdxTest : public testing::TempDirTest {
  protected:
    std::string error_reading(const std::string& name, const std::string& contents,
                              std::optional<Index> limit = {}) {
        const auto path = write(name, contents);
        const std::string message = message_of<DataError>([&] { read_idx(path, limit); });
        const std::string prefix = path.string() + ": ";
        EXPECT_EQ(message.substr(0, prefix.size()), prefix);
        return message.substr(std::min(prefix.size(), message.size()));
    }

    /// Writes `bytes` compressed with zlib's own gzip writer.
    std::filesystem::path write_gz(const std::string& name, const std::string& bytes) const {
        const auto path = dir_ / name;
        gzFile file = gzopen(path.c_str(), "wb");
        EXPECT_NE(file, nullptr);
        EXPECT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
                  static_cast<int>(bytes.size()));
        EXPECT_EQ(gzclose(file), Z_OK);
        return path;
    }
};

TEST_F(IdxTest, ImagesAreFlattenedIntoRows) {
    // Two 2 x 3 "images" of unsigned bytes become two rows of six features.
    const std::string bytes = idx_header(0x08, {2, 2, 3}) +
                              std::string{0, 1, 2, 3, 4, 5, 10, 20, 30, '\x80', '\xfe', '\xff'};
    PointMatrix expected(2, 6);
    expected << 0, 1, 2, 3, 4, 5, 10, 20, 30, 128, 254, 255;
    EXPECT_EQ(read_idx(write("images-idx3-ubyte", bytes)), expected);
}

TEST_F(IdxTest, OneDimensionalLabelsAreAColumn) {
    const std::string bytes = idx_header(0x08, {4}) + std::string{9, 0, 3, 7};
    PointMatrix expected(4, 1);
    expected << 9, 0, 3, 7;
    EXPECT_EQ(read_idx(write("labels-idx1-ubyte", bytes)), expected);
}

TEST_F(IdxTest, SignedIntegerAndFloatTypesAreBigEndian) {
    PointMatrix expected(1, 2);
    expected << -2, 100;
    EXPECT_EQ(read_idx(write("i8.idx", idx_header(0x09, {1, 2}) + "\xfe\x64")), expected);
    expected << -300, 32767;
    EXPECT_EQ(read_idx(write("i16.idx", idx_header(0x0B, {1, 2}) + big_endian(0xFED4, 2) +
                                            big_endian(0x7FFF, 2))),
              expected);
    expected << -70000, 2147483647;
    EXPECT_EQ(read_idx(write("i32.idx", idx_header(0x0C, {1, 2}) + big_endian(0xFFFEEE90, 4) +
                                            big_endian(0x7FFFFFFF, 4))),
              expected);
    expected << 1.5, -0.25;
    EXPECT_EQ(read_idx(write("f32.idx", idx_header(0x0D, {1, 2}) +
                                            big_endian(std::bit_cast<std::uint32_t>(1.5F), 4) +
                                            big_endian(std::bit_cast<std::uint32_t>(-0.25F), 4))),
              expected);
    expected << 0.1, -1e300;
    EXPECT_EQ(read_idx(write("f64.idx", idx_header(0x0E, {1, 1, 2}) +
                                            big_endian(std::bit_cast<std::uint64_t>(0.1), 8) +
                                            big_endian(std::bit_cast<std::uint64_t>(-1e300), 8))),
              expected);
}

TEST_F(IdxTest, GzipAndLimit) {
    std::string data;
    for (int i = 0; i < 5 * 4; ++i) {
        data += static_cast<char>(i);
    }
    const auto path = write_gz("train-idx2-ubyte.gz", idx_header(0x08, {5, 4}) + data);
    const PointMatrix all = read_idx(path);
    ASSERT_EQ(all.rows(), 5);
    ASSERT_EQ(all.cols(), 4);
    EXPECT_EQ(all(4, 3), 19.0);
    const PointMatrix first = read_idx(path, 2);
    ASSERT_EQ(first.rows(), 2);
    EXPECT_EQ(first, all.topRows(2));
}

TEST_F(IdxTest, LimitReadsOnlyTheRowsNeeded) {
    // The header promises 1000 rows but only 2 are present: enough for limit 2.
    const auto path =
        write("short.idx", idx_header(0x08, {1000, 3}) + std::string{1, 2, 3, 4, 5, 6});
    PointMatrix expected(2, 3);
    expected << 1, 2, 3, 4, 5, 6;
    EXPECT_EQ(read_idx(path, 2), expected);
}

TEST_F(IdxTest, TruncatedData) {
    EXPECT_EQ(error_reading("a.idx", idx_header(0x08, {2, 2, 3}) + std::string{1, 2, 3, 4, 5}),
              "truncated: expected 12 bytes of data, found 5");
    EXPECT_EQ(error_reading("b.idx", idx_header(0x0C, {3, 1}) + big_endian(1, 4), 2),
              "truncated: expected 8 bytes of data, found 4");
    // Inside a complete gzip stream: found out while reading.
    const auto path = write_gz("c.idx.gz", idx_header(0x08, {4, 2}) + std::string{1, 2, 3});
    EXPECT_EQ(message_of<DataError>([&] { read_idx(path); }),
              path.string() + ": truncated: expected 8 bytes of data, found 3");
    EXPECT_EQ(error_reading("d.idx", idx_header(0x08, {1, 2, 3}).substr(0, 10)),
              "truncated: expected 3 dimensions");
}

TEST_F(IdxTest, DataBeyondTheShapeAreAnError) {
    // As for .npy: bytes the header does not account for mean it does not describe the file.
    EXPECT_EQ(error_reading("a.idx", idx_header(0x08, {2, 2}) + std::string{1, 2, 3, 4, 5}),
              "the file has 5 bytes of data, but shape 2 x 2 needs only 4");
    const auto path = write_gz("b.idx.gz", idx_header(0x08, {2, 2}) + std::string{1, 2, 3, 4, 5});
    EXPECT_EQ(message_of<DataError>([&] { read_idx(path); }),
              path.string() + ": the data go on past the 4 bytes shape 2 x 2 needs");
    // With a row limit only the rows read are looked at.
    EXPECT_EQ(read_idx(path, 1).rows(), 1);
}

TEST_F(IdxTest, HostileShapesFailBeforeAllocating) {
    EXPECT_EQ(error_reading("a.idx", idx_header(0x0E, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF})),
              "shape 4294967295 x 4294967295 x 4294967295 is too large");
    EXPECT_EQ(error_reading("b.idx", idx_header(0x0E, {0xFFFFFFFF, 1000})),
              "truncated: expected 34359738360000 bytes of data, found 0");
    // A gzip file of a few dozen bytes cannot expand to 4 GB.
    const auto path = write_gz("c.idx.gz", idx_header(0x08, {0xFFFF, 0xFFFF}) + "x");
    const std::string message = message_of<DataError>([&] { read_idx(path); });
    EXPECT_NE(message.find("truncated: expected 4294836225 bytes of data, more than a gzip file"),
              std::string::npos)
        << message;
}

TEST_F(IdxTest, MemoryFileReadsLikeTheFile) {
    const std::string plain = idx_header(0x0B, {3, 2}) + big_endian(0xFFFE, 2) + big_endian(7, 2) +
                              big_endian(1, 2) + big_endian(2, 2) + big_endian(3, 2) +
                              big_endian(0x8000, 2);
    PointMatrix expected(3, 2);
    expected << -2, 7, 1, 2, 3, -32768;
    for (const std::string& bytes : {plain, testing::gzip(plain)}) {
        const MemoryFile file{"in-memory-idx2-ubyte", bytes};
        EXPECT_EQ(read_idx(file), expected);
        EXPECT_EQ(read_idx(file), read_idx(write("on-disk-idx2-ubyte", bytes)));
        EXPECT_EQ(read_idx<float>(file, 2), expected.topRows(2).cast<float>());
    }
    EXPECT_EQ(message_of<DataError>([&] {
                  read_idx(MemoryFile{"cut.idx", plain.substr(0, plain.size() - 1)});
              }),
              "cut.idx: truncated: expected 12 bytes of data, found 11");
}

// Hostile headers, in memory: each is refused with the problem named, before anything is
// allocated for the declared shape.
TEST_F(IdxTest, HostileHeadersInMemoryNameTheProblem) {
    const auto error = [](const std::string& bytes) {
        return testing::message_after_name<DataError>("h.idx", [&] {
            read_idx(MemoryFile{"h.idx", bytes});
        });
    };
    // Huge: 4 billion rows of 1000 doubles, no data.
    EXPECT_EQ(error(idx_header(0x0E, {0xFFFFFFFF, 1000})),
              "truncated: expected 34359738360000 bytes of data, found 0");
    // Dimensions are unsigned 32-bit, so "negative" -1 reads as 4294967295 (and is huge).
    EXPECT_EQ(error(idx_header(0x08, {2, 0xFFFFFFFF}) + "ab"),
              "truncated: expected 8589934590 bytes of data, found 2");
    // The product of the dimensions overflows 64 bits, then the byte count does.
    EXPECT_EQ(error(idx_header(0x08, {1, 0xFFFFFFFF, 0xFFFFFFFF, 2})),
              "shape 1 x 4294967295 x 4294967295 x 2 is too large");
    EXPECT_EQ(error(idx_header(0x0E, {0x80000000, 0x80000000, 2})),
              "shape 2147483648 x 2147483648 x 2 is too large");
    // Truncated header.
    EXPECT_EQ(error(idx_header(0x08, {5, 5}).substr(0, 9)), "truncated: expected 2 dimensions");
}

// A gzip stream whose header promises 9,000,000 bytes but that holds two: 8 KiB of padding
// after the stream (ignored, as gzread ignores it) make the file large enough for the ratio
// check, so only reading tells. The points grow with the data read instead of being allocated
// from the header (72 MB of doubles); tests/fuzz/corpus/idx holds the same file, which the
// fuzzers replay under a 64 MB allocation limit.
TEST_F(IdxTest, GzipPromisingMoreThanItHoldsIsTruncated) {
    const std::string bytes =
        testing::gzip(idx_header(0x08, {3000, 3000}) + std::string{1, 2}) + std::string(8192, '\0');
    EXPECT_EQ(error_reading("padded-idx2-ubyte.gz", bytes),
              "truncated: expected 9000000 bytes of data, found 2");
    EXPECT_EQ(message_of<DataError>([&] {
                  read_idx(MemoryFile{"m.idx.gz", bytes});
              }),
              "m.idx.gz: truncated: expected 9000000 bytes of data, found 2");
}

TEST_F(IdxTest, GzipDataGrowsAcrossManyChunks) {
    // 3 MB of u8 in a gzip stream: the points are grown several times while reading.
    const std::uint32_t rows = 3000;
    const std::uint32_t cols = 1000;
    std::string data(std::size_t{rows} * cols, '\0');
    for (std::size_t k = 0; k < data.size(); ++k) {
        data[k] = static_cast<char>((k * 7) % 251);
    }
    const PointMatrix points = read_idx(
        MemoryFile{"big-idx2-ubyte.gz", testing::gzip(idx_header(0x08, {rows, cols}) + data)});
    ASSERT_EQ(points.rows(), rows);
    ASSERT_EQ(points.cols(), cols);
    for (const std::size_t k :
         {std::size_t{0}, std::size_t{1'048'575}, std::size_t{1'048'576}, data.size() - 1}) {
        EXPECT_EQ(points(static_cast<Index>(k / cols), static_cast<Index>(k % cols)),
                  static_cast<double>((k * 7) % 251))
            << k;
    }
}

TEST_F(IdxTest, HeaderErrors) {
    EXPECT_EQ(error_reading("a.idx", "PK\x03\x04 not idx"),
              "not an IDX file (it must start with bytes 00 00 type ndim; found 50 4b 03 04)");
    EXPECT_EQ(error_reading("b.idx", std::string("\0\0\x0a\x01", 4) + big_endian(1, 4) + "x"),
              "unknown IDX element type 0x0A (known: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, "
              "0x0D f32, 0x0E f64)");
    EXPECT_EQ(error_reading("e.idx", ""), "not an IDX file (shorter than its 4-byte magic number)");
    EXPECT_EQ(error_reading("c.idx", std::string("\0\0\x08\x00", 4)),
              "IDX file with 0 dimensions, expected at least 1");
    EXPECT_EQ(error_reading("d.idx", idx_header(0x08, {0, 784})), "no data (shape 0 x 784)");
    const auto missing = dir_ / "missing-idx3-ubyte.gz";
    EXPECT_EQ(message_of<DataError>([&] { read_idx(missing); }),
              missing.string() + ": cannot open (No such file or directory)");
}

TEST_F(IdxTest, NonFiniteFloats) {
    const std::string nan = big_endian(0x7FC00000, 4);
    EXPECT_EQ(error_reading("a.idx", idx_header(0x0D, {2, 2}) + std::string(12, '\0') + nan),
              "row 1, column 1: NaN is not allowed");
}

TEST(IdxFashionMnist, ReadsTheTrainingImages) {
    const std::filesystem::path path =
        "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    if (!std::filesystem::exists(path)) {
        GTEST_SKIP() << path << " is not installed";
    }
    const PointMatrix images = read_idx(path);
    ASSERT_EQ(images.rows(), 60000);
    ASSERT_EQ(images.cols(), 784);
    // Row-major, so the pixels of all images are one contiguous run.
    const Eigen::Map<const Eigen::ArrayXd> pixels(images.data(), images.size());
    EXPECT_EQ(pixels.minCoeff(), 0.0);
    EXPECT_EQ(pixels.maxCoeff(), 255.0);
    EXPECT_TRUE((pixels == pixels.floor()).all());

    const PointMatrix first = read_idx(path, 10000);
    ASSERT_EQ(first.rows(), 10000);
    ASSERT_EQ(first.cols(), 784);
    EXPECT_TRUE(
        (Eigen::Map<const Eigen::ArrayXd>(first.data(), first.size()) == pixels.head(first.size()))
            .all());
}

}  // namespace
}  // namespace lle::io
