#include "lle/methods/embed.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <future>
#include <numeric>
#include <sstream>
#include <type_traits>
#include <vector>

#include "lle/base/bytes.hpp"
#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"
#include "lle/methods/hessian.hpp"
#include "lle/methods/ltsa.hpp"
#include "lle/methods/memory.hpp"
#include "lle/methods/modified.hpp"
#include "lle/methods/standard.hpp"
#include "lle/neighbors/components.hpp"

namespace lle {

std::string to_string(Method method) {
    switch (method) {
        case Method::standard:
            return "standard";
        case Method::modified:
            return "modified";
        case Method::hessian:
            return "hessian";
        case Method::ltsa:
            return "ltsa";
    }
    return "unknown";
}

std::string display_name(Method method) {
    switch (method) {
        case Method::standard:
            return "standard LLE";
        case Method::modified:
            return "modified LLE";
        case Method::hessian:
            return "Hessian LLE";
        case Method::ltsa:
            return "LTSA";
    }
    return to_string(method);
}

std::string to_string(Disconnected disconnected) {
    switch (disconnected) {
        case Disconnected::error:
            return "error";
        case Disconnected::largest:
            return "largest";
        case Disconnected::components:
            return "components";
    }
    return "unknown";
}

namespace {

/// The error for a disconnected graph under Disconnected::error.
[[noreturn]] void fail_disconnected(const std::vector<Index>& component_sizes) {
    std::vector<Index> sizes = component_sizes;
    std::sort(sizes.begin(), sizes.end(), std::greater<>());
    constexpr std::size_t listed = 5;
    std::string list;
    for (std::size_t c = 0; c < std::min(listed, sizes.size()); ++c) {
        list += (c == 0 ? "" : ", ") + std::to_string(sizes[c]);
    }
    if (sizes.size() > listed) {
        list += ", ...";
    }
    throw DataError("the neighbour graph is not connected: it falls into " +
                    std::to_string(sizes.size()) + " components (points in each: " + list +
                    "), and its embedding would only tell them apart; raise k (n_neighbors) "
                    "until they join, or embed each component on its own (disconnected = "
                    "components) or only the largest (disconnected = largest)");
}

/// The rows and columns `rows` (ascending) of `matrix`, which has no entry linking them to
/// the other rows (a diagonal block under a permutation).
template <typename Matrix>
Matrix diagonal_block(const Matrix& matrix, const std::vector<Index>& rows) {
    std::vector<int> position(static_cast<std::size_t>(matrix.rows()), -1);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        position[static_cast<std::size_t>(rows[r])] = static_cast<int>(r);
    }
    std::vector<Eigen::Triplet<double, int>> entries;
    for (const Index outer : rows) {
        for (typename Matrix::InnerIterator entry(matrix, outer); entry; ++entry) {
            const int row = position[static_cast<std::size_t>(entry.row())];
            const int col = position[static_cast<std::size_t>(entry.col())];
            if (row >= 0 && col >= 0) {
                entries.emplace_back(row, col, entry.value());
            }
        }
    }
    const auto order = static_cast<Index>(rows.size());
    Matrix block(order, order);
    block.setFromTriplets(entries.begin(), entries.end());
    return block;
}

weights::WeightsOptions weight_options(const Parameters& parameters) {
    return {parameters.weights_solver, parameters.reg, parameters.weights_tolerance,
            parameters.weights_max_iterations};
}

}  // namespace

