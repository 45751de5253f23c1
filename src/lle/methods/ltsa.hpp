#pragma once

/// \file
/// LTSA's cost matrix (Zhang & Zha, 2004): local tangent space alignment.

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::methods {

/// The alignment matrix of LTSA, assembled sparse from per-point blocks, as scikit-learn 1.2
/// builds it.
///
/// For each point i with neighbourhood N(i) (its k neighbours, i itself excluded): centre the
/// neighbours, take their tangent coordinates `V` (`k x d`, the leading left singular vectors),
/// and add `I - G G^T` to M on N(i) x N(i), with `G = [1/sqrt(k), V]`: the orthogonal projector
/// onto the complement of span{1, V}, of rank `k - d - 1`.
///
/// \param points     `n x D`.
/// \param neighbors  `n x k` neighbour indices (k > d).
/// \param dimension  d, the embedding dimension, `1 <= d < k` and `d <= D`.
/// \param progress   counts the points, then the columns assembled (may be null).
/// \return `n x n`, symmetric positive semi-definite, with the constant vector in its null
///         space. Throws ParameterError when the arguments break the rules above.
///
/// \note The paper counts x_i among its own k neighbours; scikit-learn, the reference matched
///       here, does not.
/// \warning When the d-th and (d+1)-th singular values of a centred neighbourhood are equal
///          (for instance when it spans fewer than d dimensions, as with duplicate points),
///          `V` is not determined by the data, nor is the block of that neighbourhood. `V` is
///          still taken orthonormal and orthogonal to 1, so the properties above hold.
SparseSymmetricMatrix ltsa_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                       Index dimension, ProgressMeter* progress = nullptr);

/// The same for single-precision points: each neighbourhood is widened to double as it is
/// gathered, so the matrix is exactly that of the same values converted to double.
SparseSymmetricMatrix ltsa_cost_matrix(PointsViewF points, const IndexMatrix& neighbors,
                                       Index dimension, ProgressMeter* progress = nullptr);

}  // namespace lle::methods
