#pragma once

/// \file
/// Standard LLE's cost matrix (Roweis & Saul, 2000).

#include "lle/base/types.hpp"

namespace lle::methods {

/// `A = I - W` for a square weight matrix `W` without diagonal entries, every entry of W's
/// pattern kept (a weight of exactly 0 too), so that A's pattern is that of the neighbour graph
/// plus the diagonal. Row i of `A Z` is `z_i - sum_j w_ij z_j`, point i's reconstruction error.
SparseRowMatrix residual_matrix(const SparseRowMatrix& weights);

/// `M = (I - W)^T (I - W)` for the `n x n` weight matrix `W`, both triangles stored.
///
/// `trace(Z^T M Z) = sum_i |z_i - sum_j w_ij z_j|^2` is the embedding cost; because each row of
/// `W` sums to one, `M 1 = 0`. The embedding itself never forms M: the sparse eigensolver
/// factors `I - W` (embedding::smallest_eigenpairs_of_product()), and forms M the same way as
/// here only where that fails.
SparseSymmetricMatrix standard_cost_matrix(const SparseRowMatrix& weights);

}  // namespace lle::methods
