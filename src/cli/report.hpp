#pragma once

/// \file
/// What the command tells about a run: a short summary for people, a JSON report for programs.

#include <ostream>
#include <string>

#include "lle/methods/embed.hpp"

namespace lle::cli {

/// Where the points came from, their shape and their precision in memory.
struct InputDescription {
    std::string source;  ///< file path, or a description of the generated data
    Index points = 0;
    Index dimension = 0;
    std::string dtype = "float64";  ///< "float64" or "float32": how the points were held
};

/// The machine's side of a run: threads, the memory limit it was held to, its peak use.
struct Resources {
    int threads = 0;
    double memory_limit_bytes = 0.0;  ///< 0 when unchecked
    double peak_resident_bytes = 0.0;
};

/// A few lines for stderr: the problem, time per phase, the neighbour search (for an
/// approximate one its estimated recall and sample size), the weights solver (standard LLE; the
/// gradient solver's steps per point), the eigensolver's outcome, the error, peak memory.
void write_summary(std::ostream& out, const InputDescription& input, const Parameters& parameters,
                   const Resources& resources, const Result& result);

/// The same and more as one JSON document: parameters, input shape, timings, the neighbour
/// search (algorithm, and for an approximate one recall and sample size), the weights
/// solver's steps, eigensolver status and counters, eigenvalues, reconstruction error, memory.
void write_json_report(std::ostream& out, const InputDescription& input,
                       const Parameters& parameters, const Resources& resources,
                       const Result& result);

}  // namespace lle::cli
