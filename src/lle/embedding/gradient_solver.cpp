#include <Eigen/Eigenvalues>
#include <Eigen/IterativeLinearSolvers>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "lle/base/blas.hpp"
#include "lle/base/timer.hpp"
#include "lle/embedding/cholesky.hpp"
#include "lle/embedding/eigensolver.hpp"

namespace lle::embedding::detail {
namespace {

/// Approximates `(A + eps I)^{-1}` on a block of residuals.
class Preconditioner {
  public:
    virtual ~Preconditioner() = default;
    virtual DenseMatrix apply(const DenseMatrix& residuals) const = 0;
};

/// No preconditioning: plain block gradient directions.
class Identity final : public Preconditioner {
  public:
    DenseMatrix apply(const DenseMatrix& residuals) const override { return residuals; }
};

/// Eigen's incomplete Cholesky (the pattern of `A`, diagonal scaling, AMD ordering).
class IncompleteCholesky final : public Preconditioner {
  public:
    explicit IncompleteCholesky(const SparseSymmetricMatrix& matrix) {
        factor_.compute(matrix);
        ok_ = factor_.info() == Eigen::Success;
    }
    bool ok() const { return ok_; }
    DenseMatrix apply(const DenseMatrix& residuals) const override {
        DenseMatrix out(residuals.rows(), residuals.cols());
        for (Index j = 0; j < residuals.cols(); ++j) {
            out.col(j) = factor_.solve(residuals.col(j));
        }
        return out;
    }

  private:
    Eigen::IncompleteCholesky<double, Eigen::Lower, Eigen::AMDOrdering<int>> factor_;
    bool ok_ = false;
};

/// The exact sparse Cholesky factor of `A + eps I` (CHOLMOD, supernodal, AMD).
class Cholesky final : public Preconditioner {
  public:
    Cholesky(const SparseSymmetricMatrix& matrix, double shift, const EigenOptions& options) {
        factor_.setShift(shift);
        factor_.analyse(matrix, options);
        factor_.factorize(matrix);
        ok_ = factor_.info() == Eigen::Success;
    }
    bool ok() const { return ok_; }
    Index nonzeros() { return factor_.nonzeros(); }
    DenseMatrix apply(const DenseMatrix& residuals) const override {
        return factor_.solve(residuals);
    }

