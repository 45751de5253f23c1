#include "io/detail/input.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io::detail {
namespace {

using testing::message_of;

/// `text` repeated until it is `size` bytes long: compressible, and easy to check.
std::string pattern(std::size_t size) {
    const std::string text = "0123456789abcdefghijklmnopqrstuvwxyz,\n";
    std::string out;
    while (out.size() < size) {
        out += text;
    }
    out.resize(size);
    return out;
}

/// Everything `input` yields, read `chunk` bytes at a time.
std::string read_all(Input& input, std::size_t chunk) {
    std::string out;
    std::vector<char> buffer(chunk);
    while (true) {
        const std::size_t got = input.read(buffer.data(), chunk);
        out.append(buffer.data(), got);
        if (got < chunk) {
            return out;
        }
    }
}

/// `bytes` compressed by zlib's own gzip writer (deflate, not only stored blocks).
std::string deflated(const std::string& bytes) {
    z_stream stream{};
    EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

class InputTest : public testing::TempDirTest {};

TEST_F(InputTest, FileAndMemoryYieldTheSameBytesInAnyChunkSize) {
    // Larger than the file buffer (256 KiB), so reads cross its refills and the direct path.
    const std::string bytes = pattern(700'000);
    const auto path = write("data.bin", bytes);
    for (const std::size_t chunk : {std::size_t{7}, std::size_t{4096}, std::size_t{1} << 20}) {
        Input file(path, Compression::none);
        Input memory(MemoryFile{"data.bin", bytes}, Compression::none);
        EXPECT_EQ(read_all(file, chunk), bytes) << chunk;
        EXPECT_EQ(read_all(memory, chunk), bytes) << chunk;
        EXPECT_FALSE(file.compressed());
    }
    Input file(path, Compression::none);
    EXPECT_EQ(file.stored_size(), bytes.size());
    EXPECT_EQ(file.name(), path);
}

TEST_F(InputTest, GzipIsDecodedOnlyWhereTheFormatAllowsIt) {
    const std::string bytes = pattern(300'000);
    const std::string compressed = deflated(bytes);
    ASSERT_LT(compressed.size(), bytes.size() / 10);
    const auto path = write("data.gz", compressed);

    Input file(path, Compression::gzip);
    EXPECT_EQ(read_all(file, 4096), bytes);
    EXPECT_TRUE(file.compressed());
    EXPECT_EQ(file.stored_size(), compressed.size());  // the stored, compressed size

    Input memory(MemoryFile{"data.gz", compressed}, Compression::gzip);
    EXPECT_EQ(read_all(memory, 1000), bytes);

    Input raw(MemoryFile{"data.gz", compressed}, Compression::none);
    EXPECT_EQ(read_all(raw, 4096), compressed);
    EXPECT_FALSE(raw.compressed());
}

TEST_F(InputTest, ConcatenatedMembersReadAsOneStreamAndTrailingBytesAreIgnored) {
    // As zlib's gzread: a second member continues the data; bytes that do not start a gzip
    // member after the last one (padding) are not data.
    const std::string bytes = testing::gzip("first,") + deflated("second") + std::string(100, '\0');
    for (const bool in_memory : {false, true}) {
        const auto path = write("two.gz", bytes);
        Input input = in_memory ? Input(MemoryFile{"two.gz", bytes}, Compression::gzip)
                                : Input(path, Compression::gzip);
        EXPECT_EQ(read_all(input, 3), "first,second") << in_memory;
    }
}

TEST_F(InputTest, TruncatedOrCorruptGzipNamesTheFile) {
    const std::string compressed = deflated(pattern(10'000));
    const std::string cut = compressed.substr(0, compressed.size() / 2);
    EXPECT_EQ(message_of<DataError>([&] {
                  Input input(MemoryFile{"cut.gz", cut}, Compression::gzip);
                  read_all(input, 4096);
              }),
              "cut.gz: corrupt or truncated gzip data (unexpected end of file)");

    std::string corrupt = testing::gzip("1,2\n");
    corrupt[corrupt.size() - 5] ^= 0x40;  // the CRC no longer matches the data
    EXPECT_EQ(message_of<DataError>([&] {
                  Input input(MemoryFile{"bad.gz", corrupt}, Compression::gzip);
                  read_all(input, 4096);
              }),
              "bad.gz: corrupt or truncated gzip data (incorrect data check)");

    // Only the signature: a stream that ends before its header does.
    const std::string signature("\x1f\x8b", 2);
    EXPECT_EQ(message_of<DataError>([&] {
                  Input input(MemoryFile{"sig.gz", signature}, Compression::gzip);
                  read_all(input, 16);
              }),
              "sig.gz: corrupt or truncated gzip data (unexpected end of file)");
}

TEST_F(InputTest, DataThatIsNotGzipPassesThrough) {
    // One byte, and a first byte of the signature alone, are plain data.
    for (const std::string& bytes : {std::string("1"), std::string(1, '\x1f') + "abc"}) {
        Input input(MemoryFile{"plain", bytes}, Compression::gzip);
        EXPECT_EQ(read_all(input, 8), bytes);
        EXPECT_FALSE(input.compressed());
    }
    Input empty(MemoryFile{"empty", ""}, Compression::gzip);
    EXPECT_EQ(read_all(empty, 8), "");
}

TEST_F(InputTest, SkipStopsAtTheEnd) {
    const std::string bytes = pattern(600'000);
    const auto path = write("data.bin", bytes);
    const std::string compressed = deflated(bytes);
    Input file(path, Compression::none);
    Input memory(MemoryFile{"data.bin", bytes}, Compression::none);
    Input gzip(MemoryFile{"data.gz", compressed}, Compression::gzip);
    for (Input* input : {&file, &memory, &gzip}) {
        char head[10];
        ASSERT_EQ(input->read(head, sizeof(head)), sizeof(head));
        EXPECT_EQ(input->skip(500'000), 500'000U);
        char next[5];
        ASSERT_EQ(input->read(next, sizeof(next)), sizeof(next));
        EXPECT_EQ(std::string(next, sizeof(next)), bytes.substr(500'010, 5));
        EXPECT_EQ(input->skip(1'000'000), bytes.size() - 500'015);
        EXPECT_EQ(input->read(next, 1), 0U);
    }
}

TEST_F(InputTest, MissingFileAndFolderAreNamed) {
    const auto missing = dir_ / "missing.csv";
    EXPECT_EQ(message_of<DataError>([&] { Input input(missing, Compression::gzip); }),
              missing.string() + ": cannot open (No such file or directory)");
    EXPECT_EQ(message_of<DataError>([&] { Input input(dir_, Compression::none); }),
              dir_.string() + ": cannot read (Is a directory)");
}

}  // namespace
}  // namespace lle::io::detail
