#include "lle/neighbors/hnsw.hpp"

#include <cblas.h>
#include <hnswlib/hnswlib.h>
#include <immintrin.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"
#include "lle/neighbors/exact_distance.hpp"
#include "lle/neighbors/knn.hpp"

namespace lle::neighbors {

namespace {

/// Largest M accepted. hnswlib caps M at 10,000 with a warning on stderr; far below that the
/// graph already costs more than an exact search.
constexpr Index max_links = 1000;

/// The points as contiguous float rows, `n x D`, for hnswlib to index and query.
///
/// hnswlib's L2Space computes in single precision, so the search ranks neighbours by float
/// distances: two whose distances differ by less than float's rounding may come in either
/// order, or the farther one may displace the nearer. The distances returned are recomputed
/// in double. The rows are centred on their mean and divided by the largest remaining
/// |coordinate| first: neither changes the ranking in exact arithmetic, and together they keep
/// float's precision for data far from the origin and its range for very large or very small
/// coordinates.
template <typename Scalar>
std::vector<float> single_precision_rows(PointsViewOf<Scalar> points) {
    const Index n = points.rows();
    const Index dimension = points.cols();
    Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(dimension);
    for (Index i = 0; i < n; ++i) {
        mean += points.row(i).template cast<double>();
    }
    mean /= static_cast<double>(n);
    double spread = 0.0;
    for (Index i = 0; i < n; ++i) {
        spread =
            std::max(spread, (points.row(i).template cast<double>() - mean).cwiseAbs().maxCoeff());
    }
    const double scale = spread > 0.0 ? 1.0 / spread : 1.0;

    std::vector<float> rows(static_cast<std::size_t>(n * dimension));
#pragma omp parallel for schedule(static)
    for (Index i = 0; i < n; ++i) {
        float* row = rows.data() + i * dimension;
        for (Index d = 0; d < dimension; ++d) {
            row[d] = static_cast<float>((static_cast<double>(points(i, d)) - mean(d)) * scale);
        }
    }
    return rows;
}

/// `sum_d (a_d - b_d)^2` over `*dimension` floats: the portable version.
float squared_l2_plain(const void* left, const void* right, const void* dimension) {
    const auto* a = static_cast<const float*>(left);
    const auto* b = static_cast<const float*>(right);
    const std::size_t size = *static_cast<const std::size_t*>(dimension);
    float sums[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    std::size_t d = 0;
    for (; d + 4 <= size; d += 4) {
        for (std::size_t lane = 0; lane < 4; ++lane) {
            const float difference = a[d + lane] - b[d + lane];
            sums[lane] += difference * difference;
        }
    }
    for (; d < size; ++d) {
        const float difference = a[d] - b[d];
        sums[0] += difference * difference;
    }
    return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

/// The same with AVX2 and FMA: two 8-float accumulators.
__attribute__((target("avx2,fma"))) float squared_l2_avx2(const void* left, const void* right,
                                                          const void* dimension) {
    const auto* a = static_cast<const float*>(left);
    const auto* b = static_cast<const float*>(right);
    const std::size_t size = *static_cast<const std::size_t*>(dimension);
    __m256 sum0 = _mm256_setzero_ps();
    __m256 sum1 = _mm256_setzero_ps();
    std::size_t d = 0;
    for (; d + 16 <= size; d += 16) {
        const __m256 difference0 = _mm256_sub_ps(_mm256_loadu_ps(a + d), _mm256_loadu_ps(b + d));
        const __m256 difference1 =
            _mm256_sub_ps(_mm256_loadu_ps(a + d + 8), _mm256_loadu_ps(b + d + 8));
        sum0 = _mm256_fmadd_ps(difference0, difference0, sum0);
        sum1 = _mm256_fmadd_ps(difference1, difference1, sum1);
    }
    for (; d + 8 <= size; d += 8) {
        const __m256 difference = _mm256_sub_ps(_mm256_loadu_ps(a + d), _mm256_loadu_ps(b + d));
        sum0 = _mm256_fmadd_ps(difference, difference, sum0);
    }
    const __m256 sum = _mm256_add_ps(sum0, sum1);
    const __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
    const __m128 quarter = _mm_add_ps(half, _mm_movehl_ps(half, half));
    float total = _mm_cvtss_f32(_mm_add_ss(quarter, _mm_shuffle_ps(quarter, quarter, 1)));
    for (; d < size; ++d) {
        const float difference = a[d] - b[d];
        total += difference * difference;
    }
    return total;
}

/// The same with AVX-512: two 16-float accumulators, the tail under a mask.
__attribute__((target("avx512f"))) float squared_l2_avx512(const void* left, const void* right,
                                                           const void* dimension) {
    const auto* a = static_cast<const float*>(left);
    const auto* b = static_cast<const float*>(right);
    const std::size_t size = *static_cast<const std::size_t*>(dimension);
    __m512 sum0 = _mm512_setzero_ps();
    __m512 sum1 = _mm512_setzero_ps();
    std::size_t d = 0;
    for (; d + 32 <= size; d += 32) {
        const __m512 difference0 = _mm512_sub_ps(_mm512_loadu_ps(a + d), _mm512_loadu_ps(b + d));
        const __m512 difference1 =
            _mm512_sub_ps(_mm512_loadu_ps(a + d + 16), _mm512_loadu_ps(b + d + 16));
        sum0 = _mm512_fmadd_ps(difference0, difference0, sum0);
        sum1 = _mm512_fmadd_ps(difference1, difference1, sum1);
    }
    for (; d < size; d += 16) {
        const std::size_t rest = std::min<std::size_t>(16, size - d);
        const auto mask = static_cast<__mmask16>((1u << rest) - 1u);
        const __m512 difference =
            _mm512_sub_ps(_mm512_maskz_loadu_ps(mask, a + d), _mm512_maskz_loadu_ps(mask, b + d));
        sum0 = _mm512_fmadd_ps(difference, difference, sum0);
    }
    // Summed through memory: GCC 12 warns wrongly inside _mm512_reduce_add_ps.
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, _mm512_add_ps(sum0, sum1));
    float total = 0.0f;
    for (const float lane : lanes) {
        total += lane;
    }
    return total;
}

/// hnswlib's squared Euclidean space on float rows, with the widest distance kernel the
/// processor runs. The library is built for baseline x86-64, where hnswlib's own L2Space
/// only uses SSE; on 10,000 Fashion-MNIST images (D = 784) the AVX-512 kernel took the whole
/// search from 5.0 s to 1.8 s.
class SquaredL2Space : public hnswlib::SpaceInterface<float> {
  public:
    explicit SquaredL2Space(std::size_t dimension)
        : dimension_(dimension), distance_(detail::distance_kernels().front().second) {}

    std::size_t get_data_size() override { return dimension_ * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return distance_; }
    void* get_dist_func_param() override { return &dimension_; }

  private:
    std::size_t dimension_;
    hnswlib::DISTFUNC<float> distance_;
};

/// The first exception thrown by any iteration of a parallel loop, rethrown after it: an
/// exception must not leave an OpenMP region.
class FirstError {
  public:
    /// Runs `work`, keeping its exception (the first one, if several threads throw).
    template <typename Work>
    void run(Work&& work) {
        try {
            work();
        } catch (...) {
            const std::lock_guard lock(mutex_);
            if (!error_) {
                error_ = std::current_exception();
            }
        }
    }

    /// Throws the kept exception, if any.
    void rethrow() const {
        if (error_) {
            std::rethrow_exception(error_);
        }
    }

  private:
    std::mutex mutex_;
    std::exception_ptr error_;
};

/// Every other point as a candidate of point `i`, by exact squared distance: the fallback for
/// the rare query that returns fewer than k others.
template <typename Scalar>
void scan_all(PointsViewOf<Scalar> points, Index i, std::vector<detail::Neighbor>& candidates) {
    candidates.clear();
    for (Index j = 0; j < points.rows(); ++j) {
        if (j != i) {
            candidates.push_back({detail::squared_distance(points.row(i).data(),
                                                           points.row(j).data(), points.cols()),
                                  j});
        }
    }
}

/// The most points whose covariance gives the principal directions: on Fashion-MNIST the
/// directions of 17,500 of the 70,000 images gave the same recall as those of all of them.
constexpr Index covariance_sample = 20000;

/// The points' top principal directions, P of them (`directions`).
///
/// `rows` are the centred points (n x D floats, see single_precision_rows), so their
/// covariance is `rows^T rows / n`: one SSYRK, in single precision like the search itself
/// (the directions only steer which candidates are examined; every distance returned is
/// recomputed exactly). Its eigenvectors come from Eigen's solver on a double copy of the
/// D x D matrix; projected_rows() then projects the rows with one SGEMM.
/// Returns the basis, row-major `D x P`, or an empty vector (and `directions` 0) when the
/// search uses all coordinates.
std::vector<float> principal_basis(const std::vector<float>& rows, Index n, Index dimension,
                                   const HnswOptions& options, Index& directions) {
    directions = 0;
    if (!detail::may_project(dimension, options)) {
        return {};
    }
    const int d = static_cast<int>(dimension);
    // On one thread: OpenBLAS's second thread touched 72 MiB of its buffers in the projection
    // of Fashion-MNIST's 60,000 images, and kept them for the rest of the run, for no time
    // gained (the neighbour phase took 5.3 to 5.9 s either way).
    const SerialBlas serial_blas;
    std::vector<float> covariance(static_cast<std::size_t>(dimension * dimension), 0.0f);
    // Every stride-th point, about covariance_sample of them: directions need no more.
    const Index stride = (n + covariance_sample - 1) / covariance_sample;
    const Index sampled = (n + stride - 1) / stride;
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, d, static_cast<int>(sampled),
                1.0f / static_cast<float>(sampled), rows.data(),
                static_cast<int>(stride * dimension), 0.0f, covariance.data(), d);
    Eigen::MatrixXd matrix(dimension, dimension);
    for (Index a = 0; a < dimension; ++a) {
        for (Index b = a; b < dimension; ++b) {
            const double value = covariance[static_cast<std::size_t>(a * dimension + b)];
            matrix(a, b) = value;
            matrix(b, a) = value;
        }
    }
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(matrix);
    if (solver.info() != Eigen::Success) {
        return {};
    }
    // Eigen orders the eigenvalues increasingly; negative ones are rounding.
    const Eigen::VectorXd variances = solver.eigenvalues().reverse().cwiseMax(0.0);
    directions = detail::projected_dimension(variances, options);
    if (directions == 0) {
        return {};
    }
    // basis(c, p): coordinate c of direction p, the p-th largest, row-major D x P.
    std::vector<float> basis(static_cast<std::size_t>(dimension * directions));
    for (Index c = 0; c < dimension; ++c) {
        for (Index p = 0; p < directions; ++p) {
            basis[static_cast<std::size_t>(c * directions + p)] =
                static_cast<float>(solver.eigenvectors()(c, dimension - 1 - p));
        }
    }
    return basis;
}

/// The rows (`n x D`) projected on `basis` (`D x P`, from principal_basis()), `n x P`.
std::vector<float> projected_rows(const std::vector<float>& rows, Index n, Index dimension,
                                  const std::vector<float>& basis, Index directions) {
    const SerialBlas serial_blas;  // see principal_basis()
    std::vector<float> projected(static_cast<std::size_t>(n * directions));
    const int p = static_cast<int>(directions);
    const int d = static_cast<int>(dimension);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(n), p, d, 1.0f,
                rows.data(), d, basis.data(), p, 0.0f, projected.data(), p);
    return projected;
}

/// Asks the processor to bring the `size` floats at `row` into its cache.
void prefetch_row(const float* row, std::size_t size) {
    const char* bytes = reinterpret_cast<const char*>(row);
    for (std::size_t offset = 0; offset < size * sizeof(float); offset += 64) {
        _mm_prefetch(bytes + offset, _MM_HINT_T0);
    }
}

/// The float kernel's error bound for a squared distance near `value` between two of the
/// scaled rows (coordinates at most 1 in magnitude) in `dimension` coordinates: rounding the
/// coordinates to float moves each difference by at most eps, and summing D squares adds a
/// relative (D + 2) eps. Candidates within twice this of the k-th approximation are ranked
/// exactly, so float rounding rarely decides which neighbours are kept.
double float_error(double value, Index dimension) {
    const double eps = std::numeric_limits<float>::epsilon();
    const double size = static_cast<double>(dimension);
    return 2.0 * eps * std::sqrt(size * value) + size * eps * eps + (size + 2.0) * eps * value;
}

}  // namespace

