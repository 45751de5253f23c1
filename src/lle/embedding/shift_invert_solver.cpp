#include <Spectra/SymEigsShiftSolver.h>
#include <algorithm>
#include <cmath>

#include "lle/base/timer.hpp"
#include "lle/embedding/cholesky.hpp"
#include "lle/embedding/eigensolver.hpp"
#include "lle/embedding/lanczos.hpp"

namespace lle::embedding::detail {
namespace {

/// `y = (A + eps I)^{-1} x` through a supernodal Cholesky factor of `A + eps I` (CHOLMOD), in
/// the operator form Spectra's shift-invert solver expects (`set_shift(sigma)` factors
/// `A - sigma I`, so `sigma = -eps`).
class ShiftInvertOperator {
  public:
    using Scalar = double;

    ShiftInvertOperator(const SparseSymmetricMatrix& matrix, const EigenOptions& options)
        : matrix_(matrix) {
        factor_.analyse(matrix_, options);
    }

    Index rows() const { return matrix_.rows(); }
    Index cols() const { return matrix_.cols(); }

    /// Factors `A - sigma I`; `factored()` tells whether it was positive definite.
    void set_shift(double sigma) {
        factor_.setShift(-sigma);
        factor_.factorize(matrix_);
        factored_ = factor_.info() == Eigen::Success;
    }

    bool factored() const { return factored_; }

    Index factor_nonzeros() { return factor_.nonzeros(); }

    Index applications() const { return applications_; }

    void perform_op(const double* x_in, double* y_out) const {
        Eigen::Map<const Eigen::VectorXd> x(x_in, rows());
        Eigen::Map<Eigen::VectorXd> y(y_out, rows());
        y = factor_.solve(x);
        ++applications_;
    }

  private:
    const SparseSymmetricMatrix& matrix_;
    SupernodalCholesky factor_;
    bool factored_ = false;
    mutable Index applications_ = 0;
};

}  // namespace

EigenResult shift_invert_eigenpairs(const SparseSymmetricMatrix& matrix,
                                    const EigenOptions& options) {
    const Index n = matrix.rows();
    const Index wanted = options.count;
    const DenseMatrix& known = options.null_space;
    const Index subspace = lanczos_subspace(n - known.cols(), wanted);
    if (subspace <= wanted) {
        log(options.log, LogLevel::info, "matrix too small for Lanczos; using the dense solver");
        EigenResult dense = dense_eigenpairs(matrix, options);
        dense.status.solver = Solver::dense;
        return dense;
    }

    // The wanted eigenvalues of A may be far below any natural scale (1e-15 for large LLE
    // problems), and the convergence of shift-invert depends on the ratios
    // (lambda_j + eps) / (lambda_i + eps): the shift eps must sit at or below the smallest
    // wanted eigenvalue, or the iteration count explodes. Start tiny, relative to the mean
    // diagonal, and grow only if A + eps I is not numerically positive definite.
    const double mean_diagonal = matrix.diagonal().sum() / static_cast<double>(n);
    Stopwatch stopwatch;
    const Stopwatch solve;
    report_step(options, "ordering", 0.0);
    ShiftInvertOperator op(matrix, options);
    log(options.log, LogLevel::debug,
        "ordering and symbolic analysis: " + std::to_string(stopwatch.seconds()) + " s");
    stopwatch.restart();
    report_step(options, "factorising", solve.seconds());
    double shift = 1e-14 * mean_diagonal;
    for (; shift <= 1e-6 * mean_diagonal; shift *= 100.0) {
        op.set_shift(-shift);
        if (op.factored()) {
            break;
        }
        log(options.log, LogLevel::info,
            "A + " + scientific(shift) + " I is not positive definite; raising the shift");
    }

    EigenResult result;
    result.status.shift = shift;
    if (!op.factored()) {
        result.status.message =
            "the Cholesky factorisation of A + eps I failed for every shift up to eps = " +
            scientific(shift / 100.0) + ": the matrix is not positive semi-definite";
        return result;
    }
    result.status.factor_nonzeros = op.factor_nonzeros();
    result.status.factorisation = Factorisation::cholesky;
    log(options.log, LogLevel::debug,
        "numeric factorisation: " + std::to_string(stopwatch.seconds()) + " s, " +
            std::to_string(result.status.factor_nonzeros) + " nonzeros");
    stopwatch.restart();
    report_step(options, "Lanczos iteration", solve.seconds());

    // y = P (A + eps I)^{-1} P x with P = I - U U^T: the known null vectors U would otherwise
    // carry eigenvalues 1/eps of the inverse, many orders of magnitude above the wanted ones,
    // and their rounding errors would swamp the Ritz values. Spectra calls set_shift(sigma) in
    // its constructor; the factor already exists, so that call does nothing here.
    struct ProjectedOperator {
        using Scalar = double;
        ShiftInvertOperator& op;
        const DenseMatrix& known;
        mutable Eigen::VectorXd projected;
        Index rows() const { return op.rows(); }
        Index cols() const { return op.cols(); }
        void set_shift(double) {}
        void project(Eigen::Ref<Eigen::VectorXd> v) const {
            if (known.cols() > 0) {
                v -= known * (known.transpose() * v);
            }
        }
        void perform_op(const double* x_in, double* y_out) const {
            projected = Eigen::Map<const Eigen::VectorXd>(x_in, rows());
            project(projected);
            op.perform_op(projected.data(), y_out);
            project(Eigen::Map<Eigen::VectorXd>(y_out, rows()));
        }
    } factored{op, known, Eigen::VectorXd(n)};

    Spectra::SymEigsShiftSolver<ProjectedOperator> solver(factored, wanted, subspace, -shift);
    const bool converged = run_lanczos(
        solver, n, wanted, options, Spectra::SortRule::LargestMagn, Spectra::SortRule::SmallestAlge,
        [&factored](Eigen::VectorXd& start) { factored.project(start); },
        [&op] { return op.applications(); }, "shift-invert Lanczos", result.status);
    log(options.log, LogLevel::debug,
        "Lanczos iteration: " + std::to_string(stopwatch.seconds()) + " s");
    if (!converged) {
        return result;
    }

    result.values = solver.eigenvalues();
    result.vectors = solver.eigenvectors();
    return result;
}

}  // namespace lle::embedding::detail
