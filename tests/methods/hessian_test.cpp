#include "lle/methods/hessian.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/embed.hpp"
#include "lle/neighbors/knn.hpp"
#include "support/solver_agreement.hpp"
#include "support/subspace.hpp"

namespace lle {
namespace {

constexpr double hessian_tol = 1e-4;

Eigen::MatrixXd cost_matrix(const PointMatrix& points, Index k, Index d) {
    const IndexMatrix neighbors = neighbors::k_nearest(points, k).indices;
    return Eigen::MatrixXd(methods::hessian_cost_matrix(points, neighbors, d, hessian_tol));
}

/// A `rows x cols` matrix with orthonormal columns, from a seeded Gaussian matrix.
Eigen::MatrixXd orthonormal_columns(Index rows, Index cols, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    Eigen::MatrixXd g(rows, cols);
    for (Index j = 0; j < cols; ++j) {
        for (Index i = 0; i < rows; ++i) {
            g(i, j) = normal(generator);
        }
    }
    return Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ() *
           Eigen::MatrixXd::Identity(rows, cols);
}

/// n points on a d-dimensional affine plane of R^D: x = c + A t, A with orthonormal columns,
/// t uniform on [-1, 1]^d. Returns the points and their plane coordinates t (`n x d`).
std::pair<PointMatrix, Eigen::MatrixXd> points_on_a_plane(Index n, Index d, Index dimension,
                                                          std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    Eigen::MatrixXd t(n, d);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) {
            t(i, j) = uniform(generator);
        }
    }
    const Eigen::MatrixXd basis = orthonormal_columns(dimension, d, seed + 1);
    const Eigen::RowVectorXd offset = Eigen::RowVectorXd::LinSpaced(dimension, -3.0, 2.0);
    PointMatrix points = (t * basis.transpose()).rowwise() + offset;
    return {std::move(points), std::move(t)};
}

TEST(HessianCostMatrix, HandComputedPointsOnALine) {
    // Four points at positions 0, 1, 2, 3 of a line in R^2, k = 3 (every other point), d = 1.
    // With k = 1 + d + d (d + 1) / 2 the design [1, u, u^2] is square, and W is the one unit
    // vector orthogonal to 1 and to the positions p of the neighbourhood:
    //   point 0, N = {1, 2, 3}, p = (1, 2, 3): (1, -2, 1) / sqrt 6
    //   point 1, N = {0, 2, 3}, p = (0, 2, 3): (1, -3, 2) / sqrt 14
    //   point 2, N = {0, 1, 3}, p = (0, 1, 3): (2, -3, 1) / sqrt 14
    //   point 3, N = {0, 1, 2}, p = (0, 1, 2): (1, -2, 1) / sqrt 6
    // and M = sum_i v_i v_i^T.
    PointMatrix points(4, 2);
    for (Index i = 0; i < 4; ++i) {
        points.row(i) << 1.0 + 0.6 * static_cast<double>(i), -2.0 + 0.8 * static_cast<double>(i);
    }
    Eigen::MatrixXd v(4, 4);
    v.col(0) << 0, 1, -2, 1;
    v.col(1) << 1, 0, -3, 2;
    v.col(2) << 2, -3, 0, 1;
    v.col(3) << 1, -2, 1, 0;
    v.col(0) /= std::sqrt(6.0);
    v.col(1) /= std::sqrt(14.0);
    v.col(2) /= std::sqrt(14.0);
    v.col(3) /= std::sqrt(6.0);
    const Eigen::MatrixXd expected = v * v.transpose();
    EXPECT_LT((cost_matrix(points, 3, 1) - expected).cwiseAbs().maxCoeff(), 1e-14);
}

TEST(HessianCostMatrix, IsSymmetricWithTheConstantInItsNullSpace) {
    for (const datasets::Manifold& manifold :
         {datasets::swiss_roll(500, 0.0, 3), datasets::s_curve(500, 0.05, 4)}) {
        const Eigen::MatrixXd m = cost_matrix(manifold.points, 12, 2);
        const double scale = m.cwiseAbs().maxCoeff();
        EXPECT_LT((m - m.transpose()).cwiseAbs().maxCoeff(), 1e-15 * scale);
        EXPECT_LT((m * Eigen::VectorXd::Ones(500)).cwiseAbs().maxCoeff(), 1e-12);
    }
}

