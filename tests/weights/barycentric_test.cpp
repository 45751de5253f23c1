#include "lle/weights/barycentric.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "lle/base/error.hpp"

namespace lle::weights {
namespace {

TEST(BarycentricWeights, HandComputedWithoutRegularisation) {
    // x = (0, 0), neighbours (1, 0) and (0, 2): C = diag(1, 4), C^{-1} 1 = (1, 1/4),
    // normalised to (0.8, 0.2).
    PointMatrix points(3, 2);
    points << 0, 0, 1, 0, 0, 2;
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    const PointMatrix w = barycentric_weights(points.topRows(1), points, neighbors, 0.0);
    EXPECT_NEAR(w(0, 0), 0.8, 1e-15);
    EXPECT_NEAR(w(0, 1), 0.2, 1e-15);
}

TEST(BarycentricWeights, HandComputedWithRegularisation) {
    // reg = 0.1, trace(C) = 5, so C + 0.5 I = diag(1.5, 4.5): w ∝ (2/3, 2/9) = (0.75, 0.25).
    PointMatrix points(3, 2);
    points << 0, 0, 1, 0, 0, 2;
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    const PointMatrix w = barycentric_weights(points.topRows(1), points, neighbors, 0.1);
    EXPECT_NEAR(w(0, 0), 0.75, 1e-15);
    EXPECT_NEAR(w(0, 1), 0.25, 1e-15);
}

TEST(BarycentricWeights, ZeroTraceGivesUniformWeights) {
    // Every neighbour coincides with the point: C = 0, so C + reg I ∝ I and w = 1/k.
    PointMatrix points = PointMatrix::Constant(4, 3, 2.5);
    IndexMatrix neighbors(1, 3);
    neighbors << 1, 2, 3;
    const PointMatrix w = barycentric_weights(points.topRows(1), points, neighbors, 1e-3);
    for (Index j = 0; j < 3; ++j) {
        EXPECT_DOUBLE_EQ(w(0, j), 1.0 / 3.0);
    }
}

TEST(BarycentricWeights, MatchesDirectSolveOfTheConstrainedProblem) {
    // Oracle: minimise |x - sum_j w_j y_j|^2 + r |w|^2 subject to sum w = 1 via the KKT system
    // [2 (C + r I)  1; 1^T  0] [w; mu] = [0; 1], solved with a full-pivot LU.
    std::mt19937_64 generator(7);
    std::normal_distribution<double> normal;
    const Index n = 50, dim = 4, k = 6;
    PointMatrix points(n, dim);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < dim; ++j) {
            points(i, j) = normal(generator);
        }
    }
    IndexMatrix neighbors(n, k);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < k; ++j) {
            neighbors(i, j) = (i + 1 + 3 * j) % n;
        }
    }
    const double reg = 1e-3;
    const PointMatrix w = barycentric_weights(points, points, neighbors, reg);

    for (Index i = 0; i < n; ++i) {
        Eigen::MatrixXd g(k, dim);
        for (Index j = 0; j < k; ++j) {
            g.row(j) = points.row(neighbors(i, j)) - points.row(i);
        }
        Eigen::MatrixXd c = g * g.transpose();
        c.diagonal().array() += reg * c.trace();
        Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(k + 1, k + 1);
        kkt.topLeftCorner(k, k) = 2.0 * c;
        kkt.block(0, k, k, 1).setOnes();
        kkt.block(k, 0, 1, k).setOnes();
        Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k + 1);
        rhs(k) = 1.0;
        const Eigen::VectorXd solution = kkt.fullPivLu().solve(rhs);
        for (Index j = 0; j < k; ++j) {
            EXPECT_NEAR(w(i, j), solution(j), 1e-12) << "point " << i << ", neighbour " << j;
        }
        EXPECT_NEAR(w.row(i).sum(), 1.0, 1e-14);
    }
}

TEST(BarycentricWeights, ReconstructsAPointInsideItsNeighboursHull) {
    // x is the centroid of a non-degenerate simplex in 3-D (k = D + 1 = 4): without
    // regularisation the affine combination is exact, every weight 1/4.
    PointMatrix points(5, 3);
    points << 0.25, 0.25, 0.25, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1;
    IndexMatrix neighbors(1, 4);
    neighbors << 1, 2, 3, 4;
    const PointMatrix w = barycentric_weights(points.topRows(1), points, neighbors, 0.0);
    for (Index j = 0; j < 4; ++j) {
        EXPECT_NEAR(w(0, j), 0.25, 1e-14);
    }
}

TEST(BarycentricWeights, RejectsNegativeRegularisation) {
    PointMatrix points = PointMatrix::Random(3, 2);
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    try {
        barycentric_weights(points.topRows(1), points, neighbors, -1.0);
        FAIL() << "expected ParameterError";
    } catch (const ParameterError& error) {
        EXPECT_NE(std::string(error.what()).find("reg"), std::string::npos);
        EXPECT_NE(std::string(error.what()).find("-1"), std::string::npos);
    }
}

TEST(BarycentricWeights, SingularGramWithoutRegularisationNamesThePoint) {
    // Three neighbours in the plane (k > D): C is 3 x 3 of rank 2, singular when reg = 0.
    PointMatrix points(4, 2);
    points << 0, 0, 1, 0, 0, 1, 1, 1;
    IndexMatrix neighbors(1, 3);
    neighbors << 1, 2, 3;
    try {
        barycentric_weights(points.topRows(1), points, neighbors, 0.0);
        FAIL() << "expected DataError";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("point 0"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("reg > 0"), std::string::npos) << error.what();
    }
    // The same neighbourhood is fine with the default regularisation.
    const PointMatrix w = barycentric_weights(points.topRows(1), points, neighbors, 1e-3);
    EXPECT_NEAR(w.sum(), 1.0, 1e-14);
}

TEST(ToSparse, PlacesWeightsAtNeighbourColumnsInSortedOrder) {
    PointMatrix w(2, 3);
    w << 0.5, 0.3, 0.2, 0.1, 0.6, 0.3;
    IndexMatrix neighbors(2, 3);
    neighbors << 3, 1, 2, 0, 3, 2;
    const SparseRowMatrix matrix = to_sparse(w, neighbors, 4);
    EXPECT_EQ(matrix.rows(), 2);
    EXPECT_EQ(matrix.cols(), 4);
    EXPECT_EQ(matrix.nonZeros(), 6);
    EXPECT_DOUBLE_EQ(matrix.coeff(0, 3), 0.5);
    EXPECT_DOUBLE_EQ(matrix.coeff(0, 1), 0.3);
    EXPECT_DOUBLE_EQ(matrix.coeff(0, 2), 0.2);
    EXPECT_DOUBLE_EQ(matrix.coeff(0, 0), 0.0);
    EXPECT_DOUBLE_EQ(matrix.coeff(1, 0), 0.1);
    EXPECT_DOUBLE_EQ(matrix.coeff(1, 3), 0.6);
    EXPECT_DOUBLE_EQ(matrix.coeff(1, 2), 0.3);
    for (int row = 0; row < 2; ++row) {
        for (int p = matrix.outerIndexPtr()[row] + 1; p < matrix.outerIndexPtr()[row + 1]; ++p) {
            EXPECT_LT(matrix.innerIndexPtr()[p - 1], matrix.innerIndexPtr()[p]);
        }
    }
}

}  // namespace
}  // namespace lle::weights
