#pragma once

/// \file
/// Builds a sparse matrix column by column, in parallel, from unordered contributions.

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::methods::detail {

/// Contributions `(row, value)` to one column; rows may repeat and are summed.
using ColumnTerms = std::vector<std::pair<int, double>>;

/// A compressed-column `order x order` matrix whose column j is the sum of the terms that
/// `add_terms(j, terms)` appends to `terms` (passed empty). Columns are computed in parallel;
/// `add_terms` must be safe to call concurrently for different columns.
///
/// Each thread builds a contiguous block of columns (OpenMP's static schedule hands blocks to
/// threads in thread order), then the blocks are concatenated. Repeated rows are summed in the
/// order the terms came, through a dense row-to-slot map per thread (a sparse accumulator), so
/// that only the distinct rows are sorted: for standard LLE about 30 of 120 terms per column.
/// `progress` (may be null) counts the columns.
template <typename AddTerms>
SparseSymmetricMatrix gather_columns(Index order, AddTerms&& add_terms,
                                     ProgressMeter* progress = nullptr) {
    const int threads = omp_get_max_threads();
    std::vector<std::vector<int>> block_rows(static_cast<std::size_t>(threads));
    std::vector<std::vector<double>> block_values(static_cast<std::size_t>(threads));
    std::vector<int> counts(static_cast<std::size_t>(order));
    if (progress != nullptr) {
        progress->expect(order);
    }

#pragma omp parallel num_threads(threads)
    {
        const auto thread = static_cast<std::size_t>(omp_get_thread_num());
        std::vector<int>& rows = block_rows[thread];
        std::vector<double>& values = block_values[thread];
        ColumnTerms terms;
        ColumnTerms distinct;
        std::vector<int> slot(static_cast<std::size_t>(order), -1);
        ProgressMeter::Batch counter(progress);

#pragma omp for schedule(static)
        for (Index j = 0; j < order; ++j) {
            counter.advance();
            terms.clear();
            add_terms(j, terms);
            distinct.clear();
            for (const auto& [row, value] : terms) {
                int& at = slot[static_cast<std::size_t>(row)];
                if (at < 0) {
                    at = static_cast<int>(distinct.size());
                    distinct.emplace_back(row, value);
                } else {
                    distinct[static_cast<std::size_t>(at)].second += value;
                }
            }
            std::sort(distinct.begin(), distinct.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& [row, value] : distinct) {
                slot[static_cast<std::size_t>(row)] = -1;
                rows.push_back(row);
                values.push_back(value);
            }
            counts[static_cast<std::size_t>(j)] = static_cast<int>(distinct.size());
        }
    }

    SparseSymmetricMatrix matrix(order, order);
    int* outer = matrix.outerIndexPtr();
    outer[0] = 0;
    for (Index j = 0; j < order; ++j) {
        outer[j + 1] = outer[j] + counts[static_cast<std::size_t>(j)];
    }
    matrix.resizeNonZeros(outer[order]);
    std::size_t offset = 0;
    for (std::size_t t = 0; t < block_rows.size(); ++t) {
        std::memcpy(matrix.innerIndexPtr() + offset, block_rows[t].data(),
                    block_rows[t].size() * sizeof(int));
        std::memcpy(matrix.valuePtr() + offset, block_values[t].data(),
                    block_values[t].size() * sizeof(double));
        offset += block_rows[t].size();
    }
    return matrix;
}

}  // namespace lle::methods::detail
