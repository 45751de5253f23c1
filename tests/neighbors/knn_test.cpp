#include "lle/neighbors/knn.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "neighbors/test_points.hpp"

namespace lle::neighbors {
namespace {

using namespace test_points;

/// The oracle: every pair's distance as sum (a - b)^2 in coordinate order, every row stably
/// sorted by (distance, index). With `skip_self`, query i skips reference point i by index.
NeighborGraph naive_scan(PointsView reference, PointsView queries, Index k, bool skip_self) {
    NeighborGraph graph{IndexMatrix(queries.rows(), k), PointMatrix(queries.rows(), k)};
    std::vector<std::pair<double, Index>> row;
    for (Index i = 0; i < queries.rows(); ++i) {
        row.clear();
        for (Index j = 0; j < reference.rows(); ++j) {
            if (skip_self && j == i) {
                continue;
            }
            double sum = 0.0;
            for (Index d = 0; d < reference.cols(); ++d) {
                const double difference = queries(i, d) - reference(j, d);
                sum += difference * difference;
            }
            row.emplace_back(sum, j);
        }
        std::stable_sort(row.begin(), row.end());
        for (Index j = 0; j < k; ++j) {
            graph.indices(i, j) = row[static_cast<std::size_t>(j)].second;
            graph.distances(i, j) = std::sqrt(row[static_cast<std::size_t>(j)].first);
        }
    }
    return graph;
}

/// The oracle for a point set's own graph: each point skips itself.
NeighborGraph naive_neighbors(PointsView points, Index k) {
    return naive_scan(points, points, k, true);
}

/// Identical indices; distances equal to the oracle's up to the last bits of a square root.
///
/// Indices are compared exactly even on real-valued data with near-ties: both algorithms rank
/// by the same computed squared distances as the oracle (brute force keeps every candidate
/// within its GEMM's rounding bound of the k-th and recomputes them before ranking).
void expect_same_graph(const NeighborGraph& actual, const NeighborGraph& expected,
                       const std::string& label) {
    ASSERT_EQ(actual.size(), expected.size()) << label;
    ASSERT_EQ(actual.k(), expected.k()) << label;
    for (Index i = 0; i < expected.size(); ++i) {
        for (Index j = 0; j < expected.k(); ++j) {
            ASSERT_EQ(actual.indices(i, j), expected.indices(i, j))
                << label << ": point " << i << ", neighbour " << j;
            ASSERT_NEAR(actual.distances(i, j), expected.distances(i, j),
                        1e-12 * (1.0 + expected.distances(i, j)))
                << label << ": point " << i << ", neighbour " << j;
        }
    }
}

/// Both algorithms against the oracle on `points`, for each `k` (the oracle runs once).
void expect_exact(const PointMatrix& points, std::initializer_list<Index> ks,
                  const std::string& label) {
    const NeighborGraph all = naive_neighbors(points, std::max(ks));
    for (Index k : ks) {
        const NeighborGraph expected{all.indices.leftCols(k), all.distances.leftCols(k)};
        const std::string name = label + ", k=" + std::to_string(k);
        expect_same_graph(k_nearest(points, k, Algorithm::kd_tree), expected, name + ", kd-tree");
        expect_same_graph(k_nearest(points, k, Algorithm::brute_force), expected,
                          name + ", brute force");
    }
}

TEST(KNearest, FivePointsOnALine) {
    // x = 0, 1, 3, 6, 10
    PointMatrix points(5, 1);
    points << 0.0, 1.0, 3.0, 6.0, 10.0;
    IndexMatrix indices(5, 2);
    indices << 1, 2,  //
        0, 2,         //
        1, 0,         //
        2, 4,         //
        3, 2;
    PointMatrix distances(5, 2);
    distances << 1.0, 3.0,  //
        1.0, 2.0,           //
        2.0, 3.0,           //
        3.0, 4.0,           //
        4.0, 7.0;
    for (Algorithm algorithm : {Algorithm::kd_tree, Algorithm::brute_force}) {
        const NeighborGraph graph = k_nearest(points, 2, algorithm);
        EXPECT_EQ(graph.indices, indices);
        EXPECT_EQ(graph.distances, distances);
    }
}

TEST(KNearest, EqualDistancesGoToTheSmallerIndex) {
    // Points 0 and 2 are both at distance 1 from point 1; point 3 coincides with point 1.
    PointMatrix points(4, 2);
    points << 0.0, 0.0,  //
        1.0, 0.0,        //
        2.0, 0.0,        //
        1.0, 0.0;
    for (Algorithm algorithm : {Algorithm::kd_tree, Algorithm::brute_force}) {
        const NeighborGraph graph = k_nearest(points, 3, algorithm);
        EXPECT_EQ(graph.indices.row(1), (IndexMatrix(1, 3) << 3, 0, 2).finished());
        EXPECT_EQ(graph.distances.row(1), (PointMatrix(1, 3) << 0.0, 1.0, 1.0).finished());
        EXPECT_EQ(graph.indices.row(3), (IndexMatrix(1, 3) << 1, 0, 2).finished());
        EXPECT_EQ(graph.indices.row(0), (IndexMatrix(1, 3) << 1, 3, 2).finished());
    }
}

TEST(KNearest, RandomCloudsMatchTheNaiveScan) {
    const Index dimensions[] = {2, 3, 10, 50};
    const Index sizes[] = {2000, 1500, 1000, 600};
    for (int c = 0; c < 4; ++c) {
        const PointMatrix points = uniform_cloud(sizes[c], dimensions[c], 11u + unsigned(c));
        expect_exact(points, {1, 7, 30}, "D=" + std::to_string(dimensions[c]));
    }
}

TEST(KNearest, ExactDuplicatesComeFirstButNeverThePointItself) {
    const Index base = 400;
    const PointMatrix points = repeated(uniform_cloud(base, 3, 5u), 3);
    const Index k = 5;
    expect_exact(points, {k}, "duplicates");

    for (Algorithm algorithm : {Algorithm::kd_tree, Algorithm::brute_force}) {
        const NeighborGraph graph = k_nearest(points, k, algorithm);
        for (Index i = 0; i < points.rows(); ++i) {
            const Index original = i % base;
            std::vector<Index> copies;
            for (Index c = 0; c < 3; ++c) {
                if (original + c * base != i) {
                    copies.push_back(original + c * base);
                }
            }
            EXPECT_EQ(graph.indices(i, 0), copies[0]) << "point " << i;
            EXPECT_EQ(graph.indices(i, 1), copies[1]) << "point " << i;
            EXPECT_EQ(graph.distances(i, 0), 0.0);
            EXPECT_EQ(graph.distances(i, 1), 0.0);
            EXPECT_GT(graph.distances(i, 2), 0.0);
        }
    }
}

TEST(KNearest, IntegerGridsBreakTiesByIndex) {
    // On a square lattice an interior point has 4 neighbours at 1 and 4 at sqrt 2.
    expect_exact(grid(40, 2), {8}, "2-D grid");
    expect_exact(grid(10, 3), {18}, "3-D grid");
    expect_exact(repeated(grid(12, 2), 2), {9}, "2-D grid, every point twice");
}

TEST(KNearest, PixelLikeDataBreaksTiesByIndex) {
    // Few grey levels in many dimensions: ties everywhere, and many exact duplicates.
    const PointMatrix levels = integer_cloud(1000, 20, 3, 21u);
    expect_exact(levels, {10}, "3 levels, D=20");
    expect_exact(integer_cloud(800, 64, 4, 22u), {12}, "4 levels, D=64");

    // The same levels scaled to [0, 1]: ties are no longer exact in real arithmetic, but every
    // algorithm ranks by the same computed doubles and must still agree with the oracle.
    const PointMatrix scaled = levels / 255.0;
    expect_exact(scaled, {10}, "3 levels / 255, D=20");
}

TEST(KNearest, SmallestAndLargestK) {
    const PointMatrix points = uniform_cloud(500, 3, 31u);
    expect_exact(points, {1, 499}, "uniform, n=500");
    expect_exact(grid(20, 2), {399}, "grid, k=n-1");

    PointMatrix pair(2, 2);
    pair << 0.0, 0.0,  //
        3.0, 4.0;
    for (Algorithm algorithm : {Algorithm::kd_tree, Algorithm::brute_force}) {
        const NeighborGraph graph = k_nearest(pair, 1, algorithm);
        EXPECT_EQ(graph.indices, (IndexMatrix(2, 1) << 1, 0).finished());
        EXPECT_EQ(graph.distances, (PointMatrix(2, 1) << 5.0, 5.0).finished());
    }
}

TEST(KNearest, ReadsRowsOfAWiderMatrixWithoutCopying) {
    // A view on the first 3 columns of a 7-column matrix: the row stride is 7, not 3.
    const PointMatrix wide = uniform_cloud(700, 7, 41u);
    const PointsView view(wide.leftCols(3));
    ASSERT_EQ(view.outerStride(), 7);
    const NeighborGraph expected = naive_neighbors(view, 6);
    expect_same_graph(k_nearest(view, 6, Algorithm::kd_tree), expected, "kd-tree");
    expect_same_graph(k_nearest(view, 6, Algorithm::brute_force), expected, "brute force");
}

TEST(KNearest, PointsFarFromTheOrigin) {
    // Offsetting a cloud by 1e6 makes the GEMM's |x|^2 + |y|^2 - 2 x.y cancel heavily.
    PointMatrix points = uniform_cloud(600, 20, 51u);
    points.array() += 1e6;
    expect_exact(points, {8}, "offset cloud");
}

TEST(KNearest, AutomaticPicksByDimension) {
    EXPECT_EQ(choose_exact_algorithm(1), Algorithm::kd_tree);
    EXPECT_EQ(choose_exact_algorithm(3), Algorithm::kd_tree);
    EXPECT_EQ(choose_exact_algorithm(10), Algorithm::kd_tree);
    EXPECT_EQ(choose_exact_algorithm(64), Algorithm::brute_force);
    EXPECT_EQ(choose_exact_algorithm(784), Algorithm::brute_force);

    const PointMatrix low = uniform_cloud(300, 3, 61u);
    const PointMatrix high = uniform_cloud(300, 40, 62u);
    expect_same_graph(k_nearest(low, 5), naive_neighbors(low, 5), "automatic, D=3");
    expect_same_graph(k_nearest(high, 5), naive_neighbors(high, 5), "automatic, D=40");
}

TEST(KNearestAmong, QueriesMatchTheNaiveScanAndFindTheirOwnCopyFirst) {
    for (const Index dimension : {Index{3}, Index{20}}) {
        const PointMatrix reference = integer_cloud(700, dimension, 5, 3);
        PointMatrix queries(60, dimension);
        queries.topRows(30) = reference.middleRows(100, 30);
        queries.bottomRows(30) = uniform_cloud(30, dimension, 9) * 4.0;
        const NeighborGraph graph = k_nearest_among(reference, queries, 8);
        expect_same_graph(graph, naive_scan(reference, queries, 8, false),
                          "among, D=" + std::to_string(dimension));
        for (Index i = 0; i < 30; ++i) {
            EXPECT_EQ(graph.distances(i, 0), 0.0);
            EXPECT_EQ(reference.row(graph.indices(i, 0)), queries.row(i));
        }
    }
}

TEST(KNearest, RejectsKOutsideOneToNMinusOne) {
    const PointMatrix points = uniform_cloud(1000, 3, 71u);
    for (Algorithm algorithm : {Algorithm::automatic, Algorithm::kd_tree, Algorithm::brute_force}) {
        try {
            k_nearest(points, 1000, algorithm);
            ADD_FAILURE() << "k = n accepted";
        } catch (const ParameterError& error) {
            EXPECT_STREQ(error.what(), "k must satisfy 1 <= k <= n - 1 = 999 (got 1000)");
        }
        try {
            k_nearest(points, 0, algorithm);
            ADD_FAILURE() << "k = 0 accepted";
        } catch (const ParameterError& error) {
            EXPECT_STREQ(error.what(), "k must satisfy 1 <= k <= n - 1 = 999 (got 0)");
        }
    }
    EXPECT_THROW(k_nearest(points.topRows(1), 1), ParameterError);
}

TEST(KNearest, RejectsNonFiniteOrOverflowingPoints) {
    PointMatrix points = uniform_cloud(50, 3, 81u);
    points(17, 2) = std::numeric_limits<double>::quiet_NaN();
    try {
        k_nearest(points, 3);
        ADD_FAILURE() << "NaN accepted";
    } catch (const DataError& error) {
        EXPECT_STREQ(error.what(), "points must be finite: row 17, column 2 holds nan");
    }

    points(17, 2) = 1e160;
    try {
        k_nearest(points, 3);
        ADD_FAILURE() << "overflowing squared distances accepted";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("1e+160 in 3 dimensions"), std::string::npos)
            << error.what();
    }

    EXPECT_THROW(k_nearest(PointMatrix(10, 0), 3), DataError);
}

}  // namespace
}  // namespace lle::neighbors