void validate(const Parameters& parameters, Index n, Index dimension) {
    const Index k = parameters.n_neighbors;
    const Index d = parameters.n_components;
    require_parameter(n >= 2, "the number of points", "n >= 2", std::to_string(n));
    require_parameter(k >= 1 && k <= n - 1, "k (n_neighbors)",
                      "1 <= k <= n - 1 = " + std::to_string(n - 1), std::to_string(k));
    require_parameter(d >= 1, "d (n_components)", "d >= 1", std::to_string(d));
    require_parameter(d <= dimension, "d (n_components)",
                      "d <= D = " + std::to_string(dimension) + ", the input dimension",
                      std::to_string(d));
    require_parameter(d <= n - 1, "d (n_components)", "d <= n - 1 = " + std::to_string(n - 1),
                      std::to_string(d));
    if (parameters.method != Method::standard) {
        require_parameter(parameters.weights_solver == weights::Solver::closed, "weights_solver",
                          "weights_solver = closed for the " + to_string(parameters.method) +
                              " method (only standard LLE has the weights W)",
                          weights::to_string(parameters.weights_solver));
    }
    weights::validate(weight_options(parameters));
    if (parameters.method == Method::hessian) {
        const Index bound = d * (d + 3) / 2;
        require_parameter(k > bound, "k (n_neighbors)",
                          "k > d (d + 3) / 2 = " + std::to_string(bound) + " for Hessian LLE",
                          std::to_string(k));
    }
    if (parameters.method == Method::modified) {
        require_parameter(d < k, "d (n_components)",
                          "d < k = " + std::to_string(k) + " for modified", std::to_string(d));
    }
    if (parameters.method == Method::ltsa) {
        // With k = d + 1 every local block I - G G^T is zero, and so is M.
        require_parameter(d < k - 1, "d (n_components)",
                          "d < k - 1 = " + std::to_string(k - 1) + " for ltsa", std::to_string(d));
    }
    require_parameter(parameters.hessian_tol >= 0.0, "hessian_tol", "hessian_tol >= 0",
                      parameters.hessian_tol);
    require_parameter(parameters.modified_tol >= 0.0, "modified_tol", "modified_tol >= 0",
                      parameters.modified_tol);
    neighbors::validate(parameters.hnsw);
    require_parameter(parameters.recall_sample_size >= 1, "recall sample size",
                      "recall sample size >= 1", std::to_string(parameters.recall_sample_size));
    require_parameter(parameters.min_recall >= 0.0 && parameters.min_recall <= 1.0, "min_recall",
                      "0 <= min_recall <= 1", parameters.min_recall);
    require_parameter(parameters.tolerance > 0.0, "tolerance", "tolerance > 0",
                      parameters.tolerance);
    require_parameter(parameters.max_iterations >= 1, "max_iterations", "max_iterations >= 1",
                      std::to_string(parameters.max_iterations));
    const DenseMatrix& initial = parameters.initial_coordinates;
    if (initial.size() > 0) {
        require_parameter(initial.rows() == n, "initial coordinates",
                          "one row per point (" + std::to_string(n) + ")",
                          std::to_string(initial.rows()) + " rows");
        if (parameters.eigen_solver != embedding::Solver::automatic &&
            parameters.eigen_solver != embedding::Solver::gradient) {
            const std::string solver = embedding::to_string(parameters.eigen_solver);
            throw ParameterError(
                "initial coordinates (init) start the gradient eigensolver only, "
                "and eigen_solver = " +
                solver +
                " would ignore them: use eigen_solver = gradient or auto, or "
                "give no initial coordinates");
        }
        require_parameter(initial.allFinite(), "initial coordinates", "finite values",
                          "NaN or infinity");
    }
}

