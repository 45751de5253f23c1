#pragma once

/// \file
/// The sparse LU factorisation the product solver runs on (UMFPACK), with the memory of its
/// symbolic analysis bounded before the analysis and that of its factorisation estimated from
/// the analysis.

#include <umfpack.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"
#include "lle/base/timer.hpp"
#include "lle/embedding/eigensolver.hpp"

namespace lle::embedding::detail {

/// An LU factorisation (UMFPACK) of `B = (A + E_P E_P^T)^T`, with `E_P` the columns `P` of the
/// identity: `A` with 1 added to the diagonal entries `P`. `A` is singular; these "pins" make it
/// invertible when, for each null vector, the pinned rows hold a part of it (see
/// product_eigenpairs()). UMFPACK takes compressed columns, and the compressed rows of `A` are
/// the compressed columns of `A^T`, so the factor is of the transpose; it solves with both
/// orientations. Solves only read the factor (UMFPACK's `wsolve` leaves `Numeric` unmodified),
/// so threads may solve side by side, each with its own Workspace.
class PinnedLu {
  public:
    /// Copies the square `a` into UMFPACK's compressed columns, a 64-bit row index and a value
    /// per entry, each diagonal entry stored.
    explicit PinnedLu(const SparseRowMatrix& a) : order_(a.rows()) {
        // Sized exactly: grown entry by entry, the arrays would take up to twice the room.
        std::size_t entries = 0;
        visit_columns(a, [&entries](Index, Index, double) { ++entries; });
        rows_.reserve(entries);
        values_.reserve(entries);
        starts_.reserve(static_cast<std::size_t>(order_) + 1);
        starts_.push_back(0);
        visit_columns(a, [this](Index column, Index row, double value) {
            while (static_cast<Index>(starts_.size()) <= column) {
                starts_.push_back(static_cast<long>(rows_.size()));
            }
            rows_.push_back(static_cast<long>(row));
            values_.push_back(value);
        });
        starts_.push_back(static_cast<long>(rows_.size()));
        umfpack_dl_defaults(control_);
        // A's pattern is that of a k-nearest-neighbour graph, nearly symmetric, with a nonzero
        // diagonal: AMD on A + A^T and diagonal pivots preferred. AMD alone: the default also
        // tries METIS when the fill looks high, which cost 0.04 s more at n = 100,000 for the
        // same factor. No iterative refinement: the Lanczos iteration needs one pass per solve.
        control_[UMFPACK_STRATEGY] = UMFPACK_STRATEGY_SYMMETRIC;
        control_[UMFPACK_ORDERING] = UMFPACK_ORDERING_AMD;
        control_[UMFPACK_IRSTEP] = 0;
        control_[UMFPACK_PRL] = 0;
    }

    PinnedLu(const PinnedLu&) = delete;
    PinnedLu& operator=(const PinnedLu&) = delete;

    ~PinnedLu() {
        umfpack_dl_free_numeric(&numeric_);
        umfpack_dl_free_symbolic(&symbolic_);
    }

    /// An upper bound on the memory analyse() allocates at its peak, from the shape of A:
    /// UMFPACK's own count of it (UMFPACK_SYMBOLIC_PEAK_MEMORY) came to 25.5-30 bytes per stored
    /// entry and 260-280 bytes per row on k-nearest-neighbour matrices (swiss rolls, Gaussian
    /// points, k = 5 to 20, n = 10,000 to 100,000) and on random ones (k = 3 to 40), nearly the
    /// same for symmetric and unsymmetric patterns; 32 and 320 are counted.
    double analysis_bytes() const {
        return 32.0 * static_cast<double>(rows_.size()) + 320.0 * static_cast<double>(order_);
    }

    /// What the symbolic analysis predicts for the factorisation with diagonal pivots, and the
    /// memory it took.
    struct Estimate {
        double nonzeros;  ///< in L and U
        double flops;
        double front_entries;   ///< of the largest frontal matrix, `(d + 2)^2` for d its order
        double peak_bytes;      ///< the analysis at its peak, as UMFPACK counts it
        double symbolic_bytes;  ///< the analysis kept for the factorisation
    };

