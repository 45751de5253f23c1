#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include <cblas.h>

#include "lle/base/threads.hpp"
#include "lle/neighbors/exact_distance.hpp"
#include "lle/neighbors/knn.hpp"

namespace lle::neighbors::detail {

namespace {

/// Rows and columns of one distance tile: 512 x 512 doubles = 2 MB per thread (1 MB in float).
constexpr Index block_size = 512;

/// The candidate neighbours of one query, gathered from approximate squared distances.
///
/// It keeps every candidate whose approximation is within `slack` of the k-th smallest
/// approximation offered so far. If each approximation is within `e` of the exact
/// `squared_distance` and `slack >= 2 e`, the k best by exact (distance, index) all survive:
/// the k smallest approximations `t_1 <= ... <= t_k` bound the k-th exact distance by `t_k + e`,
/// so a true neighbour's approximation is at most `t_k + 2 e`. Exact ties at the k-th distance
/// survive too, so the final ranking can break them by index.
class CandidateList {
  public:
    CandidateList(std::size_t k, std::size_t capacity, double slack)
        : k_(k), capacity_(capacity), slack_(slack) {
        items_.reserve(capacity + 1);
    }

    /// Offers above this are dropped: (k-th smallest approximation so far) + slack.
    double bound() const { return bound_; }

    void offer(double approximate, Index index) {
        if (approximate <= bound_) {
            items_.push_back({approximate, index});
            if (items_.size() > capacity_) {
                prune();
            }
        }
    }

    /// The k nearest by exact (distance, index), as `squared_distance` computes it from row
    /// `query` of `points`; the list is spent.
    template <typename Scalar>
    const std::vector<Neighbor>& finish(PointsViewOf<Scalar> points, Index query) {
        prune();
        for (Neighbor& candidate : items_) {
            candidate.squared_distance = squared_distance(
                points.row(query).data(), points.row(candidate.index).data(), points.cols());
        }
        const auto kth = items_.begin() + static_cast<std::ptrdiff_t>(k_);
        std::partial_sort(items_.begin(), kth, items_.end());
        items_.erase(kth, items_.end());
        return items_;
    }

  private:
    /// Drops the approximations above (k-th smallest) + slack; that bound only decreases, so
    /// later offers above it are dropped on arrival.
    void prune() {
        if (items_.size() < k_) {
            return;
        }
        const auto kth = items_.begin() + static_cast<std::ptrdiff_t>(k_ - 1);
        std::nth_element(items_.begin(), kth, items_.end());
        bound_ = kth->squared_distance + slack_;
        std::erase_if(items_, [&](const Neighbor& c) { return c.squared_distance > bound_; });
        // Many near-ties can leave the list full; growing it keeps pruning amortised O(1).
        capacity_ = std::max(capacity_, 2 * items_.size());
    }

