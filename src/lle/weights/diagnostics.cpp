#include "lle/weights/diagnostics.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <string>

#include "lle/base/error.hpp"

namespace lle::weights {
namespace {

/// One thread's buffers for diagnosing one point at a time, sized once for k and D.
class LocalDiagnosis {
  public:
    LocalDiagnosis(Index k, Index dimension)
        : differences_(k, dimension), gram_(k, k), eigen_(k), w_(k), reconstruction_(dimension) {}

    /// Diagnoses point `i`: fills entry `i` of `out`. `weights` may be null.
    template <typename Scalar>
    void run(PointsViewOf<Scalar> points, const IndexMatrix& neighbors, const PointMatrix* weights,
             double reg, Index i, LocalFitDiagnostics& out) {
        const Index k = neighbors.cols();
        // G = [y_j - x_i]_j, widened to double.
        for (Index j = 0; j < k; ++j) {
            differences_.row(j) = points.row(neighbors(i, j)).template cast<double>() -
                                  points.row(i).template cast<double>();
        }
        out.kth_distance(i) = differences_.rowwise().norm().maxCoeff();

        // C = s^2 G G^T, with s a power of two that brings the largest difference near 1 (as
        // barycentric_weights() scales it): the ratios below, and the weights, do not depend
        // on s, and C stays in range for data near the ends of double's range.
        const double largest = differences_.cwiseAbs().maxCoeff();
        const double scale =
            largest > 0.0 && std::isfinite(largest) ? std::ldexp(1.0, -std::ilogb(largest)) : 1.0;
        gram_.noalias() = (scale * differences_) * (scale * differences_).transpose();
        const double trace = gram_.trace();
        const double shift = trace > 0.0 ? reg * trace : reg;

        // C = V diag(lambda) V^T, lambda ascending; the vectors only when the weights need them.
        eigen_.compute(gram_,
                       weights == nullptr ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
        const Eigen::VectorXd& lambda = eigen_.eigenvalues();
        const double highest = lambda(k - 1);
        const double epsilon = std::numeric_limits<double>::epsilon();
        const bool singular =
            !(highest > 0.0) || lambda(0) <= static_cast<double>(k) * epsilon * highest;
        out.condition(i) = singular ? std::numeric_limits<double>::infinity() : highest / lambda(0);
        out.regularised(i) = (singular ? 0.0 : lambda(0)) < shift;

        if (weights != nullptr) {
            w_ = weights->row(i).transpose();
        } else {
            barycentric_from_spectrum(shift);
        }
        // x_i - sum_j w_j y_j = -G^T w, since sum_j w_j = 1.
        reconstruction_.noalias() = differences_.transpose() * w_;
        out.residual(i) = reconstruction_.norm();
    }

  private:
    /// The w with sum(w) = 1 that minimises w^T (C + r I) w, from C's eigendecomposition
    /// (Lagrange: (C + r I) w = mu 1). Eigenvalues of C + r I at most k eps times the largest
    /// count as zero; they span the null space N, which is empty unless r = 0.
    ///   1 has a part in N: w = P_N 1 / |P_N 1|^2 has sum 1 and w^T C w = 0 (x_i is an affine
    ///                      combination of its neighbours, including C = 0, where w = 1/k);
    ///   otherwise:         w = C^+ 1 / 1^T C^+ 1, the inverse when N is empty.
    void barycentric_from_spectrum(double shift) {
        const Index k = w_.size();
        const Eigen::VectorXd shifted = eigen_.eigenvalues().array() + shift;
        const double epsilon = std::numeric_limits<double>::epsilon();
        const double floor = static_cast<double>(k) * epsilon * shifted(k - 1);
        // c = V^T 1, split into the null space's part and the rest scaled by 1 / (lambda + r).
        const Eigen::VectorXd coefficients = eigen_.eigenvectors().colwise().sum().transpose();
        Eigen::VectorXd in_null = Eigen::VectorXd::Zero(k);
        Eigen::VectorXd inverted = Eigen::VectorXd::Zero(k);
        for (Index j = 0; j < k; ++j) {
            if (shifted(j) > floor && shifted(j) > 0.0) {
                inverted(j) = coefficients(j) / shifted(j);
            } else {
                in_null(j) = coefficients(j);
            }
        }
        // |P_N 1|^2 against |1|^2 = k: a part below sqrt(eps) is rounding, not a direction.
        const double null_part = in_null.squaredNorm();
        if (null_part > std::sqrt(epsilon) * static_cast<double>(k)) {
            w_.noalias() = eigen_.eigenvectors() * in_null;
            w_ /= null_part;
        } else {
            w_.noalias() = eigen_.eigenvectors() * inverted;
            w_ /= w_.sum();
        }
    }

    PointMatrix differences_;
    Eigen::MatrixXd gram_;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen_;
    Eigen::VectorXd w_;
    Eigen::VectorXd reconstruction_;
};

/// diagnose_local_fits() for points of either precision.
template <typename Scalar>
LocalFitDiagnostics diagnose(PointsViewOf<Scalar> points, const IndexMatrix& neighbors,
                             const PointMatrix* weights, double reg, ProgressMeter* progress) {
    const Index n = points.rows();
    const Index k = neighbors.cols();
    require_parameter(reg >= 0.0 && std::isfinite(reg), "reg", "0 <= reg < infinity", reg);
    require_parameter(neighbors.rows() == n, "neighbors",
                      "one row per point (" + std::to_string(n) + ")",
                      std::to_string(neighbors.rows()) + " rows");
    require_parameter(k >= 1, "neighbors", "at least one column", std::to_string(k));
    require_parameter(
        neighbors.size() == 0 || (neighbors.minCoeff() >= 0 && neighbors.maxCoeff() < n),
        "neighbors", "indices in [0, " + std::to_string(n) + ")", "an index outside");
    if (weights != nullptr) {
        require_parameter(
            weights->rows() == n && weights->cols() == k, "weights",
            "the shape of neighbors (" + std::to_string(n) + " x " + std::to_string(k) + ")",
            std::to_string(weights->rows()) + " x " + std::to_string(weights->cols()));
    }

    LocalFitDiagnostics out;
    out.residual.resize(n);
    out.condition.resize(n);
    out.regularised.resize(n);
    out.kth_distance.resize(n);
    if (progress != nullptr) {
        progress->expect(n);
    }
#pragma omp parallel
    {
        LocalDiagnosis local(k, points.cols());
        ProgressMeter::Batch batch(progress);
#pragma omp for schedule(dynamic, 256)
        for (Index i = 0; i < n; ++i) {
            batch.advance();
            local.run<Scalar>(points, neighbors, weights, reg, i, out);
        }
    }
    return out;
}

}  // namespace

LocalFitDiagnostics LocalFitDiagnostics::select(const std::vector<Index>& rows) const {
    LocalFitDiagnostics out;
    const auto count = static_cast<Index>(rows.size());
    out.residual.resize(count);
    out.condition.resize(count);
    out.regularised.resize(count);
    out.kth_distance.resize(count);
    for (Index r = 0; r < count; ++r) {
        const Index from = rows[static_cast<std::size_t>(r)];
        out.residual(r) = residual(from);
        out.condition(r) = condition(from);
        out.regularised(r) = regularised(from);
        out.kth_distance(r) = kth_distance(from);
    }
    return out;
}

LocalFitDiagnostics diagnose_local_fits(PointsView points, const IndexMatrix& neighbors,
                                        const PointMatrix* weights, double reg,
                                        ProgressMeter* progress) {
    return diagnose<double>(points, neighbors, weights, reg, progress);
}

LocalFitDiagnostics diagnose_local_fits(PointsViewF points, const IndexMatrix& neighbors,
                                        const PointMatrix* weights, double reg,
                                        ProgressMeter* progress) {
    return diagnose<float>(points, neighbors, weights, reg, progress);
}

}  // namespace lle::weights
