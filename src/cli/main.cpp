// The `lle` command: embeds a point set read from a file (or a generated swiss roll) and writes
// the coordinates. Exit codes: 0 success, 1 bad data or numerical failure, 2 usage error.

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "cli/progress_display.hpp"
#include "cli/report.hpp"
#include "cli/system.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "io/diagnostics_csv.hpp"
#include "io/labels.hpp"
#include "io/matrix_market.hpp"
#include "io/model_file.hpp"
#include "io/npy.hpp"
#include "io/plot.hpp"
#include "io/read_points.hpp"
#include "lle/base/error.hpp"
#include "lle/base/threads.hpp"
#include "lle/base/timer.hpp"
#include "lle/datasets/swiss_roll.hpp"
#include "lle/methods/embed.hpp"
#include "lle/methods/memory.hpp"
#include "lle/methods/model.hpp"
#include "lle/quality/trustworthiness.hpp"

namespace {

/// Whether stderr is a terminal, where a progress line may be showing; set once at start, so
/// that the signal handler need not ask.
volatile std::sig_atomic_t stderr_is_terminal = 0;

constexpr int exit_success = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

/// A usage error found after parsing (an unsupported extension, say): exit code 2.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

const std::map<std::string, lle::Method> methods = {{"standard", lle::Method::standard},
                                                    {"modified", lle::Method::modified},
                                                    {"hessian", lle::Method::hessian},
                                                    {"ltsa", lle::Method::ltsa}};
const std::map<std::string, lle::embedding::Solver> eigen_solvers = {
    {"auto", lle::embedding::Solver::automatic},
    {"dense", lle::embedding::Solver::dense},
    {"sparse", lle::embedding::Solver::sparse},
    {"gradient", lle::embedding::Solver::gradient}};
const std::map<std::string, lle::embedding::Preconditioner> preconditioners = {
    {"cholesky", lle::embedding::Preconditioner::cholesky},
    {"incomplete-cholesky", lle::embedding::Preconditioner::incomplete_cholesky},
    {"none", lle::embedding::Preconditioner::none}};
const std::map<std::string, std::string> dtypes = {{"float32", "float32"}, {"float64", "float64"}};
const std::map<std::string, lle::Disconnected> disconnected_modes = {
    {"error", lle::Disconnected::error},
    {"largest", lle::Disconnected::largest},
    {"components", lle::Disconnected::components}};
const std::map<std::string, lle::weights::Solver> weights_solvers = {
    {"closed", lle::weights::Solver::closed}, {"gradient", lle::weights::Solver::gradient}};

const std::map<std::string, lle::neighbors::Algorithm> neighbor_searches = {
    {"auto", lle::neighbors::Algorithm::automatic},
    {"exact", lle::neighbors::Algorithm::exact},
    {"hnsw", lle::neighbors::Algorithm::hnsw}};

/// What reaches stderr: `quiet` errors only; `normal` adds the progress and the summary;
/// `verbose` (-v) the library's remarks and warnings (LogLevel::info and up); `debug` (-vv)
/// its LogLevel::debug lines too (each step's time and size, each iteration's residuals).
enum class Verbosity { quiet, normal, verbose, debug };

struct EmbedOptions {
    std::string input;
    std::string output;
    std::string weights_output;
    std::string report_output;
    std::string model_output;
    std::string plot_output;
    std::string labels_input;
    std::string diagnostics_output;
    bool quality = false;
    lle::Index quality_k = 0;       ///< 0: the run's k
    lle::Index quality_sample = 0;  ///< 0: automatic
    lle::io::TableSelection selection;
    lle::Index limit = 0;
    lle::Index samples = 3000;
    int threads = 0;
    std::string memory_limit = "available";
    std::string method = "standard";
    std::string eigen_solver = "auto";
    std::string preconditioner = "cholesky";
    std::string initial_coordinates;
    std::string weights_solver = "closed";
    std::string dtype = "float64";
    std::string neighbors = "auto";
    std::string disconnected = "error";
    int verbose_flags = 0;
    bool quiet = false;
    /// Options given on the command line that only one solver or search reads, by name.
    std::vector<std::string> given;
    lle::Parameters parameters;
};

std::string lower_extension(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

/// Fails before any work when the coordinates' file has an extension we do not write, or
/// cannot be created.
void check_coordinates_path(const std::string& path) {
    if (!path.empty()) {
        const std::string extension = lower_extension(path);
        if (extension != ".csv" && extension != ".npy") {
            throw UsageError("--output " + path + ": unsupported extension (use .csv or .npy)");
        }
        lle::io::check_writable(path);
    }
}

/// An option naming a file and the name given.
using FileOption = std::pair<const char*, std::string>;

/// The files a run writes, by option (an empty name where the option is not in use).
std::vector<FileOption> output_files(const EmbedOptions& options) {
    return {{"--output", options.output},        {"--save-weights", options.weights_output},
            {"--report", options.report_output}, {"--save-model", options.model_output},
            {"--plot", options.plot_output},     {"--diagnostics", options.diagnostics_output}};
}

/// The files a run reads besides its model, by option.
std::vector<FileOption> input_files(const EmbedOptions& options) {
    return {{"INPUT", options.input},
            {"--labels", options.labels_input},
            {"--init", options.initial_coordinates}};
}

/// Fails when one of `files` was given on the command line (its name is in `given`) with an
/// empty name.
void require_file_names(const std::vector<FileOption>& files,
                        const std::vector<std::string>& given) {
    for (const auto& [option, path] : files) {
        if (path.empty() && std::find(given.begin(), given.end(), option) != given.end()) {
            throw UsageError(std::string(option) + ": the file name is empty");
        }
    }
}

/// Fails before any work when an output names a file the run reads (the same file under any
/// name: through a symbolic or a hard link too). Each output replaces its file only at the
/// end, so the input would otherwise be read whole and then lost.
void check_not_an_input(const std::string& option, const std::string& output,
                        const std::vector<FileOption>& inputs) {
    for (const auto& [input_option, input] : inputs) {
        std::error_code error;
        if (!output.empty() && !input.empty() &&
            std::filesystem::equivalent(output, input, error)) {
            throw UsageError(option + " " + output + ": the same file as " + input_option + " " +
                             input + ", which the run reads; write to another file");
        }
    }
}

/// Fails before any work when an output's extension names no format we write.
void check_output_paths(const EmbedOptions& options) {
    check_coordinates_path(options.output);
    if (!options.weights_output.empty() && lower_extension(options.weights_output) != ".mtx") {
        throw UsageError("--save-weights " + options.weights_output +
                         ": unsupported extension (use .mtx, Matrix Market)");
    }
    if (!options.weights_output.empty() && options.method != "standard") {
        throw UsageError("--save-weights: the " + options.method +
                         " method has no weight matrix W (only standard LLE does)");
    }
    if (!options.report_output.empty() && lower_extension(options.report_output) != ".json") {
        throw UsageError("--report " + options.report_output +
                         ": unsupported extension (use .json)");
    }
    if (!options.plot_output.empty() && !lle::io::plot_format(options.plot_output)) {
        throw UsageError("--plot " + options.plot_output +
                         ": unsupported extension (use .png or .svg)");
    }
    if (!options.labels_input.empty() && options.plot_output.empty()) {
        throw UsageError("--labels " + options.labels_input +
                         ": labels colour the plot only; give --plot too");
    }
    if (!options.labels_input.empty() && options.selection.label_column) {
        throw UsageError("--labels and --label-column both give labels; choose one");
    }
    if (!options.diagnostics_output.empty() &&
        lower_extension(options.diagnostics_output) != ".csv") {
        throw UsageError("--diagnostics " + options.diagnostics_output +
                         ": unsupported extension (use .csv)");
    }
    const std::vector<FileOption> inputs = input_files(options);
    std::vector<std::filesystem::path> outputs;
    for (const auto& [option, path] : output_files(options)) {
        if (path.empty()) {
            continue;
        }
        check_not_an_input(option, path, inputs);
        lle::io::check_writable(path);
        const std::filesystem::path normal = std::filesystem::absolute(path).lexically_normal();
        if (std::find(outputs.begin(), outputs.end(), normal) != outputs.end()) {
            throw UsageError(path + ": given for two outputs; each needs a file of its own");
        }
        outputs.push_back(normal);
    }
}

/// Writes the coordinates to `path`, added to `output`, or to stdout at once when `path` is
/// empty.
void write_coordinates(lle::io::OutputSet& output, const std::string& path,
                       const lle::DenseMatrix& coordinates) {
    if (path.empty()) {
        lle::io::write_csv(std::cout, coordinates);
        std::cout.flush();
        if (!std::cout) {
            throw lle::DataError("standard output: cannot write the coordinates (" +
                                 std::string(std::strerror(errno)) + ")");
        }
        return;
    }
    const bool npy = lower_extension(path) == ".npy";
    output.add(path, [&](std::ostream& out) {
        if (npy) {
            lle::io::write_npy(out, coordinates);
        } else {
            lle::io::write_csv(out, coordinates);
        }
    });
}

/// `--memory-limit`: "available" (what the machine has free now), "none", or a size such as
/// 512M, 8G, 1.5GiB or a plain number of bytes; 0 for none.
double memory_limit_bytes(const std::string& text) {
    if (text == "available") {
        return lle::cli::available_memory_bytes();
    }
    if (text == "none") {
        return 0.0;
    }
    std::size_t used = 0;
    double value = -1.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
    }
    std::string unit = text.substr(std::min(used, text.size()));
    std::transform(unit.begin(), unit.end(), unit.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::map<std::string, double> units = {
        {"", 1.0},       {"B", 1.0},    {"K", 0x1p10},   {"KB", 1e3},    {"KIB", 0x1p10},
        {"M", 0x1p20},   {"MB", 1e6},   {"MIB", 0x1p20}, {"G", 0x1p30},  {"GB", 1e9},
        {"GIB", 0x1p30}, {"T", 0x1p40}, {"TB", 1e12},    {"TIB", 0x1p40}};
    const auto factor = units.find(unit);
    if (!(value > 0.0) || !std::isfinite(value) || factor == units.end()) {
        throw UsageError(
            "--memory-limit: expected 'available', 'none' or a positive size such "
            "as 512M or 8G (got '" +
            text + "')");
    }
    return value * factor->second;
}

/// `--quality`'s options for the run's points.
lle::quality::QualityOptions quality_options(const EmbedOptions& options) {
    lle::quality::QualityOptions quality;
    quality.n_neighbors =
        options.quality_k > 0 ? options.quality_k : options.parameters.n_neighbors;
    quality.sample_size = options.quality_sample;
    quality.seed = options.parameters.seed;
    return quality;
}

/// Trustworthiness and continuity of the embedding, timed as the phase "quality": its time is
/// added to `result.timings`, before and into the total.
template <typename Scalar>
lle::quality::Quality quality_of(const EmbedOptions& options,
                                 const lle::PointMatrixOf<Scalar>& points, lle::Result& result) {
    const lle::ProgressSink& sink = options.parameters.progress;
    const lle::Stopwatch clock;
    lle::ProgressMeter progress(sink, "quality", "points");
    lle::quality::QualityOptions quality = quality_options(options);
    quality.rows = result.rows;
    quality.progress = &progress;
    const lle::quality::Quality measured =
        lle::quality::measure_quality(points, result.coordinates, quality);
    const double seconds = clock.seconds();
    if (sink) {
        sink({"quality", {}, 0, 0, seconds, true});
    }
    lle::PhaseTimes& timings = result.timings;
    const auto total =
        std::find_if(timings.begin(), timings.end(),
                     [](const lle::PhaseTime& phase) { return phase.name == "total"; });
    if (total != timings.end()) {
        total->seconds += seconds;
    }
    timings.insert(total, {"quality", seconds});
    return measured;
}

/// Reads (or generates) the points in `Scalar` precision, embeds them and writes every output.
template <typename Scalar>
int embed_as(EmbedOptions& options, Verbosity verbosity, const lle::cli::PhaseRecorder& recorder) {
    lle::cli::InputDescription input;
    input.dtype = options.dtype;
    lle::PointMatrixOf<Scalar> points;
    std::vector<double> labels;
    if (options.input.empty()) {
        // The shape is known before the points exist: a run that cannot fit stops before
        // generating them.
        lle::require_memory(lle::estimate_memory(options.parameters, options.samples, 3,
                                                 static_cast<lle::Index>(sizeof(Scalar))),
                            options.parameters.memory_limit, options.samples);
        points = lle::datasets::swiss_roll(options.samples, 0.0, options.parameters.seed)
                     .points.template cast<Scalar>();
        input.source = fmt::format("generated swiss roll, seed {}", options.parameters.seed);
    } else {
        // The points alone must fit in the memory limit: checked before a binary file's points
        // are allocated and as a text file's rows arrive, so that a small compressed file
        // cannot fill the machine before the estimate below is made.
        lle::io::TableSelection selection = options.selection;
        selection.max_bytes = options.parameters.memory_limit;
        lle::io::TableOf<Scalar> table;
        try {
            table = lle::io::read_points<Scalar>(options.input, selection);
        } catch (const lle::ResourceError& error) {
            throw lle::ResourceError(std::string(error.what()) +
                                     " (--limit N reads the first N rows; --memory-limit sets "
                                     "the limit)");
        }
        points = std::move(table.points);
        labels = std::move(table.labels);
        input.source = options.input;
    }
    input.points = points.rows();
    input.dimension = points.cols();
    if (!options.plot_output.empty()) {
        lle::io::check_plot_size(options.plot_output, points.rows());
    }
    if (!options.labels_input.empty()) {
        // --limit reads the first N labels too; without it, one label more than the points is
        // enough to know the file has too many.
        labels = lle::io::read_labels(options.labels_input,
                                      options.selection.limit.value_or(points.rows() + 1));
        const auto count = static_cast<lle::Index>(labels.size());
        if (count != points.rows()) {
            throw lle::DataError(fmt::format(
                "--labels {}: {} labels, but the input has {} points", options.labels_input,
                count > points.rows() ? "more than " + std::to_string(points.rows())
                                      : std::to_string(count),
                points.rows()));
        }
    }
    if (!options.initial_coordinates.empty()) {
        const lle::PointMatrix initial = lle::io::read_points(options.initial_coordinates).points;
        if (initial.rows() != points.rows()) {
            throw UsageError(fmt::format("--init {}: {} rows, but the input has {} points",
                                         options.initial_coordinates, initial.rows(),
                                         points.rows()));
        }
        options.parameters.initial_coordinates = initial;
    }

    if (options.quality) {
        lle::quality::validate(quality_options(options), points.rows(), points.rows());
    }

    auto resources = [&] {
        return lle::cli::Resources{lle::thread_count(), options.parameters.memory_limit,
                                   lle::cli::peak_resident_bytes(), recorder.phases()};
    };
    lle::Result result = lle::embed(points, options.parameters);
    const lle::weights::IterationSummary& iterations = result.weight_iterations;
    if (iterations.unconverged > 0) {
        fmt::print(std::cerr,
                   "lle: error: weights solver gradient: {} of {} points did not reach the "
                   "tolerance {:g} within --weights-max-iter {} (first: point {}); raise it or "
                   "use --weights-solver closed\n",
                   iterations.unconverged, points.rows(), options.parameters.weights_tolerance,
                   options.parameters.weights_max_iterations, iterations.first_unconverged);
        return exit_failure;
    }
    if (!result.solver.converged) {
        fmt::print(std::cerr, "lle: error: eigensolver {} failed: {}\n",
                   lle::embedding::to_string(result.solver.solver), result.solver.message);
        return exit_failure;
    }

    std::optional<lle::quality::Quality> quality;
    if (options.quality) {
        quality = quality_of<Scalar>(options, points, result);
    }

    // Every output is written to a temporary file first and all are renamed together at the
    // end: an error or an interrupt leaves none of them, not some new and some old.
    lle::io::OutputSet output;
    if (!options.output.empty()) {
        write_coordinates(output, options.output, result.coordinates);
    }
    if (!options.diagnostics_output.empty()) {
        output.add(options.diagnostics_output, [&](std::ostream& out) {
            lle::io::write_diagnostics_csv(out, result.diagnostics, labels);
        });
    }
    if (!options.weights_output.empty()) {
        output.add(options.weights_output,
                   [&](std::ostream& out) { lle::io::write_matrix_market(out, result.weights); });
    }
    double plot_seconds = 0.0;
    if (!options.plot_output.empty()) {
        const lle::Stopwatch plot_watch;
        const lle::io::EmbeddingPlot plot =
            lle::io::embedding_plot(result.coordinates, result.rows, points.rows(), labels,
                                    options.parameters.method, options.parameters.n_neighbors);
        lle::io::write_plot(output, options.plot_output, plot.points, plot.description);
        plot_seconds = plot_watch.seconds();
    }
    if (!options.model_output.empty()) {
        const lle::Model model = lle::make_model(points, options.parameters, result);
        output.add(options.model_output,
                   [&](std::ostream& out) { lle::io::write_model(out, model); });
    }
    if (!options.report_output.empty()) {
        output.add(options.report_output, [&](std::ostream& out) {
            lle::cli::write_json_report(out, input, options.parameters, resources(), result,
                                        quality);
        });
    }
    if (options.output.empty()) {
        write_coordinates(output, options.output, result.coordinates);
    }
    output.commit();
    if (verbosity != Verbosity::quiet) {
        lle::cli::write_summary(std::cerr, input, options.parameters, resources(), result, quality);
        if (!options.plot_output.empty()) {
            fmt::print(std::cerr, "lle: plot: {} ({:.3f} s)\n", options.plot_output, plot_seconds);
        }
    }
    return exit_success;
}

/// Fails when an option was given that the chosen solver or search would silently ignore.
void check_options_apply(const EmbedOptions& options) {
    auto given = [&](const char* name) {
        return std::find(options.given.begin(), options.given.end(), name) != options.given.end();
    };
    require_file_names(output_files(options), options.given);
    require_file_names(input_files(options), options.given);
    if (given("--samples") && !options.input.empty()) {
        throw UsageError("--samples sizes the generated swiss roll; with INPUT " + options.input +
                         " the points come from the file");
    }
    const bool gradient_eigensolver =
        options.eigen_solver == "gradient" ||
        (options.eigen_solver == "auto" && !options.initial_coordinates.empty());
    if (given("--preconditioner") && !gradient_eigensolver) {
        throw UsageError(
            "--preconditioner applies to the gradient eigensolver only "
            "(--eigen-solver gradient, or auto with --init); the " +
            options.eigen_solver + " solver would ignore it");
    }
    if (!options.initial_coordinates.empty() && !gradient_eigensolver) {
        throw UsageError(fmt::format(
            "--init {}: starting coordinates are for the gradient eigensolver only, and "
            "--eigen-solver {} would ignore them; use --eigen-solver gradient (or auto), or leave "
            "out --init",
            options.initial_coordinates, options.eigen_solver));
    }
    for (const char* name : {"--weights-tol", "--weights-max-iter"}) {
        if (given(name) && options.weights_solver != "gradient") {
            throw UsageError(std::string(name) +
                             " applies to --weights-solver gradient only; the closed form "
                             "would ignore it");
        }
    }
    for (const char* name : {"--quality-k", "--quality-sample"}) {
        if (given(name) && !options.quality) {
            throw UsageError(std::string(name) + " applies to --quality only");
        }
    }
    for (const char* name : {"--hnsw-m", "--hnsw-ef-construction", "--hnsw-ef", "--hnsw-projection",
                             "--hnsw-candidates"}) {
        if (given(name) && options.neighbors == "exact") {
            throw UsageError(std::string(name) +
                             " applies to the hnsw search only; --neighbors exact would "
                             "ignore it");
        }
    }
}

int run_embed(EmbedOptions& options) {
    check_options_apply(options);
    // The generated swiss roll's plot goes next to its coordinates unless asked otherwise.
    if (options.input.empty() && options.plot_output.empty() && !options.output.empty()) {
        options.plot_output = std::filesystem::path(options.output).replace_extension(".png");
    }
    if (options.plot_output == "none") {
        options.plot_output.clear();
    }
    check_output_paths(options);
    options.parameters.memory_limit = memory_limit_bytes(options.memory_limit);
    // The estimate counts the whole process: its code and libraries, resident already (10 MiB
    // here), and the threads' stacks and BLAS's buffers that may start with the work (8 MiB
    // more measured at 100,000 points, at most 3 MiB at 3,000; 10 MiB counted, except by the
    // lower bound before the run). A size bounds all of it; what is available is free beside
    // what is resident.
    const double resident = lle::cli::resident_bytes();
    options.parameters.memory_in_use = resident;
    lle::require_room_beyond_the_program(options.parameters.memory_limit, resident);
    options.parameters.memory_reserve = 10.0 * 1024 * 1024;
    if (options.memory_limit == "available" && options.parameters.memory_limit > 0.0) {
        options.parameters.memory_limit += resident;
    }
    options.parameters.method = methods.at(options.method);
    options.parameters.eigen_solver = eigen_solvers.at(options.eigen_solver);
    options.parameters.preconditioner = preconditioners.at(options.preconditioner);
    options.parameters.weights_solver = weights_solvers.at(options.weights_solver);
    options.parameters.neighbor_algorithm = neighbor_searches.at(options.neighbors);
    options.parameters.disconnected = disconnected_modes.at(options.disconnected);
    options.parameters.hnsw.seed = options.parameters.seed;
    // Asked for by name only: a report describes the run and does not add work to it.
    options.parameters.diagnostics = !options.diagnostics_output.empty();
    lle::set_thread_count(options.threads);
    const Verbosity verbosity = options.quiet                ? Verbosity::quiet
                                : options.verbose_flags >= 2 ? Verbosity::debug
                                : options.verbose_flags == 1 ? Verbosity::verbose
                                                             : Verbosity::normal;
    // One display for every copy of the sink, so that a phase's last line knows of its bar;
    // the library's remarks go through it too, each on a line of its own.
    winsize window{};
    const bool terminal = stderr_is_terminal != 0;
    const int columns =
        terminal && ioctl(STDERR_FILENO, TIOCGWINSZ, &window) == 0 ? window.ws_col : 0;
    lle::cli::ProgressDisplay display(stderr, terminal, 1.0, columns);
    if (verbosity == Verbosity::verbose || verbosity == Verbosity::debug) {
        const bool debug = verbosity == Verbosity::debug;
        options.parameters.log = [debug, &display](lle::LogLevel level, std::string_view message) {
            if (debug || level != lle::LogLevel::debug) {
                display.message(fmt::format("lle: {}", message));
            }
        };
    }
    // Every phase's end is noted with the peak memory by then, for --report.
    lle::cli::PhaseRecorder recorder;
    if (verbosity != Verbosity::quiet) {
        recorder = lle::cli::PhaseRecorder(
            [&display](const lle::Progress& progress) { display(progress); });
    }
    options.parameters.progress = [&recorder](const lle::Progress& progress) {
        recorder(progress);
    };
    if (options.limit > 0) {
        options.selection.limit = options.limit;
    }
    return options.dtype == "float32" ? embed_as<float>(options, verbosity, recorder)
                                      : embed_as<double>(options, verbosity, recorder);
}

struct TransformOptions {
    std::string model;
    std::string input;
    std::string output;
    lle::io::TableSelection selection;
    lle::Index limit = 0;
    int threads = 0;
    bool quiet = false;
    /// Options given on the command line, by name.
    std::vector<std::string> given;
};

int run_transform(TransformOptions& options) {
    require_file_names(
        {{"--model", options.model}, {"INPUT", options.input}, {"--output", options.output}},
        options.given);
    check_not_an_input("--output", options.output,
                       {{"INPUT", options.input}, {"--model", options.model}});
    check_coordinates_path(options.output);
    lle::set_thread_count(options.threads);
    if (options.limit > 0) {
        options.selection.limit = options.limit;
    }
    const lle::Model model = lle::io::read_model(options.model);
    const lle::PointMatrix points = lle::io::read_points(options.input, options.selection).points;
    if (points.cols() != model.training_points.cols()) {
        throw lle::DataError(fmt::format("{}: {} columns, but the model was fitted on {}",
                                         options.input, points.cols(),
                                         model.training_points.cols()));
    }
    lle::Stopwatch stopwatch;
    const lle::PointMatrix mapped = lle::transform(model, points);
    const double seconds = stopwatch.seconds();
    lle::io::OutputSet output;
    write_coordinates(output, options.output, mapped);
    output.commit();
    if (!options.quiet) {
        fmt::print(std::cerr,
                   "lle: mapped {} points into the {}-dimensional {} embedding of {} points "
                   "(k = {}) in {:.3f} s\n",
                   points.rows(), model.embedding.cols(), lle::to_string(model.method),
                   model.training_points.rows(), model.n_neighbors, seconds);
    }
    return exit_success;
}

/// Accepts numbers no smaller than `minimum`; anything that is not a number is left to the
/// option's own conversion, which names the option and the value.
/// More threads than this is a mistake, not a request: each costs a stack and OpenMP state.
constexpr int max_threads = lle::max_thread_count;

/// More iterations than this is a typo, not a plan: a billion steps would run for days.
constexpr double max_iterations = 1e9;

CLI::Validator within(double minimum, double maximum) {
    const std::string rule = fmt::format("must be at least {} and at most {}", minimum, maximum);
    return CLI::Validator(
        [minimum, maximum, rule](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || (value >= minimum && value <= maximum)) {
                return {};
            }
            return rule + " (got " + text + ")";
        },
        fmt::format("{} to {}", minimum, maximum));
}

/// Accepts numbers no smaller than `minimum`, like within().
CLI::Validator at_least(double minimum) {
    const std::string bound = fmt::format("{}", minimum);
    return CLI::Validator(
        [minimum, bound](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || value >= minimum) {
                return {};
            }
            return "must be at least " + bound + " (got " + text + ")";
        },
        ">= " + bound);
}

