#pragma once

/// \file
/// How well an embedding keeps neighbourhoods: trustworthiness and continuity (Venna & Kaski,
/// 2001), exact or estimated from a sample of the points.

#include <cstdint>
#include <vector>

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::quality {

/// An automatic sample size takes every point (the exact measures) while `n^2 (D + 16)`, the
/// terms of the distances plus the ranking work, stays within this: about 2 s on 2 cores, at
/// up to 12,500 points in 3 dimensions, 6,000 in 64, 1,900 in 784.
inline constexpr double exact_work_limit = 3e9;

/// Points sampled when the exact measures would cost more than exact_work_limit and the
/// sample size is automatic.
inline constexpr Index default_sample_size = 1'000;

/// What to measure and on which points.
struct QualityOptions {
    Index n_neighbors = 5;  ///< k, the neighbourhood size: `1 <= k < n / 2`
    /// Points whose neighbourhoods are summed: 0 (automatic) takes every point while the
    /// exact measures cost at most exact_work_limit, default_sample_size random ones beyond;
    /// `N > 0` takes `min(N, n)` random ones, every point when `N >= n`.
    Index sample_size = 0;
    std::uint64_t seed = 0;  ///< seeds the sample
    /// The input rows the embedding's rows belong to, ascending (Result::rows when only some
    /// points were embedded); empty when row `i` of the embedding is input row `i`.
    std::vector<Index> rows;
    ProgressMeter* progress = nullptr;  ///< counts the sampled points done (may be null)
};

/// Trustworthiness and continuity at one `k`, and the points they were computed on.
struct Quality {
    double trustworthiness = 1.0;
    double continuity = 1.0;
    Index n_neighbors = 0;  ///< k
    Index points = 0;       ///< n, the embedded points
    Index sample_size = 0;  ///< points whose neighbourhoods were summed; `points` when exact

    bool exact() const { return sample_size == points; }
};

/// The sample size measure_quality() uses for `n` points: see QualityOptions::sample_size.
Index sample_size_for(Index sample_size, Index n, Index dimension);

/// Checks the options against `n` embedded points and `input_rows` input points, as
/// measure_quality() does first: ParameterError naming the option, the rule and the value.
void validate(const QualityOptions& options, Index n, Index input_rows);

/// Trustworthiness and continuity of `embedding` (`n x d`) with respect to `input`.
///
/// For point `i`, `r(i, j)` is the rank of point `j` among the others by distance from `i`
/// in the input space (1 for the nearest), `r'(i, j)` the same in the embedding, and
/// `U_k(i)`, `V_k(i)` the `k` nearest neighbours of `i` in the embedding and in the input.
/// Over a set `S` of `s` points (all `n` of them when exact):
///
///     T = 1 - 2 / (s k (2n - 3k - 1)) sum_{i in S} sum_{j in U_k(i)} max(0, r(i, j) - k)
///     C = 1 - 2 / (s k (2n - 3k - 1)) sum_{i in S} sum_{j in V_k(i)} max(0, r'(i, j) - k)
///
/// With `S` every point, T is scikit-learn's `trustworthiness(X, Y, n_neighbors=k)` and C is
/// `trustworthiness(Y, X, n_neighbors=k)`. With `S` a uniform random sample without
/// replacement, each sum is `s / n` times the exact one in expectation, so T and C are
/// unbiased estimates of the exact values, which they equal when `s = n`. Distances are
/// Euclidean, the input's as the neighbour searches compute them; ties go to the smaller index
/// (scikit-learn breaks ties in an order of its own, so on data with equal distances the two
/// can differ).
///
/// Cost: `O(s n (D + d + k))` time, `O(n)` memory per thread beyond a row-major copy of the
/// embedding; no `n x n` matrix. The sampled points run in parallel (OpenMP).
///
/// \param input      `N x D` points; the embedding's rows are its rows `options.rows` (all N,
///                   in order, when that is empty).
/// \param embedding  `n x d` coordinates, one row per embedded point.
/// \throws lle::ParameterError for `k` outside `1 <= k < n / 2` (scikit-learn's bound, which
///         keeps both measures within [0, 1]), a negative sample size, or rows that do not
///         match.
Quality measure_quality(PointsView input, const DenseMatrix& embedding,
                        const QualityOptions& options);
Quality measure_quality(PointsViewF input, const DenseMatrix& embedding,
                        const QualityOptions& options);

}  // namespace lle::quality
