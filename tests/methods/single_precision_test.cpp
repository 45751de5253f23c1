// Single-precision points through the whole pipeline: every stage that reads float points must
// give exactly what it gives for the same values held as doubles, and the embedding of float
// points must span the double embedding's subspace to within 1e-3 rad.

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/embed.hpp"
#include "lle/methods/hessian.hpp"
#include "lle/methods/ltsa.hpp"
#include "lle/methods/modified.hpp"
#include "lle/neighbors/knn.hpp"
#include "lle/weights/barycentric.hpp"
#include "support/subspace.hpp"

namespace lle {
namespace {

/// `n x dimension` float points, uniform in [-1, 1], or on a grid of `levels` values per
/// coordinate when `levels > 0` (many exact ties, as in pixel data).
PointMatrixF float_cloud(Index n, Index dimension, unsigned seed, int levels = 0) {
    std::mt19937_64 engine(seed);
    std::uniform_real_distribution<float> uniform(-1.0F, 1.0F);
    std::uniform_int_distribution<int> level(0, levels > 0 ? levels - 1 : 0);
    PointMatrixF points(n, dimension);
    for (Index i = 0; i < n; ++i) {
        for (Index d = 0; d < dimension; ++d) {
            points(i, d) = levels > 0 ? static_cast<float>(level(engine)) : uniform(engine);
        }
    }
    return points;
}

/// The swiss roll rounded to float, and those float values back in double.
struct RoundedRoll {
    PointMatrixF single;
    PointMatrix widened;
};

RoundedRoll rounded_roll(Index n) {
    RoundedRoll roll;
    roll.single = datasets::swiss_roll(n, 0.0, 0).points.cast<float>();
    roll.widened = roll.single.cast<double>();
    return roll;
}

void expect_same_graph(const neighbors::NeighborGraph& single,
                       const neighbors::NeighborGraph& widened, const std::string& what) {
    EXPECT_EQ(single.indices, widened.indices) << what;
    EXPECT_EQ(single.distances, widened.distances) << what;
}

TEST(SinglePrecisionNeighbors, EqualTheGraphOfTheSameValuesInDouble) {
    using neighbors::Algorithm;
    struct Case {
        Index n, dimension, k;
        int levels;
    };
    for (const Case& c :
         {Case{700, 3, 8, 0}, Case{600, 40, 10, 0}, Case{900, 20, 6, 4}, Case{1100, 2, 12, 6}}) {
        const PointMatrixF single = float_cloud(c.n, c.dimension, 7, c.levels);
        const PointMatrix widened = single.cast<double>();
        for (const Algorithm algorithm : {Algorithm::kd_tree, Algorithm::brute_force}) {
            const std::string what = "n = " + std::to_string(c.n) +
                                     ", D = " + std::to_string(c.dimension) + ", levels " +
                                     std::to_string(c.levels) + ", algorithm " +
                                     std::to_string(static_cast<int>(algorithm));
            expect_same_graph(neighbors::k_nearest(single, c.k, algorithm),
                              neighbors::k_nearest(widened, c.k, algorithm), what);
            // Both algorithms rank by the same doubles, so they agree with each other too.
            expect_same_graph(neighbors::k_nearest(single, c.k, algorithm),
                              neighbors::k_nearest(widened, c.k, Algorithm::kd_tree), what);
        }
    }
}

TEST(SinglePrecisionNeighbors, QueriesAmongReferencePoints) {
    const PointMatrixF reference = float_cloud(500, 5, 3);
    const PointMatrixF queries = float_cloud(60, 5, 4);
    expect_same_graph(neighbors::k_nearest_among(reference, queries, 7),
                      neighbors::k_nearest_among(PointMatrix(reference.cast<double>()),
                                                 PointMatrix(queries.cast<double>()), 7),
                      "k_nearest_among");
}

TEST(SinglePrecisionNeighbors, RejectCoordinatesWhoseSquaresOverflowFloat) {
    PointMatrixF points = float_cloud(10, 3, 1);
    points(4, 2) = 1e19F;  // fine in double, but 4 D x^2 overflows float
    EXPECT_THROW(neighbors::k_nearest(points, 3), DataError);
    EXPECT_NO_THROW(neighbors::k_nearest(PointMatrix(points.cast<double>()), 3));
    points(4, 2) = std::numeric_limits<float>::quiet_NaN();
    try {
        neighbors::k_nearest(points, 3);
        ADD_FAILURE() << "NaN accepted";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("row 4, column 2"), std::string::npos);
    }
}

TEST(SinglePrecisionWeights, EqualTheWeightsOfTheSameValuesInDouble) {
    const RoundedRoll roll = rounded_roll(1500);
    const IndexMatrix neighbors = neighbors::k_nearest(roll.widened, 10).indices;
    for (const weights::Solver solver : {weights::Solver::closed, weights::Solver::gradient}) {
        const weights::WeightsOptions options{.solver = solver};
        const weights::WeightsResult single =
            weights::barycentric_weights(roll.single, roll.single, neighbors, options);
        const weights::WeightsResult widened =
            weights::barycentric_weights(roll.widened, roll.widened, neighbors, options);
        EXPECT_EQ(single.values, widened.values) << weights::to_string(solver);
        EXPECT_EQ(single.iterations, widened.iterations) << weights::to_string(solver);
    }
}

TEST(SinglePrecisionCostMatrices, EqualTheMatricesOfTheSameValuesInDouble) {
    const RoundedRoll roll = rounded_roll(800);
    const IndexMatrix neighbors = neighbors::k_nearest(roll.widened, 12).indices;
    const auto same = [](const SparseSymmetricMatrix& a, const SparseSymmetricMatrix& b) {
        return a.nonZeros() == b.nonZeros() && DenseMatrix(a) == DenseMatrix(b);
    };
    EXPECT_TRUE(same(methods::modified_cost_matrix(roll.single, neighbors, 2, 1e-3, 1e-12),
                     methods::modified_cost_matrix(roll.widened, neighbors, 2, 1e-3, 1e-12)));
    EXPECT_TRUE(same(methods::hessian_cost_matrix(roll.single, neighbors, 2, 1e-4),
                     methods::hessian_cost_matrix(roll.widened, neighbors, 2, 1e-4)));
    EXPECT_TRUE(same(methods::ltsa_cost_matrix(roll.single, neighbors, 2),
                     methods::ltsa_cost_matrix(roll.widened, neighbors, 2)));
}

TEST(SinglePrecisionEmbed, SpansTheDoubleEmbeddingOfTheSwissRoll) {
    const PointMatrix points = datasets::swiss_roll(2000, 0.0, 0).points;
    const PointMatrixF single = points.cast<float>();
    for (const Method method : {Method::standard, Method::modified, Method::ltsa}) {
        Parameters parameters;
        parameters.n_neighbors = 12;
        parameters.method = method;
        const Result reference = embed(points, parameters);
        const Result result = embed(single, parameters);
        ASSERT_TRUE(result.solver.converged) << to_string(method);
        EXPECT_LT(testing::largest_principal_angle(reference.coordinates, result.coordinates), 1e-3)
            << to_string(method);
        // The float points' graph and weights are those of their values in double.
        const Result widened = embed(PointMatrix(single.cast<double>()), parameters);
        EXPECT_EQ(result.neighbors.indices, widened.neighbors.indices) << to_string(method);
        EXPECT_EQ(result.coordinates, widened.coordinates) << to_string(method);
    }
}

}  // namespace
}  // namespace lle
