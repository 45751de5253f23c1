#include "lle/neighbors/hnsw.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/methods/embed.hpp"
#include "lle/neighbors/exact_distance.hpp"
#include "lle/neighbors/knn.hpp"
#include "neighbors/test_points.hpp"

namespace lle::neighbors {
namespace {

using namespace test_points;

/// Fraction of `exact`'s neighbours that `approximate` holds in the same row.
double recall_against(const NeighborGraph& approximate, const NeighborGraph& exact) {
    Index found = 0;
    for (Index i = 0; i < exact.size(); ++i) {
        for (Index j = 0; j < exact.k(); ++j) {
            const auto row = approximate.indices.row(i);
            found += std::find(row.begin(), row.end(), exact.indices(i, j)) != row.end() ? 1 : 0;
        }
    }
    return static_cast<double>(found) / static_cast<double>(exact.size() * exact.k());
}

/// The graph's contract, whatever neighbours it found: no point is its own neighbour, no
/// neighbour repeats, each distance is the exact one for its index, rows are in increasing
/// (distance, index) order.
void expect_well_formed(const NeighborGraph& graph, const PointMatrix& points,
                        const std::string& label) {
    ASSERT_EQ(graph.size(), points.rows()) << label;
    for (Index i = 0; i < graph.size(); ++i) {
        for (Index j = 0; j < graph.k(); ++j) {
            const Index neighbor = graph.indices(i, j);
            ASSERT_NE(neighbor, i) << label << ": point " << i << " is its own neighbour";
            ASSERT_GE(neighbor, 0) << label;
            ASSERT_LT(neighbor, points.rows()) << label;
            const double exact = std::sqrt(detail::squared_distance(
                points.row(i).data(), points.row(neighbor).data(), points.cols()));
            ASSERT_EQ(graph.distances(i, j), exact) << label << ": point " << i << ", " << j;
            if (j > 0) {
                const double previous = graph.distances(i, j - 1);
                ASSERT_TRUE(previous < exact ||
                            (previous == exact && graph.indices(i, j - 1) < neighbor))
                    << label << ": point " << i << ", neighbours " << j - 1 << " and " << j;
            }
        }
    }
}

TEST(Hnsw, FindsNearlyAllNeighboursOfClusteredAndUniformPoints) {
    const Index k = 10;
    const PointMatrix clustered = clustered_cloud(2000, 50, 20, 101u);
    const NeighborGraph graph = k_nearest(clustered, k, Algorithm::hnsw);
    expect_well_formed(graph, clustered, "clustered");
    EXPECT_GE(recall_against(graph, k_nearest(clustered, k, Algorithm::brute_force)), 0.95);

    // Uniform in 50 dimensions, HNSW's hardest case, needs more candidates than the defaults
    // (tuned on image data) keep: they find about 94% here.
    const PointMatrix uniform = uniform_cloud(2000, 50, 102u);
    HnswOptions options;
    options.ef_construction = 100;
    options.ef_search = 40;
    const NeighborGraph uniform_graph = k_nearest(uniform, k, Algorithm::hnsw, options);
    expect_well_formed(uniform_graph, uniform, "uniform");
    EXPECT_GE(recall_against(uniform_graph, k_nearest(uniform, k, Algorithm::brute_force)), 0.95);
}

TEST(Hnsw, DuplicatesAreNeighboursButNeverThePointItself) {
    // Every point three times: each has two copies at distance 0.
    const Index base = 500;
    const PointMatrix points = repeated(uniform_cloud(base, 20, 111u), 3);
    const NeighborGraph graph = k_nearest(points, 5, Algorithm::hnsw);
    expect_well_formed(graph, points, "three copies");
    Index both_copies_first = 0;
    for (Index i = 0; i < points.rows(); ++i) {
        both_copies_first += graph.distances(i, 0) == 0.0 && graph.distances(i, 1) == 0.0;
    }
    EXPECT_GE(both_copies_first, points.rows() * 99 / 100);

    // Sixty copies of one point among others: every copy's neighbours are copies.
    PointMatrix crowd = uniform_cloud(400, 20, 112u);
    crowd.topRows(60).rowwise() = crowd.row(0);
    const NeighborGraph crowded = k_nearest(crowd, 8, Algorithm::hnsw);
    expect_well_formed(crowded, crowd, "sixty copies");
    for (Index i = 0; i < 60; ++i) {
        EXPECT_EQ(crowded.distances(i, 7), 0.0) << "copy " << i;
    }
}

TEST(Hnsw, AllOtherPointsWhenKIsNMinusOne) {
    const PointMatrix points = uniform_cloud(40, 16, 121u);
    const NeighborGraph graph = k_nearest(points, 39, Algorithm::hnsw);
    const NeighborGraph exact = k_nearest(points, 39, Algorithm::brute_force);
    EXPECT_EQ(graph.indices, exact.indices);
    EXPECT_EQ(graph.distances, exact.distances);
}

/// `clusters` Gaussian blobs in a `latent`-dimensional space (centres uniform in [-5, 5],
/// standard deviation 1) mapped into `dimension` coordinates by one random linear map, plus
/// noise of standard deviation `noise` in every coordinate: high-dimensional points of low
/// intrinsic dimension, like images.
PointMatrix low_dimensional_clusters(Index n, Index latent, Index dimension, Index clusters,
                                     double noise, unsigned seed) {
    const PointMatrix centres = uniform_cloud(clusters, latent, seed) * 5.0;
    const PointMatrix map = uniform_cloud(latent, dimension, seed + 1);
    std::mt19937_64 engine(seed + 2);
    std::normal_distribution<double> normal;
    PointMatrix points(n, dimension);
    Eigen::RowVectorXd position(latent);
    for (Index i = 0; i < n; ++i) {
        for (Index d = 0; d < latent; ++d) {
            position(d) = centres(i % clusters, d) + normal(engine);
        }
        points.row(i) = position * map;
        for (Index d = 0; d < dimension; ++d) {
            points(i, d) += noise * normal(engine);
        }
    }
    return points;
}

TEST(Hnsw, ProjectedSearchFindsNearlyAllNeighboursInHighDimension) {
    const Index k = 10;
    const PointMatrix points = low_dimensional_clusters(3000, 8, 200, 10, 0.05, 181u);
    const NeighborGraph exact = k_nearest(points, k, Algorithm::brute_force);

    // Automatic: 200 coordinates, more than hnsw_projection_min_dimension, so projected.
    const NeighborGraph graph = k_nearest(points, k, Algorithm::hnsw);
    expect_well_formed(graph, points, "automatic projection");
    EXPECT_GE(recall_against(graph, exact), 0.95);

    // An explicit projection, in single precision too, with fewer candidates.
    HnswOptions options;
    options.projection = 12;
    options.candidates = 30;
    const NeighborGraph twelve = k_nearest(points, k, Algorithm::hnsw, options);
    expect_well_formed(twelve, points, "12 directions");
    EXPECT_GE(recall_against(twelve, exact), 0.95);
    const PointMatrixF single = points.cast<float>();
    const NeighborGraph single_graph = k_nearest(single, k, Algorithm::hnsw, options);
    EXPECT_GE(recall_against(single_graph, k_nearest(single, k, Algorithm::brute_force)), 0.95);
    for (Index i = 0; i < single.rows(); ++i) {
        for (Index j = 0; j < k; ++j) {
            ASSERT_NE(single_graph.indices(i, j), i);
        }
    }

    // Without a projection the same points are found as well.
    options = {};
    options.projection = -1;
    const NeighborGraph full = k_nearest(points, k, Algorithm::hnsw, options);
    expect_well_formed(full, points, "no projection");
    EXPECT_GE(recall_against(full, exact), 0.95);
}

TEST(Hnsw, ProjectedSearchCountsEveryPointTwice) {
    const PointMatrix points = low_dimensional_clusters(1500, 6, 100, 5, 0.05, 191u);
    const ProgressSink sink;
    for (const Index projection : {Index{-1}, Index{0}}) {
        ProgressMeter meter(sink, "neighbors", "points");
        HnswOptions options;
        options.projection = projection;
        const NeighborGraph graph = detail::hnsw_neighbors(points, 5, options, &meter);
        expect_well_formed(graph, points, "progress");
        EXPECT_EQ(meter.done(), 2 * points.rows()) << "projection " << projection;
    }
}

TEST(Hnsw, ProjectsOnlyHighDimensionalPointsOntoFewerDirections) {
    const HnswOptions automatic;
    EXPECT_FALSE(detail::may_project(hnsw_projection_min_dimension, automatic));
    EXPECT_TRUE(detail::may_project(hnsw_projection_min_dimension + 1, automatic));
    EXPECT_TRUE(detail::may_project(hnsw_projection_max_dimension, automatic));
    EXPECT_FALSE(detail::may_project(hnsw_projection_max_dimension + 1, automatic));

    // Variances 1/2, 1/4, ...: 90% in the first four, raised to the minimum.
    Eigen::VectorXd halving(200);
    for (Index d = 0; d < halving.size(); ++d) {
        halving(d) = std::pow(0.5, static_cast<double>(d + 1));
    }
    EXPECT_EQ(detail::projected_dimension(halving, automatic), hnsw_projection_min_directions);
    EXPECT_EQ(detail::projected_dimension(halving.head(hnsw_projection_min_dimension), automatic),
              0);
    // Equal variances: 90% needs 90% of the directions, more than half of them.
    EXPECT_EQ(detail::projected_dimension(Eigen::VectorXd::Ones(200), automatic), 0);
    // Just under half of them.
    Eigen::VectorXd flat = Eigen::VectorXd::Zero(200);
    flat.head(99).setOnes();
    EXPECT_EQ(detail::projected_dimension(flat, automatic), 90);
    // All points equal: nothing to project.
    EXPECT_EQ(detail::projected_dimension(Eigen::VectorXd::Zero(200), automatic), 0);

    HnswOptions options;
    options.projection = 7;
    EXPECT_EQ(detail::projected_dimension(halving.head(10), options), 7);
    EXPECT_EQ(detail::projected_dimension(halving.head(7), options), 0);
    options.projection = -1;
    EXPECT_FALSE(detail::may_project(784, options));
    EXPECT_EQ(detail::projected_dimension(halving, options), 0);
}

// The search checks its memory before allocating anything, with the fewest directions a
// projection keeps (32 here), and again with the directions it found (54 or so: 60 coordinates
// of equal variance, 90% of it kept), before the projected rows and the graph.
TEST(Hnsw, ChecksItsMemoryBeforeAndOnceItKnowsItsDirections) {
    const Index n = 2000;
    const Index dimension = 200;
    const Index k = 5;
    std::mt19937_64 generator(7);
    std::normal_distribution<double> gaussian;
    PointMatrix points = PointMatrix::Zero(n, dimension);
    for (Index i = 0; i < n; ++i) {
        for (Index d = 0; d < 60; ++d) {
            points(i, d) = gaussian(generator);
        }
    }
    HnswOptions options;
    ASSERT_EQ(detail::fewest_directions(dimension, options), hnsw_projection_min_directions);
    const double fewest = hnsw_bytes(n, dimension, hnsw_projection_min_directions, k, options);
    // Fewer directions, less memory; all coordinates, the most.
    EXPECT_LT(fewest, hnsw_bytes(n, dimension, 54, k, options));
    EXPECT_LT(hnsw_bytes(n, dimension, 54, k, options), hnsw_bytes(n, dimension, 0, k, options));

    for (const double limit : {fewest - 1.0, fewest + 1.0}) {
        options.memory_limit = limit;
        try {
            detail::hnsw_neighbors(points, k, options);
            FAIL() << "no ResourceError under " << limit;
        } catch (const ResourceError& error) {
            EXPECT_NE(
                std::string(error.what()).find("not enough memory: the HNSW neighbour search"),
                std::string::npos)
                << error.what();
        }
    }
    // At most half of the coordinates are projected on.
    options.memory_limit = hnsw_bytes(n, dimension, dimension / 2, k, options);
    expect_well_formed(detail::hnsw_neighbors(points, k, options), points, "within the limit");
}

TEST(Hnsw, LowDimensionalPointsAreSearchedInAllCoordinates) {
    // At most hnsw_projection_min_dimension coordinates: the automatic search and the one told
    // not to project are the same search; on one thread, the same graph.
    const PointMatrix points = clustered_cloud(800, hnsw_projection_min_dimension, 8, 201u);
    HnswOptions none;
    none.projection = -1;
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const NeighborGraph automatic = k_nearest(points, 6, Algorithm::hnsw);
    const NeighborGraph full = k_nearest(points, 6, Algorithm::hnsw, none);
    omp_set_num_threads(threads);
    EXPECT_EQ(automatic.indices, full.indices);
    EXPECT_EQ(automatic.distances, full.distances);
}

TEST(ExactDistances, FourAtATimeEqualOneAtATime) {
    const PointMatrix points = uniform_cloud(50, 37, 211u) * 1e3;
    const PointMatrixF single = points.cast<float>();
    std::vector<detail::Neighbor> candidates;
    std::vector<detail::Neighbor> single_candidates;
    for (Index j = 1; j < 12; ++j) {
        candidates.push_back({0.0, j * 4});
    }
    single_candidates = candidates;
    detail::exact_squared_distances<double>(points, points.row(1).data(), candidates);
    detail::exact_squared_distances<float>(single, single.row(1).data(), single_candidates);
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        const Index j = candidates[c].index;
        EXPECT_EQ(candidates[c].squared_distance,
                  detail::squared_distance(points.row(1).data(), points.row(j).data(), 37));
        EXPECT_EQ(single_candidates[c].squared_distance,
                  detail::squared_distance(single.row(1).data(), single.row(j).data(), 37));
    }
}

TEST(Hnsw, EveryDistanceKernelAgreesWithADoubleSum) {
    const auto kernels = detail::distance_kernels();
    ASSERT_EQ(kernels.back().first, "plain");
    for (const std::size_t dimension : {1, 7, 8, 15, 16, 17, 31, 32, 33, 50, 784}) {
        const PointMatrix pair = uniform_cloud(2, static_cast<Index>(dimension), 171u);
        std::vector<float> a(dimension);
        std::vector<float> b(dimension);
        double expected = 0.0;
        for (std::size_t d = 0; d < dimension; ++d) {
            a[d] = static_cast<float>(pair(0, static_cast<Index>(d)));
            b[d] = static_cast<float>(pair(1, static_cast<Index>(d)));
            const double difference = double(a[d]) - double(b[d]);
            expected += difference * difference;
        }
        for (const auto& [name, kernel] : kernels) {
            EXPECT_NEAR(kernel(a.data(), b.data(), &dimension), expected, 1e-5 * expected)
                << name << ", D = " << dimension;
        }
    }
}

TEST(Hnsw, RejectsBadOptions) {
    const PointMatrix points = uniform_cloud(100, 20, 131u);
    HnswOptions options;
    options.m = 1;
    try {
        k_nearest(points, 5, Algorithm::hnsw, options);
        ADD_FAILURE() << "M = 1 accepted";
    } catch (const ParameterError& error) {
        EXPECT_STREQ(error.what(), "hnsw M must satisfy 2 <= M <= 1000 (got 1)");
    }
    options = {};
    options.ef_search = 0;
    EXPECT_THROW(k_nearest(points, 5, Algorithm::hnsw, options), ParameterError);
    options = {};
    options.ef_construction = 0;
    EXPECT_THROW(validate(options), ParameterError);
    options = {};
    options.projection = -2;
    try {
        k_nearest(points, 5, Algorithm::hnsw, options);
        ADD_FAILURE() << "projection -2 accepted";
    } catch (const ParameterError& error) {
        EXPECT_STREQ(error.what(),
                     "hnsw projection must satisfy projection >= -1 (0 automatic, -1 none) "
                     "(got -2)");
    }
    options = {};
    options.candidates = -1;
    EXPECT_THROW(validate(options), ParameterError);
    options.candidates = 0;
    options.projection = -1;
    EXPECT_NO_THROW(validate(options));
    // Unused options are not checked by an exact search.
    EXPECT_NO_THROW(k_nearest(points, 5, Algorithm::brute_force, options));
}

TEST(EstimateRecall, CountsAKnownNumberOfWrongNeighbours) {
    const PointMatrix points = uniform_cloud(300, 3, 141u);
    const Index k = 5;
    NeighborGraph graph = k_nearest(points, k, Algorithm::kd_tree);
    const NeighborGraph everything = k_nearest(points, points.rows() - 1, Algorithm::kd_tree);
    EXPECT_EQ(estimate_recall(points, graph, 1000).recall, 1.0);
    EXPECT_EQ(estimate_recall(points, graph, 1000).far_points, 0);

    // The last neighbour of 60 points replaced by their farthest point: 60 of 1500 wrong, each
    // far beyond twice the point's true 5th-nearest distance in a cloud of 300.
    for (Index i = 0; i < 60; ++i) {
        graph.indices(i, k - 1) = everything.indices(i, points.rows() - 2);
    }
    const RecallEstimate all = estimate_recall(points, graph, 1000);
    EXPECT_EQ(all.sample_size, 300);
    EXPECT_DOUBLE_EQ(all.recall, 1.0 - 60.0 / 1500.0);
    EXPECT_EQ(all.far_points, 60);

    // A sample: its estimate is the fraction of its own rows' neighbours, at most 1.
    const RecallEstimate sampled = estimate_recall(points, graph, 100, 7);
    EXPECT_EQ(sampled.sample_size, 100);
    EXPECT_GE(sampled.recall, 1.0 - 60.0 / 500.0);
    EXPECT_LE(sampled.recall, 1.0);
    EXPECT_EQ(estimate_recall(points, graph, 100, 7).recall, sampled.recall);
}

TEST(EstimateRecall, TiesAtTheKthDistanceCountAndThePointItselfDoesNot) {
    // x = 0, 1, ..., 9: an interior point's two neighbours tie at distance 1.
    PointMatrix points(10, 1);
    for (Index i = 0; i < 10; ++i) {
        points(i, 0) = static_cast<double>(i);
    }
    NeighborGraph graph = k_nearest(points, 1, Algorithm::kd_tree);
    for (Index i = 1; i < 9; ++i) {
        graph.indices(i, 0) = i + 1;  // the exact search prefers i - 1
    }
    EXPECT_EQ(estimate_recall(points, graph).recall, 1.0);
    // Point 1's neighbour 3, at distance 2, is exactly twice its true nearest: not far yet.
    graph.indices(1, 0) = 3;
    EXPECT_EQ(estimate_recall(points, graph).far_points, 0);
    graph.indices(1, 0) = 4;
    EXPECT_EQ(estimate_recall(points, graph).far_points, 1);
    graph.indices(1, 0) = 2;
    graph.indices(0, 0) = 0;
    EXPECT_DOUBLE_EQ(estimate_recall(points, graph).recall, 0.9);

    EXPECT_THROW(estimate_recall(points, graph, 0), ParameterError);
}

TEST(ChooseAlgorithm, KdTreeForLowDimensionHnswForManyPointsInHighDimension) {
    EXPECT_EQ(choose_algorithm(1000, 3), Algorithm::kd_tree);
    EXPECT_EQ(choose_algorithm(10'000'000, kd_tree_max_dimension), Algorithm::kd_tree);
    EXPECT_EQ(choose_algorithm(1000, 784), Algorithm::brute_force);
    EXPECT_EQ(choose_algorithm(hnsw_min_points - 1, 784), Algorithm::brute_force);
    EXPECT_EQ(choose_algorithm(hnsw_min_points, kd_tree_max_dimension + 1), Algorithm::hnsw);
    EXPECT_EQ(choose_algorithm(hnsw_min_points, 784), Algorithm::hnsw);

    EXPECT_EQ(resolve_algorithm(Algorithm::automatic, hnsw_min_points, 784), Algorithm::hnsw);
    EXPECT_EQ(resolve_algorithm(Algorithm::exact, hnsw_min_points, 784), Algorithm::brute_force);
    EXPECT_EQ(resolve_algorithm(Algorithm::exact, hnsw_min_points, 3), Algorithm::kd_tree);
    EXPECT_EQ(resolve_algorithm(Algorithm::kd_tree, 10, 784), Algorithm::kd_tree);
    EXPECT_EQ(resolve_algorithm(Algorithm::hnsw, 10, 3), Algorithm::hnsw);
    EXPECT_TRUE(is_approximate(Algorithm::hnsw));
    EXPECT_FALSE(is_approximate(Algorithm::brute_force));
    EXPECT_EQ(to_string(Algorithm::automatic), "auto");
    EXPECT_EQ(to_string(Algorithm::hnsw), "hnsw");
}

TEST(Embed, StatesTheSearchAndEstimatesTheRecallOfAnApproximateOne) {
    const PointMatrix points = clustered_cloud(1200, 30, 12, 151u);
    Parameters parameters;
    parameters.n_neighbors = 8;
    parameters.neighbor_algorithm = Algorithm::hnsw;
    parameters.recall_sample_size = 300;
    parameters.disconnected = Disconnected::components;  // the clusters lie apart
    const Result approximate = embed(points, parameters);
    EXPECT_EQ(approximate.neighbor_algorithm, Algorithm::hnsw);
    ASSERT_TRUE(approximate.recall.has_value());
    EXPECT_EQ(approximate.recall->sample_size, 300);
    EXPECT_GE(approximate.recall->recall, 0.95);
    EXPECT_LE(approximate.recall->recall, 1.0);
    EXPECT_EQ(approximate.timings[1].name, "recall");

    parameters.neighbor_algorithm = Algorithm::automatic;
    const Result exact = embed(points, parameters);
    EXPECT_EQ(exact.neighbor_algorithm, Algorithm::brute_force);
    EXPECT_FALSE(exact.recall.has_value());

    parameters.recall_sample_size = 0;
    EXPECT_THROW(embed(points, parameters), ParameterError);
    parameters.recall_sample_size = 1000;
    parameters.min_recall = 1.5;
    EXPECT_THROW(embed(points, parameters), ParameterError);
}

TEST(Embed, AutomaticSearchFallsBackToExactWhenHnswRecallIsLow) {
    // Uniform in 50 dimensions: the default HNSW finds under 80% of the neighbours.
    const PointMatrix points = uniform_cloud(hnsw_min_points, 50, 161u);
    Parameters parameters;
    parameters.n_neighbors = 5;
    parameters.n_components = 1;
    // Only the neighbours matter here: one cheap eigensolver iteration.
    parameters.eigen_solver = embedding::Solver::gradient;
    parameters.preconditioner = embedding::Preconditioner::none;
    parameters.max_iterations = 1;
    const Result result = embed(points, parameters);
    EXPECT_EQ(result.neighbor_algorithm, Algorithm::brute_force);
    EXPECT_FALSE(result.recall.has_value());
    ASSERT_TRUE(result.discarded_recall.has_value());
    EXPECT_LT(result.discarded_recall->recall, parameters.min_recall);
    EXPECT_EQ(result.timings[2].name, "exact neighbors");
    EXPECT_EQ(result.neighbors.indices, k_nearest(points, 5, Algorithm::brute_force).indices);

    // Asked for explicitly, hnsw is kept.
    parameters.neighbor_algorithm = Algorithm::hnsw;
    const Result kept = embed(points, parameters);
    EXPECT_EQ(kept.neighbor_algorithm, Algorithm::hnsw);
    ASSERT_TRUE(kept.recall.has_value());
    EXPECT_FALSE(kept.discarded_recall.has_value());
}

}  // namespace
}  // namespace lle::neighbors
