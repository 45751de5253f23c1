#include "cli/report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "cli/system.hpp"
#include "lle/base/bytes.hpp"

namespace lle::cli {
namespace {

/// "kd-tree (exact)", "brute force (exact)" or "hnsw (approximate, M 16, ...)".
std::string search_description(const Parameters& parameters, const Result& result) {
    switch (result.neighbor_algorithm) {
        case neighbors::Algorithm::kd_tree:
            return "kd-tree (exact)";
        case neighbors::Algorithm::brute_force:
            return "brute force (exact)";
        case neighbors::Algorithm::hnsw:
            return fmt::format("hnsw (approximate, M {}, ef_construction {}, ef {})",
                               parameters.hnsw.m, parameters.hnsw.ef_construction,
                               std::max(parameters.hnsw.ef_search, parameters.n_neighbors + 1));
        default:
            return neighbors::to_string(result.neighbor_algorithm);
    }
}

/// The factor the sparse eigensolver ran on, for people: standard LLE's A is I - W and M is
/// A^T A for every method. Empty when none did (the dense and gradient solvers).
std::string factorisation_description(const embedding::EigenStatus& status) {
    switch (status.factorisation) {
        case embedding::Factorisation::lu:
            return "LU of I - W";
        case embedding::Factorisation::cholesky:
            return fmt::format("Cholesky of M + eps I, eps {:.2e}", status.shift);
        case embedding::Factorisation::none:
            break;
    }
    return {};
}

}  // namespace

namespace {

/// The component whose eigenvalues Result::eigenvalues holds: the first of the largest size.
Index largest_component(const Result& result) {
    const std::vector<Index>& sizes = result.component_sizes;
    return sizes.empty()
               ? 0
               : static_cast<Index>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
}

/// Each component's eigenvalues, in the order of the components; [] for one left out.
nlohmann::json component_spectra(const Result& result) {
    nlohmann::json spectra = nlohmann::json::array();
    for (const Eigen::VectorXd& values : result.component_eigenvalues) {
        spectra.push_back(std::vector<double>(values.begin(), values.end()));
    }
    return spectra;
}

/// The input rows missing from the coordinates (none unless only some were embedded).
std::vector<Index> left_out_rows(const Result& result, Index points) {
    std::vector<Index> left_out;
    if (result.rows.empty()) {
        return left_out;
    }
    std::size_t next = 0;
    for (Index i = 0; i < points; ++i) {
        if (next < result.rows.size() && result.rows[next] == i) {
            ++next;
        } else {
            left_out.push_back(i);
        }
    }
    return left_out;
}

/// The q-quantile (0 <= q <= 1) of `values`, sorted ascending and not empty, interpolated
/// linearly between the two nearest ranks as NumPy's default: position q (m - 1). Infinite
/// values sort last, and a position that touches one gives infinity.
double quantile(const std::vector<double>& values, double q) {
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(below);
    if (fraction == 0.0) {
        return values[below];
    }
    if (std::isinf(values[above])) {
        return values[above];
    }
    return values[below] + (values[above] - values[below]) * fraction;
}

std::vector<double> sorted(const Eigen::VectorXd& values) {
    std::vector<double> ascending(values.begin(), values.end());
    std::sort(ascending.begin(), ascending.end());
    return ascending;
}

/// The rows of the `count` largest residuals, largest first, ties by the smaller row.
std::vector<Index> worst_residual_rows(const weights::LocalFitDiagnostics& diagnostics,
                                       Index count) {
    std::vector<Index> rows(static_cast<std::size_t>(diagnostics.size()));
    std::iota(rows.begin(), rows.end(), Index{0});
    const auto kept = static_cast<std::ptrdiff_t>(std::min(count, diagnostics.size()));
    std::partial_sort(rows.begin(), rows.begin() + kept, rows.end(), [&](Index a, Index b) {
        const double first = diagnostics.residual(a);
        const double second = diagnostics.residual(b);
        return first > second || (first == second && a < b);
    });
    rows.resize(static_cast<std::size_t>(kept));
    return rows;
}

/// A number, or null for infinity (JSON has no infinity).
nlohmann::json finite_or_null(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

/// Rows listed among the worst residuals in the report.
constexpr Index worst_rows_listed = 10;

/// The per-point diagnostics in a few numbers; null without them.
nlohmann::json diagnostics_summary(const weights::LocalFitDiagnostics& diagnostics) {
    using nlohmann::json;
    if (diagnostics.size() == 0) {
        return nullptr;
    }
    const std::vector<double> residual = sorted(diagnostics.residual);
    const std::vector<double> condition = sorted(diagnostics.condition);
    const std::vector<double> distance = sorted(diagnostics.kth_distance);
    const auto singular = static_cast<Index>(
        std::count_if(condition.begin(), condition.end(), [](double c) { return std::isinf(c); }));
    return {
        {"points", diagnostics.size()},
        {"residual",
         {{"min", quantile(residual, 0.0)},
          {"median", quantile(residual, 0.5)},
          {"p95", quantile(residual, 0.95)},
          {"max", quantile(residual, 1.0)}}},
        {"worst_residual_rows", worst_residual_rows(diagnostics, worst_rows_listed)},
        {"regularised", diagnostics.regularised_count()},
        // null stands for infinity: a singular local Gram matrix.
        {"condition_number",
         {{"median", finite_or_null(quantile(condition, 0.5))},
          {"max", finite_or_null(quantile(condition, 1.0))},
          {"singular", singular}}},
        {"kth_distance", {{"median", quantile(distance, 0.5)}, {"max", quantile(distance, 1.0)}}},
    };
}

/// The quality measures; null when not asked for.
nlohmann::json quality_summary(const std::optional<quality::Quality>& quality) {
    if (!quality) {
        return nullptr;
    }
    return {{"n_neighbors", quality->n_neighbors}, {"trustworthiness", quality->trustworthiness},
            {"continuity", quality->continuity},   {"points", quality->points},
            {"sample_size", quality->sample_size}, {"exact", quality->exact()}};
}

/// Each phase with its time and the peak resident size when it ended (null when unrecorded).
nlohmann::json phase_list(const Resources& resources, const Result& result) {
    using nlohmann::json;
    json phases = json::array();
    if (!resources.phases.empty()) {
        for (const PhaseRecord& phase : resources.phases) {
            phases.push_back(
                {{"name", phase.name},
                 {"seconds", phase.seconds},
                 {"peak_resident_bytes", static_cast<std::int64_t>(phase.peak_resident_bytes)}});
        }
        return phases;
    }
    for (const PhaseTime& phase : result.timings) {
        if (phase.name != "total") {
            phases.push_back({{"name", phase.name},
                              {"seconds", phase.seconds},
                              {"peak_resident_bytes", nullptr}});
        }
    }
    return phases;
}

}  // namespace

void PhaseRecorder::operator()(const Progress& progress) {
    if (progress.finished) {
        // The kernel sums its resident counters per CPU and reads them approximately: a later
        // reading of the high-water mark can come out a few hundred KiB lower. A peak by then
        // never comes down.
        const double peak = std::max(phases_.empty() ? 0.0 : phases_.back().peak_resident_bytes,
                                     peak_resident_bytes());
        phases_.push_back({std::string(progress.phase), progress.seconds, peak});
    }
    if (next_) {
        next_(progress);
    }
}

void write_summary(std::ostream& out, const InputDescription& input, const Parameters& parameters,
                   const Resources& resources, const Result& result,
                   const std::optional<quality::Quality>& quality) {
    fmt::print(out, "lle: {} of {} points x {} dimensions ({}, {}), k = {}, d = {}\n",
               display_name(parameters.method), input.points, input.dimension, input.dtype,
               input.source, parameters.n_neighbors, parameters.n_components);
    std::string phases;
    for (const PhaseTime& phase : result.timings) {
        phases +=
            fmt::format("{}{} {:.3f} s", phases.empty() ? "" : ", ", phase.name, phase.seconds);
    }
    fmt::print(out, "lle: time: {}\n", phases);

    std::string recall;
    if (result.recall) {
        recall =
            fmt::format(", estimated recall@{} {:.4f} on {} sampled points", parameters.n_neighbors,
                        result.recall->recall, result.recall->sample_size);
        if (result.recall->recall < parameters.min_recall) {
            // Only an explicit --neighbors hnsw gets here (auto searches exactly instead).
            recall += fmt::format(
                " (WARNING: below --min-recall {:g}; the embedding rests on a neighbour graph "
                "that misses many true neighbours: raise --hnsw-ef / --hnsw-candidates or use "
                "--neighbors exact)",
                parameters.min_recall);
        }
        if (result.recall->far_points > 0) {
            recall += fmt::format(
                " (WARNING: {} of them with a neighbour more than twice as far as their true "
                "k-th nearest, a join of distant parts of the data; --neighbors exact avoids "
                "it)",
                result.recall->far_points);
        }
    }
    if (result.discarded_recall) {
        recall = fmt::format(
            ", after hnsw's estimated recall@{} {:.4f} on {} sampled points fell "
            "below {:g}",
            parameters.n_neighbors, result.discarded_recall->recall,
            result.discarded_recall->sample_size, parameters.min_recall);
    }
    fmt::print(out, "lle: neighbors: {}{}\n", search_description(parameters, result), recall);
    if (result.duplicate_count > 0) {
        fmt::print(out,
                   "lle: duplicates: {} rows repeat earlier ones; {} distinct points embedded, "
                   "each repeat given its original's coordinates\n",
                   result.duplicate_count, result.distinct_rows.size());
    }
    if (result.component_sizes.size() > 1) {
        fmt::print(out, "lle: graph: {} components ({} points); {}\n",
                   result.component_sizes.size(), fmt::join(result.component_sizes, ", "),
                   result.rows.empty()
                       ? std::string("each embedded on its own, side by side along the first "
                                     "coordinate")
                       : fmt::format("embedded the largest alone, {} of {} points (the rows "
                                     "left out are listed in --report)",
                                     result.rows.size(), input.points));
    }

    if (parameters.method == Method::standard) {
        const weights::IterationSummary& iterations = result.weight_iterations;
        if (parameters.weights_solver == weights::Solver::gradient) {
            fmt::print(out,
                       "lle: weights: gradient, steps per point mean {:.2f}, max {}, "
                       "{} unconverged (tolerance {:g})\n",
                       iterations.mean, iterations.max, iterations.unconverged,
                       parameters.weights_tolerance);
        } else {
            fmt::print(out, "lle: weights: closed form\n");
        }
    }

    const embedding::EigenStatus& solver = result.solver;
    std::string counters;
    if (solver.solver == embedding::Solver::sparse) {
        // Passes over the Lanczos basis: the first, then one per restart.
        counters = fmt::format(
            "{} solves{}, {} pass{}, factor nnz {}, ", solver.operator_applications,
            solver.block_size > 1 ? fmt::format(" in blocks of {}", solver.block_size)
                                  : std::string(),
            solver.iterations, solver.iterations == 1 ? "" : "es", solver.factor_nonzeros);
    } else if (solver.solver == embedding::Solver::gradient) {
        counters = fmt::format("{} iterations, {} preconditioner applications, ", solver.iterations,
                               solver.operator_applications);
    }
    const std::string factor = factorisation_description(solver);
    const std::size_t embedded = static_cast<std::size_t>(
        std::count_if(result.component_eigenvalues.begin(), result.component_eigenvalues.end(),
                      [](const Eigen::VectorXd& values) { return values.size() > 0; }));
    fmt::print(out, "lle: eigensolver: {}{}, {}, {}max residual {:.2e}{}\n",
               embedding::to_string(solver.solver), factor.empty() ? "" : " (" + factor + ")",
               solver.converged ? "converged" : "FAILED", counters, solver.max_residual,
               embedded > 1 ? fmt::format(" (solver and counters of the largest component; "
                                          "converged and residual over all {})",
                                          embedded)
                            : std::string());
    if (!solver.fallback.empty()) {
        // An automatic choice falls back to other solvers; a named sparse solver may set its
        // LU of I - W aside for M's Cholesky factor. Either way: what was tried first, and why.
        fmt::print(out, "lle: eigensolver: tried first and set aside: {}\n", solver.fallback);
    }
    const std::vector<Eigen::VectorXd>& spectra = result.component_eigenvalues;
    if (spectra.size() <= 1) {
        fmt::print(out, "lle: eigenvalues: {:.6e}\n", fmt::join(result.eigenvalues, " "));
        fmt::print(out, "lle: reconstruction error: {:.6e}\n", result.reconstruction_error);
    } else if (parameters.disconnected == Disconnected::largest) {
        const Index largest = largest_component(result);
        fmt::print(out, "lle: eigenvalues of the largest component ({} of {} points): {:.6e}\n",
                   result.component_sizes[static_cast<std::size_t>(largest)], input.points,
                   fmt::join(result.eigenvalues, " "));
        fmt::print(out, "lle: reconstruction error of the largest component: {:.6e}\n",
                   result.reconstruction_error);
    } else {
        std::string parts;
        for (std::size_t c = 0; c < spectra.size(); ++c) {
            parts += fmt::format("{}component {} ({} points): {:.6e}", c == 0 ? "" : "; ", c + 1,
                                 result.component_sizes[c], fmt::join(spectra[c], " "));
        }
        fmt::print(out, "lle: eigenvalues per component: {}\n", parts);
        fmt::print(out, "lle: reconstruction error, summed over the {} components: {:.6e}\n",
                   spectra.size(), result.reconstruction_error);
    }
    const weights::LocalFitDiagnostics& diagnostics = result.diagnostics;
    if (diagnostics.size() > 0) {
        const Index worst = worst_residual_rows(diagnostics, 1).front();
        fmt::print(out,
                   "lle: diagnostics: residual median {:.3e}, max {:.3e} (row {}); {} of {} "
                   "points regularised; k-th neighbour distance median {:.3e}, max {:.3e}\n",
                   quantile(sorted(diagnostics.residual), 0.5), diagnostics.residual(worst), worst,
                   diagnostics.regularised_count(), diagnostics.size(),
                   quantile(sorted(diagnostics.kth_distance), 0.5),
                   diagnostics.kth_distance.maxCoeff());
    }
    if (quality) {
        fmt::print(out, "lle: quality at k = {}: trustworthiness {:.6f}, continuity {:.6f} ({})\n",
                   quality->n_neighbors, quality->trustworthiness, quality->continuity,
                   quality->exact() ? fmt::format("exact, all {} points", quality->points)
                                    : fmt::format("estimated on {} sampled points of {}",
                                                  quality->sample_size, quality->points));
    }
    // The estimate counts the data-dependent sparse factor low (see estimate_memory).
    fmt::print(
        out, "lle: memory: peak {} (at least {} estimated before the run{})\n",
        format_bytes(resources.peak_resident_bytes), format_bytes(result.estimated_peak_bytes),
        resources.memory_limit_bytes > 0.0 ? ", limit " + format_bytes(resources.memory_limit_bytes)
                                           : std::string());
}

void write_json_report(std::ostream& out, const InputDescription& input,
                       const Parameters& parameters, const Resources& resources,
                       const Result& result, const std::optional<quality::Quality>& quality) {
    using nlohmann::json;
    json timings = json::object();
    for (const PhaseTime& phase : result.timings) {
        timings[phase.name] = phase.seconds;
    }
    const embedding::EigenStatus& solver = result.solver;
    const json report = {
        {"version", LLE_VERSION},
        {"method", to_string(parameters.method)},
        {"parameters",
         {{"n_neighbors", parameters.n_neighbors},
          {"n_components", parameters.n_components},
          {"reg", parameters.reg},
          {"hessian_tol", parameters.hessian_tol},
          {"modified_tol", parameters.modified_tol},
          {"weights_solver", weights::to_string(parameters.weights_solver)},
          {"weights_tolerance", parameters.weights_tolerance},
          {"weights_max_iterations", parameters.weights_max_iterations},
          {"neighbors", neighbors::to_string(parameters.neighbor_algorithm)},
          {"hnsw_m", parameters.hnsw.m},
          {"hnsw_ef_construction", parameters.hnsw.ef_construction},
          {"hnsw_ef_search", parameters.hnsw.ef_search},
          {"hnsw_projection", parameters.hnsw.projection},
          {"hnsw_candidates", parameters.hnsw.candidates},
          {"recall_sample_size", parameters.recall_sample_size},
          {"min_recall", parameters.min_recall},
          {"eigen_solver", embedding::to_string(parameters.eigen_solver)},
          {"preconditioner", embedding::to_string(parameters.preconditioner)},
          {"warm_start", parameters.initial_coordinates.size() > 0},
          {"tolerance", parameters.tolerance},
          {"max_iterations", parameters.max_iterations},
          {"seed", parameters.seed},
          {"threads", resources.threads}}},
        {"input",
         {{"source", input.source},
          {"points", input.points},
          {"dimension", input.dimension},
          {"dtype", input.dtype}}},
        {"timings", timings},
        // Each phase in order with its time and the process's peak resident size as it ended.
        {"phases", phase_list(resources, result)},
        // The neighbour graph's connected components, and the rows left out of the output when
        // only the largest was embedded.
        {"graph",
         {{"components", result.component_sizes.size()},
          {"component_sizes", result.component_sizes},
          {"disconnected", to_string(parameters.disconnected)},
          {"left_out_rows", left_out_rows(result, input.points)},
          // Rows equal to an earlier row, embedded once with their original.
          {"duplicate_rows", result.duplicate_count}}},
        // The search that ran; recall and sample_size are null for an exact one.
        {"neighbors",
         {{"algorithm", neighbors::to_string(result.neighbor_algorithm)},
          {"approximate", neighbors::is_approximate(result.neighbor_algorithm)},
          {"recall", result.recall ? json(result.recall->recall) : json(nullptr)},
          {"recall_sample_size", result.recall ? json(result.recall->sample_size) : json(nullptr)},
          // Sampled points with a neighbour more than twice as far as their true k-th.
          {"far_points", result.recall ? json(result.recall->far_points) : json(nullptr)},
          // An automatic hnsw search's recall that fell below min_recall: exact search instead.
          {"discarded_hnsw_recall",
           result.discarded_recall ? json(result.discarded_recall->recall) : json(nullptr)}}},
        // Steps of the gradient weights solver; zero for the closed form and without W.
        {"weights",
         {{"solver", weights::to_string(parameters.weights_solver)},
          {"mean_iterations", result.weight_iterations.mean},
          {"max_iterations", result.weight_iterations.max},
          {"unconverged", result.weight_iterations.unconverged}}},
        {"solver",
         {{"name", embedding::to_string(solver.solver)},
          {"converged", solver.converged},
          {"iterations", solver.iterations},
          {"operator_applications", solver.operator_applications},
          {"block_size", solver.block_size},
          {"factor_nonzeros", solver.factor_nonzeros},
          // The factor the sparse solver ran on: "lu" (of I - W, standard LLE), "cholesky"
          // (of M + shift I), null for the dense and gradient solvers.
          {"factorisation", solver.factorisation == embedding::Factorisation::none
                                ? json(nullptr)
                                : json(embedding::to_string(solver.factorisation))},
          {"shift", solver.shift},
          {"max_residual", solver.max_residual},
          {"orthogonality_error", solver.orthogonality_error},
          {"message", solver.message},
          // The solvers auto tried first, and why each failed; empty when none did.
          {"fallback", solver.fallback}}},
        // With several components, the largest one's (eigenvalues_component, an index into
        // graph.component_sizes); component_eigenvalues has each component's ([] for one left
        // out), and reconstruction_error sums them all.
        {"eigenvalues", std::vector<double>(result.eigenvalues.begin(), result.eigenvalues.end())},
        {"eigenvalues_component", largest_component(result)},
        {"component_eigenvalues", component_spectra(result)},
        {"reconstruction_error", result.reconstruction_error},
        {"memory",
         {{"limit_bytes", static_cast<std::int64_t>(resources.memory_limit_bytes)},
          {"estimated_peak_bytes", static_cast<std::int64_t>(result.estimated_peak_bytes)},
          {"peak_resident_bytes", static_cast<std::int64_t>(resources.peak_resident_bytes)}}},
        // Per-point diagnostics of the local fits, summarised (null without them).
        {"diagnostics", diagnostics_summary(result.diagnostics)},
        // Trustworthiness and continuity (null unless asked for).
        {"quality", quality_summary(quality)},
    };
    // Doubles are written with 17 significant digits so that they read back exactly.
    out << report.dump(2) << '\n';
}

}  // namespace lle::cli