namespace {

/// Throws DataError when the points cannot be told apart: all identical, or spread so little
/// (below 1e-150 in every coordinate) that their squared distances underflow double precision
/// and every neighbour would tie at distance zero.
template <typename Scalar>
void require_spread(PointsViewOf<Scalar> points) {
    const Eigen::RowVectorXd lowest = points.colwise().minCoeff().template cast<double>();
    const Eigen::RowVectorXd highest = points.colwise().maxCoeff().template cast<double>();
    const double spread = (highest - lowest).maxCoeff();
    if (spread == 0.0) {
        throw DataError("all " + std::to_string(points.rows()) +
                        " points are identical: there is nothing to embed");
    }
    constexpr double smallest_spread = 1e-150;
    if (spread < smallest_spread) {
        std::ostringstream message;
        message << "the points differ by at most " << spread
                << " in any coordinate: their squared distances underflow double precision "
                   "(below about 1e-300); multiply the data by a constant first";
        throw DataError(message.str());
    }
}

/// The pipeline on points without repeated rows, already checked by embed_points(): it reads
/// the points through the stages' overloads for `Scalar`, and computes in double from there on.
template <typename Scalar>
Result embed_distinct(PointsViewOf<Scalar> points, const Parameters& parameters) {
    validate(parameters, points.rows(), points.cols());

    const Index n = points.rows();
    Result result;
    const MemoryEstimate memory =
        estimate_memory(parameters, n, points.cols(), static_cast<Index>(sizeof(Scalar)));
    require_memory(memory, parameters.memory_limit, n);
    result.estimated_peak_bytes = memory.lower_bound_bytes();
    Stopwatch total;
    Stopwatch phase;
    auto finish_phase = [&](const char* name) {
        result.timings.push_back({name, phase.seconds()});
        if (parameters.progress) {
            parameters.progress({name, {}, 0, 0, result.timings.back().seconds, true});
        }
        if (parameters.interrupted && parameters.interrupted()) {
            throw Interrupted(std::string("the run was interrupted after the ") + name);
        }
        phase.restart();
    };

    result.neighbor_algorithm =
        neighbors::resolve_algorithm(parameters.neighbor_algorithm, n, points.cols());
    {
        // HNSW counts each point twice: inserted into the graph, then searched.
        ProgressMeter progress(parameters.progress, "neighbors",
                               neighbors::is_approximate(result.neighbor_algorithm)
                                   ? "inserts and searches"
                                   : "points");
        // What the search may take: the limit less what is alive beside it.
        neighbors::HnswOptions hnsw = parameters.hnsw;
        if (parameters.memory_limit > 0.0) {
            hnsw.memory_limit = std::max(
                parameters.memory_limit - (total_bytes(memory.search) - memory.search_bytes), 1.0);
        }
        result.neighbors = neighbors::k_nearest(points, parameters.n_neighbors,
                                                result.neighbor_algorithm, hnsw, &progress);
    }
    finish_phase("neighbors");
    if (neighbors::is_approximate(result.neighbor_algorithm)) {
        result.recall = neighbors::estimate_recall(
            points, result.neighbors, parameters.recall_sample_size, parameters.hnsw.seed);
        log(parameters.log, LogLevel::info,
            "estimated recall@" + std::to_string(parameters.n_neighbors) + ": " +
                std::to_string(result.recall->recall) + " on " +
                std::to_string(result.recall->sample_size) + " points");
        if (result.recall->far_points > 0) {
            log(parameters.log, LogLevel::warning,
                std::to_string(result.recall->far_points) + " of " +
                    std::to_string(result.recall->sample_size) +
                    " sampled points got a neighbour more than twice as far as their true k-th "
                    "nearest: the approximate search joined distant parts of the data, which "
                    "can bend the embedding far more than its recall suggests; an exact search "
                    "avoids it");
        }
        finish_phase("recall");
        if (parameters.neighbor_algorithm == neighbors::Algorithm::automatic &&
            result.recall->recall < parameters.min_recall) {
            log(parameters.log, LogLevel::warning,
                "hnsw's estimated recall " + std::to_string(result.recall->recall) + " is below " +
                    std::to_string(parameters.min_recall) + ": searching the neighbours exactly");
            result.discarded_recall = result.recall;
            result.recall.reset();
            result.neighbor_algorithm = neighbors::choose_exact_algorithm(points.cols());
            ProgressMeter progress(parameters.progress, "exact neighbors", "points");
            result.neighbors = neighbors::k_nearest(points, parameters.n_neighbors,
                                                    result.neighbor_algorithm, {}, &progress);
            finish_phase("exact neighbors");
        }
    }

    const neighbors::Components components = neighbors::connected_components(result.neighbors);
    result.component_sizes = components.sizes;
    if (components.count() > 1) {
        log(parameters.log, LogLevel::info,
            "the neighbour graph has " + std::to_string(components.count()) + " components");
        if (parameters.disconnected == Disconnected::error) {
            fail_disconnected(components.sizes);
        }
    }

    const IndexMatrix& neighbors = result.neighbors.indices;
    const Index d = parameters.n_components;

    // What the eigensolver is asked for a matrix of order `order`: the constant vector spans
    // M's null space, skip it and keep the next d.
    auto eigen_options = [&](Index order, DenseMatrix initial) {
        embedding::EigenOptions eigen;
        eigen.solver = parameters.eigen_solver;
        eigen.null_space =
            DenseMatrix::Constant(order, 1, 1.0 / std::sqrt(static_cast<double>(order)));
        eigen.count = parameters.n_components;
        eigen.tolerance = parameters.tolerance;
        eigen.max_iterations = parameters.max_iterations;
        eigen.seed = parameters.seed;
        eigen.preconditioner = parameters.preconditioner;
        eigen.initial = std::move(initial);
        if (parameters.memory_limit > 0.0) {
            // What the factor may take: the limit less everything else alive by then.
            const double others = memory.eigensolve_bytes() - memory.factor_bytes;
            eigen.memory_limit = std::max(parameters.memory_limit - others, 1.0);
        }
        eigen.log = parameters.log;
        eigen.progress = parameters.progress;
        eigen.interrupted = parameters.interrupted;
        return eigen;
    };

    // Standard LLE on one component, on more than one thread: the LU's ordering and symbolic
    // analysis need only the pattern of A = I - W (that of W, the diagonal being stored
    // anyway), known from the neighbours, and run on a thread of their own while the weights
    // take the other threads. On 2 cores at 100,000 points the weights took 0.10 s on one
    // thread beside the analysis's 0.17 s, instead of 0.055-0.065 s on two before it. An
    // interrupt during the weights waits for the analysis to end (0.2 s at 100,000 points,
    // about 4 s at 1,000,000).
    std::future<embedding::ProductAnalysis> analysis;
    if (parameters.method == Method::standard && components.count() == 1 && thread_count() > 1) {
        // What the neighbour search freed stays in this thread's arena, where the analysis
        // could not reuse it: back to the system first.
        release_freed_memory();
        // The thread gets its own copy of the pattern and options: nothing it reads changes
        // while it runs, whatever this thread does meanwhile.
        analysis = std::async(
            std::launch::async,
            [pattern = weights::to_sparse(PointMatrix::Zero(n, neighbors.cols()), neighbors, n),
             options = eigen_options(n, parameters.initial_coordinates)] {
                embedding::ProductAnalysis analysed = embedding::analyse_product(pattern, options);
                release_freed_memory();
                return analysed;
            });
    }

    // Standard LLE's weights, row-aligned with the neighbours, kept for the diagnostics.
    PointMatrix fitted_weights;
    if (parameters.method == Method::standard) {
        ProgressMeter weights_progress(parameters.progress, "weights", "points");
        weights::WeightsOptions options = weight_options(parameters);
        options.progress = &weights_progress;
        weights::WeightsResult weights = [&] {
            const FewerThreads fewer(analysis.valid() ? 1 : 0);
            return weights::barycentric_weights(points, points, neighbors, options);
        }();
        result.weights = weights::to_sparse(weights.values, neighbors, n);
        result.weight_iterations = weights.summary;
        finish_phase("weights");
        if (weights.summary.unconverged > 0) {
            // Nothing after this could be trusted: stop before the costly phases.
            result.solver.message = "not run: the weights of " +
                                    std::to_string(weights.summary.unconverged) +
                                    " points did not converge";
            result.timings.push_back({"total", total.seconds()});
            return result;
        }
        if (parameters.diagnostics) {
            fitted_weights = std::move(weights.values);
        }
    }
    if (parameters.diagnostics) {
        ProgressMeter progress(parameters.progress, "diagnostics", "points");
        result.diagnostics = weights::diagnose_local_fits(
            points, neighbors, fitted_weights.size() > 0 ? &fitted_weights : nullptr,
            parameters.reg, &progress);
        fitted_weights = PointMatrix();
        finish_phase("diagnostics");
    }

    // Standard LLE's M = A^T A with A = I - W is never formed: the sparse eigensolver factors A
    // itself. The other methods sum local blocks into M.
    SparseRowMatrix residual;
    SparseSymmetricMatrix cost;
    if (parameters.method == Method::standard) {
        residual = methods::residual_matrix(result.weights);
    } else {
        // The check before the run left the threads' and BLAS's reserve out of the assembly's
        // peak, to stay a lower bound; no later check covers the local blocks, so they are
        // checked here with it.
        require_bytes_fit("the local blocks of the points and M assembled from them",
                          memory.assembly_bytes(), parameters.memory_limit);
        // Counts each point's block ("points").
        ProgressMeter cost_progress(parameters.progress, "cost matrix", "points");
        switch (parameters.method) {
            case Method::modified:
                cost = methods::modified_cost_matrix(points, neighbors, d, parameters.reg,
                                                     parameters.modified_tol, &cost_progress);
                break;
            case Method::hessian:
                cost = methods::hessian_cost_matrix(points, neighbors, d, parameters.hessian_tol,
                                                    &cost_progress);
                break;
            case Method::ltsa:
                cost = methods::ltsa_cost_matrix(points, neighbors, d, &cost_progress);
                break;
            case Method::standard:
                break;
        }
        finish_phase("cost matrix");
        log(parameters.log, LogLevel::debug,
            "cost matrix: " + std::to_string(cost.nonZeros()) + " nonzeros (both triangles)");
    }

    // On a disconnected graph M is block-diagonal, one block per component, each solved on its
    // own. `matrix` is M itself, or A for M = A^T A.
    auto solve = [&](const auto& matrix, DenseMatrix initial,
                     embedding::ProductAnalysis analysed = {}) {
        const embedding::EigenOptions eigen = eigen_options(matrix.rows(), std::move(initial));
        if constexpr (std::is_same_v<std::decay_t<decltype(matrix)>, SparseRowMatrix>) {
            return embedding::smallest_eigenpairs_of_product(matrix, eigen, std::move(analysed));
        } else {
            return embedding::smallest_eigenpairs(matrix, eigen);
        }
    };
    const bool product = parameters.method == Method::standard;

    if (components.count() == 1) {
        embedding::ProductAnalysis analysed;
        if (analysis.valid()) {
            if (parameters.progress) {
                parameters.progress({"eigensolve", "ordering", 0, 0, phase.seconds(), false});
            }
            const Stopwatch waiting;
            analysed = analysis.get();
            log(parameters.log, LogLevel::debug,
                "eigensolve: waited " + std::to_string(waiting.seconds()) +
                    " s for the LU's ordering and symbolic analysis beside the weights");
        }
        embedding::EigenResult spectrum =
            product ? solve(residual, parameters.initial_coordinates, std::move(analysed))
                    : solve(cost, parameters.initial_coordinates);
        finish_phase("eigensolve");
        result.coordinates = std::move(spectrum.vectors);
        result.eigenvalues = std::move(spectrum.values);
        result.reconstruction_error = result.eigenvalues.sum();
        result.component_eigenvalues = {result.eigenvalues};
        result.solver = std::move(spectrum.status);
        result.timings.push_back({"total", total.seconds()});
        return result;
    }

    // The components to embed, in the order of their first point; their rows, ascending.
    const auto largest =
        static_cast<Index>(std::max_element(components.sizes.begin(), components.sizes.end()) -
                           components.sizes.begin());
    std::vector<std::vector<Index>> members(static_cast<std::size_t>(components.count()));
    for (Index i = 0; i < n; ++i) {
        members[static_cast<std::size_t>(components.label[static_cast<std::size_t>(i)])].push_back(
            i);
    }
    std::vector<Index> chosen;
    if (parameters.disconnected == Disconnected::largest) {
        chosen.push_back(largest);
    } else {
        chosen.resize(members.size());
        std::iota(chosen.begin(), chosen.end(), Index{0});
    }

    std::vector<embedding::EigenResult> parts;
    for (const Index c : chosen) {
        const std::vector<Index>& rows = members[static_cast<std::size_t>(c)];
        const auto size = static_cast<Index>(rows.size());
        if (size - 1 < d) {
            throw DataError("a component of the neighbour graph has only " + std::to_string(size) +
                            " points, too few for d = " + std::to_string(d) +
                            " coordinates of its own; raise k (n_neighbors)");
        }
        DenseMatrix initial;
        if (parameters.initial_coordinates.size() > 0) {
            initial.resize(size, parameters.initial_coordinates.cols());
            for (Index r = 0; r < size; ++r) {
                initial.row(r) =
                    parameters.initial_coordinates.row(rows[static_cast<std::size_t>(r)]);
            }
        }
        parts.push_back(product ? solve(diagonal_block(residual, rows), std::move(initial))
                                : solve(diagonal_block(cost, rows), std::move(initial)));
    }
    finish_phase("eigensolve");

    // The largest component's spectrum and status stand for the run; each component's
    // eigenvalues are kept, and the error sums them all.
    const std::size_t main_part =
        parameters.disconnected == Disconnected::largest ? 0 : static_cast<std::size_t>(largest);
    result.eigenvalues = parts[main_part].values;
    result.solver = parts[main_part].status;
    result.component_eigenvalues.resize(static_cast<std::size_t>(components.count()));
    for (std::size_t p = 0; p < parts.size(); ++p) {
        result.component_eigenvalues[static_cast<std::size_t>(chosen[p])] = parts[p].values;
    }
    for (const embedding::EigenResult& part : parts) {
        result.reconstruction_error += part.values.sum();
        result.solver.converged = result.solver.converged && part.status.converged;
        result.solver.max_residual = std::max(result.solver.max_residual, part.status.max_residual);
        result.solver.orthogonality_error =
            std::max(result.solver.orthogonality_error, part.status.orthogonality_error);
        if (!part.status.converged && result.solver.message.empty()) {
            result.solver.message = part.status.message;
        }
    }

    if (parameters.disconnected == Disconnected::largest) {
        result.rows = members[static_cast<std::size_t>(largest)];
        result.coordinates = std::move(parts.front().vectors);
    } else {
        // Side by side along the first coordinate, a quarter of the widest extent apart.
        double widest = 0.0;
        for (const embedding::EigenResult& part : parts) {
            widest =
                std::max(widest, part.vectors.col(0).maxCoeff() - part.vectors.col(0).minCoeff());
        }
        result.coordinates = DenseMatrix::Zero(n, d);
        double left = 0.0;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            const DenseMatrix& vectors = parts[p].vectors;
            const double low = vectors.col(0).minCoeff();
            const std::vector<Index>& rows = members[p];
            for (std::size_t r = 0; r < rows.size(); ++r) {
                result.coordinates.row(rows[r]) = vectors.row(static_cast<Index>(r));
                result.coordinates(rows[r], 0) += left - low;
            }
            left += vectors.col(0).maxCoeff() - low + 0.25 * widest;
        }
    }
    result.timings.push_back({"total", total.seconds()});
    return result;
}

}  // namespace

