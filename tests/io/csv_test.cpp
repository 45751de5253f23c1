#include "io/csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io {
namespace {

using testing::message_of;

class CsvTest : public testing::TempDirTest {
  protected:
    /// The message of the DataError thrown when reading `contents` as `name`, with the file's
    /// path (which precedes every message) removed.
    std::string error_reading(const std::string& name, const std::string& contents,
                              const TableSelection& selection = {}) {
        const auto path = write(name, contents);
        const std::string message = message_of<DataError>([&] { read_delimited(path, selection); });
        const std::string prefix = path.string() + ": ";
        EXPECT_EQ(message.substr(0, prefix.size()), prefix);
        return message.substr(std::min(prefix.size(), message.size()));
    }
};

TEST_F(CsvTest, ReadsHeaderAndNumbers) {
    const auto path = write("data.csv", "x,y,z\n1,2,3\n4.5,-6e2,+7\n");
    const Table table = read_delimited(path);
    PointMatrix expected(2, 3);
    expected << 1, 2, 3, 4.5, -600, 7;
    EXPECT_EQ(table.points, expected);
    EXPECT_TRUE(table.labels.empty());
}

TEST_F(CsvTest, FirstLineIsDataWhenEveryCellIsANumber) {
    const auto path = write("data.csv", "1,2\n3,4");  // and no newline at the end
    PointMatrix expected(2, 2);
    expected << 1, 2, 3, 4;
    EXPECT_EQ(read_delimited(path).points, expected);
}

TEST_F(CsvTest, QuotesSpacesCrlfAndByteOrderMark) {
    const auto path =
        write("data.csv", "\xEF\xBB\xBF\"a\" , \"b,c\"\r\n \"1.5\" ,  2 \r\n\r\n3,\"-4\"\r\n");
    const Table table = read_delimited(path);
    PointMatrix expected(2, 2);
    expected << 1.5, 2, 3, -4;
    EXPECT_EQ(table.points, expected);
}

TEST_F(CsvTest, DelimiterFollowsTheExtension) {
    PointMatrix expected(2, 3);
    expected << 1, 2, 3, 4, 5, 6;
    for (const char* name : {"data.tsv", "data.TAB"}) {
        const auto path = write(name, "a\tb\tc\n1\t2\t3\n4 \t 5\t6\n");
        EXPECT_EQ(read_delimited(path).points, expected) << name;
    }
    // Commas inside a tab-separated file are just text.
    EXPECT_EQ(error_reading("data.tsv", "1\t2\n3\t4,5\n"),
              "line 2, column 1: \"4,5\" is not a number");
}

TEST_F(CsvTest, ReadsGzipCompressedFiles) {
    const auto path = write("data.tsv.gz", testing::gzip("u\tv\n0.25\t8\n-1\t1e3\n"));
    PointMatrix expected(2, 2);
    expected << 0.25, 8, -1, 1000;
    EXPECT_EQ(read_delimited(path).points, expected);
}

TEST_F(CsvTest, CorruptGzipIsAnError) {
    std::string bytes = testing::gzip("1,2\n3,4\n");
    bytes.resize(bytes.size() - 6);  // cut into the trailer
    const std::string message = error_reading("data.csv.gz", bytes);
    EXPECT_NE(message.find("corrupt or truncated gzip data"), std::string::npos) << message;
}

TEST_F(CsvTest, MemoryFileReadsLikeTheFile) {
    const std::string text = "u\tv\n0.25\t8\n-1\t1e3\n";
    PointMatrix expected(2, 2);
    expected << 0.25, 8, -1, 1000;
    // The name's extension chooses the delimiter; gzip is recognised by its signature.
    for (const std::string& bytes : {text, testing::gzip(text)}) {
        const MemoryFile file{"in-memory.tsv", bytes};
        EXPECT_EQ(read_delimited(file).points, expected);
        EXPECT_EQ(read_delimited(file).points, read_delimited(write("on-disk.tsv", bytes)).points);
    }
    EXPECT_EQ(message_of<DataError>([&] {
                  read_delimited(MemoryFile{"m.csv", text});
              }),
              "m.csv: line 2, column 0: \"0.25\\x098\" is not a number");
    TableSelection selection;
    selection.label_column = 1;
    selection.limit = 1;
    const auto table = read_delimited<float>(MemoryFile{"m.tsv", text}, selection);
    EXPECT_EQ(table.points, PointMatrixF::Constant(1, 1, 0.25F));
    EXPECT_EQ(table.labels, std::vector<double>{8.0});
}

TEST_F(CsvTest, SelectsColumnsInTheGivenOrderAndReadsLabels) {
    // The text column is never read, so it does not make the file unreadable.
    const auto path = write("data.csv",
                            "id,name,x,y,class\n"
                            "0,alpha,1.5,2.5,1\n"
                            "1,beta,-3,4,0\n");
    TableSelection selection;
    selection.columns = {3, 2};
    selection.label_column = 4;
    const Table table = read_delimited(path, selection);
    PointMatrix expected(2, 2);
    expected << 2.5, 1.5, 4, -3;
    EXPECT_EQ(table.points, expected);
    EXPECT_EQ(table.labels, (std::vector<double>{1, 0}));
}

TEST_F(CsvTest, LabelColumnAloneKeepsEveryOtherColumn) {
    const auto path = write("data.csv", "7,1,2\n8,3,4\n");
    TableSelection selection;
    selection.label_column = 0;
    const Table table = read_delimited(path, selection);
    PointMatrix expected(2, 2);
    expected << 1, 2, 3, 4;
    EXPECT_EQ(table.points, expected);
    EXPECT_EQ(table.labels, (std::vector<double>{7, 8}));
}

TEST_F(CsvTest, LimitStopsBeforeLaterRows) {
    // Rows after the limit are never parsed: the bad cell on line 4 goes unnoticed.
    const auto path = write("data.csv", "a\n1\n2\nbad\n");
    TableSelection selection;
    selection.limit = 2;
    const Table table = read_delimited(path, selection);
    ASSERT_EQ(table.points.rows(), 2);
    EXPECT_EQ(table.points(1, 0), 2.0);
}

TEST_F(CsvTest, ManyRowsAcrossReadChunks) {
    // About 2.7 MB: lines straddle the boundaries of the 1 MiB read chunks.
    std::string text;
    const int rows = 200000;
    for (int i = 0; i < rows; ++i) {
        text += std::to_string(i) + "," + std::to_string(i % 7) + ".5\n";
    }
    const Table table = read_delimited(write("data.csv", text));
    ASSERT_EQ(table.points.rows(), rows);
    ASSERT_EQ(table.points.cols(), 2);
    EXPECT_EQ(table.points.col(0).sum(), 0.5 * rows * (rows - 1.0));
    EXPECT_EQ(table.points(rows - 1, 1), (rows - 1) % 7 + 0.5);
}

TEST_F(CsvTest, LineLongerThanTheReadChunk) {
    const int cols = 300000;  // 1.8 MB on one line
    std::string line;
    for (int j = 0; j < cols; ++j) {
        line += (j > 0 ? ",0." : "0.") + std::to_string(j % 10);
    }
    const Table table = read_delimited(write("data.csv", line + "\n" + line + "\n"));
    ASSERT_EQ(table.points.rows(), 2);
    ASSERT_EQ(table.points.cols(), cols);
    EXPECT_EQ(table.points(1, cols - 1), 0.9);
}

TEST_F(CsvTest, TinyValuesUnderflowInsteadOfFailing) {
    const Table table = read_delimited(write("data.csv", "1e-400,-1e-400,4.9e-324\n"));
    EXPECT_EQ(table.points(0, 0), 0.0);
    EXPECT_EQ(table.points(0, 1), 0.0);
    EXPECT_EQ(table.points(0, 2), std::numeric_limits<double>::denorm_min());
}

TEST_F(CsvTest, RaggedRowNamesLineAndCounts) {
    EXPECT_EQ(error_reading("data.csv", "a,b,c\n1,2,3\n\n4,5\n"),
              "line 4: expected 3 columns, found 2");
    EXPECT_EQ(error_reading("data.csv", "1,2\n3,4,\n"), "line 2: expected 2 columns, found 3");
}

TEST_F(CsvTest, TextCellNamesLineAndColumn) {
    EXPECT_EQ(error_reading("data.csv", "x,y,z\n1,2,3\n\n4,5,abc\n"),
              "line 4, column 2: \"abc\" is not a number");
    EXPECT_EQ(error_reading("data.csv", "1,2\n3,\n"),
              "line 2, column 1: empty cell, expected a number");
    EXPECT_EQ(error_reading("data.csv", "1,2\n3,4.5.6\n"),
              "line 2, column 1: \"4.5.6\" is not a number");
    EXPECT_EQ(error_reading("data.csv", "1,2\n3,1e999\n"),
              "line 2, column 1: \"1e999\" is outside the range of a double");
}

TEST_F(CsvTest, NanAndInfinityInAnySpellingAreRejected) {
    for (const char* nan : {"nan", "NaN", "NAN", "-nan", "nan(0x1)", "\"nan\""}) {
        EXPECT_EQ(error_reading("data.csv", std::string("1,2\n3,") + nan + "\n"),
                  "line 2, column 1: NaN is not allowed")
            << nan;
    }
    for (const char* inf : {"inf", "-inf", "+inf", "Inf", "INFINITY", "Infinity", "-Infinity"}) {
        EXPECT_EQ(error_reading("data.csv", std::string("1,2\n") + inf + ",3\n"),
                  "line 2, column 0: infinity is not allowed")
            << inf;
    }
    // On the first line too: NaN is a number, so the line is data, not a header.
    EXPECT_EQ(error_reading("data.csv", "1,nan\n"), "line 1, column 1: NaN is not allowed");
}

TEST_F(CsvTest, MissingEmptyAndHeaderOnlyFiles) {
    const auto missing = dir_ / "missing.csv";
    EXPECT_EQ(message_of<DataError>([&] { read_delimited(missing); }),
              missing.string() + ": cannot open (No such file or directory)");
    EXPECT_EQ(error_reading("data.csv", ""), "no data rows");
    EXPECT_EQ(error_reading("data.csv", "a,b,c\n"), "no data rows");
    EXPECT_EQ(error_reading("data.csv", "\n  \r\n\n"), "no data rows");
}

TEST_F(CsvTest, SelectionOutOfRangeNamesColumnAndCount) {
    TableSelection columns;
    columns.columns = {0, 5};
    EXPECT_EQ(error_reading("data.csv", "1,2,3\n", columns),
              "column 5 is out of range (the file has 3 columns)");
    TableSelection label;
    label.label_column = 3;
    EXPECT_EQ(error_reading("data.csv", "1,2,3\n", label),
              "label column 3 is out of range (the file has 3 columns)");
}

TEST_F(CsvTest, LabelsMustBeNumbers) {
    TableSelection selection;
    selection.label_column = 2;
    EXPECT_EQ(error_reading("data.csv", "x,y,class\n1,2,3\n1,2,cat\n", selection),
              "line 3, column 2: \"cat\" is not a number (labels must be numeric)");
}

TEST_F(CsvTest, InvalidSelectionIsAParameterError) {
    const auto path = write("data.csv", "1,2,3\n");
    TableSelection overlap;
    overlap.columns = {0, 2};
    overlap.label_column = 2;
    const std::string message = message_of<ParameterError>([&] { read_delimited(path, overlap); });
    EXPECT_NE(message.find("label_column 2"), std::string::npos) << message;
    EXPECT_NE(message.find("columns"), std::string::npos) << message;

    TableSelection negative;
    negative.columns = {-1};
    EXPECT_EQ(message_of<ParameterError>([&] { read_delimited(path, negative); }),
              "columns must satisfy >= 0 (got -1)");
    TableSelection zero_limit;
    zero_limit.limit = 0;
    EXPECT_EQ(message_of<ParameterError>([&] { read_delimited(path, zero_limit); }),
              "limit must satisfy >= 1 (got 0)");
}

TEST(CsvWrite, HandWrittenValues) {
    DenseMatrix values(2, 3);
    values << 0.1, -2, 1e20, 1.0 / 3.0, 0, 2.5e-8;
    std::ostringstream out;
    write_csv(out, values);
    EXPECT_EQ(out.str(), "0.1,-2,1e+20\n0.3333333333333333,0,2.5e-08\n");
}

TEST_F(CsvTest, WrittenValuesReadBackExactly) {
    DenseMatrix values(3, 4);
    values << 0.1, 1.0 / 3.0, -2.0 / 7.0, 1e-300, std::numeric_limits<double>::denorm_min(),
        std::numeric_limits<double>::max(), -std::numeric_limits<double>::min(), 123456789.0123,
        M_PI, -M_E, std::nextafter(1.0, 2.0), 6.02214076e23;
    std::ostringstream out;
    write_csv(out, values);
    const Table table = read_delimited(write("out.csv", out.str()));
    ASSERT_EQ(table.points.rows(), 3);
    ASSERT_EQ(table.points.cols(), 4);
    for (Index i = 0; i < 3; ++i) {
        for (Index j = 0; j < 4; ++j) {
            EXPECT_EQ(table.points(i, j), values(i, j)) << i << ", " << j;
        }
    }
}

}  // namespace
}  // namespace lle::io
