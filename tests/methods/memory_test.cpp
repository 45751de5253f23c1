#include "lle/methods/memory.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/embedding/cholesky.hpp"
#include "lle/embedding/eigensolver.hpp"
#include "lle/embedding/pinned_lu.hpp"
#include "lle/methods/embed.hpp"
#include "lle/methods/standard.hpp"
#include "lle/neighbors/knn.hpp"
#include "support/errors.hpp"

namespace lle {
namespace {

TEST(FormatBytes, PicksTheUnit) {
    EXPECT_EQ(format_bytes(17), "17 B");
    EXPECT_EQ(format_bytes(1536), "1.5 KiB");
    EXPECT_EQ(format_bytes(3.0 * 1024 * 1024 * 1024), "3.0 GiB");
}

TEST(MemoryEstimate, DenseSolverCountsTheFullMatrix) {
    Parameters parameters;
    parameters.eigen_solver = embedding::Solver::dense;
    const MemoryEstimate estimate = estimate_memory(parameters, 100000, 3);
    EXPECT_EQ(estimate.solver, embedding::Solver::dense);
    // 100,000^2 doubles = 8e10 bytes, the largest item.
    EXPECT_DOUBLE_EQ(estimate.largest().bytes, 8e10);
    EXPECT_GT(estimate.peak_bytes(), 8e10);
    EXPECT_EQ(estimate.factor_bytes, 0.0);
}

TEST(MemoryEstimate, SparseSolverIsDominatedByItsFactorAndGrowsFasterThanN) {
    Parameters parameters;
    parameters.n_neighbors = 10;
    const MemoryEstimate small = estimate_memory(parameters, 100000, 3);
    const MemoryEstimate large = estimate_memory(parameters, 1000000, 3);
    EXPECT_EQ(small.solver, embedding::Solver::sparse);
    EXPECT_EQ(large.largest().bytes, large.factor_bytes);
    EXPECT_GT(large.peak_bytes(), 10.0 * small.peak_bytes());
    // The input's share follows the coordinate size: half for float.
    EXPECT_DOUBLE_EQ(estimate_memory(parameters, 1000, 784, 4).items.front().bytes,
                     0.5 * estimate_memory(parameters, 1000, 784, 8).items.front().bytes);
}

// The estimate before the run takes M's Cholesky factor at the low end of what was measured:
// at most the real factor, at small k too, where its fill is far below that at k = 10.
TEST(MemoryEstimate, TakesTheFactorAtMostAtItsRealSize) {
    const datasets::Manifold roll = datasets::swiss_roll(20000, 0.0, 0);
    for (const auto& [method, k] : {std::pair{Method::ltsa, 5}, std::pair{Method::modified, 5},
                                    std::pair{Method::hessian, 6}, std::pair{Method::ltsa, 8}}) {
        Parameters parameters;
        parameters.method = method;
        parameters.n_neighbors = k;
        const MemoryEstimate estimate = estimate_memory(parameters, 20000, 3);
        const Result result = embed(roll.points, parameters);
        ASSERT_TRUE(result.solver.converged) << result.solver.message;
        ASSERT_EQ(result.solver.factorisation, embedding::Factorisation::cholesky);
        // 8 bytes per value and 2 for the row indices' share.
        EXPECT_LE(estimate.factor_bytes / 10.0, static_cast<double>(result.solver.factor_nonzeros))
            << to_string(method) << ", k = " << k;
        EXPECT_GE(estimate.factor_bytes / 10.0,
                  0.3 * static_cast<double>(result.solver.factor_nonzeros))
            << to_string(method) << ", k = " << k;
    }
}

TEST(MemoryEstimate, AutomaticResolvesToTheSolverThatWillRun) {
    Parameters parameters;
    EXPECT_EQ(estimate_memory(parameters, 50, 3).solver, embedding::Solver::dense);
    EXPECT_EQ(estimate_memory(parameters, 5000, 3).solver, embedding::Solver::sparse);
}

// Until M is assembled the other methods hold every point's local block: 8 m^2 bytes for the m
// points it touches (the neighbours for Hessian LLE and LTSA, the point too for modified LLE).
// At k = 20 on 20,000 points the blocks set the run's peak.
TEST(MemoryEstimate, TheOtherMethodsCountTheirLocalBlocksUntilMIsAssembled) {
    Parameters parameters;
    parameters.n_neighbors = 20;
    EXPECT_TRUE(estimate_memory(parameters, 20000, 3).assembly.empty());  // standard
    for (const auto& [method, blocks] :
         {std::pair{Method::hessian, 20000.0 * 20 * 20 * 8}, std::pair{Method::ltsa, 6.4e7},
          std::pair{Method::modified, 20000.0 * 21 * 21 * 8}}) {
        parameters.method = method;
        const MemoryEstimate estimate = estimate_memory(parameters, 20000, 3);
        ASSERT_FALSE(estimate.assembly.empty());
        EXPECT_EQ(estimate.largest().what, "the local blocks");
        EXPECT_DOUBLE_EQ(estimate.largest().bytes, blocks);
        EXPECT_GT(estimate.peak_bytes(), estimate.eigensolve_bytes());
        // The points and the neighbour graph are alive at both peaks.
        EXPECT_EQ(estimate.assembly[0].what, "the points");
        EXPECT_DOUBLE_EQ(estimate.assembly[0].bytes, estimate.items[0].bytes);
        EXPECT_EQ(estimate.assembly[1].what, "the neighbour graph");
    }
}

// The neighbour search is the first peak: for 60,000 points of 784 coordinates (Fashion-MNIST's
// shape) the HNSW search's float copy of the points and its graph outweigh the eigensolve's
// estimate. With fewer points `auto` searches exactly and may do so after HNSW too, holding
// both graphs.
TEST(MemoryEstimate, CountsTheNeighbourSearch) {
    Parameters parameters;
    parameters.n_neighbors = 10;
    const MemoryEstimate fashion = estimate_memory(parameters, 60000, 784);
    EXPECT_DOUBLE_EQ(
        fashion.search_bytes,
        neighbors::hnsw_bytes(60000, 784, neighbors::hnsw_projection_min_directions, 10, {}));
    ASSERT_EQ(fashion.search.back().what, "the neighbour search");
    EXPECT_DOUBLE_EQ(fashion.search.back().bytes, fashion.search_bytes);
    EXPECT_GT(total_bytes(fashion.search), fashion.eigensolve_bytes());
    EXPECT_DOUBLE_EQ(fashion.peak_bytes(), total_bytes(fashion.search));
    EXPECT_EQ(fashion.largest().what, "the points");

    const MemoryEstimate exact = estimate_memory(parameters, 5000, 784);
    EXPECT_DOUBLE_EQ(exact.search_bytes, neighbors::search_bytes(neighbors::Algorithm::brute_force,
                                                                 5000, 784, 10, {}, 8));
    const MemoryEstimate both = estimate_memory(parameters, 20000, 30);  // no projection
    EXPECT_DOUBLE_EQ(
        both.search_bytes,
        std::max(neighbors::hnsw_bytes(20000, 30, 0, 10, {}),
                 neighbors::search_bytes(neighbors::Algorithm::brute_force, 20000, 30, 10, {}, 8) +
                     20000.0 * 10 * 16));
}

// An exact search holds a candidate list per point with room for 2 k + 33 (distance, index)
// pairs of 16 bytes: one more neighbour costs each point two more slots and one more found.
TEST(SearchBytes, GrowsWithTheCandidateListsAndTheNeighboursFound) {
    const double k10 =
        neighbors::search_bytes(neighbors::Algorithm::brute_force, 5000, 50, 10, {}, 8);
    const double k11 =
        neighbors::search_bytes(neighbors::Algorithm::brute_force, 5000, 50, 11, {}, 8);
    EXPECT_DOUBLE_EQ(k11 - k10, 5000.0 * (2 * 16 + 16));
    // The kd-tree holds no lists; float points halve the tiles.
    EXPECT_LT(neighbors::search_bytes(neighbors::Algorithm::kd_tree, 5000, 3, 10, {}, 8), k10);
    EXPECT_LT(neighbors::search_bytes(neighbors::Algorithm::brute_force, 5000, 50, 10, {}, 4), k10);
}

TEST(Embed, RefusesARunWhoseLocalBlocksExceedTheLimitBeforeAnyWork) {
    const datasets::Manifold roll = datasets::swiss_roll(2000, 0.0, 1);
    Parameters parameters;
    parameters.method = Method::hessian;
    parameters.n_neighbors = 20;
    parameters.eigen_solver = embedding::Solver::gradient;
    parameters.preconditioner = embedding::Preconditioner::none;
    const MemoryEstimate estimate = estimate_memory(parameters, 2000, 3);
    ASSERT_LT(estimate.eigensolve_bytes(), estimate.peak_bytes());
    // Room for the eigensolve but not for the blocks.
    parameters.memory_limit = 0.5 * (estimate.eigensolve_bytes() + estimate.peak_bytes());
    bool logged = false;
    parameters.log = [&](LogLevel, std::string_view) { logged = true; };
    const std::string message =
        testing::message_of<ResourceError>([&] { embed(roll.points, parameters); });
    EXPECT_NE(message.find("(the local blocks alone 6.1 MiB)"), std::string::npos) << message;
    EXPECT_FALSE(logged);  // no phase ran
}

TEST(RequireMemory, NamesTheEstimateTheLimitAndTheWayOut) {
    Parameters parameters;
    parameters.eigen_solver = embedding::Solver::dense;
    const MemoryEstimate estimate = estimate_memory(parameters, 100000, 3);
    EXPECT_NO_THROW(require_memory(estimate, 0.0, 100000));  // no limit
    EXPECT_NO_THROW(require_memory(estimate, 1e12, 100000));
    const std::string message = testing::message_of<ResourceError>(
        [&] { require_memory(estimate, 16.0 * 1024 * 1024 * 1024, 100000); });
    EXPECT_NE(message.find("dense eigensolver"), std::string::npos) << message;
    EXPECT_NE(message.find("n x n dense matrix alone 74.5 GiB"), std::string::npos) << message;
    EXPECT_NE(message.find("16.0 GiB available"), std::string::npos) << message;
    EXPECT_NE(message.find("eigen_solver = sparse"), std::string::npos) << message;
}

// The reserve for threads' stacks and BLAS's buffers is counted with the program's memory, but
// not by the lower bound the check before the run compares with the limit.
TEST(RequireMemory, LeavesTheReserveOutOfTheLowerBound) {
    Parameters parameters;
    parameters.eigen_solver = embedding::Solver::sparse;
    const MemoryEstimate bare = estimate_memory(parameters, 20000, 3);
    parameters.memory_in_use = 12.0 * 1024 * 1024;
    parameters.memory_reserve = 10.0 * 1024 * 1024;
    const MemoryEstimate estimate = estimate_memory(parameters, 20000, 3);
    EXPECT_DOUBLE_EQ(estimate.peak_bytes(), bare.peak_bytes() + 22.0 * 1024 * 1024);
    EXPECT_DOUBLE_EQ(estimate.lower_bound_bytes(), bare.peak_bytes() + 12.0 * 1024 * 1024);
    EXPECT_DOUBLE_EQ(estimate.eigensolve_bytes(), bare.eigensolve_bytes() + 22.0 * 1024 * 1024);
    EXPECT_NO_THROW(require_memory(estimate, estimate.lower_bound_bytes(), 20000));
    EXPECT_THROW(require_memory(estimate, 0.99 * estimate.lower_bound_bytes(), 20000),
                 ResourceError);
}

// The assembly of M has no check of its own after the one before the run, which leaves the
// reserve out: it is checked with the reserve before the local blocks are made.
TEST(Embed, ChecksTheAssemblyWithTheReserveBeforeMakingTheBlocks) {
    const datasets::Manifold roll = datasets::swiss_roll(2000, 0.0, 4);
    Parameters parameters;
    parameters.method = Method::hessian;
    parameters.n_neighbors = 20;
    parameters.memory_in_use = 1024.0 * 1024;
    parameters.memory_reserve = 10.0 * 1024 * 1024;
    const MemoryEstimate estimate = estimate_memory(parameters, 2000, 3);
    ASSERT_DOUBLE_EQ(estimate.peak_bytes(), estimate.assembly_bytes());  // the largest peak
    parameters.memory_limit = estimate.assembly_bytes() - 0.5 * parameters.memory_reserve;
    ASSERT_GT(parameters.memory_limit, estimate.lower_bound_bytes());  // passes the first check
    std::vector<std::string> phases;
    parameters.progress = [&phases](const Progress& progress) {
        if (progress.finished) {
            phases.emplace_back(progress.phase);
        }
    };
    const std::string message =
        testing::message_of<ResourceError>([&] { embed(roll.points, parameters); });
    EXPECT_NE(message.find("the local blocks of the points and M"), std::string::npos) << message;
    EXPECT_EQ(phases, std::vector<std::string>{"neighbors"});  // refused before the blocks

    parameters.memory_limit = estimate.assembly_bytes() + 1024.0 * 1024 * 1024;
    EXPECT_TRUE(embed(roll.points, parameters).solver.converged);
}

TEST(Embed, RefusesARunOverItsMemoryLimitBeforeAnyWork) {
    const datasets::Manifold roll = datasets::swiss_roll(2000, 0.0, 1);
    Parameters parameters;
    parameters.eigen_solver = embedding::Solver::dense;
    parameters.memory_limit = 1024.0 * 1024.0;  // the 2000 x 2000 matrix alone is 30.5 MiB
    bool logged = false;
    parameters.log = [&](LogLevel, std::string_view) { logged = true; };
    EXPECT_THROW(embed(roll.points, parameters), ResourceError);
    EXPECT_FALSE(logged);  // no phase ran

    parameters.eigen_solver = embedding::Solver::sparse;
    parameters.memory_limit = 1024.0 * 1024.0 * 1024.0;
    const Result result = embed(roll.points, parameters);
    EXPECT_TRUE(result.solver.converged);
    EXPECT_GT(result.estimated_peak_bytes, 0.0);
}

TEST(SparseSolvers, CheckTheExactFactorAgainstTheirLimit) {
    const datasets::Manifold roll = datasets::swiss_roll(2000, 0.0, 2);
    Parameters parameters;
    const Result result = embed(roll.points, parameters);
    const SparseSymmetricMatrix m = methods::standard_cost_matrix(result.weights);

    embedding::EigenOptions options;
    options.null_space = DenseMatrix::Constant(2000, 1, 1.0 / std::sqrt(2000.0));
    options.count = 2;
    options.solver = embedding::Solver::sparse;
    const Index cholesky_nonzeros =
        embedding::smallest_eigenpairs(m, options).status.factor_nonzeros;
    ASSERT_GT(cholesky_nonzeros, 0);
    embedding::detail::SupernodalCholesky probe;
    probe.analyse(m, {});
    const double analysis = embedding::detail::SupernodalCholesky::analysis_bytes(m);
    const double factor = probe.factorisation_bytes(m);
    ASSERT_LT(analysis, factor);
    // Room for the analysis but not the factor, then not even for the analysis: each is
    // checked before it allocates.
    for (const auto& [limit, what] :
         {std::pair{0.5 * (analysis + factor), "the sparse Cholesky factor of M"},
          std::pair{0.5 * analysis, "the ordering and symbolic analysis of M's Cholesky factor"}}) {
        options.memory_limit = limit;
        for (const embedding::Solver solver :
             {embedding::Solver::sparse, embedding::Solver::gradient}) {
            options.solver = solver;
            try {
                embedding::smallest_eigenpairs(m, options);
                FAIL() << "no ResourceError from " << embedding::to_string(solver);
            } catch (const ResourceError& error) {
                const std::string message = error.what();
                EXPECT_NE(message.find(std::string("not enough memory: ") + what),
                          std::string::npos)
                    << message;
                EXPECT_NE(message.find("--memory-limit"), std::string::npos) << message;
            }
        }
    }
    options.memory_limit = 10.0 * static_cast<double>(cholesky_nonzeros) * 8.0;
    options.solver = embedding::Solver::sparse;
    EXPECT_TRUE(embedding::smallest_eigenpairs(m, options).status.converged);
}

TEST(SparseSolvers, TheLuOfIMinusWChecksItsEstimatedSizeAgainstTheLimit) {
    const datasets::Manifold roll = datasets::swiss_roll(2000, 0.0, 2);
    Parameters parameters;
    const Result result = embed(roll.points, parameters);
    const SparseRowMatrix a = methods::residual_matrix(result.weights);

    embedding::EigenOptions options;
    options.null_space = DenseMatrix::Constant(2000, 1, 1.0 / std::sqrt(2000.0));
    options.count = 2;
    options.solver = embedding::Solver::sparse;
    const Index lu_nonzeros =
        embedding::smallest_eigenpairs_of_product(a, options).status.factor_nonzeros;
    ASSERT_GT(lu_nonzeros, 0);
    embedding::detail::PinnedLu probe(a);
    const double analysis = probe.analysis_bytes();
    const double factors = probe.factorisation_bytes(probe.analyse({}));
    ASSERT_LT(analysis, factors);
    // Room for the analysis but not the factors, then not even for the analysis.
    for (const auto& [limit, what] :
         {std::pair{0.5 * (analysis + factors), "the sparse LU factors of A (I - W"},
          std::pair{0.5 * analysis, "the LU ordering and symbolic analysis of A"}}) {
        options.memory_limit = limit;
        const std::string message = testing::message_of<ResourceError>(
            [&] { embedding::smallest_eigenpairs_of_product(a, options); });
        EXPECT_NE(message.find(std::string("not enough memory: ") + what), std::string::npos)
            << message;
        EXPECT_NE(message.find("--memory-limit"), std::string::npos) << message;
    }
    options.memory_limit = 10.0 * static_cast<double>(lu_nonzeros) * 8.0;
    EXPECT_TRUE(embedding::smallest_eigenpairs_of_product(a, options).status.converged);
}

}  // namespace
}  // namespace lle
