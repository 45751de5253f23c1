#pragma once

/// \file
/// Classic synthetic manifolds for demonstrations and tests.

#include <cstdint>

#include "lle/base/types.hpp"

namespace lle::datasets {

/// Points sampled from a two-dimensional manifold embedded in three dimensions.
struct Manifold {
    PointMatrix points;        ///< `n x 3`
    Eigen::VectorXd position;  ///< `n`: each point's coordinate along the manifold's long axis
};

/// The swiss roll: `t = 1.5 pi (1 + 2 u)`, `x = (t cos t, 21 v, t sin t)` with `u, v` uniform on
/// [0, 1), plus Gaussian noise of standard deviation `noise` on each coordinate. `position` is
/// `t`. The same construction as scikit-learn's `make_swiss_roll`, with a different random
/// generator (so the same seed gives different points).
Manifold swiss_roll(Index n, double noise = 0.0, std::uint64_t seed = 0);

/// The S-curve: `t = 3 pi (u - 1/2)`, `x = (sin t, 2 v, sign(t) (cos t - 1))`, plus noise;
/// `position` is `t`.
Manifold s_curve(Index n, double noise = 0.0, std::uint64_t seed = 0);

}  // namespace lle::datasets
