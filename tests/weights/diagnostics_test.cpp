#include "lle/weights/diagnostics.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <random>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/neighbors/knn.hpp"
#include "lle/weights/barycentric.hpp"

namespace lle::weights {
namespace {

const double infinity = std::numeric_limits<double>::infinity();

/// Three points of the plane, each with the other two as neighbours, nearest first.
struct Triangle {
    PointMatrix points{3, 2};
    IndexMatrix neighbors{3, 2};
    Triangle() {
        points << 0, 0, 1, 0, 0, 2;
        neighbors << 1, 2, 0, 2, 0, 1;
    }
};

TEST(LocalFitDiagnostics, HandComputedTriangle) {
    // Point 0: G = [(1, 0); (0, 2)], C = diag(1, 4): condition 4, k-th distance 2. With
    // reg = 0.1, r = 0.1 trace(C) = 0.5 < lambda_min = 1, so not regularised; the weights are
    // (0.75, 0.25) (barycentric_test.cpp), reconstructing (0.75, 0.5): residual sqrt(0.8125).
    // Point 1: G = [(-1, 0); (-1, 2)], C = [1 1; 1 5], eigenvalues 3 -+ sqrt(5).
    // Point 2: G = [(0, -2); (1, -2)], C = [4 4; 4 5], eigenvalues (9 -+ sqrt(65)) / 2.
    const Triangle triangle;
    const LocalFitDiagnostics diagnostics =
        diagnose_local_fits(triangle.points, triangle.neighbors, nullptr, 0.1);
    ASSERT_EQ(diagnostics.size(), 3);
    EXPECT_NEAR(diagnostics.condition(0), 4.0, 1e-14);
    EXPECT_NEAR(diagnostics.condition(1), (3.0 + std::sqrt(5.0)) / (3.0 - std::sqrt(5.0)), 1e-13);
    EXPECT_NEAR(diagnostics.condition(2), (9.0 + std::sqrt(65.0)) / (9.0 - std::sqrt(65.0)), 1e-12);
    EXPECT_NEAR(diagnostics.residual(0), std::sqrt(0.8125), 1e-15);
    EXPECT_DOUBLE_EQ(diagnostics.kth_distance(0), 2.0);
    EXPECT_DOUBLE_EQ(diagnostics.kth_distance(1), std::sqrt(5.0));
    EXPECT_DOUBLE_EQ(diagnostics.kth_distance(2), std::sqrt(5.0));
    // Point 1's lambda_min = 3 - sqrt(5) = 0.764 is above r = 0.1 * 6; point 2's
    // (9 - sqrt(65)) / 2 = 0.469 is below r = 0.1 * 9.
    EXPECT_FALSE(diagnostics.regularised(0));
    EXPECT_FALSE(diagnostics.regularised(1));
    EXPECT_TRUE(diagnostics.regularised(2));
    EXPECT_EQ(diagnostics.regularised_count(), 1);
}

TEST(LocalFitDiagnostics, RegularisedWhenTheShiftExceedsTheSmallestEigenvalue) {
    // Point 0 again: lambda_min = 1, trace 5. reg = 0.2 gives r = 1, not below 1 (not
    // regularised); reg = 0.21 gives r = 1.05 > 1.
    const Triangle triangle;
    EXPECT_FALSE(
        diagnose_local_fits(triangle.points, triangle.neighbors, nullptr, 0.2).regularised(0));
    EXPECT_TRUE(
        diagnose_local_fits(triangle.points, triangle.neighbors, nullptr, 0.21).regularised(0));
}

TEST(LocalFitDiagnostics, WithoutRegularisationTheWeightsAreExact) {
    // reg = 0: w = C^{-1} 1 / 1^T C^{-1} 1 = (0.8, 0.2), reconstructing (0.8, 0.4): residual
    // sqrt(0.8). Nothing is regularised.
    const Triangle triangle;
    const LocalFitDiagnostics diagnostics =
        diagnose_local_fits(triangle.points, triangle.neighbors, nullptr, 0.0);
    EXPECT_NEAR(diagnostics.residual(0), std::sqrt(0.8), 1e-15);
    EXPECT_EQ(diagnostics.regularised_count(), 0);
}

TEST(LocalFitDiagnostics, GivenWeightsAreUsedAsTheyAre) {
    // Uniform weights (0.5, 0.5) for point 0 reconstruct (0.5, 1): residual sqrt(1.25).
    const Triangle triangle;
    const PointMatrix uniform = PointMatrix::Constant(3, 2, 0.5);
    const LocalFitDiagnostics diagnostics =
        diagnose_local_fits(triangle.points, triangle.neighbors, &uniform, 0.1);
    EXPECT_NEAR(diagnostics.residual(0), std::sqrt(1.25), 1e-15);
    EXPECT_NEAR(diagnostics.condition(0), 4.0, 1e-14);
}

/// x at the origin of the plane with the four neighbours (1, 0), (-1, 0), (0, 1), (0, -1)
/// shifted by -x: k = 4 > D = 2, so C has rank 2.
LocalFitDiagnostics cross(double x, double y, double reg) {
    PointMatrix points(5, 2);
    points << x, y, 1, 0, -1, 0, 0, 1, 0, -1;
    IndexMatrix neighbors(5, 4);
    neighbors << 1, 2, 3, 4, 0, 2, 3, 4, 0, 1, 3, 4, 0, 1, 2, 4, 0, 1, 2, 3;
    return diagnose_local_fits(points, neighbors, nullptr, reg);
}

TEST(LocalFitDiagnostics, MoreNeighboursThanDimensionsIsSingularAndRegularised) {
    const LocalFitDiagnostics diagnostics = cross(0.2, 0.1, 1e-3);
    for (Index i = 0; i < diagnostics.size(); ++i) {
        EXPECT_EQ(diagnostics.condition(i), infinity) << i;
        EXPECT_TRUE(diagnostics.regularised(i)) << i;
    }
    // Without a regulariser nothing counts as regularised, singular or not.
    EXPECT_EQ(cross(0.2, 0.1, 0.0).regularised_count(), 0);
}

TEST(LocalFitDiagnostics, SingularWithoutRegularisationReconstructsInsideTheHull) {
    // reg = 0 and C singular: a point inside its neighbours' affine hull (the whole plane here)
    // is reconstructed exactly, whether or not it is their centroid.
    EXPECT_NEAR(cross(0.0, 0.0, 0.0).residual(0), 0.0, 1e-15);
    EXPECT_NEAR(cross(0.2, 0.1, 0.0).residual(0), 0.0, 1e-14);
}

TEST(LocalFitDiagnostics, SingularWithoutRegularisationOutsideTheHullGivesItsDistance) {
    // x = (0, 1) with neighbours (1, 0), (2, 0), (3, 0): C has rank 2 < k = 3, every null
    // vector sums to zero, and the best affine reconstruction is x's projection on the line
    // y = 0, at distance 1.
    PointMatrix points(4, 2);
    points << 0, 1, 1, 0, 2, 0, 3, 0;
    IndexMatrix neighbors(4, 3);
    neighbors << 1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2;
    const LocalFitDiagnostics diagnostics = diagnose_local_fits(points, neighbors, nullptr, 0.0);
    EXPECT_NEAR(diagnostics.residual(0), 1.0, 1e-13);
    EXPECT_EQ(diagnostics.condition(0), infinity);
    EXPECT_DOUBLE_EQ(diagnostics.kth_distance(0), std::sqrt(10.0));
}

TEST(LocalFitDiagnostics, CoincidentNeighboursAreSingularWithUniformWeights) {
    // Every neighbour at x itself: C = 0, condition infinite, residual 0.
    const PointMatrix points = PointMatrix::Constant(4, 3, 1.5);
    IndexMatrix neighbors(4, 3);
    neighbors << 1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2;
    for (const double reg : {0.0, 1e-3}) {
        const LocalFitDiagnostics diagnostics =
            diagnose_local_fits(points, neighbors, nullptr, reg);
        EXPECT_EQ(diagnostics.condition(0), infinity);
        EXPECT_EQ(diagnostics.residual(0), 0.0);
        EXPECT_EQ(diagnostics.kth_distance(0), 0.0);
        EXPECT_EQ(diagnostics.regularised(0), reg > 0.0);
    }
}

/// A noisy swiss roll and its exact neighbours.
struct Roll {
    PointMatrix points;
    IndexMatrix neighbors;
    neighbors::NeighborGraph graph;
    explicit Roll(Index k, Index n = 400) {
        points = datasets::swiss_roll(n, 0.3, 5).points;
        graph = neighbors::k_nearest(PointsView(points), k);
        neighbors = graph.indices;
    }
};

TEST(LocalFitDiagnostics, ComputedWeightsMatchTheClosedForm) {
    // The residual with weights from the eigendecomposition equals the one with
    // barycentric_weights()'s Cholesky solution, for k < D, k = D and k > D.
    for (const Index k : {2, 3, 8}) {
        const Roll roll(k);
        const double reg = 1e-3;
        const PointMatrix w =
            barycentric_weights(roll.points, roll.points, roll.neighbors, {.reg = reg}).values;
        const LocalFitDiagnostics computed =
            diagnose_local_fits(roll.points, roll.neighbors, nullptr, reg);
        const LocalFitDiagnostics given = diagnose_local_fits(roll.points, roll.neighbors, &w, reg);
        for (Index i = 0; i < roll.points.rows(); ++i) {
            EXPECT_NEAR(computed.residual(i), given.residual(i), 1e-10 * given.kth_distance(i))
                << "k " << k << ", point " << i;
            EXPECT_EQ(computed.condition(i), given.condition(i));
            EXPECT_EQ(computed.regularised(i), given.regularised(i));
        }
    }
}

TEST(LocalFitDiagnostics, MatchDirectComputationsOnASwissRoll) {
    // Oracle per point: the residual |x - sum_j w_j y_j| with barycentric_weights()'s w, the
    // condition number from the singular values of G (those of C are their squares), the k-th
    // distance from the neighbour graph.
    const Index k = 3;  // k = D: C is generically invertible
    const Roll roll(k);
    const PointMatrix w =
        barycentric_weights(roll.points, roll.points, roll.neighbors, {.reg = 1e-3}).values;
    const LocalFitDiagnostics diagnostics =
        diagnose_local_fits(roll.points, roll.neighbors, &w, 1e-3);
    for (Index i = 0; i < roll.points.rows(); ++i) {
        Eigen::MatrixXd g(k, 3);
        Eigen::RowVectorXd reconstruction = Eigen::RowVectorXd::Zero(3);
        for (Index j = 0; j < k; ++j) {
            g.row(j) = roll.points.row(roll.neighbors(i, j)) - roll.points.row(i);
            reconstruction += w(i, j) * roll.points.row(roll.neighbors(i, j));
        }
        const double residual = (roll.points.row(i) - reconstruction).norm();
        EXPECT_NEAR(diagnostics.residual(i), residual, 1e-12 * roll.graph.distances(i, k - 1));
        const Eigen::VectorXd sigma = Eigen::JacobiSVD<Eigen::MatrixXd>(g).singularValues();
        const double condition = std::pow(sigma(0) / sigma(k - 1), 2);
        // C's eigenvalues are good to about eps lambda_max, so the ratio's relative error
        // grows like eps times the condition number itself.
        EXPECT_NEAR(diagnostics.condition(i), condition, condition * (1e-12 + 64e-16 * condition))
            << i;
        EXPECT_NEAR(diagnostics.kth_distance(i), roll.graph.distances(i, k - 1),
                    1e-14 * roll.graph.distances(i, k - 1));
        const double trace = g.squaredNorm();
        EXPECT_EQ(diagnostics.regularised(i), sigma(k - 1) * sigma(k - 1) < 1e-3 * trace) << i;
    }
}

TEST(LocalFitDiagnostics, SinglePrecisionEqualsTheSameValuesInDouble) {
    const Roll roll(6);
    const PointMatrixF single = roll.points.cast<float>();
    const PointMatrix widened = single.cast<double>();
    const LocalFitDiagnostics a = diagnose_local_fits(single, roll.neighbors, nullptr, 1e-3);
    const LocalFitDiagnostics b = diagnose_local_fits(widened, roll.neighbors, nullptr, 1e-3);
    EXPECT_EQ(a.residual, b.residual);
    EXPECT_EQ(a.condition, b.condition);
    EXPECT_EQ(a.regularised, b.regularised);
    EXPECT_EQ(a.kth_distance, b.kth_distance);
}

TEST(LocalFitDiagnostics, TheScaleOfTheDataDoesNotChangeTheRatios) {
    // Scaling by 2^-500 scales residuals and distances alike and leaves the condition numbers
    // and the regularised flags as they were (C would underflow without the internal scaling).
    const Roll roll(3);
    const double scale = std::ldexp(1.0, -500);
    const PointMatrix small = roll.points * scale;
    const LocalFitDiagnostics a = diagnose_local_fits(roll.points, roll.neighbors, nullptr, 1e-3);
    const LocalFitDiagnostics b = diagnose_local_fits(small, roll.neighbors, nullptr, 1e-3);
    EXPECT_EQ(a.condition, b.condition);
    EXPECT_EQ(a.regularised, b.regularised);
    EXPECT_EQ(a.kth_distance * scale, b.kth_distance);
    for (Index i = 0; i < a.size(); ++i) {
        EXPECT_NEAR(b.residual(i) / scale, a.residual(i), 1e-12 * a.kth_distance(i));
    }
}

TEST(LocalFitDiagnostics, SelectTakesRowsInTheGivenOrder) {
    const Triangle triangle;
    const LocalFitDiagnostics all =
        diagnose_local_fits(triangle.points, triangle.neighbors, nullptr, 0.1);
    const LocalFitDiagnostics picked = all.select({2, 0, 2});
    ASSERT_EQ(picked.size(), 3);
    for (const auto& [r, from] : {std::pair<Index, Index>{0, 2}, {1, 0}, {2, 2}}) {
        EXPECT_EQ(picked.residual(r), all.residual(from));
        EXPECT_EQ(picked.condition(r), all.condition(from));
        EXPECT_EQ(picked.regularised(r), all.regularised(from));
        EXPECT_EQ(picked.kth_distance(r), all.kth_distance(from));
    }
}

TEST(LocalFitDiagnostics, RejectsShapesThatDoNotMatch) {
    const Triangle triangle;
    const PointMatrix wrong = PointMatrix::Zero(3, 3);
    EXPECT_THROW(diagnose_local_fits(triangle.points, triangle.neighbors, &wrong, 0.1),
                 ParameterError);
    EXPECT_THROW(diagnose_local_fits(triangle.points, triangle.neighbors.topRows(2), nullptr, 0.1),
                 ParameterError);
    IndexMatrix outside = triangle.neighbors;
    outside(1, 1) = 3;
    EXPECT_THROW(diagnose_local_fits(triangle.points, outside, nullptr, 0.1), ParameterError);
    EXPECT_THROW(diagnose_local_fits(triangle.points, triangle.neighbors, nullptr, -1.0),
                 ParameterError);
}

}  // namespace
}  // namespace lle::weights
