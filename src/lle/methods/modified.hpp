#pragma once

/// \file
/// Modified LLE's cost matrix (Zhang & Wang, 2006): several weight vectors per point.

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::methods {

/// The alignment matrix of modified LLE, assembled sparse from per-point blocks.
///
/// For point i, with `G_i` the `k x D` offsets of its neighbours and `C_i = G_i G_i^T`, the
/// `s_i` eigenvectors of `C_i` with the smallest eigenvalues, reflected and shifted towards
/// the regularised barycentric weights, give `s_i` weight vectors `W_i` (`k x s_i`), each
/// summing to one. `M = sum_i S_i B_i S_i^T` with `B_i = [-1^T; W_i] [-1^T; W_i]^T` over
/// point i and its neighbours, so `M` is positive semi-definite with `M 1 = 0`. `s_i` counts
/// the trailing eigendirections whose share of the local spread stays below `eta`, the median
/// over all points of that share outside the leading `d`: the points are visited twice, in
/// parallel (OpenMP). Memory beyond `M`: `n (k + 1)^2` doubles for the blocks.
///
/// Matches scikit-learn 1.2.1's `method='modified'` to rounding, with two differences:
/// scikit-learn fixes the regulariser at 1e-3 whatever its `reg` (this honours `reg`; the
/// default is the same), and where it divides by zero (a neighbourhood whose points all
/// coincide) this stays finite.
///
/// \param points     `n x D`, not copied.
/// \param neighbors  `n x k` neighbour indices; row i holds k distinct points other than i.
/// \param dimension  d, the embedding dimension: `1 <= d < k` and `d <= D`.
/// \param progress   counts the points, then the columns assembled (may be null).
/// \param reg        regularisation of the barycentric weights, relative to `trace(C_i)` (`reg`
///                   itself when the trace is 0); 0 takes the limit of small `reg`, which
///                   reconstructs `x_i` exactly whenever some weights can.
/// \param tolerance  scikit-learn's `modified_tol`: the Householder reflection that maps
///                   `V_i^T 1` to `alpha_i 1` is left out when `|alpha_i 1 - V_i^T 1|` is
///                   below it (the two already agree).
/// \return `n x n`, both triangles stored.
/// \throws ParameterError when the shapes or `d`, `reg`, `tolerance` break the rules above.
/// \note With `k <= D` a point can have `s_i = 0` and then adds nothing to `M`, as in
///       scikit-learn. For small `k` this can leave `M` with null vectors besides the constant,
///       which the sparse eigensolver must be told about; the dense solver copes.
SparseSymmetricMatrix modified_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                           Index dimension, double reg, double tolerance,
                                           ProgressMeter* progress = nullptr);

/// The same for single-precision points: each neighbourhood is widened to double as it is
/// gathered, so the matrix is exactly that of the same values converted to double.
SparseSymmetricMatrix modified_cost_matrix(PointsViewF points, const IndexMatrix& neighbors,
                                           Index dimension, double reg, double tolerance,
                                           ProgressMeter* progress = nullptr);

}  // namespace lle::methods
