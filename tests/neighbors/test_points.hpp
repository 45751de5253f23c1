#pragma once

/// \file
/// Point sets the neighbour tests share, each reproducible from its seed.

#include <random>

#include "lle/base/types.hpp"

namespace lle::neighbors::test_points {

/// Uniform in `[-1, 1]^dimension`.
inline PointMatrix uniform_cloud(Index n, Index dimension, unsigned seed) {
    std::mt19937_64 engine(seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    PointMatrix points(n, dimension);
    for (Index i = 0; i < n; ++i) {
        for (Index d = 0; d < dimension; ++d) {
            points(i, d) = uniform(engine);
        }
    }
    return points;
}

/// Small integers, like pixel values: many pairs at exactly the same distance.
inline PointMatrix integer_cloud(Index n, Index dimension, int levels, unsigned seed) {
    std::mt19937_64 engine(seed);
    std::uniform_int_distribution<int> level(0, levels - 1);
    PointMatrix points(n, dimension);
    for (Index i = 0; i < n; ++i) {
        for (Index d = 0; d < dimension; ++d) {
            points(i, d) = level(engine);
        }
    }
    return points;
}

/// The points of a `side^dimension` integer lattice.
inline PointMatrix grid(Index side, Index dimension) {
    Index n = 1;
    for (Index d = 0; d < dimension; ++d) {
        n *= side;
    }
    PointMatrix points(n, dimension);
    for (Index i = 0; i < n; ++i) {
        Index rest = i;
        for (Index d = 0; d < dimension; ++d) {
            points(i, d) = static_cast<double>(rest % side);
            rest /= side;
        }
    }
    return points;
}

/// Each row of `points` repeated `copies` times, the copies spread apart in the order.
inline PointMatrix repeated(const PointMatrix& points, Index copies) {
    const Index n = points.rows();
    PointMatrix out(n * copies, points.cols());
    for (Index c = 0; c < copies; ++c) {
        out.middleRows(c * n, n) = points;
    }
    return out;
}

/// `clusters` Gaussian blobs (standard deviation 1) whose centres are uniform in
/// `[-10, 10]^dimension`; point i belongs to blob `i % clusters`.
inline PointMatrix clustered_cloud(Index n, Index dimension, Index clusters, unsigned seed) {
    const PointMatrix centres = uniform_cloud(clusters, dimension, seed) * 10.0;
    std::mt19937_64 engine(seed + 1);
    std::normal_distribution<double> normal;
    PointMatrix points(n, dimension);
    for (Index i = 0; i < n; ++i) {
        for (Index d = 0; d < dimension; ++d) {
            points(i, d) = centres(i % clusters, d) + normal(engine);
        }
    }
    return points;
}

}  // namespace lle::neighbors::test_points