    std::size_t k_;
    std::size_t capacity_;
    double slack_;
    double bound_ = std::numeric_limits<double>::infinity();
    std::vector<Neighbor> items_;  // (approximate squared distance, index) until finish()
};

/// `tile(0:rows, 0:cols) = X(r0:r0+rows, :) Y(c0:c0+cols, :)^T`, in the points' precision.
///
/// OpenBLAS rather than Eigen: with its AVX2/FMA kernels chosen at run time it measured about
/// twice Eigen's speed per thread (Eigen is compiled for baseline x86-64 here).
template <typename Scalar>
void gram_tile(PointsViewOf<Scalar> x, Index r0, Index rows, PointsViewOf<Scalar> y, Index c0,
               Index cols, PointMatrixOf<Scalar>& tile) {
    const auto gemm = [](auto... arguments) {
        if constexpr (std::is_same_v<Scalar, float>) {
            cblas_sgemm(arguments...);
        } else {
            cblas_dgemm(arguments...);
        }
    };
    gemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(cols),
         static_cast<int>(x.cols()), Scalar{1}, x.row(r0).data(), static_cast<int>(x.outerStride()),
         y.row(c0).data(), static_cast<int>(y.outerStride()), Scalar{0}, tile.data(),
         static_cast<int>(tile.outerStride()));
}

/// The selection slack of a query of squared norm `query_norm` among points whose largest
/// squared norm is `max_norm`.
///
/// fl(|x|^2 + |y|^2 - 2 x.y), in whatever order the GEMM sums, and squared_distance(x, y)
/// each lie within about 2 gamma_(D+2) (|x|^2 + |y|^2) of the exact |x - y|^2, where
/// gamma_m = m eps / (1 - m eps). They differ by at most e = 8 (D + 4) eps (|x|^2 + max |y|^2),
/// a factor of about two to spare; the slack is 2 e. For float points eps is single
/// precision's: the GEMM and the stored approximation round in float, while squared_distance
/// (in double) adds far less.
template <typename Scalar>
double selection_slack(Index dimension, double query_norm, double max_norm) {
    const double error_per_norm = 8.0 * static_cast<double>(dimension + 4) *
                                  static_cast<double>(std::numeric_limits<Scalar>::epsilon());
    return 2.0 * error_per_norm * (query_norm + max_norm);
}

/// Room for k candidates plus some near-ties between prunes; never more than all n - 1 others.
std::size_t candidate_capacity(Index k, Index n) {
    return static_cast<std::size_t>(std::min(2 * k + 32, n - 1));
}

/// The search for points of either precision; see brute_force_neighbors.
template <typename Scalar>
NeighborGraph search(PointsViewOf<Scalar> points, Index k, ProgressMeter* progress) {
    const Index n = points.rows();
    const Index blocks = (n + block_size - 1) / block_size;

    // |x_i|^2 in double (exact widening of float coordinates), once for all tiles.
    const Eigen::VectorXd norms = points.template cast<double>().rowwise().squaredNorm();
    const double max_norm = norms.maxCoeff();

    std::vector<CandidateList> lists;
    lists.reserve(static_cast<std::size_t>(n));
    const std::size_t capacity = candidate_capacity(k, n);
    for (Index i = 0; i < n; ++i) {
        lists.emplace_back(static_cast<std::size_t>(k), capacity,
                           selection_slack<Scalar>(points.cols(), norms(i), max_norm));
    }
    auto list_of = [&](Index i) -> CandidateList& { return lists[static_cast<std::size_t>(i)]; };

    // The distance matrix is symmetric, so only tiles (r, c) with c >= r are computed: rows feed
    // the queries of block r, columns those of block c, each block's lists under its own lock.
    // Tiles go diagonal by diagonal so that consecutive tiles, which run concurrently, rarely
    // share a block.
    std::vector<std::pair<Index, Index>> tiles;
    for (Index offset = 0; offset < blocks; ++offset) {
        for (Index r = 0; r + offset < blocks; ++r) {
            tiles.emplace_back(r, r + offset);
        }
    }
    std::vector<std::mutex> block_locks(static_cast<std::size_t>(blocks));
    // Progress in points: a tile of `rows x cols` distances (twice that off the diagonal) is
    // that share of the n^2 in all, n points' worth.
    if (progress != nullptr) {
        progress->expect(n);
    }

    {
        // The tiles already run one per OpenMP thread; a threaded BLAS inside each would
        // oversubscribe the cores.
        const SerialBlas serial_blas;
#pragma omp parallel
        {
            PointMatrixOf<Scalar> tile(block_size, block_size);
            std::vector<double> column_bounds(static_cast<std::size_t>(block_size));
            double points_done = 0.0;  // this thread's, not yet reported
#pragma omp for schedule(dynamic)
            for (std::size_t t = 0; t < tiles.size(); ++t) {
                const auto [r, c] = tiles[t];
                const Index r0 = r * block_size;
                const Index c0 = c * block_size;
                const Index rows = std::min(block_size, n - r0);
                const Index cols = std::min(block_size, n - c0);

                // d~(i, j) = |x_i|^2 + |x_j|^2 - 2 x_i.x_j, compared with each list's bound
                // before the list is touched: nearly every offer is below none.
                gram_tile<Scalar>(points, r0, rows, points, c0, cols, tile);
                const double* row_norms = norms.data() + r0;
                const double* column_norms = norms.data() + c0;
                auto approximate = [&](Index a, Index b) {
                    return row_norms[a] + column_norms[b] - 2.0 * static_cast<double>(tile(a, b));
                };
                // Whether any entry of row `a` of the tile is at most its bound: a branch-free
                // scan the compiler vectorises, so that the rows with no candidate, nearly all
                // of them once the lists have filled, cost a few instructions per entry.
                auto any_below = [&](Index a, auto&& bound_of) {
                    bool any = false;
#pragma omp simd reduction(| : any)
                    for (Index b = 0; b < cols; ++b) {
                        any |= approximate(a, b) <= bound_of(b);
                    }
                    return any;
                };
                {
                    const std::lock_guard lock(block_locks[static_cast<std::size_t>(r)]);
                    for (Index a = 0; a < rows; ++a) {
                        CandidateList& list = list_of(r0 + a);
                        double bound = list.bound();
                        if (!any_below(a, [bound](Index) { return bound; })) {
                            continue;
                        }
                        for (Index b = 0; b < cols; ++b) {
                            const double value = approximate(a, b);
                            if (value <= bound && c0 + b != r0 + a) {
                                list.offer(value, c0 + b);
                                bound = list.bound();
                            }
                        }
                    }
                }
                if (c != r) {
                    const std::lock_guard lock(block_locks[static_cast<std::size_t>(c)]);
                    for (Index b = 0; b < cols; ++b) {
                        column_bounds[static_cast<std::size_t>(b)] = list_of(c0 + b).bound();
                    }
                    const double* bounds = column_bounds.data();
                    for (Index a = 0; a < rows; ++a) {
                        if (!any_below(a, [bounds](Index b) { return bounds[b]; })) {
                            continue;
                        }
                        for (Index b = 0; b < cols; ++b) {
                            const double value = approximate(a, b);
                            double& bound = column_bounds[static_cast<std::size_t>(b)];
                            if (value <= bound) {
                                CandidateList& list = list_of(c0 + b);
                                list.offer(value, r0 + a);
                                bound = list.bound();
                            }
                        }
                    }
                }
                if (progress != nullptr) {
                    points_done += static_cast<double>(rows * cols * (c != r ? 2 : 1)) /
                                   static_cast<double>(n);
                    const auto whole = static_cast<Index>(points_done);
                    progress->advance(whole);
                    points_done -= static_cast<double>(whole);
                }
            }
        }
    }

    NeighborGraph graph{IndexMatrix(n, k), PointMatrix(n, k)};
#pragma omp parallel for schedule(dynamic, 64)
    for (Index i = 0; i < n; ++i) {
        store_row(graph, i, list_of(i).template finish<Scalar>(points, i));
    }
    return graph;
}

/// brute_force_rows() for points of either precision.
template <typename Scalar>
NeighborGraph search_rows(PointsViewOf<Scalar> points, const std::vector<Index>& rows, Index k) {
    const Index n = points.rows();
    const auto m = static_cast<Index>(rows.size());
    auto point_of = [&](Index r) { return rows[static_cast<std::size_t>(r)]; };
    const Eigen::VectorXd norms = points.template cast<double>().rowwise().squaredNorm();
    const double max_norm = norms.maxCoeff();
    const std::size_t capacity = candidate_capacity(k, n);

    // The queries gathered contiguously, for the GEMM.
    PointMatrixOf<Scalar> queries(m, points.cols());
    for (Index r = 0; r < m; ++r) {
        queries.row(r) = points.row(point_of(r));
    }

    // Each task owns a block of queries and scans every point for them: no locks.
    constexpr Index query_block = 64;
    const Index blocks = (m + query_block - 1) / query_block;
    NeighborGraph graph{IndexMatrix(m, k), PointMatrix(m, k)};
    const SerialBlas serial_blas;
#pragma omp parallel
    {
        PointMatrixOf<Scalar> tile(query_block, block_size);
        std::vector<CandidateList> lists;
#pragma omp for schedule(dynamic)
        for (Index b = 0; b < blocks; ++b) {
            const Index q0 = b * query_block;
            const Index count = std::min(query_block, m - q0);
            lists.clear();
            for (Index a = 0; a < count; ++a) {
                lists.emplace_back(
                    static_cast<std::size_t>(k), capacity,
                    selection_slack<Scalar>(points.cols(), norms(point_of(q0 + a)), max_norm));
            }
            for (Index c0 = 0; c0 < n; c0 += block_size) {
                const Index cols = std::min(block_size, n - c0);
                gram_tile<Scalar>(queries, q0, count, points, c0, cols, tile);
                for (Index a = 0; a < count; ++a) {
                    const Index query = point_of(q0 + a);
                    CandidateList& list = lists[static_cast<std::size_t>(a)];
                    for (Index c = 0; c < cols; ++c) {
                        if (c0 + c != query) {
                            list.offer(norms(query) + norms(c0 + c) - 2.0 * tile(a, c), c0 + c);
                        }
                    }
                }
            }
            for (Index a = 0; a < count; ++a) {
                store_row(graph, q0 + a,
                          lists[static_cast<std::size_t>(a)].template finish<Scalar>(
                              points, point_of(q0 + a)));
            }
        }
    }
    return graph;
}

}  // namespace

NeighborGraph brute_force_neighbors(PointsView points, Index k, ProgressMeter* progress) {
    return search<double>(points, k, progress);
}

NeighborGraph brute_force_neighbors(PointsViewF points, Index k, ProgressMeter* progress) {
    return search<float>(points, k, progress);
}

NeighborGraph brute_force_rows(PointsView points, const std::vector<Index>& rows, Index k) {
    return search_rows<double>(points, rows, k);
}

NeighborGraph brute_force_rows(PointsViewF points, const std::vector<Index>& rows, Index k) {
    return search_rows<float>(points, rows, k);
}

}  // namespace lle::neighbors::detail
