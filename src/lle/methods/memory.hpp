#pragma once

/// \file
/// What a run will need in memory, estimated from the shapes alone before any work, so that a
/// run that cannot fit stops at once instead of failing (or swapping) an hour in.

#include <string>
#include <vector>

#include "lle/base/types.hpp"
#include "lle/methods/embed.hpp"

namespace lle {

/// One large allocation alive at one of the run's peaks.
struct MemoryItem {
    std::string what;  ///< e.g. "the n x n dense matrix"
    double bytes = 0.0;
    /// What the run may not need (Parameters::memory_reserve): left out of the lower bound.
    bool reserve = false;
};

/// The sum of `items`' bytes.
double total_bytes(const std::vector<MemoryItem>& items);

/// The largest allocations alive together at the run's peaks: the neighbour search, the
/// eigensolve and, for the methods other than standard LLE, the assembly of M from the points'
/// local blocks.
struct MemoryEstimate {
    embedding::Solver solver = embedding::Solver::automatic;  ///< the eigensolver assumed
    /// Alive together at the eigensolve.
    std::vector<MemoryItem> items;
    /// Alive together while M is assembled from the local blocks (empty for standard LLE).
    std::vector<MemoryItem> assembly;
    /// Alive together during the neighbour search: the points and the search itself.
    std::vector<MemoryItem> search;
    double factor_bytes = 0.0;  ///< the sparse factor's share of the items (0 for dense)
    double search_bytes = 0.0;  ///< the search's own share of `search`
    /// What the items count that the run may not need (Parameters::memory_reserve).
    double reserve_bytes = 0.0;
    /// The program itself before any work (Parameters::memory_in_use), counted in every peak.
    double in_use_bytes = 0.0;

    /// The largest of the peaks.
    double peak_bytes() const;
    /// The largest of the peaks without the reserve: what the run surely needs.
    double lower_bound_bytes() const;
    /// The items' sum: the eigensolve's peak.
    double eigensolve_bytes() const;
    /// The assembly's peak (0 for standard LLE).
    double assembly_bytes() const;
    /// The largest item of the largest peak, the reserve aside: what to change first when it
    /// does not fit.
    const MemoryItem& largest() const;
};

/// Estimates the peak memory of `embed()` on `n` points of dimension `dimension`.
///
/// Exact for the shapes that do not depend on the data (the points, the neighbour graph, the
/// exact neighbour searches, the weights, the local blocks, the dense solver's `n x n` matrix,
/// the iterative solvers' blocks of vectors). The sizes that depend on the data, the nonzeros
/// of the cost matrix `M` and of its sparse Cholesky factor, and the directions an HNSW search
/// projects the points on, are taken at the low end of what was measured on swiss rolls and
/// Fashion-MNIST (see memory.cpp), so that a run is refused before the work only when it
/// surely cannot fit; the HNSW search checks its exact size once it knows its directions (see
/// HnswOptions::memory_limit), and the sparse solvers their factorisations' after the symbolic
/// analysis (see EigenOptions::memory_limit), before allocating them.
///
/// \param coordinate_bytes  bytes per input coordinate: 8 for double, 4 for float.
MemoryEstimate estimate_memory(const Parameters& parameters, Index n, Index dimension,
                               Index coordinate_bytes = 8);

/// Throws ResourceError when `estimate.lower_bound_bytes()` exceeds `limit_bytes` (> 0), with a
/// message that gives the estimate, its largest item, the limit and what to change.
void require_memory(const MemoryEstimate& estimate, double limit_bytes, Index n);

/// Throws ResourceError when `limit_bytes` (> 0) is not above `in_use_bytes`, what the program
/// itself takes before any work: no run could fit, whatever its size. `needed_bytes`, when
/// known, is what this run needs at least (0 when not).
void require_room_beyond_the_program(double limit_bytes, double in_use_bytes,
                                     double needed_bytes = 0.0);

}  // namespace lle
