#pragma once

/// \file
/// The library's entry point: embed a point set with a method of the LLE family.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lle/base/log.hpp"
#include "lle/base/progress.hpp"
#include "lle/base/timer.hpp"
#include "lle/base/types.hpp"
#include "lle/embedding/eigensolver.hpp"
#include "lle/neighbors/knn.hpp"
#include "lle/weights/barycentric.hpp"
#include "lle/weights/diagnostics.hpp"

namespace lle {

enum class Method {
    standard,  ///< Roweis & Saul (2000): barycentric weights, M = (I - W)^T (I - W)
    modified,  ///< Zhang & Wang (2006): several weight vectors per point
    hessian,   ///< Donoho & Grimes (2003): local Hessian estimator
    ltsa,      ///< Zhang & Zha (2004): local tangent space alignment
};

/// Lower-case name of a method, as the command line spells it.
std::string to_string(Method method);

/// Name of a method as text about it writes it: "standard LLE", "modified LLE", "Hessian LLE",
/// "LTSA" (the summary's first line, a plot's title).
std::string display_name(Method method);

/// What to do when the neighbour graph falls into several connected components. Its cost
/// matrix M then has one null vector per component, and the bottom eigenvectors would only
/// tell the components apart (an "embedding" that is an indicator vector).
enum class Disconnected {
    error,       ///< stop with an error giving the components' number and sizes (the default)
    largest,     ///< embed the largest component alone; Result::rows lists its rows
    components,  ///< embed each component on its own and place them side by side
};

/// Lower-case name, as the command line spells it.
std::string to_string(Disconnected disconnected);

/// Everything that controls a run. The defaults are scikit-learn's where it has the parameter.
struct Parameters {
    Index n_neighbors = 5;   ///< k, neighbours per point: 1 <= k <= n - 1
    Index n_components = 2;  ///< d, embedding dimension: 1 <= d <= D and d <= n - 1
    double reg = 1e-3;       ///< weight regularisation, relative to the local Gram trace
    Method method = Method::standard;
    /// How standard LLE finds its weights W; `gradient` is for the standard method only.
    weights::Solver weights_solver = weights::Solver::closed;
    double weights_tolerance = 1e-12;     ///< gradient weights: relative projected gradient
    Index weights_max_iterations = 1000;  ///< gradient weights: steps per point at most
    double hessian_tol = 1e-4;            ///< Hessian LLE: smallest column sum used to normalise
    double modified_tol = 1e-12;  ///< modified LLE: smallest Householder vector norm reflected
    /// The neighbour search; `automatic` may pick the approximate `hnsw` (see
    /// neighbors::choose_algorithm).
    neighbors::Algorithm neighbor_algorithm = neighbors::Algorithm::automatic;
    neighbors::HnswOptions hnsw;  ///< the HNSW knobs, used when the search is hnsw
    /// Points sampled to estimate an approximate search's recall (capped at n): `>= 1`.
    Index recall_sample_size = 1000;
    /// When `automatic` picked hnsw and its estimated recall is below this, the neighbours are
    /// searched again exactly: `0 <= min_recall <= 1` (0 never, 1 unless every sampled
    /// neighbour was found). An explicit `hnsw` is kept whatever its recall.
    double min_recall = 0.9;
    embedding::Solver eigen_solver = embedding::Solver::automatic;
    double tolerance = 1e-10;     ///< iterative eigensolver's relative tolerance
    Index max_iterations = 1000;  ///< iterative eigensolver's restarts or iterations
    std::uint64_t seed = 0;       ///< seeds the iterative eigensolver's start vector
    /// The gradient eigensolver's preconditioner.
    embedding::Preconditioner preconditioner = embedding::Preconditioner::cholesky;
    /// Starting coordinates for the gradient eigensolver, `n x c` with `c >= 1` (empty for a
    /// random start), e.g. a previous embedding of mostly the same points. Only the span of the
    /// columns matters.
    DenseMatrix initial_coordinates;
    /// Bytes the run may use, e.g. the memory the machine has free (0: no check). embed()
    /// estimates its peak before any work (estimate_memory() in memory.hpp) and throws
    /// ResourceError if it would not fit; the sparse solvers check their factor's exact size
    /// again before factoring.
    double memory_limit = 0.0;
    /// Bytes of `memory_limit` the caller's process holds already (its code, libraries and
    /// buffers), counted as one more item of the estimate.
    double memory_in_use = 0.0;
    /// Bytes the run's threads and BLAS may add to the process beyond the estimate's items
    /// (their stacks and buffers), counted with `memory_in_use` by the checks during the run
    /// but not by the one before it, which must stay a lower bound.
    double memory_reserve = 0.0;
    /// A disconnected neighbour graph: an error, the largest component, or every component
    /// embedded on its own. With `components` each is embedded as if it were the whole input,
    /// then shifted along the first coordinate so that they lie side by side, left to right
    /// in the order of their first point, with a gap of a quarter of the widest one's extent.
    Disconnected disconnected = Disconnected::error;
    /// Also diagnose every point's local fit (Result::diagnostics, weights::LocalFitDiagnostics:
    /// residual, condition number, regularised, k-th neighbour distance), timed as the phase
    /// "diagnostics". Costs `O(n (k^2 D + k^3))`, about what the weights cost; off by default.
    bool diagnostics = false;
    LogSink log;  ///< receives the phases' remarks; empty discards them
    /// Receives each phase's progress and, when it ends, its time; empty discards them.
    ProgressSink progress;
    /// Asked on the calling thread after each phase and before each step of the eigensolve:
    /// true stops the run with Interrupted. Empty: the run goes to its end.
    std::function<bool()> interrupted;
};

/// The embedding and everything learned on the way.
struct Result {
    DenseMatrix coordinates;  ///< `n x d`: row i is the embedding of point i
    /// `d` eigenvalues of M whose eigenvectors are the columns; with several components, those
    /// of the largest one (the first of the largest size), see `component_eigenvalues`.
    Eigen::VectorXd eigenvalues;
    /// Sum of `eigenvalues`, as scikit-learn reports it; with several components embedded, the
    /// sum over all of `component_eigenvalues` (the cost `trace(Y^T M Y)` of the coordinates).
    double reconstruction_error = 0.0;
    /// The `d` eigenvalues of each connected component's own block of M, in the order of
    /// `component_sizes`; empty for a component left out (Disconnected::largest). One entry,
    /// equal to `eigenvalues`, when the graph is connected.
    std::vector<Eigen::VectorXd> component_eigenvalues;
    neighbors::NeighborGraph neighbors;  ///< the k nearest neighbours of every point
    /// The search that found them: `kd_tree`, `brute_force` or `hnsw`, never `automatic` or
    /// `exact`.
    neighbors::Algorithm neighbor_algorithm = neighbors::Algorithm::kd_tree;
    /// For an approximate search, its estimated recall@k (neighbors::estimate_recall on
    /// `recall_sample_size` points, seeded by `hnsw.seed`); empty for an exact one.
    std::optional<neighbors::RecallEstimate> recall;
    /// The estimate of an automatic hnsw search that fell short of `min_recall` and was
    /// replaced by an exact search; empty otherwise.
    std::optional<neighbors::RecallEstimate> discarded_recall;
    SparseRowMatrix weights;        ///< `n x n`, k entries per row, each row summing to one
    PhaseTimes timings;             ///< wall time of each phase, in order
    embedding::EigenStatus solver;  ///< which eigensolver ran, its counters and checks
    /// The gradient weights solver's steps per point; all zero for the closed form and for
    /// the methods without W. Points it left unconverged are counted here, not thrown; the
    /// run then stops after the weights, with `solver.converged` false and no coordinates.
    weights::IterationSummary weight_iterations;
    double estimated_peak_bytes = 0.0;  ///< estimate_memory()'s lower bound for this run
    /// Points in each connected component of the neighbour graph (one entry when connected),
    /// components numbered by their first point.
    std::vector<Index> component_sizes;
    /// The input rows `coordinates` belong to, in order, when only some were embedded
    /// (Disconnected::largest); empty when row i of `coordinates` is point i for every i. With
    /// several components, `eigenvalues` and `solver` are the largest one's (`solver.converged`
    /// only if every component converged, `solver.max_residual` the largest of all) and
    /// `reconstruction_error` sums all of `component_eigenvalues`.
    std::vector<Index> rows;
    /// Input rows that repeat an earlier row exactly. They are embedded once: the pipeline
    /// runs on the distinct points and every repeat gets its original's coordinates, so no
    /// point is ever a neighbour of its own copy. With duplicates, `neighbors`, `weights` and
    /// `component_sizes` describe the distinct points, numbered in the order of
    /// `distinct_rows`.
    Index duplicate_count = 0;
    std::vector<Index> distinct_rows;  ///< with duplicates, the first row of each distinct point
    /// With Parameters::diagnostics, each point's local fit (see weights::diagnose_local_fits):
    /// one row per input row, `n` in all, in input order. A repeated row gets its original's
    /// values, and rows that Disconnected::largest leaves out of `coordinates` are described
    /// all the same (their neighbourhoods were fitted like the others). The residual uses the
    /// weights W of standard LLE; the other methods have no single W, so theirs uses the
    /// barycentric weights of the same neighbourhoods with the same `reg`. Empty without
    /// Parameters::diagnostics, and when the run stopped after unconverged weights.
    weights::LocalFitDiagnostics diagnostics;
};

/// Checks the parameters against the data's shape, before any work. Throws ParameterError
/// naming the parameter, the rule and the value.
void validate(const Parameters& parameters, Index n, Index dimension);

/// Embeds the rows of `points` (`n x D`) in `d = parameters.n_components` dimensions.
///
/// The pipeline: k-nearest neighbours (exact, or approximate and then followed by an estimate
/// of their recall, timed as the phase "recall"; an automatic choice of hnsw that falls short
/// of `min_recall` is followed by an exact search, the phase "exact neighbors"), the method's cost
/// matrix `M` (for standard LLE from the barycentric weights `W`, for the others from per-point
/// blocks), and the eigenvectors of `M` for its 2nd to (d+1)-th smallest eigenvalues (the smallest
/// is the constant vector, eigenvalue 0). With Parameters::diagnostics, every point's local fit
/// is diagnosed between the weights and the cost matrix (the phase "diagnostics"). Throws
/// ParameterError or DataError for invalid input. An eigensolver that fails to converge is
/// reported in `Result::solver`, not thrown.
Result embed(PointsView points, const Parameters& parameters);

/// Embeds single-precision points: the points stay `float` where the caller keeps them (half
/// the memory of double) and the neighbour search runs on them; each neighbourhood is widened
/// to double as the weights or local blocks use it, and the cost matrix and eigensolve are in
/// double as for embed(PointsView). The result equals that of the same values converted to
/// double (same graph, same weights), without ever holding such a copy.
Result embed(PointsViewF points, const Parameters& parameters);

}  // namespace lle
