#pragma once

/// \file
/// The k-nearest-neighbour graph every search returns.

#include "lle/base/types.hpp"

namespace lle::neighbors {

/// The k nearest neighbours of every point.
///
/// Row `i` lists the neighbours of point `i` in increasing order of distance, ties broken by
/// the smaller index. Point `i` itself is never among them, even when another point coincides
/// with it (such a duplicate comes first, at distance 0). An approximate search keeps this
/// order and these distances for the neighbours it found; it may miss some true ones.
struct NeighborGraph {
    IndexMatrix indices;    ///< `n x k` point indices
    PointMatrix distances;  ///< `n x k` Euclidean distances (not squared)

    Index size() const { return indices.rows(); }
    Index k() const { return indices.cols(); }
};

}  // namespace lle::neighbors
