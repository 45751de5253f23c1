#pragma once

/// \file
/// Approximate k-nearest neighbours with HNSW (hnswlib), and an estimate of their recall.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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
};

/// Checks the options. Throws ParameterError naming the option, the rule and the value.
void validate(const HnswOptions& options);

/// An estimate of an approximate graph's recall@k, from a random sample of its points.
struct RecallEstimate {
    /// Fraction of the sampled points' true k nearest neighbours that the graph holds. A
    /// neighbour tied with the true k-th distance counts as found.
    double recall = 1.0;
    Index sample_size = 0;  ///< points whose rows were checked
};

/// Estimates the recall@k of `graph`, an (approximate) neighbour graph of `points`.
///
/// Samples `min(sample_size, n)` distinct points at random (seeded by `seed`), finds each
/// one's exact k nearest neighbours by brute force (in parallel, distances as every exact
/// search computes them) and counts the graph's neighbours of that point whose exact distance
/// is at most the true k-th distance. Point `i` itself never counts.
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
/// The index is built with one `addPoint` per point from all OpenMP threads, then each point
/// is queried for `k + 1` neighbours with `ef = max(ef_search, k + 1)`, in parallel. hnswlib
/// ranks in single precision; the returned neighbours' distances are recomputed exactly in
/// double and each row ordered by (distance, index), the order of NeighborGraph. With more
/// than one thread the insertion order, and with it the graph, varies from run to run.
/// `progress` (may be null) counts each point twice: added, then searched.
NeighborGraph hnsw_neighbors(PointsView points, Index k, const HnswOptions& options,
                             ProgressMeter* progress = nullptr);
NeighborGraph hnsw_neighbors(PointsViewF points, Index k, const HnswOptions& options,
                             ProgressMeter* progress = nullptr);

/// `sum_d (a_d - b_d)^2` over `*dimension` floats, as hnswlib calls a distance.
using FloatDistance = float (*)(const void* a, const void* b, const void* dimension);

/// The float distance kernels the HNSW search picks from, widest first: "avx512" and "avx2"
/// when the processor has them, and the portable "plain" one last. The search uses the first.
std::vector<std::pair<std::string, FloatDistance>> distance_kernels();

}  // namespace detail
}  // namespace lle::neighbors
