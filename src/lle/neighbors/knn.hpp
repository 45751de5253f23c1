#pragma once

/// \file
/// Exact k-nearest-neighbour graph of a point set, in Euclidean distance.

#include "lle/base/types.hpp"

namespace lle::neighbors {

/// How the exact search is carried out; every algorithm returns the same graph.
enum class Algorithm {
    automatic,    ///< kd-tree for low dimension, brute force otherwise
    kd_tree,      ///< nanoflann kd-tree: best for D up to about 15
    brute_force,  ///< blocked distance matrix on BLAS: best for high D
};

/// The k nearest neighbours of every point.
///
/// Row `i` lists the neighbours of point `i` in increasing order of distance, ties broken by
/// the smaller index. Point `i` itself is never among them, even when another point coincides
/// with it (such a duplicate comes first, at distance 0).
struct NeighborGraph {
    IndexMatrix indices;   ///< `n x k` point indices
    PointMatrix distances; ///< `n x k` Euclidean distances (not squared)

    Index size() const { return indices.rows(); }
    Index k() const { return indices.cols(); }
};

/// Exact k nearest neighbours of each row of `points` among the other rows.
///
/// \param points  `n x D`, not copied; must outlive the call only.
/// \param k       neighbours per point, `1 <= k <= n - 1` (ParameterError otherwise).
/// \param algorithm  which search to use; `automatic` picks by dimension.
NeighborGraph k_nearest(PointsView points, Index k, Algorithm algorithm = Algorithm::automatic);

/// The algorithm `automatic` resolves to for points of dimension `dimension`.
Algorithm choose_algorithm(Index dimension);

namespace detail {

/// kd-tree search (nanoflann); see k_nearest for the contract.
NeighborGraph kd_tree_neighbors(PointsView points, Index k);

/// Blocked brute-force search: squared distances of a block of queries to all points from one
/// GEMM, `|x|^2 + |y|^2 - 2 x.y`, then a partial selection per query; the selected distances
/// are recomputed exactly before the final ordering.
NeighborGraph brute_force_neighbors(PointsView points, Index k);

}  // namespace detail
}  // namespace lle::neighbors
