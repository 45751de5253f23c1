#include "lle/methods/standard.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace lle::methods {

SparseSymmetricMatrix standard_cost_matrix(const SparseRowMatrix& weights) {
    const Index n = weights.rows();
    SparseRowMatrix identity(n, n);
    identity.setIdentity();

    // R = I - W, kept by rows; R^T by rows lists, for each column j of R, the rows i that
    // touch it. Column j of M = R^T R is sum_{i : R_ij != 0} R_ij R_{i,:}: at most (k + 1)^2
    // terms, gathered, sorted by row and summed. The time goes into fetching the rows R_{i,:},
    // which lie far apart in memory unless the points are stored in spatial order.
    const SparseRowMatrix residual = identity - weights;
    const SparseRowMatrix incidence = residual.transpose();

    // Each thread builds a contiguous block of columns (static schedule: blocks in thread
    // order), then the blocks are concatenated.
    const int threads = omp_get_max_threads();
    std::vector<std::vector<int>> block_rows(static_cast<std::size_t>(threads));
    std::vector<std::vector<double>> block_values(static_cast<std::size_t>(threads));
    std::vector<int> counts(static_cast<std::size_t>(n));

#pragma omp parallel num_threads(threads)
    {
        const auto thread = static_cast<std::size_t>(omp_get_thread_num());
        std::vector<int>& rows = block_rows[thread];
        std::vector<double>& values = block_values[thread];
        std::vector<std::pair<int, double>> terms;

#pragma omp for schedule(static)
        for (Index j = 0; j < n; ++j) {
            // M_{:,j} = sum_i R_ij R_{i,:}^T
            terms.clear();
            for (SparseRowMatrix::InnerIterator i(incidence, j); i; ++i) {
                for (SparseRowMatrix::InnerIterator l(residual, i.col()); l; ++l) {
                    terms.emplace_back(static_cast<int>(l.col()), i.value() * l.value());
                }
            }
            std::sort(terms.begin(), terms.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            int count = 0;
            for (std::size_t t = 0; t < terms.size(); ++t) {
                if (t > 0 && terms[t].first == terms[t - 1].first) {
                    values.back() += terms[t].second;
                } else {
                    rows.push_back(terms[t].first);
                    values.push_back(terms[t].second);
                    ++count;
                }
            }
            counts[static_cast<std::size_t>(j)] = count;
        }
    }

    SparseSymmetricMatrix cost(n, n);
    int* outer = cost.outerIndexPtr();
    outer[0] = 0;
    for (Index j = 0; j < n; ++j) {
        outer[j + 1] = outer[j] + counts[static_cast<std::size_t>(j)];
    }
    cost.resizeNonZeros(outer[n]);
    std::size_t offset = 0;
    for (std::size_t t = 0; t < block_rows.size(); ++t) {
        std::memcpy(cost.innerIndexPtr() + offset, block_rows[t].data(),
                    block_rows[t].size() * sizeof(int));
        std::memcpy(cost.valuePtr() + offset, block_values[t].data(),
                    block_values[t].size() * sizeof(double));
        offset += block_rows[t].size();
    }
    return cost;
}

}  // namespace lle::methods
