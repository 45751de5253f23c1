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
    IndexMatrix indices;    ///< `n x k` point indices
    PointMatrix distances;  ///< `n x k` Euclidean distances (not squared)

    Index size() const { return indices.rows(); }
    Index k() const { return indices.cols(); }
};

/// Exact k nearest neighbours of each row of `points` among the other rows.
///
/// \param points  `n x D`, not copied; must outlive the call only.
/// \param k       neighbours per point, `1 <= k <= n - 1` (ParameterError otherwise).
/// \param algorithm  which search to use; `automatic` picks by dimension.
/// \throws DataError if `D = 0`, a coordinate is NaN or infinite, or the coordinates are so
/// large (beyond about 1e153) that squared distances would overflow.
NeighborGraph k_nearest(PointsView points, Index k, Algorithm algorithm = Algorithm::automatic);

/// The same for single-precision points, which are searched where they are (no double copy).
/// Distances are ranked in double from the `float` coordinates, so the graph is exactly the one
/// k_nearest() finds for the same values converted to double. DataError also when squared
/// distances would overflow single precision (coordinates beyond about 9e18 / sqrt(D)).
NeighborGraph k_nearest(PointsViewF points, Index k, Algorithm algorithm = Algorithm::automatic);

/// The k nearest rows of `reference` to each row of `queries`, in increasing (distance, index)
/// order. Nothing is excluded: a query equal to a reference point finds it first, at distance 0.
///
/// \param reference  `n x D`, not copied.
/// \param queries    `m x D`, not copied.
/// \param k          `1 <= k <= n` (ParameterError otherwise).
/// \note Uses the kd-tree at every dimension: exact, but slower than a brute-force scan for high
///       D. Mapping new points is the use, where m is usually small next to n.
NeighborGraph k_nearest_among(PointsView reference, PointsView queries, Index k);

/// The same for single-precision reference points and queries; the graph is that of the same
/// values converted to double.
NeighborGraph k_nearest_among(PointsViewF reference, PointsViewF queries, Index k);

/// The algorithm `automatic` resolves to for points of dimension `dimension`.
Algorithm choose_algorithm(Index dimension);

namespace detail {

/// kd-tree search (nanoflann); see k_nearest for the contract.
NeighborGraph kd_tree_neighbors(PointsView points, Index k);

/// kd-tree search of single-precision points; see k_nearest.
NeighborGraph kd_tree_neighbors(PointsViewF points, Index k);

/// kd-tree search of `queries` among `reference`; see k_nearest_among.
NeighborGraph kd_tree_query(PointsView reference, PointsView queries, Index k);

/// kd-tree search of single-precision `queries` among `reference`; see k_nearest_among.
NeighborGraph kd_tree_query(PointsViewF reference, PointsViewF queries, Index k);

/// Blocked brute-force search: approximate squared distances `|x|^2 + |y|^2 - 2 x.y` tile by
/// tile from GEMM (one triangle of the symmetric matrix), then per query a partial selection
/// that keeps every candidate within the GEMM's rounding bound of the k-th; the survivors'
/// distances are recomputed exactly before the final ordering, so the graph is the kd-tree's.
///
/// \note OpenBLAS is held to one thread during the tile loop (the tiles run one per OpenMP
/// thread) and restored afterwards. Points far from the origin compared with their spread
/// widen that rounding bound and with it the candidates recomputed exactly: still correct, but
/// slower; centring such data first helps.
NeighborGraph brute_force_neighbors(PointsView points, Index k);

/// Brute-force search of single-precision points: the tiles come from single-precision GEMM
/// (`sgemm`, twice the throughput), the rounding bound uses single precision's epsilon, and the
/// survivors are ranked in double as for double input, so the graph is the kd-tree's.
NeighborGraph brute_force_neighbors(PointsViewF points, Index k);

}  // namespace detail
}  // namespace lle::neighbors
