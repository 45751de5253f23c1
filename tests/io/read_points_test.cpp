#include "io/read_points.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "io/npy.hpp"
#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io {
namespace {

using testing::message_of;

/// The 2 x 2 matrix [[1, 2], [3, 4]] that every file below holds.
PointMatrix expected_points() {
    PointMatrix m(2, 2);
    m << 1, 2, 3, 4;
    return m;
}

/// An IDX file of unsigned bytes holding expected_points().
std::string idx_bytes() {
    return std::string("\0\0\x08\x02\0\0\0\x02\0\0\0\x02\x01\x02\x03\x04", 16);
}

std::string npy_bytes() {
    DenseMatrix values = expected_points();
    std::ostringstream out;
    write_npy(out, values);
    return out.str();
}

class ReadPointsTest : public testing::TempDirTest {};

TEST_F(ReadPointsTest, ChoosesTheFormatByExtensionInAnyCase) {
    const std::pair<std::string, std::string> files[] = {
        {"a.csv", "x,y\n1,2\n3,4\n"},
        {"b.TSV", "1\t2\n3\t4\n"},
        {"c.tab", "1\t2\n3\t4\n"},
        {"d.Csv.GZ", testing::gzip("1,2\n3,4\n")},
        {"e.tsv.gz", testing::gzip("1\t2\n3\t4\n")},
        {"f.npy", npy_bytes()},
        {"g.NPY", npy_bytes()},
        {"train-images-idx3-ubyte", idx_bytes()},
        {"t10k-images.idx3-ubyte.gz", testing::gzip(idx_bytes())},
        {"h.idx", idx_bytes()},
        {"i.IDX.gz", testing::gzip(idx_bytes())},
    };
    for (const auto& [name, contents] : files) {
        const Table table = read_points(write(name, contents));
        EXPECT_EQ(table.points, expected_points()) << name;
        EXPECT_TRUE(table.labels.empty()) << name;
    }
}

TEST_F(ReadPointsTest, EveryFormatReadsSinglePrecisionDirectly) {
    const std::pair<std::string, std::string> files[] = {
        {"a.csv", "x,y\n1,2\n3,4\n"},
        {"b.tsv.gz", testing::gzip("1\t2\n3\t4\n")},
        {"c.npy", npy_bytes()},
        {"train-images-idx3-ubyte", idx_bytes()},
    };
    for (const auto& [name, contents] : files) {
        const TableOf<float> table = read_points<float>(write(name, contents));
        EXPECT_EQ(table.points, expected_points().cast<float>()) << name;
    }
    // Values are rounded to the nearest float, as a float32 cast would.
    const TableOf<float> rounded = read_points<float>(write("r.csv", "0.1,1e-50\n"));
    EXPECT_EQ(rounded.points(0, 0), 0.1F);
    EXPECT_EQ(rounded.points(0, 1), 0.0F);
}

TEST_F(ReadPointsTest, SinglePrecisionRejectsValuesBeyondItsRange) {
    const auto csv = write("big.csv", "1,2\n3,1e39\n");
    EXPECT_EQ(message_of<DataError>([&] { read_points<float>(csv); }),
              csv.string() + ": line 2, column 1: \"1e39\" is outside the range of float32");
    DenseMatrix values(1, 2);
    values << 1.0, -4e38;
    std::ostringstream out;
    write_npy(out, values);
    const auto npy = write("big.npy", out.str());
    const std::string message = message_of<DataError>([&] { read_points<float>(npy); });
    EXPECT_NE(message.find("row 0, column 1: -4e+38 is outside the range of float32"),
              std::string::npos)
        << message;
    // Double precision reads the same file.
    EXPECT_EQ(read_points(npy).points(0, 1), -4e38);
}

TEST_F(ReadPointsTest, SelectionAppliesToDelimitedText) {
    TableSelection selection;
    selection.columns = {2};
    selection.label_column = 0;
    selection.limit = 1;
    const Table table = read_points(write("data.csv", "9,1,2\n8,3,4\n"), selection);
    PointMatrix expected(1, 1);
    expected << 2;
    EXPECT_EQ(table.points, expected);
    EXPECT_EQ(table.labels, std::vector<double>{9});
}

TEST_F(ReadPointsTest, LimitAppliesToEveryFormat) {
    TableSelection selection;
    selection.limit = 1;
    for (const auto& [name, contents] :
         {std::pair<std::string, std::string>{"a.npy", npy_bytes()}, {"b-ubyte", idx_bytes()}}) {
        const Table table = read_points(write(name, contents), selection);
        EXPECT_EQ(table.points, expected_points().topRows(1)) << name;
    }
}

TEST_F(ReadPointsTest, MemoryLimitStopsEveryFormatWithTheSizeAndTheLimit) {
    // The 2 x 2 points take 32 bytes in double, 16 in float: a limit of 24 bytes stops the
    // binary formats before allocating, and text at its second row (16 bytes per row).
    TableSelection selection;
    selection.max_bytes = 24.0;
    for (const auto& [name, contents] : {std::pair<std::string, std::string>{"a.npy", npy_bytes()},
                                         {"b-ubyte", idx_bytes()},
                                         {"c.csv", "1,2\n3,4\n"}}) {
        const auto path = write(name, contents);
        const std::string message =
            message_of<ResourceError>([&] { read_points(path, selection); });
        const std::string so_far = name == "c.csv" ? "the points read so far" : "its points";
        EXPECT_EQ(message, path.string() + ": " + so_far +
                               " (2 x 2 values) take 32 B in memory, more than the limit of "
                               "24 B; read fewer rows (a row limit) or allow more memory")
            << name;
        EXPECT_EQ(read_points<float>(path, selection).points, expected_points().cast<float>())
            << name;
        TableSelection first_row = selection;
        first_row.limit = 1;
        EXPECT_EQ(read_points(path, first_row).points, expected_points().topRows(1)) << name;
    }
}

TEST_F(ReadPointsTest, FileNamesInMessagesHaveTheirControlAndNonAsciiBytesEscaped) {
    // A file name may hold a terminal escape sequence or bytes that are not UTF-8: the message
    // shows them as \xNN, so that it stays one line of plain text.
    const auto path = write("raw\xff\x1b[31m.csv", "1,2\n3,x\n");
    const std::string folder = dir_.string() + "/";
    EXPECT_EQ(message_of<DataError>([&] { read_points(path); }),
              folder + "raw\\xff\\x1b[31m.csv: line 2, column 1: \"x\" is not a number");
}

TEST_F(ReadPointsTest, ColumnsAndLabelsAreOnlyForDelimitedText) {
    TableSelection columns;
    columns.columns = {0};
    const auto npy = write("a.npy", npy_bytes());
    EXPECT_EQ(message_of<ParameterError>([&] { read_points(npy, columns); }),
              "columns apply to delimited text only (.csv, .tsv, .tab), not to .npy file " +
                  npy.string());
    TableSelection label;
    label.label_column = 0;
    const auto idx = write("b-ubyte", idx_bytes());
    EXPECT_EQ(message_of<ParameterError>([&] { read_points(idx, label); }),
              "label_column applies to delimited text only (.csv, .tsv, .tab), not to IDX file " +
                  idx.string());
}

TEST_F(ReadPointsTest, UnknownExtensionListsTheSupportedOnes) {
    for (const char* name : {"data.txt", "data.npy.gz", "data", "data.csv.bz2"}) {
        const auto path = write(name, "1,2\n");
        EXPECT_EQ(message_of<DataError>([&] { read_points(path); }),
                  path.string() +
                      ": unknown file type (supported: .csv, .tsv, .tab, each optionally .gz; "
                      ".npy; IDX files named *-ubyte or *.idx, optionally .gz)")
            << name;
    }
}

TEST_F(ReadPointsTest, ErrorsOfTheReaderComeThrough) {
    const auto path = write("data.csv", "1,2\n3\n");
    EXPECT_EQ(message_of<DataError>([&] { read_points(path); }),
              path.string() + ": line 2: expected 2 columns, found 1");
}

TEST_F(ReadPointsTest, FolderIsNotReadable) {
    for (const char* name : {"folder.csv", "folder.npy", "folder-ubyte"}) {
        const auto path = dir_ / name;
        std::filesystem::create_directory(path);
        EXPECT_EQ(message_of<DataError>([&] { read_points(path); }),
                  path.string() + ": cannot read (Is a directory)")
            << name;
    }
}

}  // namespace
}  // namespace lle::io
