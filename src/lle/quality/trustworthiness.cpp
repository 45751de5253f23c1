#include "lle/quality/trustworthiness.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <utility>

#include "lle/base/error.hpp"
#include "lle/neighbors/exact_distance.hpp"

namespace lle::quality {
namespace {

using neighbors::detail::Neighbor;

/// One thread's buffers: every point's squared distance to the point at hand, in the input and
/// in the embedding, and the order that finds each space's k nearest.
class RankPenalties {
  public:
    explicit RankPenalties(Index n)
        : input_(static_cast<std::size_t>(n)),
          embedded_(static_cast<std::size_t>(n)),
          order_(static_cast<std::size_t>(n - 1)) {}

    /// Point `i`'s two sums: of max(0, r(i, j) - k) over its k nearest in the embedding, and of
    /// max(0, r'(i, j) - k) over its k nearest in the input.
    template <typename Scalar>
    std::pair<std::int64_t, std::int64_t> of(PointsViewOf<Scalar> input,
                                             const std::vector<Index>& rows,
                                             const PointMatrix& embedding, Index k, Index i) {
        const auto n = static_cast<Index>(input_.size());
        // The input's distances by the neighbour searches' own kernel, so that ties are ties.
        for (Index l = 0; l < n; ++l) {
            input_[static_cast<std::size_t>(l)] = {0.0, rows.empty() ? l : rows[l]};
        }
        neighbors::detail::exact_squared_distances<Scalar>(
            input, input.row(input_[static_cast<std::size_t>(i)].index).data(), input_);
        for (Index l = 0; l < n; ++l) {
            // Rank by (distance, embedded index): the input row's order, as rows ascend.
            input_[static_cast<std::size_t>(l)].index = l;
            embedded_[static_cast<std::size_t>(l)] = {
                neighbors::detail::squared_distance(embedding.row(i).data(),
                                                    embedding.row(l).data(), embedding.cols()),
                l};
        }
        return {penalty(embedded_, input_, k, i), penalty(input_, embedded_, k, i)};
    }

  private:
    /// sum over the k nearest of `i` by `near` of max(0, rank by `ranked` - k), where a rank
    /// counts the points other than `i` that come before, plus one.
    std::int64_t penalty(const std::vector<Neighbor>& near, const std::vector<Neighbor>& ranked,
                         Index k, Index i) {
        const Neighbor kth_ranked = kth(ranked, k, i);
        kth(near, k, i);  // order_ now starts with the k nearest by `near`
        std::int64_t sum = 0;
        for (Index r = 0; r < k; ++r) {
            const Neighbor& j =
                ranked[static_cast<std::size_t>(order_[static_cast<std::size_t>(r)])];
            if (kth_ranked < j) {
                // Beyond the k nearest by `ranked`: count what comes before it.
                std::int64_t rank = 1;
                for (const Neighbor& other : ranked) {
                    rank += other.index != i && other < j ? 1 : 0;
                }
                sum += rank - k;
            }
        }
        return sum;
    }

    /// The k-th nearest to `i` by `distances`; leaves the k nearest first in `order_`.
    Neighbor kth(const std::vector<Neighbor>& distances, Index k, Index i) {
        std::iota(order_.begin(), order_.begin() + i, Index{0});
        std::iota(order_.begin() + i, order_.end(), i + 1);
        auto before = [&](Index a, Index b) {
            return distances[static_cast<std::size_t>(a)] < distances[static_cast<std::size_t>(b)];
        };
        std::nth_element(order_.begin(), order_.begin() + (k - 1), order_.end(), before);
        return distances[static_cast<std::size_t>(order_[static_cast<std::size_t>(k - 1)])];
    }

