#pragma once

/// \file
/// Barycentric reconstruction weights: each point as an affine combination of its neighbours.

#include "lle/base/types.hpp"

namespace lle::weights {

/// Reconstruction weights of each query point from `k` of the reference points.
///
/// For query `x` with neighbours `y_1..y_k`, the weights minimise `|x - sum_j w_j y_j|^2`
/// subject to `sum_j w_j = 1`. With `G` the `k x D` matrix of rows `y_j - x` and the local
/// Gram matrix `C = G G^T`, the solution is `w = C^{-1} 1 / (1^T C^{-1} 1)`. `C` is singular
/// when `k > D` or the neighbours are affinely dependent, so `r I` is always added first, with
/// `r = reg * trace(C)`, or `r = reg` when the trace is zero (all neighbours coincide with
/// `x`). This is the regulariser of Roweis & Saul (2000) in the form scikit-learn uses.
///
/// Points are processed in parallel (OpenMP), one `k x k` Cholesky solve each.
///
/// \param queries    `m x D` points to reconstruct.
/// \param reference  `n x D` points the neighbours are taken from (may be `queries` itself).
/// \param neighbors  `m x k` indices into `reference`.
/// \param reg        regularisation, `reg >= 0`.
/// \return `m x k` weights, row `i` aligned with `neighbors` row `i`, each row summing to one.
///
/// \throws lle::DataError naming the first point whose regularised Gram matrix is not positive
///         definite, which happens only with `reg = 0` (and `k > D` or degenerate neighbours).
PointMatrix barycentric_weights(PointsView queries, PointsView reference,
                                const IndexMatrix& neighbors, double reg);

/// Scatters row-aligned weights into a sparse `m x n` matrix: entry `(i, neighbors(i, j))` is
/// `weights(i, j)`. Column indices are sorted within each row.
SparseRowMatrix to_sparse(const PointMatrix& weights, const IndexMatrix& neighbors, Index columns);

}  // namespace lle::weights
