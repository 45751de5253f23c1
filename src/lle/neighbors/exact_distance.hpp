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