double hnsw_bytes(Index n, Index dimension, Index directions, Index k, const HnswOptions& options) {
    const auto rows = static_cast<double>(n);
    const auto d = static_cast<double>(dimension);
    const auto p = static_cast<double>(directions);
    const double width = directions > 0 ? p : d;
    const double copy = 4.0 * rows * d;
    const double projected = 4.0 * rows * p;
    const double eigenvectors = directions > 0 ? 64.0 * d * d + 4.0 * d * p : 0.0;
    // hnswlib's bottom layer holds per point 2 M links and their count (4 bytes each), the
    // row and a label; beside it a pointer to the upper layers, a lock and a level; a point
    // reaches the upper layers with probability 1 / M, each with M links; 65,536 locks for
    // the labels; a visited list of 2 bytes per point for each thread searching.
    const auto m = static_cast<double>(options.m);
    const double graph = rows * ((2.0 * m + 1.0) * 4.0 + 4.0 * width + 8.0 + 8.0 + 40.0 + 4.0 +
                                 (m + 1.0) * 4.0 / (m - 1.0)) +
                         65536.0 * 40.0 + static_cast<double>(thread_count()) * 2.0 * rows;
    const double found = rows * static_cast<double>(k) * 16.0;
    return copy + std::max(eigenvectors + projected, projected + graph + found);
}

