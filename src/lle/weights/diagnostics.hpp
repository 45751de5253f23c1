#pragma once

/// \file
/// Per-point diagnostics of the local fits: how well each point is reconstructed from its
/// neighbours, how well-posed its local Gram matrix is, and how far its neighbourhood reaches.

#include <vector>

#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"

namespace lle::weights {

/// What the local fit of each point looked like, one entry per point.
///
/// For point `x_i` with neighbours `y_1..y_k` (the rows of `neighbors`, nearest first), `G_i`
/// is the `k x D` matrix of rows `y_j - x_i` and `C_i = G_i G_i^T` its local Gram matrix, as
/// barycentric_weights() builds it before adding the regulariser `r_i I`, with `r_i = reg *
/// trace(C_i)` (`reg` when the trace is zero).
struct LocalFitDiagnostics {
    /// `|x_i - sum_j w_ij y_j|`: the reconstruction residual with the point's barycentric
    /// weights (`sum_j w_ij = 1`).
    Eigen::VectorXd residual;
    /// `lambda_max(C_i) / lambda_min(C_i)`, from `C_i`'s eigenvalues before regularisation;
    /// `+infinity` when `C_i` is singular: numerical rank below `k`, that is `lambda_min <= k
    /// eps lambda_max` (NumPy's `matrix_rank` rule, eps = 2.2e-16), which is always so when `k
    /// > D` (the rank of `C_i` is at most `D`) and when `C_i = 0`.
    Eigen::VectorXd condition;
    /// Whether the regulariser outweighs `C_i` in some direction: `lambda_min(C_i) < r_i`,
    /// with `lambda_min` taken as 0 when `C_i` is singular. Then the weights along that
    /// eigenvector are set by `r_i` rather than by the data, which is what the regulariser is
    /// for. Always true when `k > D` and `reg > 0`; never true when `reg = 0`.
    Eigen::Matrix<bool, Eigen::Dynamic, 1> regularised;
    /// `max_j |y_j - x_i|`: the distance to the farthest of the `k` neighbours, the `k`-th
    /// nearest for an exact graph.
    Eigen::VectorXd kth_distance;

    /// Points described.
    Index size() const { return residual.size(); }

    /// Points with `regularised` set.
    Index regularised_count() const { return regularised.count(); }

    /// The diagnostics of points `rows[0], rows[1], ...` in that order: row `r` of the result
    /// is row `rows[r]` of this one (rows may repeat).
    LocalFitDiagnostics select(const std::vector<Index>& rows) const;
};

/// Diagnoses the local fit of every point of `points` to its neighbours.
///
/// With `weights` given (standard LLE's `W`, row-aligned with `neighbors`), the residual uses
/// those weights. Without them (the methods that have no single `W`: modified, Hessian, LTSA),
/// it uses the barycentric weights of the same neighbourhoods with the same `reg`, `w =
/// (C_i + r_i I)^{-1} 1 / 1^T (C_i + r_i I)^{-1} 1`, computed from the eigendecomposition of
/// `C_i` that the condition number needs (equal to barycentric_weights()'s closed form to
/// rounding). Where `C_i + r_i I` is singular (only when `reg = 0`, where barycentric_weights()
/// would throw), `w` is still a minimiser of the residual under `sum(w) = 1`, whose value is
/// unique: 0 when `x_i` is an affine combination of its neighbours (always so when they
/// affinely span the space), else the distance from `x_i` to their affine hull.
///
/// Cost: `O(k^2 D + k^3)` per point, points in parallel (OpenMP), each thread with buffers of
/// its own. Single-precision points are widened to double as each neighbourhood is gathered.
///
/// \param points     `n x D` points; the neighbours are taken among them.
/// \param neighbors  `n x k` indices into `points`, `k >= 1`.
/// \param weights    `n x k` weights aligned with `neighbors`, or null to compute them.
/// \param reg        the regularisation the weights use, `>= 0`.
/// \param progress   counts the points done (may be null). Not owned.
/// \throws lle::ParameterError for shapes that do not match or `reg` out of range.
LocalFitDiagnostics diagnose_local_fits(PointsView points, const IndexMatrix& neighbors,
                                        const PointMatrix* weights, double reg,
                                        ProgressMeter* progress = nullptr);
LocalFitDiagnostics diagnose_local_fits(PointsViewF points, const IndexMatrix& neighbors,
                                        const PointMatrix* weights, double reg,
                                        ProgressMeter* progress = nullptr);

}  // namespace lle::weights
