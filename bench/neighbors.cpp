// Exact high-dimensional neighbour search against the distance GEMM alone.
//
// The brute-force search computes every inner product x_i . x_j of the upper triangle tile by
// tile (GEMM) and selects each point's candidates from the tile while it is still in cache, so
// neither an n x n matrix nor a full sort ever exists. Its cost floor is the GEMM itself. This
// program times, on the same points and the same BLAS:
//
//   gemm (tiles)   the same upper-triangle tiles as the search, one tile per OpenMP thread,
//                  single-threaded BLAS inside (the search's own schedule, minus selection);
//   gemm (panels)  one threaded BLAS call per row panel against every later column, the way a
//                  plain BLAS user would compute the triangle;
//   search         neighbors::k_nearest with the brute-force algorithm (GEMM + selection +
//                  exact recomputation of the survivors),
//
// and prints each time, the GFLOP/s it reaches (2 D flops per inner product of the triangle
// and diagonal blocks, n (n + b) D flops in all for block size b), and the search's time over
// the faster GEMM.
//
// Usage: lle-bench-neighbors FILE [FILE...] [--limit N] [--k K] [--dtype float32|float64]
//   FILE   any point file `lle embed` reads (e.g. Fashion-MNIST's IDX files); several files
//          are stacked (all must have the same dimension). --limit caps the total. --dtype
//          float32 holds the points in single precision (sgemm tiles), as `lle embed --dtype
//          float32` does.

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "io/read_points.hpp"
#include "lle/base/timer.hpp"
#include "lle/neighbors/knn.hpp"

extern "C" int openblas_get_num_threads(void);
extern "C" void openblas_set_num_threads(int num_threads);

namespace {

/// The search's tile edge (see brute_force.cpp).
constexpr lle::Index block_size = 512;

/// Flops of the upper triangle in blocks of `block_size` (diagonal blocks computed in full).
double triangle_flops(lle::Index n, lle::Index dimension) {
    double products = 0.0;
    for (lle::Index r0 = 0; r0 < n; r0 += block_size) {
        const auto rows = static_cast<double>(std::min(block_size, n - r0));
        products += rows * static_cast<double>(n - r0);
    }
    return 2.0 * static_cast<double>(dimension) * products;
}

/// `out = X(r0:r0+rows, :) X(c0:c0+cols, :)^T`, leading dimension `ld`.
template <typename Scalar>
void gemm(const lle::PointMatrixOf<Scalar>& x, lle::Index r0, lle::Index rows, lle::Index c0,
          lle::Index cols, Scalar* out, lle::Index ld) {
    const auto m = static_cast<int>(rows);
    const auto n = static_cast<int>(cols);
    const auto depth = static_cast<int>(x.cols());
    if constexpr (std::is_same_v<Scalar, float>) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, depth, 1.0F, x.row(r0).data(),
                    depth, x.row(c0).data(), depth, 0.0F, out, static_cast<int>(ld));
    } else {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, depth, 1.0, x.row(r0).data(),
                    depth, x.row(c0).data(), depth, 0.0, out, static_cast<int>(ld));
    }
}

/// The search's tiles without the selection. Returns a value depending on every tile so that
/// no work can be optimised away.
template <typename Scalar>
double gemm_tiles(const lle::PointMatrixOf<Scalar>& x) {
    const lle::Index n = x.rows();
    const lle::Index blocks = (n + block_size - 1) / block_size;
    std::vector<std::pair<lle::Index, lle::Index>> tiles;
    for (lle::Index offset = 0; offset < blocks; ++offset) {
        for (lle::Index r = 0; r + offset < blocks; ++r) {
            tiles.emplace_back(r, r + offset);
        }
    }
    const int saved = openblas_get_num_threads();
    openblas_set_num_threads(1);
    double checksum = 0.0;
#pragma omp parallel reduction(+ : checksum)
    {
        std::vector<Scalar> tile(static_cast<std::size_t>(block_size * block_size));
#pragma omp for schedule(dynamic)
        for (std::size_t t = 0; t < tiles.size(); ++t) {
            const lle::Index r0 = tiles[t].first * block_size;
            const lle::Index c0 = tiles[t].second * block_size;
            gemm(x, r0, std::min(block_size, n - r0), c0, std::min(block_size, n - c0), tile.data(),
                 block_size);
            checksum += tile[0];
        }
    }
    openblas_set_num_threads(saved);
    return checksum;
}