/// Rows that repeat an earlier row exactly, found by sorting the rows.
struct DistinctRows {
    std::vector<Index> rows;      ///< the first row of each distinct point, ascending
    std::vector<Index> index_of;  ///< row -> its distinct point's place in `rows`
};

template <typename Scalar>
DistinctRows distinct_rows(PointsViewOf<Scalar> points) {
    const Index n = points.rows();
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    auto less = [&](Index a, Index b) {
        for (Index c = 0; c < points.cols(); ++c) {
            if (points(a, c) != points(b, c)) {
                return points(a, c) < points(b, c);
            }
        }
        return a < b;
    };
    std::sort(order.begin(), order.end(), less);
    std::vector<Index> first(static_cast<std::size_t>(n));
    for (std::size_t r = 0; r < order.size(); ++r) {
        const bool repeat =
            r > 0 && (points.row(order[r]).array() == points.row(order[r - 1]).array()).all();
        first[static_cast<std::size_t>(order[r])] =
            repeat ? first[static_cast<std::size_t>(order[r - 1])] : order[r];
    }
    DistinctRows distinct;
    std::vector<Index> place(static_cast<std::size_t>(n), -1);
    for (Index i = 0; i < n; ++i) {
        if (first[static_cast<std::size_t>(i)] == i) {
            place[static_cast<std::size_t>(i)] = static_cast<Index>(distinct.rows.size());
            distinct.rows.push_back(i);
        }
    }
    distinct.index_of.resize(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
        distinct.index_of[static_cast<std::size_t>(i)] =
            place[static_cast<std::size_t>(first[static_cast<std::size_t>(i)])];
    }
    return distinct;
}