TEST(HessianCostMatrix, IsPositiveSemidefinite) {
    const datasets::Manifold curve = datasets::s_curve(200, 0.0, 5);
    const Eigen::MatrixXd m = cost_matrix(curve.points, 10, 2);
    const Eigen::VectorXd eigenvalues =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m).eigenvalues();
    const double norm = eigenvalues.cwiseAbs().maxCoeff();
    EXPECT_GT(eigenvalues.minCoeff(), -1e-13 * norm);
    EXPECT_LT(std::abs(eigenvalues(0)), 1e-13 * norm);  // the constant vector
    EXPECT_GT(eigenvalues(1), 1e-13 * norm);            // and nothing else, on a connected graph
}

TEST(HessianCostMatrix, TraceCountsTheColumnsKeptPerPoint) {
    // Every block W W^T is an orthogonal projector of rank k - d - 1 (no column is normalised
    // at the default tolerance), so trace M = n (k - d - 1).
    const datasets::Manifold roll = datasets::swiss_roll(400, 0.0, 6);
    for (const auto& [k, d] : {std::pair<Index, Index>{12, 2}, {10, 1}, {15, 3}}) {
        const Eigen::MatrixXd m = cost_matrix(roll.points, k, d);
        EXPECT_NEAR(m.trace(), 400.0 * static_cast<double>(k - d - 1), 1e-10) << k << " " << d;
    }
}

TEST(HessianCostMatrix, LinearFunctionsOfAPlaneAreInTheNullSpace) {
    // On an affine plane, every linear function of the plane coordinates has zero Hessian,
    // whichever way the tangent coordinates are computed: by SVD (k > D) or from the
    // neighbourhood's Gram matrix (k <= D).
    struct Case {
        Index d, dimension, k;
    };
    for (const Case& c : {Case{2, 3, 12}, Case{2, 5, 8}, Case{2, 12, 8}, Case{3, 4, 12},
                          Case{3, 20, 14}, Case{1, 6, 4}}) {
        const auto [points, t] = points_on_a_plane(300, c.d, c.dimension, 7);
        const Eigen::MatrixXd m = cost_matrix(points, c.k, c.d);
        const double norm = m.cwiseAbs().colwise().sum().maxCoeff();
        Eigen::MatrixXd functions(300, c.d + c.dimension);
        functions << t, Eigen::MatrixXd(points);  // plane and ambient coordinates
        for (Index j = 0; j < functions.cols(); ++j) {
            const Eigen::VectorXd z = functions.col(j);
            EXPECT_LT((m * z).norm(), 1e-10 * norm * z.norm())
                << "d " << c.d << ", D " << c.dimension << ", k " << c.k << ", function " << j;
        }
        // A quadratic function is not annihilated: its residual is far above rounding.
        const Eigen::VectorXd quadratic = t.col(0).cwiseAbs2();
        EXPECT_GT((m * quadratic).norm(), 1e-6 * norm * quadratic.norm());
    }
}

TEST(HessianCostMatrix, IsInvariantUnderSimilarityTransformsAndBothTangentPaths) {
    // Rotate the swiss roll into R^15 (k = 12 <= D: tangent coordinates from the Gram
    // matrix), scale and translate it. M depends only on the neighbourhoods' shapes.
    const PointMatrix points = datasets::swiss_roll(400, 0.0, 8).points;
    const IndexMatrix neighbors = neighbors::k_nearest(points, 12).indices;
    const Eigen::MatrixXd rotation = orthonormal_columns(15, 3, 9);
    const PointMatrix moved = ((2.5 * points * rotation.transpose()).rowwise() +
                               Eigen::RowVectorXd::LinSpaced(15, 1.0, 8.0))
                                  .eval();
    const Eigen::MatrixXd m =
        Eigen::MatrixXd(methods::hessian_cost_matrix(points, neighbors, 2, hessian_tol));
    const Eigen::MatrixXd m_moved =
        Eigen::MatrixXd(methods::hessian_cost_matrix(moved, neighbors, 2, hessian_tol));
    EXPECT_LT((m - m_moved).cwiseAbs().maxCoeff(), 1e-10);
}

