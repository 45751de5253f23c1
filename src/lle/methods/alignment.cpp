#include "lle/methods/alignment.hpp"

#include <utility>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/methods/detail/gather_columns.hpp"

namespace lle::methods {

SparseSymmetricMatrix assemble_alignment(const LocalBlocks& local, Index order,
                                         ProgressMeter* progress) {
    const Index n = local.indices.rows();
    const Index m = local.indices.cols();

    // Incidence by a counting sort: for column j, every (block i, position p) with
    // indices(i, p) = j.
    std::vector<Index> start(static_cast<std::size_t>(order) + 1, 0);
    for (Index i = 0; i < n; ++i) {
        for (Index p = 0; p < m; ++p) {
            ++start[static_cast<std::size_t>(local.indices(i, p)) + 1];
        }
    }
    for (std::size_t j = 0; j < static_cast<std::size_t>(order); ++j) {
        start[j + 1] += start[j];
    }
    std::vector<std::pair<Index, Index>> incidence(static_cast<std::size_t>(n * m));
    std::vector<Index> next(start.begin(), start.end() - 1);
    for (Index i = 0; i < n; ++i) {
        for (Index p = 0; p < m; ++p) {
            const auto j = static_cast<std::size_t>(local.indices(i, p));
            incidence[static_cast<std::size_t>(next[j]++)] = {i, p};
        }
    }

    // M_{:,j} = sum over incidences (i, p) of column p of B_i, at rows indices(i, :)
    return detail::gather_columns(
        order,
        [&](Index j, detail::ColumnTerms& terms) {
            const auto column = static_cast<std::size_t>(j);
            for (Index e = start[column]; e < start[column + 1]; ++e) {
                const auto [i, p] = incidence[static_cast<std::size_t>(e)];
                const double* block = local.blocks.row(i).data();
                for (Index q = 0; q < m; ++q) {
                    terms.emplace_back(static_cast<int>(local.indices(i, q)), block[q * m + p]);
                }
            }
        },
        progress);
}

void require_tangent_dimension(Index flat, Index n, Index d, const std::string& method) {
    if (2 * flat <= n) {
        return;
    }
    throw DataError("the neighbourhoods of " + std::to_string(flat) + " of the " +
                    std::to_string(n) + " points span fewer than d = " + std::to_string(d) +
                    " dimensions (their d-th singular value is below 1e-6 of their first): " +
                    method + " fits a d-dimensional tangent space at each point, which these " +
                    "points cannot support; use a smaller d (n_components), or more " +
                    "neighbours (k) if the data are flat only at a small scale");
}

}  // namespace lle::methods
