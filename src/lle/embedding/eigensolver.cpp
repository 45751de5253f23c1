#include "lle/embedding/eigensolver.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "lle/base/blas.hpp"
#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"

namespace lle::embedding {

namespace detail {

void report_step(const EigenOptions& options, std::string_view step, double seconds) {
    if (options.progress) {
        options.progress({"eigensolve", step, 0, 0, seconds, false});
    }
}

void require_factor_fits(double nonzeros, const EigenOptions& options) {
    // Supernodal storage: values plus row indices shared by each supernode's columns.
    const double bytes = nonzeros * (sizeof(double) + 2.0);
    if (options.memory_limit > 0.0 && bytes > options.memory_limit) {
        throw ResourceError("not enough memory: the sparse Cholesky factor of M would hold " +
                            std::to_string(static_cast<long long>(nonzeros)) + " nonzeros (" +
                            format_bytes(bytes) + "), more than the " +
                            format_bytes(options.memory_limit) +
                            " left for it; use fewer points or neighbours, or raise the limit "
                            "(memory_limit, --memory-limit) if the machine has more");
    }
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

EigenResult smallest_eigenpairs(const SparseSymmetricMatrix& matrix, const EigenOptions& options) {
    const Index n = matrix.rows();
    require_parameter(matrix.cols() == n, "matrix", "a square shape",
                      std::to_string(n) + " x " + std::to_string(matrix.cols()));
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
    const Solver first = options.solver == Solver::automatic
                             ? choose_solver(n, options.initial.cols() > 0)
                             : options.solver;
    EigenResult result = run(first);
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

namespace detail {

std::string scientific(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

void refine_and_check(const SparseSymmetricMatrix& matrix, const DenseMatrix& null_space,
                      EigenResult& result) {
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
    z = Eigen::HouseholderQR<DenseMatrix>(z).householderQ() *
        DenseMatrix::Identity(z.rows(), count);

    // Rayleigh-Ritz on span(Z): Z^T A Z = V diag(lambda) V^T, Z <- Z V (ascending lambda).
    DenseMatrix az = matrix * z;
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

    // |A|_inf = max_i sum_j |a_ij| bounds every eigenvalue; residuals are judged against it.
    const Eigen::VectorXd row_sums = matrix.cwiseAbs() * Eigen::VectorXd::Ones(matrix.cols());
    const double bound = 1e-8 * row_sums.maxCoeff();
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
