#pragma once

/// \file
/// The one definition of distance every search algorithm ranks by, so that they all return the
/// same graph bit for bit.

#include <cmath>
#include <cstddef>
#include <vector>

#include "lle/base/types.hpp"
#include "lle/neighbors/graph.hpp"

namespace lle::neighbors::detail {

/// `sum_d (a_d - b_d)^2`, accumulated in double in order of `d`.
///
/// Every algorithm computes the distances it finally ranks with this function, so equal
/// distances come out as exactly equal doubles and the index tie-break is the same everywhere.
/// Single-precision coordinates are widened to double first (exactly), so the distances of
/// `float` points are those of the same values held as doubles, and so is their graph.
template <typename Scalar>
double squared_distance(const Scalar* a, const Scalar* b, Index dimension) {
    double sum = 0.0;
    for (Index d = 0; d < dimension; ++d) {
        const double difference = static_cast<double>(a[d]) - static_cast<double>(b[d]);
        sum += difference * difference;
    }
    return sum;
}

/// A candidate neighbour, ordered by (squared distance, index): the order of a graph's rows.
struct Neighbor {
    double squared_distance = 0.0;
    Index index = 0;

    friend bool operator<(const Neighbor& a, const Neighbor& b) {
        return a.squared_distance < b.squared_distance ||
               (a.squared_distance == b.squared_distance && a.index < b.index);
    }
};

/// Sets each candidate's `squared_distance` to `squared_distance(query, row of its index)`
/// over the rows of `points`, bit for bit: four candidates at a time, each summed in order of
/// `d` as that function does, so that the four sums' additions overlap instead of each waiting
/// for the one before.
template <typename Scalar>
void exact_squared_distances(PointsViewOf<Scalar> points, const Scalar* query,
                             std::vector<Neighbor>& candidates) {
    const Index dimension = points.cols();
    std::size_t c = 0;
    for (; c + 4 <= candidates.size(); c += 4) {
        const Scalar* b0 = points.row(candidates[c].index).data();
        const Scalar* b1 = points.row(candidates[c + 1].index).data();
        const Scalar* b2 = points.row(candidates[c + 2].index).data();
        const Scalar* b3 = points.row(candidates[c + 3].index).data();
        double sum0 = 0.0;
        double sum1 = 0.0;
        double sum2 = 0.0;
        double sum3 = 0.0;
        for (Index d = 0; d < dimension; ++d) {
            const auto a = static_cast<double>(query[d]);
            const double difference0 = a - static_cast<double>(b0[d]);
            const double difference1 = a - static_cast<double>(b1[d]);
            const double difference2 = a - static_cast<double>(b2[d]);
            const double difference3 = a - static_cast<double>(b3[d]);
            sum0 += difference0 * difference0;
            sum1 += difference1 * difference1;
            sum2 += difference2 * difference2;
            sum3 += difference3 * difference3;
        }
        candidates[c].squared_distance = sum0;
        candidates[c + 1].squared_distance = sum1;
        candidates[c + 2].squared_distance = sum2;
        candidates[c + 3].squared_distance = sum3;
    }
    for (; c < candidates.size(); ++c) {
        candidates[c].squared_distance =
            squared_distance(query, points.row(candidates[c].index).data(), dimension);
    }
}

/// Writes the first `graph.k()` of `neighbors`, already in order, to row `row` of `graph`,
/// distances as square roots of their squared distances.
inline void store_row(NeighborGraph& graph, Index row, const std::vector<Neighbor>& neighbors) {
    for (Index j = 0; j < graph.k(); ++j) {
        const Neighbor& neighbor = neighbors[static_cast<std::size_t>(j)];
        graph.indices(row, j) = neighbor.index;
        graph.distances(row, j) = std::sqrt(neighbor.squared_distance);
    }
}

}  // namespace lle::neighbors::detail
