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
// Usage: lle-bench-neighbors FILE [FILE...] [--limit N] [--k K]
//   FILE   any point file `lle embed` reads (e.g. Fashion-MNIST's IDX files); several files
//          are stacked (all must have the same dimension). --limit caps the total.

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
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

void gemm(const lle::PointMatrix& x, lle::Index r0, lle::Index rows, lle::Index c0, lle::Index cols,
          double* out, lle::Index ld) {
    const auto stride = static_cast<int>(x.cols());
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows),
                static_cast<int>(cols), static_cast<int>(x.cols()), 1.0, x.row(r0).data(), stride,
                x.row(c0).data(), stride, 0.0, out, static_cast<int>(ld));
}

/// Returns a value depending on every tile so that no work can be optimised away.
double gemm_tiles(const lle::PointMatrix& x) {
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
        std::vector<double> tile(static_cast<std::size_t>(block_size * block_size));
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

double gemm_panels(const lle::PointMatrix& x) {
    const lle::Index n = x.rows();
    std::vector<double> panel(static_cast<std::size_t>(block_size * n));
    double checksum = 0.0;
    for (lle::Index r0 = 0; r0 < n; r0 += block_size) {
        const lle::Index cols = n - r0;
        gemm(x, r0, std::min(block_size, n - r0), r0, cols, panel.data(), cols);
        checksum += panel[0];
    }
    return checksum;
}

lle::PointMatrix read_stacked(const std::vector<std::string>& files, lle::Index limit) {
    std::vector<lle::PointMatrix> parts;
    lle::Index rows = 0;
    for (const std::string& file : files) {
        parts.push_back(lle::io::read_points(file).points);
        if (parts.back().cols() != parts.front().cols()) {
            std::fprintf(stderr, "%s: %lld columns, expected %lld\n", file.c_str(),
                         static_cast<long long>(parts.back().cols()),
                         static_cast<long long>(parts.front().cols()));
            std::exit(2);
        }
        rows += parts.back().rows();
    }
    rows = std::min(rows, limit);
    lle::PointMatrix points(rows, parts.front().cols());
    lle::Index at = 0;
    for (const lle::PointMatrix& part : parts) {
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

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> files;
    lle::Index limit = std::numeric_limits<lle::Index>::max();
    lle::Index k = 10;
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        if ((arg == "--limit" || arg == "--k") && a + 1 < argc) {
            (arg == "--limit" ? limit : k) = std::atoll(argv[++a]);
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty() || limit < 2 || k < 1) {
        std::fprintf(stderr, "usage: lle-bench-neighbors FILE [FILE...] [--limit N] [--k K]\n");
        return 2;
    }

    const lle::PointMatrix points = read_stacked(files, limit);
    const lle::Index n = points.rows();
    const double flops = triangle_flops(n, points.cols());
    std::printf("n = %lld, D = %lld, k = %lld, %d threads, %.2f TFLOP in the triangle\n\n",
                static_cast<long long>(n), static_cast<long long>(points.cols()),
                static_cast<long long>(k), omp_get_max_threads(), flops / 1e12);

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
