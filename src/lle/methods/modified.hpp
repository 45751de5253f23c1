#pragma once

/// \file
/// Modified LLE's cost matrix (Zhang & Wang, 2006): several weight vectors per point.

#include "lle/base/types.hpp"

namespace lle::methods {

/// The alignment matrix of modified LLE, assembled sparse from per-point blocks.
///
/// \param points     `n x D`.
/// \param neighbors  `n x k` neighbour indices (k > d).
/// \param dimension  d, the embedding dimension.
/// \param reg        regularisation of the local Gram matrices, relative to their trace.
/// \param tolerance  scikit-learn's `modified_tol`: local eigenvalues below it count as zero.
SparseSymmetricMatrix modified_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                           Index dimension, double reg, double tolerance);

}  // namespace lle::methods
