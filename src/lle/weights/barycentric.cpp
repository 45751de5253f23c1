#include "lle/weights/barycentric.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "lle/base/error.hpp"

namespace lle::weights {
namespace {

/// One thread's buffers: the regularised local Gram matrix of the point at hand and the
/// vectors of either solver, sized once so that the loop over points allocates nothing.
class LocalSolver {
  public:
    LocalSolver(Index k, Index dimension)
        : differences_(k, dimension),
          gram_(k, k),
          cholesky_(k),
          w_(k),
          gradient_(k),
          residual_(k),
          direction_(k),
          curvature_(k) {}

    /// C + r I for query `x` and its neighbours in `reference`: C = G G^T, G = [y_j - x]_j
    /// (widened to double first), r = reg * trace(C), or reg when the trace is zero. False when
    /// r overflows (reg near the largest double).
    template <typename Scalar>
    bool build(PointsViewOf<Scalar> query, PointsViewOf<Scalar> reference,
               const IndexMatrix& neighbors, Index i, double reg) {
        for (Index j = 0; j < neighbors.cols(); ++j) {
            differences_.row(j) = reference.row(neighbors(i, j)).template cast<double>() -
                                  query.row(i).template cast<double>();
        }
        // The weights do not depend on the neighbourhood's scale (reg is relative to the
        // trace): a power of two that brings the largest difference near 1 is exact, leaves
        // ordinary data bit for bit as it was, and keeps C in range for data near the ends of
        // double's range (differences of 1e-160 would square to zero).
        const double largest = differences_.cwiseAbs().maxCoeff();
        if (largest > 0.0 && std::isfinite(largest)) {
            differences_ *= std::ldexp(1.0, -std::ilogb(largest));
        }
        gram_.noalias() = differences_ * differences_.transpose();
        const double trace = gram_.trace();
        const double r = trace > 0.0 ? reg * trace : reg;
        gram_.diagonal().array() += r;
        return std::isfinite(r);
    }

    /// w = C^{-1} 1 / (1^T C^{-1} 1); false when C has no Cholesky factor.
    bool solve_closed() {
        cholesky_.compute(gram_);
        if (cholesky_.info() != Eigen::Success) {
            return false;
        }
        w_.setOnes();
        cholesky_.solveInPlace(w_);
        w_ /= w_.sum();
        return true;
    }

    /// Minimises E(w) = w^T C w subject to sum(w) = 1 by conjugate gradient on the affine
    /// subspace. P = I - 1 1^T / k projects onto zero-sum vectors; every direction has zero
    /// sum, so each iterate keeps sum(w) = 1 from w_0 = 1/k on. Returns the steps taken, or
    /// -1 when `max_iterations` steps left |P g| above `tolerance * 2 |w|` (C scaled to unit
    /// trace). A relative test against |P g_0| would never pass where w_0 is already optimal
    /// (a point at the centroid of its neighbours): there P g_0 is pure rounding.
    ///
    /// Conjugate directions, because they were measured against plain steepest descent (the
    /// same exact line search along -P g, every step), reg = 1e-3, tolerance 1e-12, steps
    /// per point as mean / max: on the 10,000-point generated swiss roll (seed 0, k = 10),
    /// steepest descent 4,778 / 8,982 (5.0 s for the weights on 2 threads), conjugate
    /// gradient 3.0 / 4 (0.018 s); on scikit-learn's digits (1,797 points, D = 64, k = 10),
    /// 265 / 1,004 against 9.6 / 12. Steepest descent crawls at the rate set by the
    /// condition number of C + r I on the zero-sum subspace, up to about 1 / reg here.
    Index solve_gradient(double tolerance, Index max_iterations) {
        const Index k = w_.size();
        // The weights do not change when C is scaled: dividing by its trace (positive, as
        // reg > 0) keeps every product in range whatever the data's scale, and gives the
        // gradient g = 2 C w the natural size 2 |w|, since |C| <= trace(C) = 1.
        gram_ /= gram_.trace();
        w_.setConstant(1.0 / static_cast<double>(k));
        gradient_.noalias() = 2.0 * gram_ * w_;
        project_residual();
        double squared = residual_.squaredNorm();
        direction_ = residual_;
        Index steps = 0;
        // Written so that a NaN runs into the cap rather than passing for convergence.
        while (!(squared <= tolerance * tolerance * 4.0 * w_.squaredNorm())) {
            if (steps == max_iterations) {
                return -1;
            }
            // Exact line search: E(w + a p) is smallest at a = -g^T p / (2 p^T C p), and
            // -g^T p = -(P g)^T p = r^T r for a conjugate direction p.
            curvature_.noalias() = gram_ * direction_;
            const double alpha = squared / (2.0 * direction_.dot(curvature_));
            w_ += alpha * direction_;
            gradient_ += (2.0 * alpha) * curvature_;
            project_residual();
            const double next = residual_.squaredNorm();
            direction_ = residual_ + (next / squared) * direction_;
            squared = next;
            ++steps;
        }
        return steps;
    }

    const Eigen::VectorXd& weights() const { return w_; }

  private:
    /// r = -P g, the steepest descent direction within sum(w) = 1.
    void project_residual() { residual_ = (gradient_.mean() - gradient_.array()).matrix(); }

