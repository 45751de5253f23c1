#include "lle/methods/modified.hpp"

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/methods/alignment.hpp"

// Notation (Zhang & Wang, 2006): point x_i with neighbours N(i), |N(i)| = k; G_i = [x_j - x_i]
// (k x D, one row per neighbour); the local Gram matrix C_i = G_i G_i^T = U_i Lambda_i U_i^T with
// lambda_1 >= ... >= lambda_k, of which only the first r = min(k, D) can be nonzero. Indices in
// the formulas count from 1. The steps are the paper's: the local spectra, eta and s_i, the
// weight vectors through a Householder reflection, and the alignment of their costs.
//
// scikit-learn 1.2.1 is the reference; where it departs from the paper, this follows it, as
// marked below.

namespace lle::methods {
namespace {

/// tail / head for sums of nonnegative local eigenvalues. A neighbourhood without spread
/// (every neighbour on x_i) has nothing outside any subspace: ratio 0.
double spread_ratio(double tail, double head) {
    return head > 0.0 ? tail / head : 0.0;
}

/// Median as numpy computes it: the mean of the two middle values when the count is even.
double median(std::vector<double> values) {
    const auto half = static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), values.begin() + half, values.end());
    const double upper = values[static_cast<std::size_t>(half)];
    if (values.size() % 2 == 1) {
        return upper;
    }
    const double lower = *std::max_element(values.begin(), values.begin() + half);
    return (lower + upper) / 2.0;
}

/// One thread's workspace: the local analysis of one neighbourhood at a time, in double
/// whatever the points' `Scalar`.
template <typename Scalar>
class Neighbourhood {
  public:
    Neighbourhood(PointsViewOf<Scalar> points, const IndexMatrix& neighbors)
        : points_(points),
          neighbors_(neighbors),
          k_(neighbors.cols()),
          rank_(std::min(neighbors.cols(), points.cols())),
          spread_(k_, points.cols()),
          svd_(k_, points.cols(), Eigen::ComputeFullU),
          lambda_(k_),
          head_(rank_),
          tail_(rank_),
          projected_(k_),
          scaled_(k_),
          w_(k_),
          reflector_(k_),
          reflected_(k_),
          extended_(k_ + 1, k_),
          lower_(k_ + 1, k_ + 1) {
        extended_.row(0).setConstant(-1.0);
    }

    /// The spectrum of C_i and its partial sums.
    void analyse(Index i) {
        // G_i = [x_j - x_i]_{j in N(i)} = U_i Sigma_i Q_i^T,  lambda_j = sigma_j^2 (0 past D)
        for (Index j = 0; j < k_; ++j) {
            spread_.row(j) = points_.row(neighbors_(i, j)).template cast<double>() -
                             points_.row(i).template cast<double>();
        }
        svd_.compute(spread_, Eigen::ComputeFullU);
        lambda_.setZero();
        lambda_.head(rank_) = svd_.singularValues().array().square();

        // head_j = sum_{l <= j} lambda_l,  tail_j = sum_{l > j} lambda_l,  j = 1..r
        double sum = 0.0;
        for (Index j = 0; j < rank_; ++j) {
            sum += lambda_(j);
            head_(j) = sum;
        }
        sum = 0.0;
        for (Index j = rank_ - 1; j >= 0; --j) {
            tail_(j) = sum;
            sum += lambda_(j);
        }
    }

    /// tail_j / head_j: the spread outside the leading `j` eigendirections relative to the
    /// spread inside, `1 <= j <= min(k, D)`.
    double ratio_outside(Index j) const { return spread_ratio(tail_(j - 1), head_(j - 1)); }

