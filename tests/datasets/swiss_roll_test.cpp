#include "lle/datasets/swiss_roll.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace lle::datasets {
namespace {

TEST(SwissRoll, PointsLieOnTheRoll) {
    const Manifold roll = swiss_roll(2000, 0.0, 5);
    ASSERT_EQ(roll.points.rows(), 2000);
    ASSERT_EQ(roll.points.cols(), 3);
    for (Index i = 0; i < 2000; ++i) {
        const double t = roll.position(i);
        EXPECT_GE(t, 1.5 * std::numbers::pi);
        EXPECT_LT(t, 4.5 * std::numbers::pi);
        EXPECT_DOUBLE_EQ(roll.points(i, 0), t * std::cos(t));
        EXPECT_DOUBLE_EQ(roll.points(i, 2), t * std::sin(t));
        EXPECT_GE(roll.points(i, 1), 0.0);
        EXPECT_LT(roll.points(i, 1), 21.0);
    }
}

TEST(SwissRoll, SeedDeterminesThePoints) {
    EXPECT_EQ(swiss_roll(100, 0.1, 3).points, swiss_roll(100, 0.1, 3).points);
    EXPECT_NE(swiss_roll(100, 0.1, 3).points, swiss_roll(100, 0.1, 4).points);
}

TEST(SwissRoll, NoiseHasTheRequestedSpread) {
    const Manifold clean = swiss_roll(20000, 0.0, 8);
    const Manifold noisy = swiss_roll(20000, 0.5, 8);
    // The same uniform draws are interleaved with normal ones, so compare through the
    // positions: distance of each noisy point from the clean curve point at its own t.
    double sum_squares = 0.0;
    for (Index i = 0; i < 20000; ++i) {
        const double t = noisy.position(i);
        sum_squares += std::pow(noisy.points(i, 0) - t * std::cos(t), 2) +
                       std::pow(noisy.points(i, 2) - t * std::sin(t), 2);
    }
    const double deviation = std::sqrt(sum_squares / (2.0 * 20000));
    EXPECT_NEAR(deviation, 0.5, 0.02);
    EXPECT_EQ(clean.points.rows(), noisy.points.rows());
}

TEST(SCurve, PointsLieOnTheCurve) {
    const Manifold curve = s_curve(1000, 0.0, 2);
    for (Index i = 0; i < 1000; ++i) {
        const double t = curve.position(i);
        EXPECT_GE(t, -1.5 * std::numbers::pi);
        EXPECT_LT(t, 1.5 * std::numbers::pi);
        EXPECT_DOUBLE_EQ(curve.points(i, 0), std::sin(t));
        EXPECT_DOUBLE_EQ(curve.points(i, 2), (t < 0 ? -1.0 : 1.0) * (std::cos(t) - 1.0));
        EXPECT_GE(curve.points(i, 1), 0.0);
        EXPECT_LT(curve.points(i, 1), 2.0);
    }
}

}  // namespace
}  // namespace lle::datasets
