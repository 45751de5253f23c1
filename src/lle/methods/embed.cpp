#include "lle/methods/embed.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "lle/base/error.hpp"
#include "lle/methods/hessian.hpp"
#include "lle/methods/ltsa.hpp"
#include "lle/methods/memory.hpp"
#include "lle/methods/modified.hpp"
#include "lle/methods/standard.hpp"

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

namespace {

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
                      std::to_string(parameters.hessian_tol));
    require_parameter(parameters.modified_tol >= 0.0, "modified_tol", "modified_tol >= 0",
                      std::to_string(parameters.modified_tol));
    neighbors::validate(parameters.hnsw);
    require_parameter(parameters.recall_sample_size >= 1, "recall sample size",
                      "recall sample size >= 1", std::to_string(parameters.recall_sample_size));
    require_parameter(parameters.min_recall >= 0.0 && parameters.min_recall <= 1.0, "min_recall",
                      "0 <= min_recall <= 1", std::to_string(parameters.min_recall));
    require_parameter(parameters.tolerance > 0.0, "tolerance", "tolerance > 0",
                      std::to_string(parameters.tolerance));
    require_parameter(parameters.max_iterations >= 1, "max_iterations", "max_iterations >= 1",
                      std::to_string(parameters.max_iterations));
    const DenseMatrix& initial = parameters.initial_coordinates;
    if (initial.size() > 0) {
        require_parameter(initial.rows() == n, "initial coordinates",
                          "one row per point (" + std::to_string(n) + ")",
                          std::to_string(initial.rows()) + " rows");
        require_parameter(parameters.eigen_solver == embedding::Solver::automatic ||
                              parameters.eigen_solver == embedding::Solver::gradient,
                          "initial coordinates", "the gradient (or auto) eigensolver",
                          embedding::to_string(parameters.eigen_solver));
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

/// embed() for points of either precision: the pipeline reads the points through the stages'
/// overloads for `Scalar`, and computes in double from there on.
template <typename Scalar>
Result embed_points(PointsViewOf<Scalar> points, const Parameters& parameters) {
    validate(parameters, points.rows(), points.cols());
    require_finite_points(points);
    require_spread<Scalar>(points);

    const Index n = points.rows();
    Result result;
    const MemoryEstimate memory =
        estimate_memory(parameters, n, points.cols(), static_cast<Index>(sizeof(Scalar)));
    require_memory(memory, parameters.memory_limit, n);
    result.estimated_peak_bytes = memory.peak_bytes();
    Stopwatch total;
    Stopwatch phase;
    auto finish_phase = [&](const char* name) {
        result.timings.push_back({name, phase.seconds()});
        if (parameters.progress) {
            parameters.progress({name, {}, 0, 0, result.timings.back().seconds, true});
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
        result.neighbors = neighbors::k_nearest(
            points, parameters.n_neighbors, result.neighbor_algorithm, parameters.hnsw, &progress);
    }
    finish_phase("neighbors");
    if (neighbors::is_approximate(result.neighbor_algorithm)) {
        result.recall = neighbors::estimate_recall(
            points, result.neighbors, parameters.recall_sample_size, parameters.hnsw.seed);
        log(parameters.log, LogLevel::info,
            "estimated recall@" + std::to_string(parameters.n_neighbors) + ": " +
                std::to_string(result.recall->recall) + " on " +
                std::to_string(result.recall->sample_size) + " points");
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

    const IndexMatrix& neighbors = result.neighbors.indices;
    const Index d = parameters.n_components;
    if (parameters.method == Method::standard) {
        ProgressMeter weights_progress(parameters.progress, "weights", "points");
        weights::WeightsOptions options = weight_options(parameters);
        options.progress = &weights_progress;
        const weights::WeightsResult weights =
            weights::barycentric_weights(points, points, neighbors, options);
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
    }

    // Counts each point's block and each column of M ("points" either way).
    ProgressMeter cost_progress(parameters.progress, "cost matrix", "points");
    SparseSymmetricMatrix cost;
    switch (parameters.method) {
        case Method::standard:
            cost = methods::standard_cost_matrix(result.weights, &cost_progress);
            break;
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
    }
    finish_phase("cost matrix");
    log(parameters.log, LogLevel::debug,
        "cost matrix: " + std::to_string(cost.nonZeros()) + " nonzeros (both triangles)");

    // The constant vector spans M's null space: skip it, keep the next d.
    embedding::EigenOptions eigen;
    eigen.solver = parameters.eigen_solver;
    eigen.null_space = DenseMatrix::Constant(n, 1, 1.0 / std::sqrt(static_cast<double>(n)));
    eigen.count = parameters.n_components;
    eigen.tolerance = parameters.tolerance;
    eigen.max_iterations = parameters.max_iterations;
    eigen.seed = parameters.seed;
    eigen.preconditioner = parameters.preconditioner;
    eigen.initial = parameters.initial_coordinates;
    if (parameters.memory_limit > 0.0) {
        // What the factor may take: the limit less everything else alive by then.
        const double others = memory.peak_bytes() - memory.factor_bytes;
        eigen.memory_limit = std::max(parameters.memory_limit - others, 1.0);
    }
    eigen.log = parameters.log;
    eigen.progress = parameters.progress;
    embedding::EigenResult spectrum = embedding::smallest_eigenpairs(cost, eigen);
    finish_phase("eigensolve");

    result.coordinates = std::move(spectrum.vectors);
    result.eigenvalues = std::move(spectrum.values);
    result.reconstruction_error = result.eigenvalues.sum();
    result.solver = std::move(spectrum.status);
    result.timings.push_back({"total", total.seconds()});
    return result;
}

}  // namespace

Result embed(PointsView points, const Parameters& parameters) {
    return embed_points<double>(points, parameters);
}

Result embed(PointsViewF points, const Parameters& parameters) {
    return embed_points<float>(points, parameters);
}

}  // namespace lle