    /// Writes B_i (`(k + 1) x (k + 1)`, over point i then its neighbours) to `block`; call
    /// after analyse(i).
    template <typename Block>
    void alignment_block(double eta, double reg, double tolerance, Block&& block) {
        const Eigen::MatrixXd& u = svd_.matrixU();
        projected_.noalias() = u.transpose() * Eigen::VectorXd::Ones(k_);
        regularised_weights(reg);

        // s_i = (k - r) + #{1 <= j < r : tail_j / head_j < eta}: the size of the largest
        // almost-null space (trailing eigendirections) whose spread ratio stays below eta. As
        // in scikit-learn, s_i is not bounded by k - d.
        Index s = k_ - rank_;
        for (Index j = 1; j < rank_; ++j) {
            s += ratio_outside(j) < eta ? 1 : 0;
        }
        // With k <= D, s_i = 0 is possible: point i then adds nothing to M, as in scikit-learn.
        if (s == 0) {
            block.setZero();
            return;
        }

        // V_i = the last s_i columns of U_i,  v_i = V_i^T 1,  alpha_i = |v_i| / sqrt(s_i)
        const auto basis = u.rightCols(s);
        const auto v = projected_.tail(s);
        const double alpha = v.norm() / std::sqrt(static_cast<double>(s));

        // Householder H_i = I - 2 h h^T with H_i v_i = alpha_i 1: h = (alpha_i 1 - v_i) /
        // |alpha_i 1 - v_i|, or h = 0 (no reflection) when that norm is below `tolerance`
        auto h = reflector_.head(s);
        h = Eigen::VectorXd::Constant(s, alpha) - v;
        const double h_norm = h.norm();
        if (h_norm < tolerance) {
            h.setZero();
        } else {
            h /= h_norm;
        }

        // W_i = V_i H_i + (1 - alpha_i) w_i 1^T  (k x s_i): s_i weight vectors, each summing
        // to one since W_i^T 1 = H_i v_i + (1 - alpha_i) 1 = 1
        auto weights = extended_.bottomLeftCorner(k_, s);
        weights = basis;
        reflected_.noalias() = basis * h;
        weights.noalias() -= (2.0 * reflected_) * h.transpose();
        weights.colwise() += (1.0 - alpha) * w_;

        // B_i = [-1^T; W_i] [-1^T; W_i]^T: tr(Y B_i Y^T) = sum_l |y_i - sum_j (W_i)_jl y_j|^2,
        // the cost of all s_i weight vectors, point i included
        lower_.setZero();
        lower_.selfadjointView<Eigen::Lower>().rankUpdate(extended_.leftCols(s));
        block = lower_.selfadjointView<Eigen::Lower>();
    }

  private:
    /// w_i = (C_i + gamma I)^{-1} 1 / 1^T (C_i + gamma I)^{-1} 1 through the spectrum of C_i,
    /// gamma = reg trace(C_i), or reg when the trace is 0: the barycentric weights of standard
    /// LLE. scikit-learn fixes reg = 1e-3 here whatever its argument; the default agrees.
    void regularised_weights(double reg) {
        const double trace = head_(rank_ - 1);
        const double gamma = trace > 0.0 ? reg * trace : reg;
        if (gamma > 0.0) {
            scaled_ = projected_.array() / (lambda_.array() + gamma);
        } else {
            // gamma = 0: the limit gamma -> 0+. w_i ~ P 1, P the projection onto null(C_i), when
            // 1 has a component there (exact reconstruction); otherwise w_i ~ C_i^+ 1.
            const bool null_component =
                ((lambda_.array() == 0.0) && (projected_.array() != 0.0)).any();
            for (Index j = 0; j < k_; ++j) {
                scaled_(j) = lambda_(j) == 0.0 ? projected_(j)
                             : null_component  ? 0.0
                                               : projected_(j) / lambda_(j);
            }
        }
        w_.noalias() = svd_.matrixU() * scaled_;
        const double total = w_.sum();
        if (total != 0.0) {
            w_ /= total;
        } else {
            w_.setConstant(1.0 / static_cast<double>(k_));
        }
    }

