#pragma once

/// \file
/// LTSA's cost matrix (Zhang & Zha, 2004): local tangent space alignment.

#include "lle/base/types.hpp"

namespace lle::methods {

/// The alignment matrix of LTSA, assembled sparse from per-point blocks.
///
/// \param points     `n x D`.
/// \param neighbors  `n x k` neighbour indices (k > d).
/// \param dimension  d, the embedding dimension.
SparseSymmetricMatrix ltsa_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                       Index dimension);

}  // namespace lle::methods