TEST(HessianCostMatrix, ChecksItsArguments) {
    const PointMatrix points = datasets::swiss_roll(30, 0.0, 10).points;
    const IndexMatrix neighbors = neighbors::k_nearest(points, 5).indices;
    EXPECT_THROW(methods::hessian_cost_matrix(points, neighbors, 2, hessian_tol), ParameterError);
    EXPECT_THROW(methods::hessian_cost_matrix(points.topRows(20), neighbors, 1, hessian_tol),
                 ParameterError);
    EXPECT_THROW(methods::hessian_cost_matrix(points, neighbors, 1, -1.0), ParameterError);
    EXPECT_NO_THROW(methods::hessian_cost_matrix(points, neighbors, 1, hessian_tol));
}

TEST(HessianCostMatrix, RejectsDataFlatterThanTheEmbeddingDimension) {
    // Points on a 2-plane cannot support d = 3 tangent coordinates: the third would be decided
    // by rounding errors. Both tangent paths: R^4 with k = 12 > D (SVD), R^15 with k <= D (Gram).
    for (Index dimension : {4, 15}) {
        const PointMatrix points = points_on_a_plane(200, 2, dimension, 21).first;
        try {
            cost_matrix(points, 12, 3);
            ADD_FAILURE() << "no error for a plane in R^" << dimension;
        } catch (const DataError& error) {
            EXPECT_NE(std::string(error.what())
                          .find("the neighbourhoods of 200 of the 200 points "
                                "span fewer than d = 3 dimensions"),
                      std::string::npos)
                << error.what();
            EXPECT_NE(std::string(error.what()).find("Hessian LLE"), std::string::npos);
        }
        EXPECT_NO_THROW(cost_matrix(points, 12, 2)) << "R^" << dimension;
    }
}

Result embed_hessian(const PointMatrix& points, Index k, Index d, embedding::Solver solver) {
    Parameters parameters;
    parameters.method = Method::hessian;
    parameters.n_neighbors = k;
    parameters.n_components = d;
    parameters.eigen_solver = solver;
    return embed(points, parameters);
}

TEST(EmbedHessian, DenseAndSparseSolversAgree) {
    Parameters parameters;
    parameters.method = Method::hessian;
    parameters.n_neighbors = 12;
    parameters.n_components = 2;
    for (const auto& [label, points] :
         {std::pair{"swiss roll", datasets::swiss_roll(1000, 0.0, 1).points},
          std::pair{"S-curve", datasets::s_curve(1000, 0.0, 2).points}}) {
        SCOPED_TRACE(label);
        testing::expect_solvers_agree(points, parameters);
    }
}

TEST(EmbedHessian, UnrollsThePlane) {
    // Points on a plane in R^3: the embedding spans the plane coordinates (up to rotation),
    // after removing their means.
    const auto [points, t] = points_on_a_plane(600, 2, 3, 11);
    const Result result = embed_hessian(points, 10, 2, embedding::Solver::dense);
    ASSERT_TRUE(result.solver.converged) << result.solver.message;
    const Eigen::MatrixXd centred = t.rowwise() - t.colwise().mean();
    EXPECT_LT(testing::largest_principal_angle(result.coordinates, centred), 1e-6);
}

void expect_parameter_error(const PointMatrix& points, Index k, Index d,
                            const std::string& fragment) {
    Parameters parameters;
    parameters.method = Method::hessian;
    parameters.n_neighbors = k;
    parameters.n_components = d;
    try {
        embed(points, parameters);
        FAIL() << "expected ParameterError containing " << fragment;
    } catch (const ParameterError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("k (n_neighbors)"), std::string::npos) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
    }
}

TEST(EmbedHessian, RequiresMoreNeighboursThanTheHessianHasTerms) {
    const PointMatrix points = datasets::swiss_roll(60, 0.0, 12).points;
    expect_parameter_error(points, 5, 2, "k > d (d + 3) / 2 = 5 for Hessian LLE (got 5)");
    expect_parameter_error(points, 3, 2, "k > d (d + 3) / 2 = 5 for Hessian LLE (got 3)");
    expect_parameter_error(points, 9, 3, "k > d (d + 3) / 2 = 9 for Hessian LLE (got 9)");
    expect_parameter_error(points, 2, 1, "k > d (d + 3) / 2 = 2 for Hessian LLE (got 2)");
    EXPECT_TRUE(embed_hessian(points, 6, 2, embedding::Solver::dense).solver.converged);
}

}  // namespace
}  // namespace lle
