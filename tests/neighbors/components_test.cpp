#include "lle/neighbors/components.hpp"

#include <gtest/gtest.h>

#include <string>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/embed.hpp"

namespace lle {
namespace {

TEST(ConnectedComponents, HandBuiltGraph) {
    // 0 - 1, 1 - 0, 2 - 4, 3 - 5, 4 - 2, 5 - 3 (k = 1): {0, 1}, {2, 4}, {3, 5}, numbered by
    // their first point.
    neighbors::NeighborGraph graph{IndexMatrix(6, 1), PointMatrix::Ones(6, 1)};
    graph.indices << 1, 0, 4, 5, 2, 3;
    const neighbors::Components components = neighbors::connected_components(graph);
    EXPECT_EQ(components.count(), 3);
    EXPECT_EQ(components.label, (std::vector<Index>{0, 0, 1, 2, 1, 2}));
    EXPECT_EQ(components.sizes, (std::vector<Index>{2, 2, 2}));

    // A one-way edge joins too: 5 -> 0 merges {3, 5} into {0, 1}.
    graph.indices(5, 0) = 0;
    const neighbors::Components joined = neighbors::connected_components(graph);
    EXPECT_EQ(joined.count(), 2);
    EXPECT_EQ(joined.sizes, (std::vector<Index>{4, 2}));
}

PointMatrix two_rolls() {
    PointMatrix points(500, 3);
    points.topRows(300) = datasets::swiss_roll(300, 0.0, 5).points;
    points.bottomRows(200) = datasets::swiss_roll(200, 0.0, 6).points.array() + 1000.0;
    return points;
}

TEST(Embed, DisconnectedGraphIsAnErrorByDefault) {
    try {
        embed(two_rolls(), Parameters{});
        FAIL() << "no DataError";
    } catch (const DataError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("2 components (points in each: 300, 200)"), std::string::npos)
            << message;
    }
}

TEST(Embed, LargestComponentAloneIsItsOwnEmbedding) {
    const PointMatrix points = two_rolls();
    Parameters parameters;
    parameters.disconnected = Disconnected::largest;
    const Result largest = embed(points, parameters);
    ASSERT_EQ(largest.rows.size(), 300U);
    EXPECT_EQ(largest.rows.front(), 0);
    EXPECT_EQ(largest.rows.back(), 299);
    EXPECT_EQ(largest.component_sizes, (std::vector<Index>{300, 200}));
    const Result alone = embed(points.topRows(300), Parameters{});
    const Eigen::MatrixXd overlap = largest.coordinates.transpose() * alone.coordinates;
    EXPECT_LT((overlap.cwiseAbs() - Eigen::MatrixXd::Identity(2, 2)).cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_NEAR(largest.reconstruction_error, alone.reconstruction_error,
                1e-8 * alone.reconstruction_error);
}

TEST(Embed, ComponentsLieSideBySide) {
    Parameters parameters;
    parameters.disconnected = Disconnected::components;
    const Result both = embed(two_rolls(), parameters);
    EXPECT_TRUE(both.rows.empty());
    ASSERT_EQ(both.coordinates.rows(), 500);
    EXPECT_TRUE(both.coordinates.allFinite());
    EXPECT_LT(both.coordinates.topRows(300).col(0).maxCoeff(),
              both.coordinates.bottomRows(200).col(0).minCoeff());
    EXPECT_TRUE(both.solver.converged);
}

}  // namespace
}  // namespace lle
