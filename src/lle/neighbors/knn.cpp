#include "lle/neighbors/knn.hpp"

#include <algorithm>
#include <string>

#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"

namespace lle::neighbors {

namespace {

/// k_nearest() for points of either precision.
template <typename Scalar>
NeighborGraph search_all(PointsViewOf<Scalar> points, Index k, Algorithm algorithm,
                         const HnswOptions& hnsw, ProgressMeter* progress) {
    const Index n = points.rows();
    require_parameter(1 <= k && k <= n - 1, "k", "1 <= k <= n - 1 = " + std::to_string(n - 1),
                      std::to_string(k));
    if (points.cols() < 1) {
        throw DataError("points must have at least one column (got 0)");
    }
    require_finite_points(points);

    switch (resolve_algorithm(algorithm, n, points.cols())) {
        case Algorithm::kd_tree:
            return detail::kd_tree_neighbors(points, k, progress);
        case Algorithm::hnsw:
            validate(hnsw);
            return detail::hnsw_neighbors(points, k, hnsw, progress);
        default:
            return detail::brute_force_neighbors(points, k, progress);
    }
}

/// k_nearest_among() for points of either precision.
template <typename Scalar>
NeighborGraph search_among(PointsViewOf<Scalar> reference, PointsViewOf<Scalar> queries, Index k) {
    const Index n = reference.rows();
    require_parameter(1 <= k && k <= n, "k", "1 <= k <= n = " + std::to_string(n),
                      std::to_string(k));
    require_parameter(queries.cols() == reference.cols(), "queries",
                      "the reference dimension D = " + std::to_string(reference.cols()),
                      std::to_string(queries.cols()) + " columns");
    require_finite_points(reference);
    require_finite_points(queries);
    return detail::kd_tree_query(reference, queries, k);
}

}  // namespace

NeighborGraph k_nearest(PointsView points, Index k, Algorithm algorithm, const HnswOptions& hnsw,
                        ProgressMeter* progress) {
    return search_all<double>(points, k, algorithm, hnsw, progress);
}

NeighborGraph k_nearest(PointsViewF points, Index k, Algorithm algorithm, const HnswOptions& hnsw,
                        ProgressMeter* progress) {
    return search_all<float>(points, k, algorithm, hnsw, progress);
}

NeighborGraph k_nearest_among(PointsView reference, PointsView queries, Index k) {
    return search_among<double>(reference, queries, k);
}

NeighborGraph k_nearest_among(PointsViewF reference, PointsViewF queries, Index k) {
    return search_among<float>(reference, queries, k);
}

std::string to_string(Algorithm algorithm) {
    switch (algorithm) {
        case Algorithm::automatic:
            return "auto";
        case Algorithm::exact:
            return "exact";
        case Algorithm::kd_tree:
            return "kd_tree";
        case Algorithm::brute_force:
            return "brute_force";
        case Algorithm::hnsw:
            return "hnsw";
    }
    return "unknown";
}

bool is_approximate(Algorithm algorithm) {
    return algorithm == Algorithm::hnsw;
}

// kd_tree_max_dimension, the highest dimension at which the kd-tree is picked. Seconds for
// n = 20000, k = 10 on 2 shared cores, kd-tree / brute force:
//
//     D                          3           10          15          20          64
//     uniform in [0, 1]^D        0.07 / 1.8  1.7 / 2.6   9.3 / 3.0   20 / 3.3    77 / 4.1
//     swiss roll, linear to D    0.04 / 1.9  0.16 / 3.8  0.15 / 3.1  0.18 / 3.2  0.57 / 4.1
//
// Unstructured data, the tree's worst case, crosses over near D = 11 (D = 12: 2.1 / 1.5);
// data on a low-dimensional manifold, the premise of LLE, keeps the tree ahead far beyond.
// At 15 the tree loses about 3x on the former and keeps its lead on the latter in the range
// where it matters most.
Algorithm choose_exact_algorithm(Index dimension) {
    return dimension <= kd_tree_max_dimension ? Algorithm::kd_tree : Algorithm::brute_force;
}

// hnsw_min_points, the fewest points at which hnsw replaces brute force above
// kd_tree_max_dimension. Seconds on Fashion-MNIST (D = 784), k = 10, on 2 shared cores (CPU
// seconds at 60,000, where the wall clock was dominated by the other load), brute force /
// hnsw with the default options + its recall estimate on 1000 points, and that recall:
//
//     n             5,000        10,000       20,000       60,000
//     brute force   0.50         1.8          6.4          54
//     hnsw          0.52 + 0.2   1.2 + 0.40   2.4 + 0.75   10 + 2.2
//     recall@10     0.993        0.990        0.982        0.973
//
// Brute force costs O(n^2 D), hnsw about O(n log n D): they cross near 10,000 points. Below
// 20,000 the saving is under a factor of two, not worth neighbours that are no longer exact.
Algorithm choose_algorithm(Index n, Index dimension) {
    if (dimension > kd_tree_max_dimension && n >= hnsw_min_points) {
        return Algorithm::hnsw;
    }
    return choose_exact_algorithm(dimension);
}

double search_bytes(Algorithm algorithm, Index n, Index dimension, Index k, const HnswOptions& hnsw,
                    Index coordinate_bytes) {
    const auto rows = static_cast<double>(n);
    const double found = rows * static_cast<double>(k) * 16.0;  // indices and distances
    switch (resolve_algorithm(algorithm, n, dimension)) {
        case Algorithm::kd_tree:
            // nanoflann's permutation of the points and its nodes (one per 8 points at most).
            return rows * 16.0 + found;
        case Algorithm::hnsw:
            return hnsw_bytes(n, dimension, detail::fewest_directions(dimension, hnsw), k, hnsw);
        default: {
            // brute_force.cpp: a list per point of (approximate distance, index) pairs with
            // room for min(2 k + 32, n - 1) + 1, its header and the allocator's; the squared
            // norms; per thread a 512 x 512 tile and its bounds.
            const auto room = static_cast<double>(std::min(2 * k + 32, n - 1) + 1);
            const double tiles =
                static_cast<double>(thread_count()) *
                (512.0 * 512.0 * static_cast<double>(coordinate_bytes) + 512.0 * 8.0);
            return rows * (room * 16.0 + 72.0 + 8.0) + tiles + found;
        }
    }
}

Algorithm resolve_algorithm(Algorithm requested, Index n, Index dimension) {
    switch (requested) {
        case Algorithm::automatic:
            return choose_algorithm(n, dimension);
        case Algorithm::exact:
            return choose_exact_algorithm(dimension);
        default:
            return requested;
    }
}

}  // namespace lle::neighbors
