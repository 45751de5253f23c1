#include "lle/weights/barycentric.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <numeric>
#include <vector>

#include "lle/base/error.hpp"

namespace lle::weights {

PointMatrix barycentric_weights(PointsView queries, PointsView reference,
                                const IndexMatrix& neighbors, double reg) {
    require_parameter(reg >= 0.0, "reg", "reg >= 0", std::to_string(reg));
    require_parameter(queries.cols() == reference.cols(), "reference",
                      "the same dimension as the queries (" + std::to_string(queries.cols()) + ")",
                      std::to_string(reference.cols()));
    require_parameter(neighbors.rows() == queries.rows(), "neighbors",
                      "one row per query (" + std::to_string(queries.rows()) + ")",
                      std::to_string(neighbors.rows()) + " rows");

    const Index m = queries.rows();
    const Index k = neighbors.cols();
    const Index dim = queries.cols();
    PointMatrix weights(m, k);

    // The first point (by index) whose Gram matrix has no Cholesky factor, if any; exceptions
    // cannot leave an OpenMP region, so it is reported after the loop.
    Index singular = m;

#pragma omp parallel
    {
        PointMatrix differences(k, dim);
        Eigen::MatrixXd gram(k, k);
        Eigen::LLT<Eigen::MatrixXd> cholesky(k);
        const Eigen::VectorXd ones = Eigen::VectorXd::Ones(k);

#pragma omp for schedule(dynamic, 256)
        for (Index i = 0; i < m; ++i) {
            // G = [y_j - x_i]_j, C = G G^T
            for (Index j = 0; j < k; ++j) {
                differences.row(j) = reference.row(neighbors(i, j)) - queries.row(i);
            }
            gram.noalias() = differences * differences.transpose();

            // C + r I, r = reg * trace(C) (or reg when the trace is zero)
            const double trace = gram.trace();
            gram.diagonal().array() += trace > 0.0 ? reg * trace : reg;

            // w = C^{-1} 1 / (1^T C^{-1} 1)
            cholesky.compute(gram);
            if (cholesky.info() != Eigen::Success) {
#pragma omp critical(lle_singular_gram)
                singular = std::min(singular, i);
                continue;
            }
            const Eigen::VectorXd w = cholesky.solve(ones);
            weights.row(i) = w.transpose() / w.sum();
        }
    }
    if (singular < m) {
        throw DataError("point " + std::to_string(singular) +
                        ": the local Gram matrix of its neighbours is singular (reg = " +
                        std::to_string(reg) + "); use reg > 0");
    }
    return weights;
}

SparseRowMatrix to_sparse(const PointMatrix& weights, const IndexMatrix& neighbors, Index columns) {
    const Index m = weights.rows();
    const Index k = weights.cols();
    SparseRowMatrix matrix(m, columns);
    matrix.resizeNonZeros(m * k);
    int* outer = matrix.outerIndexPtr();
    int* inner = matrix.innerIndexPtr();
    double* values = matrix.valuePtr();

    outer[0] = 0;
    std::vector<Index> order(static_cast<std::size_t>(k));
    for (Index i = 0; i < m; ++i) {
        std::iota(order.begin(), order.end(), Index{0});
        std::sort(order.begin(), order.end(),
                  [&](Index a, Index b) { return neighbors(i, a) < neighbors(i, b); });
        for (Index j = 0; j < k; ++j) {
            inner[i * k + j] = static_cast<int>(neighbors(i, order[static_cast<std::size_t>(j)]));
            values[i * k + j] = weights(i, order[static_cast<std::size_t>(j)]);
        }
        outer[i + 1] = static_cast<int>((i + 1) * k);
    }
    return matrix;
}

}  // namespace lle::weights