    std::vector<Neighbor> input_;
    std::vector<Neighbor> embedded_;
    std::vector<Index> order_;  // every point but i
};

/// measure_quality() for input points of either precision.
template <typename Scalar>
Quality measure(PointsViewOf<Scalar> input, const DenseMatrix& embedding,
                const QualityOptions& options) {
    const Index n = embedding.rows();
    const Index k = options.n_neighbors;
    validate(options, n, input.rows());
    require_parameter(embedding.allFinite(), "embedding", "finite coordinates", "NaN or infinity");

    // S: every point, or a uniform sample without replacement (selection sampling, ascending).
    const Index size = sample_size_for(options.sample_size, n, input.cols());
    std::vector<Index> sample(static_cast<std::size_t>(size));
    if (size == n) {
        std::iota(sample.begin(), sample.end(), Index{0});
    } else {
        std::vector<Index> all(static_cast<std::size_t>(n));
        std::iota(all.begin(), all.end(), Index{0});
        std::mt19937_64 engine(options.seed);
        std::sample(all.begin(), all.end(), sample.begin(), size, engine);
    }

    const PointMatrix low = embedding;  // row-major: each point's coordinates contiguous
    std::int64_t trust_sum = 0;
    std::int64_t continuity_sum = 0;
    if (options.progress != nullptr) {
        options.progress->expect(size);
    }
#pragma omp parallel reduction(+ : trust_sum, continuity_sum)
    {
        RankPenalties penalties(n);
        ProgressMeter::Batch batch(options.progress);
#pragma omp for schedule(dynamic, 16)
        for (Index s = 0; s < size; ++s) {
            batch.advance();
            const auto [trust, continuity] = penalties.of<Scalar>(
                input, options.rows, low, k, sample[static_cast<std::size_t>(s)]);
            trust_sum += trust;
            continuity_sum += continuity;
        }
    }

    // 2 / (s k (2n - 3k - 1)), in double as scikit-learn computes it.
    const double scale =
        2.0 / (static_cast<double>(size) * static_cast<double>(k) *
               (2.0 * static_cast<double>(n) - 3.0 * static_cast<double>(k) - 1.0));
    Quality quality;
    quality.trustworthiness = 1.0 - static_cast<double>(trust_sum) * scale;
    quality.continuity = 1.0 - static_cast<double>(continuity_sum) * scale;
    quality.n_neighbors = k;
    quality.points = n;
    quality.sample_size = size;
    return quality;
}

}  // namespace

Index sample_size_for(Index sample_size, Index n, Index dimension) {
    if (sample_size <= 0) {
        const double pairs = static_cast<double>(n) * static_cast<double>(n);
        const double work = pairs * static_cast<double>(dimension + 16);
        return work <= exact_work_limit ? n : std::min(default_sample_size, n);
    }
    return std::min(sample_size, n);
}

void validate(const QualityOptions& options, Index n, Index input_rows) {
    const Index k = options.n_neighbors;
    require_parameter(k >= 1 && 2 * k < n, "quality k (n_neighbors)",
                      "1 <= k < n / 2, with n = " + std::to_string(n) + " embedded points",
                      std::to_string(k));
    require_parameter(options.sample_size >= 0, "quality sample size",
                      "sample size >= 0 (0: automatic)", std::to_string(options.sample_size));
    if (options.rows.empty()) {
        require_parameter(input_rows == n, "embedding",
                          "one row per input point (" + std::to_string(input_rows) + ")",
                          std::to_string(n) + " rows");
        return;
    }
    require_parameter(static_cast<Index>(options.rows.size()) == n, "rows",
                      "one per embedded point (" + std::to_string(n) + ")",
                      std::to_string(options.rows.size()));
    require_parameter(std::is_sorted(options.rows.begin(), options.rows.end()) &&
                          options.rows.front() >= 0 && options.rows.back() < input_rows,
                      "rows", "ascending input rows in [0, " + std::to_string(input_rows) + ")",
                      "rows out of order or range");
}

Quality measure_quality(PointsView input, const DenseMatrix& embedding,
                        const QualityOptions& options) {
    return measure<double>(input, embedding, options);
}

Quality measure_quality(PointsViewF input, const DenseMatrix& embedding,
                        const QualityOptions& options) {
    return measure<float>(input, embedding, options);
}

}  // namespace lle::quality