    PointsViewOf<Scalar> points_;
    const IndexMatrix& neighbors_;
    Index k_;
    Index rank_;  // r = min(k, D): eigenvalues of C_i that can be nonzero
    Eigen::MatrixXd spread_;
    Eigen::JacobiSVD<Eigen::MatrixXd> svd_;
    Eigen::VectorXd lambda_;     // k eigenvalues of C_i, decreasing
    Eigen::VectorXd head_;       // head_j at j - 1
    Eigen::VectorXd tail_;       // tail_j at j - 1
    Eigen::VectorXd projected_;  // U_i^T 1
    Eigen::VectorXd scaled_;
    Eigen::VectorXd w_;
    Eigen::VectorXd reflector_;
    Eigen::VectorXd reflected_;
    Eigen::MatrixXd extended_;  // [-1^T; W_i] in its first s_i columns
    Eigen::MatrixXd lower_;     // lower triangle of B_i
};

/// modified_cost_matrix() for points of either precision.
template <typename Scalar>
SparseSymmetricMatrix cost_matrix(PointsViewOf<Scalar> points, const IndexMatrix& neighbors,
                                  Index dimension, double reg, double tolerance,
                                  ProgressMeter* progress) {
    const Index n = points.rows();
    const Index k = neighbors.cols();
    require_parameter(neighbors.rows() == n, "neighbors",
                      "one row per point (" + std::to_string(n) + ")",
                      std::to_string(neighbors.rows()) + " rows");
    require_parameter(dimension >= 1 && dimension < k, "d (dimension)",
                      "1 <= d < k = " + std::to_string(k), std::to_string(dimension));
    require_parameter(dimension <= points.cols(), "d (dimension)",
                      "d <= D = " + std::to_string(points.cols()), std::to_string(dimension));
    require_parameter(reg >= 0.0, "reg", "reg >= 0", reg);
    require_parameter(tolerance >= 0.0, "tolerance", "tolerance >= 0", tolerance);

    const Index order = k + 1;
    LocalBlocks local{IndexMatrix(n, order), PointMatrix(n, order * order)};
    std::vector<double> rho(static_cast<std::size_t>(n));
    double eta = 0.0;

    if (progress != nullptr) {
        progress->expect(2 * n);
    }
#pragma omp parallel
    {
        ProgressMeter::Batch counter(progress);
        Neighbourhood<Scalar> neighbourhood(points, neighbors);

        // rho_i = sum_{j > d} lambda_j / sum_{j <= d} lambda_j: how far N(i) is from flat
#pragma omp for schedule(dynamic, 256)
        for (Index i = 0; i < n; ++i) {
            counter.advance();
            neighbourhood.analyse(i);
            rho[static_cast<std::size_t>(i)] = neighbourhood.ratio_outside(dimension);
        }

        // eta = median_i rho_i
#pragma omp single
        eta = median(rho);

        // M = sum_i S_i B_i S_i^T, S_i selecting (i, N(i))
#pragma omp for schedule(dynamic, 256)
        for (Index i = 0; i < n; ++i) {
            counter.advance();
            neighbourhood.analyse(i);
            neighbourhood.alignment_block(
                eta, reg, tolerance,
                Eigen::Map<Eigen::MatrixXd>(local.blocks.row(i).data(), order, order));
            local.indices(i, 0) = i;
            local.indices.row(i).tail(k) = neighbors.row(i);
        }
    }
    return assemble_alignment(local, n, progress);
}

}  // namespace

SparseSymmetricMatrix modified_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                           Index dimension, double reg, double tolerance,
                                           ProgressMeter* progress) {
    return cost_matrix<double>(points, neighbors, dimension, reg, tolerance, progress);
}

SparseSymmetricMatrix modified_cost_matrix(PointsViewF points, const IndexMatrix& neighbors,
                                           Index dimension, double reg, double tolerance,
                                           ProgressMeter* progress) {
    return cost_matrix<float>(points, neighbors, dimension, reg, tolerance, progress);
}

}  // namespace lle::methods
