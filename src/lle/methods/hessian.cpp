#include "lle/methods/hessian.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>

#include "lle/base/error.hpp"
#include "lle/methods/alignment.hpp"

namespace lle::methods {

namespace {

/// hessian_cost_matrix() for points of either precision; each neighbourhood is widened to double.
template <typename Scalar>
SparseSymmetricMatrix cost_matrix(PointsViewOf<Scalar> points, const IndexMatrix& neighbors,
                                  Index dimension, double tolerance, ProgressMeter* progress) {
    const Index n = points.rows();
    const Index dim = points.cols();
    const Index k = neighbors.cols();
    const Index d = dimension;
    require_parameter(neighbors.rows() == n, "neighbors",
                      "one row per point (" + std::to_string(n) + ")",
                      std::to_string(neighbors.rows()) + " rows");
    require_parameter(d >= 1 && d <= dim, "d (n_components)",
                      "1 <= d <= D = " + std::to_string(dim), std::to_string(d));
    require_parameter(k > d * (d + 3) / 2, "k (n_neighbors)",
                      "k > d (d + 3) / 2 = " + std::to_string(d * (d + 3) / 2) + " for Hessian LLE",
                      std::to_string(k));
    require_parameter(tolerance >= 0.0, "hessian_tol", "hessian_tol >= 0",
                      std::to_string(tolerance));

    // Donoho & Grimes (2003), "HLLE algorithm", steps 1-4, with scikit-learn's choices where
    // they differ (see hessian.hpp).
    const Index quadratic = d * (d + 1) / 2;
    const Index design_columns = 1 + d + quadratic;
    const Index kept = k - d - 1;
    const bool use_svd = k > dim;

    LocalBlocks local{neighbors, PointMatrix(n, k * k)};

    if (progress != nullptr) {
        progress->expect(n);
    }
    Index flat = 0;
#pragma omp parallel
    {
        ProgressMeter::Batch counter(progress);
        Eigen::MatrixXd centred(k, dim);
        Eigen::MatrixXd gram(use_svd ? 0 : k, use_svd ? 0 : k);
        Eigen::JacobiSVD<Eigen::MatrixXd> svd;
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(use_svd ? 0 : k);
        Eigen::MatrixXd tangent(k, d);
        Eigen::MatrixXd design(k, design_columns);
        Eigen::HouseholderQR<Eigen::MatrixXd> householder(k, design_columns);
        Eigen::MatrixXd q(k, k);
        Eigen::VectorXd workspace(k);
        Eigen::MatrixXd w(k, kept);

#pragma omp for schedule(dynamic, 256) reduction(+ : flat)
        for (Index i = 0; i < n; ++i) {
            counter.advance();
            // G = [x_j - mean_{l in N(i)} x_l]_{j in N(i)}
            for (Index j = 0; j < k; ++j) {
                centred.row(j) = points.row(neighbors(i, j)).template cast<double>();
            }
            centred.rowwise() -= centred.colwise().mean();

            // U = the d leading left singular vectors of G: tangent coordinates of N(i)
            // (from the SVD of G when k > D, else from the eigenvectors of G G^T)
            if (use_svd) {
                svd.compute(centred, Eigen::ComputeThinU);
                tangent = svd.matrixU().leftCols(d);
                const auto& sigma = svd.singularValues();
                flat += is_flat(sigma(d - 1), sigma(0)) ? 1 : 0;
            } else {
                gram.noalias() = centred * centred.transpose();
                eigen.compute(gram);
                tangent = eigen.eigenvectors().rightCols(d).rowwise().reverse();
                // eigenvalues of G G^T, increasing: the squared singular values of G
                const auto& lambda = eigen.eigenvalues();
                flat += is_flat(std::sqrt(std::max(lambda(k - d), 0.0)), std::sqrt(lambda(k - 1)))
                            ? 1
                            : 0;
            }

            // Y = [1, u_1 .. u_d, u_a .* u_b for 1 <= a <= b <= d]: k x (1 + d + d (d + 1) / 2)
            design.col(0).setOnes();
            design.middleCols(1, d) = tangent;
            Index column = 1 + d;
            for (Index a = 0; a < d; ++a) {
                for (Index b = a; b < d; ++b) {
                    design.col(column++) = tangent.col(a).cwiseProduct(tangent.col(b));
                }
            }

            // Y = Q R with Q k x k orthogonal; W = Q_{:, d+1:k}, orthogonal to 1 and to U
            householder.compute(design);
            householder.householderQ().evalTo(q, workspace);
            w = q.rightCols(kept);

            // w_j <- w_j / (1^T w_j) wherever |1^T w_j| >= hessian_tol
            for (Index j = 0; j < kept; ++j) {
                const double sum = w.col(j).sum();
                if (std::abs(sum) >= tolerance) {
                    w.col(j) /= sum;
                }
            }

            // B_i = W W^T
            Eigen::Map<PointMatrix>(local.blocks.row(i).data(), k, k).noalias() = w * w.transpose();
        }
    }

    require_tangent_dimension(flat, n, d, "Hessian LLE");

    // M = sum_i S_i B_i S_i^T
    return assemble_alignment(local, n, progress);
}

}  // namespace

SparseSymmetricMatrix hessian_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                          Index dimension, double tolerance,
                                          ProgressMeter* progress) {
    return cost_matrix<double>(points, neighbors, dimension, tolerance, progress);
}

SparseSymmetricMatrix hessian_cost_matrix(PointsViewF points, const IndexMatrix& neighbors,
                                          Index dimension, double tolerance,
                                          ProgressMeter* progress) {
    return cost_matrix<float>(points, neighbors, dimension, tolerance, progress);
}

}  // namespace lle::methods