void validate(const HnswOptions& options) {
    require_parameter(options.m >= 2 && options.m <= max_links, "hnsw M",
                      "2 <= M <= " + std::to_string(max_links), std::to_string(options.m));
    require_parameter(options.ef_construction >= 1, "hnsw ef_construction", "ef_construction >= 1",
                      std::to_string(options.ef_construction));
    require_parameter(options.ef_search >= 1, "hnsw ef_search", "ef_search >= 1",
                      std::to_string(options.ef_search));
    require_parameter(options.projection >= -1, "hnsw projection",
                      "projection >= -1 (0 automatic, -1 none)",
                      std::to_string(options.projection));
    require_parameter(options.candidates >= 0, "hnsw candidates", "candidates >= 0 (0 automatic)",
                      std::to_string(options.candidates));
}

namespace detail {

// The automatic projection: hnsw_projection_variance and hnsw_candidates_per_neighbor.
// Fashion-MNIST, all 70,000 images (D = 784) in float32, k = 10, M 16, ef_construction 40,
// on 2 cores shared with other work: seconds for the neighbour phase and the recall@10
// estimated on 1000 points, by directions P kept (and the share of the variance they hold)
// and candidates c re-ranked. Exact brute force took 20.0 s, hnsw on all 784 coordinates
// 6.0 s at recall 0.969.
//
//     P (variance)    83 (90%)        100 (91%)       128 (93%)       160 (94%)
//     c = 20                                          2.86 / 0.933
//     c = 25                                                          3.91 / 0.969
//     c = 30          3.17 / 0.946    3.38 / 0.959    3.67 / 0.972
//     c = 40          3.56 / 0.969
//     c = 50          4.02 / 0.980
//
// Of 3.56 s (P 83, c 40): 0.15 centring the rows, 0.4 the covariance, its eigenvectors and
// the projection, 1.0 building the graph, 2.0 the queries (per thread 0.75 searching the
// graph, 0.2 re-ranking in float, 0.25 exact distances). The recall depends more on the
// candidates than on the directions past 90% of the variance, and the graph's cost grows
// with both; 90% and c = 4 k keep a margin above 0.95 at 5.6 times the exact search's
// speed. Below 32 directions a projection of data with little variance outside them would
// lose the neighbours' local differences, hence hnsw_projection_min_directions; and when
// more than half the coordinates are needed the search is cheaper in all of them
// (hnsw_projection_min_dimension and the half rule keep clear of that).
bool may_project(Index dimension, const HnswOptions& options) {
    if (options.projection == -1) {
        return false;
    }
    if (options.projection > 0) {
        return options.projection < dimension;
    }
    return dimension > hnsw_projection_min_dimension && dimension <= hnsw_projection_max_dimension;
}

Index fewest_directions(Index dimension, const HnswOptions& options) {
    if (!may_project(dimension, options)) {
        return 0;
    }
    return options.projection > 0 ? options.projection
                                  : std::min(hnsw_projection_min_directions, dimension);
}

Index projected_dimension(const Eigen::VectorXd& variances, const HnswOptions& options) {
    const Index dimension = variances.size();
    if (!may_project(dimension, options)) {
        return 0;
    }
    if (options.projection > 0) {
        return options.projection;
    }
    const double total = variances.sum();
    if (!(total > 0.0)) {
        return 0;
    }
    Index kept = 0;
    double sum = 0.0;
    while (kept < dimension && sum < hnsw_projection_variance * total) {
        sum += variances(kept);
        ++kept;
    }
    kept = std::max(kept, std::min(hnsw_projection_min_directions, dimension));
    return 2 * kept > dimension ? 0 : kept;
}

std::vector<std::pair<std::string, FloatDistance>> distance_kernels() {
    std::vector<std::pair<std::string, FloatDistance>> kernels;
    if (__builtin_cpu_supports("avx512f")) {
        kernels.emplace_back("avx512", squared_l2_avx512);
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        kernels.emplace_back("avx2", squared_l2_avx2);
    }
    kernels.emplace_back("plain", squared_l2_plain);
    return kernels;
}

}  // namespace detail

