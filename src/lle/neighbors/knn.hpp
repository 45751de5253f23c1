#pragma once

/// \file
/// The k-nearest-neighbour graph of a point set, in Euclidean distance: exact, or
/// approximate with HNSW.

#include <string>
#include <vector>

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"
#include "lle/neighbors/graph.hpp"
#include "lle/neighbors/hnsw.hpp"

namespace lle::neighbors {

/// How the search is carried out. The exact algorithms all return the same graph; `hnsw` is
/// approximate: much faster on many points in high dimension, but it may miss neighbours.
enum class Algorithm {
    automatic,    ///< kd-tree for low D; for high D brute force on few points, hnsw on many
    exact,        ///< kd-tree for low dimension, brute force otherwise
    kd_tree,      ///< nanoflann kd-tree: best for D up to about 15
    brute_force,  ///< blocked distance matrix on BLAS: best for high D
    hnsw,         ///< approximate: hnswlib's hierarchical navigable small-world graph
};

/// Highest dimension at which `automatic` and `exact` pick the kd-tree (measured in knn.cpp).
inline constexpr Index kd_tree_max_dimension = 15;

/// Fewest points at which `automatic` picks hnsw above kd_tree_max_dimension (measured in
/// knn.cpp).
inline constexpr Index hnsw_min_points = 20000;

/// Name of an algorithm: "auto", "exact", "kd_tree", "brute_force" or "hnsw".
std::string to_string(Algorithm algorithm);

/// Whether `algorithm` may return a graph that misses true neighbours (only `hnsw`).
bool is_approximate(Algorithm algorithm);

/// The k nearest neighbours of each row of `points` among the other rows: exact unless the
/// algorithm (as resolve_algorithm resolves it) is `hnsw`.
///
/// \param points  `n x D`, not copied; must outlive the call only.
/// \param k       neighbours per point, `1 <= k <= n - 1` (ParameterError otherwise).
/// \param algorithm  which search to use; `automatic` picks by size and dimension.
/// \param hnsw    the HNSW knobs, used only when the search is `hnsw` (checked then).
/// \param progress  counts the points searched (may be null).
/// \throws DataError if `D = 0`, a coordinate is NaN or infinite, or the coordinates are so
/// large (beyond about 1e153) that squared distances would overflow.
NeighborGraph k_nearest(PointsView points, Index k, Algorithm algorithm = Algorithm::automatic,
                        const HnswOptions& hnsw = {}, ProgressMeter* progress = nullptr);

/// The same for single-precision points, which are searched where they are (no double copy).
/// The exact searches rank distances in double from the `float` coordinates, so their graph is
/// exactly the one k_nearest() finds for the same values converted to double. DataError also
/// when squared distances would overflow single precision (coordinates beyond about
/// 9e18 / sqrt(D)).
NeighborGraph k_nearest(PointsViewF points, Index k, Algorithm algorithm = Algorithm::automatic,
                        const HnswOptions& hnsw = {}, ProgressMeter* progress = nullptr);

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

/// The algorithm `automatic` resolves to for `n` points of dimension `dimension`: the kd-tree
/// for `dimension <= 15`, above it brute force for fewer than about 20,000 points and hnsw
/// for more (the measurements are in knn.cpp).
Algorithm choose_algorithm(Index n, Index dimension);

/// The algorithm `exact` resolves to for points of dimension `dimension`: the kd-tree for
/// `dimension <= 15`, brute force above.
Algorithm choose_exact_algorithm(Index dimension);

/// The algorithm a search for `requested` runs on `n` points of dimension `dimension`:
/// `automatic` and `exact` resolved as above, the others unchanged.
Algorithm resolve_algorithm(Algorithm requested, Index n, Index dimension);

/// What k_nearest() with `algorithm` (resolved by resolve_algorithm()) holds at its peak on n
/// points of `dimension` coordinates, besides the points, the neighbours it returns included:
/// the kd-tree's index; the brute-force search's candidate lists (room for 2 k + 33 per point)
/// and one distance tile per thread; or hnsw_bytes() with the fewest directions a projection
/// keeps (the HNSW search checks the exact figure itself, HnswOptions::memory_limit).
/// `coordinate_bytes`: 8 for double points, 4 for float.
double search_bytes(Algorithm algorithm, Index n, Index dimension, Index k, const HnswOptions& hnsw,
                    Index coordinate_bytes);

namespace detail {

/// kd-tree search (nanoflann); see k_nearest for the contract. `progress` counts the points.
NeighborGraph kd_tree_neighbors(PointsView points, Index k, ProgressMeter* progress = nullptr);
NeighborGraph kd_tree_neighbors(PointsViewF points, Index k, ProgressMeter* progress = nullptr);

/// kd-tree search of `queries` among `reference`; see k_nearest_among.
NeighborGraph kd_tree_query(PointsView reference, PointsView queries, Index k);
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
///
/// For single-precision points the tiles come from `sgemm` (twice the throughput), the
/// rounding bound uses single precision's epsilon, and the survivors are ranked in double as
/// for double input. `progress` counts the points, in proportion to the tiles done.
NeighborGraph brute_force_neighbors(PointsView points, Index k, ProgressMeter* progress = nullptr);
NeighborGraph brute_force_neighbors(PointsViewF points, Index k, ProgressMeter* progress = nullptr);

/// Exact k nearest neighbours of some of the points among all of them, each excluding itself:
/// row `r` of the result belongs to point `rows[r]`. The same tiles and exact recomputation as
/// brute_force_neighbors, so each row is that point's row of the exact graph.
///
/// \param rows  indices into `points`, each in `[0, n)`; `1 <= k <= n - 1`.
NeighborGraph brute_force_rows(PointsView points, const std::vector<Index>& rows, Index k);
NeighborGraph brute_force_rows(PointsViewF points, const std::vector<Index>& rows, Index k);

}  // namespace detail
}  // namespace lle::neighbors
