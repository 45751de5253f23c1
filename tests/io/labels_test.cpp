#include "io/labels.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io {
namespace {

using testing::message_of;

/// An IDX label file as MNIST's: unsigned bytes, one dimension of `labels.size()`.
std::string idx_labels(const std::vector<unsigned char>& labels) {
    std::string out("\0\0\x08\x01", 4);
    const auto n = static_cast<std::uint32_t>(labels.size());
    for (int b = 3; b >= 0; --b) {
        out += static_cast<char>((n >> (8 * b)) & 0xFFU);
    }
    out.append(labels.begin(), labels.end());
    return out;
}

/// A one-dimensional .npy array of little-endian int64, written byte by byte.
std::string npy_int64(const std::vector<long long>& values) {
    std::string header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" +
                         std::to_string(values.size()) + ",), }";
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xFFU);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    for (const long long value : values) {
        const auto bits = static_cast<unsigned long long>(value);
        for (int b = 0; b < 8; ++b) {
            out += static_cast<char>((bits >> (8 * b)) & 0xFFU);
        }
    }
    return out;
}

class LabelsTest : public testing::TempDirTest {};

TEST_F(LabelsTest, ReadsMnistStyleIdxLabelFilesPlainAndCompressed) {
    const std::vector<double> expected = {9, 0, 0, 3, 0, 2, 7};
    const std::string bytes = idx_labels({9, 0, 0, 3, 0, 2, 7});
    EXPECT_EQ(read_labels(write("train-labels-idx1-ubyte", bytes)), expected);
    EXPECT_EQ(read_labels(write("train-labels-idx1-ubyte.gz", testing::gzip(bytes))), expected);
    EXPECT_EQ(read_labels(write("labels.IDX", bytes)), expected);
}

TEST_F(LabelsTest, ReadsOneDimensionalIntegerNpyArrays) {
    EXPECT_EQ(read_labels(write("y.npy", npy_int64({4, -1, 12}))),
              (std::vector<double>{4, -1, 12}));
}

TEST_F(LabelsTest, ReadsTextWithOneLabelPerLineAndAnOptionalHeader) {
    EXPECT_EQ(read_labels(write("y.txt", "3\n1\n2\n")), (std::vector<double>{3, 1, 2}));
    EXPECT_EQ(read_labels(write("y.csv", "class\n5\n6\n")), (std::vector<double>{5, 6}));
    EXPECT_EQ(read_labels(write("y.csv.gz", testing::gzip("1.5\n-2\n"))),
              (std::vector<double>{1.5, -2}));
}

TEST_F(LabelsTest, LimitReadsOnlyTheFirstLabels) {
    EXPECT_EQ(read_labels(write("a-ubyte", idx_labels({1, 2, 3, 4})), 2),
              (std::vector<double>{1, 2}));
    EXPECT_EQ(read_labels(write("y.npy", npy_int64({7, 8, 9})), 1), (std::vector<double>{7}));
    EXPECT_EQ(read_labels(write("y.txt", "1\n2\n3\n"), 2), (std::vector<double>{1, 2}));
}

TEST_F(LabelsTest, RowsOfSeveralValuesAreRejectedWithTheirCount) {
    const auto path = write("images.csv", "1,2,3\n4,5,6\n");
    EXPECT_EQ(message_of<DataError>([&] { read_labels(path); }),
              path.string() + ": expected one label per row, found 3 values per row");
}

TEST_F(LabelsTest, ErrorsNameTheFile) {
    const auto missing = dir_ / "absent.txt";
    const std::string message = message_of<DataError>([&] { read_labels(missing); });
    EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
    EXPECT_NE(message.find("cannot open"), std::string::npos) << message;

    const auto unknown = write("labels.json", "[1, 2]");
    const std::string unknown_message = message_of<DataError>([&] { read_labels(unknown); });
    EXPECT_NE(unknown_message.find("unknown label file type"), std::string::npos);
    EXPECT_NE(unknown_message.find(".npy"), std::string::npos);

    const auto words = write("names.txt", "1\ncat\n");
    const std::string words_message = message_of<DataError>([&] { read_labels(words); });
    EXPECT_NE(words_message.find("line 2"), std::string::npos) << words_message;
}

}  // namespace
}  // namespace lle::io
