#pragma once

/// \file
/// Hessian LLE's cost matrix (Donoho & Grimes, 2003): the local Hessian estimator.

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::methods {

/// The alignment matrix of Hessian LLE, assembled sparse from per-point blocks, as
/// scikit-learn 1.2 builds it.
///
/// For each point i with neighbourhood N(i) (its k neighbours, i itself excluded): centre the
/// neighbours, take their tangent coordinates `U` (`k x d`, the leading left singular vectors),
/// build `Y = [1, U, u_a .* u_b (a <= b)]` (`k x (1 + d + d (d + 1) / 2)`), factor `Y = Q R`
/// with `Q` square, keep `W = Q_{:, d+1:k}`, and add `W W^T` to M on N(i) x N(i).
///
/// \param points     `n x D`.
/// \param neighbors  `n x k` neighbour indices, `k > d (d + 3) / 2`.
/// \param dimension  d, the embedding dimension, `1 <= d <= D`.
/// \param progress   counts the points, then the columns assembled (may be null).
/// \param tolerance  scikit-learn's `hessian_tol`: a column of `W` whose sum is at least this
///                   in magnitude is divided by its sum; the others are left as they are.
/// \return `n x n`, symmetric positive semi-definite, with the constant vector in its null
///         space. Throws ParameterError when the arguments break the rules above.
///
/// \note The paper keeps only the `d (d + 1) / 2` columns of `Q` that orthonormalise the
///       quadratic terms. scikit-learn, the reference matched here, keeps every column past
///       the first `d + 1`, so `W W^T = I - P`, with `P` the orthogonal projector onto
///       span{1, U}: the local block of LTSA (Zhang & Zha, 2004). The matrix is therefore
///       LTSA's up to rounding, and does not depend on the quadratic terms at all.
/// \note Every column of `W` is orthogonal to the constant column of `Q`, so its sum vanishes
///       up to rounding (about 1e-16): with the default `hessian_tol = 1e-4` no column is
///       normalised. A tolerance below the rounding level divides by rounding noise and gives
///       a meaningless matrix, as in scikit-learn.
/// \warning When the d-th and (d+1)-th singular values of a centred neighbourhood are equal,
///          `U` is not determined by the data, nor is the block of that neighbourhood.
SparseSymmetricMatrix hessian_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                          Index dimension, double tolerance,
                                          ProgressMeter* progress = nullptr);

/// The same for single-precision points: each neighbourhood is widened to double as it is
/// gathered, so the matrix is exactly that of the same values converted to double.
SparseSymmetricMatrix hessian_cost_matrix(PointsViewF points, const IndexMatrix& neighbors,
                                          Index dimension, double tolerance,
                                          ProgressMeter* progress = nullptr);

}  // namespace lle::methods
