#pragma once

// One check shared by every method's tests: the dense and the sparse eigensolver give the same
// embedding of the same data.

#include <gtest/gtest.h>

#include <algorithm>

#include "lle/methods/embed.hpp"
#include "support/subspace.hpp"

namespace lle::testing {

/// Embeds `points` with `parameters`, once with each eigensolver, and checks that both
/// converge, that their subspaces lie within 1e-6 rad and their eigenvalues within
/// max(1e-6 relative, 1e-13), and that the dense result is whole: `n x d` coordinates,
/// positive increasing eigenvalues that sum to the reconstruction error.
inline void expect_solvers_agree(PointsView points, Parameters parameters) {
    parameters.eigen_solver = embedding::Solver::dense;
    const Result dense = embed(points, parameters);
    parameters.eigen_solver = embedding::Solver::sparse;
    const Result sparse = embed(points, parameters);
    ASSERT_TRUE(dense.solver.converged) << dense.solver.message;
    ASSERT_TRUE(sparse.solver.converged) << sparse.solver.message;

    EXPECT_LT(largest_principal_angle(dense.coordinates, sparse.coordinates), 1e-6);
    const Index d = parameters.n_components;
    for (Index j = 0; j < d; ++j) {
        EXPECT_NEAR(sparse.eigenvalues(j), dense.eigenvalues(j),
                    std::max(1e-6 * dense.eigenvalues(j), 1e-13));
    }
    EXPECT_GT(dense.eigenvalues(0), 0.0);
    for (Index j = 1; j < d; ++j) {
        EXPECT_LE(dense.eigenvalues(j - 1), dense.eigenvalues(j));
    }
    EXPECT_NEAR(dense.reconstruction_error, dense.eigenvalues.sum(), 1e-20);
    EXPECT_EQ(dense.coordinates.rows(), points.rows());
    EXPECT_EQ(dense.coordinates.cols(), d);
}

}  // namespace lle::testing
