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
    // Only the embedded component has eigenvalues, its own.
    ASSERT_EQ(largest.component_eigenvalues.size(), 2U);
    EXPECT_EQ(largest.component_eigenvalues[0], largest.eigenvalues);
    EXPECT_EQ(largest.component_eigenvalues[1].size(), 0);
    EXPECT_LT((largest.eigenvalues - alone.eigenvalues).cwiseAbs().maxCoeff(),
              1e-8 * alone.eigenvalues.maxCoeff());
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

TEST(Embed, EachComponentKeepsItsEigenvaluesAndTheErrorSumsThem) {
    // The smaller roll first: the components are numbered by their first point, and
    // `eigenvalues` stays the largest one's, here the second.
    PointMatrix points(500, 3);
    points.topRows(200) = datasets::swiss_roll(200, 0.0, 6).points.array() + 1000.0;
    points.bottomRows(300) = datasets::swiss_roll(300, 0.0, 5).points;
    Parameters parameters;
    parameters.disconnected = Disconnected::components;
    const Result both = embed(points, parameters);
    ASSERT_TRUE(both.solver.converged) << both.solver.message;
    EXPECT_EQ(both.component_sizes, (std::vector<Index>{200, 300}));
    ASSERT_EQ(both.component_eigenvalues.size(), 2U);
    EXPECT_EQ(both.eigenvalues, both.component_eigenvalues[1]);

    // Each component's eigenvalues are those of its points embedded alone.
    const Result first = embed(points.topRows(200), Parameters{});
    const Result second = embed(points.bottomRows(300), Parameters{});
    for (const auto& [mine, alone] : {std::pair{&both.component_eigenvalues[0], &first},
                                      std::pair{&both.component_eigenvalues[1], &second}}) {
        ASSERT_EQ(mine->size(), 2);
        EXPECT_LT((*mine - alone->eigenvalues).cwiseAbs().maxCoeff(),
                  1e-8 * alone->eigenvalues.maxCoeff());
    }
    const double total = first.reconstruction_error + second.reconstruction_error;
    EXPECT_NEAR(both.reconstruction_error,
                both.component_eigenvalues[0].sum() + both.component_eigenvalues[1].sum(),
                1e-15 * total);
    EXPECT_NEAR(both.reconstruction_error, total, 1e-8 * total);

    // And it is the cost of the coordinates: trace(Y^T M Y), M = (I - W)^T (I - W) (the shift
    // of each component along the first coordinate is a constant on it, in M's null space).
    SparseRowMatrix identity(500, 500);
    identity.setIdentity();
    const SparseRowMatrix residual = identity - both.weights;
    const DenseMatrix image = residual * both.coordinates;
    EXPECT_NEAR(image.squaredNorm(), both.reconstruction_error, 1e-6 * total);

    // A connected graph has one entry, its eigenvalues.
    ASSERT_EQ(first.component_eigenvalues.size(), 1U);
    EXPECT_EQ(first.component_eigenvalues[0], first.eigenvalues);
}

}  // namespace
}  // namespace lle
