#include "lle/neighbors/knn.hpp"

#include <string>

#include "lle/base/error.hpp"

namespace lle::neighbors {

namespace {

/// Highest dimension at which `automatic` still picks the kd-tree.
///
/// Seconds for n = 20000, k = 10 on 2 shared cores, kd-tree / brute force:
///
///     D                          3           10          15          20          64
///     uniform in [0, 1]^D        0.07 / 1.8  1.7 / 2.6   9.3 / 3.0   20 / 3.3    77 / 4.1
///     swiss roll, linear to D    0.04 / 1.9  0.16 / 3.8  0.15 / 3.1  0.18 / 3.2  0.57 / 4.1
///
/// Unstructured data, the tree's worst case, crosses over near D = 11 (D = 12: 2.1 / 1.5);
/// data on a low-dimensional manifold, the premise of LLE, keeps the tree ahead far beyond.
/// At 15 the tree loses about 3x on the former and keeps its lead on the latter in the range
/// where it matters most.
constexpr Index kd_tree_max_dimension = 15;

template <typename Scalar>
NeighborGraph search_all(PointsViewOf<Scalar> points, Index k, Algorithm algorithm) {
    const Index n = points.rows();
    require_parameter(1 <= k && k <= n - 1, "k", "1 <= k <= n - 1 = " + std::to_string(n - 1),
                      std::to_string(k));
    if (points.cols() < 1) {
        throw DataError("points must have at least one column (got 0)");
    }
    require_finite_points(points);

    if (algorithm == Algorithm::automatic) {
        algorithm = choose_algorithm(points.cols());
    }
    return algorithm == Algorithm::kd_tree ? detail::kd_tree_neighbors(points, k)
                                           : detail::brute_force_neighbors(points, k);
}

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

NeighborGraph k_nearest(PointsView points, Index k, Algorithm algorithm) {
    return search_all<double>(points, k, algorithm);
}

NeighborGraph k_nearest(PointsViewF points, Index k, Algorithm algorithm) {
    return search_all<float>(points, k, algorithm);
}

NeighborGraph k_nearest_among(PointsView reference, PointsView queries, Index k) {
    return search_among<double>(reference, queries, k);
}

NeighborGraph k_nearest_among(PointsViewF reference, PointsViewF queries, Index k) {
    return search_among<float>(reference, queries, k);
}

Algorithm choose_algorithm(Index dimension) {
    return dimension <= kd_tree_max_dimension ? Algorithm::kd_tree : Algorithm::brute_force;
}

}  // namespace lle::neighbors