void add_input_options(CLI::App* command, lle::io::TableSelection& selection, lle::Index& limit) {
    const std::string input_group = "Input";
    command
        ->add_option("--columns", selection.columns,
                     "Feature columns of a CSV/TSV, from 0, e.g. 0,3,5 (default: all)")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->check(at_least(0))
        ->group(input_group);
    command
        ->add_option("--label-column", selection.label_column,
                     "CSV/TSV column set aside as labels, from 0")
        ->check(at_least(0))
        ->group(input_group);
    command->add_option("--limit", limit, "Read only the first N points")
        ->check(at_least(1))
        ->group(input_group);
}

void add_embed_command(CLI::App& app, EmbedOptions& options) {
    CLI::App* embed = app.add_subcommand(
        "embed", "Embed points in fewer dimensions. Without INPUT, embeds a generated swiss roll.");
    lle::Parameters& parameters = options.parameters;
    parameters.n_neighbors = 10;

    embed->add_option("INPUT", options.input,
                      "Points, one per row: .csv/.tsv (optionally .gz), .npy, or IDX (MNIST)");
    embed->add_option("-o,--output", options.output,
                      "Coordinates file, .csv or .npy (default: CSV on stdout)");

    const std::string method_group = "Method";
    embed->add_option("-k,--n-neighbors", parameters.n_neighbors, "Neighbours per point")
        ->check(at_least(1))
        ->capture_default_str()
        ->group(method_group);
    embed->add_option("-d,--n-components", parameters.n_components, "Embedding dimension")
        ->check(at_least(1))
        ->capture_default_str()
        ->group(method_group);
    embed->add_option("--method", options.method, "Method of the LLE family")
        ->transform(CLI::IsMember(methods, CLI::ignore_case))
        ->capture_default_str()
        ->group(method_group);
    embed->add_option("--reg", parameters.reg, "Weight regularisation, times trace(C)")
        ->check(at_least(0))
        ->capture_default_str()
        ->group(method_group);
    embed
        ->add_option("--weights-solver", options.weights_solver,
                     "Standard LLE's weights: closed (Cholesky) or gradient (projected "
                     "conjugate gradient)")
        ->transform(CLI::IsMember(weights_solvers, CLI::ignore_case))
        ->capture_default_str()
        ->group(method_group);
    embed
        ->add_option("--weights-tol", parameters.weights_tolerance,
                     "Gradient weights: stop when the projected gradient is this fraction of 2|w| "
                     "(C scaled to unit trace)")
        ->check(within(1e-300, 1.0))
        ->capture_default_str()
        ->group(method_group);
    embed
        ->add_option("--weights-max-iter", parameters.weights_max_iterations,
                     "Gradient weights: steps per point at most")
        ->check(within(1, max_iterations))
        ->capture_default_str()
        ->group(method_group);
    embed->add_option("--hessian-tol", parameters.hessian_tol, "Hessian LLE's tolerance")
        ->check(at_least(0))
        ->capture_default_str()
        ->group(method_group);
    embed->add_option("--modified-tol", parameters.modified_tol, "Modified LLE's tolerance")
        ->check(at_least(0))
        ->capture_default_str()
        ->group(method_group);

    const std::string neighbors_group = "Neighbours";
    embed
        ->add_option("--disconnected", options.disconnected,
                     "When the neighbour graph falls apart: error (default), largest (embed the "
                     "largest component; the others' rows are left out of the output and listed "
                     "in --report), or components (each embedded on its own, side by side along "
                     "the first coordinate)")
        ->transform(CLI::IsMember(disconnected_modes, CLI::ignore_case))
        ->capture_default_str()
        ->group("Method");
    embed
        ->add_option("--neighbors", options.neighbors,
                     "Neighbour search: exact (kd-tree up to 15 dimensions, brute force above), "
                     "hnsw (approximate, its recall estimated on a sample), or auto (hnsw above " +
                         std::to_string(lle::neighbors::kd_tree_max_dimension) +
                         " dimensions from " + std::to_string(lle::neighbors::hnsw_min_points) +
                         " points unless its recall is below --min-recall, exact otherwise)")
        ->transform(CLI::IsMember(neighbor_searches, CLI::ignore_case))
        ->capture_default_str()
        ->group(neighbors_group);
    embed->add_option("--hnsw-m", parameters.hnsw.m, "HNSW: links per point and layer")
        ->check(CLI::Range(lle::Index{2}, lle::Index{1000}))
        ->capture_default_str()
        ->group(neighbors_group);
    embed
        ->add_option("--hnsw-ef-construction", parameters.hnsw.ef_construction,
                     "HNSW: candidates kept while building")
        ->check(at_least(1))
        ->capture_default_str()
        ->group(neighbors_group);
    embed
        ->add_option("--hnsw-ef", parameters.hnsw.ef_search,
                     "HNSW: candidates kept while searching (at least k + 1 are)")
        ->check(at_least(1))
        ->capture_default_str()
        ->group(neighbors_group);
    embed
        ->add_option(
            "--hnsw-projection", parameters.hnsw.projection,
            "HNSW: principal directions the graph is built in (0 automatic: above " +
                std::to_string(lle::neighbors::hnsw_projection_min_dimension) +
                " dimensions, those holding " +
                std::to_string(static_cast<int>(100 * lle::neighbors::hnsw_projection_variance)) +
                "% of the variance; -1 none)")
        ->check(at_least(-1))
        ->capture_default_str()
        ->group(neighbors_group);
    embed
        ->add_option("--hnsw-candidates", parameters.hnsw.candidates,
                     "HNSW with a projection: candidates re-ranked by full-space distance per "
                     "point (0: " +
                         std::to_string(lle::neighbors::hnsw_candidates_per_neighbor) +
                         " k; at least k)")
        ->check(at_least(0))
        ->capture_default_str()
        ->group(neighbors_group);
    embed
        ->add_option("--min-recall", parameters.min_recall,
                     "auto: search exactly after all when hnsw's estimated recall is below this")
        ->check(within(0.0, 1.0))
        ->capture_default_str()
        ->group(neighbors_group);
    embed
        ->add_option("--recall-sample", parameters.recall_sample_size,
                     "Points whose exact neighbours estimate an approximate search's recall")
        ->check(at_least(1))
        ->capture_default_str()
        ->group(neighbors_group);

    const std::string solver_group = "Eigensolver";
    embed
        ->add_option("--eigen-solver", options.eigen_solver,
                     "auto: dense up to " + std::to_string(lle::embedding::dense_size_limit) +
                         " points, above gradient (LOBPCG) with --init, sparse (shift-invert) "
                         "otherwise")
        ->transform(CLI::IsMember(eigen_solvers, CLI::ignore_case))
        ->capture_default_str()
        ->group(solver_group);
    embed
        ->add_option("--preconditioner", options.preconditioner,
                     "Gradient solver's preconditioner (cholesky: sparse factor of M + eps I)")
        ->transform(CLI::IsMember(preconditioners, CLI::ignore_case))
        ->capture_default_str()
        ->group(solver_group);
    embed
        ->add_option("--init", options.initial_coordinates,
                     "Start the gradient solver from these coordinates (.csv/.npy, one row per "
                     "point), e.g. a previous run's output")
        ->group(solver_group);
    embed
        ->add_option("--tol", parameters.tolerance,
                     "Iterative solvers' tolerance: relative to each Ritz value (sparse), "
                     "residual over spectral gap (gradient)")
        ->check(within(1e-300, 1.0))
        ->capture_default_str()
        ->group(solver_group);
    embed
        ->add_option("--max-iter", parameters.max_iterations,
                     "Restarts (sparse) or iterations (gradient) of the iterative solvers")
        ->check(within(1, max_iterations))
        ->capture_default_str()
        ->group(solver_group);
    embed
        ->add_option("--dtype", options.dtype,
                     "Precision of the points in memory: float32 halves it (neighbour search in "
                     "single precision; weights, cost matrix and eigensolve stay in double; "
                     "--save-model still writes float64)")
        ->transform(CLI::IsMember(dtypes, CLI::ignore_case))
        ->capture_default_str()
        ->group(method_group);
    embed->add_option("--seed", parameters.seed, "Seed of the solver's start and of generated data")
        ->check(CLI::Validator(
            [](const std::string& text) {
                // CLI11 would wrap "-1" around to 2^64 - 1.
                return text.find('-') == std::string::npos
                           ? std::string()
                           : "must be a non-negative integer (got " + text + ")";
            },
            ""))
        ->capture_default_str()
        ->group(solver_group);

    add_input_options(embed, options.selection, options.limit);
    embed->add_option("--samples", options.samples, "Points of the generated swiss roll")
        ->check(CLI::Range(lle::Index{2}, lle::Index{100'000'000}))
        ->capture_default_str()
        ->group("Input");

    const std::string output_group = "Output";
    embed
        ->add_option("--save-weights", options.weights_output,
                     "Write the weight matrix W (Matrix Market .mtx)")
        ->group(output_group);
    embed
        ->add_option("--save-model", options.model_output,
                     "Write a model for 'lle transform' (training points, always float64, and "
                     "embedding)")
        ->group(output_group);
    embed
        ->add_option("--plot", options.plot_output,
                     "Write a scatter plot of coordinates 1 and 2 (.png, or .svg up to " +
                         std::to_string(lle::io::svg_max_points) +
                         " points); the generated swiss roll's goes next to -o as .png unless "
                         "'none'")
        ->group(output_group);
    embed
        ->add_option("--labels", options.labels_input,
                     "Labels that colour the plot, one per input row: IDX (*-ubyte), .npy, or "
                     "text (.txt/.csv) with one per line")
        ->group(output_group);
    embed
        ->add_option("--report", options.report_output,
                     "Write parameters, timings and peak memory per phase, solver status, "
                     "eigenvalues, a summary of the diagnostics and the quality (.json)")
        ->group(output_group);
    embed
        ->add_option("--diagnostics", options.diagnostics_output,
                     "Write each point's local fit (.csv): reconstruction residual, condition "
                     "number of its Gram matrix, whether it was regularised, k-th neighbour "
                     "distance")
        ->group(output_group);
    embed
        ->add_flag(
            "--quality", options.quality,
            "Measure trustworthiness and continuity of the embedding (exact while n^2 (D + 16) "
            "<= 3e9, sampled above)")
        ->group(output_group);
    embed->add_option("--quality-k", options.quality_k, "Neighbours for --quality (default: k)")
        ->check(at_least(1))
        ->group(output_group);
    embed
        ->add_option("--quality-sample", options.quality_sample,
                     "Points --quality sums over (0: all while n^2 (D + 16) <= 3e9, else " +
                         std::to_string(lle::quality::default_sample_size) + "; seeded by --seed)")
        ->check(at_least(0))
        ->capture_default_str()
        ->group(output_group);
    embed
        ->add_option("--memory-limit", options.memory_limit,
                     "Stop before any work if the run's estimated peak exceeds this: "
                     "'available' (the machine's free memory), 'none', or a size (512M, 8G)")
        ->capture_default_str();
    embed->add_option("--threads", options.threads, "Threads to use (default: all cores)")
        ->check(within(1, max_threads))
        ->group(output_group);
    embed
        ->add_flag("-v,--verbose", options.verbose_flags,
                   "Also print each phase's remarks (a solver handing over, the estimated recall, "
                   "the components); -vv also each step's time and size (ordering, factor "
                   "nonzeros, residuals per iteration)")
        ->group(output_group);
    embed->add_flag("-q,--quiet", options.quiet, "Print nothing but errors")->group(output_group);
}

}  // namespace