    PointMatrix differences_;
    Eigen::MatrixXd gram_;
    Eigen::LLT<Eigen::MatrixXd> cholesky_;
    Eigen::VectorXd w_;
    Eigen::VectorXd gradient_;   // g = 2 C w
    Eigen::VectorXd residual_;   // r = -P g
    Eigen::VectorXd direction_;  // p, conjugate to the earlier directions, 1^T p = 0
    Eigen::VectorXd curvature_;  // C p
};

IterationSummary summarise(const Eigen::Matrix<Index, Eigen::Dynamic, 1>& iterations,
                           const std::vector<char>& unconverged) {
    IterationSummary summary;
    if (iterations.size() == 0) {
        return summary;
    }
    summary.mean = static_cast<double>(iterations.sum()) / static_cast<double>(iterations.size());
    summary.max = iterations.maxCoeff();
    for (std::size_t i = 0; i < unconverged.size(); ++i) {
        if (unconverged[i] != 0) {
            if (summary.unconverged == 0) {
                summary.first_unconverged = static_cast<Index>(i);
            }
            ++summary.unconverged;
        }
    }
    return summary;
}

/// barycentric_weights() for points of either precision.
template <typename Scalar>
WeightsResult compute_weights(PointsViewOf<Scalar> queries, PointsViewOf<Scalar> reference,
                              const IndexMatrix& neighbors, const WeightsOptions& options) {
    validate(options);
    require_parameter(queries.cols() == reference.cols(), "reference",
                      "the same dimension as the queries (" + std::to_string(queries.cols()) + ")",
                      std::to_string(reference.cols()));
    require_parameter(neighbors.rows() == queries.rows(), "neighbors",
                      "one row per query (" + std::to_string(queries.rows()) + ")",
                      std::to_string(neighbors.rows()) + " rows");

    const Index m = queries.rows();
    const Index k = neighbors.cols();
    const bool gradient = options.solver == Solver::gradient;
    WeightsResult result;
    result.values.resize(m, k);
    result.iterations = Eigen::Matrix<Index, Eigen::Dynamic, 1>::Zero(m);
    std::vector<char> unconverged(static_cast<std::size_t>(gradient ? m : 0), 0);

    // The first points (by index) whose regularisation overflows and whose Gram matrix has no
    // Cholesky factor, if any; exceptions cannot leave an OpenMP region, so they are reported
    // after the loop.
    Index overflowing = m;
    Index singular = m;

    if (options.progress != nullptr) {
        options.progress->expect(m);
    }
#pragma omp parallel
    {
        LocalSolver local(k, queries.cols());
        ProgressMeter::Batch progress(options.progress);
#pragma omp for schedule(dynamic, 256)
        for (Index i = 0; i < m; ++i) {
            progress.advance();
            if (!local.build<Scalar>(queries, reference, neighbors, i, options.reg)) {
#pragma omp critical(lle_overflowing_regularisation)
                overflowing = std::min(overflowing, i);
                continue;
            }
            if (gradient) {
                const Index steps = local.solve_gradient(options.tolerance, options.max_iterations);
                result.iterations(i) = steps < 0 ? options.max_iterations : steps;
                unconverged[static_cast<std::size_t>(i)] = steps < 0 ? 1 : 0;
            } else if (!local.solve_closed()) {
#pragma omp critical(lle_singular_gram)
                singular = std::min(singular, i);
                continue;
            }
            result.values.row(i) = local.weights().transpose();
        }
    }
    require_parameter(overflowing == m, "reg",
                      "reg * trace(C) finite, C the local Gram matrix of a point's neighbours "
                      "(it overflows at point " +
                          std::to_string(overflowing) + ")",
                      options.reg);
    if (singular < m) {
        throw DataError("point " + std::to_string(singular) +
                        ": the local Gram matrix of its neighbours is singular (reg = " +
                        number_text(options.reg) + "); use reg > 0");
    }
    if (gradient) {
        result.summary = summarise(result.iterations, unconverged);
    }
    return result;
}

}  // namespace

std::string to_string(Solver solver) {
    return solver == Solver::gradient ? "gradient" : "closed";
}

void validate(const WeightsOptions& options) {
    require_parameter(options.reg >= 0.0 && std::isfinite(options.reg), "reg",
                      "0 <= reg < infinity", options.reg);
    if (options.solver == Solver::gradient) {
        require_parameter(options.reg > 0.0, "reg",
                          "reg > 0 for the gradient weights solver (with reg = 0 the minimiser "
                          "need not be unique)",
                          options.reg);
    }
    require_parameter(options.tolerance > 0.0 && options.tolerance <= 1.0, "weights_tolerance",
                      "0 < weights_tolerance <= 1", options.tolerance);
    require_parameter(options.max_iterations >= 1, "weights_max_iterations",
                      "weights_max_iterations >= 1", std::to_string(options.max_iterations));
}

WeightsResult barycentric_weights(PointsView queries, PointsView reference,
                                  const IndexMatrix& neighbors, const WeightsOptions& options) {
    return compute_weights<double>(queries, reference, neighbors, options);
}

WeightsResult barycentric_weights(PointsViewF queries, PointsViewF reference,
                                  const IndexMatrix& neighbors, const WeightsOptions& options) {
    return compute_weights<float>(queries, reference, neighbors, options);
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
