#pragma once

/// \file
/// Approximate k-nearest neighbours with HNSW (hnswlib), and an estimate of their recall.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"
#include "lle/neighbors/graph.hpp"

namespace lle::neighbors {

/// The knobs of the HNSW graph (Malkov & Yashunin, 2018). Larger values find more of the true
/// neighbours and cost more time.
///
/// The defaults were measured on Fashion-MNIST (D = 784, k = 10, 2 cores): 60,000 images in
/// 10 CPU seconds at recall@10 0.973, against 54 for exact brute force; M 16, ef_construction
/// 100, ef 40 reach 0.995 in 19. Uniform data in 50 dimensions, the hardest case, needs more:
/// the defaults find 94% of 2,000 points' neighbours and 74% of 20,000 points'.
struct HnswOptions {
    /// Links per point on each upper layer (twice as many on the bottom one): `2 <= M <= 1000`.
    Index m = 16;
    /// Candidates kept while a point is inserted: `>= 1`.
    Index ef_construction = 40;
    /// Candidates kept while a point's neighbours are searched: `>= 1`. The search uses at
    /// least `k + 1` (the point itself is usually found and dropped).
    Index ef_search = 20;
    /// Seeds the random layer of each point.
    std::uint64_t seed = 0;
    /// Principal directions the graph is built in. 0 (the default) picks them from the
    /// points' spectrum when there are more than hnsw_projection_min_dimension coordinates
    /// and at most hnsw_projection_max_dimension (see detail::projected_dimension); -1 never
    /// projects; `P >= 1` keeps the top P directions whatever D is, and searches all D
    /// coordinates when `P >= D`.
    Index projection = 0;
    /// Candidates a projected search takes from the graph for each point and re-ranks by
    /// their full-space distances, keeping the k nearest: 0 (the default) takes
    /// hnsw_candidates_per_neighbor k, otherwise at least k are taken. `>= 0`; unused
    /// without a projection.
    Index candidates = 0;
    /// Bytes the search may allocate (0: no limit), as hnsw_bytes() counts them. Checked
    /// before anything is allocated, with the fewest directions a projection keeps, and again
    /// once the directions are known, before the projected rows and the graph; ResourceError
    /// if exceeded.
    double memory_limit = 0.0;
};

/// The fewest coordinates at which an automatic HNSW search projects the points.
inline constexpr Index hnsw_projection_min_dimension = 64;

/// The most coordinates at which an automatic HNSW search projects the points: the
/// eigensolver costs O(D^3), 0.2 s at D = 784 and several seconds from D = 2,048.
inline constexpr Index hnsw_projection_max_dimension = 2048;

/// The share of the points' variance an automatic projection keeps.
inline constexpr double hnsw_projection_variance = 0.9;

/// The fewest principal directions an automatic projection keeps (fewer when D is smaller).
inline constexpr Index hnsw_projection_min_directions = 32;

/// Candidates per neighbour a projected search re-ranks when HnswOptions::candidates is 0.
inline constexpr Index hnsw_candidates_per_neighbor = 4;

/// Checks the options. Throws ParameterError naming the option, the rule and the value.
void validate(const HnswOptions& options);

/// What an HNSW search of n points of `dimension` coordinates for k neighbours holds at its
/// peak, with the graph built on `directions` principal directions (0: on all coordinates):
/// the points' float copy, with a projection the covariance's eigenvectors (64 D^2 bytes: 28 MiB
/// measured at D = 784) or the projected rows, and the graph (its bottom layer's links and
/// rows, each point's label, lock and level, and its upper layers), one visited list per
/// thread and the neighbours found.
double hnsw_bytes(Index n, Index dimension, Index directions, Index k, const HnswOptions& options);

/// An estimate of an approximate graph's recall@k, from a random sample of its points.
struct RecallEstimate {
    /// Fraction of the sampled points' true k nearest neighbours that the graph holds. A
    /// neighbour tied with the true k-th distance counts as found.
    double recall = 1.0;
    Index sample_size = 0;  ///< points whose rows were checked
    /// Sampled points with a neighbour in the graph more than twice as far as their true k-th
    /// nearest: where an approximate search joined distant parts of the data (another turn of
    /// a swiss roll, say), which a high recall can hide and which bends an embedding far more
    /// than a near miss does.
    Index far_points = 0;
};

/// Estimates the recall@k of `graph`, an (approximate) neighbour graph of `points`.
///
/// Samples `min(sample_size, n)` distinct points at random (seeded by `seed`), finds each
/// one's exact k nearest neighbours by brute force (in parallel, distances as every exact
/// search computes them) and counts the graph's neighbours of that point whose exact distance
/// is at most the true k-th distance. Point `i` itself never counts. It also counts the sampled
/// points with a neighbour more than twice as far as their true k-th (far_points).
///
/// \param points       `n x D`, the points `graph` was built from.
/// \param graph        `n x k` with `1 <= k <= n - 1`.
/// \param sample_size  `>= 1` (ParameterError otherwise); capped at `n`.
RecallEstimate estimate_recall(PointsView points, const NeighborGraph& graph,
                               Index sample_size = 1000, std::uint64_t seed = 0);
RecallEstimate estimate_recall(PointsViewF points, const NeighborGraph& graph,
                               Index sample_size = 1000, std::uint64_t seed = 0);

namespace detail {

/// HNSW search of every point's k nearest among the others; see k_nearest for the checks.
///
/// The points, centred and scaled, are held in single precision. With a projection (see
/// HnswOptions::projection) their covariance is computed, its top P eigenvectors found and
/// the points projected onto them; the graph is built on the P-dimensional rows and each
/// point queried for `c + 1` candidates (c from HnswOptions::candidates, at least k), which
/// are re-ranked by their full-space distances in single precision. Without one the graph
/// is built on all D coordinates and each point queried for `k + 1`. Either way the query
/// keeps `ef = max(ef_search, wanted)` candidates, runs in parallel, the point itself is
/// dropped, the distances of the nearest are recomputed exactly in double and each row is
/// ordered by (distance, index), the order of NeighborGraph.
///
/// The index is built with one `addPoint` per point from all OpenMP threads; with more than
/// one thread the insertion order, and with it the graph, varies from run to run.
/// `progress` (may be null) counts each point twice: added, then searched.
NeighborGraph hnsw_neighbors(PointsView points, Index k, const HnswOptions& options,
                             ProgressMeter* progress = nullptr);
NeighborGraph hnsw_neighbors(PointsViewF points, Index k, const HnswOptions& options,
                             ProgressMeter* progress = nullptr);

/// The principal directions an HNSW search keeps, from the variances of the centred points
/// along their principal directions (the covariance's eigenvalues, largest first, one per
/// coordinate). 0 means the search uses all coordinates.
///
/// An explicit HnswOptions::projection P keeps P (0 if `P >= D`, or -1). Automatic: the
/// fewest directions whose variances sum to hnsw_projection_variance of the total, at least
/// hnsw_projection_min_directions; 0 when D is at most hnsw_projection_min_dimension or above
/// hnsw_projection_max_dimension, when
/// that is more than half of D (the saving no longer pays for the projection) or when the
/// total variance is 0.
Index projected_dimension(const Eigen::VectorXd& variances, const HnswOptions& options);

/// Whether an HNSW search of D-dimensional points computes their spectrum at all: false when
/// projected_dimension() would return 0 whatever the variances.
bool may_project(Index dimension, const HnswOptions& options);

/// The fewest directions projected_dimension() may return for D-dimensional points while
/// their spectrum is unknown: an explicit projection's P, hnsw_projection_min_directions for
/// an automatic one, 0 without one.
Index fewest_directions(Index dimension, const HnswOptions& options);

/// `sum_d (a_d - b_d)^2` over `*dimension` floats, as hnswlib calls a distance.
using FloatDistance = float (*)(const void* a, const void* b, const void* dimension);

/// The float distance kernels the HNSW search picks from, widest first: "avx512" and "avx2"
/// when the processor has them, and the portable "plain" one last. The search uses the first.
std::vector<std::pair<std::string, FloatDistance>> distance_kernels();

}  // namespace detail
}  // namespace lle::neighbors
