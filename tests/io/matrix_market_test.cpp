#include "io/matrix_market.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace lle::io {
namespace {

std::string written(const SparseRowMatrix& matrix) {
    std::ostringstream out;
    write_matrix_market(out, matrix);
    return out.str();
}

TEST(MatrixMarket, HandWrittenMatrix) {
    // [[0, 0.1, 0, 0], [0, 0, 0, 0], [5, 0, 0, -1/3]]
    SparseRowMatrix matrix(3, 4);
    matrix.insert(2, 3) = -1.0 / 3.0;
    matrix.insert(0, 1) = 0.1;
    matrix.insert(2, 0) = 5.0;
    matrix.makeCompressed();
    EXPECT_EQ(written(matrix),
              "%%MatrixMarket matrix coordinate real general\n"
              "3 4 3\n"
              "1 2 0.1\n"
              "3 1 5\n"
              "3 4 -0.3333333333333333\n");
}

TEST(MatrixMarket, EmptyMatrixHasOnlyTheSizeLine) {
    EXPECT_EQ(written(SparseRowMatrix(2, 5)),
              "%%MatrixMarket matrix coordinate real general\n2 5 0\n");
}

TEST(MatrixMarket, UncompressedStorageWritesTheSameEntries) {
    SparseRowMatrix matrix(2, 2);
    matrix.reserve(Eigen::VectorXi::Constant(2, 4));  // leaves gaps between the rows
    matrix.insert(1, 1) = 2.5;
    matrix.insert(0, 0) = -1.0;
    ASSERT_FALSE(matrix.isCompressed());
    EXPECT_EQ(written(matrix),
              "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 -1\n2 2 2.5\n");
}

TEST(MatrixMarket, ValuesReadBackExactly) {
    // A 40 x 40 matrix of awkward values; parse the text back and compare bit for bit.
    const int size = 40;
    std::vector<Eigen::Triplet<double, int>> entries;
    for (int i = 0; i < size; ++i) {
        for (int j = (i * 7) % 3; j < size; j += 3) {
            entries.emplace_back(i, j, std::sin(i * 1.7 + j) * std::pow(10.0, (i + j) % 40 - 20));
        }
    }
    SparseRowMatrix matrix(size, size);
    matrix.setFromTriplets(entries.begin(), entries.end());

    std::istringstream in(written(matrix));
    std::string banner;
    std::getline(in, banner);
    EXPECT_EQ(banner, "%%MatrixMarket matrix coordinate real general");
    Index rows = 0;
    Index cols = 0;
    Index count = 0;
    in >> rows >> cols >> count;
    ASSERT_EQ(rows, size);
    ASSERT_EQ(cols, size);
    ASSERT_EQ(count, matrix.nonZeros());
    Index previous_row = 0;
    for (Index k = 0; k < count; ++k) {
        Index i = 0;
        Index j = 0;
        std::string value;
        in >> i >> j >> value;
        ASSERT_TRUE(in) << "entry " << k;
        ASSERT_GE(i, previous_row) << "rows in order";
        previous_row = i;
        EXPECT_EQ(std::strtod(value.c_str(), nullptr), matrix.coeff(i - 1, j - 1))
            << "(" << i << ", " << j << ") written as " << value;
    }
}

}  // namespace
}  // namespace lle::io
