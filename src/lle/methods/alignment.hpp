#pragma once

/// \file
/// Alignment matrices summed from per-point blocks, as the LLE variants build their cost
/// matrix: `M = sum_i S_i B_i S_i^T`, where `S_i` selects the `m` points of point i's
/// neighbourhood and `B_i` is a symmetric `m x m` block.

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

}  // namespace lle::methods
