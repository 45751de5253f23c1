#pragma once

/// \file
/// Hessian LLE's cost matrix (Donoho & Grimes, 2003): the local Hessian estimator.

#include "lle/base/types.hpp"

namespace lle::methods {

/// The alignment matrix of Hessian LLE, assembled sparse from per-point blocks.
///
/// \param points     `n x D`.
/// \param neighbors  `n x k` neighbour indices, `k > d (d + 3) / 2`.
/// \param dimension  d, the embedding dimension.
/// \param tolerance  scikit-learn's `hessian_tol`: column sums of the local Hessian basis below
///                   it are not used to normalise that column.
SparseSymmetricMatrix hessian_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                          Index dimension, double tolerance);

}  // namespace lle::methods