namespace {

/// hnsw_neighbors() for points of either precision.
template <typename Scalar>
NeighborGraph search_hnsw(PointsViewOf<Scalar> points, Index k, const HnswOptions& options,
                          ProgressMeter* progress) {
    using detail::Neighbor;
    const Index n = points.rows();
    const Index dimension = points.cols();
    const std::string what =
        "the HNSW neighbour search (its float copy of the points, their "
        "projection and the graph)";
    require_bytes_fit(
        what, hnsw_bytes(n, dimension, detail::fewest_directions(dimension, options), k, options),
        options.memory_limit);
    const std::vector<float> rows = single_precision_rows<Scalar>(points);
    auto row = [&](Index i) { return rows.data() + i * dimension; };

    // The graph's rows: the projected ones, or the full ones; the directions known, the
    // search's whole memory is known and checked before its projected rows and graph.
    Index directions = 0;
    std::vector<float> projected;
    {
        const std::vector<float> basis = principal_basis(rows, n, dimension, options, directions);
        require_bytes_fit(what, hnsw_bytes(n, dimension, directions, k, options),
                          options.memory_limit);
        if (directions > 0) {
            projected = projected_rows(rows, n, dimension, basis, directions);
        }
    }
    const bool projecting = directions > 0;
    const Index width = projecting ? directions : dimension;
    auto graph_row = [&](Index i) { return projecting ? projected.data() + i * width : row(i); };

    SquaredL2Space space(static_cast<std::size_t>(width));
    hnswlib::HierarchicalNSW<float> index(
        &space, static_cast<std::size_t>(n), static_cast<std::size_t>(options.m),
        static_cast<std::size_t>(options.ef_construction), static_cast<std::size_t>(options.seed));

    // hnswlib locks per node, so points can be added from every thread at once. The first is
    // added alone: it becomes the entry point the others start from. The order in which the
    // threads add the rest, and hnswlib draws each point's layer from one generator shared
    // without a lock, so the graph is reproducible only on one thread.
    // Progress: each point counts once when added and once when searched.
    if (progress != nullptr) {
        progress->expect(2 * n);
    }
    FirstError error;
    index.addPoint(graph_row(0), 0);
    if (progress != nullptr) {
        progress->advance();
    }
#pragma omp parallel
    {
        ProgressMeter::Batch counter(progress);
#pragma omp for schedule(dynamic, 64)
        for (Index i = 1; i < n; ++i) {
            counter.advance();
            error.run([&] { index.addPoint(graph_row(i), static_cast<hnswlib::labeltype>(i)); });
        }
    }
    error.rethrow();

    // The candidates re-ranked, and one more: the point itself is normally its own nearest
    // result and is dropped.
    Index candidates = k;
    if (projecting) {
        candidates = options.candidates > 0 ? std::max(options.candidates, k)
                                            : hnsw_candidates_per_neighbor * k;
    }
    candidates = std::min(candidates, n - 1);
    const Index wanted = candidates + 1;
    index.setEf(static_cast<std::size_t>(std::max(options.ef_search, wanted)));
    const detail::FloatDistance float_distance = space.get_dist_func();
    const std::size_t full_dimension = static_cast<std::size_t>(dimension);
    NeighborGraph graph{IndexMatrix(n, k), PointMatrix(n, k)};
#pragma omp parallel
    {
        std::vector<Neighbor> found;
        ProgressMeter::Batch counter(progress);
#pragma omp for schedule(dynamic, 64)
        for (Index i = 0; i < n; ++i) {
            counter.advance();
            error.run([&] {
                auto results = index.searchKnn(graph_row(i), static_cast<std::size_t>(wanted));
                found.clear();
                for (; !results.empty(); results.pop()) {
                    const auto j = static_cast<Index>(results.top().second);
                    if (j != i) {
                        found.push_back({static_cast<double>(results.top().first), j});
                    }
                }
                if (projecting) {
                    // Full-space float distances, the next candidate's row fetched meanwhile.
                    for (std::size_t c = 0; c < found.size(); ++c) {
                        if (c + 1 < found.size()) {
                            prefetch_row(row(found[c + 1].index), full_dimension);
                        }
                        found[c].squared_distance = static_cast<double>(
                            float_distance(row(i), row(found[c].index), &full_dimension));
                    }
                }
                if (static_cast<Index>(found.size()) < k) {
                    scan_all(points, i, found);
                } else {
                    // Only the candidates within the float error of the k-th approximation
                    // can be among the k nearest: those get their exact distances.
                    const auto kth = found.begin() + static_cast<std::ptrdiff_t>(k - 1);
                    std::nth_element(found.begin(), kth, found.end());
                    const double bound =
                        kth->squared_distance + 2.0 * float_error(kth->squared_distance, dimension);
                    std::erase_if(found,
                                  [&](const Neighbor& c) { return c.squared_distance > bound; });
                    detail::exact_squared_distances(points, points.row(i).data(), found);
                }
                std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(k),
                                  found.end());
                detail::store_row(graph, i, found);
            });
        }
    }
    error.rethrow();
    return graph;
}

