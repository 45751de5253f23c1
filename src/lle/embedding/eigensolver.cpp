#include "lle/embedding/eigensolver.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "lle/base/blas.hpp"
#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"
#include "lle/embedding/pinned_lu.hpp"

namespace lle::embedding {

namespace detail {

void stop_if_interrupted(const EigenOptions& options, std::string_view step) {
    if (options.interrupted && options.interrupted()) {
        throw Interrupted("the eigensolve was interrupted at " + std::string(step));
    }
}

void report_step(const EigenOptions& options, std::string_view step, double seconds) {
    stop_if_interrupted(options, step);
    if (options.progress) {
        options.progress({"eigensolve", step, 0, 0, seconds, false});
    }
}

Index lanczos_subspace(Index dimension, Index wanted) {
    // The Krylov space lives in the complement of the null space, of dimension n - s. Spectra
    // fills the whole subspace before it tests for convergence, so a subspace larger than
    // needed costs a solve per extra vector. Measured (solves to converge): with d = 1, 2, 3
    // wanted pairs, 3 (d + 1) vectors converged in one pass (7, 10, 13 solves) on swiss rolls
    // of 3,000 to 100,000 points, Fashion-MNIST 10,000, and modified, Hessian and LTSA at
    // 10,000; 12 vectors took 13 solves for each d, 8 took 14 in two passes at d = 2. Larger d
    // (Fashion-MNIST 10,000): 12 vectors for d = 5 (17 solves in two passes, 18 took 19).
    const Index size = std::max<Index>(std::min<Index>(3 * (wanted + 1), 12), 2 * wanted + 1);
    return std::min(dimension, size);
}

BlockLanczosSettings block_lanczos_settings(Index dimension, Index wanted, Index block,
                                            const EigenOptions& options) {
    BlockLanczosSettings settings;
    settings.wanted = wanted;
    // The largest block whose basis fits in the space.
    const Index subspace = lanczos_subspace(dimension, wanted);
    settings.block = std::max<Index>(1, std::min(block, dimension / subspace));
    settings.basis_size = settings.block * subspace;
    settings.tolerance = options.tolerance;
    // Passes over the basis, as Spectra counts its restarts: the first pass is one.
    settings.max_restarts = std::max<Index>(0, options.max_iterations - 1);
    settings.seed = options.seed;
    return settings;
}

void record_lanczos(const BlockLanczosResult& outcome, const BlockLanczosSettings& settings,
                    const std::string& what, EigenStatus& status) {
    status.iterations = outcome.restarts + 1;
    status.operator_applications = outcome.steps * settings.block;
    status.block_size = settings.block;
    status.converged = outcome.converged;
    if (!outcome.converged) {
        status.message = what + " did not converge in " + std::to_string(status.iterations) +
                         " passes of " + std::to_string(settings.basis_size) + " vectors";
    }
}

DenseMatrix orthonormal_columns(const DenseMatrix& vectors) {
    return Eigen::HouseholderQR<DenseMatrix>(vectors).householderQ() *
           DenseMatrix::Identity(vectors.rows(), vectors.cols());
}

Index resolved_pairs(const Eigen::VectorXd& values, double shift) {
    // lambda_i + eps, the inverse eigenvalues of the factored operator, against the smallest.
    const double bottom = values(0) + shift;
    Index resolved = 1;
    while (resolved < values.size() && values(resolved) + shift <= resolvable_spread * bottom) {
        ++resolved;
    }
    return resolved;
}

void report_locking(const EigenOptions& options, const Eigen::VectorXd& locked, Index others) {
    log(options.log, LogLevel::info,
        "locking " + std::to_string(locked.size()) + " eigenpair(s), eigenvalues " +
            scientific(locked(0)) + " to " + scientific(locked(locked.size() - 1)) +
            ", far below the others; computing the other " + std::to_string(others) +
            " apart from them");
}

void require_fits(const std::string& what, double bytes, const EigenOptions& options) {
    require_bytes_fit(what, bytes, options.memory_limit);
}

}  // namespace detail

Solver choose_solver(Index n, bool has_initial) {
    if (n <= dense_size_limit) {
        return Solver::dense;
    }
    return has_initial ? Solver::gradient : Solver::sparse;
}

std::string to_string(Solver solver) {
    switch (solver) {
        case Solver::automatic:
            return "auto";
        case Solver::dense:
            return "dense";
        case Solver::sparse:
            return "sparse";
        case Solver::gradient:
            return "gradient";
    }
    return "unknown";
}

std::string to_string(Preconditioner preconditioner) {
    switch (preconditioner) {
        case Preconditioner::cholesky:
            return "cholesky";
        case Preconditioner::incomplete_cholesky:
            return "incomplete-cholesky";
        case Preconditioner::none:
            return "none";
    }
    return "unknown";
}

std::string to_string(Factorisation factorisation) {
    switch (factorisation) {
        case Factorisation::none:
            return "none";
        case Factorisation::lu:
            return "lu";
        case Factorisation::cholesky:
            return "cholesky";
    }
    return "unknown";
}

namespace {

void validate(Index rows, Index cols, const EigenOptions& options) {
    const Index n = rows;
    require_parameter(cols == n, "matrix", "a square shape",
                      std::to_string(n) + " x " + std::to_string(cols));
    require_parameter(options.count >= 1, "count", "count >= 1", std::to_string(options.count));
    const Index known = options.null_space.cols();
    require_parameter(known == 0 || options.null_space.rows() == n, "null_space",
                      "one row per matrix row (" + std::to_string(n) + ")",
                      std::to_string(options.null_space.rows()) + " rows");
    require_parameter(known + options.count <= n, "null space size + count",
                      "s + count <= n = " + std::to_string(n),
                      std::to_string(known + options.count));
    require_parameter(options.initial.cols() == 0 || options.initial.rows() == n, "initial",
                      "one row per matrix row (" + std::to_string(n) + ")",
                      std::to_string(options.initial.rows()) + " rows");
}

Solver first_solver(Index n, const EigenOptions& options) {
    return options.solver == Solver::automatic ? choose_solver(n, options.initial.cols() > 0)
                                               : options.solver;
}

/// Whether smallest_eigenpairs_of_product() tries the LU of A first.
bool factors_product(Index n, const EigenOptions& options) {
    return first_solver(n, options) == Solver::sparse && options.null_space.cols() > 0;
}

}  // namespace

EigenResult smallest_eigenpairs(const SparseSymmetricMatrix& matrix, const EigenOptions& options) {
    const Index n = matrix.rows();
    validate(n, matrix.cols(), options);

    auto run = [&](Solver solver) {
        EigenResult result = solver == Solver::dense ? detail::dense_eigenpairs(matrix, options)
                             : solver == Solver::sparse
                                 ? detail::shift_invert_eigenpairs(matrix, options)
                                 : detail::gradient_eigenpairs(matrix, options);
        if (result.status.solver == Solver::automatic) {  // unless it handed over to another
            result.status.solver = solver;
        }
        if (result.status.converged) {
            detail::refine_and_check(matrix, options.null_space, result);
        }
        return result;
    };
    EigenResult result = run(first_solver(n, options));
    if (options.solver != Solver::automatic || result.status.converged) {
        return result;
    }

    // The next solvers to try, in order; the dense one only where its matrix fits.
    const double dense_bytes = 8.0 * static_cast<double>(n) * static_cast<double>(n);
    const bool dense_fits = options.memory_limit > 0.0 ? dense_bytes <= options.memory_limit
                                                       : n <= dense_fallback_limit;
    std::vector<Solver> next;
    if (result.status.solver == Solver::sparse) {
        next.push_back(Solver::gradient);
    }
    if (result.status.solver != Solver::dense && dense_fits) {
        next.push_back(Solver::dense);
    }
    std::string failures;
    for (const Solver solver : next) {
        failures += (failures.empty() ? "" : "; ") + to_string(result.status.solver) + ": " +
                    result.status.message;
        log(options.log, LogLevel::warning,
            "the " + to_string(result.status.solver) + " eigensolver failed (" +
                result.status.message + "); trying the " + to_string(solver) + " solver");
        result = run(solver);
        result.status.fallback = failures;
        if (result.status.converged) {
            break;
        }
    }
    return result;
}

ProductAnalysis::ProductAnalysis() = default;
ProductAnalysis::ProductAnalysis(ProductAnalysis&&) noexcept = default;
ProductAnalysis& ProductAnalysis::operator=(ProductAnalysis&&) noexcept = default;
ProductAnalysis::~ProductAnalysis() = default;

ProductAnalysis analyse_product(const SparseRowMatrix& pattern, const EigenOptions& options) {
    validate(pattern.rows(), pattern.cols(), options);
    ProductAnalysis analysis;
    if (factors_product(pattern.rows(), options)) {
        EigenOptions quiet = options;
        quiet.log = {};
        quiet.progress = {};
        quiet.interrupted = {};
        analysis.lu_ = std::make_unique<detail::AnalysedLu>(pattern, quiet);
    }
    return analysis;
}

EigenResult smallest_eigenpairs_of_product(const SparseRowMatrix& a, const EigenOptions& options) {
    return smallest_eigenpairs_of_product(a, options, ProductAnalysis{});
}

EigenResult smallest_eigenpairs_of_product(const SparseRowMatrix& a, const EigenOptions& options,
                                           ProductAnalysis analysis) {
    validate(a.rows(), a.cols(), options);
    std::string lu_failure;
    if (factors_product(a.rows(), options)) {
        if (std::optional<EigenResult> result =
                detail::product_eigenpairs(a, options, std::move(analysis.lu_))) {
            result->status.solver = Solver::sparse;
            if (result->status.converged) {
                // M z = A^T (A z); |A^T A|_inf <= |A^T|_inf |A|_inf = |A|_1 |A|_inf.
                const Eigen::VectorXd row_sums = a.cwiseAbs() * Eigen::VectorXd::Ones(a.cols());
                const Eigen::RowVectorXd column_sums =
                    Eigen::RowVectorXd::Ones(a.rows()) * a.cwiseAbs();
                detail::refine_and_check(
                    [&a](const DenseMatrix& z) -> DenseMatrix { return a.transpose() * (a * z); },
                    row_sums.maxCoeff() * column_sums.maxCoeff(), options.null_space, *result);
            }
            if (result->status.converged) {
                return std::move(*result);
            }
            lu_failure = result->status.message;
            log(options.log, LogLevel::info,
                "the LU of A did not serve (" + lu_failure + "); factoring M = A^T A instead");
        }
    }
    // M itself for the other solvers, where the LU's fronts would be dense, and where the LU
    // failed: a degenerate neighbourhood graph can give A more null vectors than the ones known
    // (the constant for I - W), and the Cholesky factor of M + eps I copes, its Lanczos
    // iteration returning them as eigenvectors of eigenvalue 0, as a dense solver would (it
    // finds them first and locks them before the pairs above; see resolved_pairs).
    const SparseSymmetricMatrix m = detail::form_product(a, options);
    const double m_bytes = detail::sparse_matrix_bytes(static_cast<double>(m.cols()),
                                                       static_cast<double>(m.nonZeros()));
    EigenOptions m_options = options;
    if (options.memory_limit > 0.0) {
        m_options.memory_limit -= m_bytes;
    }
    EigenResult result = smallest_eigenpairs(m, m_options);
    if (!lu_failure.empty()) {
        result.status.fallback =
            "sparse (LU of A): " + lu_failure +
            (result.status.fallback.empty() ? "" : "; " + result.status.fallback);
    }
    return result;
}

namespace detail {

std::string scientific(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

void refine_and_check(const SparseSymmetricMatrix& matrix, const DenseMatrix& null_space,
                      EigenResult& result) {
    // |A|_inf = max_i sum_j |a_ij| bounds every eigenvalue.
    const Eigen::VectorXd row_sums = matrix.cwiseAbs() * Eigen::VectorXd::Ones(matrix.cols());
    refine_and_check([&matrix](const DenseMatrix& z) -> DenseMatrix { return matrix * z; },
                     row_sums.maxCoeff(), null_space, result);
}

void refine_and_check(const std::function<DenseMatrix(const DenseMatrix&)>& apply,
                      double norm_bound, const DenseMatrix& null_space, EigenResult& result) {
    const Index count = result.vectors.cols();
    if (count != result.values.size() || count == 0) {
        result.status.converged = false;
        result.status.message = "the solver returned too few eigenpairs";
        return;
    }

    // Z <- (I - U U^T) Z: the exact eigenvectors are orthogonal to the null space U, and a
    // dense solver leaves them off by about eps |A| / lambda_min, large when lambda_min is tiny.
    DenseMatrix z = std::move(result.vectors);
    if (null_space.cols() > 0) {
        z -= null_space * cross_product(null_space, z);
    }
    z = orthonormal_columns(z);

    // Rayleigh-Ritz on span(Z): Z^T A Z = V diag(lambda) V^T, Z <- Z V (ascending lambda).
    DenseMatrix az = apply(z);
    DenseMatrix projected = cross_product(z, az);
    projected = 0.5 * (projected + projected.transpose()).eval();
    const Eigen::SelfAdjointEigenSolver<DenseMatrix> ritz(projected);
    result.values = ritz.eigenvalues();
    result.vectors = z * ritz.eigenvectors();
    az = az * ritz.eigenvectors();

    // max_i |A z_i - lambda_i z_i|,  max |Z^T Z - I|
    double residual = 0.0;
    for (Index i = 0; i < count; ++i) {
        residual =
            std::max(residual, (az.col(i) - result.values(i) * result.vectors.col(i)).norm());
    }
    result.status.max_residual = residual;
    const DenseMatrix gram = cross_product(result.vectors, result.vectors);
    result.status.orthogonality_error =
        (gram - DenseMatrix::Identity(count, count)).cwiseAbs().maxCoeff();

    // Residuals are judged against the bound on the eigenvalues.
    const double bound = residual_tolerance * norm_bound;
    if (!(residual <= bound) || !(result.status.orthogonality_error <= 1e-8)) {
        result.status.converged = false;
        result.status.message = "the eigenpairs fail their check: residual " +
                                scientific(residual) + " (allowed " + scientific(bound) +
                                "), orthogonality error " +
                                scientific(result.status.orthogonality_error) +
                                "; the matrix may have more null vectors than the one(s) given "
                                "(a degenerate or disconnected neighbourhood graph)";
    }
}

}  // namespace detail
}  // namespace lle::embedding
