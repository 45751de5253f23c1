#pragma once

/// \file
/// Barycentric reconstruction weights: each point as an affine combination of its neighbours.

#include <string>

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::weights {

/// How the weights of each point are found. Both solvers give the same weights, to rounding
/// (the tests hold them to 1e-8 of each other and of scikit-learn).
enum class Solver {
    closed,    ///< `w = C^{-1} 1 / 1^T C^{-1} 1`: one `k x k` Cholesky solve per point
    gradient,  ///< projected conjugate gradient on `w^T C w` within `sum(w) = 1`
};

/// Lower-case name of a solver, as the command line spells it.
std::string to_string(Solver solver);

/// What to compute and, for the gradient solver, how hard to try.
struct WeightsOptions {
    Solver solver = Solver::closed;
    double reg = 1e-3;  ///< regularisation, relative to `trace(C)`; `> 0` for `gradient`
    /// Gradient solver: a point has converged when its projected gradient, with `C` scaled to
    /// unit trace, is below this fraction of the gradient's natural size, `|P g| <= tolerance
    /// * 2 |w|`. The weights are then within about `tolerance / reg` of the exact ones
    /// (relative to `|w|`). `0 < tolerance <= 1`.
    double tolerance = 1e-12;
    /// Gradient solver: most steps per point (`>= 1`). A point that reaches it before the
    /// tolerance is counted in IterationSummary::unconverged, not thrown.
    Index max_iterations = 1000;
    /// Counts the points done (may be null). Not owned.
    ProgressMeter* progress = nullptr;
};

/// The gradient solver's iteration counts over all points; all zero for the closed form.
struct IterationSummary {
    double mean = 0.0;             ///< mean steps per point
    Index max = 0;                 ///< most steps any point took
    Index unconverged = 0;         ///< points stopped by `max_iterations` short of the tolerance
    Index first_unconverged = -1;  ///< smallest index of such a point, -1 when there is none
};

/// The weights and how they were found.
struct WeightsResult {
    PointMatrix values;  ///< `m x k`, row `i` aligned with `neighbors` row `i`, rows sum to one
    Eigen::Matrix<Index, Eigen::Dynamic, 1> iterations;  ///< steps per point (0 for closed)
    IterationSummary summary;
};

/// Reconstruction weights of each query point from `k` of the reference points.
///
/// For query `x` with neighbours `y_1..y_k`, the weights minimise `|x - sum_j w_j y_j|^2`
/// subject to `sum_j w_j = 1`. With `G` the `k x D` matrix of rows `y_j - x` and the local
/// Gram matrix `C = G G^T`, the solution is `w = C^{-1} 1 / (1^T C^{-1} 1)`. `C` is singular
/// when `k > D` or the neighbours are affinely dependent, so `r I` is always added first, with
/// `r = reg * trace(C)`, or `r = reg` when the trace is zero (all neighbours coincide with
/// `x`). This is the regulariser of Roweis & Saul (2000) in the form scikit-learn uses.
///
/// `Solver::closed` computes that formula with a Cholesky factor of `C + r I`.
/// `Solver::gradient` minimises `E(w) = w^T (C + r I) w` from `w = 1/k` by conjugate gradient
/// steps along directions with zero sum, so that every iterate keeps `sum(w) = 1`; it ends
/// in at most `k - 1` steps in exact arithmetic, and stops at `options.tolerance`.
///
/// Points are processed in parallel (OpenMP), each thread with buffers of its own.
///
/// \param queries    `m x D` points to reconstruct.
/// \param reference  `n x D` points the neighbours are taken from (may be `queries` itself).
/// \param neighbors  `m x k` indices into `reference`.
///
/// \throws lle::ParameterError for options out of range (`reg < 0`, `reg = 0` with the
///         gradient solver, whose minimiser need not then be unique, a tolerance outside
///         (0, 1], `max_iterations < 1`) or shapes that do not match.
/// \throws lle::DataError naming the first point whose regularised Gram matrix is not positive
///         definite, which happens only with `reg = 0` (and `k > D` or degenerate neighbours).
WeightsResult barycentric_weights(PointsView queries, PointsView reference,
                                  const IndexMatrix& neighbors, const WeightsOptions& options);

/// The same for single-precision points. Each neighbourhood is widened to double as it is
/// gathered and everything from there on is computed in double, so the weights are exactly
/// those of the same values converted to double.
WeightsResult barycentric_weights(PointsViewF queries, PointsViewF reference,
                                  const IndexMatrix& neighbors, const WeightsOptions& options);

/// Checks the options alone, as barycentric_weights() does first: ParameterError naming the
/// option (`reg`, `weights_tolerance`, `weights_max_iterations`), the rule and the value.
void validate(const WeightsOptions& options);

/// Scatters row-aligned weights into a sparse `m x n` matrix: entry `(i, neighbors(i, j))` is
/// `weights(i, j)`. Column indices are sorted within each row.
SparseRowMatrix to_sparse(const PointMatrix& weights, const IndexMatrix& neighbors, Index columns);

}  // namespace lle::weights