/// estimate_recall() for points of either precision.
template <typename Scalar>
RecallEstimate recall_of(PointsViewOf<Scalar> points, const NeighborGraph& graph, Index sample_size,
                         std::uint64_t seed) {
    const Index n = points.rows();
    const Index k = graph.k();
    require_parameter(sample_size >= 1, "recall sample size", "sample size >= 1",
                      std::to_string(sample_size));
    require_parameter(graph.size() == n, "graph", "one row per point (" + std::to_string(n) + ")",
                      std::to_string(graph.size()) + " rows");
    require_parameter(1 <= k && k <= n - 1, "graph k", "1 <= k <= n - 1 = " + std::to_string(n - 1),
                      std::to_string(k));

    // The first `size` places of a seeded Fisher-Yates shuffle: distinct points, sorted so that
    // the exact search reads them in order.
    const Index size = std::min(sample_size, n);
    std::vector<Index> sample(static_cast<std::size_t>(n));
    std::iota(sample.begin(), sample.end(), Index{0});
    std::mt19937_64 engine(seed);
    for (Index r = 0; r < size; ++r) {
        std::uniform_int_distribution<Index> pick(r, n - 1);
        std::swap(sample[static_cast<std::size_t>(r)],
                  sample[static_cast<std::size_t>(pick(engine))]);
    }
    sample.resize(static_cast<std::size_t>(size));
    std::sort(sample.begin(), sample.end());

    const NeighborGraph exact = detail::brute_force_rows(points, sample, k);

    Index found = 0;
    Index far = 0;
#pragma omp parallel for reduction(+ : found, far) schedule(static)
    for (Index r = 0; r < size; ++r) {
        const Index i = sample[static_cast<std::size_t>(r)];
        const Scalar* point = points.row(i).data();
        // The true k-th squared distance, as the exact search computed it.
        const double kth = detail::squared_distance(
            point, points.row(exact.indices(r, k - 1)).data(), points.cols());
        std::vector<Index> row(graph.indices.row(i).begin(), graph.indices.row(i).end());
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
        bool far_neighbor = false;
        for (const Index j : row) {
            if (j != i && j >= 0 && j < n) {
                const double squared =
                    detail::squared_distance(point, points.row(j).data(), points.cols());
                found += squared <= kth ? 1 : 0;
                far_neighbor = far_neighbor || squared > 4.0 * kth;
            }
        }
        far += far_neighbor ? 1 : 0;
    }
    return {static_cast<double>(found) / static_cast<double>(size * k), size, far};
}

}  // namespace

namespace detail {

NeighborGraph hnsw_neighbors(PointsView points, Index k, const HnswOptions& options,
                             ProgressMeter* progress) {
    return search_hnsw<double>(points, k, options, progress);
}

NeighborGraph hnsw_neighbors(PointsViewF points, Index k, const HnswOptions& options,
                             ProgressMeter* progress) {
    return search_hnsw<float>(points, k, options, progress);
}

}  // namespace detail

RecallEstimate estimate_recall(PointsView points, const NeighborGraph& graph, Index sample_size,
                               std::uint64_t seed) {
    return recall_of<double>(points, graph, sample_size, seed);
}

RecallEstimate estimate_recall(PointsViewF points, const NeighborGraph& graph, Index sample_size,
                               std::uint64_t seed) {
    return recall_of<float>(points, graph, sample_size, seed);
}

}  // namespace lle::neighbors
