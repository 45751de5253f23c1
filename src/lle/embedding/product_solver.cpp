#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"
#include "lle/base/timer.hpp"
#include "lle/embedding/block_lanczos.hpp"
#include "lle/embedding/eigensolver.hpp"
#include "lle/embedding/pinned_lu.hpp"

namespace lle::embedding::detail {
namespace {

/// Rows to pin, one per null vector: where the null vectors are large (a nonsingular `U_P`)
/// and, among those, the rows that appear most in the other rows of A. A row that appears in
/// no other row (a point nobody's neighbour) has a zero in every left null vector of A, and
/// pinning it would leave the matrix singular.
std::vector<Index> choose_pins(const SparseRowMatrix& a, const DenseMatrix& null_space) {
    Eigen::VectorXd incoming = Eigen::VectorXd::Zero(a.cols());
    for (Index i = 0; i < a.outerSize(); ++i) {
        for (SparseRowMatrix::InnerIterator entry(a, i); entry; ++entry) {
            if (entry.col() != i) {
                incoming(entry.col()) += std::abs(entry.value());
            }
        }
    }
    const DenseMatrix weighted = (incoming.asDiagonal() * null_space).transpose();
    const Eigen::ColPivHouseholderQR<DenseMatrix> pivoting(weighted);
    std::vector<Index> pins;
    for (Index c = 0; c < null_space.cols(); ++c) {
        pins.push_back(pivoting.colsPermutation().indices()(c));
    }
    return pins;
}

/// `y = P_U A^+ P_V (A^+)^T P_U x = P_U (A^T A)^+ P_U x` from solves with the pinned factor:
/// for `x` orthogonal to the left null vectors V of A, `z = (A + E_P E_P^T)^{-1} x` satisfies
/// `A z = x - E_P z_P` with `z_P = V^T x = 0` (V scaled so that `(A + E_P E_P^T)^T V = E_P`),
/// so that projecting z onto the complement of U gives `A^+ x`. Where the pinned matrix is
/// nearly singular the solves lose that: every application measures `|z_P| / |x|`, which is
/// `|A z - x| / |x|`, for the caller to check. Applied to a block, one thread per column.
class PseudoInverseOperator {
  public:
    PseudoInverseOperator(const PinnedLu& lu, const std::vector<Index>& pins,
                          const DenseMatrix& right, const DenseMatrix& left, Index block,
                          const EigenOptions& options)
        : lu_(lu), pins_(pins), right_(right), left_(left), options_(options) {
        for (Index c = 0; c < block; ++c) {
            workspaces_.emplace_back(right.rows());
        }
    }

    /// The largest `|A z - x| / |x|` of the solves so far.
    double largest_solve_error() const { return largest_solve_error_; }

    void apply(const Eigen::Ref<const DenseMatrix>& in, Eigen::Ref<DenseMatrix> out) {
        stop_if_interrupted(options_, "Lanczos iteration");
        const Index block = in.cols();
        std::vector<double> errors(static_cast<std::size_t>(block), 0.0);
#pragma omp parallel for schedule(static, 1) if (block > 1)
        for (Index c = 0; c < block; ++c) {
            errors[static_cast<std::size_t>(c)] =
                apply(in.col(c), out.col(c), workspaces_[static_cast<std::size_t>(c)]);
        }
        largest_solve_error_ =
            std::max(largest_solve_error_, *std::max_element(errors.begin(), errors.end()));
    }

    static void project(const DenseMatrix& basis, Eigen::Ref<Eigen::VectorXd> v) {
        v -= basis * (basis.transpose() * v);
    }

  private:
    struct Workspace {
        explicit Workspace(Index n) : solve(n), vector(n) {}
        PinnedLu::Workspace solve;
        Eigen::VectorXd vector;
    };

    /// One column; returns the solve error at the pins (infinite if the solve produced NaN).
    double apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y,
                 Workspace& workspace) const {
        Eigen::VectorXd& work = workspace.vector;
        y = x;
        project(right_, y);
        lu_.solve_transposed(y.data(), work.data(), workspace.solve);
        project(left_, work);
        lu_.solve(work.data(), y.data(), workspace.solve);
        const double scale = work.norm();
        double largest = 0.0;
        for (const Index p : pins_) {
            const double error = std::abs(y(p)) / scale;
            // A solve that produced NaN failed: the worst error.
            largest = std::isnan(error) ? HUGE_VAL : std::max(largest, error);
        }
        project(right_, y);
        return largest;
    }

