/// \file
/// The compiled module `lle._lle`: lle::embed, lle::Model and lle::transform for Python.
///
/// A thin layer: it converts NumPy arrays and names to the engine's types and back, releases
/// the GIL while the engine computes, scopes the thread count to each call and turns the
/// engine's exceptions into Python ones. The scikit-learn-style estimator is pure Python
/// (lle/_estimator.py).

#include <omp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"
#include "lle/methods/embed.hpp"
#include "lle/methods/model.hpp"
#include "lle/quality/trustworthiness.hpp"

extern "C" int openblas_get_num_threads(void);
extern "C" void openblas_set_num_threads(int num_threads);

namespace lle::python {
namespace {

/// Sets the thread count of OpenMP and OpenBLAS for one call and restores the previous counts
/// afterwards, so that a call with n_threads = 1 does not leave NumPy's BLAS single-threaded.
class ThreadScope {
  public:
    /// \param count  threads to use; `<= 0` means one per processor.
    explicit ThreadScope(int count)
        : openmp_(omp_get_max_threads()), openblas_(openblas_get_num_threads()) {
        set_thread_count(count > 0 ? count : omp_get_num_procs());
    }
    ~ThreadScope() {
        omp_set_num_threads(openmp_);
        openblas_set_num_threads(openblas_);
    }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

