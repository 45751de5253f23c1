#include "lle/weights/barycentric.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/neighbors/knn.hpp"
#include "support/errors.hpp"

namespace lle::weights {
namespace {

PointMatrix closed_weights(PointsView queries, PointsView reference, const IndexMatrix& neighbors,
                           double reg) {
    return barycentric_weights(queries, reference, neighbors, {.reg = reg}).values;
}

TEST(BarycentricWeights, HandComputedWithoutRegularisation) {
    // x = (0, 0), neighbours (1, 0) and (0, 2): C = diag(1, 4), C^{-1} 1 = (1, 1/4),
    // normalised to (0.8, 0.2).
    PointMatrix points(3, 2);
    points << 0, 0, 1, 0, 0, 2;
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    const PointMatrix w = closed_weights(points.topRows(1), points, neighbors, 0.0);
    EXPECT_NEAR(w(0, 0), 0.8, 1e-15);
    EXPECT_NEAR(w(0, 1), 0.2, 1e-15);
}

TEST(BarycentricWeights, HandComputedWithRegularisation) {
    // reg = 0.1, trace(C) = 5, so C + 0.5 I = diag(1.5, 4.5): w ∝ (2/3, 2/9) = (0.75, 0.25).
    PointMatrix points(3, 2);
    points << 0, 0, 1, 0, 0, 2;
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    const PointMatrix w = closed_weights(points.topRows(1), points, neighbors, 0.1);
    EXPECT_NEAR(w(0, 0), 0.75, 1e-15);
    EXPECT_NEAR(w(0, 1), 0.25, 1e-15);
}

TEST(BarycentricWeights, ZeroTraceGivesUniformWeights) {
    // Every neighbour coincides with the point: C = 0, so C + reg I ∝ I and w = 1/k.
    PointMatrix points = PointMatrix::Constant(4, 3, 2.5);
    IndexMatrix neighbors(1, 3);
    neighbors << 1, 2, 3;
    const PointMatrix w = closed_weights(points.topRows(1), points, neighbors, 1e-3);
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
    const PointMatrix w = closed_weights(points, points, neighbors, reg);

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
    const PointMatrix w = closed_weights(points.topRows(1), points, neighbors, 0.0);
    for (Index j = 0; j < 4; ++j) {
        EXPECT_NEAR(w(0, j), 0.25, 1e-14);
    }
}

TEST(BarycentricWeights, RejectsNegativeRegularisation) {
    PointMatrix points = PointMatrix::Random(3, 2);
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    try {
        barycentric_weights(points.topRows(1), points, neighbors, {.reg = -1.0});
        FAIL() << "expected ParameterError";
    } catch (const ParameterError& error) {
        EXPECT_NE(std::string(error.what()).find("reg"), std::string::npos);
        EXPECT_NE(std::string(error.what()).find("-1"), std::string::npos);
    }
}

TEST(BarycentricWeights, ARegularisationThatOverflowsNamesRegAndThePoint) {
    // reg * trace(C) is infinite at reg = 1e308 (the trace of the scaled C being above 1):
    // C + r I would hold inf and give NaN weights.
    PointMatrix points(4, 2);
    points << 0, 0, 1, 0, 0, 1, 1, 1;
    IndexMatrix neighbors(2, 3);
    neighbors << 1, 2, 3, 0, 2, 3;
    for (const weights::Solver solver : {weights::Solver::closed, weights::Solver::gradient}) {
        const std::string message = testing::message_of<ParameterError>([&] {
            barycentric_weights(points.topRows(2), points, neighbors,
                                {.solver = solver, .reg = 1e308});
        });
        EXPECT_NE(message.find("reg must satisfy reg * trace(C) finite"), std::string::npos)
            << message;
        EXPECT_NE(message.find("at point 0"), std::string::npos) << message;
        EXPECT_NE(message.find("(got 1e+308)"), std::string::npos) << message;
    }
    // A large reg that does not overflow gives the limit of the weights as reg grows: 1/k each.
    const PointMatrix w = closed_weights(points.topRows(1), points, neighbors.topRows(1), 1e300);
    for (Index j = 0; j < 3; ++j) {
        EXPECT_NEAR(w(0, j), 1.0 / 3.0, 1e-15);
    }
}

TEST(BarycentricWeights, SingularGramWithoutRegularisationNamesThePoint) {
    // Three neighbours in the plane (k > D): C is 3 x 3 of rank 2, singular when reg = 0.
    PointMatrix points(4, 2);
    points << 0, 0, 1, 0, 0, 1, 1, 1;
    IndexMatrix neighbors(1, 3);
    neighbors << 1, 2, 3;
    try {
        barycentric_weights(points.topRows(1), points, neighbors, {.reg = 0.0});
        FAIL() << "expected DataError";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("point 0"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("reg > 0"), std::string::npos) << error.what();
    }
    // The same neighbourhood is fine with the default regularisation.
    const PointMatrix w = closed_weights(points.topRows(1), points, neighbors, 1e-3);
    EXPECT_NEAR(w.sum(), 1.0, 1e-14);
}

// ---- the gradient solver ----------------------------------------------------------------

WeightsOptions gradient(double reg, Index max_iterations = 1000) {
    return {.solver = Solver::gradient, .reg = reg, .max_iterations = max_iterations};
}

double max_difference(const PointMatrix& a, const PointMatrix& b) {
    return (a - b).cwiseAbs().maxCoeff();
}

TEST(GradientWeights, HandComputedTwoNeighboursInOneStep) {
    // x = (0, 0), neighbours (1, 0) and (0, 2), reg = 0.1: C + 0.5 I = diag(1.5, 4.5).
    // w_0 = (1/2, 1/2), g_0 = 2 C w_0 = (1.5, 4.5), r_0 = -P g_0 = (1.5, -1.5);
    // C r_0 = (2.25, -6.75), r_0^T C r_0 = 13.5, alpha = r_0^T r_0 / (2 * 13.5) = 1/6, and
    // w_1 = (1/2, 1/2) + (1/6) (1.5, -1.5) = (0.75, 0.25), the closed form's weights.
    PointMatrix points(3, 2);
    points << 0, 0, 1, 0, 0, 2;
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    const WeightsResult result =
        barycentric_weights(points.topRows(1), points, neighbors, gradient(0.1));
    EXPECT_NEAR(result.values(0, 0), 0.75, 1e-15);
    EXPECT_NEAR(result.values(0, 1), 0.25, 1e-15);
    EXPECT_EQ(result.iterations(0), 1);
    EXPECT_EQ(result.summary.mean, 1.0);
    EXPECT_EQ(result.summary.max, 1);
    EXPECT_EQ(result.summary.unconverged, 0);
    EXPECT_EQ(result.summary.first_unconverged, -1);
}

/// Two points at the origin of 3-D space, each with three neighbours, reg = 1/14:
///  * point 0, neighbours e_1, 2 e_2, e_3: C = diag(1, 4, 1), trace 6, r = 3/7, so
///    C + r I = diag(10, 31, 10) / 7 and w = (1/10, 1/31, 1/10) normalised =
///    (31, 10, 31) / 72. r_0 = -P g_0 is proportional to (1, -2, 1), an eigenvector of
///    P C P: one step.
///  * point 1, neighbours e_1, 2 e_2, 3 e_3: C = diag(1, 4, 9), trace 14, r = 1, so
///    C + I = diag(2, 5, 10) and w = (1/2, 1/5, 1/10) normalised = (5/8, 1/4, 1/8).
///    g_0 = 2 C w_0 = (4, 10, 20) / 3, r_0 = (22, 4, -26) / 9, r_0^T r_0 = 1176 / 81,
///    r_0^T C r_0 = 7808 / 81, alpha = 147 / 1952, so w_1 = 1/3 + alpha r_0 =
///    (505, 358, 113) / 976; the second step, k - 1 = 2, reaches the minimum.
struct TwoPoints {
    PointMatrix queries = PointMatrix::Zero(2, 3);
    PointMatrix reference{{1, 0, 0}, {0, 2, 0}, {0, 0, 1}, {0, 0, 3}};
    IndexMatrix neighbors{{0, 1, 2}, {0, 1, 3}};
    double reg = 1.0 / 14.0;
};

TEST(GradientWeights, HandComputedThreeNeighbours) {
    const TwoPoints data;
    const WeightsResult result =
        barycentric_weights(data.queries, data.reference, data.neighbors, gradient(data.reg));
    const double expected[2][3] = {{31.0 / 72, 10.0 / 72, 31.0 / 72}, {0.625, 0.25, 0.125}};
    for (Index i = 0; i < 2; ++i) {
        for (Index j = 0; j < 3; ++j) {
            EXPECT_NEAR(result.values(i, j), expected[i][j], 1e-15) << i << ", " << j;
        }
    }
    EXPECT_EQ(result.iterations(0), 1);
    EXPECT_EQ(result.iterations(1), 2);
    EXPECT_EQ(result.summary.mean, 1.5);
    EXPECT_EQ(result.summary.max, 2);
    EXPECT_EQ(result.summary.unconverged, 0);
}

TEST(GradientWeights, IterationCapReportsTheUnconvergedPoints) {
    // One step allowed: point 0 needs one and converges, point 1 needs two and is stopped at
    // its first iterate, which still sums to one.
    const TwoPoints data;
    const WeightsResult result =
        barycentric_weights(data.queries, data.reference, data.neighbors, gradient(data.reg, 1));
    EXPECT_EQ(result.summary.unconverged, 1);
    EXPECT_EQ(result.summary.first_unconverged, 1);
    EXPECT_EQ(result.summary.max, 1);
    EXPECT_EQ(result.iterations(0), 1);
    EXPECT_EQ(result.iterations(1), 1);
    EXPECT_NEAR(result.values(0, 1), 10.0 / 72, 1e-15);
    EXPECT_NEAR(result.values(1, 0), 505.0 / 976, 1e-15);
    EXPECT_NEAR(result.values(1, 1), 358.0 / 976, 1e-15);
    EXPECT_NEAR(result.values(1, 2), 113.0 / 976, 1e-15);
    EXPECT_NEAR(result.values.row(1).sum(), 1.0, 1e-15);
}

TEST(GradientWeights, UniformWeightsNeedNoStep) {
    // Every neighbour coincides with the point: C + reg I is a multiple of I, the projected
    // gradient at w_0 = 1/k is zero, and no step is taken.
    PointMatrix points = PointMatrix::Constant(4, 3, 2.5);
    IndexMatrix neighbors(1, 3);
    neighbors << 1, 2, 3;
    const WeightsResult result =
        barycentric_weights(points.topRows(1), points, neighbors, gradient(1e-3));
    EXPECT_EQ(result.iterations(0), 0);
    for (Index j = 0; j < 3; ++j) {
        EXPECT_DOUBLE_EQ(result.values(0, j), 1.0 / 3.0);
    }
}

/// Closed form against gradient on every point, with the gradient solver's summary checked
/// against its per-point counts. Returns the summary for bounds of the caller's.
IterationSummary expect_solvers_agree(const PointMatrix& points, Index k, double reg) {
    const IndexMatrix neighbors = neighbors::k_nearest(points, k).indices;
    const WeightsResult closed = barycentric_weights(points, points, neighbors, {.reg = reg});
    const WeightsResult iterated = barycentric_weights(points, points, neighbors, gradient(reg));
    EXPECT_LT(max_difference(iterated.values, closed.values), 1e-8);
    EXPECT_LT((iterated.values.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-13);

    EXPECT_EQ(closed.iterations, decltype(closed.iterations)::Zero(points.rows()));
    EXPECT_EQ(closed.summary.max, 0);
    EXPECT_EQ(iterated.summary.unconverged, 0);
    EXPECT_EQ(iterated.summary.first_unconverged, -1);
    EXPECT_EQ(iterated.summary.max, iterated.iterations.maxCoeff());
    EXPECT_DOUBLE_EQ(iterated.summary.mean, static_cast<double>(iterated.iterations.sum()) /
                                                static_cast<double>(points.rows()));
    EXPECT_GE(iterated.iterations.minCoeff(), 1);
    return iterated.summary;
}

TEST(GradientWeights, MatchClosedFormOnASwissRoll) {
    // D = 3 < k = 10: C has rank 3, so C + r I has four distinct eigenvalues and conjugate
    // gradient ends in at most four steps, plus what rounding adds.
    const PointMatrix points = datasets::swiss_roll(2000, 0.0, 5).points;
    const IterationSummary summary = expect_solvers_agree(points, 10, 1e-3);
    EXPECT_LE(summary.max, 8);
    EXPECT_GT(summary.mean, 2.0);
    EXPECT_LT(summary.mean, 6.0);
}

TEST(GradientWeights, MatchClosedFormWithMoreNeighboursThanDimensions) {
    // k = 20 > D = 8: the regularisation carries the 12 directions C does not reach, and
    // with reg = 1e-2 more than with 1e-3.
    std::mt19937_64 generator(11);
    std::normal_distribution<double> normal;
    PointMatrix points(600, 8);
    for (Index i = 0; i < points.rows(); ++i) {
        for (Index j = 0; j < points.cols(); ++j) {
            points(i, j) = normal(generator);
        }
    }
    for (const double reg : {1e-3, 1e-2}) {
        const IterationSummary summary = expect_solvers_agree(points, 20, reg);
        EXPECT_LE(summary.max, 19) << "reg " << reg;
    }
}

TEST(GradientWeights, ConvergeOnAGridWherePointsSitAtTheirNeighboursCentroid) {
    // On a regular grid many points are the centroid of their neighbours: w_0 = 1/k is
    // already optimal and the first projected gradient is pure rounding.
    PointMatrix grid(900, 2);
    for (Index i = 0; i < 900; ++i) {
        grid(i, 0) = 0.1 * static_cast<double>(i % 30);
        grid(i, 1) = 0.1 * static_cast<double>(i / 30);
    }
    for (const Index k : {8, 10}) {
        const IndexMatrix neighbors = neighbors::k_nearest(grid, k).indices;
        const WeightsResult closed = barycentric_weights(grid, grid, neighbors, {.reg = 1e-3});
        const WeightsResult iterated = barycentric_weights(grid, grid, neighbors, gradient(1e-3));
        EXPECT_EQ(iterated.summary.unconverged, 0) << "k " << k;
        EXPECT_LT(max_difference(iterated.values, closed.values), 1e-8) << "k " << k;
    }
}

TEST(GradientWeights, TheScaleOfTheDataDoesNotMatter) {
    const PointMatrix points = datasets::swiss_roll(500, 0.0, 2).points;
    const IndexMatrix neighbors = neighbors::k_nearest(points, 10).indices;
    const WeightsResult reference = barycentric_weights(points, points, neighbors, {.reg = 1e-3});
    for (const double scale : {1e-100, 1e100}) {
        const PointMatrix scaled = scale * points;
        const WeightsResult iterated =
            barycentric_weights(scaled, scaled, neighbors, gradient(1e-3));
        EXPECT_EQ(iterated.summary.unconverged, 0) << "scale " << scale;
        EXPECT_LT(max_difference(iterated.values, reference.values), 1e-8) << "scale " << scale;
    }
}

TEST(BarycentricWeights, ClosedFormIsExactlyScaleFree) {
    // Scaling by a power of two is exact, and the weights are computed from differences
    // brought near 1 by another: bit for bit the same weights from 2^-520 (about 1e-157,
    // whose squared differences would underflow) to 2^500.
    const PointMatrix points = datasets::swiss_roll(500, 0.0, 3).points;
    const IndexMatrix neighbors = neighbors::k_nearest(points, 10).indices;
    const WeightsResult reference = barycentric_weights(points, points, neighbors, {.reg = 1e-3});
    for (const int exponent : {-520, -60, 7, 500}) {
        const PointMatrix scaled = std::ldexp(1.0, exponent) * points;
        const WeightsResult weights = barycentric_weights(scaled, scaled, neighbors, {.reg = 1e-3});
        EXPECT_EQ(max_difference(weights.values, reference.values), 0.0) << "2^" << exponent;
    }
}

TEST(GradientWeights, RejectsOptionsOutOfRange) {
    PointMatrix points = PointMatrix::Random(3, 2);
    IndexMatrix neighbors(1, 2);
    neighbors << 1, 2;
    auto message = [&](const WeightsOptions& options) -> std::string {
        try {
            barycentric_weights(points.topRows(1), points, neighbors, options);
        } catch (const ParameterError& error) {
            return error.what();
        }
        return "no error";
    };
    EXPECT_NE(message(gradient(0.0)).find("reg > 0 for the gradient"), std::string::npos);
    WeightsOptions options = gradient(1e-3);
    options.tolerance = 0.0;
    EXPECT_NE(message(options).find("weights_tolerance"), std::string::npos);
    options.tolerance = 1e-12;
    options.max_iterations = 0;
    EXPECT_NE(message(options).find("weights_max_iterations"), std::string::npos);
}

TEST(WeightsSolver, Names) {
    EXPECT_EQ(to_string(Solver::closed), "closed");
    EXPECT_EQ(to_string(Solver::gradient), "gradient");
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
