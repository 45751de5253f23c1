#include "lle/methods/standard.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/embed.hpp"
#include "support/subspace.hpp"

namespace lle {
namespace {

TEST(StandardCostMatrix, HandComputed) {
    // Three points, each reconstructed from the other two with weights 1/2:
    // I - W = [1 -1/2 -1/2; -1/2 1 -1/2; -1/2 -1/2 1], M = (I - W)^2 = 3/2 (I - W).
    SparseRowMatrix w(3, 3);
    w.insert(0, 1) = 0.5;
    w.insert(0, 2) = 0.5;
    w.insert(1, 0) = 0.5;
    w.insert(1, 2) = 0.5;
    w.insert(2, 0) = 0.5;
    w.insert(2, 1) = 0.5;
    const Eigen::MatrixXd m = Eigen::MatrixXd(methods::standard_cost_matrix(w));
    Eigen::MatrixXd expected(3, 3);
    expected << 1.5, -0.75, -0.75, -0.75, 1.5, -0.75, -0.75, -0.75, 1.5;
    EXPECT_LT((m - expected).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(StandardCostMatrix, IsSymmetricWithTheConstantInItsNullSpace) {
    const datasets::Manifold roll = datasets::swiss_roll(300, 0.0, 4);
    Parameters parameters;
    parameters.n_neighbors = 8;
    const Result result = embed(roll.points, parameters);
    const SparseSymmetricMatrix m = methods::standard_cost_matrix(result.weights);
    const Eigen::MatrixXd dense = Eigen::MatrixXd(m);
    EXPECT_LT((dense - dense.transpose()).cwiseAbs().maxCoeff(), 1e-15);
    EXPECT_LT((m * Eigen::VectorXd::Ones(300)).cwiseAbs().maxCoeff(), 1e-12);
}

class EmbedSwissRoll : public ::testing::Test {
  protected:
    static Result run(embedding::Solver solver, neighbors::Algorithm algorithm) {
        const datasets::Manifold roll = datasets::swiss_roll(1000, 0.0, 1);
        Parameters parameters;
        parameters.n_neighbors = 12;
        parameters.eigen_solver = solver;
        parameters.neighbor_algorithm = algorithm;
        return embed(roll.points, parameters);
    }
};

TEST_F(EmbedSwissRoll, EverySolverAndSearchAgree) {
    const Result reference = run(embedding::Solver::dense, neighbors::Algorithm::kd_tree);
    ASSERT_TRUE(reference.solver.converged) << reference.solver.message;
    for (const auto& [solver, algorithm] :
         {std::pair{embedding::Solver::sparse, neighbors::Algorithm::kd_tree},
          std::pair{embedding::Solver::dense, neighbors::Algorithm::brute_force},
          std::pair{embedding::Solver::sparse, neighbors::Algorithm::brute_force}}) {
        const Result other = run(solver, algorithm);
        ASSERT_TRUE(other.solver.converged) << other.solver.message;
        EXPECT_EQ(other.neighbors.indices, reference.neighbors.indices);
        EXPECT_LT(testing::largest_principal_angle(reference.coordinates, other.coordinates), 1e-6);
        for (Index j = 0; j < 2; ++j) {
            EXPECT_NEAR(other.eigenvalues(j), reference.eigenvalues(j),
                        std::max(1e-6 * reference.eigenvalues(j), 1e-13));
        }
    }
}

TEST_F(EmbedSwissRoll, ResultCarriesEverything) {
    const Result result = run(embedding::Solver::automatic, neighbors::Algorithm::automatic);
    ASSERT_TRUE(result.solver.converged);
    EXPECT_EQ(result.coordinates.rows(), 1000);
    EXPECT_EQ(result.coordinates.cols(), 2);
    EXPECT_EQ(result.neighbors.indices.rows(), 1000);
    EXPECT_EQ(result.neighbors.indices.cols(), 12);
    EXPECT_EQ(result.weights.nonZeros(), 12000);
    EXPECT_NEAR(result.reconstruction_error, result.eigenvalues.sum(), 1e-20);
    EXPECT_GT(result.eigenvalues(0), 0.0);
    EXPECT_LE(result.eigenvalues(0), result.eigenvalues(1));
    // Unit-norm, mutually orthogonal, orthogonal to the constant vector.
    const Eigen::MatrixXd gram = result.coordinates.transpose() * result.coordinates;
    EXPECT_LT((gram - Eigen::MatrixXd::Identity(2, 2)).cwiseAbs().maxCoeff(), 1e-10);
    EXPECT_LT(result.coordinates.colwise().sum().cwiseAbs().maxCoeff(), 1e-8);
    std::vector<std::string> phases;
    for (const PhaseTime& phase : result.timings) {
        phases.push_back(phase.name);
        EXPECT_GE(phase.seconds, 0.0);
    }
    // The sparse solver factors I - W itself: there is no cost matrix phase.
    EXPECT_EQ(phases, (std::vector<std::string>{"neighbors", "weights", "eigensolve", "total"}));
}

TEST(EmbedTinyDegenerateGraph, EveryEigensolverMatchesTheDenseOne) {
    // Swiss rolls with k = 2 (lle embed --samples N -k 2 --seed S -d D): the neighbour lists
    // hold two closed groups of points, each listing only its own members (three points each
    // in the 20-point roll), so I - W has two null vectors and M a null vector besides the
    // constant, the first coordinate, with the next eigenvalue far above it (1.4e-4 and 0.76).
    // The sparse solver failed on all three (residuals 1.6e-6, 0.03 and 0.9 against 1e-7 and
    // 5e-8 allowed), the gradient solver on the first (LOBPCG stalled; on 8 points it hands
    // over to the dense solver), until they locked that vector.
    struct Case {
        Index points;
        std::uint64_t seed;  // of the roll and of the solvers' start
        Index dimensions;
    };
    for (const Case& run : {Case{20, 0, 2}, Case{8, 1, 1}, Case{8, 1, 2}}) {
        SCOPED_TRACE(std::to_string(run.points) + " points, seed " + std::to_string(run.seed) +
                     ", d = " + std::to_string(run.dimensions));
        const datasets::Manifold roll = datasets::swiss_roll(run.points, 0.0, run.seed);
        Parameters parameters;
        parameters.n_neighbors = 2;
        parameters.n_components = run.dimensions;
        parameters.seed = run.seed;
        parameters.eigen_solver = embedding::Solver::dense;
        const Result dense = embed(roll.points, parameters);
        ASSERT_TRUE(dense.solver.converged) << dense.solver.message;

        for (const embedding::Solver solver :
             {embedding::Solver::sparse, embedding::Solver::gradient}) {
            SCOPED_TRACE(embedding::to_string(solver));
            parameters.eigen_solver = solver;
            const Result result = embed(roll.points, parameters);
            ASSERT_TRUE(result.solver.converged) << result.solver.message;
            // LOBPCG needs three blocks beside the null space: 8 points are too few.
            const bool too_small = solver == embedding::Solver::gradient && run.points == 8;
            EXPECT_EQ(result.solver.solver, too_small ? embedding::Solver::dense : solver);
            // The eigenvalues are simple (the constant is skipped): the same coordinates, to
            // their accuracy (residual over the gap to the next; measured below 1e-8).
            EXPECT_LT(testing::largest_principal_angle(dense.coordinates, result.coordinates),
                      1e-8);
            // Rayleigh quotients agree to rounding, a few u |M| with |M|_inf = 10.9 at most.
            for (Index j = 0; j < run.dimensions; ++j) {
                EXPECT_NEAR(result.eigenvalues(j), dense.eigenvalues(j), 1e-14) << "pair " << j;
            }
            EXPECT_NEAR(result.eigenvalues(0), 0.0, 1e-14);
            // Lanczos stops once |T z - theta z| <= tol theta, T the pseudo-inverse of M, which
            // bounds |M z - lambda z| by |M| tol = 1.1e-9; LOBPCG by tol times the gap.
            EXPECT_LT(result.solver.max_residual, 1.1e-9);
        }
    }
}

TEST(EmbedWeightsSolver, GradientGivesTheClosedFormsWeightsAndEmbedding) {
    const datasets::Manifold roll = datasets::swiss_roll(1000, 0.0, 1);
    Parameters parameters;
    parameters.n_neighbors = 12;
    const Result closed = embed(roll.points, parameters);
    parameters.weights_solver = weights::Solver::gradient;
    const Result gradient = embed(roll.points, parameters);
    ASSERT_TRUE(closed.solver.converged && gradient.solver.converged);

    const SparseRowMatrix difference = gradient.weights - closed.weights;
    EXPECT_LT(Eigen::MatrixXd(difference).cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_LT(testing::largest_principal_angle(closed.coordinates, gradient.coordinates), 1e-6);

    // Steps are counted for the gradient solver only.
    EXPECT_EQ(closed.weight_iterations.mean, 0.0);
    EXPECT_EQ(closed.weight_iterations.max, 0);
    EXPECT_GE(gradient.weight_iterations.mean, 1.0);
    EXPECT_LE(gradient.weight_iterations.max, 11);
    EXPECT_EQ(gradient.weight_iterations.unconverged, 0);
}

TEST(EmbedWeightsSolver, UnconvergedPointsAreCountedNotThrown) {
    const datasets::Manifold roll = datasets::swiss_roll(500, 0.0, 2);
    Parameters parameters;
    parameters.weights_solver = weights::Solver::gradient;
    parameters.weights_max_iterations = 1;
    const Result result = embed(roll.points, parameters);
    EXPECT_GT(result.weight_iterations.unconverged, 0);
    EXPECT_GE(result.weight_iterations.first_unconverged, 0);
    EXPECT_EQ(result.weight_iterations.max, 1);
}

void expect_parameter_error(const PointMatrix& points, const Parameters& parameters,
                            const std::string& fragment) {
    try {
        embed(points, parameters);
        FAIL() << "expected ParameterError containing " << fragment;
    } catch (const ParameterError& error) {
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    }
}

TEST(Embed, ValidatesParametersBeforeAnyWork) {
    const PointMatrix points = datasets::swiss_roll(20).points;
    Parameters parameters;
    parameters.n_neighbors = 20;
    expect_parameter_error(points, parameters, "1 <= k <= n - 1 = 19 (got 20)");
    parameters.n_neighbors = 0;
    expect_parameter_error(points, parameters, "(got 0)");
    parameters.n_neighbors = 5;
    parameters.n_components = 4;
    expect_parameter_error(points, parameters, "d <= D = 3");
    parameters.n_components = 0;
    expect_parameter_error(points, parameters, "d >= 1");
    parameters.n_components = 2;
    parameters.reg = -0.5;
    expect_parameter_error(points, parameters, "reg");
}

TEST(Embed, GradientWeightsAreForStandardLleOnly) {
    const PointMatrix points = datasets::swiss_roll(40).points;
    Parameters parameters;
    parameters.weights_solver = weights::Solver::gradient;
    for (const Method method : {Method::modified, Method::hessian, Method::ltsa}) {
        parameters.method = method;
        expect_parameter_error(points, parameters,
                               "weights_solver = closed for the " + to_string(method) + " method");
        expect_parameter_error(points, parameters, "(got gradient)");
    }
    parameters.method = Method::standard;
    parameters.reg = 0.0;
    expect_parameter_error(points, parameters, "reg > 0 for the gradient weights solver");
    parameters.reg = 1e-3;
    parameters.weights_tolerance = 0.0;
    expect_parameter_error(points, parameters, "weights_tolerance");
    parameters.weights_tolerance = 1e-12;
    parameters.weights_max_iterations = 0;
    expect_parameter_error(points, parameters, "weights_max_iterations");
}

TEST(Embed, InitialCoordinatesNeedTheGradientOrAutomaticSolver) {
    const PointMatrix points = datasets::swiss_roll(200).points;
    Parameters parameters;
    parameters.initial_coordinates = DenseMatrix::Ones(200, 2);
    for (const embedding::Solver solver : {embedding::Solver::dense, embedding::Solver::sparse}) {
        parameters.eigen_solver = solver;
        const std::string name = embedding::to_string(solver);
        expect_parameter_error(points, parameters,
                               "initial coordinates (init) start the gradient eigensolver only, "
                               "and eigen_solver = " +
                                   name + " would ignore them");
        expect_parameter_error(points, parameters,
                               "use eigen_solver = gradient or auto, or give no initial "
                               "coordinates");
    }
    for (const embedding::Solver solver :
         {embedding::Solver::gradient, embedding::Solver::automatic}) {
        parameters.eigen_solver = solver;
        EXPECT_NO_THROW(validate(parameters, 200, 3)) << embedding::to_string(solver);
    }
}

TEST(Embed, RejectsNonFiniteInputNamingRowAndColumn) {
    PointMatrix points = datasets::swiss_roll(30).points;
    points(12, 1) = std::nan("");
    try {
        embed(points, Parameters{});
        FAIL() << "expected DataError";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("row 12, column 1"), std::string::npos)
            << error.what();
    }
}

TEST(Embed, ExactDuplicatesAreEmbeddedOnceWithTheirOriginal) {
    const PointMatrix distinct = datasets::swiss_roll(400, 0.0, 8).points;
    PointMatrix points(430, 3);
    points.topRows(400) = distinct;
    points.bottomRows(30) = distinct.topRows(30);  // rows 400..429 repeat rows 0..29
    Parameters parameters;
    const Result with = embed(points, parameters);
    const Result without = embed(distinct, parameters);
    EXPECT_EQ(with.duplicate_count, 30);
    ASSERT_EQ(with.coordinates.rows(), 430);
    EXPECT_EQ((with.coordinates.topRows(400) - without.coordinates).cwiseAbs().maxCoeff(), 0.0);
    EXPECT_EQ(
        (with.coordinates.bottomRows(30) - without.coordinates.topRows(30)).cwiseAbs().maxCoeff(),
        0.0);
    EXPECT_EQ(with.distinct_rows.size(), 400U);
    EXPECT_EQ(without.duplicate_count, 0);
}

TEST(Embed, FewerDistinctPointsThanKPlusOneIsADataError) {
    PointMatrix points(40, 2);
    for (Index i = 0; i < 40; ++i) {
        points.row(i) << static_cast<double>(i % 5), static_cast<double>((i % 5) * (i % 5));
    }
    Parameters parameters;
    parameters.n_neighbors = 6;
    try {
        embed(points, parameters);
        FAIL() << "no DataError";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("only 5 of the 40 points are distinct"),
                  std::string::npos)
            << error.what();
    }
}

}  // namespace
// The run asks after each phase and before each step of the eigensolve, on the calling thread,
// and stops at the first yes: after the neighbours and the weights (asks 1 and 2), at the sparse
// solver's ordering (3) and factorisation (4), at each Lanczos solve (from 5).
TEST(EmbedInterrupted, StopsAtTheFirstYesOfItsCallback) {
    const datasets::Manifold roll = datasets::swiss_roll(3000, 0.0, 4);
    for (const int stop_at : {1, 2, 3, 4, 5, 7}) {
        Parameters parameters;
        parameters.eigen_solver = embedding::Solver::sparse;
        int asked = 0;
        parameters.interrupted = [&] { return ++asked == stop_at; };
        EXPECT_THROW(embed(roll.points, parameters), Interrupted) << stop_at;
        EXPECT_EQ(asked, stop_at);
    }
    Parameters parameters;
    int asked = 0;
    parameters.interrupted = [&] { return ++asked < 0; };
    EXPECT_TRUE(embed(roll.points, parameters).solver.converged);
    EXPECT_GT(asked, 5);
}

}  // namespace lle
