#pragma once

/// \file
/// Standard LLE's cost matrix (Roweis & Saul, 2000).

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::methods {

/// `M = (I - W)^T (I - W)` for the `n x n` weight matrix `W`.
///
/// `trace(Z^T M Z) = sum_i |z_i - sum_j w_ij z_j|^2` is the embedding cost; because each row of
/// `W` sums to one, `M 1 = 0`. Both triangles are stored. `progress` (may be null) counts the
/// columns.
SparseSymmetricMatrix standard_cost_matrix(const SparseRowMatrix& weights,
                                           ProgressMeter* progress = nullptr);

}  // namespace lle::methods
