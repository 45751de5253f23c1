#include "lle/methods/ltsa.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <string>

#include "lle/base/error.hpp"
#include "lle/methods/alignment.hpp"

namespace lle::methods {

// Zhang & Zha (2004), algorithm LTSA: a neighbourhood's tangent space is spanned by the d
// leading left singular vectors V_i of its centred points, and the alignment matrix is
// M = sum_i S_i (I - G_i G_i^T) S_i^T with G_i = [1/sqrt(k), V_i]. N(i) excludes x_i itself, as
// in scikit-learn (the paper includes it).
namespace {

/// ltsa_cost_matrix() for points of either precision; each neighbourhood is widened to double.
template <typename Scalar>
SparseSymmetricMatrix cost_matrix(PointsViewOf<Scalar> points, const IndexMatrix& neighbors,
                                  Index dimension, ProgressMeter* progress) {
    const Index n = points.rows();
    const Index k = neighbors.cols();
    const Index dim = points.cols();
    require_parameter(neighbors.rows() == n, "neighbors",
                      "one row per point (" + std::to_string(n) + ")",
                      std::to_string(neighbors.rows()) + " rows");
    require_parameter(dimension >= 1 && dimension < k, "d (n_components)",
                      "1 <= d < k = " + std::to_string(k), std::to_string(dimension));
    require_parameter(dimension <= dim, "d (n_components)",
                      "d <= D = " + std::to_string(dim) + ", the input dimension",
                      std::to_string(dimension));

    // Householder reflection Q = I - beta w w^T, w = 1/sqrt(k) + e_1, beta = 2 / (w^T w): Q is
    // symmetric orthogonal with Q e_1 = -1/sqrt(k), so its last k - 1 columns H span the
    // complement of the constant vector.
    const double root = std::sqrt(static_cast<double>(k));
    Eigen::VectorXd w = Eigen::VectorXd::Constant(k, 1.0 / root);
    w(0) += 1.0;
    const double beta = 2.0 / w.squaredNorm();

    // Left singular vectors by an SVD of the tall local matrix, or from its Gram matrix when it
    // is wide, as scikit-learn chooses.
    const bool tall = k > dim;
    LocalBlocks local{neighbors, PointMatrix(n, k * k)};

    if (progress != nullptr) {
        progress->expect(n);
    }
    Index flat = 0;
#pragma omp parallel
    {
        ProgressMeter::Batch counter(progress);
        Eigen::MatrixXd centred(k, dim);
        Eigen::RowVectorXd along(dim);
        Eigen::MatrixXd reduced(k - 1, dim);
        Eigen::JacobiSVD<Eigen::MatrixXd> svd(k - 1, dim, Eigen::ComputeThinU);
        Eigen::MatrixXd gram(k - 1, k - 1);
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(k - 1);
        Eigen::MatrixXd leading(k - 1, dimension);
        Eigen::RowVectorXd coefficients(dimension);
        Eigen::MatrixXd tangent(k, dimension);

#pragma omp for schedule(dynamic, 256) reduction(+ : flat)
        for (Index i = 0; i < n; ++i) {
            counter.advance();
            // X_i = [x_j - mean_{l in N(i)} x_l]_{j in N(i)}, k x D
            for (Index j = 0; j < k; ++j) {
                centred.row(j) = points.row(neighbors(i, j)).template cast<double>();
            }
            centred.rowwise() -= centred.colwise().mean();

            // Y_i = H^T X_i = rows 2..k of Q X_i, (k - 1) x D (row 1 is 1^T X_i / sqrt(k) = 0)
            along.noalias() = w.transpose() * centred;
            reduced = centred.bottomRows(k - 1);
            reduced.noalias() -= beta * w.tail(k - 1) * along;

            // U_i = the d leading left singular vectors of Y_i, (k - 1) x d
            if (tall) {
                svd.compute(reduced);
                leading = svd.matrixU().leftCols(dimension);
                const auto& sigma = svd.singularValues();
                flat += is_flat(sigma(dimension - 1), sigma(0)) ? 1 : 0;
            } else {
                gram.noalias() = reduced * reduced.transpose();
                eigen.compute(gram);
                leading = eigen.eigenvectors().rightCols(dimension);
                // eigenvalues of Y Y^T, increasing: the squared singular values of Y
                const auto& lambda = eigen.eigenvalues();
                flat += is_flat(std::sqrt(std::max(lambda(k - 1 - dimension), 0.0)),
                                std::sqrt(lambda(k - 2)))
                            ? 1
                            : 0;
            }

            // V_i = H U_i = Q [0; U_i], k x d: the leading left singular vectors of X_i,
            // orthonormal and orthogonal to 1 even when X_i has rank below d
            coefficients.noalias() = w.tail(k - 1).transpose() * leading;
            tangent.row(0).setZero();
            tangent.bottomRows(k - 1) = leading;
            tangent.noalias() -= beta * w * coefficients;

            // B_i = I - G_i G_i^T = I - 1 1^T / k - V_i V_i^T
            Eigen::Map<Eigen::MatrixXd> block(local.blocks.row(i).data(), k, k);
            block.setConstant(-1.0 / static_cast<double>(k));
            block.diagonal().array() += 1.0;
            block.selfadjointView<Eigen::Lower>().rankUpdate(tangent, -1.0);
            for (Index p = 0; p < k; ++p) {
                for (Index q = p + 1; q < k; ++q) {
                    block(p, q) = block(q, p);
                }
            }
        }
    }
    require_tangent_dimension(flat, n, dimension, "LTSA");
    return assemble_alignment(local, n, progress);
}

}  // namespace

SparseSymmetricMatrix ltsa_cost_matrix(PointsView points, const IndexMatrix& neighbors,
                                       Index dimension, ProgressMeter* progress) {
    return cost_matrix<double>(points, neighbors, dimension, progress);
}

SparseSymmetricMatrix ltsa_cost_matrix(PointsViewF points, const IndexMatrix& neighbors,
                                       Index dimension, ProgressMeter* progress) {
    return cost_matrix<float>(points, neighbors, dimension, progress);
}

}  // namespace lle::methods
