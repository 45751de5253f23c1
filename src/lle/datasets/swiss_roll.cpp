#include "lle/datasets/swiss_roll.hpp"

#include <cmath>
#include <numbers>
#include <random>

#include "lle/base/error.hpp"

namespace lle::datasets {
namespace {

template <typename Curve>
Manifold sample(Index n, double noise, std::uint64_t seed, Curve curve) {
    require_parameter(n >= 1, "n", "n >= 1", std::to_string(n));
    require_parameter(noise >= 0.0, "noise", "noise >= 0", noise);
    std::mt19937_64 generator(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);

    Manifold manifold{PointMatrix(n, 3), Eigen::VectorXd(n)};
    for (Index i = 0; i < n; ++i) {
        const double u = uniform(generator);
        const double v = uniform(generator);
        manifold.position(i) = curve(u, v, manifold.points.row(i));
        if (noise > 0.0) {
            for (Index j = 0; j < 3; ++j) {
                manifold.points(i, j) += noise * normal(generator);
            }
        }
    }
    return manifold;
}

}  // namespace

Manifold swiss_roll(Index n, double noise, std::uint64_t seed) {
    return sample(n, noise, seed, [](double u, double v, auto point) {
        const double t = 1.5 * std::numbers::pi * (1.0 + 2.0 * u);
        point << t * std::cos(t), 21.0 * v, t * std::sin(t);
        return t;
    });
}

Manifold s_curve(Index n, double noise, std::uint64_t seed) {
    return sample(n, noise, seed, [](double u, double v, auto point) {
        const double t = 3.0 * std::numbers::pi * (u - 0.5);
        const double sign = t < 0.0 ? -1.0 : 1.0;
        point << std::sin(t), 2.0 * v, sign * (std::cos(t) - 1.0);
        return t;
    });
}

}  // namespace lle::datasets