/// embed() for points of either precision. Exact duplicates are embedded once: the pipeline
/// runs on the distinct points, and every repeat gets its original's coordinates.
template <typename Scalar>
Result embed_points(PointsViewOf<Scalar> points, const Parameters& parameters) {
    validate(parameters, points.rows(), points.cols());
    require_finite_points(points);
    require_spread<Scalar>(points);
    const Index n = points.rows();
    const DistinctRows distinct = distinct_rows<Scalar>(points);
    const auto m = static_cast<Index>(distinct.rows.size());
    if (m == n) {
        return embed_distinct<Scalar>(points, parameters);
    }
    if (m < parameters.n_neighbors + 1) {
        throw DataError("only " + std::to_string(m) + " of the " + std::to_string(n) +
                        " points are distinct (the others repeat them), fewer than k + 1 = " +
                        std::to_string(parameters.n_neighbors + 1) +
                        ": lower k (n_neighbors) below " + std::to_string(m));
    }

    PointMatrixOf<Scalar> unique(m, points.cols());
    for (Index u = 0; u < m; ++u) {
        unique.row(u) = points.row(distinct.rows[static_cast<std::size_t>(u)]);
    }
    Parameters each = parameters;
    if (parameters.initial_coordinates.size() > 0) {
        each.initial_coordinates.resize(m, parameters.initial_coordinates.cols());
        for (Index u = 0; u < m; ++u) {
            each.initial_coordinates.row(u) =
                parameters.initial_coordinates.row(distinct.rows[static_cast<std::size_t>(u)]);
        }
    }
    Result result = embed_distinct<Scalar>(unique, each);
    result.duplicate_count = n - m;
    result.distinct_rows = distinct.rows;
    if (result.diagnostics.size() > 0) {
        // One row per input row, each repeat with its original's values.
        result.diagnostics = result.diagnostics.select(distinct.index_of);
    }
    if (result.coordinates.rows() == 0) {
        return result;  // stopped early (unconverged weights)
    }

    // Expand to the input's rows; with only the largest component embedded, to its rows.
    std::vector<Index> place(static_cast<std::size_t>(m), -1);
    if (result.rows.empty()) {
        std::iota(place.begin(), place.end(), Index{0});
    } else {
        for (std::size_t r = 0; r < result.rows.size(); ++r) {
            place[static_cast<std::size_t>(result.rows[r])] = static_cast<Index>(r);
        }
    }
    std::vector<Index> rows;
    for (Index i = 0; i < n; ++i) {
        if (place[static_cast<std::size_t>(distinct.index_of[static_cast<std::size_t>(i)])] >= 0) {
            rows.push_back(i);
        }
    }
    DenseMatrix coordinates(static_cast<Index>(rows.size()), result.coordinates.cols());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Index u = distinct.index_of[static_cast<std::size_t>(rows[r])];
        coordinates.row(static_cast<Index>(r)) =
            result.coordinates.row(place[static_cast<std::size_t>(u)]);
    }
    result.coordinates = std::move(coordinates);
    result.rows = static_cast<Index>(rows.size()) == n ? std::vector<Index>() : std::move(rows);
    return result;
}

Result embed(PointsView points, const Parameters& parameters) {
    return embed_points<double>(points, parameters);
}

Result embed(PointsViewF points, const Parameters& parameters) {
    return embed_points<float>(points, parameters);
}

}  // namespace lle
