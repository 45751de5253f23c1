#pragma once

/// \file
/// Bottom of the spectrum of a sparse symmetric positive semi-definite matrix.
///
/// The solvers know nothing of LLE: they return the eigenpairs of a symmetric matrix with the
/// smallest eigenvalues, after a given set of known bottom eigenvectors (a null space).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "lle/base/log.hpp"
#include "lle/base/progress.hpp"
#include "lle/base/types.hpp"
#include "lle/embedding/block_lanczos.hpp"

namespace lle::embedding {

enum class Solver {
    automatic,  ///< `dense` up to dense_size_limit rows, above `gradient` when given starting
                ///< vectors, `sparse` otherwise
    dense,      ///< LAPACK `dsyevr` on the full matrix: O(n^2) memory, O(n^3) time
    sparse,     ///< Lanczos on the inverse through a sparse factorisation: block Lanczos on an
                ///< LU of A (UMFPACK) when the matrix is given as A^T A, else Spectra's on a
                ///< Cholesky factor of the matrix plus a tiny shift (CHOLMOD)
    gradient,   ///< preconditioned block gradient descent on the Rayleigh quotient (LOBPCG)
};

/// What the gradient solver uses to approximate `(A + eps I)^{-1}` on its residuals. The
/// wanted eigenvalues of an LLE cost matrix sit many orders of magnitude below its norm
/// (1e-11 at n = 10,000, 1e-13 at 100,000), so only a preconditioner that resolves the bottom
/// of the spectrum helps. Measured on swiss rolls (k = 10, d = 2): with the exact factor,
/// 4 iterations at n = 3,000, 10,000 and 100,000; with the incomplete factor or none, the
/// residuals were still 2e-5 and 8e-4 after 200 iterations at n = 3,000.
enum class Preconditioner {
    cholesky,             ///< sparse Cholesky factor of `A + eps I` (CHOLMOD, supernodal)
    incomplete_cholesky,  ///< Eigen's incomplete Cholesky on the pattern of `A`
    none,                 ///< plain block gradient steps
};

/// The sparse factorisation whose solves the `sparse` solver's Lanczos iteration ran on.
enum class Factorisation {
    none,      ///< none: the dense and gradient solvers (the gradient solver's Cholesky
               ///< preconditioner is EigenOptions::preconditioner, not this)
    lu,        ///< LU of A (UMFPACK), pinned at its null space: smallest_eigenpairs_of_product()
    cholesky,  ///< supernodal Cholesky factor of the matrix plus `shift` times I (CHOLMOD)
};

/// Largest matrix order that `automatic` hands to the dense solver. Measured on 2 cores with
/// standard LLE's M of a swiss roll (k = 10, d = 2), dense against sparse: 0.010 s against
/// 0.005 s at n = 100, 0.136 s against 0.011 s at 1,000, 6.4 s against 0.039 s at 3,000. The
/// sparse solver wins at every size; the dense one is kept for tiny problems, where its cost
/// does not matter and it needs no shift or iteration.
inline constexpr Index dense_size_limit = 100;

/// What to compute and how hard to try.
struct EigenOptions {
    Solver solver = Solver::automatic;
    /// Known eigenvectors of the smallest eigenvalues, `n x s` with orthonormal columns (may be
    /// empty). The result is the next `count` eigenpairs, orthogonal to these. The sparse and
    /// gradient solvers apply `(A + eps I)^{-1}` with a tiny `eps` on the complement of these
    /// vectors; a null vector missing here takes the eigenvalue `1/eps` of that inverse, and the
    /// solvers find it first and lock it (see detail::resolved_pairs()), which costs a second
    /// pass for the pairs above it.
    DenseMatrix null_space;
    Index count = 1;              ///< number of eigenpairs returned
    double tolerance = 1e-10;     ///< relative tolerance of the iterative solver on each Ritz pair
    Index max_iterations = 1000;  ///< restarts (sparse) or iterations (gradient)
    std::uint64_t seed = 0;       ///< seeds the iterative solver's starting vector
    /// Starting vectors for the gradient solver, `n x c` (may be empty): an approximation of the
    /// wanted eigenvectors, such as the embedding of a previous run on mostly the same points.
    DenseMatrix initial;
    Preconditioner preconditioner = Preconditioner::cholesky;  ///< of the gradient solver
    /// Bytes the solver may allocate for its sparse factorisation (0: no limit). The sparse
    /// solver and the gradient solver's Cholesky preconditioner check each large allocation
    /// before making it and throw ResourceError if it exceeds what is left of this: the
    /// symbolic analysis (bounded from the matrix's shape), the factor (after the analysis,
    /// before the numeric factorisation), and for smallest_eigenpairs_of_product() M = A^T A
    /// where it is formed (from its nonzeros counted first).
    double memory_limit = 0.0;
    LogSink log;  ///< receives the solver's remarks
    /// Receives the solver's steps as they begin (phase "eigensolve", no total): ordering,
    /// factorising, the iterations.
    ProgressSink progress;
    /// Asked on the calling thread before each step of the solve (ordering, factorising,
    /// iterating): true stops it with Interrupted. Empty: never.
    std::function<bool()> interrupted;
};

/// How the computation went; filled by every solver.
struct EigenStatus {
    Solver solver = Solver::automatic;  ///< the solver that ran (never `automatic`)
    bool converged = false;
    Index iterations = 0;             ///< restarts (iterative) or 1 (dense)
    Index operator_applications = 0;  ///< solves with the factor (iterative) or 0 (dense)
    Index block_size = 1;             ///< vectors per application of the sparse solver's operator
    Index factor_nonzeros = 0;        ///< nonzeros of the factor (sparse) or 0
    /// The factor the sparse solver ran on: the LU of A where smallest_eigenpairs_of_product()
    /// used it, the Cholesky factor of the matrix (M = A^T A for a product) plus `shift` times
    /// I otherwise, `none` for the dense and gradient solvers.
    Factorisation factorisation = Factorisation::none;
    double shift = 0.0;                ///< `eps` of the factorised `A + eps I` (sparse) or 0
    double max_residual = 0.0;         ///< `max_i |A z_i - lambda_i z_i|` over returned pairs
    double orthogonality_error = 0.0;  ///< `max |Z^T Z - I|` over returned vectors
    std::string message;               ///< why it failed, when it did
    /// The solvers tried before this one and why each failed ("sparse: ...; gradient: ...");
    /// empty when the first one succeeded. Only `automatic` moves to another solver; the LU of
    /// smallest_eigenpairs_of_product() hands over to M's Cholesky factor for `sparse` too.
    std::string fallback;
};

/// The requested eigenpairs in increasing order of eigenvalue.
struct EigenResult {
    Eigen::VectorXd values;  ///< `count` eigenvalues, each the Rayleigh quotient `z^T A z`
    DenseMatrix vectors;     ///< `n x count`, orthonormal columns
    EigenStatus status;
};

/// Eigenpairs `s .. s+count-1` (counting from 0 at the smallest eigenvalue), with `s` the number
/// of columns of `options.null_space`, of the symmetric matrix `matrix` (both triangles stored).
///
/// Every result is checked before it is returned: a residual `|A z - lambda z|` above `1e-8`
/// times the largest absolute row sum of `A` marks it as failed.
///
/// With Solver::automatic a failed solver hands over to the next one: shift-invert to the
/// gradient solver, either iterative one to the dense solver while its `8 n^2` bytes fit in
/// `options.memory_limit` (without a limit, up to n = dense_fallback_limit); the status names
/// the solver that produced the result and, in `fallback`, those that failed before it.
///
/// Throws lle::ParameterError when `s + count > n`, the null space has the wrong number of
/// rows, or the matrix is not square. A solver that fails numerically returns with
/// `status.converged == false` and a message.
EigenResult smallest_eigenpairs(const SparseSymmetricMatrix& matrix, const EigenOptions& options);

/// Eigenpairs `s .. s+count-1` of `M = A^T A` for a square sparse `A`, as smallest_eigenpairs()
/// computes them for a matrix given by its entries, with the same checks and fallbacks.
///
/// The sparse solver never forms M: it factors A itself (LU, UMFPACK), pinned at one row per
/// null vector to make it invertible, and runs Lanczos on the pseudo-inverse of M through two
/// solves per step. For standard LLE, `A = I - W`: its LU has the fill of the neighbour graph
/// rather than that of M's two-hop graph (7.2 million nonzeros in L and U against 13.8 million
/// in M's Cholesky factor on a swiss roll of 100,000 points, k = 10), it takes half as long to
/// compute, and its solves have the condition number of A, the square root of M's. The other
/// solvers, and the fallbacks, form M. `options.null_space` must span the null space of A
/// (`A U = 0`; the constant vector for `I - W`).
EigenResult smallest_eigenpairs_of_product(const SparseRowMatrix& a, const EigenOptions& options);

namespace detail {
struct AnalysedLu;
}

/// The step of smallest_eigenpairs_of_product()'s sparse solver that needs only the pattern of
/// A: the ordering and symbolic analysis of its LU, from analyse_product(). Where the pattern is
/// known before the values (standard LLE's `I - W`, from the neighbours before the weights),
/// the analysis can run on a thread of its own while the values are computed.
class ProductAnalysis {
  public:
    ProductAnalysis();
    ProductAnalysis(ProductAnalysis&&) noexcept;
    ProductAnalysis& operator=(ProductAnalysis&&) noexcept;
    ~ProductAnalysis();