    /// Replaces the values by those of `a`, which must have the pattern the factorisation was
    /// built from (an analysis depends on the pattern alone); throws ParameterError otherwise.
    void set_values(const SparseRowMatrix& a) {
        std::size_t position = 0;
        bool same = a.rows() == order_ && a.cols() == order_;
        if (same) {
            visit_columns(a, [&](Index column, Index row, double value) {
                same =
                    same && position < rows_.size() &&
                    static_cast<long>(position) < starts_[static_cast<std::size_t>(column) + 1] &&
                    rows_[position] == static_cast<long>(row);
                if (same) {
                    values_[position++] = value;
                }
            });
        }
        require_parameter(same && position == rows_.size(), "A",
                          "the pattern the LU was analysed for", "another pattern");
    }

    /// Orders and analyses the pattern, first throwing ResourceError (require_fits()) if
    /// analysis_bytes() exceed `options.memory_limit`.
    Estimate analyse(const EigenOptions& options) {
        require_fits("the LU ordering and symbolic analysis of A", analysis_bytes(), options);
        double info[UMFPACK_INFO];
        // Without values (UMFPACK then takes every stored entry as nonzero), so that the
        // analysis of a pattern serves any A with it.
        const long status = umfpack_dl_symbolic(order_, order_, starts_.data(), rows_.data(),
                                                nullptr, &symbolic_, control_, info);
        if (status == UMFPACK_ERROR_out_of_memory) {
            throw ResourceError("not enough memory for the LU analysis of A");
        }
        if (status != UMFPACK_OK) {
            throw Error("the LU analysis of A failed (UMFPACK status " + std::to_string(status) +
                        ")");
        }
        // UMFPACK's general estimates are upper bounds for any pivoting (the memory 17 times
        // the measured peak at n = 1,000,000, swiss roll, k = 10); its counts for diagonal
        // pivots under the AMD ordering came within 7% of the actual nonzeros and within a
        // factor of 2 of the flops, and no off-diagonal pivot was taken on LLE's matrices.
        const double unit = info[UMFPACK_SIZE_OF_UNIT];
        // With the AMD ordering UMFPACK allocates each chain of fronts room for one of
        // `(d + 2)^2` entries, d the largest column count of L (UMFPACK_SYMMETRIC_DMAX).
        const double front_order = info[UMFPACK_SYMMETRIC_DMAX] + 2.0;
        return {info[UMFPACK_SYMMETRIC_LUNZ], info[UMFPACK_SYMMETRIC_FLOPS],
                front_order * front_order, info[UMFPACK_SYMBOLIC_PEAK_MEMORY] * unit,
                info[UMFPACK_SYMBOLIC_SIZE] * unit};
    }

    /// What the numeric factorisation will hold at its peak, with the analysis it runs on.
    ///
    /// The resident memory it added was 12.5 to 15.3 bytes per expected nonzero of L and U on
    /// swiss rolls (n = 100,000 and 300,000, k = 10 and 20, about 70 nonzeros per row).
    /// UMFPACK's own count of its peak came to about 8 bytes per nonzero plus 470 to 530 per
    /// row on cycles and k-nearest-neighbour matrices of 2,000 to 20,000 rows, the rows' share
    /// dominating where the factor is thin (5 to 40 nonzeros per row). Where the fronts are
    /// large the frontal matrices add to it: on 30-dimensional Gaussian points (n = 5,000 and
    /// 10,000, k = 3 to 5, fronts of order 580 to 1,840), 0.7 to 1.7 times 8 bytes per entry of
    /// the largest front beyond 16 bytes per nonzero. Counted: the larger of 16 bytes per
    /// nonzero and 8 per nonzero plus 600 per row, and twice 8 bytes per entry of the largest
    /// front.
    double factorisation_bytes(const Estimate& estimate) const {
        const double factors =
            std::max(16.0 * estimate.nonzeros,
                     8.0 * estimate.nonzeros + 600.0 * static_cast<double>(order_));
        return factors + 16.0 * estimate.front_entries + estimate.symbolic_bytes;
    }

    /// The peak of the last factorisation, as UMFPACK counts it (UMFPACK_PEAK_MEMORY): 0 before
    /// the first.
    double numeric_peak_bytes() const { return numeric_peak_bytes_; }

