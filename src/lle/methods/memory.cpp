#include "lle/methods/memory.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"
#include "lle/neighbors/knn.hpp"

namespace lle {

namespace {

constexpr double index_bytes = sizeof(Index);
constexpr double value_bytes = sizeof(double);
constexpr double sparse_entry_bytes = sizeof(double) + sizeof(int);

/// Nonzeros of M (both triangles): 2.7 (k + 1) to 4.5 (k + 1) per row measured (swiss rolls,
/// Fashion-MNIST); the low end, so that a run is refused here only when it surely cannot fit.
double cost_nonzeros(Index n, Index k) {
    return static_cast<double>(n) * static_cast<double>(std::min(n, 3 * (k + 1)));
}

/// Nonzeros of the Cholesky factor of M under AMD at k = 10 and above, from its lower triangle:
/// 0.72 log2(n) times those measured on swiss rolls up to 1,000,000 points at k = 10, 1.05
/// log2(n) on Fashion-MNIST 10,000; the low end. The solvers check the exact count after their
/// symbolic analysis.
double factor_nonzeros(Index n, Index k) {
    const double lower = 0.5 * (cost_nonzeros(n, k) + static_cast<double>(n));
    const double fill = std::max(1.0, 0.7 * std::log2(static_cast<double>(n)));
    const double full = 0.5 * static_cast<double>(n) * static_cast<double>(n + 1);
    return std::min(full, lower * fill);
}

/// The same at any k: at most 0.044 k^2 n log2(n). The factors of the other methods' M on swiss
/// rolls of 30,000 and 100,000 points at k = 5 to 20 held 0.045 to 0.084 k^2 n log2(n) (0.69 to
/// 38 million nonzeros), far below factor_nonzeros() at small k (2.7 million at k = 5,
/// n = 100,000, against 11).
double cholesky_nonzeros(Index n, Index k) {
    const double rows = static_cast<double>(n);
    const double neighbours = static_cast<double>(k) * static_cast<double>(k);
    return std::min(factor_nonzeros(n, k),
                    0.044 * neighbours * rows * std::max(1.0, std::log2(rows)));
}

}  // namespace

double total_bytes(const std::vector<MemoryItem>& items) {
    return std::accumulate(items.begin(), items.end(), 0.0,
                           [](double total, const MemoryItem& item) { return total + item.bytes; });
}

double MemoryEstimate::peak_bytes() const {
    return std::max({total_bytes(items), total_bytes(assembly), total_bytes(search)});
}

double MemoryEstimate::lower_bound_bytes() const {
    return peak_bytes() - reserve_bytes;
}

double MemoryEstimate::eigensolve_bytes() const {
    return total_bytes(items);
}

double MemoryEstimate::assembly_bytes() const {
    return total_bytes(assembly);
}

const MemoryItem& MemoryEstimate::largest() const {
    const std::vector<MemoryItem>* peak = &items;
    for (const std::vector<MemoryItem>* phase : {&assembly, &search}) {
        if (total_bytes(*phase) > total_bytes(*peak)) {
            peak = phase;
        }
    }
    return *std::max_element(peak->begin(), peak->end(),
                             [](const MemoryItem& a, const MemoryItem& b) {
                                 return (a.reserve ? 0.0 : a.bytes) < (b.reserve ? 0.0 : b.bytes);
                             });
}

MemoryEstimate estimate_memory(const Parameters& parameters, Index n, Index dimension,
                               Index coordinate_bytes) {
    const auto rows = static_cast<double>(n);
    const auto k = static_cast<double>(parameters.n_neighbors);
    const auto d = static_cast<double>(parameters.n_components);

    MemoryEstimate estimate;
    estimate.solver = parameters.eigen_solver == embedding::Solver::automatic
                          ? embedding::choose_solver(n, parameters.initial_coordinates.size() > 0)
                          : parameters.eigen_solver;
    auto add = [&](std::string what, double bytes) {
        estimate.items.push_back({std::move(what), bytes});
    };
    if (parameters.memory_in_use > 0.0) {
        add("the program itself", parameters.memory_in_use);
        estimate.in_use_bytes = parameters.memory_in_use;
    }
    if (parameters.memory_reserve > 0.0) {
        estimate.items.push_back(
            {"the threads' stacks and BLAS's buffers", parameters.memory_reserve, true});
        estimate.reserve_bytes = parameters.memory_reserve;
    }
    add("the points",
        rows * static_cast<double>(dimension) * static_cast<double>(coordinate_bytes));
    // The neighbour search, before the rest exists: the search's own memory, the neighbours
    // found included. `auto` searches exactly after an approximate search whose recall is too
    // low, the approximate neighbours still held.
    const neighbors::Algorithm algorithm =
        neighbors::resolve_algorithm(parameters.neighbor_algorithm, n, dimension);
    estimate.search_bytes = neighbors::search_bytes(algorithm, n, dimension, parameters.n_neighbors,
                                                    parameters.hnsw, coordinate_bytes);
    if (parameters.neighbor_algorithm == neighbors::Algorithm::automatic &&
        neighbors::is_approximate(algorithm)) {
        estimate.search_bytes = std::max(
            estimate.search_bytes,
            neighbors::search_bytes(neighbors::choose_exact_algorithm(dimension), n, dimension,
                                    parameters.n_neighbors, parameters.hnsw, coordinate_bytes) +
                rows * k * (index_bytes + value_bytes));
    }
    estimate.search = estimate.items;
    estimate.search.push_back({"the neighbour search", estimate.search_bytes});

    add("the neighbour graph", rows * k * (index_bytes + value_bytes));
    const auto alive_throughout = static_cast<std::ptrdiff_t>(estimate.items.size());
    // W, A = I - W and the LU's copy of A (64-bit indices) for the standard method; one dense
    // block per point in flight otherwise, which is small.
    if (parameters.method == Method::standard) {
        add("the weights", rows * (k + 1.0) * (2.0 * sparse_entry_bytes + 16.0));
    }
    // The sparse solver factors standard LLE's A = I - W itself and never forms M = A^T A.
    const bool lu =
        parameters.method == Method::standard && estimate.solver == embedding::Solver::sparse;
    if (!lu) {
        add("the cost matrix M", cost_nonzeros(n, parameters.n_neighbors) * sparse_entry_bytes);
    }

    // Blocks of n-vectors: the Lanczos basis and blocks with one vector per block (3 (d + 1)
    // + d + 2, block_lanczos_vectors(); each thread beyond the first adds 3 (d + 1) + 2), or
    // LOBPCG's [X, R, P] and products.
    const double block_vectors =
        estimate.solver == embedding::Solver::sparse ? 4.0 * d + 5.0 : 12.0 * (d + 2.0);
    switch (estimate.solver) {
        case embedding::Solver::dense:
            add("the n x n dense matrix", rows * rows * value_bytes);
            add("the eigenvectors", rows * d * value_bytes);
            break;
        case embedding::Solver::sparse:
        case embedding::Solver::gradient:
        case embedding::Solver::automatic: {
            const bool factored = estimate.solver == embedding::Solver::sparse ||
                                  parameters.preconditioner == embedding::Preconditioner::cholesky;
            // L and U of A held half the nonzeros of M's Cholesky factor on swiss rolls of
            // 100,000 and 1,000,000 points (7.1 million against 13.8, 101 against 213), 0.76
            // and 0.85 times half of factor_nonzeros(); the factorisation's resident memory
            // came to 12.5 to 15.3 bytes per nonzero. The low ends: 0.35 and 12.
            estimate.factor_bytes =
                lu         ? 0.35 * factor_nonzeros(n, parameters.n_neighbors) * 12.0
                : factored ? cholesky_nonzeros(n, parameters.n_neighbors) * (value_bytes + 2.0)
                           : 0.5 * cost_nonzeros(n, parameters.n_neighbors) * (value_bytes + 2.0);
            add(lu         ? "the sparse LU factors of I - W"
                : factored ? "the sparse Cholesky factor of M"
                           : "the incomplete factor of M",
                estimate.factor_bytes);
            add("the solver's blocks of vectors", rows * block_vectors * value_bytes);
            break;
        }
    }

    // The other methods hold every point's local block, over the m points it touches (the
    // point and its neighbours for modified LLE, the neighbours for Hessian LLE and LTSA), until
    // M is assembled from them: the blocks, their points (64-bit), each point's incidences
    // (block, position) and their starts, and M twice, its columns gathered per thread and then
    // copied into it. At k = 20 the blocks alone outweigh M's factor on a swiss roll.
    if (parameters.method != Method::standard) {
        const double m = parameters.method == Method::modified ? k + 1.0 : k;
        estimate.assembly.assign(estimate.items.begin(), estimate.items.begin() + alive_throughout);
        estimate.assembly.push_back({"the local blocks", rows * m * m * value_bytes});
        estimate.assembly.push_back(
            {"the blocks' points and their incidence",
             rows * m * (index_bytes + 2.0 * index_bytes) + 2.0 * rows * index_bytes});
        estimate.assembly.push_back(
            {"the cost matrix M, gathered and copied",
             2.0 * cost_nonzeros(n, parameters.n_neighbors) * sparse_entry_bytes});
    }
    return estimate;
}

void require_memory(const MemoryEstimate& estimate, double limit_bytes, Index n) {
    if (limit_bytes <= 0.0 || estimate.lower_bound_bytes() <= limit_bytes) {
        return;
    }
    const MemoryItem& largest = estimate.largest();
    std::string advice;
    require_room_beyond_the_program(limit_bytes, estimate.in_use_bytes,
                                    estimate.lower_bound_bytes());
    switch (estimate.solver) {
        case embedding::Solver::dense:
            advice =
                "use the sparse eigensolver (eigen_solver = sparse, --eigen-solver sparse), "
                "which needs far less";
            break;
        default:
            advice =
                "use fewer points or neighbours (the sparse factor grows faster than n), or "
                "raise the limit (memory_limit, --memory-limit) if the machine has more";
            break;
    }
    throw ResourceError("not enough memory: with the " + embedding::to_string(estimate.solver) +
                        " eigensolver, n = " + std::to_string(n) + " needs about " +
                        format_bytes(estimate.lower_bound_bytes()) + " (" + largest.what +
                        " alone " + format_bytes(largest.bytes) + "), more than the " +
                        format_bytes(limit_bytes) + " available; " + advice);
}

void require_room_beyond_the_program(double limit_bytes, double in_use_bytes, double needed_bytes) {
    if (limit_bytes <= 0.0 || in_use_bytes < limit_bytes) {
        return;
    }
    throw ResourceError(
        "not enough memory: the limit of " + format_bytes(limit_bytes) + " is below the " +
        format_bytes(in_use_bytes) + " the program itself takes before any work; raise it " +
        "(memory_limit, --memory-limit)" +
        (needed_bytes > 0.0 ? " to at least " + format_bytes(needed_bytes) + " for this run"
                            : std::string()));
}

}  // namespace lle