  private:
    friend ProductAnalysis analyse_product(const SparseRowMatrix& pattern,
                                           const EigenOptions& options);
    friend EigenResult smallest_eigenpairs_of_product(const SparseRowMatrix& a,
                                                      const EigenOptions& options,
                                                      ProductAnalysis analysis);
    std::unique_ptr<detail::AnalysedLu> lu_;
};

/// Orders and analyses the pattern of `pattern` (its values are not read) for the LU of
/// smallest_eigenpairs_of_product() with `options`, or does nothing where that would not factor
/// A (another solver, or no null space given). Calls none of `options`' callbacks, so that it
/// may run on another thread; throws ResourceError where the analysis would not fit in
/// `options.memory_limit`.
ProductAnalysis analyse_product(const SparseRowMatrix& pattern, const EigenOptions& options);

/// smallest_eigenpairs_of_product() with its analysis done beforehand, by analyse_product() on
/// a matrix of A's pattern (else ParameterError).
EigenResult smallest_eigenpairs_of_product(const SparseRowMatrix& a, const EigenOptions& options,
                                           ProductAnalysis analysis);

/// Largest order the dense solver is tried at as a fallback when no memory limit is given
/// (8 n^2 bytes: 3.2 GB).
inline constexpr Index dense_fallback_limit = 20000;

/// The solver `automatic` resolves to for a matrix of order `n`, with or without starting
/// vectors. From a random start the gradient solver needs as many solves as shift-invert
/// Lanczos and more work around them; from a good start it needs one or two block solves.
Solver choose_solver(Index n, bool has_initial);

/// Lower-case name of a solver, as the command line spells it.
std::string to_string(Solver solver);

/// Name of a preconditioner, as the command line spells it.
std::string to_string(Preconditioner preconditioner);

/// "none", "lu" or "cholesky".
std::string to_string(Factorisation factorisation);

namespace detail {

/// `value` in scientific notation with 3 significant digits, for messages.
std::string scientific(double value);

/// Dense path of smallest_eigenpairs.
/// Throws Interrupted, naming `step`, when `options.interrupted` says so.
void stop_if_interrupted(const EigenOptions& options, std::string_view step);

/// Tells `options.progress`, if any, that the step `step` begins, `seconds` into the solve;
/// first stops if interrupted (stop_if_interrupted()).
void report_step(const EigenOptions& options, std::string_view step, double seconds);

/// An orthonormal basis of the span of `vectors` (`n x c`, full column rank), `n x c`.
DenseMatrix orthonormal_columns(const DenseMatrix& vectors);

/// Throws ResourceError, naming `what`, when `bytes` exceed `options.memory_limit` (if set).
void require_fits(const std::string& what, double bytes, const EigenOptions& options);

EigenResult dense_eigenpairs(const SparseSymmetricMatrix& matrix, const EigenOptions& options);

/// Sparse shift-invert path of smallest_eigenpairs: Lanczos on `P (A + eps I)^{-1} P`, with
/// `P` the projection onto the complement of the null space. `matrix` must be positive
/// semi-definite.
EigenResult shift_invert_eigenpairs(const SparseSymmetricMatrix& matrix,
                                    const EigenOptions& options);

/// Sparse path of smallest_eigenpairs_of_product: Lanczos on `P (A^T A)^+ P` through an LU
/// factorisation of A pinned at its null space, with `P` the projection onto the complement of
/// the null space. Nothing when the symbolic analysis finds the LU's fronts dense, where the
/// supernodal Cholesky factor of M is faster. Orders and analyses A unless `analysed` holds
/// the analysis of its pattern.
std::optional<EigenResult> product_eigenpairs(const SparseRowMatrix& a, const EigenOptions& options,
                                              std::unique_ptr<AnalysedLu> analysed);

/// Bytes of an `n x n` sparse matrix with `nonzeros` entries in compressed columns: a value and
/// a 32-bit row index per entry, and the column starts.
double sparse_matrix_bytes(double n, double nonzeros);

/// Nonzeros of `M = A^T A` for a square sparse `A`, from the pattern of A alone: every product
/// of two entries in the same row of A counts, as in form_product() (and Eigen's product, which
/// keeps cancellations as explicit zeros).
Index product_nonzeros(const SparseRowMatrix& a);

/// `M = A^T A`, both triangles, for a square sparse `A`. Counts M's nonzeros from the pattern
/// of A first (as product_nonzeros() does) and allocates exactly those: M and the counting's
/// arrays (`4 nnz(A) + 20 n` bytes) are its whole peak. Throws ResourceError (require_fits())
/// before allocating the counting's arrays or M when they would exceed `options.memory_limit`,
/// and ParameterError when `a` is not square.
SparseSymmetricMatrix form_product(const SparseRowMatrix& a, const EigenOptions& options);

/// Size of the Lanczos subspace for `wanted` eigenpairs in a space of dimension `dimension`.
Index lanczos_subspace(Index dimension, Index wanted);

/// Block Lanczos for `wanted` pairs in a space of dimension `dimension` (above the subspace
/// lanczos_subspace() gives), in blocks of `block` vectors: a basis of lanczos_subspace()
/// blocks, the options' tolerance and seed, and at most `options.max_iterations` passes over
/// the basis. Smaller blocks when that basis would not fit in the space.
BlockLanczosSettings block_lanczos_settings(Index dimension, Index wanted, Index block,
                                            const EigenOptions& options);

/// Fills `status` from a block_lanczos() run with `settings`: passes over the basis (restarts
/// + 1), solves, block size, convergence, and the message of a failure naming `what`.
void record_lanczos(const BlockLanczosResult& outcome, const BlockLanczosSettings& settings,
                    const std::string& what, EigenStatus& status);

/// Largest ratio between the eigenvalues of `(A + eps I)^{-1}` that the shift-invert and
/// gradient solvers resolve in one pass; see resolved_pairs().
inline constexpr double resolvable_spread = 1e6;

/// How many of the leading pairs of one pass of the shift-invert or gradient solver are
/// resolved, given their eigenvalues `values` of A in increasing order and the shift `eps` of
/// the factored `A + eps I`: those with `values(j) + eps <= resolvable_spread * (values(0) +
/// eps)`, all of them or the leading ones (at least one).
///
/// Both solvers apply `S = P (A + eps I)^{-1} P`, P the projection onto the complement of the
/// null space given, whose largest eigenvalue on the pairs found is `1 / (lambda_0 + eps)`.
/// The rounding of each application is relative to it, so another pair is resolved only to a
/// residual of about `u |A| (lambda_j + eps) / (lambda_0 + eps)` (u the unit roundoff). A null
/// vector that was not given makes that ratio `lambda_j / eps`: 6e9 on a swiss roll of 20
/// points with k = 2, where the next pair's residual came out at 1.6e-6 against the 1.1e-7
/// allowed. The solvers lock the resolved pairs (project them out, as if given in the null
/// space) and compute the others in another pass; shift-invert first refines them and keeps
/// only those that then pass the residual check (shift_invert_eigenpairs). At a spread of 1e6, `u *
/// 1e6 = 2.2e-10`, 45 times below the residual refine_and_check() allows. Measured spreads of the
/// wanted pairs (shift-invert): modified LLE and Hessian LLE on digits, d = 10, 12 and 5; Hessian
/// and LTSA on a swiss roll of 3,000 points, 10 and 1; LTSA on digits, d = 10, 6.6e5 (residual
/// 4e-12).
///
/// \note Locking changes no answer: a resolved pair is an eigenpair to the solver's accuracy,
/// and the pairs computed after it are the next ones, orthogonal to it.
Index resolved_pairs(const Eigen::VectorXd& values, double shift);

/// Tells `options.log` that the pairs of eigenvalues `locked` (increasing) are locked and
/// `others` more computed apart from them.
void report_locking(const EigenOptions& options, const Eigen::VectorXd& locked, Index others);

/// Gradient path of smallest_eigenpairs: LOBPCG (Knyazev 2001), the block steepest descent on
/// the Rayleigh quotient `trace(Z^T A Z)` over orthonormal `Z` orthogonal to the null space,
/// accelerated by the previous step's direction and preconditioned.
EigenResult gradient_eigenpairs(const SparseSymmetricMatrix& matrix, const EigenOptions& options);

/// Largest residual `|A z - lambda z|` refine_and_check() accepts, relative to its bound on the
/// eigenvalues of A.
inline constexpr double residual_tolerance = 1e-8;

/// Projects the null space out of the returned vectors, replaces the pairs by the Rayleigh-Ritz
/// pairs of their span (increasing eigenvalues, each the Rayleigh quotient of its vector), fills
/// the residual and orthogonality fields of `result.status`, and marks the result failed when a
/// residual is too large.
void refine_and_check(const SparseSymmetricMatrix& matrix, const DenseMatrix& null_space,
                      EigenResult& result);

/// refine_and_check() on a matrix known through its products with blocks of vectors, `apply`,
/// and a bound on the absolute values of its eigenvalues, `norm_bound`, which scales the
/// allowed residual.
void refine_and_check(const std::function<DenseMatrix(const DenseMatrix&)>& apply,
                      double norm_bound, const DenseMatrix& null_space, EigenResult& result);

}  // namespace detail
}  // namespace lle::embedding