  private:
    int openmp_;
    int openblas_;
};

/// The value of `choices` named `name`, or ValueError listing the names.
template <typename Value, std::size_t count>
Value parse_choice(const char* parameter, const std::string& name,
                   const std::array<std::pair<const char*, Value>, count>& choices) {
    std::string names;
    for (const auto& [choice, value] : choices) {
        if (name == choice) {
            return value;
        }
        names += std::string(names.empty() ? "" : ", ") + "'" + choice + "'";
    }
    throw py::value_error(std::string(parameter) + " must be one of " + names + " (got '" + name +
                          "')");
}

Method parse_method(const std::string& name) {
    return parse_choice<Method, 4>("method", name,
                                   {{{"standard", Method::standard},
                                     {"modified", Method::modified},
                                     {"hessian", Method::hessian},
                                     {"ltsa", Method::ltsa}}});
}

neighbors::Algorithm parse_algorithm(const std::string& name) {
    using neighbors::Algorithm;
    return parse_choice<Algorithm, 5>("neighbors_algorithm", name,
                                      {{{"auto", Algorithm::automatic},
                                        {"exact", Algorithm::exact},
                                        {"kd_tree", Algorithm::kd_tree},
                                        {"brute", Algorithm::brute_force},
                                        {"hnsw", Algorithm::hnsw}}});
}

embedding::Solver parse_solver(const std::string& name) {
    using embedding::Solver;
    return parse_choice<Solver, 4>("eigen_solver", name,
                                   {{{"auto", Solver::automatic},
                                     {"dense", Solver::dense},
                                     {"sparse", Solver::sparse},
                                     {"gradient", Solver::gradient}}});
}

weights::Solver parse_weights_solver(const std::string& name) {
    return parse_choice<weights::Solver, 2>(
        "weights_solver", name,
        {{{"closed", weights::Solver::closed}, {"gradient", weights::Solver::gradient}}});
}

Precision parse_dtype(const std::string& name) {
    return parse_choice<Precision, 2>(
        "dtype", name, {{{"float64", Precision::float64}, {"float32", Precision::float32}}});
}

/// A copy of a 2-dimensional array of points as a row-major matrix.
PointMatrix copy_points(const py::array& array, const char* name) {
    return PointMatrix(Points(array, name).view());
}

/// What embed() returns to Python.
struct Embedding {
    py::array coordinates;           ///< n x d, C order
    py::array eigenvalues;           ///< d
    py::list component_eigenvalues;  ///< per component of the graph: d, or 0 when left out
    double reconstruction_error = 0.0;
    py::array neighbors;             ///< n x k int64
    py::object weights;              ///< (data, indices, indptr, shape) of W in CSR form, or None
    py::list timings;                ///< [(phase, seconds), ...]
    py::dict solver;                 ///< the eigensolver's status
    std::string neighbor_algorithm;  ///< the search that ran: kd_tree, brute_force or hnsw
    py::object recall;               ///< an approximate search's estimated recall, or None
    py::object recall_sample_size;   ///< the points it was estimated on, or None
    py::object far_points;  ///< sampled points with a neighbour over twice too far, or None
    std::vector<Index> component_sizes;  ///< points per connected component of the graph
    Index duplicate_count = 0;           ///< rows that repeat an earlier row
    py::object rows;         ///< the input rows the coordinates belong to, or None for all
    py::object diagnostics;  ///< per-point diagnostics as a dict of arrays, or None
    std::shared_ptr<Model> model;
};

/// The per-point diagnostics as a dict of NumPy arrays (taking their memory), or None when
/// there are none.
py::object diagnostics_arrays(weights::LocalFitDiagnostics& diagnostics) {
    if (diagnostics.size() == 0) {
        return py::none();
    }
    py::dict arrays;
    arrays["residual"] = adopt(std::move(diagnostics.residual));
    arrays["condition"] = adopt(std::move(diagnostics.condition));
    arrays["regularised"] = adopt(std::move(diagnostics.regularised));
    arrays["kth_distance"] = adopt(std::move(diagnostics.kth_distance));
    return arrays;
}

py::object csr_parts(SparseRowMatrix& weights) {
    if (weights.rows() == 0) {
        return py::none();
    }
    weights.makeCompressed();
    const auto rows = static_cast<py::ssize_t>(weights.rows());
    const auto nonzeros = static_cast<py::ssize_t>(weights.nonZeros());
    return py::make_tuple(py::array_t<double>(nonzeros, weights.valuePtr()),
                          py::array_t<int>(nonzeros, weights.innerIndexPtr()),
                          py::array_t<int>(rows + 1, weights.outerIndexPtr()),
                          py::make_tuple(rows, static_cast<py::ssize_t>(weights.cols())));
}

py::dict solver_status(const embedding::EigenStatus& status) {
    py::dict info;
    info["solver"] = embedding::to_string(status.solver);
    info["converged"] = status.converged;
    info["iterations"] = status.iterations;
    info["operator_applications"] = status.operator_applications;
    info["block_size"] = status.block_size;
    info["factor_nonzeros"] = status.factor_nonzeros;
    info["factorisation"] = status.factorisation == embedding::Factorisation::none
                                ? py::object(py::none())
                                : py::object(py::str(embedding::to_string(status.factorisation)));
    info["shift"] = status.shift;
    info["residual"] = status.max_residual;
    info["orthogonality_error"] = status.orthogonality_error;
    info["message"] = status.message;
    info["fallback"] = status.fallback;
    return info;
}

Embedding embed_points(const py::array& x, Index n_neighbors, Index n_components, double reg,
                       const std::string& method, double hessian_tol, double modified_tol,
                       const std::string& neighbors_algorithm, const std::string& eigen_solver,
                       double tol, Index max_iter, std::uint64_t seed, int n_threads,
                       const std::string& dtype, Index hnsw_m, Index hnsw_ef_construction,
                       Index hnsw_ef, Index hnsw_projection, Index hnsw_candidates,
                       Index recall_sample_size, double min_recall,
                       const std::string& weights_solver, const std::optional<py::array>& init,
                       const std::string& disconnected, bool diagnostics) {
    Parameters parameters;
    parameters.n_neighbors = n_neighbors;
    parameters.n_components = n_components;
    parameters.reg = reg;
    parameters.method = parse_method(method);
    parameters.hessian_tol = hessian_tol;
    parameters.modified_tol = modified_tol;
    parameters.neighbor_algorithm = parse_algorithm(neighbors_algorithm);
    parameters.eigen_solver = parse_solver(eigen_solver);
    parameters.tolerance = tol;
    parameters.max_iterations = max_iter;
    parameters.seed = seed;
    parameters.hnsw.m = hnsw_m;
    parameters.hnsw.ef_construction = hnsw_ef_construction;
    parameters.hnsw.ef_search = hnsw_ef;
    parameters.hnsw.projection = hnsw_projection;
    parameters.hnsw.candidates = hnsw_candidates;
    parameters.hnsw.seed = seed;
    parameters.recall_sample_size = recall_sample_size;
    parameters.min_recall = min_recall;
    parameters.weights_solver = parse_weights_solver(weights_solver);
    parameters.disconnected =
        parse_choice<Disconnected, 3>("disconnected", disconnected,
                                      {{{"error", Disconnected::error},
                                        {"largest", Disconnected::largest},
                                        {"components", Disconnected::components}}});
    if (init) {
        parameters.initial_coordinates = copy_points(*init, "init");
    }
    parameters.diagnostics = diagnostics;
    // Ctrl-C during a fit: Python only sets a flag in its signal handler, which runs when the
    // engine asks between phases and steps (PyErr_CheckSignals raises KeyboardInterrupt; the
    // engine then stops with lle::Interrupted, which leaves that exception to propagate).
    parameters.interrupted = [] {
        const py::gil_scoped_acquire gil;
        return PyErr_CheckSignals() != 0;
    };

    const Points points(x, "X", parse_dtype(dtype));
    Result result;
    std::shared_ptr<Model> model;
    {
        py::gil_scoped_release release;
        ThreadScope threads(n_threads);
        points.visit([&](auto view) {
            result = embed(view, parameters);
            model = std::make_shared<Model>(make_model(view, parameters, result));
        });
    }

    Embedding out;
    out.coordinates = adopt(PointMatrix(result.coordinates));
    out.eigenvalues = adopt(std::move(result.eigenvalues));
    for (Eigen::VectorXd& values : result.component_eigenvalues) {
        out.component_eigenvalues.append(adopt(std::move(values)));
    }
    out.reconstruction_error = result.reconstruction_error;
    out.neighbors = adopt(std::move(result.neighbors.indices));
    out.weights = csr_parts(result.weights);
    for (const PhaseTime& phase : result.timings) {
        out.timings.append(py::make_tuple(phase.name, phase.seconds));
    }
    out.solver = solver_status(result.solver);
    out.neighbor_algorithm = neighbors::to_string(result.neighbor_algorithm);
    out.recall = result.recall ? py::object(py::float_(result.recall->recall)) : py::none();
    out.recall_sample_size =
        result.recall ? py::object(py::int_(result.recall->sample_size)) : py::none();
    out.far_points = result.recall ? py::object(py::int_(result.recall->far_points)) : py::none();
    out.component_sizes = result.component_sizes;
    out.duplicate_count = result.duplicate_count;
    out.rows = result.rows.empty()
                   ? py::object(py::none())
                   : py::object(py::array_t<Index>(static_cast<py::ssize_t>(result.rows.size()),
                                                   result.rows.data()));
    out.diagnostics = diagnostics_arrays(result.diagnostics);
    out.model = std::move(model);
    return out;
}

/// Trustworthiness and continuity of `embedding` with respect to `x`, as a dict.
py::dict quality_of(const py::array& x, const py::array& embedding, Index n_neighbors,
                    Index sample_size, std::uint64_t seed, int n_threads) {
    const Points points(x, "X");
    const DenseMatrix low = copy_points(embedding, "X_embedded");
    if (low.rows() != points.view().rows()) {
        throw py::value_error("X_embedded has " + std::to_string(low.rows()) + " rows, but X has " +
                              std::to_string(points.view().rows()));
    }
    quality::QualityOptions options;
    options.n_neighbors = n_neighbors;
    options.sample_size = sample_size;
    options.seed = seed;
    quality::Quality measured;
    {
        py::gil_scoped_release release;
        ThreadScope threads(n_threads);
        measured = quality::measure_quality(points.view(), low, options);
    }
    py::dict out;
    out["trustworthiness"] = measured.trustworthiness;
    out["continuity"] = measured.continuity;
    out["n_neighbors"] = measured.n_neighbors;
    out["points"] = measured.points;
    out["sample_size"] = measured.sample_size;
    out["exact"] = measured.exact();
    return out;
}

std::shared_ptr<Model> model_from_arrays(const py::array& training_points,
                                         const py::array& embedding, const std::string& method,
                                         Index n_neighbors, double reg, double hessian_tol,
                                         double modified_tol) {
    auto model = std::make_shared<Model>();
    model->method = parse_method(method);
    model->n_neighbors = n_neighbors;
    model->reg = reg;
    model->hessian_tol = hessian_tol;
    model->modified_tol = modified_tol;
    model->training_points = copy_points(training_points, "training_points");
    model->embedding = copy_points(embedding, "embedding");
    const Index n = model->training_points.rows();
    if (model->embedding.rows() != n) {
        throw py::value_error("embedding has " + std::to_string(model->embedding.rows()) +
                              " rows, but training_points has " + std::to_string(n));
    }
    require_parameter(n_neighbors >= 1 && n_neighbors <= n, "k (n_neighbors)",
                      "1 <= k <= n = " + std::to_string(n), std::to_string(n_neighbors));
    require_parameter(reg >= 0.0, "reg", "reg >= 0", std::to_string(reg));
    require_finite_points(model->training_points);
    require_finite_points(model->embedding);
    return model;
}

py::array transform_points(const Model& model, const py::array& x, int n_threads) {
    const Points points(x, "X");
    PointMatrix mapped;
    {
        py::gil_scoped_release release;
        ThreadScope threads(n_threads);
        mapped = transform(model, points.view());
    }
    return adopt(std::move(mapped));
}

py::tuple model_state(const py::object& self) {
    const auto& model = self.cast<const Model&>();
    return py::make_tuple(1, to_string(model.method), model.n_neighbors, model.reg,
                          model.hessian_tol, model.modified_tol,
                          read_only_view(model.training_points, self),
                          read_only_view(model.embedding, self));
}

std::shared_ptr<Model> model_from_state(const py::tuple& state) {
    if (state.size() != 8 || state[0].cast<int>() != 1) {
        throw py::value_error("unsupported lle.Model state (expected format 1 with 8 fields)");
    }
    return model_from_arrays(state[6].cast<py::array>(), state[7].cast<py::array>(),
                             state[1].cast<std::string>(), state[2].cast<Index>(),
                             state[3].cast<double>(), state[4].cast<double>(),
                             state[5].cast<double>());
}

}  // namespace
}  // namespace lle::python