void add_transform_command(CLI::App& app, TransformOptions& options) {
    CLI::App* transform = app.add_subcommand(
        "transform", "Map new points into an embedding saved by 'lle embed --save-model'.");
    transform->add_option("--model", options.model, "Model file written by lle embed")->required();
    transform->add_option("INPUT", options.input, "Points to map, in any input format")->required();
    transform->add_option("-o,--output", options.output,
                          "Coordinates file, .csv or .npy (default: CSV on stdout)");
    add_input_options(transform, options.selection, options.limit);
    transform->add_option("--threads", options.threads, "Threads to use (default: all cores)")
        ->check(within(1, max_threads));
    transform->add_flag("-q,--quiet", options.quiet, "Print nothing but errors");
}

/// On an interrupt, a termination request, a hang-up or an exceeded file-size limit: remove
/// the temporary files of the outputs being written, say what happened on stderr, then die of the
/// same signal (exit status 128 + its number in a shell), so that the caller sees what happened and
/// no file is left. Only async-signal-safe calls (unlink, write, signal, raise).
extern "C" void remove_temporary_and_die(int signal_number) {
    const bool removed = lle::io::remove_pending_temporary();
    const std::string_view cause = signal_number == SIGINT    ? "lle: interrupted (SIGINT)"
                                   : signal_number == SIGTERM ? "lle: terminated (SIGTERM)"
                                   : signal_number == SIGHUP
                                       ? "lle: hang-up (SIGHUP)"
                                       : "lle: file size limit exceeded (SIGXFSZ)";
    const std::string_view outcome =
        removed ? "; the unfinished output files were removed\n" : "\n";
    // One write, so that a progress line the display's thread redraws meanwhile cannot come
    // between its parts. On a terminal "\r\033[K" first: the message replaces that line.
    char message[160];
    std::size_t length = 0;
    for (const std::string_view part :
         {stderr_is_terminal != 0 ? std::string_view("\r\033[K") : std::string_view(), cause,
          outcome}) {
        if (!part.empty()) {  // an empty view's data() may be null, which memcpy may not get
            std::memcpy(message + length, part.data(), part.size());
            length += part.size();
        }
    }
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, length);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

