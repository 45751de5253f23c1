#include "lle/neighbors/components.hpp"

#include <numeric>
#include <utility>

namespace lle::neighbors {

Components connected_components(const NeighborGraph& graph) {
    const Index n = graph.size();
    std::vector<Index> parent(static_cast<std::size_t>(n));
    std::iota(parent.begin(), parent.end(), Index{0});
    auto root = [&](Index i) {
        while (parent[static_cast<std::size_t>(i)] != i) {
            Index& up = parent[static_cast<std::size_t>(i)];
            up = parent[static_cast<std::size_t>(up)];  // path halving
            i = up;
        }
        return i;
    };
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < graph.k(); ++j) {
            Index a = root(i);
            Index b = root(graph.indices(i, j));
            if (a != b) {
                // The smaller index becomes the root, so every root is its component's first
                // point and the numbering below follows the points' order.
                if (b < a) {
                    std::swap(a, b);
                }
                parent[static_cast<std::size_t>(b)] = a;
            }
        }
    }

    Components components;
    components.label.resize(static_cast<std::size_t>(n));
    std::vector<Index> number(static_cast<std::size_t>(n), -1);
    for (Index i = 0; i < n; ++i) {
        const Index r = root(i);
        Index& id = number[static_cast<std::size_t>(r)];
        if (id < 0) {
            id = components.count();
            components.sizes.push_back(0);
        }
        components.label[static_cast<std::size_t>(i)] = id;
        ++components.sizes[static_cast<std::size_t>(id)];
    }
    return components;
}

}  // namespace lle::neighbors