PYBIND11_MODULE(_lle, module) {
    namespace py = pybind11;
    using namespace lle::python;

    module.doc() =
        "The compiled core of the lle package: the LLE family's engine (lle::embed), fitted "
        "models and out-of-sample transform. Most users want lle.LocallyLinearEmbedding.";
    module.attr("__version__") = LLE_VERSION;

    // Base class first: pybind11 tries the translators registered last first.
    py::register_exception_translator([](std::exception_ptr pointer) {
        try {
            if (pointer) {
                std::rethrow_exception(pointer);
            }
        } catch (const lle::Interrupted& interrupted) {
            // The KeyboardInterrupt (or the signal handler's own exception) is set already.
            if (PyErr_Occurred() == nullptr) {
                PyErr_SetString(PyExc_KeyboardInterrupt, interrupted.what());
            }
        } catch (const lle::Error& error) {
            PyErr_SetString(PyExc_RuntimeError, error.what());
        }
    });
    py::register_exception<lle::ParameterError>(module, "ParameterError", PyExc_ValueError)
        .attr("__doc__") =
        "A parameter breaks one of the engine's rules (a ValueError); the message names "
        "the parameter, the rule and the value given.";
    py::register_exception<lle::DataError>(module, "DataError", PyExc_ValueError).attr("__doc__") =
        "The input data cannot be processed, e.g. it holds NaN or infinity (a ValueError); the "
        "message says where.";

    py::class_<lle::Model, std::shared_ptr<lle::Model>>(
        module, "Model",
        "A fitted embedding kept for mapping new points into it: the training points, their "
        "coordinates, the method and its parameters. Pickles with its arrays.")
        .def(py::init(&model_from_arrays), py::arg("training_points"), py::arg("embedding"),
             py::kw_only(), py::arg("method") = "standard", py::arg("n_neighbors") = 5,
             py::arg("reg") = 1e-3, py::arg("hessian_tol") = 1e-4, py::arg("modified_tol") = 1e-12,
             "Builds a model from training points (n x D) and their coordinates (n x d); both "
             "are copied. Raises ValueError when the shapes disagree, n_neighbors is outside "
             "1..n or a value is not finite.")
        .def_property_readonly(
            "method", [](const lle::Model& model) { return lle::to_string(model.method); },
            "The method that made the embedding: 'standard', 'modified', 'hessian' or 'ltsa'.")
        .def_readonly("n_neighbors", &lle::Model::n_neighbors,
                      "Training points each new point is reconstructed from.")
        .def_readonly("reg", &lle::Model::reg, "Regularisation of the reconstruction weights.")
        .def_readonly("hessian_tol", &lle::Model::hessian_tol, "Hessian LLE's tolerance.")
        .def_readonly("modified_tol", &lle::Model::modified_tol, "Modified LLE's tolerance.")
        .def_property_readonly(
            "n_samples", [](const lle::Model& model) { return model.training_points.rows(); },
            "Number of training points, n.")
        .def_property_readonly(
            "n_features", [](const lle::Model& model) { return model.training_points.cols(); },
            "Dimension of the training points, D.")
        .def_property_readonly(
            "n_components", [](const lle::Model& model) { return model.embedding.cols(); },
            "Dimension of the embedding, d.")
        .def_property_readonly(
            "training_points",
            [](const py::object& self) {
                return read_only_view(self.cast<const lle::Model&>().training_points, self);
            },
            "Read-only view of the training points, n x D float64.")
        .def_property_readonly(
            "embedding",
            [](const py::object& self) {
                return read_only_view(self.cast<const lle::Model&>().embedding, self);
            },
            "Read-only view of the training points' coordinates, n x d float64.")
        .def("transform", &transform_points, py::arg("X"), py::kw_only(), py::arg("n_threads") = 0,
             "Maps new points (m x D, float32 or float64, any order) into the embedding and "
             "returns their coordinates (m x d float64). Each point is reconstructed from its "
             "n_neighbors nearest training points with regularised barycentric weights and "
             "placed at the same combination of their coordinates; a point equal to a training "
             "point lands on its coordinates. n_threads <= 0 uses one thread per processor. "
             "Releases the GIL while it computes.")
        .def(py::pickle(&model_state, &model_from_state));

    py::class_<Embedding>(module, "Embedding",
                          "What embed() returns: the coordinates and what was learned on the way.")
        .def_readonly("coordinates", &Embedding::coordinates,
                      "n x d float64, C order: row i is the embedding of point i.")
        .def_readonly("eigenvalues", &Embedding::eigenvalues,
                      "The d eigenvalues whose eigenvectors are the coordinates' columns; on a "
                      "disconnected graph, the largest component's.")
        .def_readonly("component_eigenvalues", &Embedding::component_eigenvalues,
                      "Each connected component's d eigenvalues, in the order of "
                      "component_sizes (an empty array for a component left out by "
                      "disconnected='largest'); one entry when the graph is connected.")
        .def_readonly("reconstruction_error", &Embedding::reconstruction_error,
                      "Sum of the eigenvalues; on a disconnected graph, of every embedded "
                      "component's (component_eigenvalues).")
        .def_readonly("neighbors", &Embedding::neighbors,
                      "n x k int64: the k nearest neighbours of each point, nearest first.")
        .def_readonly("weights", &Embedding::weights,
                      "Standard LLE's weight matrix W as (data, indices, indptr, shape) in CSR "
                      "form (int32 indices); None for the other methods.")
        .def_readonly("timings", &Embedding::timings,
                      "List of (phase, seconds) in the order the phases ran, 'total' last.")
        .def_readonly(
            "solver", &Embedding::solver,
            "The eigensolver's status: solver, converged, iterations, "
            "operator_applications, block_size (vectors the sparse solver's operator is applied to "
            "at once), factor_nonzeros, factorisation ('lu' of I - W, "
            "'cholesky' of M + shift I, or None for dense and gradient), shift, "
            "residual, orthogonality_error, message, fallback.")
        .def_readonly("neighbor_algorithm", &Embedding::neighbor_algorithm,
                      "The neighbour search that ran: 'kd_tree', 'brute_force' or 'hnsw'.")
        .def_readonly("recall", &Embedding::recall,
                      "An approximate search's estimated recall@k (the fraction of the sampled "
                      "points' true k nearest neighbours it found, ties at the k-th distance "
                      "counted as found); None for an exact search.")
        .def_readonly("recall_sample_size", &Embedding::recall_sample_size,
                      "The points the recall was estimated on; None for an exact search.")
        .def_readonly("far_points", &Embedding::far_points,
                      "Of those, the points with a neighbour more than twice as far as their "
                      "true k-th nearest (a join of distant parts of the data); None for an "
                      "exact search.")
        .def_readonly("component_sizes", &Embedding::component_sizes,
                      "Points in each connected component of the neighbour graph.")
        .def_readonly("duplicate_count", &Embedding::duplicate_count,
                      "Rows that repeat an earlier row exactly; each was embedded with its "
                      "original.")
        .def_readonly("rows", &Embedding::rows,
                      "The input rows the coordinates belong to (disconnected='largest'), or "
                      "None when every row was embedded.")
        .def_readonly("diagnostics", &Embedding::diagnostics,
                      "With diagnostics=True, each input row's local fit as a dict of arrays "
                      "of n values: 'residual' (|x_i - sum_j w_ij x_j| with the barycentric "
                      "weights), 'condition' (condition number of the local Gram matrix before "
                      "regularisation, inf when singular), 'regularised' (bool: its smallest "
                      "eigenvalue below reg * trace) and 'kth_distance'; None otherwise.")
        .def_readonly("model", &Embedding::model,
                      "A Model of this embedding, for transform (holds a copy of the points).");

    module.def(
        "embed", &embed_points, py::arg("X"), py::kw_only(), py::arg("n_neighbors") = 5,
        py::arg("n_components") = 2, py::arg("reg") = 1e-3, py::arg("method") = "standard",
        py::arg("hessian_tol") = 1e-4, py::arg("modified_tol") = 1e-12,
        py::arg("neighbors_algorithm") = "auto", py::arg("eigen_solver") = "auto",
        py::arg("tol") = 1e-10, py::arg("max_iter") = 1000, py::arg("seed") = 0,
        py::arg("n_threads") = 0, py::arg("dtype") = "float64",
        py::arg("hnsw_m") = lle::neighbors::HnswOptions{}.m,
        py::arg("hnsw_ef_construction") = lle::neighbors::HnswOptions{}.ef_construction,
        py::arg("hnsw_ef") = lle::neighbors::HnswOptions{}.ef_search,
        py::arg("hnsw_projection") = lle::neighbors::HnswOptions{}.projection,
        py::arg("hnsw_candidates") = lle::neighbors::HnswOptions{}.candidates,
        py::arg("recall_sample_size") = lle::Parameters{}.recall_sample_size,
        py::arg("min_recall") = lle::Parameters{}.min_recall, py::arg("weights_solver") = "closed",
        py::arg("init") = py::none(), py::arg("disconnected") = "error",
        py::arg("diagnostics") = false,
        "Embeds the rows of X (n x D, float32 or float64, any order; an array of dtype "
        "`dtype` in C order, or a slice of its rows or columns, is read without a copy) "
        "in the precision dtype 'float64' | 'float32' (float32: half the memory for the "
        "points, the neighbour search in single precision, the weights, cost matrix and "
        "eigensolve in double; the model still holds a float64 copy) with the engine's "
        "own parameter names and defaults: method 'standard' | 'modified' | 'hessian' | "
        "'ltsa', neighbors_algorithm 'auto' | 'exact' | 'kd_tree' | 'brute' | 'hnsw' ('auto' "
        "picks hnsw, approximate, for many points in more than 15 dimensions; 'exact' "
        "the kd-tree or brute force by dimension), hnsw_m, hnsw_ef_construction and "
        "hnsw_ef the HNSW graph's knobs, hnsw_projection the principal directions it searches "
        "in (0 automatic, -1 none) and hnsw_candidates the candidates re-ranked per point (0: "
        "4 k), recall_sample_size the points an approximate "
        "search's recall is estimated on, min_recall the estimate below which 'auto' "
        "searches exactly after all, weights_solver 'closed' | 'gradient' (standard LLE's "
        "weights by Cholesky or projected conjugate gradient), eigen_solver 'auto' | 'dense' | "
        "'sparse' | 'gradient' (LOBPCG), init an n x c array of starting coordinates for the "
        "gradient eigensolver (a warm start), disconnected 'error' | 'largest' | 'components' "
        "(a neighbour graph in several components: an error, the largest alone, or each on its "
        "own side by side), diagnostics (also diagnose each point's local fit, see "
        "Embedding.diagnostics), tol and "
        "max_iter of the sparse solver, seed of its start vector, n_threads <= 0 for one "
        "thread per processor. Releases the GIL while it computes. Raises ParameterError or "
        "DataError (both ValueError) for invalid parameters or data. An eigensolver that "
        "fails is reported in solver, not raised.");

    module.def("measure_quality", &quality_of, py::arg("X"), py::arg("X_embedded"), py::kw_only(),
               py::arg("n_neighbors") = 5, py::arg("sample_size") = 0, py::arg("seed") = 0,
               py::arg("n_threads") = 0,
               "Trustworthiness and continuity at n_neighbors of X_embedded (n x d) with "
               "respect to X (n x D), as a dict with 'trustworthiness', 'continuity', "
               "'n_neighbors', 'points', 'sample_size' and 'exact'. sample_size 0 sums over "
               "every point up to 10,000 points and over 1,000 random ones above; N > 0 over "
               "min(N, n) random ones (seeded by seed). Needs 1 <= n_neighbors < n / 2 "
               "(ParameterError). Releases the GIL while it computes.");

    module.def(
        "_points_address",
        [](const py::array& x, const std::string& dtype) {
            const Points points(x, "X", parse_dtype(dtype));
            return py::make_tuple(reinterpret_cast<std::uintptr_t>(points.data()), points.copied());
        },
        py::arg("X"), py::arg("dtype") = "float64",
        "Testing hook: (address of the first value the engine would read, whether X was "
        "copied) for the array X, converted exactly as embed() (with this dtype) and "
        "transform() (float64) convert it.");
}
