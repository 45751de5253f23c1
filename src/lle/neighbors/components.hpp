#pragma once

/// \file
/// Connected components of a neighbour graph, taken as undirected.

#include <vector>

#include "lle/neighbors/graph.hpp"

namespace lle::neighbors {

/// The connected components of `graph` with every edge `i - neighbors(i, j)` undirected.
struct Components {
    std::vector<Index> label;  ///< point -> component, numbered by their smallest point
    std::vector<Index> sizes;  ///< component -> number of points

    Index count() const { return static_cast<Index>(sizes.size()); }
};

/// Finds the components by union-find with path halving, in O(n k) time.
///
/// A point's neighbours always share its component, so each component's own neighbour graph
/// is the rows of its points. Standard LLE's M (and the other methods') is block-diagonal
/// over the components: each one adds a null vector, its indicator, besides the constant.
Components connected_components(const NeighborGraph& graph);

}  // namespace lle::neighbors
