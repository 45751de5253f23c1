#include <Spectra/SymEigsShiftSolver.h>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

#include "lle/base/blas.hpp"
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
        const EigenOptions& options;
        const DenseMatrix& basis;  ///< U, orthonormal
        mutable Eigen::VectorXd projected;
        Index rows() const { return op.rows(); }
        Index cols() const { return op.cols(); }
        void set_shift(double) {}
        void project(Eigen::Ref<Eigen::VectorXd> v) const {
            if (basis.cols() > 0) {
                v -= basis * (basis.transpose() * v);
            }
        }
        void perform_op(const double* x_in, double* y_out) const {
            stop_if_interrupted(options, "Lanczos iteration");
            projected = Eigen::Map<const Eigen::VectorXd>(x_in, rows());
            project(projected);
            op.perform_op(projected.data(), y_out);
            project(Eigen::Map<Eigen::VectorXd>(y_out, rows()));
        }
    };

    // Passes until every wanted pair is resolved (resolved_pairs): each keeps the pairs within
    // resolvable_spread of its smallest one and locks them, U <- [U, Z_resolved], for the next.
    // A null vector missing from U, or a pair far below the others, leaves the rest unresolved.
    DenseMatrix locked = known;
    const Eigen::VectorXd row_sums = matrix.cwiseAbs() * Eigen::VectorXd::Ones(n);
    const double allowed = residual_tolerance * row_sums.maxCoeff();  // as refine_and_check
    result.values.resize(0);
    result.vectors.resize(n, 0);
    Index restarts = 0;
    for (Index remaining = wanted; remaining > 0;) {
        ProjectedOperator factored{op, options, locked, Eigen::VectorXd(n)};
        Spectra::SymEigsShiftSolver<ProjectedOperator> solver(
            factored, remaining, lanczos_subspace(n - locked.cols(), remaining), -shift);
        const bool converged = run_lanczos(
            solver, n, remaining, options, Spectra::SortRule::LargestAlge,
            Spectra::SortRule::SmallestAlge,
            [&factored](Eigen::VectorXd& start) { factored.project(start); },
            [&op] { return op.applications(); }, "shift-invert Lanczos", result.status);
        restarts += result.status.iterations;
        result.status.iterations = restarts;
        if (!converged) {
            return result;
        }

        // The pairs within resolvable_spread of the bottom one, and their residuals in A.
        Index resolved = resolved_pairs(solver.eigenvalues(), shift);
        Eigen::VectorXd values = solver.eigenvalues().head(resolved);
        DenseMatrix vectors = solver.eigenvectors().leftCols(resolved);
        auto largest_residual = [&](Index pairs) {
            return (matrix * vectors.leftCols(pairs) -
                    vectors.leftCols(pairs) * values.head(pairs).asDiagonal())
                .colwise()
                .norm()
                .maxCoeff();
        };
        if (resolved < remaining || !(largest_residual(resolved) <= allowed)) {
            // A pass with pairs far apart. The Krylov basis holds the pairs above the bottom
            // ones only as what is left after cancelling the huge components along these, so
            // even the bottom Ritz vectors carry that rounding, about u (lambda_next + eps) /
            // (lambda_0 + eps) along the next pairs (6e-7 on the swiss roll of 20 points, k = 2;
            // a residual of 1e-5 for a null vector with the next eigenvalue at 0.76, 8 points,
            // d = 1), and a pass may return copies of the bottom pair (the same 8 points,
            // seed 1). Locked as they are, the bottom ones would leave their 1/eps in the next
            // pass's operator times that error squared (a bias of 0.2% in the next eigenvalue
            // of the 20 points, a residual of 1.6e-6). So: one step of inverse iteration,
            // Z <- orth(P (A + eps I)^{-1} P Z), which divides that error by the same ratio;
            // Rayleigh-Ritz on span(Z), Z^T A Z = V diag(lambda) V^T, Z <- Z V; and only the
            // leading pairs that then pass refine_and_check's bound are kept.
            DenseMatrix refined(n, resolved);
            for (Index j = 0; j < resolved; ++j) {
                factored.perform_op(vectors.col(j).data(), refined.col(j).data());
            }
            vectors = orthonormal_columns(refined);
            DenseMatrix projected = cross_product(vectors, matrix * vectors);
            const Eigen::SelfAdjointEigenSolver<DenseMatrix> ritz(
                0.5 * (projected + projected.transpose()));
            values = ritz.eigenvalues();
            vectors = vectors * ritz.eigenvectors();
            Index passing = 0;
            while (passing < resolved && largest_residual(passing + 1) <= allowed) {
                ++passing;
            }
            if (passing == 0) {
                result.status.converged = false;
                result.status.message = "shift-invert Lanczos: the smallest eigenpair left, " +
                                        scientific(values(0)) + ", is not resolved (residual " +
                                        scientific(largest_residual(1)) + ")";
                return result;
            }
            resolved = passing;
            values.conservativeResize(resolved);
            vectors.conservativeResize(n, resolved);
        }
        const Index done = result.values.size();
        result.values.conservativeResize(done + resolved);
        result.values.tail(resolved) = values;
        result.vectors.conservativeResize(n, done + resolved);
        result.vectors.rightCols(resolved) = vectors;
        remaining -= resolved;
        if (remaining > 0) {
            report_locking(options, values, remaining);
            DenseMatrix basis(n, known.cols() + result.vectors.cols());
            basis << known, result.vectors;
            locked = orthonormal_columns(basis);
        }
    }
    log(options.log, LogLevel::debug,
        "Lanczos iteration: " + std::to_string(stopwatch.seconds()) + " s");
    return result;
}

}  // namespace lle::embedding::detail