/// A signal the program was started with ignored stays ignored: a shell starts background jobs
/// with SIGINT ignored, so that Ctrl-C at the terminal reaches only the foreground job, and
/// `nohup` ignores SIGHUP.
void install_signal_handlers() {
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGXFSZ}) {
        struct sigaction inherited {};
        sigaction(signal_number, nullptr, &inherited);
        if (inherited.sa_handler == SIG_IGN) {
            continue;
        }
        struct sigaction action {};
        action.sa_handler = remove_temporary_and_die;
        sigemptyset(&action.sa_mask);
        sigaction(signal_number, &action, nullptr);
    }
}

int main(int argc, char** argv) {
    stderr_is_terminal = isatty(STDERR_FILENO) == 1 ? 1 : 0;
    install_signal_handlers();
    // Idle OpenMP threads that spin steal the cores OpenBLAS and CHOLMOD need in the phases
    // that follow the parallel loops (measured: eigensolve 5.6 s -> 3.2 s at n = 100,000).
    setenv("OMP_WAIT_POLICY", "passive", 0);
    lle::stop_idle_blas_threads();
    CLI::App app("lle: Locally Linear Embedding", "lle");
    app.set_version_flag("--version", LLE_VERSION);
    app.require_subcommand(1);
    EmbedOptions options;
    add_embed_command(app, options);
    TransformOptions transform_options;
    add_transform_command(app, transform_options);

    try {
        // CLI11 reads `--name=` as `--name` and takes the next argument as its value.
        for (int i = 1; i < argc; ++i) {
            const std::string_view argument = argv[i];
            if (argument.starts_with("--") && argument.ends_with("=")) {
                throw CLI::ValidationError(std::string(argument.substr(0, argument.size() - 1)),
                                           "the value is empty");
            }
        }
        app.parse(argc, argv);
        for (const CLI::Option* option : app.get_subcommand("embed")->get_options()) {
            if (option->count() > 0) {
                options.given.push_back(option->get_name());
            }
        }
        for (const CLI::Option* option : app.get_subcommand("transform")->get_options()) {
            if (option->count() > 0) {
                transform_options.given.push_back(option->get_name());
            }
        }
    } catch (const CLI::Success& success) {
        return app.exit(success);
    } catch (const CLI::ParseError& error) {
        fmt::print(std::cerr, "lle: error: {} (see lle --help)\n", error.what());
        return exit_usage;
    }

    try {
        return app.got_subcommand("transform") ? run_transform(transform_options)
                                               : run_embed(options);
    } catch (const UsageError& error) {
        fmt::print(std::cerr, "lle: error: {}\n", error.what());
        return exit_usage;
    } catch (const lle::ParameterError& error) {
        fmt::print(std::cerr, "lle: error: {}\n", error.what());
        return exit_usage;
    } catch (const lle::Error& error) {
        fmt::print(std::cerr, "lle: error: {}\n", error.what());
        return exit_failure;
    } catch (const std::bad_alloc&) {
        fmt::print(std::cerr, "lle: error: out of memory\n");
        return exit_failure;
    } catch (const std::exception& error) {
        fmt::print(std::cerr, "lle: error: {}\n", error.what());
        return exit_failure;
    }
}