  private:
    SupernodalCholesky factor_;
    bool ok_ = false;
};

/// `A X`, parallel over rows: `A` is symmetric, and its transpose is a row-major view, which
/// Eigen multiplies with OpenMP.
DenseMatrix multiply(const SparseSymmetricMatrix& matrix, const DenseMatrix& block) {
    DenseMatrix out(matrix.rows(), block.cols());
    out.noalias() = matrix.transpose() * block;
    return out;
}

/// Removes from the columns of `block` their components along the orthonormal columns of
/// `basis`, twice (one pass loses orthogonality when the components are large).
void project_out(const DenseMatrix& basis, DenseMatrix& block) {
    if (basis.cols() == 0 || block.cols() == 0) {
        return;
    }
    for (int pass = 0; pass < 2; ++pass) {
        block -= basis * cross_product(basis, block);
    }
}

/// An orthonormal basis of the span of `block`'s columns, dropping directions whose share is
/// below `drop` (relative to the largest column norm) as numerically dependent.
DenseMatrix orthonormal_basis(const DenseMatrix& block, double drop) {
    if (block.cols() == 0) {
        return block;
    }
    Eigen::ColPivHouseholderQR<DenseMatrix> qr(block);
    const double largest = std::abs(qr.matrixR()(0, 0));
    Index rank = 0;
    while (rank < std::min(block.rows(), block.cols()) &&
           std::abs(qr.matrixR()(rank, rank)) > drop * largest) {
        ++rank;
    }
    DenseMatrix q = qr.householderQ() * DenseMatrix::Identity(block.rows(), rank);
    return q;
}

/// `block` (orthonormal columns, orthogonal to `constraints`) completed to `size` columns with
/// random ones from `generator`, orthonormal and orthogonal to `constraints`.
DenseMatrix complete_block(DenseMatrix block, const DenseMatrix& constraints, Index size,
                           std::mt19937_64& generator) {
    std::uniform_real_distribution<double> uniform(-0.5, 0.5);
    while (block.cols() < size) {
        DenseMatrix random = DenseMatrix::NullaryExpr(block.rows(), size - block.cols(),
                                                      [&]() { return uniform(generator); });
        project_out(constraints, random);
        project_out(block, random);
        const DenseMatrix extra = orthonormal_basis(random, 1e-10);
        DenseMatrix extended(block.rows(), block.cols() + extra.cols());
        extended << block, extra;
        block = std::move(extended);
    }
    return block;
}

/// `size` orthonormal starting vectors orthogonal to the null space: the span of the given
/// initial vectors, completed with random ones (from `generator`), also where the given ones
/// are dependent or lie in the null space.
DenseMatrix starting_block(const EigenOptions& options, Index size, Index n,
                           std::mt19937_64& generator) {
    DenseMatrix block(n, 0);
    if (options.initial.cols() > 0) {
        // Unit columns first, so that only directions count, not their scale (1e-160 or 1e300
        // alike); then a column that loses almost all of its length to the null space (a
        // constant one, say) is dropped rather than kept as amplified rounding.
        DenseMatrix given = options.initial.leftCols(std::min(options.initial.cols(), size));
        Index kept = 0;
        for (Index j = 0; j < given.cols(); ++j) {
            const double length = given.col(j).stableNorm();  // no overflow at 1e300
            if (!(length > 0.0) || !std::isfinite(length)) {
                continue;
            }
            Eigen::VectorXd column = given.col(j) / length;
            DenseMatrix projected = column;
            project_out(options.null_space, projected);
            if (projected.norm() > 1e-6) {
                given.col(kept++) = projected.col(0);
            }
        }
        block = orthonormal_basis(given.leftCols(kept), 1e-10);
    }
    return complete_block(std::move(block), options.null_space, size, generator);
}

/// The preconditioner `options` asks for; null, with `status.message` set, when it cannot be
/// built.
std::unique_ptr<Preconditioner> make_preconditioner(const SparseSymmetricMatrix& matrix,
                                                    const EigenOptions& options,
                                                    EigenStatus& status) {
    switch (options.preconditioner) {
        case embedding::Preconditioner::none:
            return std::make_unique<Identity>();
        case embedding::Preconditioner::incomplete_cholesky: {
            // Eigen's default initial shift (1e-3 of the scaled diagonal), raised until the
            // incomplete factor exists.
            auto factor = std::make_unique<IncompleteCholesky>(matrix);
            if (!factor->ok()) {
                status.message = "the incomplete Cholesky factorisation failed";
                return nullptr;
            }
            return factor;
        }
        case embedding::Preconditioner::cholesky:
            break;
    }
    // The smallest shift that leaves A + eps I numerically positive definite, as for the
    // shift-invert solver: the preconditioner must resolve eigenvalues far below any shift.
    const double mean_diagonal = matrix.diagonal().sum() / static_cast<double>(matrix.rows());
    double shift = 1e-14 * mean_diagonal;
    for (; shift <= 1e-6 * mean_diagonal; shift *= 100.0) {
        auto factor = std::make_unique<Cholesky>(matrix, shift, options);
        if (factor->ok()) {
            status.shift = shift;
            status.factor_nonzeros = factor->nonzeros();
            return factor;
        }
    }
    status.message = "the Cholesky factorisation of A + eps I failed for every shift up to eps = " +
                     scientific(shift / 100.0) + ": the matrix is not positive semi-definite";
    return nullptr;
}

}  // namespace

EigenResult gradient_eigenpairs(const SparseSymmetricMatrix& matrix, const EigenOptions& options) {
    const Stopwatch solve;
    const Index n = matrix.rows();
    Index wanted = options.count;
    const Index known = options.null_space.cols();
    // Guard vectors beyond the wanted ones speed up convergence (the rate depends on the gap to
    // the first eigenvalue outside the block) and give the gap for the stopping test.
    Index block_size = std::min(n - known, wanted + std::max<Index>(2, wanted));
    if (block_size <= wanted || 3 * block_size >= n - known) {
        log(options.log, LogLevel::info, "matrix too small for LOBPCG; using the dense solver");
        EigenResult dense = dense_eigenpairs(matrix, options);
        dense.status.solver = Solver::dense;
        return dense;
    }

    const Eigen::VectorXd row_sums = matrix.cwiseAbs() * Eigen::VectorXd::Ones(n);
    const double norm = row_sums.maxCoeff();

    EigenResult result;
    std::unique_ptr<Preconditioner> preconditioner;
    std::mt19937_64 generator(options.seed);
    // The null space U, then the locked pairs (see below): every block stays orthogonal to it.
    DenseMatrix constraints = options.null_space;
    Eigen::VectorXd locked_values(0);
    DenseMatrix locked_vectors(n, 0);

    DenseMatrix x = starting_block(options, block_size, n, generator);
    DenseMatrix ax;
    DenseMatrix p(n, 0);
    Eigen::VectorXd values;
    // Rayleigh-Ritz on span(X): X^T A X = V diag(values) V^T, X <- X V.
    auto rayleigh_ritz = [&] {
        ax = multiply(matrix, x);
        DenseMatrix small = cross_product(x, ax);
        Eigen::SelfAdjointEigenSolver<DenseMatrix> ritz(0.5 * (small + small.transpose()));
        values = ritz.eigenvalues();
        x = x * ritz.eigenvectors();
        ax = ax * ritz.eigenvectors();
    };
    rayleigh_ritz();

    const double floor = 16.0 * std::numeric_limits<double>::epsilon() * norm;
    Index iteration = 0;
    bool converged = false;
    Index applications = 0;
    double largest_residual = 0.0;  // of the wanted pairs, at the last test
    for (; iteration < options.max_iterations; ++iteration) {
        DenseMatrix residual = ax - x * values.asDiagonal();
        if (locked_vectors.cols() > 0) {
            // R <- (I - C C^T) R: a locked pair (l, mu) couples to the block by
            // l^T A x = (A l - mu l)^T x, its own residual, which the final Rayleigh-Ritz on
            // [locked, X] removes; left in, it is a floor under the others' residuals.
            project_out(constraints, residual);
        }
        Eigen::VectorXd norms = residual.colwise().norm();
        largest_residual = norms.head(wanted).maxCoeff();
        // Stopping test: the sine of the angle between a Ritz vector and the wanted eigenspace
        // is at most its residual over the gap to the rest of the spectrum (Davis & Kahan).
        // The first guard's Ritz value, less its residual, bounds that gap from below only
        // once the guard has converged too; until then the gap counts as zero.
        const double next = values(wanted) - norms(wanted);
        std::string line = "iteration " + std::to_string(iteration) + ": residuals";
        converged = true;
        Index leading_done = 0;  // converged pairs before the first one that is not
        std::vector<Index> active;
        for (Index j = 0; j < block_size; ++j) {
            const double gap = std::max(0.0, next - values(j));
            const bool done =
                j < wanted && (norms(j) <= options.tolerance * gap || norms(j) <= floor);
            if (j < wanted) {
                leading_done += done && converged ? 1 : 0;
                converged = converged && done;
                line += " " + scientific(norms(j));
            }
            if (!done) {
                active.push_back(j);
            }
        }
        log(options.log, LogLevel::debug, line);
        if (converged) {
            break;
        }

        // Locking. The exact preconditioner (A + eps I)^{-1} multiplies each residual's share
        // along the bottom pair by 1 / (lambda_0 + eps): for a null vector missing from U, 1/eps,
        // 6e9 times what it gives the next pair on a swiss roll of 20 points with k = 2. That
        // share dominates the preconditioned residuals, cancels out of them when they are
        // orthonormalised against the block, and leaves the block orthonormal only to 9e-8 from
        // the first step on; the next pair then stalls (at a residual of 1.5e-11 there, 23 times
        // the stopping test). As for shift-invert (resolved_pairs), the converged pairs far below
        // the rest join U, and the block, made orthonormal again, goes on without them.
        if (result.status.shift > 0.0) {
            const Index resolved = resolved_pairs(values.head(wanted), result.status.shift);
            const Index lock = resolved < wanted ? std::min(leading_done, resolved) : 0;
            if (lock > 0) {
                report_locking(options, values.head(lock), wanted - lock);
                const Index total = locked_values.size() + lock;
                locked_values.conservativeResize(total);
                locked_values.tail(lock) = values.head(lock);
                locked_vectors.conservativeResize(n, total);
                locked_vectors.rightCols(lock) = x.leftCols(lock);
                DenseMatrix basis(n, known + total);
                basis << options.null_space, locked_vectors;
                constraints = orthonormal_columns(basis);

                wanted -= lock;
                block_size -= lock;
                DenseMatrix rest = x.rightCols(block_size);
                project_out(constraints, rest);
                x = complete_block(orthonormal_basis(rest, 1e-10), constraints, block_size,
                                   generator);
                rayleigh_ritz();
                p.resize(n, 0);
                continue;
            }
        }
        report_step(options, line, solve.seconds());

        DenseMatrix w(n, static_cast<Index>(active.size()));
        for (std::size_t j = 0; j < active.size(); ++j) {
            w.col(static_cast<Index>(j)) = residual.col(active[j]);
        }
        if (!preconditioner) {
            // Built on first use: a start that is already converged needs none.
            Stopwatch stopwatch;
            report_step(options, "factorising the preconditioner", solve.seconds());
            preconditioner = make_preconditioner(matrix, options, result.status);
            if (!preconditioner) {
                return result;
            }
            log(options.log, LogLevel::debug,
                "preconditioner " + to_string(options.preconditioner) + ": " +
                    std::to_string(stopwatch.seconds()) + " s");
        }
        w = preconditioner->apply(w);
        applications += w.cols();
        project_out(constraints, w);
        project_out(x, w);
        DenseMatrix directions(n, w.cols() + p.cols());
        directions << w, p;
        project_out(constraints, directions);
        project_out(x, directions);
        const DenseMatrix q = orthonormal_basis(directions, 1e-10);
        const DenseMatrix aq = multiply(matrix, q);

        // Rayleigh-Ritz on span[X, Q].
        const Index size = block_size + q.cols();
        DenseMatrix small(size, size);
        small.topLeftCorner(block_size, block_size) = values.asDiagonal();
        small.topRightCorner(block_size, q.cols()) = cross_product(x, aq);
        small.bottomLeftCorner(q.cols(), block_size) =
            small.topRightCorner(block_size, q.cols()).transpose();
        small.bottomRightCorner(q.cols(), q.cols()) = cross_product(q, aq);
        small = 0.5 * (small + small.transpose()).eval();
        Eigen::SelfAdjointEigenSolver<DenseMatrix> ritz(small);
        const DenseMatrix c = ritz.eigenvectors().leftCols(block_size);
        values = ritz.eigenvalues().head(block_size);

        p = q * c.bottomRows(q.cols());
        const DenseMatrix ap = aq * c.bottomRows(q.cols());
        x = x * c.topRows(block_size) + p;
        ax = ax * c.topRows(block_size) + ap;
    }

    result.status.iterations = iteration;
    result.status.operator_applications = applications;
    result.status.converged = converged;
    if (!converged) {
        result.status.message = "LOBPCG did not converge in " + std::to_string(iteration) +
                                " iterations (largest residual " + scientific(largest_residual) +
                                "); a stronger preconditioner or more iterations may help";
        return result;
    }
    result.values.resize(locked_values.size() + wanted);
    result.values << locked_values, values.head(wanted);
    result.vectors.resize(n, locked_vectors.cols() + wanted);
    result.vectors << locked_vectors, x.leftCols(wanted);
    return result;
}

}  // namespace lle::embedding::detail
