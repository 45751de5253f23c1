#include "lle/methods/ltsa.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/embed.hpp"
#include "lle/neighbors/knn.hpp"
#include "support/solver_agreement.hpp"
#include "support/subspace.hpp"

namespace lle {
namespace {

Eigen::MatrixXd dense_cost(PointsView points, const IndexMatrix& neighbors, Index d) {
    return Eigen::MatrixXd(methods::ltsa_cost_matrix(points, neighbors, d));
}

/// `D x D` orthogonal matrix, from the QR factorisation of a Gaussian one.
Eigen::MatrixXd random_rotation(Index dim, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    Eigen::MatrixXd g(dim, dim);
    for (Index a = 0; a < dim; ++a) {
        for (Index b = 0; b < dim; ++b) {
            g(a, b) = normal(generator);
        }
    }
    return Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ();
}

/// The rows of `points` (`n x 3`) isometrically placed in `R^dim`, shifted off the origin.
PointMatrix lift(const PointMatrix& points, Index dim, std::uint64_t seed) {
    const Eigen::MatrixXd rotation = random_rotation(dim, seed);
    PointMatrix lifted = points * rotation.topRows(points.cols());
    lifted.rowwise() += Eigen::RowVectorXd::LinSpaced(dim, 1.0, 2.0);
    return lifted;
}

void expect_symmetric_psd_with_constant_null_vector(const Eigen::MatrixXd& m) {
    // Blocks are exactly symmetric; the assembly sums each entry's terms in either order.
    EXPECT_LT((m - m.transpose()).cwiseAbs().maxCoeff(), 1e-14);
    EXPECT_LT((m * Eigen::VectorXd::Ones(m.rows())).cwiseAbs().maxCoeff(), 1e-12);
    const Eigen::VectorXd spectrum =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m).eigenvalues();
    EXPECT_GT(spectrum(0), -1e-12);
}

class LtsaLine : public ::testing::TestWithParam<Index> {};

TEST_P(LtsaLine, HandComputedBlocks) {
    // Four points on a line at t = 0, 1, 3, 7, k = 3, d = 1: each point's neighbours are the
    // other three. On a neighbourhood with positions (t1, t2, t3), G = [1/sqrt(3), v] with v
    // along the centred t, so I - G G^T projects on the one direction orthogonal to 1 and t,
    // a = 1 x t = (t2 - t3, t3 - t1, t1 - t2):
    //   N(0) = {1, 2, 3}: a = (-4, 6, -2) ~ (-2, 3, -1);  N(1) = {0, 2, 3}: a = (-4, 7, -3);
    //   N(2) = {0, 1, 3}: a = (-6, 7, -1);                N(3) = {0, 1, 2}: a = (-2, 3, -1).
    // The line lies in R^D along a random direction, off the origin: D = 2 takes the SVD path
    // (k > D), D = 5 the Gram matrix path.
    const Index dim = GetParam();
    const Eigen::VectorXd t = (Eigen::VectorXd(4) << 0, 1, 3, 7).finished();
    const Eigen::VectorXd direction = random_rotation(dim, 3).col(0);
    PointMatrix points = t * direction.transpose();
    points.rowwise() += Eigen::RowVectorXd::Constant(dim, 0.5);
    IndexMatrix neighbors(4, 3);
    neighbors << 1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2;

    Eigen::MatrixXd a(4, 4);
    a << 0, -2, 3, -1,  //
        -4, 0, 7, -3,   //
        -6, 7, 0, -1,   //
        -2, 3, -1, 0;
    Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(4, 4);
    for (Index i = 0; i < 4; ++i) {
        expected += a.row(i).transpose() * a.row(i) / a.row(i).squaredNorm();
    }
    EXPECT_LT((dense_cost(points, neighbors, 1) - expected).cwiseAbs().maxCoeff(), 1e-14);
}

INSTANTIATE_TEST_SUITE_P(SvdAndGram, LtsaLine, ::testing::Values(Index{2}, Index{5}));

TEST(LtsaCostMatrix, VanishesWhenEachNeighbourhoodIsExactlyFitted) {
    // k = d + 1: G_i = [1/sqrt(k), V_i] is square orthogonal, so every block I - G_i G_i^T is 0.
    const datasets::Manifold roll = datasets::swiss_roll(50, 0.0, 2);
    const IndexMatrix neighbors = neighbors::k_nearest(roll.points, 3).indices;
    EXPECT_LT(dense_cost(roll.points, neighbors, 2).cwiseAbs().maxCoeff(), 1e-14);
}

TEST(LtsaCostMatrix, IsSymmetricPsdWithTheConstantInItsNullSpace) {
    const datasets::Manifold roll = datasets::swiss_roll(300, 0.05, 4);
    const Index k = 10, d = 2;
    const IndexMatrix neighbors = neighbors::k_nearest(roll.points, k).indices;
    const Eigen::MatrixXd m = dense_cost(roll.points, neighbors, d);
    expect_symmetric_psd_with_constant_null_vector(m);
    // Every block is an orthogonal projector of rank k - d - 1.
    EXPECT_NEAR(m.trace(), 300.0 * static_cast<double>(k - d - 1), 1e-10);
}

TEST(LtsaCostMatrix, SvdAndGramPathsAgreeAndIgnoreRigidMotions) {
    // The same neighbourhoods in R^3 (k > D: SVD) and rotated into R^12 (k <= D: Gram matrix).
    const datasets::Manifold curve = datasets::s_curve(400, 0.02, 6);
    const Index k = 9;
    const IndexMatrix neighbors = neighbors::k_nearest(curve.points, k).indices;
    for (Index d : {1, 2, 3}) {
        const Eigen::MatrixXd low = dense_cost(curve.points, neighbors, d);
        const Eigen::MatrixXd high = dense_cost(lift(curve.points, 12, 8), neighbors, d);
        EXPECT_LT((low - high).cwiseAbs().maxCoeff(), 1e-10) << "d = " << d;
    }
}

TEST(LtsaCostMatrix, StaysAProjectorSumOnRankDeficientNeighbourhoods) {
    // Ten copies of one point: the neighbourhoods among them have X_i = 0, so their tangent
    // space is arbitrary, but each block must still project out the constant vector.
    PointMatrix points = datasets::swiss_roll(40, 0.0, 9).points;
    for (Index i = 1; i < 10; ++i) {
        points.row(i) = points.row(0);
    }
    const IndexMatrix neighbors = neighbors::k_nearest(points, 5).indices;
    for (const PointMatrix& cloud : {points, lift(points, 8, 10)}) {
        const Eigen::MatrixXd m = dense_cost(cloud, neighbors, 2);
        expect_symmetric_psd_with_constant_null_vector(m);
        EXPECT_NEAR(m.trace(), 40.0 * 2.0, 1e-10);
    }
}

/// `n` points `c + A z` of a random d-dimensional affine plane in `R^dim`; `z` uniform.
struct Plane {
    PointMatrix points;
    Eigen::MatrixXd z;  ///< `n x d`
};

Plane random_plane(Index n, Index d, Index dim, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    Plane plane{PointMatrix(n, dim), Eigen::MatrixXd(n, d)};
    Eigen::MatrixXd basis(dim, d);
    for (Index a = 0; a < dim; ++a) {
        for (Index b = 0; b < d; ++b) {
            basis(a, b) = normal(generator);
        }
    }
    Eigen::RowVectorXd offset(dim);
    for (Index a = 0; a < dim; ++a) {
        offset(a) = normal(generator);
    }
    for (Index i = 0; i < n; ++i) {
        for (Index b = 0; b < d; ++b) {
            plane.z(i, b) = uniform(generator);
        }
    }
    plane.points = plane.z * basis.transpose();
    plane.points.rowwise() += offset;
    return plane;
}

TEST(LtsaCostMatrix, RejectsDataFlatterThanTheEmbeddingDimension) {
    // A surface in the plane z = 0 cannot support d = 3 tangent coordinates; two points lifted
    // off the plane (a few of the neighbourhoods) change nothing. Both tangent paths: R^3
    // (k > D: SVD) and rotated into R^12 (k <= D: Gram matrix).
    PointMatrix points = datasets::swiss_roll(200, 0.0, 12).points;
    points.col(2).setZero();
    points(0, 2) = 0.5;
    points(1, 2) = -0.5;
    const IndexMatrix neighbors = neighbors::k_nearest(points, 10).indices;
    for (const PointMatrix& cloud : {points, lift(points, 12, 13)}) {
        try {
            dense_cost(cloud, neighbors, 3);
            ADD_FAILURE() << "no error in R^" << cloud.cols();
        } catch (const DataError& error) {
            const std::string message = error.what();
            EXPECT_NE(message.find("points span fewer than d = 3 dimensions"), std::string::npos)
                << message;
            EXPECT_NE(message.find("LTSA"), std::string::npos) << message;
        }
        EXPECT_NO_THROW(dense_cost(cloud, neighbors, 2)) << "R^" << cloud.cols();
    }
}

TEST(LtsaCostMatrix, AnnihilatesTheCoordinatesOfAnAffinePlane) {
    // On a plane every neighbourhood's tangent space is the plane itself, and each coordinate
    // z_j restricted to N(i) lies in span(1, V_i): M z_j = 0.
    for (const auto& [d, dim] : {std::pair<Index, Index>{2, 3}, {2, 10}, {3, 5}, {1, 4}}) {
        const Plane plane = random_plane(300, d, dim, static_cast<std::uint64_t>(10 * d + dim));
        const IndexMatrix neighbors = neighbors::k_nearest(plane.points, 8).indices;
        const SparseSymmetricMatrix m = methods::ltsa_cost_matrix(plane.points, neighbors, d);
        for (Index j = 0; j < d; ++j) {
            const Eigen::VectorXd z = plane.z.col(j);
            EXPECT_LT((m * z).norm(), 1e-10 * z.norm()) << "d = " << d << ", D = " << dim;
        }
    }
}

TEST(LtsaCostMatrix, RejectsInconsistentArguments) {
    const PointMatrix points = datasets::swiss_roll(20).points;
    const IndexMatrix neighbors = neighbors::k_nearest(points, 3).indices;
    EXPECT_THROW(methods::ltsa_cost_matrix(points, neighbors, 3), ParameterError);
    EXPECT_THROW(methods::ltsa_cost_matrix(points, neighbors, 0), ParameterError);
    EXPECT_THROW(methods::ltsa_cost_matrix(points.topRows(10), neighbors, 2), ParameterError);
}

// ---- through lle::embed -----------------------------------------------------------------

Result run_ltsa(PointsView points, Index k, Index d, embedding::Solver solver) {
    Parameters parameters;
    parameters.method = Method::ltsa;
    parameters.n_neighbors = k;
    parameters.n_components = d;
    parameters.eigen_solver = solver;
    return embed(points, parameters);
}

TEST(EmbedLtsa, DenseAndSparseSolversAgree) {
    Parameters parameters;
    parameters.method = Method::ltsa;
    parameters.n_neighbors = 12;
    parameters.n_components = 2;
    for (const auto& [label, points] :
         {std::pair{"swiss roll", datasets::swiss_roll(1000, 0.0, 1).points},
          std::pair{"S-curve", datasets::s_curve(1000, 0.0, 1).points}}) {
        SCOPED_TRACE(label);
        testing::expect_solvers_agree(points, parameters);
    }
}

TEST(EmbedLtsa, RecoversThePlaneCoordinates) {
    // The embedding spans the centred plane coordinates: the affine map back is exact.
    const Plane plane = random_plane(500, 2, 6, 11);
    Eigen::MatrixXd centred = plane.z;
    centred.rowwise() -= centred.colwise().mean();
    const Result result = run_ltsa(plane.points, 10, 2, embedding::Solver::dense);
    ASSERT_TRUE(result.solver.converged) << result.solver.message;
    EXPECT_LT(testing::largest_principal_angle(result.coordinates, centred), 1e-8);
    EXPECT_LT(result.eigenvalues.cwiseAbs().maxCoeff(), 1e-12);
}

TEST(EmbedLtsa, ReportsItsPhasesWithoutWeights) {
    const Result result =
        run_ltsa(datasets::swiss_roll(200, 0.0, 3).points, 8, 2, embedding::Solver::automatic);
    ASSERT_TRUE(result.solver.converged);
    EXPECT_EQ(result.coordinates.rows(), 200);
    EXPECT_EQ(result.coordinates.cols(), 2);
    EXPECT_EQ(result.weights.nonZeros(), 0);
    std::vector<std::string> phases;
    for (const PhaseTime& phase : result.timings) {
        phases.push_back(phase.name);
    }
    EXPECT_EQ(phases,
              (std::vector<std::string>{"neighbors", "cost matrix", "eigensolve", "total"}));
}

TEST(EmbedLtsa, RequiresAtLeastTwoMoreNeighboursThanComponents) {
    // k = d + 1 makes every local block, and so M, zero.
    const PointMatrix points = datasets::swiss_roll(30).points;
    Parameters parameters;
    parameters.method = Method::ltsa;
    parameters.n_neighbors = 3;
    parameters.n_components = 2;
    try {
        embed(points, parameters);
        FAIL() << "expected ParameterError";
    } catch (const ParameterError& error) {
        const std::string message = error.what();
        for (const char* fragment : {"d (n_components)", "d < k - 1 = 2 for ltsa", "(got 2)"}) {
            EXPECT_NE(message.find(fragment), std::string::npos) << message;
        }
    }
}

}  // namespace
}  // namespace lle
