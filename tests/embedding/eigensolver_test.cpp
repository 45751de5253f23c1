#include "lle/embedding/eigensolver.hpp"
#include "lle/embedding/cholesky.hpp"
#include "lle/embedding/pinned_lu.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"
#include "support/errors.hpp"
#include "support/subspace.hpp"

namespace lle::embedding {
namespace {

/// Laplacian of the path graph on n vertices: eigenvalues 2 - 2 cos(pi j / n), j = 0..n-1,
/// eigenvectors cos(pi j (i + 1/2) / n).
SparseSymmetricMatrix path_laplacian(Index n) {
    std::vector<Eigen::Triplet<double, int>> entries;
    for (Index i = 0; i < n; ++i) {
        const int row = static_cast<int>(i);
        const double degree = (i == 0 || i == n - 1) ? 1.0 : 2.0;
        entries.emplace_back(row, row, degree);
        if (i + 1 < n) {
            entries.emplace_back(row, row + 1, -1.0);
            entries.emplace_back(row + 1, row, -1.0);
        }
    }
    SparseSymmetricMatrix laplacian(n, n);
    laplacian.setFromTriplets(entries.begin(), entries.end());
    return laplacian;
}

double path_eigenvalue(Index n, Index j) {
    return 2.0 - 2.0 * std::cos(std::numbers::pi * static_cast<double>(j) / static_cast<double>(n));
}

Eigen::VectorXd path_eigenvector(Index n, Index j) {
    Eigen::VectorXd v(n);
    for (Index i = 0; i < n; ++i) {
        v(i) = std::cos(std::numbers::pi * static_cast<double>(j) * (static_cast<double>(i) + 0.5) /
                        static_cast<double>(n));
    }
    return v.normalized();
}

/// The normalised constant vector, the null vector of a graph Laplacian or an LLE cost matrix.
DenseMatrix constant_vector(Index n) {
    return DenseMatrix::Constant(n, 1, 1.0 / std::sqrt(static_cast<double>(n)));
}

/// I - W for a random row-stochastic W with a few entries per row (some points are nobody's
/// neighbour, and W is far from symmetric).
SparseRowMatrix random_residual(Index n, Index per_row, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::uniform_int_distribution<Index> column(0, n - 1);
    std::uniform_real_distribution<double> value(0.1, 1.0);
    std::vector<Eigen::Triplet<double, int>> entries;
    for (Index i = 0; i < n; ++i) {
        std::vector<double> w(static_cast<std::size_t>(per_row));
        double sum = 0.0;
        for (double& x : w) {
            x = value(generator);
            sum += x;
        }
        for (Index j = 0; j < per_row; ++j) {
            Index c = column(generator);
            if (c == i) {
                c = (c + 1) % n;
            }
            entries.emplace_back(static_cast<int>(i), static_cast<int>(c),
                                 -w[static_cast<std::size_t>(j)] / sum);
        }
        entries.emplace_back(static_cast<int>(i), static_cast<int>(i), 1.0);
    }
    SparseRowMatrix residual(n, n);
    residual.setFromTriplets(entries.begin(), entries.end());
    return residual;
}

/// I - W for W averaging the k nearest neighbours (by a full scan) of each of n random points in
/// the unit square: the pattern of standard LLE's A.
SparseRowMatrix knn_residual(Index n, Index k, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::uniform_real_distribution<double> coordinate(0.0, 1.0);
    std::vector<std::pair<double, double>> points(static_cast<std::size_t>(n));
    for (auto& [x, y] : points) {
        x = coordinate(generator);
        y = coordinate(generator);
    }
    std::vector<Eigen::Triplet<double, int>> entries;
    std::vector<std::pair<double, int>> distances;
    for (Index i = 0; i < n; ++i) {
        distances.clear();
        const auto [xi, yi] = points[static_cast<std::size_t>(i)];
        for (Index j = 0; j < n; ++j) {
            const auto [xj, yj] = points[static_cast<std::size_t>(j)];
            if (j != i) {
                distances.emplace_back((xi - xj) * (xi - xj) + (yi - yj) * (yi - yj),
                                       static_cast<int>(j));
            }
        }
        std::partial_sort(distances.begin(), distances.begin() + k, distances.end());
        entries.emplace_back(static_cast<int>(i), static_cast<int>(i), 1.0);
        for (Index p = 0; p < k; ++p) {
            entries.emplace_back(static_cast<int>(i), distances[static_cast<std::size_t>(p)].second,
                                 -1.0 / static_cast<double>(k));
        }
    }
    SparseRowMatrix residual(n, n);
    residual.setFromTriplets(entries.begin(), entries.end());
    return residual;
}

/// (I - W)^T (I - W) for random_residual(): positive semi-definite, the constant vector in
/// its null space.
SparseSymmetricMatrix random_cost_matrix(Index n, Index per_row, std::uint64_t seed) {
    const SparseRowMatrix residual = random_residual(n, per_row, seed);
    SparseSymmetricMatrix cost = residual.transpose() * residual;
    cost.makeCompressed();
    return cost;
}

/// I - W for W averaging the two neighbours of each vertex on cycles of the given lengths, side
/// by side. The eigenvalues of (I - W)^T (I - W) on a cycle of `length` vertices are
/// (1 - cos(2 pi j / length))^2, j = 0 .. length - 1, each j and length - j sharing one; each
/// cycle adds a null vector (constant on it, zero elsewhere).
SparseRowMatrix cycles_residual(const std::vector<Index>& lengths) {
    std::vector<Eigen::Triplet<double, int>> entries;
    Index first = 0;
    for (const Index length : lengths) {
        for (Index i = 0; i < length; ++i) {
            const auto row = static_cast<int>(first + i);
            entries.emplace_back(row, row, 1.0);
            entries.emplace_back(row, static_cast<int>(first + (i + 1) % length), -0.5);
            entries.emplace_back(row, static_cast<int>(first + (i + length - 1) % length), -0.5);
        }
        first += length;
    }
    SparseRowMatrix residual(first, first);
    residual.setFromTriplets(entries.begin(), entries.end());
    return residual;
}

/// cycles_residual() on `cycles` cycles of `length` vertices.
SparseRowMatrix cycle_residual(Index length, Index cycles = 1) {
    return cycles_residual(std::vector<Index>(static_cast<std::size_t>(cycles), length));
}

double cycle_eigenvalue(Index length, Index j) {
    const double a = 1.0 - std::cos(2.0 * std::numbers::pi * static_cast<double>(j) /
                                    static_cast<double>(length));
    return a * a;
}

/// Options asking for the `count` eigenpairs past the constant vector, with the dense solver's
/// answer to compare other solvers with.
struct DenseReference {
    EigenOptions options;
    EigenResult dense;
};

DenseReference dense_reference(const SparseSymmetricMatrix& cost, Index count) {
    DenseReference reference;
    reference.options.null_space = constant_vector(cost.rows());
    reference.options.count = count;
    reference.options.solver = Solver::dense;
    reference.dense = smallest_eigenpairs(cost, reference.options);
    EXPECT_TRUE(reference.dense.status.converged) << reference.dense.status.message;
    return reference;
}

class PathLaplacian : public ::testing::TestWithParam<Solver> {};

TEST_P(PathLaplacian, FindsTheKnownBottomEigenpairs) {
    const Index n = 60;
    EigenOptions options;
    options.solver = GetParam();
    options.null_space = constant_vector(n);
    options.count = 3;
    const EigenResult result = smallest_eigenpairs(path_laplacian(n), options);

    ASSERT_TRUE(result.status.converged) << result.status.message;
    EXPECT_EQ(result.status.solver, GetParam());
    for (Index j = 0; j < 3; ++j) {
        EXPECT_NEAR(result.values(j), path_eigenvalue(n, j + 1), 1e-13);
        const double alignment = std::abs(result.vectors.col(j).dot(path_eigenvector(n, j + 1)));
        EXPECT_NEAR(alignment, 1.0, 1e-10) << "eigenvector " << j + 1;
    }
    // The gradient solver stops once residual / spectral gap <= tol = 1e-10; the gap is 0.019.
    EXPECT_LT(result.status.max_residual, GetParam() == Solver::gradient ? 1e-11 : 1e-12);
    EXPECT_LT(result.status.orthogonality_error, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(EverySolver, PathLaplacian,
                         ::testing::Values(Solver::dense, Solver::sparse, Solver::gradient),
                         [](const auto& param_info) { return to_string(param_info.param); });

TEST(SmallestEigenpairs, DenseAndSparseAgreeOnACostMatrix) {
    const SparseSymmetricMatrix cost = random_cost_matrix(1200, 8, 11);
    const DenseReference reference = dense_reference(cost, 4);
    const EigenResult& dense = reference.dense;
    EigenOptions options = reference.options;
    options.solver = Solver::sparse;
    const EigenResult sparse = smallest_eigenpairs(cost, options);

    ASSERT_TRUE(sparse.status.converged) << sparse.status.message;
    for (Index j = 0; j < options.count; ++j) {
        EXPECT_NEAR(sparse.values(j), dense.values(j), 1e-10 * dense.values(j) + 1e-14);
    }
    EXPECT_LT(testing::largest_principal_angle(dense.vectors, sparse.vectors), 1e-8);
    // Lanczos at relative tolerance tol leaves residuals of about tol |A| (|A| <= 4 here).
    EXPECT_LT(dense.status.max_residual, 1e-12);
    EXPECT_LT(sparse.status.max_residual, 1e-9);
    for (const EigenResult* result : {&dense, &sparse}) {
        EXPECT_LT(result->status.orthogonality_error, 1e-12);
        // Orthogonal to the skipped null vector, the constant.
        const Eigen::VectorXd sums = result->vectors.colwise().sum();
        EXPECT_LT(sums.cwiseAbs().maxCoeff(), 1e-8);
    }
    EXPECT_GT(sparse.status.factor_nonzeros, 0);
    EXPECT_GT(sparse.status.operator_applications, 0);
    // The sparse solver ran on the Cholesky factor of M + eps I; the dense one on none.
    EXPECT_EQ(sparse.status.factorisation, Factorisation::cholesky);
    EXPECT_GT(sparse.status.shift, 0.0);
    EXPECT_EQ(dense.status.factorisation, Factorisation::none);
}

// The random cost matrices come from expander-like graphs, whose spectral gap is wide enough
// for every preconditioner of the gradient solver, the weak ones included.
class GradientSolver : public ::testing::TestWithParam<Preconditioner> {};

TEST_P(GradientSolver, AgreesWithTheDenseSolverOnACostMatrix) {
    const SparseSymmetricMatrix cost = random_cost_matrix(1200, 8, 11);
    auto [options, dense] = dense_reference(cost, 4);
    options.solver = Solver::gradient;
    options.preconditioner = GetParam();
    const EigenResult gradient = smallest_eigenpairs(cost, options);

    ASSERT_TRUE(gradient.status.converged) << gradient.status.message;
    EXPECT_EQ(gradient.status.solver, Solver::gradient);
    for (Index j = 0; j < options.count; ++j) {
        EXPECT_NEAR(gradient.values(j), dense.values(j), 1e-10 * dense.values(j) + 1e-14);
    }
    EXPECT_LT(testing::largest_principal_angle(dense.vectors, gradient.vectors), 1e-8);
    EXPECT_LT(gradient.status.max_residual, 1e-10);
    EXPECT_LT(gradient.status.orthogonality_error, 1e-12);
    EXPECT_LT(gradient.vectors.colwise().sum().cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_GT(gradient.status.iterations, 0);
    EXPECT_GT(gradient.status.operator_applications, 0);
    EXPECT_EQ(gradient.status.factor_nonzeros > 0, GetParam() == Preconditioner::cholesky);
    // The preconditioner is not the sparse solver's factorisation.
    EXPECT_EQ(gradient.status.factorisation, Factorisation::none);
}

INSTANTIATE_TEST_SUITE_P(EveryPreconditioner, GradientSolver,
                         ::testing::Values(Preconditioner::cholesky,
                                           Preconditioner::incomplete_cholesky,
                                           Preconditioner::none),
                         [](const auto& param_info) {
                             std::string name = to_string(param_info.param);
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(SmallestEigenpairs, GradientSolverStartedAtTheAnswerStopsAtOnce) {
    const SparseSymmetricMatrix cost = random_cost_matrix(1000, 6, 5);
    auto [options, dense] = dense_reference(cost, 2);
    options.solver = Solver::automatic;  // starting vectors make it the gradient solver
    options.initial = dense.vectors;
    const EigenResult warm = smallest_eigenpairs(cost, options);
    ASSERT_TRUE(warm.status.converged) << warm.status.message;
    EXPECT_EQ(warm.status.solver, Solver::gradient);
    EXPECT_EQ(warm.status.iterations, 0);
    EXPECT_EQ(warm.status.operator_applications, 0);  // the factor was never needed
    EXPECT_EQ(warm.status.factor_nonzeros, 0);
    EXPECT_LT(testing::largest_principal_angle(dense.vectors, warm.vectors), 1e-10);
}

TEST(SmallestEigenpairs, GradientSolverWarmStartSavesIterations) {
    // Unpreconditioned, the iteration count follows the start's distance from the answer.
    const SparseSymmetricMatrix cost = random_cost_matrix(1000, 6, 5);
    auto [options, dense] = dense_reference(cost, 2);
    options.solver = Solver::gradient;
    options.preconditioner = Preconditioner::none;
    const EigenResult cold = smallest_eigenpairs(cost, options);
    std::mt19937_64 generator(7);
    std::normal_distribution<double> noise(0.0, 1e-4);
    options.initial = dense.vectors.unaryExpr([&](double v) { return v + noise(generator); });
    const EigenResult warm = smallest_eigenpairs(cost, options);

    ASSERT_TRUE(cold.status.converged) << cold.status.message;
    ASSERT_TRUE(warm.status.converged) << warm.status.message;
    EXPECT_LT(warm.status.iterations, cold.status.iterations);
    EXPECT_LT(testing::largest_principal_angle(dense.vectors, warm.vectors), 1e-8);
}

TEST(SmallestEigenpairs, GradientSolverCompletesADependentStart) {
    // A start with the null vector and two parallel columns spans one useful direction.
    const SparseSymmetricMatrix cost = random_cost_matrix(1000, 6, 5);
    auto [options, dense] = dense_reference(cost, 2);
    options.solver = Solver::gradient;
    options.initial.resize(cost.rows(), 3);
    options.initial << DenseMatrix::Ones(cost.rows(), 1), dense.vectors.col(0),
        2.0 * dense.vectors.col(0);
    const EigenResult result = smallest_eigenpairs(cost, options);
    ASSERT_TRUE(result.status.converged) << result.status.message;
    EXPECT_LT(testing::largest_principal_angle(dense.vectors, result.vectors), 1e-8);
}

TEST(SmallestEigenpairs, GradientSolverStartIsScaleFreeAndIgnoresNullColumns) {
    const SparseSymmetricMatrix cost = random_cost_matrix(1000, 6, 5);
    auto [options, dense] = dense_reference(cost, 2);
    options.solver = Solver::gradient;
    for (const double scale : {1e-160, 1e300}) {
        options.initial = scale * dense.vectors;
        const EigenResult result = smallest_eigenpairs(cost, options);
        ASSERT_TRUE(result.status.converged) << result.status.message;
        EXPECT_EQ(result.status.iterations, 0) << "scale " << scale;
    }
    // Constant columns lie in the null space: the start is then random, not the null vector.
    options.initial = DenseMatrix::Constant(cost.rows(), 2, 5.0);
    const EigenResult result = smallest_eigenpairs(cost, options);
    ASSERT_TRUE(result.status.converged) << result.status.message;
    EXPECT_LT(testing::largest_principal_angle(dense.vectors, result.vectors), 1e-8);
}

TEST(SmallestEigenpairs, IterativeSolversReportTheDenseFallbackOnTinyMatrices) {
    // Lanczos needs a subspace larger than the count (n = 3 leaves none), LOBPCG three blocks.
    for (const auto& [solver, n] :
         {std::pair{Solver::sparse, 3}, std::pair{Solver::gradient, 12}}) {
        EigenOptions options;
        options.solver = solver;
        options.null_space = constant_vector(n);
        options.count = 2;
        const EigenResult result = smallest_eigenpairs(path_laplacian(n), options);
        ASSERT_TRUE(result.status.converged) << result.status.message;
        EXPECT_EQ(result.status.solver, Solver::dense) << to_string(solver);
        EXPECT_EQ(result.status.factorisation, Factorisation::none) << to_string(solver);
    }
}

TEST(SmallestEigenpairs, GradientSolverReportsNonConvergence) {
    EigenOptions options;
    options.solver = Solver::gradient;
    options.preconditioner = Preconditioner::none;
    options.null_space = constant_vector(400);
    options.count = 2;
    options.max_iterations = 3;
    const EigenResult result = smallest_eigenpairs(path_laplacian(400), options);
    EXPECT_FALSE(result.status.converged);
    EXPECT_EQ(result.status.iterations, 3);
    EXPECT_NE(result.status.message.find("LOBPCG did not converge in 3 iterations"),
              std::string::npos)
        << result.status.message;
}

TEST(SmallestEigenpairs, AutomaticFallsBackToTheNextSolverThatWorks) {
    // L - c I is indefinite: no shift up to 1e-6 of its diagonal makes it positive definite,
    // so the sparse solver and the gradient solver's Cholesky preconditioner both fail; the
    // dense solver finds its eigenpairs, path_eigenvalue - c, with the constant vector (at -c)
    // at the bottom.
    const Index n = 300;
    const double c = 0.5;
    SparseSymmetricMatrix shifted = path_laplacian(n);
    for (Index i = 0; i < n; ++i) {
        shifted.coeffRef(i, i) -= c;
    }
    EigenOptions options;
    options.null_space = constant_vector(n);
    options.count = 2;
    const EigenResult result = smallest_eigenpairs(shifted, options);
    ASSERT_TRUE(result.status.converged) << result.status.message;
    EXPECT_EQ(result.status.solver, Solver::dense);
    EXPECT_NE(result.status.fallback.find("sparse: "), std::string::npos) << result.status.fallback;
    EXPECT_NE(result.status.fallback.find("; gradient: "), std::string::npos)
        << result.status.fallback;
    for (Index j = 0; j < 2; ++j) {
        EXPECT_NEAR(result.values(j), path_eigenvalue(n, j + 1) - c, 1e-12);
    }

    // Asked for by name, a solver that fails is not replaced.
    options.solver = Solver::sparse;
    const EigenResult named = smallest_eigenpairs(shifted, options);
    EXPECT_FALSE(named.status.converged);
    EXPECT_TRUE(named.status.fallback.empty());

    // No dense fallback where its matrix would not fit the memory limit.
    options.solver = Solver::automatic;
    options.memory_limit = 8.0 * static_cast<double>(n) * static_cast<double>(n) - 1.0;
    const EigenResult limited = smallest_eigenpairs(shifted, options);
    EXPECT_FALSE(limited.status.converged);
    EXPECT_EQ(limited.status.solver, Solver::gradient);
}

TEST(SmallestEigenpairs, RejectsStartingVectorsOfTheWrongLength) {
    EigenOptions options;
    options.solver = Solver::gradient;
    options.null_space = constant_vector(50);
    options.initial = DenseMatrix::Ones(49, 2);
    EXPECT_THROW(smallest_eigenpairs(path_laplacian(50), options), ParameterError);
}

TEST(SmallestEigenpairs, SparseSolverWithoutNullSpaceOnADefiniteMatrix) {
    // L + I has eigenvalues 3 - 2 cos(pi j / n) and no null space to declare.
    const Index n = 200;
    SparseSymmetricMatrix shifted = path_laplacian(n);
    for (Index i = 0; i < n; ++i) {
        shifted.coeffRef(i, i) += 1.0;
    }
    EigenOptions options;
    options.solver = Solver::sparse;
    options.count = 3;
    const EigenResult result = smallest_eigenpairs(shifted, options);
    ASSERT_TRUE(result.status.converged) << result.status.message;
    for (Index j = 0; j < 3; ++j) {
        EXPECT_NEAR(result.values(j), 1.0 + path_eigenvalue(n, j), 1e-12);
    }
}

TEST(SmallestEigenpairs, SeedOnlyChangesTheStartNotTheAnswer) {
    const SparseSymmetricMatrix cost = random_cost_matrix(800, 6, 3);
    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(cost.rows());
    options.count = 2;
    options.seed = 1;
    const EigenResult first = smallest_eigenpairs(cost, options);
    options.seed = 99;
    const EigenResult second = smallest_eigenpairs(cost, options);
    ASSERT_TRUE(first.status.converged && second.status.converged);
    EXPECT_LT(testing::largest_principal_angle(first.vectors, second.vectors), 1e-8);
}

TEST(SmallestEigenpairs, DenseSolverWithATiedCluster) {
    // Three disconnected paths: eigenvalue 0 three times. LAPACK may return the whole cluster
    // when asked for part of it; the result must be the requested pairs and nothing else.
    const Index size = 5;
    const SparseSymmetricMatrix path = path_laplacian(size);
    std::vector<Eigen::Triplet<double, int>> entries;
    for (int copy = 0; copy < 3; ++copy) {
        for (int j = 0; j < path.outerSize(); ++j) {
            for (SparseSymmetricMatrix::InnerIterator it(path, j); it; ++it) {
                entries.emplace_back(copy * 5 + static_cast<int>(it.row()), copy * 5 + j,
                                     it.value());
            }
        }
    }
    SparseSymmetricMatrix tripled(3 * size, 3 * size);
    tripled.setFromTriplets(entries.begin(), entries.end());
    EigenOptions options;
    options.solver = Solver::dense;
    options.count = 2;
    const EigenResult result = smallest_eigenpairs(tripled, options);
    ASSERT_TRUE(result.status.converged) << result.status.message;
    ASSERT_EQ(result.values.size(), 2);
    EXPECT_NEAR(result.values(0), 0.0, 1e-14);
    EXPECT_NEAR(result.values(1), 0.0, 1e-14);
}

TEST(SmallestEigenpairs, AutomaticChoosesBySize) {
    EXPECT_EQ(choose_solver(dense_size_limit, false), Solver::dense);
    EXPECT_EQ(choose_solver(dense_size_limit, true), Solver::dense);
    EXPECT_EQ(choose_solver(dense_size_limit + 1, false), Solver::sparse);
    EXPECT_EQ(choose_solver(dense_size_limit + 1, true), Solver::gradient);
    EigenOptions options;
    options.count = 1;
    EXPECT_EQ(smallest_eigenpairs(path_laplacian(30), options).status.solver, Solver::dense);
}

TEST(SmallestEigenpairs, RejectsMoreEigenpairsThanTheOrder) {
    EigenOptions options;
    options.null_space = constant_vector(5);
    options.count = 5;
    try {
        smallest_eigenpairs(path_laplacian(5), options);
        FAIL() << "expected ParameterError";
    } catch (const ParameterError& error) {
        EXPECT_NE(std::string(error.what()).find("s + count <= n = 5"), std::string::npos)
            << error.what();
    }
}

TEST(SmallestEigenpairs, SparseSolverReportsAnIndefiniteMatrix) {
    // -L is negative semi-definite: no shift makes -L + eps I positive definite.
    const SparseSymmetricMatrix negative = -path_laplacian(100);
    EigenOptions options;
    options.solver = Solver::sparse;
    options.count = 2;
    const EigenResult result = smallest_eigenpairs(negative, options);
    EXPECT_FALSE(result.status.converged);
    EXPECT_NE(result.status.message.find("not positive semi-definite"), std::string::npos)
        << result.status.message;
}

TEST(ProductSolver, FindsTheKnownBottomPairsOfACycle) {
    const Index n = 200;
    const SparseRowMatrix a = cycle_residual(n);
    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(n);
    options.count = 4;
    const EigenResult result = smallest_eigenpairs_of_product(a, options);

    ASSERT_TRUE(result.status.converged) << result.status.message;
    EXPECT_EQ(result.status.solver, Solver::sparse);
    EXPECT_TRUE(result.status.fallback.empty()) << result.status.fallback;
    EXPECT_GT(result.status.factor_nonzeros, 0);
    EXPECT_EQ(result.status.factorisation, Factorisation::lu);
    EXPECT_EQ(result.status.shift, 0.0);
    for (Index j = 0; j < 4; ++j) {
        const double expected = cycle_eigenvalue(n, 1 + j / 2);
        EXPECT_NEAR(result.values(j), expected, 1e-10 * expected) << j;
    }
    // The first pair spans cos and sin of 2 pi i / n.
    DenseMatrix harmonics(n, 2);
    for (Index i = 0; i < n; ++i) {
        const double angle =
            2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
        harmonics(i, 0) = std::cos(angle);
        harmonics(i, 1) = std::sin(angle);
    }
    EXPECT_LT(testing::largest_principal_angle(harmonics, result.vectors.leftCols(2)), 1e-8);
    EXPECT_LT(result.status.orthogonality_error, 1e-12);
}

TEST(ProductSolver, AgreesWithTheDenseSolverOnTheProduct) {
    // W far from symmetric: A's left null vector is not the constant, and some points are in
    // no other point's row, where a pin would leave the matrix singular.
    const SparseRowMatrix a = random_residual(1200, 8, 11);
    const SparseSymmetricMatrix cost = random_cost_matrix(1200, 8, 11);
    const DenseReference reference = dense_reference(cost, 4);
    EigenOptions options = reference.options;
    options.solver = Solver::sparse;
    std::vector<std::string> remarks;
    options.log = [&](LogLevel, std::string_view message) { remarks.emplace_back(message); };
    const EigenResult product = smallest_eigenpairs_of_product(a, options);
    options.log = nullptr;
    // The LU served (its log names the nonzeros in L and U).
    EXPECT_TRUE(std::any_of(remarks.begin(), remarks.end(), [](const std::string& remark) {
        return remark.find("nonzeros in L and U") != std::string::npos;
    }));

    ASSERT_TRUE(product.status.converged) << product.status.message;
    EXPECT_TRUE(product.status.fallback.empty()) << product.status.fallback;
    EXPECT_EQ(product.status.factorisation, Factorisation::lu);
    for (Index j = 0; j < options.count; ++j) {
        EXPECT_NEAR(product.values(j), reference.dense.values(j),
                    1e-10 * reference.dense.values(j) + 1e-14);
    }
    EXPECT_LT(testing::largest_principal_angle(reference.dense.vectors, product.vectors), 1e-8);
    EXPECT_LT(product.status.max_residual, 1e-9);
    EXPECT_LT(product.vectors.colwise().sum().cwiseAbs().maxCoeff(), 1e-8);

    // And with the Cholesky factor of the formed product, the other sparse path.
    const EigenResult cholesky = smallest_eigenpairs(cost, options);
    ASSERT_TRUE(cholesky.status.converged) << cholesky.status.message;
    EXPECT_LT(testing::largest_principal_angle(cholesky.vectors, product.vectors), 1e-8);
}

TEST(ProductSolver, HandsAnUnknownNullVectorToTheCholeskyFactor) {
    // Two separate cycles: A has two null vectors, only the constant is given. The LU pinned
    // once is singular; the Cholesky factor of M + eps I returns the other null vector with
    // eigenvalue 0, as the dense solver does.
    const SparseRowMatrix a = cycle_residual(100, 2);
    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(200);
    options.count = 2;
    const EigenResult result = smallest_eigenpairs_of_product(a, options);

    ASSERT_TRUE(result.status.converged) << result.status.message;
    EXPECT_NE(result.status.fallback.find("LU of A"), std::string::npos) << result.status.fallback;
    EXPECT_EQ(result.status.solver, Solver::sparse);
    EXPECT_EQ(result.status.factorisation, Factorisation::cholesky);
    EXPECT_LT(std::abs(result.values(0)), 1e-12);
    EXPECT_NEAR(result.values(1), cycle_eigenvalue(100, 1), 1e-10 * cycle_eigenvalue(100, 1));
    // The null vector tells the cycles apart: +1 on one, -1 on the other (normalised).
    const Eigen::VectorXd split = result.vectors.col(0);
    EXPECT_NEAR(std::abs(split.head(100).sum() - split.tail(100).sum()), std::sqrt(200.0), 1e-8);
}

TEST(ProductSolver, NamesNoFactorisationForTheDenseAndGradientSolvers) {
    const Index n = 200;
    const SparseRowMatrix a = cycle_residual(n);
    for (const Solver solver : {Solver::dense, Solver::gradient}) {
        EigenOptions options;
        options.solver = solver;
        options.null_space = constant_vector(n);
        options.count = 2;
        const EigenResult result = smallest_eigenpairs_of_product(a, options);
        ASSERT_TRUE(result.status.converged) << result.status.message;
        EXPECT_EQ(result.status.solver, solver);
        EXPECT_EQ(result.status.factorisation, Factorisation::none) << to_string(solver);
        EXPECT_NEAR(result.values(0), cycle_eigenvalue(n, 1), 1e-9 * cycle_eigenvalue(n, 1));
    }
    EXPECT_EQ(to_string(Factorisation::none), "none");
    EXPECT_EQ(to_string(Factorisation::lu), "lu");
    EXPECT_EQ(to_string(Factorisation::cholesky), "cholesky");
}

TEST(ResolvedPairs, KeepsThePairsWithinTheSpreadOfTheSmallestInTheInverse) {
    // lambda_j + eps against resolvable_spread = 1e6 times lambda_0 + eps.
    using detail::resolved_pairs;
    EXPECT_EQ(resolved_pairs(Eigen::Vector3d(1e-10, 1e-5, 1e-3), 0.0), 2);  // 1e-3 > 1e-4
    EXPECT_EQ(resolved_pairs(Eigen::Vector3d(1e-10, 1e-5, 1e-4), 0.0), 3);
    // A null vector with the shift 1e-14: the bound is 1e-8.
    EXPECT_EQ(resolved_pairs(Eigen::Vector2d(0.0, 1e-4), 1e-14), 1);
    EXPECT_EQ(resolved_pairs(Eigen::Vector2d(0.0, 9e-9), 1e-14), 2);
    // Rounding below zero: -2e-16 + 1e-14 = 9.8e-15, the bound 9.8e-9.
    EXPECT_EQ(resolved_pairs(Eigen::Vector3d(-2e-16, 1e-15, 9e-9), 1e-14), 3);
    EXPECT_EQ(resolved_pairs(Eigen::Vector3d(-2e-16, 1e-15, 1e-8), 1e-14), 2);
    EXPECT_EQ(resolved_pairs(Eigen::VectorXd::Constant(1, 5.0), 1e-14), 1);
}

/// The solver paths that apply (M + eps I)^{-1}: shift-invert Lanczos and LOBPCG on M, and the
/// LU of A, whose pinned factor is singular here and which hands over to M's Cholesky factor.
enum class FactoredPath { shift_invert, gradient, product };

class UnknownNullVector : public ::testing::TestWithParam<FactoredPath> {};

TEST_P(UnknownNullVector, IsLockedAndThePairsAboveItMatchTheDenseSolver) {
    // Cycles of 12 and 40 vertices: A = I - W has two null vectors, only the constant is given.
    // The other, s (1/12 on the first cycle, -1/40 on the second, normalised), takes the
    // eigenvalue 1/eps of (M + eps I)^{-1}, eps = 1e-14 * 1.5 (M's diagonal), 1e10 times that
    // of the next pair, (1 - cos(2 pi / 40))^2 = 1.5e-4 (twice: cos and sin on the second
    // cycle). Before locking, shift-invert returned a residual of 2.1e-6 for count 3 (4e-8
    // allowed), and LOBPCG stalled at 1.3e-11 and 2.2e-11 for counts 2 and 3.
    const Index n = 52;
    const SparseRowMatrix a = cycles_residual({12, 40});
    SparseSymmetricMatrix m = a.transpose() * a;
    m.makeCompressed();
    Eigen::VectorXd split(n);
    DenseMatrix expected_span = DenseMatrix::Zero(n, 3);
    for (Index i = 0; i < n; ++i) {
        split(i) = i < 12 ? 1.0 / 12.0 : -1.0 / 40.0;
    }
    expected_span.col(0) = split.normalized();
    for (Index i = 0; i < 40; ++i) {
        const double angle = 2.0 * std::numbers::pi * static_cast<double>(i) / 40.0;
        expected_span(12 + i, 1) = std::cos(angle);
        expected_span(12 + i, 2) = std::sin(angle);
    }
    const double next = cycle_eigenvalue(40, 1);

    for (Index count = 1; count <= 3; ++count) {
        SCOPED_TRACE("count " + std::to_string(count));
        EigenOptions options;
        options.null_space = constant_vector(n);
        options.count = count;
        options.solver = Solver::dense;
        const EigenResult dense = smallest_eigenpairs(m, options);
        ASSERT_TRUE(dense.status.converged) << dense.status.message;

        options.solver = GetParam() == FactoredPath::gradient ? Solver::gradient : Solver::sparse;
        std::vector<std::string> remarks;
        options.log = [&](LogLevel, std::string_view message) { remarks.emplace_back(message); };
        const EigenResult result = GetParam() == FactoredPath::product
                                       ? smallest_eigenpairs_of_product(a, options)
                                       : smallest_eigenpairs(m, options);
        ASSERT_TRUE(result.status.converged) << result.status.message;
        EXPECT_EQ(result.status.solver, options.solver);
        // M's Cholesky factor served every pair above the null vector. Alone, the null vector
        // may also come from the LU pinned once, numerically nonsingular, as the top pair of
        // its huge inverse; the checks below hold either way.
        if (count > 1 || GetParam() != FactoredPath::product) {
            EXPECT_GT(result.status.shift, 0.0);
        }

        // Locked whenever a pair above the null vector is wanted.
        const bool locked = std::any_of(remarks.begin(), remarks.end(), [](const auto& remark) {
            return remark.find("locking 1 eigenpair(s)") != std::string::npos;
        });
        EXPECT_EQ(locked, count > 1);

        // Eigenvalues 0 then 1.5e-4: a Rayleigh quotient is off by |r|^2 / gap (below 1e-20
        // here) plus the rounding of z^T M z, about u |M| (|M| <= 4): 1e-14 covers both, and
        // the dense solver's own values, 1e-15 from the exact ones.
        for (Index j = 0; j < count; ++j) {
            const double exact = j == 0 ? 0.0 : next;
            EXPECT_NEAR(result.values(j), exact, 1e-14) << "pair " << j;
            EXPECT_NEAR(result.values(j), dense.values(j), 1e-14) << "pair " << j;
        }
        // The eigenspaces are those of the dense solver and the exact ones: the split first,
        // then (count 3) the whole pair of harmonics on the second cycle.
        EXPECT_LT(std::abs(std::abs(result.vectors.col(0).dot(expected_span.col(0))) - 1.0), 1e-12);
        if (count == 3) {
            EXPECT_LT(testing::largest_principal_angle(expected_span, result.vectors), 1e-8);
            EXPECT_LT(testing::largest_principal_angle(dense.vectors, result.vectors), 1e-8);
        }
        // Far inside the check's 1e-8 |M|: Lanczos at relative tolerance tol = 1e-10 leaves
        // residuals of about tol |M| (|M| <= 4), LOBPCG stops at tol times the gap to the pair
        // after its wanted ones (at most 2.4e-3 here).
        EXPECT_LT(result.status.max_residual, GetParam() == FactoredPath::gradient ? 1e-11 : 1e-9);
        EXPECT_LT(result.status.orthogonality_error, 1e-12);
    }
}

INSTANTIATE_TEST_SUITE_P(EveryFactoredPath, UnknownNullVector,
                         ::testing::Values(FactoredPath::shift_invert, FactoredPath::gradient,
                                           FactoredPath::product),
                         [](const auto& param_info) {
                             switch (param_info.param) {
                                 case FactoredPath::shift_invert:
                                     return std::string("shift_invert");
                                 case FactoredPath::gradient:
                                     return std::string("gradient");
                                 case FactoredPath::product:
                                     break;
                             }
                             return std::string("product");
                         });

TEST(ProductSolver, FactorsMWhenTheLuWouldHaveDenseFronts) {
    // A random graph (an expander) has no small separators: the LU of A fills in almost
    // completely, its fronts are dense, and the solver hands the work to M's Cholesky factor.
    const Index n = 3000;
    const SparseRowMatrix a = random_residual(n, 8, 5);
    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(n);
    options.count = 2;
    std::vector<std::string> remarks;
    options.log = [&](LogLevel, std::string_view message) { remarks.emplace_back(message); };
    const EigenResult product = smallest_eigenpairs_of_product(a, options);

    ASSERT_TRUE(product.status.converged) << product.status.message;
    EXPECT_TRUE(product.status.fallback.empty()) << product.status.fallback;
    EXPECT_TRUE(std::any_of(remarks.begin(), remarks.end(), [](const std::string& remark) {
        return remark.find("dense fronts") != std::string::npos;
    }));
    EXPECT_EQ(product.status.factorisation, Factorisation::cholesky);
    options.log = nullptr;
    const SparseSymmetricMatrix cost = random_cost_matrix(n, 8, 5);
    const EigenResult cholesky = smallest_eigenpairs(cost, options);
    ASSERT_TRUE(cholesky.status.converged) << cholesky.status.message;
    EXPECT_EQ(product.status.factor_nonzeros, cholesky.status.factor_nonzeros);
    EXPECT_LT(testing::largest_principal_angle(cholesky.vectors, product.vectors), 1e-8);
}

// CHOLMOD counts every byte it allocates: the peaks of its analysis and of its factorisation
// must stay under the estimates the memory limit is checked against before each, on a cycle (a
// thin factor) and on an expander (dense supernodes full of explicit zeros, where the nonzero
// count alone missed half of the memory).
TEST(SupernodalCholesky, ItsEstimatesBoundCholmodsPeaks) {
    const SparseRowMatrix cycle = cycle_residual(3000);
    const std::vector<SparseSymmetricMatrix> matrices = {cycle.transpose() * cycle,
                                                         random_cost_matrix(3000, 8, 5)};
    for (const SparseSymmetricMatrix& matrix : matrices) {
        detail::SupernodalCholesky factor;
        factor.analyse(matrix, EigenOptions{});
        const double analysis = detail::SupernodalCholesky::analysis_bytes(matrix);
        const auto analysis_peak = static_cast<double>(factor.cholmod().memory_usage);
        EXPECT_LE(analysis_peak, analysis);
        EXPECT_GE(analysis_peak, 0.5 * analysis);
        const double estimate = factor.factorisation_bytes(matrix);
        factor.setShift(1e-10);
        factor.factorize(matrix);
        ASSERT_EQ(factor.info(), Eigen::Success);
        const auto peak = static_cast<double>(factor.cholmod().memory_usage);
        EXPECT_LE(peak, estimate) << factor.nonzeros() << " nonzeros";
        EXPECT_GE(peak, 0.5 * estimate) << factor.nonzeros() << " nonzeros";
    }
}

// Where the LU of A has dense fronts the solver forms M and factors it: both count against the
// limit, which the LU's estimate alone passes.
TEST(ProductSolver, CountsMAndItsFactorAgainstTheLimitWhenItHandsOver) {
    const Index n = 3000;
    const SparseRowMatrix a = random_residual(n, 8, 5);
    const SparseSymmetricMatrix m = a.transpose() * a;
    detail::SupernodalCholesky factor;
    factor.analyse(m, EigenOptions{});
    const double factor_bytes = factor.factorisation_bytes(m);
    const double m_bytes = 12.0 * static_cast<double>(m.nonZeros()) + 4.0 * (n + 1.0);

    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(n);
    options.count = 2;
    options.memory_limit = factor_bytes + 0.5 * m_bytes;  // the factor, not M beside it
    const std::string message =
        testing::message_of<ResourceError>([&] { smallest_eigenpairs_of_product(a, options); });
    EXPECT_NE(message.find("not enough memory"), std::string::npos);
    options.memory_limit = factor_bytes + m_bytes + 1.0;
    EXPECT_TRUE(smallest_eigenpairs_of_product(a, options).status.converged);
}

// The nonzeros of M = A^T A, counted from A's pattern alone, are those of the product: on a
// hand-made A, where an entry of M is structurally zero (no row of A holds both columns) and
// one cancels to an explicit zero, then on random and k-nearest-neighbour matrices against
// Eigen's product, which keeps every structural entry. form_product() forms the same matrix.
TEST(ProductMatrix, CountsAndFormsTheNonzerosOfATransposeA) {
    // Rows (1, 1, 0), (0, 1, -1), (0, 0, 2): M = [1 1 0; 1 2 -1; 0 -1 5], with M_02 = 0 for
    // want of a row with entries in columns 0 and 2: 7 nonzeros.
    SparseRowMatrix chain(3, 3);
    const std::vector<Eigen::Triplet<double, int>> chain_entries = {
        {0, 0, 1.0}, {0, 1, 1.0}, {1, 1, 1.0}, {1, 2, -1.0}, {2, 2, 2.0}};
    chain.setFromTriplets(chain_entries.begin(), chain_entries.end());
    EXPECT_EQ(detail::product_nonzeros(chain), 7);
    const SparseSymmetricMatrix m = detail::form_product(chain, EigenOptions{});
    Eigen::Matrix3d expected;
    expected << 1, 1, 0, 1, 2, -1, 0, -1, 5;
    EXPECT_EQ(m.nonZeros(), 7);
    EXPECT_EQ(DenseMatrix(m), expected);

    // Rows (1, 1), (1, -1): M = 2 I, its off-diagonal entries 1 - 1 = 0 stored all the same.
    SparseRowMatrix rotation(2, 2);
    const std::vector<Eigen::Triplet<double, int>> rotation_entries = {
        {0, 0, 1.0}, {0, 1, 1.0}, {1, 0, 1.0}, {1, 1, -1.0}};
    rotation.setFromTriplets(rotation_entries.begin(), rotation_entries.end());
    EXPECT_EQ(detail::product_nonzeros(rotation), 4);
    const SparseSymmetricMatrix scaled = detail::form_product(rotation, EigenOptions{});
    EXPECT_EQ(scaled.nonZeros(), 4);
    EXPECT_EQ(DenseMatrix(scaled), 2.0 * DenseMatrix::Identity(2, 2));

    for (const SparseRowMatrix& a :
         {random_residual(500, 6, 3), knn_residual(800, 10, 4), chain, rotation}) {
        const SparseSymmetricMatrix product = a.transpose() * a;
        EXPECT_EQ(detail::product_nonzeros(a), product.nonZeros());
        const SparseSymmetricMatrix formed = detail::form_product(a, EigenOptions{});
        ASSERT_EQ(formed.nonZeros(), product.nonZeros());
        // The same pattern, column by column, and the same values to rounding.
        for (Index j = 0; j < a.cols(); ++j) {
            SparseSymmetricMatrix::InnerIterator expected_entry(product, j);
            for (SparseSymmetricMatrix::InnerIterator entry(formed, j); entry;
                 ++entry, ++expected_entry) {
                ASSERT_TRUE(expected_entry);
                EXPECT_EQ(entry.row(), expected_entry.row());
                EXPECT_NEAR(entry.value(), expected_entry.value(), 1e-14);
            }
            EXPECT_FALSE(expected_entry);
        }
    }
}

// The arrays that count M's nonzeros are checked against the limit before they are allocated.
TEST(ProductMatrix, ChecksTheCountingBeforeAllocatingIt) {
    EigenOptions options;
    options.memory_limit = 1000.0;
    const std::string message = testing::message_of<ResourceError>(
        [&] { detail::form_product(knn_residual(800, 10, 4), options); });
    EXPECT_NE(message.find("not enough memory: counting the nonzeros of the cost matrix M = A^T A"),
              std::string::npos)
        << message;
}

// Where the LU hands over to M, M's size is checked from its count before M is formed: a limit
// that admits the LU's analysis but not M and the work of forming it stops the run there, with
// a message naming M and that size (M's entries, 12 bytes each, and column starts; A's pattern
// by columns, a marker per row, a running sum per row).
TEST(ProductSolver, ChecksMBeforeFormingItWhereTheLuHandsOver) {
    const Index n = 3000;
    const SparseRowMatrix a = random_residual(n, 8, 5);  // the LU's fronts are dense
    const auto order = static_cast<double>(n);
    const auto m_nonzeros = static_cast<double>(detail::product_nonzeros(a));
    const double m_bytes = 12.0 * m_nonzeros + 4.0 * (order + 1.0);
    const double forming_bytes =
        m_bytes + 4.0 * (static_cast<double>(a.nonZeros()) + order + 1.0) + 12.0 * order;
    detail::PinnedLu lu(a);
    ASSERT_LT(lu.analysis_bytes(), m_bytes);

    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(n);
    options.count = 2;
    options.memory_limit = m_bytes;
    const std::string message =
        testing::message_of<ResourceError>([&] { smallest_eigenpairs_of_product(a, options); });
    EXPECT_NE(
        message.find("the cost matrix M = A^T A would take about " + format_bytes(forming_bytes)),
        std::string::npos)
        << message;
}

// The LU's analysis is checked before it runs against a bound from A's shape, which must hold
// UMFPACK's own count of the analysis' peak on the matrices the solver meets (k-nearest-
// neighbour patterns, nearly symmetric), on random ones and on cycles (the thinnest factor);
// and the factorisation's estimate must hold UMFPACK's count of its peak (the resident memory
// it adds was measured too: see PinnedLu::factorisation_bytes()).
// The analysis of A's pattern, done beforehand, gives the same factor and the same answer as
// the analysis of A itself, and calls none of the callbacks (it may run on another thread).
TEST(ProductSolver, AnalysisOfThePatternAloneServesA) {
    const SparseRowMatrix a = random_residual(1500, 8, 4);
    SparseRowMatrix pattern = a;
    pattern.coeffs().setConstant(2.5);  // other values, the same pattern
    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(a.rows());
    options.count = 3;
    Index calls = 0;
    options.log = [&calls](LogLevel, std::string_view) { ++calls; };
    options.progress = [&calls](const Progress&) { ++calls; };
    options.interrupted = [&calls] {
        ++calls;
        return false;
    };
    ProductAnalysis analysis = analyse_product(pattern, options);
    EXPECT_EQ(calls, 0);

    const EigenResult analysed = smallest_eigenpairs_of_product(a, options, std::move(analysis));
    const EigenResult direct = smallest_eigenpairs_of_product(a, options);
    ASSERT_TRUE(analysed.status.converged) << analysed.status.message;
    EXPECT_EQ(analysed.status.factorisation, Factorisation::lu);
    EXPECT_EQ(analysed.status.factor_nonzeros, direct.status.factor_nonzeros);
    EXPECT_EQ(analysed.status.operator_applications, direct.status.operator_applications);
    EXPECT_EQ(analysed.values, direct.values);
    EXPECT_EQ(analysed.vectors, direct.vectors);
}

TEST(ProductSolver, RejectsAnAnalysisOfAnotherPattern) {
    const SparseRowMatrix a = random_residual(600, 8, 4);
    EigenOptions options;
    options.solver = Solver::sparse;
    options.null_space = constant_vector(a.rows());
    options.count = 2;
    for (const SparseRowMatrix& other : {random_residual(600, 8, 5), random_residual(600, 7, 4)}) {
        EXPECT_THROW(smallest_eigenpairs_of_product(a, options, analyse_product(other, options)),
                     ParameterError);
    }
}

// Where the LU would not run (the dense solver, no null space), there is nothing to analyse;
// the answer is that of the solver without it. A limit below the analysis's bound stops it.
TEST(ProductSolver, AnalysesOnlyForTheLuAndWithinTheLimit) {
    const SparseRowMatrix a = cycle_residual(300);
    EigenOptions options;
    options.solver = Solver::dense;
    options.null_space = constant_vector(a.rows());
    options.count = 2;
    const EigenResult dense =
        smallest_eigenpairs_of_product(a, options, analyse_product(a, options));
    ASSERT_TRUE(dense.status.converged) << dense.status.message;
    EXPECT_EQ(dense.status.solver, Solver::dense);
    EXPECT_NEAR(dense.values(0), cycle_eigenvalue(300, 1), 1e-9 * cycle_eigenvalue(300, 1));

    options.solver = Solver::sparse;
    options.memory_limit = 0.9 * detail::PinnedLu(a).analysis_bytes();
    EXPECT_THROW(analyse_product(a, options), ResourceError);
}

TEST(PinnedLu, ItsBoundsHoldUmfpacksCountsOfItsPeaks) {
    for (const SparseRowMatrix& a :
         {knn_residual(2000, 10, 3), knn_residual(6000, 10, 6), knn_residual(2000, 5, 1),
          random_residual(2000, 20, 8), cycle_residual(2000), cycle_residual(20000)}) {
        detail::PinnedLu lu(a);
        const detail::PinnedLu::Estimate estimate = lu.analyse(EigenOptions{});
        EXPECT_LE(estimate.peak_bytes, lu.analysis_bytes());
        EXPECT_GE(estimate.peak_bytes, 0.5 * lu.analysis_bytes());
        // Pinned at the row most others refer to, where the left null vector is large.
        const Eigen::RowVectorXd incoming = Eigen::RowVectorXd::Ones(a.rows()) * a.cwiseAbs();
        Index pin = 0;
        incoming.maxCoeff(&pin);
        ASSERT_TRUE(lu.factor({}, {pin}));
        EXPECT_LE(lu.numeric_peak_bytes(), lu.factorisation_bytes(estimate));
    }

    detail::PinnedLu lu(knn_residual(2000, 10, 3));
    EigenOptions options;
    options.memory_limit = 0.9 * lu.analysis_bytes();
    const std::string message = testing::message_of<ResourceError>([&] { lu.analyse(options); });
    EXPECT_NE(message.find("the LU ordering and symbolic analysis of A"), std::string::npos)
        << message;
}

// The analysis is checked before it runs: a limit below its bound stops it.
TEST(SupernodalCholesky, ChecksItsAnalysisBeforeRunningIt) {
    const SparseSymmetricMatrix matrix = random_cost_matrix(3000, 8, 5);
    EigenOptions options;
    options.memory_limit = 0.9 * detail::SupernodalCholesky::analysis_bytes(matrix);
    detail::SupernodalCholesky factor;
    const std::string message =
        testing::message_of<ResourceError>([&] { factor.analyse(matrix, options); });
    EXPECT_NE(message.find("the ordering and symbolic analysis of M's Cholesky factor"),
              std::string::npos)
        << message;
}

}  // namespace
}  // namespace lle::embedding