    const PinnedLu& lu_;
    const std::vector<Index>& pins_;
    const DenseMatrix& right_;
    const DenseMatrix& left_;
    const EigenOptions& options_;
    std::vector<Workspace> workspaces_;
    double largest_solve_error_ = 0.0;
};

/// The left null vectors V of A from the factor of `B = (A + E_P E_P^T)`: `B^T V = E_P`, each
/// 1 at its pin.
DenseMatrix left_null_vectors(const PinnedLu& lu, const std::vector<Index>& pins, Index n) {
    DenseMatrix left = DenseMatrix::Zero(n, static_cast<Index>(pins.size()));
    Eigen::VectorXd e = Eigen::VectorXd::Zero(n);
    PinnedLu::Workspace workspace(n);
    for (std::size_t c = 0; c < pins.size(); ++c) {
        e(pins[c]) = 1.0;
        lu.solve_transposed(e.data(), left.col(static_cast<Index>(c)).data(), workspace);
        e(pins[c]) = 0.0;
    }
    return left;
}

}  // namespace

std::optional<EigenResult> product_eigenpairs(const SparseRowMatrix& a, const EigenOptions& options,
                                              std::unique_ptr<AnalysedLu> analysed) {
    const Index n = a.rows();
    const Index wanted = options.count;
    const DenseMatrix& right = options.null_space;
    const Index subspace = lanczos_subspace(n - right.cols(), wanted);
    // UMFPACK solves one vector at a time, on one core: one vector per thread in each block, so
    // that the block's solves run side by side. On a swiss roll of 100,000 points, 2 threads:
    // 10 solves one after another took 0.28-0.30 s, 5 pairs side by side 0.13-0.14 s; the
    // iteration took 8 steps of 2 instead of 10 of 1, 0.25 s instead of 0.30 s. Blocks beyond 4
    // were not measured.
    const Index block = std::clamp<Index>(thread_count(), 1, 4);
    const BlockLanczosSettings settings =
        block_lanczos_settings(n - right.cols(), wanted, block, options);
    EigenResult result;
    if (right.cols() == 0 || subspace <= wanted) {
        result.status.message = right.cols() == 0 ? "the LU path needs the null space of A"
                                                  : "the matrix is too small for Lanczos";
        return result;
    }

    const Stopwatch solve;
    std::string analysis = "LU ordering and symbolic analysis: ";
    if (analysed) {
        analysed->lu.set_values(a);
        analysis += "done beforehand in " + std::to_string(analysed->seconds) + " s, ";
    } else {
        report_step(options, "ordering", 0.0);
        analysed = std::make_unique<AnalysedLu>(a, options);
        analysis += "done " + std::to_string(solve.seconds()) + " s in, ";
    }
    PinnedLu& lu = analysed->lu;
    const PinnedLu::Estimate& estimate = analysed->estimate;
    log(options.log, LogLevel::debug,
        analysis + scientific(estimate.nonzeros) + " nonzeros and " + scientific(estimate.flops) +
            " flops expected");
    std::vector<Index> pins = choose_pins(a, right);
    // UMFPACK factors at a few GFLOP/s; CHOLMOD's supernodal Cholesky of M, with 2 to 5 times
    // the flops, runs its dense blocks at BLAS-3 speed. Measured (flops per expected nonzero of
    // L and U; the eigensolve with the LU against the one with the Cholesky factor of M, on 2
    // cores): swiss roll of 100,000 points, 110, 0.77 s against 1.30 s; Fashion-MNIST 10,000
    // images (exact neighbours), 395, 0.17 s against 0.20 s; Fashion-MNIST 60,000 and 70,000
    // (HNSW neighbours), 2,340 and 2,430, 8.1 s against 10.1 s and 28.4 s against 13.5 s. With
    // dense fronts the LU's time is erratic: past 1,000 flops per nonzero, factor M instead.
    constexpr double dense_fronts = 1000.0;
    if (estimate.flops > dense_fronts * estimate.nonzeros) {
        log(options.log, LogLevel::info,
            "the LU of A has dense fronts (" + scientific(estimate.flops / estimate.nonzeros) +
                " flops per nonzero): factoring M = A^T A instead");
        return std::nullopt;
    }
    // The factorisation's peak, or after it the factors (the numeric object UMFPACK keeps:
    // 7.9 to 9.9 bytes per expected nonzero of L and U on swiss rolls of 10,000 and 100,000
    // points, without and with noise) beside the Lanczos basis and the solves' workspaces,
    // whichever is larger.
    const double lanczos_bytes =
        static_cast<double>(n) *
        (8.0 * static_cast<double>(block_lanczos_vectors(settings)) +
         static_cast<double>(settings.block) * (sizeof(long) + 2.0 * sizeof(double)));
    const double factors_bytes =
        8.0 * estimate.nonzeros + 128.0 * static_cast<double>(n) + estimate.symbolic_bytes;
    require_fits("the sparse LU factors of A (I - W in standard LLE) and the Lanczos basis",
                 std::max(lu.factorisation_bytes(estimate), factors_bytes + lanczos_bytes),
                 options);
    report_step(options, "factorising", solve.seconds());

    // Pinned well, the solves are accurate, which the operator measures at every application.
    // A pin where the left null vectors are tiny against their largest entries leaves the
    // pinned matrix nearly singular: the pin moves there, once. When A has more null vectors
    // than U, the pinned matrix is singular wherever the pins are.
    constexpr double largest_left_entry = 1e6;
    constexpr double largest_solve_error = 1e-6;
    std::vector<Index> old_pins;
    for (bool first = true;; first = false) {
        std::optional<DenseMatrix> left;
        if (lu.factor(old_pins, pins)) {
            left = left_null_vectors(lu, pins, n);
        }
        if (left && left->allFinite() && left->cwiseAbs().maxCoeff() <= largest_left_entry) {
            result.status.factor_nonzeros = lu.nonzeros();
            result.status.factorisation = Factorisation::lu;
            log(options.log, LogLevel::debug,
                "LU factorisation: done " + std::to_string(solve.seconds()) + " s in, " +
                    std::to_string(result.status.factor_nonzeros) + " nonzeros in L and U");
            report_step(options, "Lanczos iteration", solve.seconds());
            const DenseMatrix left_basis = orthonormal_columns(*left);
            PseudoInverseOperator op(lu, pins, right, left_basis, settings.block, options);
            const BlockLanczosResult lanczos =
                block_lanczos([&op](const Eigen::Ref<const DenseMatrix>& in,
                                    Eigen::Ref<DenseMatrix> out) { op.apply(in, out); },
                              [&right](Eigen::Ref<Eigen::VectorXd> v) {
                                  PseudoInverseOperator::project(right, v);
                              },
                              n, settings);
            record_lanczos(lanczos, settings, "Lanczos on the pseudo-inverse", result.status);
            log(options.log, LogLevel::debug,
                "Lanczos iteration: done " + std::to_string(solve.seconds()) +
                    " s in, largest solve error " + scientific(op.largest_solve_error()));
            if (op.largest_solve_error() <= largest_solve_error) {
                if (lanczos.converged) {
                    // The largest eigenvalues 1/lambda of the pseudo-inverse, largest first:
                    // the smallest lambda. refine_and_check replaces them by the Rayleigh
                    // quotients of A^T A.
                    result.values = lanczos.values.cwiseInverse();
                    result.vectors = lanczos.vectors;
                }
                return result;
            }
        }
        Index largest = pins[0];
        if (first && pins.size() == 1 && left && left->allFinite()) {
            left->col(0).cwiseAbs().maxCoeff(&largest);
        }
        if (largest == pins[0]) {
            // Then A has more null vectors than U: each would need a pin of its own.
            result.status = EigenStatus{};
            result.status.message =
                "A pinned at its given null space is (nearly) singular: A has more null vectors";
            return result;
        }
        log(options.log, LogLevel::info,
            "the pinned LU of A is nearly singular at row " + std::to_string(pins[0]) +
                "; pinning row " + std::to_string(largest) + " instead");
        old_pins = pins;
        pins[0] = largest;
    }
}

}  // namespace lle::embedding::detail
