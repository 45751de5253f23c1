#include "lle/embedding/eigensolver.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "lle/base/error.hpp"

namespace lle::embedding {

Solver choose_solver(Index n) {
    return n <= dense_size_limit ? Solver::dense : Solver::sparse;
}

std::string to_string(Solver solver) {
    switch (solver) {
        case Solver::automatic:
            return "auto";
        case Solver::dense:
            return "dense";
        case Solver::sparse:
            return "sparse";
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

    const Solver solver = options.solver == Solver::automatic ? choose_solver(n) : options.solver;
    EigenResult result = solver == Solver::dense ? detail::dense_eigenpairs(matrix, options)
                                                 : detail::shift_invert_eigenpairs(matrix, options);
    result.status.solver = solver;
    if (result.status.converged) {
        detail::check_eigenpairs(matrix, result);
    }
    return result;
}

namespace detail {

void check_eigenpairs(const SparseSymmetricMatrix& matrix, EigenResult& result) {
    DenseMatrix& z = result.vectors;
    const DenseMatrix az = matrix * z;

    // lambda_i = z_i^T A z_i / z_i^T z_i
    const Index count = z.cols();
    if (count != result.values.size()) {
        result.status.converged = false;
        result.status.message = "the solver returned too few eigenpairs";
        return;
    }
    Eigen::VectorXd values(count);
    for (Index i = 0; i < count; ++i) {
        values(i) = z.col(i).dot(az.col(i)) / z.col(i).squaredNorm();
    }

    std::vector<Index> order(static_cast<std::size_t>(count));
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](Index a, Index b) { return values(a) < values(b); });

    DenseMatrix sorted(z.rows(), count);
    DenseMatrix sorted_az(z.rows(), count);
    for (Index i = 0; i < count; ++i) {
        const Index from = order[static_cast<std::size_t>(i)];
        sorted.col(i) = z.col(from);
        sorted_az.col(i) = az.col(from);
        result.values(i) = values(from);
    }
    z = std::move(sorted);

    // max_i |A z_i - lambda_i z_i|,  max |Z^T Z - I|
    double residual = 0.0;
    for (Index i = 0; i < count; ++i) {
        residual = std::max(residual, (sorted_az.col(i) - result.values(i) * z.col(i)).norm());
    }
    result.status.max_residual = residual;
    const DenseMatrix gram = z.transpose() * z;
    result.status.orthogonality_error =
        (gram - DenseMatrix::Identity(count, count)).cwiseAbs().maxCoeff();

    // |A|_inf = max_i sum_j |a_ij| bounds every eigenvalue; residuals are judged against it.
    const Eigen::VectorXd row_sums = matrix.cwiseAbs() * Eigen::VectorXd::Ones(matrix.cols());
    const double bound = 1e-8 * row_sums.maxCoeff();
    if (!(residual <= bound) || !(result.status.orthogonality_error <= 1e-8)) {
        result.status.converged = false;
        result.status.message = "the eigenpairs fail their check: residual " +
                                std::to_string(residual) + " (allowed " + std::to_string(bound) +
                                "), orthogonality error " +
                                std::to_string(result.status.orthogonality_error);
    }
}

}  // namespace detail
}  // namespace lle::embedding
