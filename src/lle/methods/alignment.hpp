#pragma once

/// \file
/// Alignment matrices summed from per-point blocks, as the LLE variants build their cost
/// matrix: `M = sum_i S_i B_i S_i^T`, where `S_i` selects the `m` points of point i's
/// neighbourhood and `B_i` is a symmetric `m x m` block.

#include <string>

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::methods {

/// The blocks of every point.
struct LocalBlocks {
    IndexMatrix indices;  ///< `n x m`: the points block i touches, distinct within a row
    PointMatrix blocks;   ///< `n x m^2`: row i holds `B_i` row by row (symmetric)
};

/// `M = sum_i S_i B_i S_i^T` as a sparse `order x order` matrix, both triangles stored. Never
/// forms anything dense of size `order`; columns are gathered in parallel, counted by
/// `progress` (may be null).
SparseSymmetricMatrix assemble_alignment(const LocalBlocks& local, Index order,
                                         ProgressMeter* progress = nullptr);

/// A neighbourhood is flatter than d dimensions when its d-th singular value (of the centred
/// points) is at most this fraction of its first: its d-dimensional tangent space then contains
/// a direction the points do not span, chosen by rounding errors. Well above the square root of
/// the machine epsilon, the accuracy of singular values taken from the eigenvalues of a Gram
/// matrix (the path used when k <= D).
inline constexpr double flat_tolerance = 1e-6;

/// Whether a neighbourhood with singular values `sigma_d <= sigma_1` is flatter than d
/// dimensions (see flat_tolerance).
inline bool is_flat(double sigma_d, double sigma_1) {
    return sigma_d <= flat_tolerance * sigma_1;
}

/// Throws DataError when more than half of the `n` neighbourhoods are flatter than `d`
/// dimensions: the data then lie on something of lower dimension than the `d` that `method`
/// (a tangent-space method: Hessian LLE, LTSA) would fit, and its embedding would be decided
/// by rounding errors. A few flat neighbourhoods (an edge, a crease) are accepted.
void require_tangent_dimension(Index flat, Index n, Index d, const std::string& method);

}  // namespace lle::methods
