#include "lle/methods/modified.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/embed.hpp"
#include "lle/methods/standard.hpp"
#include "lle/neighbors/knn.hpp"
#include "support/solver_agreement.hpp"
#include "support/subspace.hpp"

namespace lle {
namespace {

constexpr double reg = 1e-3;
constexpr double modified_tol = 1e-12;

Eigen::MatrixXd cost_matrix(const PointMatrix& points, Index k, Index d, double r = reg) {
    const neighbors::NeighborGraph graph = neighbors::k_nearest(points, k);
    return Eigen::MatrixXd(
        methods::modified_cost_matrix(points, graph.indices, d, r, modified_tol));
}

/// Symmetric, M 1 = 0 and positive semi-definite, all to rounding.
void expect_alignment_invariants(const Eigen::MatrixXd& m) {
    ASSERT_TRUE(m.allFinite());
    const double scale = m.cwiseAbs().maxCoeff();
    EXPECT_LE((m - m.transpose()).cwiseAbs().maxCoeff(), 1e-14 * scale);
    EXPECT_LT((m * Eigen::VectorXd::Ones(m.rows())).cwiseAbs().maxCoeff(), 1e-12);
    const Eigen::VectorXd eigenvalues =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m, Eigen::EigenvaluesOnly).eigenvalues();
    EXPECT_GE(eigenvalues(0), -1e-12);
    EXPECT_LT(std::abs(eigenvalues(0)), 1e-12);  // the constant vector
}

TEST(ModifiedCostMatrix, OnALineIsStandardLleWithInterpolationWeights) {
    // D = d = 1, k = 2, reg = 0. Every C_i has one nonzero eigenvalue, so rho_i = eta = 0 and
    // s_i = 1: V_i is the null vector of G_i^T = (a, b), the neighbours' offsets, and W_i is
    // the exact barycentric weight vector (b, -a) / (b - a). M is then (I - W)^T (I - W) with
    //   x = 0: neighbours 1, 3 -> (3/2, -1/2)    x = 1: neighbours 0, 3 -> (2/3, 1/3)
    //   x = 3: neighbours 4, 1 -> (2/3, 1/3)     x = 4: neighbours 3, 1 -> (3/2, -1/2)
    //   x = 8: neighbours 4, 3 -> (5, -4)
    PointMatrix points(5, 1);
    points << 0.0, 1.0, 3.0, 4.0, 8.0;
    IndexMatrix neighbors(5, 2);
    neighbors << 1, 2, 0, 2, 3, 1, 2, 1, 3, 2;
    SparseRowMatrix w(5, 5);
    w.insert(0, 1) = 1.5;
    w.insert(0, 2) = -0.5;
    w.insert(1, 0) = 2.0 / 3.0;
    w.insert(1, 2) = 1.0 / 3.0;
    w.insert(2, 3) = 2.0 / 3.0;
    w.insert(2, 1) = 1.0 / 3.0;
    w.insert(3, 2) = 1.5;
    w.insert(3, 1) = -0.5;
    w.insert(4, 3) = 5.0;
    w.insert(4, 2) = -4.0;
    const Eigen::MatrixXd expected = Eigen::MatrixXd(methods::standard_cost_matrix(w));
    const Eigen::MatrixXd m =
        Eigen::MatrixXd(methods::modified_cost_matrix(points, neighbors, 1, 0.0, modified_tol));
    EXPECT_LT((m - expected).cwiseAbs().maxCoeff(), 1e-12) << m << "\n\n" << expected;
    // The true coordinate costs nothing.
    EXPECT_LT((m * points).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(ModifiedCostMatrix, PlanarPointsHaveTheirCoordinatesInTheNullSpace) {
    // Points of the plane (D = d = 2), reg = 0: each W_i reconstructs x_i exactly, so
    // M [1 x y] = 0 and the embedding spans the centred coordinates.
    std::mt19937_64 generator(3);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    PointMatrix points(200, 2);
    for (Index i = 0; i < points.rows(); ++i) {
        points(i, 0) = 3.0 * uniform(generator);
        points(i, 1) = uniform(generator);
    }
    const Eigen::MatrixXd m = cost_matrix(points, 8, 2, 0.0);
    expect_alignment_invariants(m);
    EXPECT_LT((m * points).cwiseAbs().maxCoeff(), 1e-11);

    Parameters parameters;
    parameters.method = Method::modified;
    parameters.n_neighbors = 8;
    parameters.reg = 0.0;
    parameters.eigen_solver = embedding::Solver::dense;
    const Result result = embed(points, parameters);
    ASSERT_TRUE(result.solver.converged) << result.solver.message;
    EXPECT_LT(result.eigenvalues.cwiseAbs().maxCoeff(), 1e-12);
    const Eigen::MatrixXd centred = points.rowwise() - points.colwise().mean();
    EXPECT_LT(testing::largest_principal_angle(result.coordinates, centred), 1e-8);
}

TEST(ModifiedCostMatrix, InvariantsOnASwissRoll) {
    expect_alignment_invariants(cost_matrix(datasets::swiss_roll(300, 0.0, 4).points, 10, 2));
}

TEST(ModifiedCostMatrix, InvariantsWhenNeighboursAreFewerThanDimensions) {
    // k = 8 <= D = 20: C_i can have all k eigenvalues nonzero. A noisy swiss roll, rotated.
    std::mt19937_64 generator(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    const datasets::Manifold roll = datasets::swiss_roll(300, 0.0, 5);
    PointMatrix padded = PointMatrix::Zero(300, 20);
    Eigen::MatrixXd gaussian(20, 20);
    for (Index i = 0; i < 300; ++i) {
        padded.row(i).head(3) = roll.points.row(i);
        for (Index j = 3; j < 20; ++j) {
            padded(i, j) = 0.05 * normal(generator);
        }
    }
    for (Index i = 0; i < 20; ++i) {
        for (Index j = 0; j < 20; ++j) {
            gaussian(i, j) = normal(generator);
        }
    }
    const Eigen::MatrixXd rotation = Eigen::HouseholderQR<Eigen::MatrixXd>(gaussian).householderQ();
    const PointMatrix points = padded * rotation.transpose();
    expect_alignment_invariants(cost_matrix(points, 8, 2));
}

TEST(ModifiedCostMatrix, InvariantsWhenSomePointsHaveNoWeightVectors) {
    // k = D = 3, d = 2: about half of the points have s_i = 0 and add nothing.
    expect_alignment_invariants(cost_matrix(datasets::swiss_roll(300, 0.0, 6).points, 3, 2));
}

TEST(ModifiedCostMatrix, CoincidentNeighbourhoodsGiveAFiniteMatrix) {
    // Points 0..5 coincide: with k = 5 each sees only the others, trace(C_i) = 0.
    PointMatrix points = datasets::swiss_roll(40, 0.0, 2).points;
    for (Index i = 1; i < 6; ++i) {
        points.row(i) = points.row(0);
    }
    expect_alignment_invariants(cost_matrix(points, 5, 2));
}

TEST(ModifiedCostMatrix, RejectsDimensionNotBelowK) {
    const PointMatrix points = datasets::swiss_roll(20).points;
    const neighbors::NeighborGraph graph = neighbors::k_nearest(points, 2);
    EXPECT_THROW(methods::modified_cost_matrix(points, graph.indices, 2, reg, modified_tol),
                 ParameterError);
}

TEST(EmbedModified, DenseAndSparseSolversAgree) {
    Parameters parameters;
    parameters.method = Method::modified;
    parameters.n_neighbors = 12;
    parameters.n_components = 2;
    for (const auto& [label, points] :
         {std::pair{"swiss roll", datasets::swiss_roll(1000, 0.0, 1).points},
          std::pair{"S-curve", datasets::s_curve(1000, 0.0, 1).points}}) {
        SCOPED_TRACE(label);
        testing::expect_solvers_agree(points, parameters);
    }
}

TEST(EmbedModified, RequiresFewerComponentsThanNeighbours) {
    const PointMatrix points = datasets::swiss_roll(50).points;
    Parameters parameters;
    parameters.method = Method::modified;
    parameters.n_neighbors = 2;
    parameters.n_components = 2;
    try {
        embed(points, parameters);
        FAIL() << "expected ParameterError";
    } catch (const ParameterError& error) {
        const std::string message = error.what();
        for (const char* fragment : {"d (n_components)", "d < k = 2", "modified", "(got 2)"}) {
            EXPECT_NE(message.find(fragment), std::string::npos) << message;
        }
    }
    // d = k - 1 is allowed.
    parameters.n_neighbors = 3;
    parameters.eigen_solver = embedding::Solver::dense;
    const Result result = embed(points, parameters);
    EXPECT_TRUE(result.coordinates.allFinite());
}

}  // namespace
}  // namespace lle
