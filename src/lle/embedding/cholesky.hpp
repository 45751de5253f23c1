#pragma once

/// \file
/// The supernodal sparse Cholesky factorisation both M-based sparse eigensolvers use (CHOLMOD
/// through Eigen), with the memory its numeric factorisation will hold known from the analysis.

#include <Eigen/CholmodSupport>

#include "lle/embedding/eigensolver.hpp"

namespace lle::embedding::detail {

/// CHOLMOD's supernodal `L L^T` of a symmetric matrix given by its lower triangle, ordered by
/// AMD alone: METIS may save 10-20% of the fill but costs several times longer to order the
/// large, mesh-like graphs LLE produces.
class SupernodalCholesky : public Eigen::CholmodSupernodalLLT<SparseSymmetricMatrix, Eigen::Lower> {
  public:
    SupernodalCholesky() {
        cholmod_common& common = cholmod();
        common.nmethods = 1;
        common.method[0].ordering = CHOLMOD_AMD;
        common.postorder = 1;
        common.print = 0;
        common.quick_return_if_not_posdef = 1;
    }

    /// Orders and analyses `matrix`, then throws ResourceError if the numeric factorisation
    /// would not fit in `options.memory_limit`; first throws it if the analysis would not
    /// (analysis_bytes()).
    void analyse(const SparseSymmetricMatrix& matrix, const EigenOptions& options) {
        require_fits("the ordering and symbolic analysis of M's Cholesky factor",
                     analysis_bytes(matrix), options);
        analyzePattern(matrix);
        require_fits("the sparse Cholesky factor of M", factorisation_bytes(matrix), options);
    }

    /// An upper bound on what the ordering and symbolic analysis of `matrix` allocate at their
    /// peak, from its shape: CHOLMOD's own count of it (`cholmod().memory_usage` after the
    /// analysis) came to 6.1-6.6 bytes per nonzero (both triangles) and 70-90 bytes per row on
    /// the cost matrices of swiss rolls and Gaussian points (n = 10,000 and 20,000, k = 5 to 20,
    /// every method); 8 and 128 are counted.
    static double analysis_bytes(const SparseSymmetricMatrix& matrix) {
        return 8.0 * static_cast<double>(matrix.nonZeros()) +
               128.0 * static_cast<double>(matrix.rows());
    }

    /// Nonzeros of the factor (without the explicit zeros of its supernodes).
    Index nonzeros() { return static_cast<Index>(cholmod().lnz); }

    /// What the numeric factorisation of `matrix` holds at its peak, after the analysis: the
    /// supernodes' dense columns (explicit zeros included, up to twice the nonzeros on
    /// high-dimensional data) and their row indices, the largest update block, and the upper
    /// triangle CHOLMOD transposes the given lower one into, and per row its workspace, the
    /// permutation and the supernodes' indices (45 bytes measured; 64 counted). CHOLMOD's own
    /// count of its peak, `cholmod().memory_usage`, stays below it.
    double factorisation_bytes(const SparseSymmetricMatrix& matrix) const {
        const cholmod_factor& factor = *m_cholmodFactor;
        const auto rows = static_cast<double>(matrix.rows());
        const double lower = 0.5 * (static_cast<double>(matrix.nonZeros()) + rows);
        return static_cast<double>(factor.xsize + factor.maxcsize) * sizeof(double) +
               static_cast<double>(factor.ssize) * sizeof(int) +
               lower * (sizeof(double) + sizeof(int)) + 64.0 * rows;
    }
};

}  // namespace lle::embedding::detail