/// The triangle as one threaded GEMM per row panel.
template <typename Scalar>
double gemm_panels(const lle::PointMatrixOf<Scalar>& x) {
    const lle::Index n = x.rows();
    std::vector<Scalar> panel(static_cast<std::size_t>(block_size * n));
    double checksum = 0.0;
    for (lle::Index r0 = 0; r0 < n; r0 += block_size) {
        const lle::Index cols = n - r0;
        gemm(x, r0, std::min(block_size, n - r0), r0, cols, panel.data(), cols);
        checksum += panel[0];
    }
    return checksum;
}

/// The files' points one after the other, at most `limit` rows.
template <typename Scalar>
lle::PointMatrixOf<Scalar> read_stacked(const std::vector<std::string>& files, lle::Index limit) {
    std::vector<lle::PointMatrixOf<Scalar>> parts;
    lle::Index rows = 0;
    for (const std::string& file : files) {
        parts.push_back(lle::io::read_points<Scalar>(file).points);
        if (parts.back().cols() != parts.front().cols()) {
            std::fprintf(stderr, "%s: %lld columns, expected %lld\n", file.c_str(),
                         static_cast<long long>(parts.back().cols()),
                         static_cast<long long>(parts.front().cols()));
            std::exit(2);
        }
        rows += parts.back().rows();
    }
    rows = std::min(rows, limit);
    lle::PointMatrixOf<Scalar> points(rows, parts.front().cols());
    lle::Index at = 0;
    for (const lle::PointMatrixOf<Scalar>& part : parts) {
        const lle::Index take = std::min(part.rows(), rows - at);
        points.middleRows(at, take) = part.topRows(take);
        at += take;
    }
    return points;
}

void print_row(const char* name, double seconds, double flops, double baseline) {
    std::printf("| %s | %.2f | %.1f | %.2f |\n", name, seconds, flops / seconds / 1e9,
                seconds / baseline);
}

/// Times the three passes in `Scalar` precision and prints the table.
template <typename Scalar>
int run(const std::vector<std::string>& files, lle::Index limit, lle::Index k) {
    const lle::PointMatrixOf<Scalar> points = read_stacked<Scalar>(files, limit);
    const lle::Index n = points.rows();
    const double flops = triangle_flops(n, points.cols());
    std::printf("n = %lld, D = %lld, k = %lld, %s, %d threads, %.2f TFLOP in the triangle\n\n",
                static_cast<long long>(n), static_cast<long long>(points.cols()),
                static_cast<long long>(k), std::is_same_v<Scalar, float> ? "float32" : "float64",
                omp_get_max_threads(), flops / 1e12);

    lle::Stopwatch stopwatch;
    double checksum = gemm_tiles(points);
    const double tiles_seconds = stopwatch.seconds();
    stopwatch.restart();
    checksum += gemm_panels(points);
    const double panels_seconds = stopwatch.seconds();
    stopwatch.restart();
    const lle::neighbors::NeighborGraph graph =
        lle::neighbors::k_nearest(points, k, lle::neighbors::Algorithm::brute_force);
    const double search_seconds = stopwatch.seconds();

    const double baseline = std::min(tiles_seconds, panels_seconds);
    std::printf("| pass | seconds | GFLOP/s | / fastest GEMM |\n|---|---|---|---|\n");
    print_row("GEMM alone, tiles", tiles_seconds, flops, baseline);
    print_row("GEMM alone, panels", panels_seconds, flops, baseline);
    print_row("search (GEMM + top-k)", search_seconds, flops, baseline);
    std::printf("\n(checksum %g, first neighbour of point 0: %lld)\n", checksum,
                static_cast<long long>(graph.indices(0, 0)));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> files;
    lle::Index limit = std::numeric_limits<lle::Index>::max();
    lle::Index k = 10;
    std::string dtype = "float64";
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        if ((arg == "--limit" || arg == "--k") && a + 1 < argc) {
            (arg == "--limit" ? limit : k) = std::atoll(argv[++a]);
        } else if (arg == "--dtype" && a + 1 < argc) {
            dtype = argv[++a];
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty() || limit < 2 || k < 1 || (dtype != "float32" && dtype != "float64")) {
        std::fprintf(stderr,
                     "usage: lle-bench-neighbors FILE [FILE...] [--limit N] [--k K] "
                     "[--dtype float32|float64]\n");
        return 2;
    }
    return dtype == "float32" ? run<float>(files, limit, k) : run<double>(files, limit, k);
}
