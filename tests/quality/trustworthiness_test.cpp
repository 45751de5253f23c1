#include "lle/quality/trustworthiness.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/datasets/swiss_roll.hpp"

namespace lle::quality {
namespace {

Quality measure(const PointMatrix& input, const DenseMatrix& embedding, Index k,
                Index sample_size = 0, std::uint64_t seed = 0) {
    QualityOptions options;
    options.n_neighbors = k;
    options.sample_size = sample_size;
    options.seed = seed;
    return measure_quality(input, embedding, options);
}

TEST(Quality, HandComputedLineWithOneSwap) {
    // Points 0..5 on a line, embedded with points 2 and 3 swapped; k = 2. Going through each
    // point's two nearest in the embedding (ties to the smaller index), the input ranks beyond
    // 2 are: point 0 -> 3 (rank 3), 1 -> 3 (3), 2 -> 4 (4), 3 -> 1 (3), 4 -> 2 (3), 5 -> 2 (3):
    // penalties 1 + 1 + 2 + 1 + 1 + 1 = 7, and T = 1 - 2 * 7 / (6 * 2 * (12 - 6 - 1)) = 23/30.
    // The swap is its own inverse, and continuity's penalties also sum to 7.
    PointMatrix line(6, 1);
    line << 0, 1, 2, 3, 4, 5;
    DenseMatrix swapped(6, 1);
    swapped << 0, 1, 3, 2, 4, 5;
    const Quality quality = measure(line, swapped, 2);
    EXPECT_NEAR(quality.trustworthiness, 23.0 / 30.0, 1e-15);
    EXPECT_NEAR(quality.continuity, 23.0 / 30.0, 1e-15);
    EXPECT_EQ(quality.n_neighbors, 2);
    EXPECT_EQ(quality.points, 6);
    EXPECT_EQ(quality.sample_size, 6);
    EXPECT_TRUE(quality.exact());
}

TEST(Quality, HandComputedPointMovedToTheEnd) {
    // Point 1 of the line 0..4 moved beyond point 4 (embedding 0, 4, 1, 2, 3); k = 1, n = 5,
    // so 2 / (n k (2n - 3k - 1)) = 1/15; ties go to the smaller index.
    // Trustworthiness, each point's nearest in the embedding and its input rank:
    //   0 -> 2 (rank 2, penalty 1), 1 -> 4 (rank 4: 3), 2 -> 0 (rank 3: 2), 3 -> 2 (rank 1),
    //   4 -> 1 (rank 3: 2): T = 1 - 8/15.
    // Continuity, each point's nearest in the input and its embedding rank:
    //   0 -> 1 (rank 4: 3), 1 -> 0 (rank 4: 3), 2 -> 1 (rank 4: 3), 3 -> 2 (rank 1),
    //   4 -> 3 (rank 2, after 1: 1): C = 1 - 10/15.
    PointMatrix line(5, 1);
    line << 0, 1, 2, 3, 4;
    DenseMatrix moved(5, 1);
    moved << 0, 4, 1, 2, 3;
    const Quality quality = measure(line, moved, 1);
    EXPECT_NEAR(quality.trustworthiness, 1.0 - 8.0 / 15.0, 1e-15);
    EXPECT_NEAR(quality.continuity, 1.0 - 10.0 / 15.0, 1e-15);
}

TEST(Quality, AnEmbeddingThatKeepsEveryNeighbourhoodScoresOne) {
    // A scaled, rotated copy keeps every rank.
    const PointMatrix roll = datasets::swiss_roll(300, 0.0, 1).points;
    Eigen::Matrix3d rotation;
    rotation << 0, -1, 0, 1, 0, 0, 0, 0, 1;
    const DenseMatrix copy = 3.0 * roll * rotation;
    const Quality quality = measure(roll, copy, 10);
    EXPECT_EQ(quality.trustworthiness, 1.0);
    EXPECT_EQ(quality.continuity, 1.0);
}

TEST(Quality, ContinuityIsTrustworthinessWithTheRolesSwapped) {
    const PointMatrix roll = datasets::swiss_roll(300, 0.2, 2).points;
    const DenseMatrix flat = roll.leftCols(2);
    const Quality forward = measure(roll, flat, 7);
    const Quality backward = measure(PointMatrix(flat), DenseMatrix(roll), 7);
    EXPECT_EQ(forward.trustworthiness, backward.continuity);
    EXPECT_EQ(forward.continuity, backward.trustworthiness);
    EXPECT_LT(forward.trustworthiness, 1.0);
}

TEST(Quality, SampledEstimateIsExactWithEveryPointAndUnbiased) {
    const PointMatrix roll = datasets::swiss_roll(400, 0.2, 3).points;
    const DenseMatrix flat = roll.leftCols(2);
    const Quality exact = measure(roll, flat, 8);
    // A sample of n points is every point: the exact value to the last bit, whatever the seed.
    const Quality all = measure(roll, flat, 8, 400, 17);
    EXPECT_EQ(all.trustworthiness, exact.trustworthiness);
    EXPECT_EQ(all.continuity, exact.continuity);
    EXPECT_EQ(measure(roll, flat, 8, 5000, 17).sample_size, 400);

    // Samples of 100: the mean of 40 seeds' estimates lies within 4 standard errors of the
    // exact value (the estimator is unbiased), and each estimate differs from it.
    const int seeds = 40;
    double sum = 0.0;
    double squares = 0.0;
    for (int seed = 0; seed < seeds; ++seed) {
        const Quality sampled = measure(roll, flat, 8, 100, static_cast<std::uint64_t>(seed));
        EXPECT_EQ(sampled.sample_size, 100);
        EXPECT_FALSE(sampled.exact());
        sum += sampled.trustworthiness;
        squares += sampled.trustworthiness * sampled.trustworthiness;
    }
    const double mean = sum / seeds;
    const double spread = std::sqrt((squares / seeds - mean * mean) / (seeds - 1));
    EXPECT_GT(spread, 0.0);
    EXPECT_NEAR(mean, exact.trustworthiness, 4.0 * spread);
    // The same seed draws the same sample.
    EXPECT_EQ(measure(roll, flat, 8, 100, 5).trustworthiness,
              measure(roll, flat, 8, 100, 5).trustworthiness);
}

TEST(Quality, AutomaticSampleSize) {
    // Exact while n^2 (D + 16) <= 3e9: 12,565 points in 3 dimensions, 1,936 in 784.
    EXPECT_EQ(sample_size_for(0, 500, 3), 500);
    EXPECT_EQ(sample_size_for(0, 12'565, 3), 12'565);
    EXPECT_EQ(sample_size_for(0, 12'566, 3), default_sample_size);
    EXPECT_EQ(sample_size_for(0, 1'936, 784), 1'936);
    EXPECT_EQ(sample_size_for(0, 1'937, 784), default_sample_size);
    EXPECT_EQ(sample_size_for(50, 500, 3), 50);
    EXPECT_EQ(sample_size_for(600, 500, 3), 500);
}

TEST(Quality, RowsSelectTheEmbeddedInputPoints) {
    // An embedding of every other input row, measured through `rows`, equals the same
    // measured on a copy of those rows.
    const PointMatrix roll = datasets::swiss_roll(200, 0.1, 4).points;
    std::vector<Index> rows;
    PointMatrix kept(100, 3);
    for (Index r = 0; r < 100; ++r) {
        rows.push_back(2 * r);
        kept.row(r) = roll.row(2 * r);
    }
    const DenseMatrix flat = kept.rightCols(2);
    QualityOptions options;
    options.n_neighbors = 6;
    options.rows = rows;
    const Quality through_rows = measure_quality(roll, flat, options);
    const Quality copied = measure(kept, flat, 6);
    EXPECT_EQ(through_rows.trustworthiness, copied.trustworthiness);
    EXPECT_EQ(through_rows.continuity, copied.continuity);
    EXPECT_EQ(through_rows.points, 100);
}

TEST(Quality, SinglePrecisionInputEqualsTheSameValuesInDouble) {
    const PointMatrixF single = datasets::swiss_roll(250, 0.1, 6).points.cast<float>();
    const PointMatrix widened = single.cast<double>();
    const DenseMatrix flat = widened.leftCols(2);
    QualityOptions options;
    options.n_neighbors = 5;
    const Quality a = measure_quality(single, flat, options);
    const Quality b = measure_quality(widened, flat, options);
    EXPECT_EQ(a.trustworthiness, b.trustworthiness);
    EXPECT_EQ(a.continuity, b.continuity);
}

TEST(Quality, TiesGoToTheSmallerIndex) {
    // Points 1 and 2 coincide in the input and in the embedding. With k = 1, point 0's nearest
    // in either space is point 1 (tie with 2, smaller index), and 1 and 2 are each other's:
    // every neighbourhood is kept.
    PointMatrix input(7, 1);
    input << 0, 1, 1, 3, 4, 5, 6;
    const Quality quality = measure(input, DenseMatrix(input), 1);
    EXPECT_EQ(quality.trustworthiness, 1.0);
    EXPECT_EQ(quality.continuity, 1.0);
}

/// The message of the ParameterError `call` throws; empty when it throws none.
template <typename Call>
std::string parameter_error(Call call) {
    try {
        call();
    } catch (const ParameterError& error) {
        return error.what();
    }
    return {};
}

TEST(Quality, RejectsNeighbourhoodsOfHalfThePointsOrMore) {
    const PointMatrix roll = datasets::swiss_roll(20, 0.0, 0).points;
    const DenseMatrix flat = roll.leftCols(2);
    EXPECT_NO_THROW(measure(roll, flat, 9));
    const std::string message = parameter_error([&] { measure(roll, flat, 10); });
    for (const char* part : {"quality k", "1 <= k < n / 2", "n = 20", "(got 10)"}) {
        EXPECT_NE(message.find(part), std::string::npos) << part << " not in: " << message;
    }
    EXPECT_THROW(measure(roll, flat, 0), ParameterError);
    EXPECT_THROW(measure(roll, flat, 3, -1), ParameterError);
    EXPECT_THROW(measure(roll, flat.topRows(19), 3), ParameterError);
}

}  // namespace
}  // namespace lle::quality