    /// Factors with the pins at `pins`; false when the pinned matrix is singular.
    bool factor(const std::vector<Index>& old_pins, const std::vector<Index>& pins) {
        for (const Index p : old_pins) {
            diagonal_value(p) -= 1.0;
        }
        for (const Index p : pins) {
            diagonal_value(p) += 1.0;
        }
        umfpack_dl_free_numeric(&numeric_);
        // UMFPACK's fronts here are small: its BLAS calls gained nothing from a second thread
        // (0.475 s against 0.49 s at n = 100,000), which then spun through the solves.
        const SerialBlas serial_blas;
        double info[UMFPACK_INFO];
        const long status = umfpack_dl_numeric(starts_.data(), rows_.data(), values_.data(),
                                               symbolic_, &numeric_, control_, info);
        numeric_peak_bytes_ = info[UMFPACK_PEAK_MEMORY] * info[UMFPACK_SIZE_OF_UNIT];
        return status == UMFPACK_OK;
    }

    Index nonzeros() const {
        long lower = 0, upper = 0, rows = 0, cols = 0, diagonal = 0;
        umfpack_dl_get_lunz(&lower, &upper, &rows, &cols, &diagonal, numeric_);
        return static_cast<Index>(lower + upper - diagonal);
    }

    /// What one solve works in: `n` indices and, without iterative refinement, `n` values.
    struct Workspace {
        explicit Workspace(Index n)
            : indices(static_cast<std::size_t>(n)), values(static_cast<std::size_t>(n)) {}
        std::vector<long> indices;
        std::vector<double> values;
    };

    /// `y = (A + E_P E_P^T)^{-T} x`, a solve with B.
    void solve_transposed(const double* x, double* y, Workspace& workspace) const {
        solve(UMFPACK_A, x, y, workspace);
    }
    /// `y = (A + E_P E_P^T)^{-1} x`, a solve with B^T.
    void solve(const double* x, double* y, Workspace& workspace) const {
        solve(UMFPACK_At, x, y, workspace);
    }

  private:
    /// Calls `visit(i, r, value)` for the entries `(r, i)` of B in order, column by column:
    /// column i of B is row i of A, with its diagonal entry stored even where it is zero.
    template <typename Visit>
    static void visit_columns(const SparseRowMatrix& a, Visit visit) {
        for (Index i = 0; i < a.rows(); ++i) {
            bool diagonal = false;
            for (SparseRowMatrix::InnerIterator entry(a, i); entry; ++entry) {
                if (!diagonal && entry.col() > i) {
                    visit(i, i, 0.0);
                    diagonal = true;
                }
                diagonal = diagonal || entry.col() == i;
                visit(i, entry.col(), entry.value());
            }
            if (!diagonal) {
                visit(i, i, 0.0);
            }
        }
    }

    double& diagonal_value(Index i) {
        const auto first = rows_.begin() + starts_[static_cast<std::size_t>(i)];
        const auto last = rows_.begin() + starts_[static_cast<std::size_t>(i) + 1];
        return values_[static_cast<std::size_t>(std::lower_bound(first, last, i) - rows_.begin())];
    }

    void solve(int system, const double* x, double* y, Workspace& workspace) const {
        double info[UMFPACK_INFO];
        umfpack_dl_wsolve(system, starts_.data(), rows_.data(), values_.data(), y, x, numeric_,
                          control_, info, workspace.indices.data(), workspace.values.data());
    }

    Index order_;
    std::vector<long> starts_;
    std::vector<long> rows_;
    std::vector<double> values_;
    double control_[UMFPACK_CONTROL];
    void* symbolic_ = nullptr;
    void* numeric_ = nullptr;
    double numeric_peak_bytes_ = 0.0;
};

/// A PinnedLu ordered and analysed, with what the analysis predicted and the seconds it took.
struct AnalysedLu {
    AnalysedLu(const SparseRowMatrix& a, const EigenOptions& options)
        : lu(a), estimate(lu.analyse(options)), seconds(clock.seconds()) {}

    Stopwatch clock;
    PinnedLu lu;
    PinnedLu::Estimate estimate;
    double seconds;
};

}  // namespace lle::embedding::detail
