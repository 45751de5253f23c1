#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/embedding/eigensolver.hpp"

namespace lle::embedding::detail {
namespace {

/// The pattern of A by columns (of A^T by rows): the rows of A with an entry in column j are
/// `rows[starts[j]] .. rows[starts[j + 1] - 1]`, in increasing order.
struct ColumnPattern {
    std::vector<int> starts;  ///< `n + 1`
    std::vector<int> rows;    ///< one per nonzero of A
};

ColumnPattern column_pattern(const SparseRowMatrix& a) {
    const Index n = a.cols();
    ColumnPattern pattern;
    pattern.starts.assign(static_cast<std::size_t>(n) + 1, 0);
    for (Index r = 0; r < a.outerSize(); ++r) {
        for (SparseRowMatrix::InnerIterator entry(a, r); entry; ++entry) {
            ++pattern.starts[static_cast<std::size_t>(entry.col()) + 1];
        }
    }
    std::partial_sum(pattern.starts.begin(), pattern.starts.end(), pattern.starts.begin());
    pattern.rows.resize(static_cast<std::size_t>(pattern.starts.back()));
    // starts[j] serves as column j's cursor, then holds its end, the start of column j + 1.
    for (Index r = 0; r < a.outerSize(); ++r) {
        for (SparseRowMatrix::InnerIterator entry(a, r); entry; ++entry) {
            pattern.rows[static_cast<std::size_t>(pattern.starts[entry.col()]++)] =
                static_cast<int>(r);
        }
    }
    std::copy_backward(pattern.starts.begin(), pattern.starts.end() - 1, pattern.starts.end());
    pattern.starts[0] = 0;
    return pattern;
}

/// Bytes of a column pattern of A (n x n, `nonzeros` entries).
double column_pattern_bytes(double n, double nonzeros) {
    return (n + 1.0 + nonzeros) * sizeof(int);
}

/// `starts[0..n]`: the column starts of the pattern of `M = A^T A`. Column j of M is
/// `sum_r a_rj a_r^T` over the rows r with an entry in column j, so its pattern is the union of
/// those rows' patterns; `marker` (n entries, none equal to a column index) flags the rows
/// counted for the current column. Throws ResourceError when M has more nonzeros than its
/// 32-bit indices can address.
void product_starts(const SparseRowMatrix& a, const ColumnPattern& columns, int* starts,
                    std::vector<int>& marker) {
    const Index n = a.cols();
    Index total = 0;
    starts[0] = 0;
    for (Index j = 0; j < n; ++j) {
        const auto column = static_cast<int>(j);
        for (int q = columns.starts[static_cast<std::size_t>(j)];
             q < columns.starts[static_cast<std::size_t>(j) + 1]; ++q) {
            for (SparseRowMatrix::InnerIterator entry(a, columns.rows[static_cast<std::size_t>(q)]);
                 entry; ++entry) {
                int& mark = marker[static_cast<std::size_t>(entry.col())];
                if (mark != column) {
                    mark = column;
                    ++total;
                }
            }
        }
        if (total > std::numeric_limits<int>::max()) {
            throw ResourceError(
                "the cost matrix M = A^T A has more than 2^31 - 1 nonzeros, "
                "beyond its 32-bit indices; use fewer points or neighbours");
        }
        starts[j + 1] = static_cast<int>(total);
    }
}

}  // namespace

double sparse_matrix_bytes(double n, double nonzeros) {
    return nonzeros * (sizeof(double) + sizeof(int)) + (n + 1.0) * sizeof(int);
}

Index product_nonzeros(const SparseRowMatrix& a) {
    const ColumnPattern columns = column_pattern(a);
    std::vector<int> starts(static_cast<std::size_t>(a.cols()) + 1);
    std::vector<int> marker(static_cast<std::size_t>(a.cols()), -1);
    product_starts(a, columns, starts.data(), marker);
    return starts.back();
}

SparseSymmetricMatrix form_product(const SparseRowMatrix& a, const EigenOptions& options) {
    require_parameter(a.rows() == a.cols(), "matrix", "a square shape",
                      std::to_string(a.rows()) + " x " + std::to_string(a.cols()));
    const Index n = a.cols();
    const auto order = static_cast<double>(n);
    const auto a_nonzeros = static_cast<double>(a.nonZeros());

    // The pattern of A by columns, a marker per row and M's column starts, to count M's
    // nonzeros before allocating them.
    const double counting_bytes =
        column_pattern_bytes(order, a_nonzeros) + order * sizeof(int) + (order + 1.0) * sizeof(int);
    require_fits("counting the nonzeros of the cost matrix M = A^T A", counting_bytes, options);
    const ColumnPattern columns = column_pattern(a);
    std::vector<int> marker(static_cast<std::size_t>(n), -1);
    SparseSymmetricMatrix m(n, n);
    product_starts(a, columns, m.outerIndexPtr(), marker);
    const Index nonzeros = m.outerIndexPtr()[n];

    // M itself, with the counting's arrays and a running sum per row alive beside it.
    const double m_bytes = sparse_matrix_bytes(order, static_cast<double>(nonzeros));
    require_fits("the cost matrix M = A^T A",
                 m_bytes + column_pattern_bytes(order, a_nonzeros) + order * sizeof(int) +
                     order * sizeof(double),
                 options);
    m.resizeNonZeros(nonzeros);
    std::vector<double> sums(static_cast<std::size_t>(n));
    std::fill(marker.begin(), marker.end(), -1);
    int* const rows = m.innerIndexPtr();
    double* const values = m.valuePtr();

    // M(:, j) = sum_r a_rj a_r^T over the rows r of A with an entry in column j.
    for (Index j = 0; j < n; ++j) {
        const auto column = static_cast<int>(j);
        int end = m.outerIndexPtr()[j];
        for (int q = columns.starts[static_cast<std::size_t>(j)];
             q < columns.starts[static_cast<std::size_t>(j) + 1]; ++q) {
            const int r = columns.rows[static_cast<std::size_t>(q)];
            // a_rj: row r's columns are sorted.
            const int* const first = a.innerIndexPtr() + a.outerIndexPtr()[r];
            const int* const last =
                first + (a.isCompressed() ? a.outerIndexPtr()[r + 1] - a.outerIndexPtr()[r]
                                          : a.innerNonZeroPtr()[r]);
            const double a_rj =
                a.valuePtr()[std::lower_bound(first, last, column) - a.innerIndexPtr()];
            for (SparseRowMatrix::InnerIterator entry(a, r); entry; ++entry) {
                const auto i = static_cast<std::size_t>(entry.col());
                if (marker[i] != column) {
                    marker[i] = column;
                    rows[end++] = static_cast<int>(i);
                    sums[i] = 0.0;
                }
                sums[i] += a_rj * entry.value();
            }
        }
        std::sort(rows + m.outerIndexPtr()[j], rows + end);
        for (int p = m.outerIndexPtr()[j]; p < end; ++p) {
            values[p] = sums[static_cast<std::size_t>(rows[p])];
        }
    }
    return m;
}

}  // namespace lle::embedding::detail
