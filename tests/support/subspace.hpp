#pragma once

// Comparisons of subspaces for the tests: eigenvectors are defined up to sign, and degenerate
// eigenvalues up to rotation, so embeddings are compared by the subspaces they span.

#include <Eigen/Dense>

namespace lle::testing {

/// Largest principal angle (radians) between the column spans of `a` and `b` (same shape, full
/// column rank): the arcsine of the spectral norm of the part of `b`'s orthonormal basis
/// outside the span of `a`.
inline double largest_principal_angle(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    const Eigen::MatrixXd qa = Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ() *
                               Eigen::MatrixXd::Identity(a.rows(), a.cols());
    const Eigen::MatrixXd qb = Eigen::HouseholderQR<Eigen::MatrixXd>(b).householderQ() *
                               Eigen::MatrixXd::Identity(b.rows(), b.cols());
    const Eigen::MatrixXd outside = qb - qa * (qa.transpose() * qb);
    const double sine = Eigen::JacobiSVD<Eigen::MatrixXd>(outside).singularValues()(0);
    return std::asin(std::min(1.0, sine));
}

}  // namespace lle::testing
